"""Middleware of our own (wiring only)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequired
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import render


class LoginRequiredMiddleware(DjangoLoginRequired):
    """Django's, asking the view first: a page marked `login_not_required` (the public check,
    the health checks) never loads the session and the user to find out who is asking."""

    def process_view(
        self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: Any
    ) -> HttpResponseBase | None:
        if not getattr(view_func, "login_required", True):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


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
