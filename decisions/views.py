"""Read views: HTTP only; queries come from selectors, rules from permissions."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from decisions import permissions, selectors
from decisions.content import DraftContent


def home(request: HttpRequest) -> HttpResponse:
    """The user's decisions and his roles in each body."""
    page = Paginator(selectors.decision_list_for(request.user), 25).get_page(
        request.GET.get("page")
    )
    organizations = permissions.organizations_with_roles(request.user)
    return render(
        request,
        "decisions/home.html",
        {"page": page, "organizations": organizations},
    )


def decision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One decision, its content and its history (404 if the user may not see it)."""
    decision = selectors.get_decision_for(request.user, pk)
    return render(
        request,
        "decisions/decision_detail.html",
        {
            "decision": decision,
            "content": DraftContent.of(decision),
            "events": decision.events.select_related("actor"),
        },
    )
