"""Every write to the decision domain. Each service checks permission and state itself,
owns its transaction, records an event and leaves side effects for after commit.

Errors: `permissions.NotAllowed` (403) when the user may not act; `ValidationError` with
Vietnamese messages when the input or the state is wrong. Nothing is saved on error.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from decisions import calendar, events, lifecycle, notifications, permissions
from decisions.content import DraftContent, validate_content
from decisions.models import (
    Attachment,
    Decision,
    DecisionEvent,
    DecisionVersion,
    Delivery,
    Organization,
    Recipient,
    RecipientGroup,
    Register,
    StepRecord,
    User,
    validate_attachment_file,
)
from decisions.text import fold


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
    """Remove an annex from a draft; the file is deleted after commit."""
    decision = lifecycle.begin("edit", decision=attachment.decision, actor=actor)
    storage, name, title = attachment.file.storage, attachment.file.name, attachment.title
    attachment.delete()
    events.record(decision, DecisionEvent.Kind.ATTACHMENT_REMOVED, actor=actor, title=title)
    transaction.on_commit(lambda: storage.delete(name))
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


def _require_reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Give a reason."), code="reason_required")
    if len(reason) > 2000:
        raise ValidationError(_("The reason is too long (at most 2000 characters)."))
    return reason


@transaction.atomic
def submit_draft(*, actor: User, decision: Decision, note: str = "") -> Decision:
    """The drafter submits (trình) his draft: to the unit head if the body asks for that
    check (NĐ 30, Điều 12), otherwise to the office. Records this round's version."""
    decision = lifecycle.begin("submit", decision=decision, actor=actor)
    validate_content(DraftContent.of(decision), issuer=decision.issuer)
    lifecycle.move(
        decision,
        "submit",
        actor=actor,
        to=(
            Decision.Status.UNIT_CHECK
            if decision.issuer.unit_check_required
            else Decision.Status.PROPOSAL
        ),
    )
    decision.save(update_fields=["status", "updated_at"])
    _snapshot_version(decision, actor)
    events.record(
        decision,
        DecisionEvent.Kind.SUBMITTED,
        actor=actor,
        note=note.strip(),
        round=decision.revision,
    )
    return decision


@transaction.atomic
def check_draft(*, actor: User, decision: Decision, note: str = "") -> Decision:
    """The head of the drafting unit agrees with the content; it goes to the office."""
    decision = lifecycle.begin("check", decision=decision, actor=actor)
    lifecycle.move(decision, "check", actor=actor)
    decision.save(update_fields=["status", "updated_at"])
    events.record(decision, DecisionEvent.Kind.CHECKED, actor=actor, note=note.strip())
    return decision


@transaction.atomic
def propose_decision(*, actor: User, decision: Decision, signer: User, note: str = "") -> Decision:
    """The Chánh Văn phòng initials the draft (ký nháy) and proposes it to a leader who may
    sign it: the chair, or the vice chair in charge of its field."""
    decision = lifecycle.begin("propose", decision=decision, actor=actor)
    if not permissions.may_sign(signer, decision, delegated=False):
        raise ValidationError(
            _(
                "%(name)s may not sign this decision (not a leader of the body, or not in charge "
                "of its field)."
            )
            % {"name": signer},
            code="signer",
        )
    decision.signer, decision.signer_delegated = signer, False
    lifecycle.move(decision, "propose", actor=actor)
    decision.save(update_fields=["signer", "signer_delegated", "status", "updated_at"])
    events.record(
        decision,
        DecisionEvent.Kind.PROPOSED,
        actor=actor,
        note=note.strip(),
        signer=signer.pk,
        signer_name=str(signer),
        initialed=True,
    )
    return decision


@transaction.atomic
def hand_over(*, actor: User, decision: Decision, to: User, note: str = "") -> Decision:
    """The reviewing leader hands the draft to another leader (a vice chair to the chair;
    the chair to a vice chair, who may then sign outside his fields)."""
    decision = lifecycle.begin("hand_over", decision=decision, actor=actor)
    delegated = permissions.holds(actor, permissions.SIGN_ANY, decision.issuer)
    if to.pk == actor.pk or not permissions.may_sign(to, decision, delegated=delegated):
        raise ValidationError(
            _("%(name)s may not take over this decision.") % {"name": to}, code="signer"
        )
    decision.signer, decision.signer_delegated = to, delegated
    decision.save(update_fields=["signer", "signer_delegated", "updated_at"])
    events.record(
        decision,
        DecisionEvent.Kind.HANDED_OVER,
        actor=actor,
        note=note.strip(),
        to=to.pk,
        to_name=str(to),
    )
    return decision


