"""Entering received documents in a body's incoming register (NĐ 30/2020/NĐ-CP, Điều 20–22).

`register_incoming` is the one way into the register, for every channel: a package from the
document exchange, a scanned paper document, a document received by e-mail. It gives the
arrival number (gap-free per register and year: the register row is locked, like the outgoing
registers in decisions/numbering.py), stores the file on commit and records the entry.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from decisions import incoming_lifecycle, notifications, permissions
from decisions.models import IncomingDocument, IncomingEvent, IncomingRegister, Organization, User
from decisions.services.common import stored_pdf

# Sent after commit whenever an incoming document changes state, with `document` (the
# IncomingDocument) and `actor`: the exchange answers the sender with a status message.
status_changed = Signal()


@dataclass(frozen=True)
class Received:
    """What the register records of a received document, whatever its channel."""

    sender_name: str
    subject: str
    reference: str = ""
    document_date: datetime.date | None = None
    document_type: str = ""
    urgency: str = ""
    sender_identifier: str = ""
    pages: int | None = None
    exchange_document_id: str = ""
    note: str = ""


def incoming_register(
    organization: Organization, year: int, *, confidential: bool = False
) -> IncomingRegister:
    """The body's incoming register of `year`, locked until the transaction ends."""
    register, _created = IncomingRegister.objects.get_or_create(
        organization=organization, year=year, confidential=confidential
    )
    return IncomingRegister.objects.select_for_update().get(pk=register.pk)


def register_incoming(
    organization: Organization,
    received: Received,
    *,
    channel: IncomingDocument.Channel,
    pdf: bytes,
    filename: str,
    actor: User | None = None,
    arrived_at: datetime.datetime | None = None,
    stamp: Callable[[IncomingDocument, bytes], bytes] | None = None,
    **event_data: Any,
) -> IncomingDocument:
    """Enter one received document in `organization`'s incoming register and return it.

    Validation of the content belongs to the caller (the edXML receiver, the văn thư's forms);
    this only numbers and stores, all or nothing. `stamp` (paper): given the numbered document
    and the scan, returns the scan with the "ĐẾN" stamp, stored as `file`; the scan as received
    is kept as `original_file` (`file_sha256` is always the received file's)."""
    arrived_at = arrived_at or timezone.now()
    sender = None
    if received.sender_identifier:
        sender = Organization.objects.filter(identifier=received.sender_identifier).first()
    with transaction.atomic():
        register = incoming_register(organization, timezone.localdate(arrived_at).year)
        register.last_number += 1
        register.save(update_fields=["last_number"])
        document = IncomingDocument(
            register=register,
            arrival_number=register.last_number,
            arrived_at=arrived_at,
            channel=channel,
            sender=sender,
            registered_by=actor,
            file_sha256=hashlib.sha256(pdf).hexdigest(),
            **{field: getattr(received, field) for field in Received.__dataclass_fields__},
        )
        if stamp is not None:
            with (
                stored_pdf(document, "original_file", filename, pdf),
                stored_pdf(document, "file", filename, stamp(document, pdf)),
            ):
                document.save()
        else:
            with stored_pdf(document, "file", filename, pdf):
                document.save()
        IncomingEvent.objects.create(
            document=document,
            kind=IncomingEvent.Kind.REGISTERED,
            actor=actor,
            data={"arrival_number": document.arrival_number, "channel": channel, **event_data},
        )
        transaction.on_commit(
            lambda: status_changed.send(IncomingDocument, document=document, actor=actor)
        )
    return document


# --- What the body does with it (decisions/incoming_lifecycle.py) ---------------------------------


def register_received(
    organization: Organization,
    received: Received,
    *,
    channel: IncomingDocument.Channel,
    pdf: bytes,
    filename: str,
    actor: User,
    **event_data: Any,
) -> IncomingDocument:
    """The văn thư registers a document received on paper (stamped "ĐẾN") or by e-mail."""
    from decisions import stamp

    if not incoming_lifecycle.may_register(actor, organization):
        raise permissions.NotAllowed(str(incoming_lifecycle.TRANSITIONS[0].refused))
    return register_incoming(
        organization,
        received,
        channel=channel,
        pdf=pdf,
        filename=filename,
        actor=actor,
        stamp=stamp.stamp_arrival if channel == IncomingDocument.Channel.PAPER else None,
        **event_data,
    )


def _move(
    action: str,
    document: IncomingDocument,
    actor: User,
    *,
    note: str = "",
    notify: tuple[User | None, str] | None = None,
    data: dict[str, Any] | None = None,
    **changes: Any,
) -> IncomingDocument:
    """Take one row of the table: lock, check, change, record, notify (queued); tell the
    listeners of `status_changed` after commit."""
    with transaction.atomic():
        locked = incoming_lifecycle.begin(action, document=document, actor=actor)
        row = incoming_lifecycle.check(action, document=locked, actor=actor)
        for name, value in changes.items():
            setattr(locked, name, value)
        locked.status = row.target
        locked.save()
        IncomingEvent.objects.create(
            document=locked, kind=row.event, actor=actor, note=note, data=data or {}
        )
        if notify is not None and notify[0] is not None and notify[0].pk != actor.pk:
            notifications.enqueue(
                "incoming", document_id=locked.pk, user_ids=[notify[0].pk], step=notify[1]
            )
        transaction.on_commit(
            lambda: status_changed.send(IncomingDocument, document=locked, actor=actor)
        )
    return locked


