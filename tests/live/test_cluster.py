"""Several app servers: two gunicorn instances sharing one PostgreSQL database and one media
folder, one background worker, and haproxy (Debian's package, deploy/haproxy.cfg as shipped)
in front. Runs in the PostgreSQL pass of scripts/test."""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest
import requests
from django.db import connection

from tests.live import servers
from tests.live.test_worker import start_worker, wait_for
from tests.mailserver import mail_server

HAPROXY = shutil.which("haproxy") or "/usr/sbin/haproxy"
pytestmark = [
    pytest.mark.live,
    pytest.mark.slow,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
    pytest.mark.skipif(
        not Path(HAPROXY).exists() and not os.environ.get("CI"),
        reason="haproxy is missing (apt-get install haproxy)",
    ),
]
ISSUANCES = 50


@contextmanager
def balancer(web: list[str], log: Path) -> Iterator[str]:
    port = servers.free_port()
    env = {
        **os.environ,
        "DECISIONS_LISTEN": f"127.0.0.1:{port}",
        "DECISIONS_WEB1": web[0],
        "DECISIONS_WEB2": web[1],
    }
    config = str(servers.ROOT / "deploy" / "haproxy.cfg")
    subprocess.run([HAPROXY, "-c", "-q", "-f", config], env=env, check=True)
    with open(log, "ab") as output:
        process = subprocess.Popen(
            [HAPROXY, "-db", "-f", config], env=env, stdout=output, stderr=output
        )
    base = f"http://127.0.0.1:{port}"
    try:
        servers.wait_until_up(f"{base}/healthz/web", process)
        yield base
    finally:
        process.terminate()
        process.wait(10)


class Tracked(servers.Browser):
    """A browser that notes which app server answered each request."""

    def __init__(self, base: str) -> None:
        super().__init__(base)
        self.served_by: list[str] = []
        self.session.hooks["response"].append(
            lambda response, *args, **kwargs: self.served_by.append(
                response.headers.get("X-Served-By", "?")
            )
        )


def test_two_app_servers_behind_haproxy_share_sessions_numbers_and_the_queue(
    tmp_path: Path,
) -> None:
    with ExitStack() as stack:
        database_url = stack.enter_context(servers.own_database())
        port, smtp = stack.enter_context(mail_server())
        env = {
            **servers.environment(tmp_path, database_url),
            "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "DJANGO_EMAIL_HOST": "127.0.0.1",
            "DJANGO_EMAIL_PORT": str(port),
            "DECISIONS_WORKER_BEAT_SECONDS": "1",
        }
        ids = servers.stage(env, ISSUANCES, 0, drafts=1)
        web = [servers.free_port(), servers.free_port()]
        for number, web_port in enumerate(web, start=1):
            stack.enter_context(
                servers.serving(env, "gunicorn", port=web_port, log=tmp_path / f"web{number}.log")
            )
        worker = start_worker(env, tmp_path / "worker.log")
        stack.callback(worker.wait, 20)
        stack.callback(worker.terminate)
        base = stack.enter_context(
            balancer([f"127.0.0.1:{p}" for p in web], tmp_path / "haproxy.log")
        )

        # One decision through the whole flow, each person's clicks spread over both servers.
        (pk,) = ids["drafts"]
        people = {
            name: Tracked(base).log_in(name)
            for name in ("cv.giongrieng", "cvp.giongrieng", "ct.giongrieng", "vt.giongrieng")
        }
        leader = servers.query(env, "User.objects.get(username='ct.giongrieng').pk")
        steps = [
            ("cv.giongrieng", "submit", {"submit-note": "Kính trình"}),
            ("cvp.giongrieng", "propose", {"propose-signer": str(leader), "propose-note": ""}),
            (
                "ct.giongrieng",
                "review",
                {"review-note": "", "review-sign_now": "on", "review-pin": "123456"},
            ),
            ("vt.giongrieng", "issue", {"issue-pin": "123456"}),
        ]
        for name, slug, data in steps:
            browser = people[name]
            assert browser.get(f"/decisions/{pk}/").status_code == 200
            answer = browser.post(f"/decisions/{pk}/{slug}/", data)
            assert answer.status_code == 302, (slug, answer.text[-2000:])
            assert browser.get(f"/decisions/{pk}/").status_code == 200
        pdf = people["cv.giongrieng"].get(f"/decisions/{pk}/pdf/")
        assert pdf.headers["Content-Type"] == "application/pdf"
        assert pdf.content.startswith(b"%PDF")
        for name, browser in people.items():
            assert {"web1", "web2"} <= set(browser.served_by), (name, browser.served_by)
        assert servers.query(env, f"Decision.objects.get(pk={pk}).status") == "issued"

        # Fifty issuances at once through both servers: unique, gap-free numbers.
        clerks = [Tracked(base).log_in("vt.giongrieng") for _ in ids["to_issue"]]
        start = threading.Barrier(len(clerks))

        def issue(job: tuple[Tracked, int]) -> int:
            clerk, decision = job
            start.wait()
            return clerk.post(f"/decisions/{decision}/issue/", {"issue-pin": "123456"}).status_code

        with ThreadPoolExecutor(len(clerks)) as pool:
            codes = list(pool.map(issue, zip(clerks, ids["to_issue"], strict=True)))
        assert codes == [302] * ISSUANCES
        assert Counter(c.served_by[-1] for c in clerks).keys() == {"web1", "web2"}
        numbers = servers.query(
            env,
            "sorted(Decision.objects.filter(issuer__code='giong-rieng', number__isnull=False)"
            ".values_list('number', flat=True))",
        )
        assert numbers == list(range(1, len(numbers) + 1))
        assert len(numbers) == 1 + 1 + ISSUANCES  # seed 000, the walked one, the fifty

        # The health check through the balancer, workers included.
        health = requests.get(f"{base}/healthz", timeout=10)
        assert health.status_code == 200, health.text
        assert health.json()["workers"]["alive"] == 1

        # Every queued e-mail arrives, once.
        def all_sent() -> bool:
            return servers.query(env, "OutgoingMail.objects.filter(sent_at=None).count()") == 0

        wait_for(all_sent, 120, "every e-mail sent")
        time.sleep(2)
        queued = servers.query(env, "OutgoingMail.objects.count()")
        assert queued > ISSUANCES  # at least the drafter's "issued" notice of each
        ids_seen = [message["Message-ID"] for message in smtp.received]
        assert len(ids_seen) == queued
        assert len(set(ids_seen)) == queued
