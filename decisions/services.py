"""Every write to the decision domain. Each service checks permission and state itself,
owns its transaction, records an event and leaves side effects for after commit.

Errors: `permissions.NotAllowed` (403) when the user may not act; `ValidationError` with
Vietnamese messages when the input or the state is wrong. Nothing is saved on error.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from decisions import events, permissions
from decisions.content import DraftContent, validate_content
from decisions.models import (
    Attachment,
    Decision,
    DecisionEvent,
    DecisionVersion,
    Organization,
    Recipient,
    User,
    validate_attachment_file,
)


@transaction.atomic
def create_draft(
    *,
    actor: User,
    issuer: Organization,
    content: DraftContent,
    event: DecisionEvent.Kind = DecisionEvent.Kind.CREATED,
) -> Decision:
    """Start a draft (dự thảo) for `issuer` with `actor` as its drafter.

    Raises NotAllowed unless `actor` may draft for `issuer`; ValidationError for bad content.
    Records `event` (created, or imported) and the round-1 version.
    """
    if not permissions.can_create_draft(actor, issuer):
        raise permissions.NotAllowed(_("You may not draft decisions for this body."))
    validate_content(content, issuer=issuer)
    decision = Decision(issuer=issuer, drafter=actor)
    _write_content(decision, content)
    events.record(decision, event, actor=actor)
    return decision


@transaction.atomic
def update_draft(*, actor: User, decision: Decision, content: DraftContent) -> Decision:
    """Replace the content of a draft. Only its drafter may, and only while it is a draft.

    Locks the decision row. Records an "updated" event and refreshes this round's version.
    """
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    _check_editable(actor, decision)
    validate_content(content, issuer=decision.issuer)
    _write_content(decision, content)
    events.record(decision, DecisionEvent.Kind.UPDATED, actor=actor)
    return decision


@transaction.atomic
def add_attachment(
    *, actor: User, decision: Decision, title: str, file: UploadedFile
) -> Attachment:
    """Attach an annex to a draft (type and size validated)."""
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    _check_editable(actor, decision)
    title = title.strip() or (file.name or "")
    attachment = Attachment(
        decision=decision, title=title, file=file, size=file.size or 0, uploaded_by=actor
    )
    validate_attachment_file(file)
    attachment.full_clean(exclude=["file"])
    attachment.save()
    events.record(
        decision,
        DecisionEvent.Kind.ATTACHMENT_ADDED,
        actor=actor,
        title=title,
        size=attachment.size,
    )
    return attachment


@transaction.atomic
def remove_attachment(*, actor: User, attachment: Attachment) -> Decision:
    """Remove an annex from a draft; the file is deleted after commit."""
    decision = Decision.objects.select_for_update().get(pk=attachment.decision_id)
    _check_editable(actor, decision)
    storage, name, title = attachment.file.storage, attachment.file.name, attachment.title
    attachment.delete()
    events.record(decision, DecisionEvent.Kind.ATTACHMENT_REMOVED, actor=actor, title=title)
    transaction.on_commit(lambda: storage.delete(name))
    return decision


def _check_editable(actor: User, decision: Decision) -> None:
    if decision.status not in permissions.EDITABLE_STATUSES or decision.is_frozen:
        raise ValidationError(
            _("This decision is “%(status)s” and can no longer be edited.")
            % {"status": decision.get_status_display()}
        )
    if not permissions.can_edit_draft(actor, decision):
        raise permissions.NotAllowed(_("Only the drafter may edit this draft."))


def _write_content(decision: Decision, content: DraftContent) -> None:
    """Save `content` onto `decision` (fields, recipients, this round's version)."""
    decision.document_type = content.document_type
    decision.authority = content.authority
    decision.authority_line = content.authority_line.strip()
    decision.subject = content.subject.strip()
    decision.legal_bases = [basis.strip() for basis in content.legal_bases]
    decision.proposer = content.proposer.strip()
    decision.articles = content.articles_as_json()
    decision.annexes = content.annexes_as_json()
    decision.urgency = content.urgency
    decision.confidentiality = content.confidentiality
    decision.sector = content.sector
    decision.drafter_initials = content.drafter_initials.strip()
    decision.copies = content.copies
    decision.full_clean(exclude=["drafter", "issuer"])
    decision.save()

    decision.recipients.all().delete()
    for position, entry in enumerate(content.recipients, start=1):
        recipient = Recipient.objects.create(
            decision=decision,
            position=position,
            text=entry.text.strip(),
            same_as_article=entry.article_reference(),
        )
        if entry.organization_ids:
            recipient.organizations.set(entry.organization_ids)
        if entry.user_ids:
            recipient.users.set(entry.user_ids)

    DecisionVersion.objects.update_or_create(
        decision=decision,
        round=decision.revision,
        defaults={"content": content.snapshot(), "saved_by": decision.drafter},
    )
