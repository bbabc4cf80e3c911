"""The e-mails that changes cause.

A service calls `enqueue(kind, **ids)` inside its transaction: a queued job is written with
the change, or not at all. A worker then composes the e-mails of `kind` from fresh data
(the functions below, each returning its `Mail`s) and sends each one (`decisions.jobs`).
Django's mail backends deliver them: console in development, SMTP by environment.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext as _

from decisions.models import Decision, DecisionEvent, Delivery, SigningKey, User


def _link(decision: Decision) -> str:
    return f"{settings.DECISIONS_BASE_URL.rstrip('/')}{decision.get_absolute_url()}"


@dataclass(frozen=True)
class Mail:
    """One message to one address (nobody sees the others' addresses)."""

    address: str
    subject: str
    body: str


def _send(subject: str, body: str, users: Iterable[User]) -> list[Mail]:
    addresses = sorted({user.email for user in users if user.email and user.is_active})
    product = _("Decision issuing")  # (xgettext does not read inside f-strings)
    return [Mail(address, f"[{product}] {subject}", body) for address in addresses]


def notify_task(*, decision_id: int, user_ids: list[int], step: str) -> list[Mail]:
    """Tell the people who can take the new task that a decision waits for them."""
    decision = Decision.objects.get(pk=decision_id)
    body = _("“%(subject)s” waits for you: %(step)s.\n\n%(link)s") % {
        "subject": decision.subject,
        "step": step,
        "link": _link(decision),
    }
    return _send(
        _("Waiting for you: %(step)s") % {"step": step}, body, User.objects.filter(pk__in=user_ids)
    )


def notify_overdue(*, decision_id: int, user_ids: list[int], step: str, due: str) -> list[Mail]:
    """Tell the people whose move it is that a step is past its due time."""
    decision = Decision.objects.get(pk=decision_id)
    body = _("“%(subject)s” was due at %(due)s: %(step)s.\n\n%(link)s") % {
        "subject": decision.subject,
        "due": due,
        "step": step,
        "link": _link(decision),
    }
    return _send(
        _("Overdue: %(step)s") % {"step": step}, body, User.objects.filter(pk__in=user_ids)
    )


def notify_returned(*, decision_id: int) -> list[Mail]:
    """Tell the drafter his draft came back, and why."""
    decision = Decision.objects.select_related("drafter").get(pk=decision_id)
    event = decision.events.filter(kind=DecisionEvent.Kind.RETURNED).select_related("actor").last()
    reason = event.note if event else ""
    who = str(event.actor) if event and event.actor else ""
    body = _("“%(subject)s” was returned to you by %(who)s.\nReason: %(reason)s\n\n%(link)s") % {
        "subject": decision.subject,
        "who": who,
        "reason": reason,
        "link": _link(decision),
    }
    return _send(_("Returned for revision"), body, [decision.drafter])


def notify_issued(*, decision_id: int) -> list[Mail]:
    """Tell the drafter his decision was issued, with its number."""
    decision = Decision.objects.select_related("drafter").get(pk=decision_id)
    body = _("“%(subject)s” was issued as %(reference)s.\n\n%(link)s") % {
        "subject": decision.subject,
        "reference": decision.reference,
        "link": _link(decision),
    }
    return _send(
        _("Issued: %(reference)s") % {"reference": decision.reference}, body, [decision.drafter]
    )


def _receivers(deliveries: Iterable[Delivery]) -> list[User]:
    """The people behind deliveries: the person, or the receiving users of the body."""
    from decisions import permissions

    receivers: dict[int, User] = {}
    body_ids = []
    for delivery in deliveries:
        if delivery.user is not None:
            receivers[delivery.user.pk] = delivery.user
        elif (
            delivery.organization is not None
            and delivery.organization.exchange_partner_id is None  # others get edXML
        ):
            body_ids.append(delivery.organization.pk)
    users = permissions.users_with_permission_in(permissions.RECEIVE, body_ids)
    receivers.update({user.pk: user for user in users})
    return list(receivers.values())


def _incoming_body(decision: Decision) -> str:
    return _("%(issuer)s has sent you %(reference)s: “%(subject)s”.\n\n%(link)s") % {
        "issuer": decision.issuer.running_name,
        "reference": decision.reference,
        "subject": decision.subject,
        "link": _link(decision),
    }


def notify_delivered(*, decision_id: int) -> list[Mail]:
    """Tell the users of each receiving body (and each person it was sent to) it has arrived."""
    decision = Decision.objects.select_related("issuer").get(pk=decision_id)
    deliveries = decision.deliveries.select_related("organization", "user")
    return _send(
        _("Incoming: %(reference)s") % {"reference": decision.reference},
        _incoming_body(decision),
        _receivers(deliveries),
    )


def notify_delivery(*, delivery_id: int, reminder: bool) -> list[Mail]:
    """Send one delivery again, or remind its body that it has not acknowledged it."""
    delivery = Delivery.objects.select_related(
        "decision", "decision__issuer", "organization", "user"
    ).get(pk=delivery_id)
    decision = delivery.decision
    subject = (
        _("Reminder: please acknowledge %(reference)s")
        if reminder
        else _("Incoming: %(reference)s")
    ) % {"reference": decision.reference}
    return _send(subject, _incoming_body(decision), _receivers([delivery]))


def notify_recalled(*, decision_id: int) -> list[Mail]:
    """Tell the receivers that a decision they received was recalled, and why."""
    decision = Decision.objects.select_related("issuer").get(pk=decision_id)
    event = decision.events.filter(kind=DecisionEvent.Kind.RECALLED).last()
    body = _(
        "%(issuer)s has recalled %(reference)s: “%(subject)s”.\nReason: %(reason)s\n\n%(link)s"
    ) % {
        "issuer": decision.issuer.running_name,
        "reference": decision.reference,
        "subject": decision.subject,
        "reason": event.note if event else "",
        "link": _link(decision),
    }
    deliveries = decision.deliveries.select_related("organization", "user")
    return _send(
        _("Recalled: %(reference)s") % {"reference": decision.reference},
        body,
        _receivers(deliveries),
    )


def notify_key_locked(*, key_id: int) -> list[Mail]:
    """Tell a signing key's holder (for a seal: its records clerks) and the administrators that
    the key was locked after too many wrong PINs."""
    from decisions import permissions
    from decisions.signing import attempts

    key = SigningKey.objects.select_related("user", "organization").get(pk=key_id)
    holders: list[User] = [key.user] if key.user is not None else []
    if key.organization is not None:
        holders += permissions.users_with_permission(permissions.ISSUE, key.organization)
    admins = User.objects.filter(Q(is_staff=True) | Q(is_superuser=True)).exclude(email="")
    until = attempts.format_time(key.locked_until) if key.locked_until else ""
    body = _(
        "The signing key “%(key)s” was locked until %(until)s after too many wrong PINs in a "
        "row. If it was not you who typed them, tell the administrator at once.\n\n%(link)s"
    ) % {"key": key.subject, "until": until, "link": settings.DECISIONS_BASE_URL}
    return _send(_("Signing key locked"), body, [*holders, *admins])


def notify_incoming(*, document_id: int, user_ids: list[int], step: str) -> list[Mail]:
    """Tell a leader or a handler that an incoming document waits for him (or is overdue)."""
    from decisions.models import IncomingDocument

    document = IncomingDocument.objects.get(pk=document_id)
    link = f"{settings.DECISIONS_BASE_URL.rstrip('/')}{document.get_absolute_url()}"
    body = _(
        "Incoming document no. %(number)s from %(sender)s, “%(subject)s”: %(step)s.\n\n%(link)s"
    ) % {
        "number": document.arrival_number,
        "sender": document.sender_name,
        "subject": document.subject,
        "step": step,
        "link": link,
    }
    return _send(
        _("Incoming document: %(step)s") % {"step": step},
        body,
        User.objects.filter(pk__in=user_ids),
    )


KINDS: dict[str, Callable[..., list[Mail]]] = {
    "task": notify_task,
    "overdue": notify_overdue,
    "returned": notify_returned,
    "issued": notify_issued,
    "delivered": notify_delivered,
    "delivery": notify_delivery,
    "recalled": notify_recalled,
    "key_locked": notify_key_locked,
    "incoming": notify_incoming,
}


def enqueue(kind: str, **ids: object) -> None:
    """Queue the e-mails of `kind` (a key of KINDS) in the caller's transaction."""
    from decisions import jobs

    assert kind in KINDS, kind  # noqa: S101 - a programming error, caught by the tests
    jobs.notify.enqueue(kind, ids)
