"""Templates of common decisions: saving a draft as one, and opening one in the editor.

A template's `content` is the draft's JSON shape (`DraftContent.snapshot()`) without what
belongs to one decision only: directory links, the earlier decision it affects, its field of
responsibility, drafter initials, copies and the year in its number.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from decisions import permissions
from decisions.content import Annex, Article, DraftContent, RecipientEntry
from decisions.models import Decision, DecisionTemplate, DocumentType, Organization, User

KEPT = (
    "document_type",
    "authority",
    "authority_line",
    "subject",
    "legal_bases",
    "proposer",
    "articles",
    "urgency",
    "confidentiality",
    "annexes",
)
MAX_NAME = 200


def template_json(content: DraftContent) -> dict[str, Any]:
    """What a template keeps of a draft's content."""
    snapshot = content.snapshot()
    kept = {key: snapshot[key] for key in KEPT}
    kept["recipients"] = [{"text": entry.text} for entry in content.recipients]
    return kept


def content_of(template: DecisionTemplate) -> DraftContent:
    """The template as a new draft's content for its body. Raises ValidationError when its
    document type is not configured (any more)."""
    data = template.content
    document_type = DocumentType.objects.filter(abbreviation=data.get("document_type")).first()
    if document_type is None:
        raise ValidationError(
            _("The template's document type “%(type)s” is not configured.")
            % {"type": data.get("document_type")}
        )
    return DraftContent(
        document_type=document_type,
        authority=data.get("authority", Decision.Authority.COLLECTIVE),
        authority_line=data.get("authority_line", ""),
        subject=data.get("subject", ""),
        legal_bases=list(data.get("legal_bases", [])),
        proposer=data.get("proposer", ""),
        articles=[Article.from_dict(item) for item in data.get("articles", [])],
        recipients=[RecipientEntry(text=item["text"]) for item in data.get("recipients", [])],
        urgency=data.get("urgency", ""),
        confidentiality=data.get("confidentiality", ""),
        annexes=[Annex(**item) for item in data.get("annexes", [])],
    )


def templates_for(user: permissions.AnyUser, issuer: Organization) -> QuerySet[DecisionTemplate]:
    """The active templates of `issuer`, if `user` drafts for it."""
    if not permissions.holds(user, permissions.DRAFT, issuer):
        return DecisionTemplate.objects.none()
    return DecisionTemplate.objects.filter(body=issuer, active=True).order_by("name")


def usable_template(user: permissions.AnyUser, pk: int) -> DecisionTemplate | None:
    """An active template of a body `user` drafts for, or None (the view answers 404)."""
    bodies = permissions.organization_ids_where(user, permissions.DRAFT)
    return (
        DecisionTemplate.objects.select_related("body")
        .filter(pk=pk, active=True, body_id__in=bodies, body__active=True, body__is_issuer=True)
        .first()
    )


def may_save_template(user: permissions.AnyUser, decision: Decision) -> bool:
    """The Chánh Văn phòng of the issuing body keeps its templates."""
    return permissions.holds(user, permissions.PROPOSE, decision.issuer)


@transaction.atomic
def save_as_template(*, actor: User, decision: Decision, name: str) -> DecisionTemplate:
    """Keep `decision`'s content as a template of its body under `name`; a template of that
    name is replaced. Raises NotAllowed (403) or ValidationError (a bad name)."""
    if not may_save_template(actor, decision):
        raise permissions.NotAllowed(_("Only the chief of the office keeps the body's templates."))
    if decision.confidentiality:  # a template is offered to every drafter of the body
        raise ValidationError({"name": _("A confidential decision cannot be kept as a template.")})
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": _("Give the template a name.")})
    if len(name) > MAX_NAME:
        raise ValidationError(
            {
                "name": _("The name is too long (at most %(limit)d characters).")
                % {"limit": MAX_NAME}
            }
        )
    template, _created = DecisionTemplate.objects.update_or_create(
        body=decision.issuer,
        name=name,
        defaults={
            "content": template_json(DraftContent.of(decision)),
            "active": True,
            "created_by": actor,
        },
    )
    return template
