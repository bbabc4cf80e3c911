"""The administrator's screens for delegations (TL., TUQ., Q.) and their history.

A delegation is recorded through `services.record_delegation` (grantor's right, no
re-delegation, history) and never edited afterwards: it is ended (with a reason) and a new one
recorded, so that what was signed under it stays explained. Absences are in workflow/admin.py
(they move workflow tasks).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from decisions import delegation as delegation_rules
from decisions import services
from decisions.forms import CleanTextMixin
from decisions.models import Delegation, DelegationEvent


class DelegationForm(CleanTextMixin, forms.ModelForm):
    class Meta:
        model = Delegation
        fields = (
            "organization",
            "kind",
            "grantor",
            "delegate",
            "delegate_title",
            "sectors",
            "document_types",
            "starts_on",
            "ends_on",
            "document_reference",
            "document",
        )

    def clean(self) -> dict[str, Any]:
        """The grantor's right to delegate, and no re-delegation (decisions/delegation.py)."""
        data: dict[str, Any] = super().clean() or {}
        needed = ("organization", "kind", "delegate", "starts_on")
        if self.instance.pk is None and all(data.get(name) for name in needed):
            fields = (*needed, "grantor", "ends_on")
            delegation_rules.check_grant(Delegation(**{name: data.get(name) for name in fields}))
        return data


@admin.register(Delegation)
class DelegationAdmin(admin.ModelAdmin):
    """Delegations of signature: recorded once, ended with a reason, never edited."""

    form = DelegationForm
    list_display = (
        "organization",
        "kind",
        "delegate",
        "grantor",
        "starts_on",
        "ends_on",
        "document_reference",
        "ended_at",
    )
    list_filter = ("kind", "organization")
    search_fields = ("delegate__full_name", "delegate__username", "document_reference")
    autocomplete_fields = ("grantor", "delegate", "document")
    actions = ("end_now",)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return ("recorded_by", "recorded_at", "ended_at", "end_reason")
        return [field.name for field in Delegation._meta.get_fields() if field.concrete] + [
            "sectors",
            "document_types",
        ]

    def save_model(self, request: HttpRequest, obj: Delegation, form: Any, change: bool) -> None:
        if change:
            return  # never edited
        services.record_delegation(
            actor=request.user,  # type: ignore[arg-type]
            delegation=obj,
            sectors=form.cleaned_data.get("sectors") or (),
            document_types=form.cleaned_data.get("document_types") or (),
        )

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """The scope was saved with the delegation by the service."""

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description=_("End the selected delegations now"))
    def end_now(self, request: HttpRequest, queryset: QuerySet[Delegation]) -> None:
        ended = 0
        for delegation in queryset.filter(ended_at__isnull=True):
            try:
                services.end_delegation(
                    actor=request.user,  # type: ignore[arg-type]
                    delegation=delegation,
                    reason=str(_("Ended by the administrator")),
                )
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
            else:
                ended += 1
        self.message_user(request, _("%(count)d delegations ended.") % {"count": ended})


@admin.register(DelegationEvent)
class DelegationEventAdmin(admin.ModelAdmin):
    """Delegations recorded and ended, absences recorded and over: read only."""

    list_display = ("at", "kind", "organization", "delegation", "absence", "actor")
    list_filter = ("kind",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
