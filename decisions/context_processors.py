"""What every page's frame shows: the number of unread incoming decisions."""

from __future__ import annotations

from django.http import HttpRequest

from decisions import permissions, selectors


def navigation(request: HttpRequest) -> dict[str, int]:
    match = getattr(request, "resolver_match", None)
    if match is not None and match.namespace == "public":
        return {}  # public pages never load the session (templates/decisions/public/base.html)
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"nav_unread": selectors.unread_count(user), **_incoming(user)}


def _incoming(user: permissions.AnyUser) -> dict[str, int]:
    """The incoming register's links, for people with an incoming role."""
    from decisions import incoming_views

    if not permissions.organization_ids_where(user, permissions.SEE_INCOMING):
        return {}
    counts = incoming_views.waiting_counts(user)
    return {
        "nav_incoming": 1,
        "nav_incoming_waiting": counts["waiting"],
        "nav_incoming_overdue": counts["overdue"],
    }
