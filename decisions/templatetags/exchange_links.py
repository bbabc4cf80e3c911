"""Links to the edXML pages for the văn thư (decisions/exchange): one tag per page that
shows them, so the shared templates carry one line each."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from decisions import permissions
from decisions.models import Decision

register = template.Library()


@register.simple_tag(takes_context=True)
def edxml_packages_link(context: dict[str, Any], decision: Decision) -> str:
    """On an issued decision's page, for its văn thư: "Tải gói edXML"."""
    user = context["request"].user
    if decision.status != Decision.Status.ISSUED or not permissions.can_issue(user, decision):
        return ""
    return format_html(
        '<p class="edxml-link"><a href="{}">{}</a></p>',
        reverse("decisions:exchange_packages", args=[decision.pk]),
        _("Download the edXML package"),
    )


@register.simple_tag(takes_context=True)
def edxml_upload_link(context: dict[str, Any]) -> str:
    """On the incoming page, for a văn thư: "Nhận gói edXML"."""
    user = context["request"].user
    if not user.is_authenticated or not permissions.organization_ids_where(
        user, permissions.REGISTER_INCOMING
    ):
        return ""
    return format_html(
        '<p class="edxml-link"><a href="{}">{}</a></p>',
        reverse("decisions:exchange_upload"),
        _("Receive an edXML package"),
    )
