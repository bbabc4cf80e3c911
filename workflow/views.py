"""The flow's actions over HTTP: validate the form, run the step, redirect.

Each view fetches the decision through the visibility rules (404 for one the user may not
see); the services answer 403 for what he may see but not do, and a form error (400) for a
wrong state or bad input. Nothing changes on error.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from decisions import lifecycle, selectors, services
from decisions.forms import (
    ApproveForm,
    HandOverForm,
    NoteForm,
    ProposeForm,
    ReasonForm,
    SealForm,
    SignForm,
)
from decisions.models import Decision, User
from decisions.views import render_detail
from workflow import driver


def _act(
    request: HttpRequest,
    pk: int,
    name: str,
    form_class: Callable[..., Form],
    perform: Callable[[Decision, User, dict[str, Any]], object],
    done: str,
) -> HttpResponse:
    decision = selectors.get_decision_for(request.user, pk)
    form = form_class(request.POST, prefix=name, **_form_kwargs(form_class, decision))
    if form.is_valid():
        try:
            perform(decision, selectors.acting_user(request.user), form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, done)
            return redirect(decision.get_absolute_url())
    decision.refresh_from_db()
    if not lifecycle.may(request.user, name, decision):
        # the form is no longer on the page (the decision moved on): say why at the top
        reasons = [str(message) for message in form.non_field_errors()]
        messages.error(request, " ".join(reasons) or _("Nothing was changed."))
    return render_detail(request, decision, bound={name: form}, status=400)


def _form_kwargs(form_class: Callable[..., Form], decision: Decision) -> dict[str, Any]:
    return {"decision": decision} if form_class in (ProposeForm, HandOverForm) else {}


Perform = Callable[[Decision, User, dict[str, Any]], Decision]


def _in_flow(step: str, service: Callable[..., Decision], **fields: str) -> Perform:
    """Run `service` as the decision's current flow step (`step` of the lifecycle table);
    `fields` maps the service's keyword arguments to the form's cleaned fields."""

    def perform(decision: Decision, user: User, data: dict[str, Any]) -> Decision:
        arguments = {argument: data[field] for argument, field in fields.items()}
        return driver.run_step(
            decision=decision,
            user=user,
            step=step,
            action=lambda: service(actor=user, decision=decision, **arguments),
        )

    return perform


@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    def perform(decision: Decision, user: User, data: dict[str, Any]) -> Decision:
        return driver.submit(decision=decision, user=user, note=data["note"])

    return _act(request, pk, "submit", NoteForm, perform, _("The draft was submitted."))


@require_POST
def check(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "check",
        NoteForm,
        _in_flow("check", services.check_draft, note="note"),
        _("The draft was passed to the office."),
    )


@require_POST
def propose(request: HttpRequest, pk: int) -> HttpResponse:
    perform = _in_flow("propose", services.propose_decision, signer="signer", note="note")
    return _act(
        request, pk, "propose", ProposeForm, perform, _("The decision was proposed for signature.")
    )


@require_POST
def return_(request: HttpRequest, pk: int) -> HttpResponse:
    perform = _in_flow("return_", services.return_for_revision, reason="reason")
    return _act(
        request, pk, "return_", ReasonForm, perform, _("The draft was returned to its drafter.")
    )


@require_POST
def review(request: HttpRequest, pk: int) -> HttpResponse:
    approve = _in_flow("review", services.approve_decision, note="note")

    def perform(decision: Decision, user: User, data: dict[str, Any]) -> Decision:
        if data["sign_now"]:
            return driver.approve_and_sign(
                decision=decision, user=user, pin=data["pin"], note=data["note"]
            )
        return approve(decision, user, data)

    return _act(request, pk, "review", ApproveForm, perform, _("Approved."))


@require_POST
def hand_over(request: HttpRequest, pk: int) -> HttpResponse:
    perform = _in_flow("hand_over", services.hand_over, to="to", note="note")
    return _act(request, pk, "hand_over", HandOverForm, perform, _("The decision was handed over."))


@require_POST
def sign(request: HttpRequest, pk: int) -> HttpResponse:
    perform = _in_flow("sign", services.sign_decision, pin="pin")
    return _act(request, pk, "sign", SignForm, perform, _("Signed."))


@require_POST
def issue(request: HttpRequest, pk: int) -> HttpResponse:
    perform = _in_flow("issue", services.issue_decision, pin="pin")
    return _act(request, pk, "issue", SealForm, perform, _("The decision was issued."))


@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    def perform(decision: Decision, user: User, data: dict[str, Any]) -> Decision:
        return driver.withdraw(decision=decision, user=user, reason=data["reason"])

    return _act(request, pk, "withdraw", ReasonForm, perform, _("The draft was withdrawn."))


@require_POST
def void(request: HttpRequest, pk: int) -> HttpResponse:
    def perform(decision: Decision, user: User, data: dict[str, Any]) -> Decision:
        return services.void_decision(actor=user, decision=decision, reason=data["reason"])

    return _act(
        request,
        pk,
        "void",
        ReasonForm,
        perform,
        _("The decision was voided; its number stays void in the register."),
    )


@require_POST
def recall(request: HttpRequest, pk: int) -> HttpResponse:
    def perform(decision: Decision, user: User, data: dict[str, Any]) -> Decision:
        return services.recall_decision(actor=user, decision=decision, reason=data["reason"])

    return _act(
        request,
        pk,
        "recall",
        ReasonForm,
        perform,
        _("The decision was recalled; its receivers are told."),
    )


STEP_VIEWS: dict[str, Callable[[HttpRequest, int], HttpResponse]] = {
    "submit": submit,
    "check": check,
    "propose": propose,
    "return": return_,
    "review": review,
    "hand-over": hand_over,
    "sign": sign,
    "issue": issue,
    "withdraw": withdraw,
    "void": void,
    "recall": recall,
}


def step(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    """The one URL of the steps: /decisions/<id>/<step>/ (404 for a step that is not one)."""
    view = STEP_VIEWS.get(slug)
    if view is None:
        raise Http404
    return view(request, pk)
