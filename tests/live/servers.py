"""Real servers for tests: a database of their own, the application in gunicorn or runserver,
and logged-in HTTP clients (requests) that talk to them as browsers do."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Self
from urllib.parse import urlsplit, urlunsplit

import psycopg
import requests

ROOT = Path(__file__).resolve().parents[2]
DEMO_PASSWORD = "demo-2026"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def environment(folder: Path, database_url: str | None = None) -> dict[str, str]:
    """The servers' environment: the test settings on `folder`'s database and files."""
    (folder / "media").mkdir(parents=True, exist_ok=True)
    (folder / "pki").mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": database_url or f"sqlite:///{folder / 'db.sqlite3'}",
        "DJANGO_MEDIA_ROOT": str(folder / "media"),
        "DECISIONS_PKI_DIR": str(folder / "pki"),
        "DECISIONS_ANCHOR_DIR": str(folder / "anchors"),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SESSION_COOKIE_SECURE": "0",
        "DJANGO_CSRF_COOKIE_SECURE": "0",
        "DJANGO_READ_DOT_ENV_FILE": "0",
    }
    return env


@contextmanager
def own_database() -> Iterator[str]:
    """A database of its own on the test run's PostgreSQL server."""
    url = urlsplit(os.environ["DATABASE_URL"])
    name = f"live_{uuid.uuid4().hex[:8]}"
    admin = urlunsplit(url._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(url._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def manage(env: dict[str, str], *args: str, code: Path = ROOT) -> str:
    """`manage.py args` of `code` (this release by default) in the servers' environment."""
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=code,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def stage(
    env: dict[str, str], to_issue: int, to_acknowledge: int, drafts: int = 0
) -> dict[str, list[int]]:
    """Migrate, load the demo and stage decisions to issue, to acknowledge, and drafts."""
    manage(env, "migrate", "-v", "0")
    call = f"from tests.live.stage import stage; stage({to_issue}, {to_acknowledge}, {drafts})"
    out = manage(env, "shell", "-c", call)
    return dict(json.loads(out.strip().splitlines()[-1]))


def query(env: dict[str, str], code: str) -> Any:
    """Evaluate `code` (an expression over the models) in the servers' database."""
    program = f"import json; from decisions.models import *; print(json.dumps({code}, default=str))"
    return json.loads(manage(env, "shell", "-c", program).strip().splitlines()[-1])


def wait_until_up(url: str, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the server stopped with {process.returncode}")
        try:
            requests.get(url, timeout=2)
            return
        except requests.ConnectionError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer within {timeout} s")


@contextmanager
def serving(
    env: dict[str, str],
    kind: str,
    port: int | None = None,
    log: Path | None = None,
    *,
    workers: int | None = 3,
) -> Iterator[str]:
    """The application served by `kind` ("gunicorn" or "runserver"); yields its base URL.
    `workers=None` leaves gunicorn's to deploy/gunicorn.conf.py (WEB_CONCURRENCY). Used by
    the live tests and by `bench/run.py load` (it needs no test library)."""
    port = port or free_port()
    if kind == "gunicorn":
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            "--config",
            str(ROOT / "deploy" / "gunicorn.conf.py"),
            "--bind",
            f"127.0.0.1:{port}",
            *(["--workers", str(workers)] if workers else []),
        ]
    else:
        command = [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"]
    if log:
        with open(log, "ab") as output:  # the child keeps its own copy
            process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=output)
    else:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{base}/accounts/login/", process)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Browser:
    """One person's session: logs in, then posts forms with their CSRF token."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.session = requests.Session()

    def get(self, path: str, **kwargs: object) -> requests.Response:
        return self.session.get(self.base + path, timeout=60, **kwargs)  # type: ignore[arg-type]

    def post(self, path: str, data: dict[str, str] | None = None) -> requests.Response:
        token = self.session.cookies.get("csrftoken")
        if token is None:
            page = self.get("/accounts/login/")
            token = CSRF_FIELD.search(page.text).group(1)  # type: ignore[union-attr]
        return self.session.post(
            self.base + path,
            data={**(data or {}), "csrfmiddlewaretoken": token},
            headers={"Referer": self.base + path},
            allow_redirects=False,
            timeout=120,
        )

    def log_in(self, username: str, password: str = DEMO_PASSWORD) -> Self:
        page = self.get("/accounts/login/")
        token = CSRF_FIELD.search(page.text).group(1)  # type: ignore[union-attr]
        answer = self.session.post(
            self.base + "/accounts/login/",
            data={"username": username, "password": password, "csrfmiddlewaretoken": token},
            headers={"Referer": self.base + "/accounts/login/"},
            allow_redirects=False,
            timeout=60,
        )
        assert answer.status_code == 302, f"{username} could not log in ({answer.status_code})"
        return self
