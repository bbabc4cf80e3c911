"""Read views: HTTP only; queries come from selectors, rules from permissions."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET

from decisions import permissions, rendering, selectors
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


@require_GET
@xframe_options_sameorigin
def decision_pdf(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The PDF, inline for the preview or as a download (?download=1); 404 if not visible.

    An issued decision is served from its stored file, byte for byte; any other is rendered now.
    """
    decision = selectors.get_decision_for(request.user, pk)
    filename = selectors.pdf_filename(decision)
    as_attachment = request.GET.get("download") == "1"
    if decision.pdf:
        return FileResponse(
            decision.pdf.open("rb"),
            as_attachment=as_attachment,
            filename=filename,
            content_type="application/pdf",
        )
    response = HttpResponse(rendering.render_decision_pdf(decision), content_type="application/pdf")
    disposition = "attachment" if as_attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
