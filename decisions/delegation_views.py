"""The delegations and absences in force, for the office and the leaders of a body."""

from __future__ import annotations

from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from decisions import delegation as delegation_rules
from decisions import permissions
from decisions.models import Absence


def delegation_list(request: HttpRequest) -> HttpResponse:
    """Who signs TL., TUQ. or Q. today in the bodies the user oversees (and his own), and the
    leaders away now or soon with their substitutes."""
    user = request.user
    overseen = permissions.organization_ids_where(user, permissions.VIEW_ALL)
    delegations = (
        delegation_rules.current()
        .filter(Q(organization_id__in=overseen) | Q(delegate_id=user.pk))
        .prefetch_related("sectors", "document_types")
    )
    rows = [
        {
            "delegation": delegation,
            "lines": delegation_rules.signature_lines(
                delegation, authority="individual", issuer=delegation.organization
            ),
        }
        for delegation in delegations
    ]
    absences = (
        Absence.objects.filter(
            organization_id__in=overseen, ends_at__gt=timezone.now(), closed_at__isnull=True
        )
        .select_related("organization", "leader", "substitute")
        .order_by("starts_at")
    )
    return render(request, "decisions/delegation/list.html", {"rows": rows, "absences": absences})
