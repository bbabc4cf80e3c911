"""Received edXML packages in the admin: read only (what arrived, what became of it)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from decisions.models import ReceivedPackage


@admin.register(ReceivedPackage)
class ReceivedPackageAdmin(admin.ModelAdmin):
    list_display = (
        "received_at",
        "status",
        "refusal_code",
        "sender_identifier",
        "document_id",
        "via",
        "partner",
    )
    list_filter = ("status", "via", "refusal_code")
    search_fields = ("document_id", "sender_identifier", "sha256")
    date_hierarchy = "received_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
