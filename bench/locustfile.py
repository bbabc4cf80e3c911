"""Locust users for `bench/run.py load` (run by it in a subprocess: locust patches the
standard library with gevent, which the Django process must not see).

The plan (a JSON file named by BENCH_LOAD_PLAN) lists the people, the pages and the pools of
decisions to sign and issue. BENCH_LOAD_PAUSE is "2-5" (people reading) or "0" (saturation);
BENCH_LOAD_TRIVIAL=1 makes every user open only a trivial logged-in page (the ceiling).
"""

from __future__ import annotations

import json
import os
import random
import re
from typing import Any

from locust import FastHttpUser, between, constant, task

PLAN = json.loads(open(os.environ["BENCH_LOAD_PLAN"], encoding="utf-8").read())  # noqa: SIM115
PAUSE = os.environ.get("BENCH_LOAD_PAUSE", "2-5")
TRIVIAL = os.environ.get("BENCH_LOAD_TRIVIAL") == "1"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
POOLS = {name: list(ids) for name, ids in PLAN["pools"].items()}
PASSWORD = PLAN["password"]


def _wait() -> Any:
    if PAUSE == "0":
        return constant(0)
    low, high = (float(part) for part in PAUSE.split("-"))
    return between(low, high)


class Person(FastHttpUser):
    """A logged-in person of one of the roles, clicking as the role does."""

    wait_time = _wait()
    weight = 9

    def on_start(self) -> None:
        self.person = PLAN["people"][random.randrange(len(PLAN["people"]))]  # noqa: S311
        page = self.client.get("/accounts/login/", name="login form")
        token = CSRF.search(page.text or "")
        self.client.post(
            "/accounts/login/",
            data={
                "username": self.person["username"],
                "password": PASSWORD,
                "csrfmiddlewaretoken": token.group(1) if token else "",
            },
            name="login",
        )

    def _token(self, path: str) -> str:
        page = self.client.get(path, name="decision page")
        found = CSRF.search(page.text or "")
        return found.group(1) if found else ""

    def trivial(self) -> None:
        """A logged-in page with no domain work: session, user, one small template."""
        self.client.get("/accounts/password_change/", name="trivial")

    def instead(self) -> None:
        """A click whose page is not for this person (or any click in trivial mode)."""
        if TRIVIAL:
            self.trivial()
        else:
            self.client.get("/", name="home")

    @task(30)
    def home(self) -> None:
        self.instead()

    @task(25)
    def decision(self) -> None:
        if TRIVIAL:
            self.instead()
            return
        decisions = self.person["decisions"]
        self.client.get(f"/decisions/{random.choice(decisions)}/", name="decision page")  # noqa: S311

    @task(10)
    def pdf(self) -> None:
        if TRIVIAL or not self.person["pdfs"]:
            self.instead()
            return
        self.client.get(f"/decisions/{random.choice(self.person['pdfs'])}/pdf/", name="pdf")  # noqa: S311

    @task(15)
    def incoming(self) -> None:
        if TRIVIAL or not self.person["incoming"]:
            self.instead()
            return
        self.client.get("/incoming/", name="incoming")

    @task(1)
    def write(self) -> None:
        """1 % of clicks sign or issue (leaders sign, clerks issue), from prepared pools."""
        step = self.person.get("writes")
        pool = POOLS.get(step or "", [])
        if TRIVIAL or not pool:
            self.instead()
            return
        pk = pool.pop()
        path = f"/decisions/{pk}/"
        token = self._token(path)
        if step == "sign":
            data = {"review-note": "", "review-sign_now": "on", "review-pin": PLAN["pin"]}
            url = f"/decisions/{pk}/review/"
        else:
            data = {"issue-pin": PLAN["pin"]}
            url = f"/decisions/{pk}/issue/"
        with self.client.post(
            url, data={**data, "csrfmiddlewaretoken": token}, name=step, catch_response=True
        ) as answer:
            if answer.status_code not in (200, 302) or "/login/" in (answer.url or ""):
                answer.failure(f"{step}: {answer.status_code}")


class Public(FastHttpUser):
    """Someone checking a decision's genuineness from its QR code (no login)."""

    wait_time = _wait()
    weight = 1

    @task
    def check(self) -> None:
        if TRIVIAL:
            self.client.get("/healthz/web", name="trivial anonymous")
            return
        token = random.choice(PLAN["tokens"])  # noqa: S311
        self.client.get(f"/v/{token}", name="public check")
