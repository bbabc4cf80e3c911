"""{% drafter_templates issuers as templates %}: the active templates of the bodies listed
that the user drafts for (the "new from a template" box of the new-draft page)."""

from __future__ import annotations

from typing import Any

from django import template

from decisions import selectors
from decisions.models import DecisionTemplate
from decisions.templates_lib import templates_for

register = template.Library()


@register.simple_tag(takes_context=True)
def drafter_templates(context: dict[str, Any], issuers: list[Any]) -> list[DecisionTemplate]:
    user = selectors.acting_user(context["request"].user)
    found: list[DecisionTemplate] = []
    for issuer in issuers:
        found += list(templates_for(user, issuer).select_related("body"))
    return found


@register.simple_tag(takes_context=True)
def may_save_template(context: dict[str, Any], decision: Any) -> bool:
    """{% may_save_template decision as allowed %}: the Chánh Văn phòng of its body."""
    from decisions.templates_lib import may_save_template as allowed

    return allowed(selectors.acting_user(context["request"].user), decision)
