"""State for the tests that run real servers: the demo, plus decisions signed and waiting for
their number, issued ones waiting for Phòng Nội vụ's acknowledgement, and drafts.

Run in the servers' environment (their database and folders):
    python manage.py shell -c "from tests.live.stage import stage; stage(8, 8)"
It prints one JSON line: the ids of each set.
"""

from __future__ import annotations

import json

from django.core.management import call_command

from decisions.models import Decision, Organization, User
from workflow import demo


def stage(to_issue: int, to_acknowledge: int, drafts: int = 0) -> None:
    call_command("load_demo", "--allow-production", verbosity=0)
    people = {user.username: user for user in User.objects.filter(username__in=demo.USERNAMES)}
    issuer = Organization.objects.get(code="giong-rieng")
    template = demo.STAGES[0]
    ids: dict[str, list[int]] = {"to_issue": [], "to_acknowledge": [], "drafts": []}
    for kind, steps, count in (
        ("to_issue", ("submit", "propose", "sign"), to_issue),
        ("to_acknowledge", ("submit", "propose", "sign", "issue"), to_acknowledge),
        ("drafts", (), drafts),
    ):
        for number in range(count):
            stage = demo.Stage(
                f"{template.subject} ({kind} {number + 1})",
                template.sector,
                template.articles,
                steps,
            )
            decision: Decision = demo.draft(stage, issuer, people["cv.giongrieng"])
            decision = demo.walk(decision, steps, people, signer="ct.giongrieng")
            ids[kind].append(decision.pk)
    print(json.dumps(ids))


def stage_for_signature(count: int) -> None:
    """`count` drafts proposed to the chair, waiting for his signature; prints their ids."""
    call_command("load_demo", "--allow-production", verbosity=0)
    people = {user.username: user for user in User.objects.filter(username__in=demo.USERNAMES)}
    issuer = Organization.objects.get(code="giong-rieng")
    template = demo.STAGES[0]
    ids = []
    for number in range(count):
        stage = demo.Stage(
            f"{template.subject} (to sign {number + 1})", template.sector, template.articles, ()
        )
        decision = demo.draft(stage, issuer, people["cv.giongrieng"])
        demo.walk(decision, ("submit", "propose"), people, signer="ct.giongrieng")
        ids.append(decision.pk)
    print(json.dumps(ids))


def step(pk: int, name: str) -> None:
    """Run one step ("sign" or "issue") of decision `pk` as the demo person whose task it is."""
    people = {user.username: user for user in User.objects.filter(username__in=demo.USERNAMES)}
    demo.walk(Decision.objects.get(pk=pk), (name,), people, signer="ct.giongrieng")
