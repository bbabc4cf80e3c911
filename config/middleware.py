"""Middleware of our own (wiring only)."""

from __future__ import annotations

from typing import Any

from csp.constants import SELF
from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequired
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import render, resolve_url

# The policy of a PDF shown in the browser. Chrome shows a PDF in a page it makes around the
# file, with inline styles and an <embed> of its viewer, which the pages' policy (no inline
# style, object-src 'none') would block (crbug.com/271452); a PDF runs none of our scripts, so
# only who may frame it is said: our own pages (the preview on a decision's page, the editor).
PDF_POLICY = {"frame-ancestors": [SELF]}


class LoginRequiredMiddleware(DjangoLoginRequired):
    """Django's, asking the view first: a page marked `login_not_required` (the public check,
    the health checks) never loads the session and the user to find out who is asking."""

    def process_view(
        self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: Any
    ) -> HttpResponseBase | None:
        if not getattr(view_func, "login_required", True):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class TwoFactorMiddleware:
    """Two-step sign-in (decisions/sign_in.py): after the password, a person with an
    authenticator app is sent to give a code, a person who must use it and has none is sent to
    set it up; until then only those pages and logging out are open. Runs after django-otp's
    OTPMiddleware (`request.user.is_verified()`) and our LoginRequiredMiddleware."""

    OPEN = frozenset(
        {"logout", "two_factor_verify", "two_factor_enrol", "two_factor_recovery_codes"}
    )

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response: HttpResponseBase = self.get_response(request)
        return response

    def process_view(
        self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: Any
    ) -> HttpResponseBase | None:
        from decisions import sign_in

        if not getattr(view_func, "login_required", True):
            return None
        user: Any = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        match = request.resolver_match
        if match is not None and match.url_name in self.OPEN:
            return None
        state = request.session.get(sign_in.SESSION_KEY)
        if state is None:  # a session from before this rule: decide now, once
            state = request.session[sign_in.SESSION_KEY] = sign_in.two_factor_state(user)
        if state == sign_in.NOT_NEEDED:
            return None
        page = "two_factor_verify" if state == sign_in.VERIFY else "two_factor_enrol"
        return redirect_to_login(request.get_full_path(), resolve_url(page), "next")


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's, with the PDF policy above for PDF responses (settings:
    CONTENT_SECURITY_POLICY for everything else)."""

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if response.get("Content-Type", "").startswith("application/pdf"):
            parts.config = PDF_POLICY
        return parts


class RequestSizeLimitMiddleware:
    """Answer 413 to a request whose Content-Length is above the limit of its URL
    (DECISIONS_REQUEST_MAX_BYTES, longest path prefix), before anything reads its body: a
    500 MB upload is refused at once instead of being streamed to a temporary file first.
    Placed first. A chunked body (no Content-Length) is left to Django's and the forms' own
    size checks."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        limit = limit_for(request.path_info)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit:
            response = render(
                None,
                "413.html",
                {"limit_mb": limit // (1024 * 1024), "length_mb": -(-length // (1024 * 1024))},
                status=413,
            )
            response["Connection"] = "close"  # the unread body is not drained
            return response
        return self.get_response(request)


def limit_for(path: str) -> int:
    """The largest request body (bytes) accepted for `path`."""
    limits: dict[str, int] = settings.DECISIONS_REQUEST_MAX_BYTES
    prefix = max((p for p in limits if path.startswith(p)), key=len)
    return limits[prefix]


class RenderTimeoutMiddleware:
    """A PDF render stopped for taking too long (rendering.RenderTimeout, wherever it happens:
    a draft's view, its preview, the signature) becomes a 503 page saying so; the service's
    transaction has already rolled back."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> Any:
        from decisions.rendering import RenderTimeout

        if not isinstance(exception, RenderTimeout):
            return None
        response = render(
            request, "render_timeout.html", {"seconds": round(exception.seconds)}, status=503
        )
        response["Retry-After"] = "60"
        return response
