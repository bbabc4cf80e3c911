"""Real worker processes (`manage.py worker`) against a real SMTP server: a worker killed in
the middle of sending is replaced, its task runs again, and every message arrives once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.live import servers
from tests.mailserver import mail_server

pytestmark = [pytest.mark.live, pytest.mark.slow]

ADDRESSES = ["a@example.vn", "b@example.vn", "c@example.vn"]


def start_worker(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with open(log, "ab") as output:  # the child keeps its own copy
        return subprocess.Popen(
            [sys.executable, "manage.py", "worker", "--interval", "0.2", "--no-startup-delay"],
            cwd=servers.ROOT,
            env=env,
            stdout=output,
            stderr=output,
        )


def wait_for(condition: Callable[[], object], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"{what} did not happen within {timeout} s"
        time.sleep(0.2)


def test_a_worker_killed_mid_send_is_replaced_and_every_message_arrives_exactly_once(
    tmp_path: Path,
) -> None:
    with mail_server(stall_first=60, refuse=2) as (port, server):
        env = {
            **servers.environment(tmp_path),
            "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "DJANGO_EMAIL_HOST": "127.0.0.1",
            "DJANGO_EMAIL_PORT": str(port),
            "DECISIONS_MAIL_RETRY_SECONDS": "0.5",
            "DECISIONS_WORKER_BEAT_SECONDS": "0.5",
            "DECISIONS_WORKER_STALE_SECONDS": "3",
        }
        servers.manage(env, "migrate", "-v", "0")
        servers.manage(
            env,
            "shell",
            "-c",
            "from decisions import jobs; from decisions.models import OutgoingMail\n"
            f"for address in {ADDRESSES!r}:\n"
            "    mail = OutgoingMail.objects.create(key='test', address=address, "
            "subject='Thử', body='Nội dung')\n"
            "    jobs.send_mail.enqueue(mail.pk)",
        )
        log = tmp_path / "workers.log"
        first = start_worker(env, log)
        try:
            wait_for(server.stalling.is_set, 60, "the first message reaching the server")
            os.kill(first.pid, signal.SIGKILL)  # in the middle of the SMTP conversation
            first.wait(10)
            second = start_worker(env, log)
            try:
                wait_for(lambda: len(server.received) >= len(ADDRESSES), 60, "every delivery")
                time.sleep(2)  # anything sent twice would arrive now
            finally:
                second.terminate()
                second.wait(20)
        finally:
            if first.poll() is None:
                first.kill()
    assert server.addresses() == ADDRESSES, log.read_text()[-3000:]
    assert server.refused == 2
    rows = servers.query(
        env, "list(OutgoingMail.objects.order_by('address').values_list('address', 'attempts'))"
    )
    assert all(attempts >= 1 for _, attempts in rows)
    statuses = servers.query(
        env,
        "sorted(set(__import__('django_tasks_db').models.DBTaskResult.objects"
        ".values_list('status', flat=True)))",
    )
    assert statuses == ["SUCCESSFUL"]
    reran = servers.query(
        env,
        "max(len(ids) for ids in __import__('django_tasks_db').models.DBTaskResult.objects"
        ".values_list('worker_ids', flat=True))",
    )
    assert reran == 2  # the killed worker's task, taken over by the second one
