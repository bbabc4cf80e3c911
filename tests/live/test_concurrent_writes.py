"""Two clerks at once never see a 500: writers on the default SQLite set-up wait for each
other (WAL, busy timeout, immediate transactions) instead of failing with "database is
locked". Real servers, real HTTP, concurrent requests released together."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from django.db import connection

from tests.live import servers

pytestmark = [
    pytest.mark.live,
    pytest.mark.slow,
    pytest.mark.skipif(
        connection.vendor != "sqlite", reason="the SQLite set-up; the PostgreSQL run skips it"
    ),
]
COUNT = 8


@pytest.mark.parametrize("kind", ["runserver", "gunicorn"])
def test_eight_issuances_and_eight_acknowledgements_at_once_all_succeed_on_sqlite(
    kind: str, tmp_path: Path
) -> None:
    env = servers.environment(tmp_path)
    ids = servers.stage(env, COUNT, COUNT)
    with servers.serving(env, kind, log=tmp_path / "server.log") as base:
        clerks = [servers.Browser(base).log_in("vt.giongrieng") for _ in ids["to_issue"]]
        receivers = [servers.Browser(base).log_in("nhan.phongnoivu") for _ in ids["to_acknowledge"]]
        jobs = [
            (clerk, f"/decisions/{pk}/issue/", {"issue-pin": "123456"})
            for clerk, pk in zip(clerks, ids["to_issue"], strict=True)
        ] + [
            (receiver, f"/decisions/{pk}/acknowledge/", {})
            for receiver, pk in zip(receivers, ids["to_acknowledge"], strict=True)
        ]
        start = threading.Barrier(len(jobs))

        def fire(job: tuple[servers.Browser, str, dict[str, str]]) -> requests.Response:
            browser, path, data = job
            start.wait()
            return browser.post(path, data)

        with ThreadPoolExecutor(len(jobs)) as pool:
            answers = list(pool.map(fire, jobs))
        log = (tmp_path / "server.log").read_text(errors="replace")
        assert [a.status_code for a in answers] == [302] * len(jobs), log[-4000:]
        # Each one lands on the decision's page with its success message, not an error.
        for (browser, path, _), answer in zip(jobs, answers, strict=True):
            assert answer.headers["Location"].endswith(path.rsplit("/", 2)[0] + "/")
            page = browser.get(answer.headers["Location"])
            assert page.status_code == 200
            assert 'class="error"' not in page.text
    issued = servers.query(
        env,
        f"sorted(Decision.objects.filter(pk__in={ids['to_issue']})"
        ".values_list('number', flat=True))",
    )
    # The demo's seed 000 holds number 1 and the staged ones 2..9: the next eight are 10..17.
    numbered_before = 1 + COUNT
    assert issued == list(range(numbered_before + 1, numbered_before + COUNT + 1))
    acknowledged = servers.query(
        env,
        f"Delivery.objects.filter(decision__in={ids['to_acknowledge']}, "
        "organization__code='phong-noi-vu-giong-rieng', status='acknowledged').count()",
    )
    assert acknowledged == COUNT
