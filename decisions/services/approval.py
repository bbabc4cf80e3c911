"""The approval steps (NĐ 30, Điều 10–13): submit, check, propose, hand over, approve, sign,
return with a reason, withdraw."""

from __future__ import annotations

import dataclasses
import hashlib
import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from decisions import delegation as delegation_rules
from decisions import events, lifecycle, notifications, permissions
from decisions.content import DraftContent, validate_content
from decisions.models import (
    Decision,
    DecisionEvent,
    StepRecord,
    User,
)
from decisions.services import delegation as delegation_services
from decisions.services.common import require_reason, snapshot_version, stored_pdf
from decisions.signing import attempts


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
    snapshot_version(decision, actor)
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
    decision.signer_delegated = False
    delegation_rules.check_signer(signer, decision)  # a delegate: usable today, in scope
    decision.signer = signer
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
    delegation_services.route_around_absence(decision)  # an absent leader's substitute
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
    decision.signer_delegated = delegated
    delegation_rules.check_signer(to, decision)  # a delegate: usable today, in scope
    decision.signer = to
    decision.save(update_fields=["signer", "signer_delegated", "updated_at"])
    # the step stays and keeps its due time; it is now the other leader's move
    StepRecord.objects.filter(decision=decision, finished_at__isnull=True).update(holder=to)
    events.record(
        decision,
        DecisionEvent.Kind.HANDED_OVER,
        actor=actor,
        note=note.strip(),
        to=to.pk,
        to_name=str(to),
    )
    delegation_services.route_around_absence(decision)  # an absent leader's substitute
    return decision


@transaction.atomic
def approve_decision(*, actor: User, decision: Decision, note: str = "") -> Decision:
    """The leader approves the final text for signature (NĐ 30, Điều 11)."""
    decision = lifecycle.begin("review", decision=decision, actor=actor)
    lifecycle.move(decision, "review", actor=actor)
    decision.save(update_fields=["status", "updated_at"])
    events.record(decision, DecisionEvent.Kind.APPROVED, actor=actor, note=note.strip())
    return decision


@attempts.records_wrong_pins
@transaction.atomic
def sign_decision(*, actor: User, decision: Decision, pin: str) -> Decision:
    """The leader signs (NĐ 30, Điều 13): the final PDF is rendered now, with the number and
    date as empty form fields and the verification code and QR printed, and he signs it with
    his own key, unlocked by `pin` (password or PIN). Nothing but those fields and the seal
    may change after his signature. The signature block must agree with the authority line.
    A wrong PIN is counted against the key and kept in the history although nothing else is
    (decisions/signing/attempts.py)."""
    from decisions import numbering, selectors, signature
    from decisions.signing import documents

    decision = lifecycle.begin("sign", decision=decision, actor=actor)
    # a signature under a delegation: re-checked today (dates, scope), frozen with the decision
    delegation = delegation_rules.check_signer(actor, decision)
    block = selectors.signature_for(decision)
    signature.check_consistency(
        authority_line=decision.authority_line, lines=block.lines, issuer=decision.issuer
    )
    # the SIGNED entry keeps the form used: printed from it until issuance freezes it
    delegated: dict[str, Any] = (
        {"delegation": delegation_rules.frozen_data(delegation)} if delegation else {}
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
    with stored_pdf(decision, "signed_pdf", f"ky-{decision.pk}.pdf", signed.pdf):
        lifecycle.move(decision, "sign", actor=actor)
        decision.save(update_fields=["status", "signed_pdf", "updated_at"])
        events.record(
            decision,
            DecisionEvent.Kind.SIGNED,
            actor=actor,
            # under a delegation: its form and authorising document, shown in the history
            note=f"{' / '.join(block.lines)} ({delegation.document_reference})"
            if delegation
            else "",
            signature_lines=list(block.lines),
            signer_name=block.name,
            sha256=hashlib.sha256(signed.pdf).hexdigest(),
            **signed.event_data(),
            **delegated,
        )
    return decision


@transaction.atomic
def return_for_revision(*, actor: User, decision: Decision, reason: str) -> Decision:
    """Send the draft back to its drafter with a reason; revision round N+1 opens."""
    decision = lifecycle.begin("return_", decision=decision, actor=actor)
    reason = require_reason(reason)
    returned_from = decision.status
    lifecycle.move(decision, "return_", actor=actor)
    decision.revision += 1
    decision.save(update_fields=["status", "revision", "updated_at"])
    snapshot_version(decision, actor)
    events.record(
        decision,
        DecisionEvent.Kind.RETURNED,
        actor=actor,
        note=reason,
        step=returned_from,
        round=decision.revision,
    )
    notifications.enqueue("returned", decision_id=decision.pk)
    return decision


@transaction.atomic
def withdraw_draft(*, actor: User, decision: Decision, reason: str) -> Decision:
    """The drafter withdraws his draft before signature; it can no longer move on."""
    decision = lifecycle.begin("withdraw", decision=decision, actor=actor)
    reason = require_reason(reason)
    lifecycle.move(decision, "withdraw", actor=actor)
    decision.save(update_fields=["status", "updated_at"])
    events.record(decision, DecisionEvent.Kind.WITHDRAWN, actor=actor, note=reason)
    return decision
