"""Our error pages (wiring only): Vietnamese, for our views, viewflow's and the admin.

The templates are templates/400.html, 403.html, 403_csrf.html, 404.html and 500.html; the
project's templates/ folder is searched before the apps', so they win over viewflow's own
error templates and Django's built-in English ones.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import REASON_NO_CSRF_COOKIE
from django.shortcuts import render

from decisions.permissions import NotAllowed


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    """403. The reason is shown only when it is ours (a translated `NotAllowed` message), never
    the English text a library may have put in its `PermissionDenied`."""
    reason = str(exception) if isinstance(exception, NotAllowed) else ""
    return render(request, "403.html", {"reason": reason}, status=403)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: a form sent with a missing or stale token (403), nothing changed."""
    no_cookie = reason == REASON_NO_CSRF_COOKIE
    return render(request, "403_csrf.html", {"no_cookie": no_cookie}, status=403)
