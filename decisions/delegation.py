"""The rules of delegated and acting signatures (NĐ 30/2020/NĐ-CP, Điều 13; Phụ lục I, II.7.b).

| kind | who                                   | printed (individual authority)        |
|------|---------------------------------------|---------------------------------------|
| Q.   | the acting head (an appointment)      | Q. CHỦ TỊCH                           |
| TL.  | the head of a unit (Chánh Văn phòng)  | TL. CHỦ TỊCH / CHÁNH VĂN PHÒNG        |
| TUQ. | the head of a subordinate body        | TUQ. CHỦ TỊCH / GIÁM ĐỐC SỞ TÀI CHÍNH |

Under the collective authority only the acting head signs for the head ("TM. ỦY BAN NHÂN DÂN /
Q. CHỦ TỊCH"): TL. and TUQ. carry the head's own authority, not the collective's.
A delegation is usable on a day within its dates, not ended, for a decision in its fields and
document types. A TL./TUQ. holder cannot delegate again ("không được ủy quyền lại").
Which delegation a signature used is frozen on the decision when he signs.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from decisions.models import Decision, Delegation, Organization, User

Kind = Delegation.Kind
# When one person holds several, the strongest form is printed.
PREFERENCE = (Kind.ACTING, Kind.BY_AUTHORITY, Kind.BY_ORDER)
ON_BEHALF_OF = "TM."


def _date(day: datetime.date) -> str:
    return formats.date_format(day, "d/m/Y")


def held_by(user: Any, organization: Organization) -> QuerySet[Delegation]:
    """The delegations `user` was given in `organization` (any dates, ended ones too)."""
    if not getattr(user, "is_authenticated", False):
        return Delegation.objects.none()
    return Delegation.objects.filter(delegate_id=user.pk, organization_id=organization.pk)


def holds_any(user: Any, organization: Organization) -> bool:
    """Was `user` ever given a delegation of `organization`? He is then a signer whose every
    signature is checked against its dates, scope and end (`check_signer`): the one he was
    proposed under may have expired or ended since, and he hears why, not a bare refusal."""
    return held_by(user, organization).exists()


def valid_on(day: datetime.date) -> Q:
    return (
        Q(ended_at__isnull=True)
        & Q(starts_on__lte=day)
        & (Q(ends_on__isnull=True) | Q(ends_on__gte=day))
    )


def current(
    organization: Organization | None = None, *, day: datetime.date | None = None
) -> QuerySet[Delegation]:
    """The delegations in force today (of one body, or of all)."""
    found = Delegation.objects.filter(valid_on(day or timezone.localdate()))
    if organization is not None:
        found = found.filter(organization=organization)
    return found.select_related("organization", "grantor", "delegate", "document").order_by(
        "organization", "kind", "delegate__full_name"
    )


def refusal(delegation: Delegation, decision: Decision, day: datetime.date) -> str | None:
    """Why `delegation` cannot sign `decision` on `day`, in Vietnamese; None if it can."""
    params = {"kind": delegation.kind, "reference": delegation.document_reference}
    if delegation.ended_at is not None:
        return _("The delegation %(kind)s (%(reference)s) was ended.") % params
    if day < delegation.starts_on:
        return _("The delegation %(kind)s (%(reference)s) only starts on %(day)s.") % {
            **params,
            "day": _date(delegation.starts_on),
        }
    if delegation.ends_on is not None and day > delegation.ends_on:
        return _("The delegation %(kind)s (%(reference)s) expired on %(day)s.") % {
            **params,
            "day": _date(delegation.ends_on),
        }
    if delegation.kind != Kind.ACTING and decision.authority == Decision.Authority.COLLECTIVE:
        return (
            _(
                "A %(kind)s signature carries the head's own authority: it cannot sign a decision "
                "on behalf of the collective (TM.)."
            )
            % params
        )
    sectors = list(delegation.sectors.all())
    if sectors and decision.sector_id not in {sector.pk for sector in sectors}:
        return _("The delegation %(kind)s (%(reference)s) covers only the fields: %(fields)s.") % {
            **params,
            "fields": ", ".join(sector.name for sector in sectors),
        }
    types = list(delegation.document_types.all())
    if types and decision.document_type_id not in {kind.pk for kind in types}:
        return _(
            "The delegation %(kind)s (%(reference)s) covers only the document types: %(types)s."
        ) % {**params, "types": ", ".join(kind.name for kind in types)}
    return None


def usable(user: Any, decision: Decision, *, day: datetime.date | None = None) -> Delegation | None:
    """The delegation `user` signs `decision` under on `day` (today), the strongest first."""
    day = day or timezone.localdate()
    found = [
        delegation
        for delegation in held_by(user, decision.issuer).prefetch_related(
            "sectors", "document_types"
        )
        if refusal(delegation, decision, day) is None
    ]
    found.sort(key=lambda delegation: PREFERENCE.index(Kind(delegation.kind)))
    return found[0] if found else None


def is_head(user: Any, organization: Organization) -> bool:
    from decisions import permissions

    return permissions.holds(user, permissions.SIGN_ANY, organization)


def signing_delegation(
    user: Any, decision: Decision, *, day: datetime.date | None = None
) -> Delegation | None:
    """The delegation whose form `user`'s signature on `decision` takes: none for the head
    himself (nor for a vice chair without an acting appointment: "KT.")."""
    if is_head(user, decision.issuer):
        return None
    return usable(user, decision, day=day)


def check_signer(
    user: User, decision: Decision, *, day: datetime.date | None = None
) -> Delegation | None:
    """May `user` sign `decision` on `day` (today)? Returns the delegation he signs under, if
    any. A person who signs only through delegations is refused, with the reason, when none is
    usable (expired, not started, ended, out of its fields or types). Raises ValidationError."""
    from decisions import permissions

    day = day or timezone.localdate()
    delegation = signing_delegation(user, decision, day=day)
    if delegation is not None or permissions.may_sign_as_leader(user, decision):
        return delegation
    held = list(held_by(user, decision.issuer).prefetch_related("sectors", "document_types"))
    reasons = [reason for item in held if (reason := refusal(item, decision, day))]
    if not reasons:
        reasons = [_("%(name)s holds no delegation to sign for this body.") % {"name": user}]
    raise ValidationError(
        _("%(name)s may not sign this decision: %(reasons)s")
        % {"name": user, "reasons": " ".join(reasons)},
        code="delegation",
    )


def signature_lines(
    delegation: Delegation, *, authority: str, issuer: Organization
) -> tuple[str, ...]:
    """The capacity and title lines of a signature under `delegation`."""
    head = issuer.head_title.strip().upper()
    if delegation.kind == Kind.ACTING:
        own: tuple[str, ...] = (f"{Kind.ACTING.value} {head}",)
    else:
        own = (f"{delegation.kind} {head}", delegation.printed_title)
    if authority == Decision.Authority.COLLECTIVE:
        return (f"{ON_BEHALF_OF} {issuer.collective_name.strip().upper()}", *own)
    return own


def frozen_data(delegation: Delegation) -> dict[str, Any]:
    """What a signature under `delegation` keeps of it (history, snapshot)."""
    return {
        "id": delegation.pk,
        "kind": delegation.kind,
        "grantor": delegation.grantor_id,
        "grantor_name": str(delegation.grantor) if delegation.grantor else "",
        "document": delegation.document_reference,
        "document_id": delegation.document_id,
        "starts_on": delegation.starts_on.isoformat(),
        "ends_on": delegation.ends_on.isoformat() if delegation.ends_on else None,
    }


def check_grant(delegation: Delegation) -> None:
    """Rules across rows, checked before a delegation is recorded: the grantor is the head of
    the body (or its acting head), and never someone who himself signs by order or by
    authorisation: NĐ 30, Điều 13.4, "không được ủy quyền lại". Raises ValidationError."""
    grantor = delegation.grantor
    organization = delegation.organization
    if grantor is None:
        if delegation.kind != Kind.ACTING:
            raise ValidationError({"grantor": _("TL. and TUQ. are granted by the head: name him.")})
        return
    end = delegation.ends_on or datetime.date.max
    overlapping = Delegation.objects.filter(
        delegate=grantor, ended_at__isnull=True, starts_on__lte=end
    ).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=delegation.starts_on))
    if overlapping.filter(kind__in=[Kind.BY_ORDER, Kind.BY_AUTHORITY]).exists():
        raise ValidationError(
            {
                "grantor": ValidationError(
                    _(
                        "%(name)s signs himself by order or by authorisation (TL./TUQ.): a "
                        "delegation cannot be delegated again."
                    )
                    % {"name": grantor},
                    code="redelegation",
                )
            }
        )
    acting = overlapping.filter(kind=Kind.ACTING, organization=organization).exists()
    if not is_head(grantor, organization) and not acting:
        raise ValidationError(
            {
                "grantor": ValidationError(
                    _("Only the head of the body (or its acting head) delegates: %(name)s is not.")
                    % {"name": grantor},
                    code="not_head",
                )
            }
        )