@transaction.atomic
def approve_decision(*, actor: User, decision: Decision, note: str = "") -> Decision:
    """The leader approves the final text for signature (NĐ 30, Điều 11)."""
    decision = lifecycle.begin("review", decision=decision, actor=actor)
    lifecycle.move(decision, "review", actor=actor)
    decision.save(update_fields=["status", "updated_at"])
    events.record(decision, DecisionEvent.Kind.APPROVED, actor=actor, note=note.strip())
    return decision


@transaction.atomic
def sign_decision(*, actor: User, decision: Decision, pin: str) -> Decision:
    """The leader signs (NĐ 30, Điều 13): the final PDF is rendered now, with the number and
    date as empty form fields and the verification code and QR printed, and he signs it with
    his own key, unlocked by `pin` (password or PIN). Nothing but those fields and the seal
    may change after his signature. The signature block must agree with the authority line."""
    from decisions import numbering, selectors, signature
    from decisions.signing import documents

    decision = lifecycle.begin("sign", decision=decision, actor=actor)
    block = selectors.signature_for(decision)
    signature.check_consistency(
        authority_line=decision.authority_line, lines=block.lines, issuer=decision.issuer
    )
    decision.verification_token = secrets.token_urlsafe(9)
    decision.save(update_fields=["verification_token", "updated_at"])
    doc = dataclasses.replace(
        selectors.pdf_context(decision),
        form_fields=True,
        number_field_sample=numbering.widest_number(decision),
    )
    signed = documents.sign_as_leader(
        doc,
        signer=actor,
        pin=pin,
        diameter_mm=decision.issuer.seal_diameter_mm,
        reason="Ký ban hành",
    )
    with _stored_pdf(decision, "signed_pdf", f"ky-{decision.pk}.pdf", signed.pdf):
        lifecycle.move(decision, "sign", actor=actor)
        decision.save(update_fields=["status", "signed_pdf", "updated_at"])
        events.record(
            decision,
            DecisionEvent.Kind.SIGNED,
            actor=actor,
            signature_lines=list(block.lines),
            signer_name=block.name,
            sha256=hashlib.sha256(signed.pdf).hexdigest(),
            **signed.event_data(),
        )
    return decision


@contextmanager
def _stored_pdf(decision: Decision, field_name: str, filename: str, data: bytes) -> Iterator[None]:
    """Write a PDF to storage and set it on `decision`; delete the file again if the block
    fails (the transaction then rolls back and no row points to it)."""
    field = getattr(decision, field_name)
    stored = field.storage.save(
        field.field.generate_filename(decision, filename), ContentFile(data)
    )
    setattr(decision, field_name, stored)
    try:
        yield
    except BaseException:
        field.storage.delete(stored)
        raise


@transaction.atomic
def return_for_revision(*, actor: User, decision: Decision, reason: str) -> Decision:
    """Send the draft back to its drafter with a reason; revision round N+1 opens."""
    decision = lifecycle.begin("return_", decision=decision, actor=actor)
    reason = _require_reason(reason)
    returned_from = decision.status
    lifecycle.move(decision, "return_", actor=actor)
    decision.revision += 1
    decision.save(update_fields=["status", "revision", "updated_at"])
    _snapshot_version(decision, actor)
    events.record(
        decision,
        DecisionEvent.Kind.RETURNED,
        actor=actor,
        note=reason,
        step=returned_from,
        round=decision.revision,
    )
    decision_id = decision.pk
    transaction.on_commit(lambda: notifications.notify_returned(decision_id=decision_id))
    return decision


@transaction.atomic
def withdraw_draft(*, actor: User, decision: Decision, reason: str) -> Decision:
    """The drafter withdraws his draft before signature; it can no longer move on."""
    decision = lifecycle.begin("withdraw", decision=decision, actor=actor)
    reason = _require_reason(reason)
    lifecycle.move(decision, "withdraw", actor=actor)
    decision.save(update_fields=["status", "updated_at"])
    events.record(decision, DecisionEvent.Kind.WITHDRAWN, actor=actor, note=reason)
    return decision


