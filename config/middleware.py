"""Middleware of our own (wiring only)."""

from __future__ import annotations

from typing import Any

from csp.constants import SELF
from csp.middleware import CSPMiddleware, PolicyParts
from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequired
from django.http import HttpRequest, HttpResponseBase

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
