"""Helpers for responses the tests read."""

from django.core.signals import request_finished
from django.db import close_old_connections


def release(response) -> None:
    """Release what a response holds (a FileResponse's open file) as the test client does:
    `response.close()` sends request_finished, whose close_old_connections would close the
    database connection inside the test's transaction (PostgreSQL; SQLite's in-memory test
    database ignores it)."""
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)


def streamed(response) -> bytes:
    """The whole body of a streaming response (a file download), released after."""
    try:
        return b"".join(response.streaming_content)
    finally:
        release(response)
