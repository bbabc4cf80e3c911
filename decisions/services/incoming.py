"""Entering received documents in a body's incoming register (NĐ 30/2020/NĐ-CP, Điều 20–22).

`register_incoming` is the one way into the register, for every channel: a package from the
document exchange, a scanned paper document, a document received by e-mail. It gives the
arrival number (gap-free per register and year: the register row is locked, like the outgoing
registers in decisions/numbering.py), stores the file on commit and records the entry.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

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
    **event_data: Any,
) -> IncomingDocument:
    """Enter one received document in `organization`'s incoming register and return it.

    Validation of the content belongs to the caller (the edXML receiver, the văn thư's forms);
    this only numbers and stores, all or nothing."""
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
