"""Drafting: create and update a draft, its annexes, the links of its Nơi nhận lines."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from decisions import events, jobs, lifecycle, permissions
from decisions.content import DraftContent, validate_content
from decisions.models import (
    Attachment,
    Decision,
    DecisionEvent,
    DecisionVersion,
    Organization,
    Recipient,
    RecipientGroup,
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
    _write_content(decision, content, actor)
    events.record(decision, event, actor=actor)
    return decision


@transaction.atomic
def update_draft(*, actor: User, decision: Decision, content: DraftContent) -> Decision:
    """Replace the content of a draft: its drafter while it is a draft, or the office
    (Chánh Văn phòng) while it checks it (it "may correct").

    Locks the decision row. Records an "updated" event and refreshes this round's version.
    """
    decision = lifecycle.begin("edit", decision=decision, actor=actor)
    validate_content(content, issuer=decision.issuer)
    _write_content(decision, content, actor)
    events.record(decision, DecisionEvent.Kind.UPDATED, actor=actor)
    return decision


@transaction.atomic
def add_attachment(
    *, actor: User, decision: Decision, title: str, file: UploadedFile
) -> Attachment:
    """Attach an annex to a draft (type and size validated)."""
    decision = lifecycle.begin("edit", decision=decision, actor=actor)
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
    """Remove an annex from a draft; a worker deletes the file once this commits."""
    decision = lifecycle.begin("edit", decision=attachment.decision, actor=actor)
    name, title = attachment.file.name, attachment.title
    attachment.delete()
    events.record(decision, DecisionEvent.Kind.ATTACHMENT_REMOVED, actor=actor, title=title)
    jobs.delete_file.enqueue(name)
    return decision


def _write_content(decision: Decision, content: DraftContent, actor: User) -> None:
    """Save `content` onto `decision` (fields, recipients, this round's version)."""
    decision.document_type = content.document_type
    decision.authority = content.authority
    decision.authority_line = content.authority_line.strip()
    decision.subject = content.subject.strip()
    decision.legal_bases = [basis.strip() for basis in content.legal_bases]
    decision.proposer = content.proposer.strip()
    decision.articles = content.articles_as_json()
    decision.annexes = content.annexes_as_json()
    decision.parts = content.parts or None
    decision.affects, decision.effect = content.affects, content.effect
    decision.urgency = content.urgency
    decision.confidentiality = content.confidentiality
    decision.sector = content.sector
    decision.drafter_initials = content.drafter_initials.strip()
    decision.copies = content.copies
    decision.number_year = content.number_year
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
        defaults={"content": content.snapshot(), "saved_by": actor},
    )


# --- The approval flow ----------------------------------------------------------
# Each step locks the decision, checks who (403) and then state (400), changes it, records it.


@dataclass(frozen=True)
class RecipientLinks:
    """The directory entries one Nơi nhận line delivers to."""

    bodies: list[int] = field(default_factory=list)
    people: list[int] = field(default_factory=list)
    groups: list[int] = field(default_factory=list)


@transaction.atomic
def link_recipients(
    *, actor: User, decision: Decision, links: dict[int, RecipientLinks]
) -> Decision:
    """Link each printed Nơi nhận entry to the directory bodies, people and groups who receive
    it (a "Như Điều N" entry to the bodies that article names). The archive entry links to no
    one. `links` maps a recipient id to its links."""
    decision = lifecycle.begin("edit", decision=decision, actor=actor)
    entries = {recipient.pk: recipient for recipient in decision.recipients.all()}
    wanted = RecipientLinks(
        sorted({pk for link in links.values() for pk in link.bodies}),
        sorted({pk for link in links.values() for pk in link.people}),
        sorted({pk for link in links.values() for pk in link.groups}),
    )
    known = (
        Organization.objects.filter(active=True, pk__in=wanted.bodies).count(),
        User.objects.filter(is_active=True, pk__in=wanted.people).count(),
        RecipientGroup.objects.filter(active=True, pk__in=wanted.groups).count(),
    )
    if known != (len(wanted.bodies), len(wanted.people), len(wanted.groups)):
        raise ValidationError(_("Choose bodies and people from the directory."))
    for recipient_id, link in links.items():
        recipient = entries.get(recipient_id)
        if recipient is None:
            raise ValidationError(_("This recipient entry does not belong to the decision."))
        if recipient.is_archive and (link.bodies or link.people or link.groups):
            raise ValidationError(_("The archive entry (“Lưu: …”) delivers to no one."))
        recipient.organizations.set(link.bodies)
        recipient.users.set(link.people)
        recipient.groups.set(link.groups)
    events.record(decision, DecisionEvent.Kind.UPDATED, actor=actor, recipient_links=len(links))
    return decision