@transaction.atomic
def issue_decision(*, actor: User, decision: Decision, pin: str) -> Decision:
    """Number, date and seal a signed decision (cấp số, ban hành), then freeze it.

    NĐ 30/2020/NĐ-CP, Điều 15: the number is taken only now, after signature, from the register
    of (issuer, series, year of the issue date in Vietnam time). The number and date are filled
    into the form fields of the PDF the leader signed and the body's seal signature is applied
    with its key, unlocked by `pin` (the seal's PIN). A failure anywhere below (wrong PIN,
    timestamp service down) rolls the whole transaction back and so gives the number back.
    What is printed is frozen in `snapshot` and the PDF is stored with its SHA-256; from then on
    nothing printed can change (services refuse; a database trigger refuses direct updates).
    Lock order: process (the flow's lock) -> decision -> register. Notifies after commit.
    """
    from decisions import numbering, selectors
    from decisions.signing import documents

    decision = lifecycle.begin("issue", decision=decision, actor=actor)
    if not decision.signed_pdf:
        raise ValidationError(_("The leader's signed PDF is missing."), code="not_signed")
    with decision.signed_pdf.open("rb") as stream:
        signed_pdf = stream.read()
    with documents.open_seal(decision.issuer, pin=pin) as sealer:
        issued_at = timezone.now()
        issued_on = timezone.localdate(issued_at)
        register = numbering.register_for(decision=decision, year=issued_on.year)
        number = numbering.allocate_number(register=register)
        decision.register, decision.number = register, number
        decision.reference = numbering.format_reference(
            number=number,
            symbol=decision.symbol,
            year=issued_on.year,
            number_format=(
                Register.NumberFormat.WITH_YEAR if decision.number_year else register.number_format
            ),
        )
        decision.issued_on, decision.issued_at = issued_on, issued_at
        sealed = sealer.fill_and_seal(
            signed_pdf,
            number_text=decision.reference,
            date_text=numbering.format_date_line("", issued_on).removeprefix(", "),
            reason="Ban hành",
        )
    lifecycle.move(decision, "issue", actor=actor)
    decision.snapshot = selectors.printed_snapshot(decision)
    decision.search_text = fold(
        f"{decision.reference} {issued_on:%d/%m/%Y} {decision.document_type.name} "
        f"{decision.subject} {decision.snapshot['issuer_name']}"
    )
    decision.pdf_sha256 = hashlib.sha256(sealed.pdf).hexdigest()
    with _stored_pdf(decision, "pdf", selectors.pdf_filename(decision), sealed.pdf):
        decision.save()
        events.record(
            decision,
            DecisionEvent.Kind.NUMBERED,
            actor=actor,
            register=register.pk,
            number=number,
            reference=decision.reference,
        )
        events.record(decision, DecisionEvent.Kind.SEALED, actor=actor, **sealed.event_data())
        events.record(
            decision,
            DecisionEvent.Kind.ISSUED,
            actor=actor,
            reference=decision.reference,
            issued_on=issued_on.isoformat(),
            sha256=decision.pdf_sha256,
        )
    decision.refresh_from_db()
    decision_id = decision.pk
    transaction.on_commit(lambda: notifications.notify_issued(decision_id=decision_id))
    return decision


@transaction.atomic
def void_decision(*, actor: User, decision: Decision, reason: str) -> Decision:
    """A văn thư withdraws a spoiled issued decision before distribution: its number is void
    (it stays in the register, never reused)."""
    decision = lifecycle.begin("void", decision=decision, actor=actor)
    reason = _require_reason(reason)
    lifecycle.move(decision, "void", actor=actor)
    decision.save(update_fields=["status", "updated_at"])
    events.record(
        decision, DecisionEvent.Kind.VOIDED, actor=actor, note=reason, reference=decision.reference
    )
    return decision


def _snapshot_version(decision: Decision, actor: User) -> None:
    DecisionVersion.objects.update_or_create(
        decision=decision,
        round=decision.revision,
        defaults={"content": DraftContent.of(decision).snapshot(), "saved_by": actor},
    )


@transaction.atomic
def record_pdf_view(*, actor: User, decision: Decision, download: bool) -> None:
    """Who opened or downloaded the PDF, and when, goes into the history."""
    events.record(
        decision,
        DecisionEvent.Kind.PDF_VIEWED,
        actor=actor,
        download=download,
        issued=bool(decision.pdf_sha256),
    )


