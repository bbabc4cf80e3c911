"""Drive DecisionFlow from our views (and tests) with the same checks as viewflow's own UI.

viewflow's activation transitions do not check permissions when called from code; only its
HTTP wrappers do (stack-check §3). `run_step` therefore checks `can_assign` / `can_execute`
itself, then runs the domain service inside the same lock and transaction, then lets the flow
route on the decision's new status. Lock order: process -> decision -> register.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from viewflow.workflow.models import Task
from viewflow.workflow.status import PROCESS, STATUS

from decisions import lifecycle, notifications, permissions, services
from decisions.lifecycle import STEPS
from decisions.models import Decision, User
from decisions.signing import attempts
from workflow.flows import DecisionFlow
from workflow.models import DecisionProcess

T = TypeVar("T")
ACTIVE = (STATUS.NEW, STATUS.ASSIGNED)
# The flow's human task for each step of the lifecycle table.
NODE_FOR_STATUS = {status: getattr(DecisionFlow, step.flow_node) for status, step in STEPS.items()}


@dataclass(frozen=True)
class _Request:
    """What an activation's start() reads from a request."""

    user: User


def process_of(decision: Decision) -> DecisionProcess | None:
    """The decision's running (or finished) process; None before it was first submitted."""
    return (
        DecisionProcess.objects.filter(
            artifact_content_type=ContentType.objects.get_for_model(Decision),
            artifact_object_id=decision.pk,
        )
        .exclude(status=PROCESS.CANCELED)
        .order_by("-pk")
        .first()
    )


def run_step(*, decision: Decision, user: User, step: str, action: Callable[[], T]) -> T:
    """Complete the decision's current human task as `user`, doing `action` (the lifecycle
    table's `step`) inside it. The table is asked first, so that a step already taken is
    refused with what happened meanwhile, not with "not your task"."""
    lifecycle.check(step, decision=decision, actor=user)
    process = process_of(decision)
    node = NODE_FOR_STATUS.get(Decision.Status(decision.status))
    if process is None or node is None:
        raise ValidationError(_("The decision is not waiting for this step."), code="wrong_state")
    # a wrong PIN rolled back with this transaction is kept in the history after it
    with attempts.wrong_pins_survive(), DecisionFlow.lock(process.pk), transaction.atomic():
        task = process.task_set.filter(flow_task=node, status__in=ACTIVE).first()
        if task is None:
            raise ValidationError(
                _("The decision is not waiting for this step."), code="wrong_state"
            )
        activation = node.activation_class(task)
        if task.status == STATUS.NEW:
            if not node.can_assign(user, task):
                raise permissions.NotAllowed(_("This task is not for you."))
            activation.assign(user)
        if not node.can_execute(user, task):
            raise permissions.NotAllowed(_("This task is not for you."))
        activation.start(_Request(user))
        result = action()
        activation.execute()
        _notify_new_tasks(process)
    return result


def submit(*, decision: Decision, user: User, note: str = "") -> Decision:
    """The drafter submits: starts the flow, or finishes his revision task after a return."""
    process = process_of(decision)
    if (
        process is not None
        and process.task_set.filter(flow_task=DecisionFlow.revise, status__in=ACTIVE).exists()
    ):
        return run_step(
            decision=decision,
            user=user,
            step="submit",
            action=lambda: services.submit_draft(actor=user, decision=decision, note=note),
        )
    with transaction.atomic():
        submitted = services.submit_draft(actor=user, decision=decision, note=note)
        started = DecisionFlow.start.run(decision=submitted)
        _notify_new_tasks(started)
    return submitted


def approve_and_sign(*, decision: Decision, user: User, pin: str, note: str = "") -> Decision:
    """The leader approves and signs at once ("Ký luôn"): both steps in one transaction, so a
    wrong PIN (or any failure of the signature) leaves the decision in review, unchanged (the
    wrong PIN alone is kept in its history)."""
    with attempts.wrong_pins_survive(), transaction.atomic():
        approved = run_step(
            decision=decision,
            user=user,
            step="review",
            action=lambda: services.approve_decision(actor=user, decision=decision, note=note),
        )
        return run_step(
            decision=approved,
            user=user,
            step="sign",
            action=lambda: services.sign_decision(actor=user, decision=approved, pin=pin),
        )


def withdraw(*, decision: Decision, user: User, reason: str) -> Decision:
    """The drafter withdraws his draft; its process is cancelled."""
    with transaction.atomic():
        withdrawn = services.withdraw_draft(actor=user, decision=decision, reason=reason)
        process = process_of(withdrawn)
        if process is not None and process.status != PROCESS.DONE:
            DecisionFlow.instance.cancel(process)
    return withdrawn


def active_task(decision: Decision) -> Task | None:
    process = process_of(decision)
    if process is None:
        return None
    return process.task_set.filter(status__in=ACTIVE).select_related("owner").first()


def _notify_new_tasks(process: DecisionProcess) -> None:
    """After commit, e-mail the people who can take the process's new human task."""
    decision = Decision.objects.select_related("issuer").get(pk=process.artifact_object_id)
    for task in process.task_set.filter(status__in=ACTIVE):
        if task.flow_task == DecisionFlow.revise:
            continue  # the drafter hears of a return from notify_returned, with its reason
        if task.owner_id:
            user_ids = [task.owner_id]
        elif task.owner_permission:
            user_ids = list(
                permissions.users_with_permission(
                    task.owner_permission, decision.issuer
                ).values_list("pk", flat=True)
            )
        else:
            continue
        step = str(task.flow_task.task_title)
        notifications.enqueue("task", decision_id=decision.pk, user_ids=user_ids, step=step)
