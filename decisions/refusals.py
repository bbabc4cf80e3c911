"""One mapping from refusals to responses, for every view.

- A `ValidationError` that a view lets through (a service refusing a wrong state, a bad
  number from `decisions.parsing`, …) becomes a 400 with its Vietnamese message: on the
  decision's page when a step on a decision was posted (as a form error would be), on a
  plain page otherwise. Views that show the error inside a bound form (the flow's steps, the
  editor) still catch it themselves.
- `PermissionDenied` (`permissions.NotAllowed`) and `Http404` are Django's own: 403 and 404.
- An address (path or query string) with control characters is refused before any view
  runs: NUL cannot reach PostgreSQL, whatever the view does with the value. Posted fields
  are checked by the forms (`forms.CleanTextMixin`) and the editor's parsing, with a
  message on the field.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext as _

from decisions.text import has_control_characters

# The routes of the steps posted from a decision's page (its id is `pk`).
DECISION_PAGE_ROUTE = "decisions/<id:pk>/"


class RefusalMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if _address_has_control_characters(request):
            return bad_request(
                request, [_("The address contains characters that are not allowed.")]
            )
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, ValidationError):
            return None
        reasons = [str(message) for message in exception.messages]
        match = request.resolver_match
        if (
            request.method == "POST"
            and match is not None
            and match.route.startswith(DECISION_PAGE_ROUTE)
        ):
            from decisions import selectors
            from decisions.views import render_detail

            try:
                decision = selectors.get_decision_for(request.user, match.kwargs["pk"])
            except Http404:
                return bad_request(request, reasons)
            messages.error(request, " ".join(reasons))
            return render_detail(request, decision, status=400)
        return bad_request(request, reasons)


def bad_request(request: HttpRequest, reasons: list[str]) -> HttpResponse:
    """The 400 page, saying why."""
    return render(request, "400.html", {"reasons": reasons}, status=400)


def _address_has_control_characters(request: HttpRequest) -> bool:
    if has_control_characters(request.path):
        return True
    return any(
        has_control_characters(key) or has_control_characters(value)
        for key, values in request.GET.lists()
        for value in values
    )