# --- Distribution (phát hành) --------------------------------------------------


@transaction.atomic
def distribute_decision(*, decision: Decision) -> list[Delivery]:
    """Send an issued decision to every body and person its Nơi nhận entries name.

    One delivery per receiving body or person, whatever the number of entries naming it; the
    archive entry ("Lưu: VT, …") delivers to no one. Safe to run again. The receivers' users
    get an e-mail after commit (NĐ 30, Điều 18: the day of issue).
    """
    decision = lifecycle.begin("distribute", decision=decision, actor=None)
    recipients = [
        r
        for r in decision.recipients.prefetch_related(
            "organizations", "users", "groups__organizations", "groups__users"
        )
        if not r.is_archive
    ]
    groups = [group for r in recipients for group in r.groups.all() if group.active]
    bodies = {org.pk for r in recipients for org in r.organizations.all()}
    bodies |= {org.pk for group in groups for org in group.organizations.all()}
    people = {user.pk for r in recipients for user in r.users.all()}
    people |= {user.pk for group in groups for user in group.users.all()}
    existing = list(decision.deliveries.values_list("organization_id", "user_id"))
    existing_bodies = {body for body, _person in existing}
    existing_people = {person for _body, person in existing}
    now = timezone.now()
    created = Delivery.objects.bulk_create(
        [
            Delivery(decision=decision, organization_id=pk, sent_at=now)
            for pk in sorted(bodies - existing_bodies)
        ]
        + [
            Delivery(decision=decision, user_id=pk, sent_at=now)
            for pk in sorted(people - existing_people)
        ]
    )
    if created:
        events.record(
            decision,
            DecisionEvent.Kind.DISTRIBUTED,
            actor=None,
            bodies=len(bodies),
            people=len(people),
        )
        decision_id = decision.pk
        transaction.on_commit(lambda: notifications.notify_delivered(decision_id=decision_id))
    return created


@transaction.atomic
def open_delivery(*, actor: User, decision: Decision) -> None:
    """The first time a receiver opens the decision, its delivery is marked opened."""
    now = timezone.now()
    permissions.deliveries_for(actor).filter(decision=decision, status=Delivery.Status.SENT).update(
        status=Delivery.Status.OPENED, opened_at=now
    )


@transaction.atomic
def acknowledge_delivery(*, actor: User, decision: Decision) -> Delivery:
    """A receiver confirms that his body (or he) has received the decision ("Đã nhận")."""
    deliveries = list(
        permissions.deliveries_for(actor)
        .select_for_update(of=("self",))
        .select_related("organization")
        .filter(decision=decision)
    )
    delivery = next((d for d in deliveries if permissions.can_acknowledge(actor, d)), None)
    if delivery is None:
        if deliveries:
            raise ValidationError(_("This decision has already been acknowledged."))
        raise permissions.NotAllowed(_("This decision was not sent to you."))
    now = timezone.now()
    delivery.status = Delivery.Status.ACKNOWLEDGED
    delivery.opened_at = delivery.opened_at or now
    delivery.acknowledged_at, delivery.acknowledged_by = now, actor
    delivery.save()
    events.record(
        decision,
        DecisionEvent.Kind.ACKNOWLEDGED,
        actor=actor,
        body=str(delivery.organization or ""),
    )
    return delivery


