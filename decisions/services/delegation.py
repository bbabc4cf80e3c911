"""Delegations (TL., TUQ., Q.) and absences: recording and ending them, and the decisions that
wait for an absent leader passing to his substitute and back.

The viewflow tasks follow in workflow/substitution.py, which calls `pass_to_substitute` and
`give_back` inside the process lock; the domain knows nothing of the engine.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from decisions import delegation as delegation_rules
from decisions import events, permissions
from decisions.models import (
    Absence,
    Decision,
    DecisionEvent,
    Delegation,
    DelegationEvent,
    DocumentType,
    Organization,
    Sector,
    StepRecord,
    User,
)

Status = Decision.Status
# The steps that wait for the chosen signer (lifecycle.STEPS, holder "signer").
SIGNER_STEPS = (Status.REVIEW, Status.SIGNATURE)


def _require_admin_or_head(actor: User | None, organization: Organization) -> None:
    """Delegations and absences are recorded by an administrator, the head, or the office."""
    if actor is None or actor.is_superuser:
        return
    allowed = (permissions.SIGN_ANY, permissions.PROPOSE)
    if not any(permissions.holds(actor, perm, organization) for perm in allowed):
        raise permissions.NotAllowed(_("You may not record delegations for this body."))


@transaction.atomic
def record_delegation(
    *,
    actor: User | None,
    delegation: Delegation,
    sectors: Iterable[Sector] = (),
    document_types: Iterable[DocumentType] = (),
) -> Delegation:
    """Record a delegation (unsaved `delegation`, its scope apart): single-row rules, the
    grantor's right to delegate and no re-delegation; recorded in the delegation history."""
    _require_admin_or_head(actor, delegation.organization)
    delegation.recorded_by = actor
    delegation.full_clean()
    delegation_rules.check_grant(delegation)
    delegation.save()
    delegation.sectors.set(sectors)
    delegation.document_types.set(document_types)
    DelegationEvent.objects.create(
        kind=DelegationEvent.Kind.DELEGATION_CREATED,
        actor=actor,
        organization=delegation.organization,
        delegation=delegation,
        data={
            "kind": delegation.kind,
            "grantor": delegation.grantor_id,
            "delegate": delegation.delegate_id,
            "document": delegation.document_reference,
            "starts_on": delegation.starts_on.isoformat(),
            "ends_on": delegation.ends_on.isoformat() if delegation.ends_on else None,
            "sectors": [sector.pk for sector in delegation.sectors.all()],
            "document_types": [kind.pk for kind in delegation.document_types.all()],
        },
    )
    return delegation


@transaction.atomic
def end_delegation(*, actor: User | None, delegation: Delegation, reason: str) -> Delegation:
    """End a delegation now (revoked, or its holder left): nothing is signed under it from
    now on; what was signed keeps its printed form."""
    delegation = Delegation.objects.select_for_update().get(pk=delegation.pk)
    _require_admin_or_head(actor, delegation.organization)
    reason = " ".join(reason.split())
    if not reason:
        raise ValidationError(_("Say why the delegation ends."), code="reason")
    if delegation.ended_at is not None:
        raise ValidationError(_("This delegation has already ended."), code="ended")
    delegation.ended_at, delegation.end_reason = timezone.now(), reason[:300]
    delegation.save(update_fields=["ended_at", "end_reason"])
    DelegationEvent.objects.create(
        kind=DelegationEvent.Kind.DELEGATION_ENDED,
        actor=actor,
        organization=delegation.organization,
        delegation=delegation,
        data={"reason": delegation.end_reason},
    )
    return delegation


def _is_leader(user: User, organization: Organization) -> bool:
    return permissions.holds(user, permissions.REVIEW, organization)


@transaction.atomic
def record_absence(*, actor: User | None, absence: Absence) -> Absence:
    """Record that a leader is away from–to with a substitute (another leader of the body).
    What waits for his signature passes to the substitute when the absence begins
    (workflow/substitution.py, run at once and by the scheduler)."""
    _require_admin_or_head(actor, absence.organization)
    absence.recorded_by = actor
    absence.full_clean()
    organization = absence.organization
    for field, person in (("leader", absence.leader), ("substitute", absence.substitute)):
        if not _is_leader(person, organization):
            raise ValidationError(
                {field: _("%(name)s is not a leader of this body.") % {"name": person}}
            )
    absence.save()
    DelegationEvent.objects.create(
        kind=DelegationEvent.Kind.ABSENCE_RECORDED,
        actor=actor,
        organization=organization,
        absence=absence,
        data={
            "leader": absence.leader_id,
            "substitute": absence.substitute_id,
            "starts_at": absence.starts_at.isoformat(),
            "ends_at": absence.ends_at.isoformat(),
        },
    )
    return absence


def absence_of(
    user: User, organization: Organization, *, at: datetime.datetime | None = None
) -> Absence | None:
    """The absence of `user` from `organization` at `at` (now), if he is away."""
    at = at or timezone.now()
    return (
        Absence.objects.filter(
            leader_id=user.pk,
            organization_id=organization.pk,
            starts_at__lte=at,
            ends_at__gt=at,
            closed_at__isnull=True,
        )
        .select_related("substitute")
        .order_by("-starts_at")
        .first()
    )


