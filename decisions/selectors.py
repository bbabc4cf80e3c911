"""Every non-trivial read: what a view, a template or the PDF depends on."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from decisions import permissions
from decisions.models import Decision


def decision_list_for(user: permissions.AnyUser) -> QuerySet[Decision]:
    """The decisions `user` may see, with what a list row prints, newest first."""
    return permissions.decisions_visible_to(user).select_related(
        "issuer", "document_type", "drafter"
    )


def get_decision_for(user: permissions.AnyUser, pk: int) -> Decision:
    """The decision `pk` if `user` may see it; Http404 otherwise (existence is not leaked)."""
    decision = (
        decision_list_for(user).select_related("signer", "sector", "register").filter(pk=pk).first()
    )
    if decision is None:
        raise Http404(_("No such decision."))
    return decision
