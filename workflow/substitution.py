"""Absent leaders: their waiting tasks pass to the substitute for the period, and come back after.

`apply_absences` runs when an absence is recorded (the admin) and at half past every hour (the
scheduler, registered in workflow/apps.py). For each absence under way, every decision waiting
for the leader's review or signature passes to the substitute (decisions/services/delegation.py
changes the signer and records it in the history) and its viewflow task is reassigned to him,
under the process lock. New tasks during the absence go to the substitute when the decision
is proposed or handed to the absent leader (the same service). When the absence is over, the
decisions still waiting in the step they were passed in go back, with their tasks.
Lock order as everywhere: process, then decision.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django_tasks import task
from viewflow.workflow.status import STATUS

from decisions import services
from decisions.models import Absence, Decision, User
from workflow.driver import ACTIVE, NODE_FOR_STATUS, process_of
from workflow.flows import DecisionFlow


def _reassign(decision: Decision, *, to: User) -> None:
    """The waiting task of the decision's step is now `to`'s (assigned to him)."""
    process = process_of(decision)
    node = NODE_FOR_STATUS.get(Decision.Status(decision.status))
    if process is None or node is None:
        return
    task_row = process.task_set.filter(flow_task=node, status__in=ACTIVE).first()
    if task_row is None:
        return
    task_row.owner = to
    task_row.status = STATUS.ASSIGNED
    task_row.assigned = task_row.assigned or timezone.now()
    task_row.save(update_fields=["owner", "status", "assigned"])


def _in_process_lock(decision: Decision, change: Any) -> Decision | None:
    process = process_of(decision)
    if process is None:
        with transaction.atomic():
            return change()
    with DecisionFlow.lock(process.pk), transaction.atomic():
        changed = change()
        if changed is not None:
            _reassign(changed, to=changed.signer)
        return changed


def start(absence: Absence) -> list[Decision]:
    """Pass what waits for the absent leader to his substitute, task included."""
    moved = []
    for decision in services.delegation.waiting_for(absence.leader, absence.organization):
        changed = _in_process_lock(
            decision,
            lambda decision=decision: services.pass_to_substitute(
                decision=decision, absence=absence
            ),
        )
        if changed is not None:
            moved.append(changed)
    return moved


def finish(absence: Absence) -> list[Decision]:
    """Give back to the leader what his substitute still holds untouched, and close it."""
    returned = []
    for decision in services.delegation.moved_by(absence):
        changed = _in_process_lock(
            decision,
            lambda decision=decision: services.give_back(decision=decision, absence=absence),
        )
        if changed is not None:
            returned.append(changed)
    services.close_absence(absence=absence)
    return returned


def apply_absences(now: datetime.datetime | None = None) -> dict[str, int]:
    """Start the absences under way and finish those that are over (idempotent)."""
    now = now or timezone.now()
    pending = Absence.objects.filter(closed_at__isnull=True, starts_at__lte=now).select_related(
        "leader", "substitute", "organization"
    )
    counts = {"passed": 0, "given_back": 0}
    for absence in pending:
        if absence.ends_at <= now:
            counts["given_back"] += len(finish(absence))
        else:
            counts["passed"] += len(start(absence))
    return counts


@task()
def substitute_absent_leaders() -> dict[str, int]:
    """The scheduled job (decisions.jobs.SCHEDULE, entry "absences")."""
    return apply_absences()


def every_half_past(now: datetime.datetime) -> datetime.datetime:
    """Half past every hour, day and night (an absence may begin at any hour; the hourly
    reminders run on the hour)."""
    candidate = now.replace(minute=30, second=0, microsecond=0)
    return candidate if candidate > now else candidate + datetime.timedelta(hours=1)
