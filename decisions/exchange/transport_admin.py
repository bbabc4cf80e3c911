"""Exchange partners (secrets are set with `manage.py exchange_partner`, never shown), the
packages sent to them and the status messages owed to them, in the admin."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from decisions.models import ExchangePartner, OutgoingStatus, SentPackage


@admin.register(ExchangePartner)
class ExchangePartnerAdmin(admin.ModelAdmin):
    list_display = ("name", "transport", "url", "active", "key_id", "secret_set_at")
    list_filter = ("transport", "active")
    search_fields = ("name", "url")
    fields = ("name", "transport", "url", "active", "key_id", "secret_set_at")
    readonly_fields = ("key_id", "secret_set_at")


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(SentPackage)
class SentPackageAdmin(ReadOnly):
    list_display = (
        "document_id",
        "partner",
        "status",
        "attempts",
        "next_try",
        "last_status_code",
        "last_status_at",
    )
    list_filter = ("status", "partner", "last_status_code")
    search_fields = ("document_id",)


@admin.register(OutgoingStatus)
class OutgoingStatusAdmin(ReadOnly):
    list_display = ("document_id", "code", "partner", "attempts", "sent_at", "gave_up_at")
    list_filter = ("code", "partner")
    search_fields = ("document_id",)
