"""Issuance (NĐ 30, Điều 15–16): number, date and seal; void a decision spoiled before
delivery; who viewed the PDF."""

from __future__ import annotations

import datetime
import hashlib

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from decisions import events, jobs, lifecycle, notifications
from decisions.models import (
    Decision,
    DecisionEvent,
    Register,
    User,
)
from decisions.services.common import require_reason, stored_pdf
from decisions.signing import attempts
from decisions.text import fold


@attempts.records_wrong_pins
@transaction.atomic
def issue_decision(*, actor: User, decision: Decision, pin: str) -> Decision:
    """Number, date and seal a signed decision (cấp số, ban hành), then freeze it.

    NĐ 30/2020/NĐ-CP, Điều 15: the number is taken only now, after signature, from the register
    of (issuer, series, year of the issue date in Vietnam time). The number and date are filled
    into the form fields of the PDF the leader signed and the body's seal signature is applied
    with its key, unlocked by `pin` (the seal's PIN). A failure anywhere below (wrong PIN,
    timestamp service down) rolls the whole transaction back and so gives the number back; a
    wrong PIN is then counted against the seal key and kept in the history
    (decisions/signing/attempts.py).
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
    # One copy once issued: the sealed file holds the leader's signed revision unchanged
    # (an incremental update), so the separate signed file goes once this commits.
    leader_signed, decision.signed_pdf = decision.signed_pdf.name, ""
    with stored_pdf(decision, "pdf", selectors.pdf_filename(decision), sealed.pdf):
        decision.save()
        jobs.delete_file.enqueue(leader_signed)
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
    notifications.enqueue("issued", decision_id=decision.pk)
    return decision


@transaction.atomic
def void_decision(*, actor: User, decision: Decision, reason: str) -> Decision:
    """A văn thư withdraws a spoiled issued decision before distribution: its number is void
    (it stays in the register, never reused)."""
    decision = lifecycle.begin("void", decision=decision, actor=actor)
    reason = require_reason(reason)
    lifecycle.move(decision, "void", actor=actor)
    decision.save(update_fields=["status", "updated_at"])
    events.record(
        decision, DecisionEvent.Kind.VOIDED, actor=actor, note=reason, reference=decision.reference
    )
    return decision


def record_pdf_view(*, actor: User, decision: Decision, download: bool) -> None:
    """Who opened or downloaded the PDF, and when, goes into the history: once a day.

    Repeated views by one person of the same file (the draft or the issued one), in the same
    way (seen on screen or downloaded), on the same local day (TIME_ZONE, Asia/Ho_Chi_Minh)
    are one entry, the first; so a page reloaded all day does not flood the history. The
    check is one query on the (decision, kind, actor, at) index; only the first view of the
    day locks the decision (as every entry does) and checks again under the lock.
    """
    issued = bool(decision.pdf_sha256)
    if _viewed_today(actor=actor, decision=decision, download=download, issued=issued):
        return
    with transaction.atomic():
        Decision.objects.select_for_update().filter(pk=decision.pk).values_list("pk").get()
        if _viewed_today(actor=actor, decision=decision, download=download, issued=issued):
            return
        events.record(
            decision,
            DecisionEvent.Kind.PDF_VIEWED,
            actor=actor,
            download=download,
            issued=issued,
        )


def _viewed_today(*, actor: User, decision: Decision, download: bool, issued: bool) -> bool:
    today = timezone.localdate(timezone.now(), timezone.get_default_timezone())
    start = datetime.datetime.combine(
        today, datetime.time.min, tzinfo=timezone.get_default_timezone()
    )
    return DecisionEvent.objects.filter(
        decision_id=decision.pk,
        kind=DecisionEvent.Kind.PDF_VIEWED,
        actor_id=actor.pk,
        at__gte=start,
        at__lt=start + datetime.timedelta(days=1),
        data__download=download,
        data__issued=issued,
    ).exists()


# --- Distribution (phát hành) --------------------------------------------------
