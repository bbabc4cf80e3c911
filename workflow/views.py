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
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from decisions import selectors, services
from decisions.forms import ApproveForm, HandOverForm, NoteForm, ProposeForm, ReasonForm
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
    return render_detail(request, decision, bound={name: form}, status=400)


def _form_kwargs(form_class: Callable[..., Form], decision: Decision) -> dict[str, Any]:
    return {"decision": decision} if form_class in (ProposeForm, HandOverForm) else {}


@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "submit",
        NoteForm,
        lambda d, u, data: driver.submit(decision=d, user=u, note=data["note"]),
        _("The draft was submitted."),
    )


@require_POST
def check(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "check",
        NoteForm,
        lambda d, u, data: driver.run_step(
            decision=d,
            user=u,
            action=lambda: services.check_draft(actor=u, decision=d, note=data["note"]),
        ),
        _("The draft was passed to the office."),
    )


@require_POST
def propose(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "propose",
        ProposeForm,
        lambda d, u, data: driver.run_step(
            decision=d,
            user=u,
            action=lambda: services.propose_decision(
                actor=u, decision=d, signer=data["signer"], note=data["note"]
            ),
        ),
        _("The decision was proposed for signature."),
    )


@require_POST
def return_(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "return_",
        ReasonForm,
        lambda d, u, data: driver.run_step(
            decision=d,
            user=u,
            action=lambda: services.return_for_revision(actor=u, decision=d, reason=data["reason"]),
        ),
        _("The draft was returned to its drafter."),
    )


@require_POST
def review(request: HttpRequest, pk: int) -> HttpResponse:
    def perform(d: Decision, u: User, data: dict[str, Any]) -> Decision:
        approved = driver.run_step(
            decision=d,
            user=u,
            action=lambda: services.approve_decision(actor=u, decision=d, note=data["note"]),
        )
        if data["sign_now"]:
            return driver.run_step(
                decision=approved,
                user=u,
                action=lambda: services.sign_decision(actor=u, decision=approved),
            )
        return approved

    return _act(request, pk, "review", ApproveForm, perform, _("Approved."))


@require_POST
def hand_over(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "hand_over",
        HandOverForm,
        lambda d, u, data: driver.run_step(
            decision=d,
            user=u,
            action=lambda: services.hand_over(
                actor=u, decision=d, to=data["to"], note=data["note"]
            ),
        ),
        _("The decision was handed over."),
    )


@require_POST
def sign(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "sign",
        Form,
        lambda d, u, data: driver.run_step(
            decision=d, user=u, action=lambda: services.sign_decision(actor=u, decision=d)
        ),
        _("Signed."),
    )


@require_POST
def issue(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "issue",
        Form,
        lambda d, u, data: driver.run_step(
            decision=d, user=u, action=lambda: services.issue_decision(actor=u, decision=d)
        ),
        _("The decision was issued."),
    )


@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "withdraw",
        ReasonForm,
        lambda d, u, data: driver.withdraw(decision=d, user=u, reason=data["reason"]),
        _("The draft was withdrawn."),
    )


@require_POST
def void(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "void",
        ReasonForm,
        lambda d, u, data: services.void_decision(actor=u, decision=d, reason=data["reason"]),
        _("The decision was voided; its number stays void in the register."),
    )
