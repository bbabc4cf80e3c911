"""DecisionFlow: draft → (unit check) → proposal → review → signature → issuance → distribution.

The graph is declarative. After every human step a single Switch routes on the decision's
status, which only the services in decisions/services/ change; so the flow can never
disagree with the domain. The steps, their nodes and who holds each come from the lifecycle
table (decisions/lifecycle.py, STEPS); a test checks the graph against it node by node.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow, lock

from decisions import services
from decisions.lifecycle import STEPS
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


def _human(status: str, title: Any) -> flow.View:
    """The human task of a step of the lifecycle table, assigned as the table says: to the
    drafter, to the chosen signer, or to whoever holds the step's permission on the issuer."""
    holder = STEPS[status].holder
    node = flow.View(_no_view).Annotation(title=title)
    if holder == "drafter":
        return node.Assign(lambda activation: _fresh(activation).drafter).Next(this.route)
    if holder == "signer":
        return node.Assign(lambda activation: _fresh(activation).signer).Next(this.route)
    return node.Permission(f"decisions.{holder}", obj=_issuer).Next(this.route)


def _route() -> flow.Switch:
    """After every human step: on to the node of the decision's new state (lifecycle.STEPS),
    to distribution once issued, or to the end (withdrawn, voided)."""
    switch = flow.Switch().Annotation(title=_("Next step"))
    for status, step in STEPS.items():
        switch = switch.Case(getattr(this, step.flow_node), _status_is(status))
    return switch.Case(this.distribution, _status_is(Status.ISSUED)).Default(this.end)


class DecisionFlow(flow.Flow):
    process_class = DecisionProcess
    process_title = _("Decision")
    lock_impl = lock.select_for_update_lock

    start = flow.StartHandle(this.start_process).Annotation(title=_("Submitted")).Next(this.route)
    route = _route()
    revise = _human(Status.DRAFT, _("Revise the draft"))
    unit_check = _human(Status.UNIT_CHECK, _("Check by the head of the unit"))
    proposal = _human(Status.PROPOSAL, _("Check and propose"))
    review = _human(Status.REVIEW, _("Review"))
    signature = _human(Status.SIGNATURE, _("Sign"))
    issuance = _human(Status.SIGNED, _("Number and issue"))
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