def _require(user: User | None, permission: str, document: IncomingDocument, message: str) -> User:
    if user is None or not permissions.holds(user, permission, document.register.organization):
        raise ValidationError(message, code="not_in_body")
    return user


def forward(
    document: IncomingDocument, *, actor: User, leader: User, note: str = ""
) -> IncomingDocument:
    """The văn thư forwards the document to a leader for direction (trình)."""
    _require(
        leader,
        permissions.DIRECT_INCOMING,
        document,
        _("Choose a leader who directs incoming documents of this body."),
    )
    return _move(
        "forward",
        document,
        actor,
        note=note,
        leader=leader,
        notify=(leader, str(_("direct the handling"))),
        data={"leader": leader.pk},
    )


def direct(
    document: IncomingDocument,
    *,
    actor: User,
    direction: str,
    handler: User,
    working_days: int,
) -> IncomingDocument:
    """The leader writes the direction, names the handler (chủ trì) and the due date."""
    _require(handler, permissions.HANDLE_INCOMING, document, _("Choose a handler of this body."))
    due = incoming_lifecycle.due_date(working_days)
    return _move(
        "direct",
        document,
        actor,
        note=direction,
        direction=direction,
        leader=actor,
        handler=handler,
        due_date=due,
        notify=(handler, str(_("handle it by %(due)s") % {"due": f"{due:%d/%m/%Y}"})),
        data={"handler": handler.pk, "due_date": due.isoformat(), "working_days": working_days},
    )


def assign(
    document: IncomingDocument, *, actor: User, handler: User, working_days: int, note: str = ""
) -> IncomingDocument:
    """The văn thư or a leader names the handler and the due date (in working days)."""
    _require(handler, permissions.HANDLE_INCOMING, document, _("Choose a handler of this body."))
    due = incoming_lifecycle.due_date(working_days)
    return _move(
        "assign",
        document,
        actor,
        note=note,
        handler=handler,
        due_date=due,
        reminded_at=None,
        notify=(handler, str(_("handle it by %(due)s") % {"due": f"{due:%d/%m/%Y}"})),
        data={"handler": handler.pk, "due_date": due.isoformat(), "working_days": working_days},
    )


def start(document: IncomingDocument, *, actor: User) -> IncomingDocument:
    """The handler starts handling it."""
    return _move("start", document, actor)


def done(
    document: IncomingDocument, *, actor: User, reply_reference: str = "", note: str = ""
) -> IncomingDocument:
    """The handler has finished it (with the number and symbol of the reply, if any)."""
    return _move(
        "done",
        document,
        actor,
        note=note,
        done_at=timezone.now(),
        reply_reference=reply_reference,
        data={"reply_reference": reply_reference} if reply_reference else {},
    )


def return_to_clerk(document: IncomingDocument, *, actor: User, reason: str) -> IncomingDocument:
    """A leader or the handler sends it back to the văn thư, with a reason."""
    return _move(
        "return_", document, actor, note=reason, handler=None, due_date=None, reminded_at=None
    )


def refuse(document: IncomingDocument, *, actor: User, reason: str) -> IncomingDocument:
    """Refuse it (misaddressed, unreadable): it stays in the register, nobody handles it."""
    return _move("refuse", document, actor, note=reason, data={"reason": reason})


def remind_overdue_incoming(*, today: datetime.date | None = None) -> list[IncomingDocument]:
    """Remind each handler whose document is past its due date, once per assignment (safe to
    run twice; rows are locked one by one, SKIP LOCKED)."""
    today = today or timezone.localdate()
    overdue = IncomingDocument.objects.filter(
        incoming_lifecycle.overdue_filter(today), reminded_at__isnull=True, handler__isnull=False
    ).values_list("pk", flat=True)
    reminded = []
    for pk in overdue:
        with transaction.atomic():
            document = (
                IncomingDocument.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(pk=pk, reminded_at__isnull=True)
                .first()
            )
            if document is None or document.handler_id is None:
                continue
            document.reminded_at = timezone.now()
            document.save(update_fields=["reminded_at"])
            due = f"{document.due_date:%d/%m/%Y}" if document.due_date else ""
            IncomingEvent.objects.create(
                document=document, kind=IncomingEvent.Kind.REMINDED, data={"due_date": due}
            )
            notifications.enqueue(
                "incoming",
                document_id=document.pk,
                user_ids=[document.handler_id],
                step=str(_("overdue since %(due)s") % {"due": due}),
            )
            reminded.append(document)
    return reminded
