"""Drive the flow over HTTP, as each persona would."""

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from decisions.models import Decision, User


@pytest.fixture
def act(client: Client) -> Callable[..., Any]:
    """POST an action as `user`; returns the response (following no redirect)."""

    def post(user: User, decision: Decision, action: str, **fields: Any) -> Any:
        client.force_login(user)
        prefix = {"return": "return_", "hand-over": "hand_over"}.get(action, action)
        data = {f"{prefix}-{key}": value for key, value in fields.items()}
        return client.post(f"/decisions/{decision.pk}/{action}/", data)

    return post