def send_reminders(*, now: datetime.datetime | None = None) -> list[Delivery]:
    """Remind every receiving body that has not acknowledged within the configured number of
    working days since it was sent or last reminded. Safe to run twice: a reminded delivery is
    not due again until as many working days have passed. Rows are locked one by one
    (SKIP LOCKED), so two runs at once never remind the same body twice."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    limit = settings.DECISIONS_REMINDER_WORKING_DAYS
    pending = Delivery.objects.filter(
        status__in=[Delivery.Status.SENT, Delivery.Status.OPENED],
        decision__status=Decision.Status.ISSUED,
    ).values_list("pk", flat=True)
    reminded = []
    for pk in pending:
        with transaction.atomic():
            delivery = (
                Delivery.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("decision")
                .filter(pk=pk, status__in=[Delivery.Status.SENT, Delivery.Status.OPENED])
                .first()
            )
            if delivery is None:
                continue
            since = timezone.localdate(delivery.reminded_at or delivery.sent_at)
            if calendar.working_days_between(since, today) < limit:
                continue
            delivery.reminded_at, delivery.reminders = now, delivery.reminders + 1
            delivery.save(update_fields=["reminded_at", "reminders"])
            events.record(
                delivery.decision,
                DecisionEvent.Kind.REMINDED,
                actor=None,
                delivery=delivery.pk,
                reminders=delivery.reminders,
            )
            transaction.on_commit(
                partial(notifications.notify_delivery, delivery_id=delivery.pk, reminder=True)
            )
            reminded.append(delivery)
    return reminded


def remind_overdue_steps(*, now: datetime.datetime | None = None) -> list[StepRecord]:
    """Remind the people whose move it is of every step past its due time, once per step
    (safe to run twice; rows are locked one by one, SKIP LOCKED)."""
    now = now or timezone.now()
    overdue = StepRecord.objects.filter(
        finished_at__isnull=True, reminded_at__isnull=True, due_at__lt=now
    ).values_list("pk", flat=True)
    reminded = []
    for pk in overdue:
        with transaction.atomic():
            step = (
                StepRecord.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("decision", "organization")
                .filter(pk=pk, finished_at__isnull=True, reminded_at__isnull=True)
                .first()
            )
            if step is None:
                continue
            step.reminded_at = now
            step.save(update_fields=["reminded_at"])
            events.record(step.decision, DecisionEvent.Kind.REMINDED, actor=None, step=step.status)
            holder = lifecycle.STEPS[step.status].holder
            user_ids = (
                [step.holder_id]
                if step.holder_id
                else list(
                    permissions.users_with_permission(
                        f"decisions.{holder}", step.organization
                    ).values_list("pk", flat=True)
                )
            )
            transaction.on_commit(
                partial(
                    notifications.notify_overdue,
                    decision_id=step.decision_id,
                    user_ids=user_ids,
                    step=str(step.get_status_display()),
                    due=f"{timezone.localtime(step.due_at):%H:%M %d/%m/%Y}",
                )
            )
            reminded.append(step)
    return reminded


@transaction.atomic
def resend_delivery(*, actor: User, delivery: Delivery) -> Delivery:
    """The văn thư sends a delivery again (the body's users are e-mailed again)."""
    delivery = (
        Delivery.objects.select_for_update(of=("self",))
        .select_related("decision", "decision__issuer")
        .get(pk=delivery.pk)
    )
    lifecycle.check("resend", decision=delivery.decision, actor=actor)
    if delivery.status == Delivery.Status.RECALLED:
        raise ValidationError(_("A recalled decision cannot be sent again."))
    delivery.sent_at = timezone.now()
    delivery.save(update_fields=["sent_at"])
    events.record(delivery.decision, DecisionEvent.Kind.RESENT, actor=actor, delivery=delivery.pk)
    delivery_id = delivery.pk
    transaction.on_commit(
        lambda: notifications.notify_delivery(delivery_id=delivery_id, reminder=False)
    )
    return delivery


@transaction.atomic
def recall_decision(*, actor: User, decision: Decision, reason: str) -> Decision:
    """The văn thư recalls an issued decision (thu hồi, NĐ 30, Điều 18.4): its deliveries are
    marked recalled and the receivers are told after commit."""
    decision = lifecycle.begin("recall", decision=decision, actor=actor)
    reason = _require_reason(reason)
    lifecycle.move(decision, "recall", actor=actor)
    decision.save(update_fields=["status", "updated_at"])
    decision.deliveries.update(status=Delivery.Status.RECALLED)
    events.record(decision, DecisionEvent.Kind.RECALLED, actor=actor, note=reason)
    decision_id = decision.pk
    transaction.on_commit(lambda: notifications.notify_recalled(decision_id=decision_id))
    return decision


@transaction.atomic
def publish_decision(*, actor: User, decision: Decision, public: bool) -> Decision:
    """The văn thư makes an issued decision's content public (or withdraws it from the public)."""
    decision = lifecycle.begin("publish", decision=decision, actor=actor)
    decision.is_public = public
    decision.save(update_fields=["is_public", "updated_at"])
    events.record(decision, DecisionEvent.Kind.PUBLISHED, actor=actor, public=public)
    return decision


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