def waiting_for(leader: User, organization: Organization) -> QuerySet[Decision]:
    """The decisions of `organization` waiting for `leader`'s review or signature."""
    return Decision.objects.filter(
        issuer=organization, signer_id=leader.pk, status__in=SIGNER_STEPS
    ).order_by("pk")


def moved_by(absence: Absence) -> QuerySet[Decision]:
    """The decisions this absence passed to the substitute."""
    ids = DecisionEvent.objects.filter(
        kind=DecisionEvent.Kind.SUBSTITUTED, data__absence=absence.pk
    ).values("decision_id")
    return Decision.objects.filter(pk__in=ids).order_by("pk")


def _until(absence: Absence) -> str:
    return formats.date_format(timezone.localtime(absence.ends_at), "H:i d/m/Y")


def _move(decision: Decision, *, to: User, delegated: bool) -> None:
    decision.signer, decision.signer_delegated = to, delegated
    decision.save(update_fields=["signer", "signer_delegated", "updated_at"])
    StepRecord.objects.filter(decision=decision, finished_at__isnull=True).update(holder=to)


def route_around_absence(decision: Decision) -> Absence | None:
    """A decision that just came to an absent signer goes to his substitute instead (inside
    the caller's transaction, on its locked decision); returns the absence, if any."""
    signer = decision.signer
    if signer is None or decision.status not in SIGNER_STEPS:
        return None
    absence = absence_of(signer, decision.issuer)
    if absence is None:
        return None
    _substitute(decision, absence)
    return absence


def _substitute(decision: Decision, absence: Absence) -> None:
    substitute = absence.substitute
    if not permissions.may_sign(substitute, decision, delegated=True):
        raise ValidationError(
            _("%(leader)s is away until %(until)s and his substitute %(name)s may not sign it.")
            % {"leader": absence.leader, "until": _until(absence), "name": substitute},
            code="substitute",
        )
    delegated_before = decision.signer_delegated
    _move(decision, to=substitute, delegated=True)
    events.record(
        decision,
        DecisionEvent.Kind.SUBSTITUTED,
        actor=None,
        note=f"{absence.leader} → {substitute}" + (f": {absence.note}" if absence.note else ""),
        absence=absence.pk,
        leader=absence.leader_id,
        leader_name=str(absence.leader),
        substitute=substitute.pk,
        substitute_name=str(substitute),
        until=absence.ends_at.isoformat(),
        step=decision.status,
        delegated_before=delegated_before,
    )


@transaction.atomic
def pass_to_substitute(*, decision: Decision, absence: Absence) -> Decision | None:
    """The decision waiting for the absent leader passes to his substitute; None if it no
    longer waits for him (it moved on meanwhile)."""
    decision = (
        Decision.objects.select_related("issuer")
        .select_for_update(of=("self",))
        .get(pk=decision.pk)
    )
    if decision.signer_id != absence.leader_id or decision.status not in SIGNER_STEPS:
        return None
    _substitute(decision, absence)
    return decision


@transaction.atomic
def give_back(*, decision: Decision, absence: Absence) -> Decision | None:
    """After the absence, a decision the substitute holds still in the step it was passed to
    him in goes back to the leader; one the substitute moved on stays his to finish (the
    leader does not sign what another approved). Returns it, or None when it stays."""
    decision = (
        Decision.objects.select_related("issuer")
        .select_for_update(of=("self",))
        .get(pk=decision.pk)
    )
    passed = (
        DecisionEvent.objects.filter(
            decision=decision, kind=DecisionEvent.Kind.SUBSTITUTED, data__absence=absence.pk
        )
        .order_by("-sequence")
        .first()
    )
    if (
        passed is None
        or decision.signer_id != absence.substitute_id
        or decision.status != passed.data.get("step")
    ):
        return None
    leader = absence.leader
    delegated = bool(passed.data.get("delegated_before"))
    if not permissions.may_sign(leader, decision, delegated=delegated):
        return None
    _move(decision, to=leader, delegated=delegated)
    events.record(
        decision,
        DecisionEvent.Kind.SUBSTITUTION_ENDED,
        actor=None,
        note=f"{absence.substitute} → {leader}",
        absence=absence.pk,
        leader=leader.pk,
        leader_name=str(leader),
        substitute=absence.substitute_id,
        substitute_name=str(absence.substitute),
    )
    return decision


@transaction.atomic
def close_absence(*, absence: Absence) -> Absence:
    """Mark the absence over (its waiting decisions were given back)."""
    absence = Absence.objects.select_for_update().get(pk=absence.pk)
    if absence.closed_at is None:
        absence.closed_at = timezone.now()
        absence.save(update_fields=["closed_at"])
        DelegationEvent.objects.create(
            kind=DelegationEvent.Kind.ABSENCE_CLOSED,
            actor=None,
            organization_id=absence.organization_id,
            absence=absence,
        )
    return absence
