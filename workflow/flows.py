"""DecisionFlow: draft → (unit check) → proposal → review → signature → issuance → distribution.

The graph is declarative. After every human step a single Switch routes on the decision's
status, which only the services in decisions/services.py change; so the flow can never
disagree with the domain. Each human task is assigned by the same permissions the services
check (decisions/permissions.py). Timers and reminders can be added as boundary events later.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow, lock

from decisions import permissions, services
from decisions.models import Decision
from workflow.models import DecisionProcess

Status = Decision.Status


def _no_view(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    """viewflow wants a view per human node; ours are workflow/views.py, not its URLs."""
    raise Http404


def _fresh(activation: Any) -> Decision:
    return Decision.objects.select_related("drafter", "signer").get(
        pk=activation.process.artifact_object_id
    )


def _issuer(process: Any) -> Any:
    return process.artifact.issuer


def _status_is(status: str) -> Any:
    """A routing condition on the decision's status, read fresh: the service that just ran
    changed it on its own locked copy, not on the process's cached artifact."""

    def condition(activation: Any) -> bool:
        current = Decision.objects.filter(pk=activation.process.artifact_object_id)
        return bool(current.values_list("status", flat=True).get() == status)

    return condition


class DecisionFlow(flow.Flow):
    process_class = DecisionProcess
    process_title = _("Decision")
    lock_impl = lock.select_for_update_lock

    start = flow.StartHandle(this.start_process).Annotation(title=_("Submitted")).Next(this.route)

    route = (
        flow.Switch()
        .Annotation(title=_("Next step"))
        .Case(this.revise, _status_is(Status.DRAFT))
        .Case(this.unit_check, _status_is(Status.UNIT_CHECK))
        .Case(this.proposal, _status_is(Status.PROPOSAL))
        .Case(this.review, _status_is(Status.REVIEW))
        .Case(this.signature, _status_is(Status.SIGNATURE))
        .Case(this.issuance, _status_is(Status.SIGNED))
        .Case(this.distribution, _status_is(Status.ISSUED))
        .Default(this.end)
    )

    revise = (
        flow.View(_no_view)
        .Annotation(title=_("Revise the draft"))
        .Assign(lambda activation: _fresh(activation).drafter)
        .Next(this.route)
    )
    unit_check = (
        flow.View(_no_view)
        .Annotation(title=_("Check by the head of the unit"))
        .Permission(permissions.CHECK, obj=_issuer)
        .Next(this.route)
    )
    proposal = (
        flow.View(_no_view)
        .Annotation(title=_("Check and propose"))
        .Permission(permissions.PROPOSE, obj=_issuer)
        .Next(this.route)
    )
    review = (
        flow.View(_no_view)
        .Annotation(title=_("Review"))
        .Assign(lambda activation: _fresh(activation).signer)
        .Next(this.route)
    )
    signature = (
        flow.View(_no_view)
        .Annotation(title=_("Sign"))
        .Assign(lambda activation: _fresh(activation).signer)
        .Next(this.route)
    )
    issuance = (
        flow.View(_no_view)
        .Annotation(title=_("Number and issue"))
        .Permission(permissions.ISSUE, obj=_issuer)
        .Next(this.route)
    )
    distribution = flow.Function(this.distribute).Annotation(title=_("Distribute")).Next(this.end)
    end = flow.End().Annotation(title=_("Done"))

    def start_process(self, activation: Any, decision: Decision) -> DecisionProcess:
        activation.process.artifact = decision
        activation.process.save()
        process: DecisionProcess = activation.process
        return process

    def distribute(self, activation: Any) -> None:
        """Send the issued decision to the bodies and people of its Nơi nhận."""
        services.distribute_decision(decision=_fresh(activation))
