"""What every page's frame shows: the number of unread incoming decisions."""

from __future__ import annotations

from django.http import HttpRequest

from decisions import selectors


def navigation(request: HttpRequest) -> dict[str, int]:
    match = getattr(request, "resolver_match", None)
    if match is not None and match.namespace == "public":
        return {}  # public pages never load the session (templates/decisions/public/base.html)
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"nav_unread": selectors.unread_count(user)}
