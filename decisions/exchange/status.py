"""edXML status messages: what a receiving system tells the sender about a document it got.

The message (element names as a provincial-axis client in public code builds it; the text of
QCVN 102:2016 itself was not found with `search`):

    edXMLEnvelope / edXMLHeader / Status
        ResponseFor {OrganId (the sender's code), Code (number and symbol), PromulgationDate,
                     DocumentId}
        From {OrganId, OrganName, …} (the receiving body)
        StatusCode, Description, Timestamp ("dd/MM/yyyy HH:mm:ss", local time), StaffInfo
        {Department, Staff}

Status codes: 01 đã đến, 02 từ chối tiếp nhận, 03 đã tiếp nhận, 04 phân công, 05 đang xử lý,
06 hoàn thành. NOT confirmed against the standard's text: the values are those commonly cited
from the government exchange axis's guides (shared/notes/edxml.md); searches of public code and
pages found the StatusCode element and its companions but no table of values. One table here
(CODES) is the place to correct them.

- Receiver side: 01 is the endpoint's answer to a package; `on_status_changed` (connected to
  decisions.services.incoming.status_changed) queues 03/04/05/06/02 for documents received by
  exchange, each sent once (OutgoingStatus) with retries (jobs.send_status).
- Sender side: `receive_status` updates the SentPackage and the Delivery (03 and later count as
  the receiver's acknowledgement, NĐ 30 Art. 21.2.c) and records an event on the decision.
"""

from __future__ import annotations

import datetime
import logging
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from lxml import etree  # type: ignore[import-untyped]

from decisions.models import (
    DecisionEvent,
    Delivery,
    ExchangePartner,
    IncomingDocument,
    Organization,
    OutgoingStatus,
    SentPackage,
    User,
)
from decisions.services.incoming import status_changed

if TYPE_CHECKING:
    from decisions.models import ReceivedPackage

logger = logging.getLogger(__name__)

NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
MAX_BYTES = 64 * 1024

ARRIVED, REFUSED, ACCEPTED, ASSIGNED, IN_PROGRESS, DONE = "01", "02", "03", "04", "05", "06"

# code → (description sent in the message, label shown on our pages)
CODES = {
    ARRIVED: ("Đã đến", _("Arrived")),
    REFUSED: ("Từ chối tiếp nhận", _("Refused")),
    ACCEPTED: ("Đã tiếp nhận", _("Registered")),
    ASSIGNED: ("Phân công", _("Assigned")),
    IN_PROGRESS: ("Đang xử lý", _("Being handled")),
    DONE: ("Hoàn thành", _("Done")),
}

# How far along each code is (a refusal ends it).
ORDER = [ARRIVED, ACCEPTED, ASSIGNED, IN_PROGRESS, DONE, REFUSED]

# The incoming document's state → the code its sender is told.
FOR_STATE = {
    IncomingDocument.Status.REGISTERED: ACCEPTED,
    IncomingDocument.Status.ASSIGNED: ASSIGNED,
    IncomingDocument.Status.IN_PROGRESS: IN_PROGRESS,
    IncomingDocument.Status.DONE: DONE,
    IncomingDocument.Status.REFUSED: REFUSED,
}

TIMESTAMP_FORMAT = "%d/%m/%Y %H:%M:%S"


def label(code: str) -> str:
    return str(CODES[code][1]) if code in CODES else code


@dataclass(frozen=True)
class StatusMessage:
    document_id: str
    code: str
    from_id: str
    from_name: str = ""
    description: str = ""
    timestamp: datetime.datetime | None = None
    sender_id: str = ""  # ResponseFor/OrganId: the body that sent the document
    reference: str = ""
    promulgation_date: str = ""
    department: str = ""
    staff: str = ""


class InvalidStatusError(ValueError):
    """A status message that is not one (the reason is for the log and the answer)."""


def build(message: StatusMessage) -> bytes:
    """The edXML status message, UTF-8."""

    def el(parent: etree._Element, name: str, text: str | None = None) -> etree._Element:
        child = etree.SubElement(parent, f"{{{NS}}}{name}")
        if text is not None:
            child.text = text
        return child

    root = etree.Element(f"{{{NS}}}edXMLEnvelope", nsmap={"edXML": NS})
    status = el(el(root, "edXMLHeader"), "Status")
    response_for = el(status, "ResponseFor")
    el(response_for, "OrganId", message.sender_id)
    el(response_for, "Code", message.reference)
    el(response_for, "PromulgationDate", message.promulgation_date)
    el(response_for, "DocumentId", message.document_id)
    origin = el(status, "From")
    el(origin, "OrganId", message.from_id)
    el(origin, "OrganName", message.from_name)
    el(status, "StatusCode", message.code)
    el(status, "Description", message.description or CODES.get(message.code, ("",))[0])
    at = timezone.localtime(message.timestamp or timezone.now())
    el(status, "Timestamp", at.strftime(TIMESTAMP_FORMAT))
    staff = el(status, "StaffInfo")
    el(staff, "Department", message.department)
    el(staff, "Staff", message.staff)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))


_PARSER = etree.XMLParser(
    resolve_entities=False,
    no_network=True,
    load_dtd=False,
    dtd_validation=False,
    huge_tree=False,
    remove_comments=True,
    remove_pis=True,
)


def _text(node: etree._Element | None, path: str) -> str:
    if node is None:
        return ""
    found = node.find(path)
    return (found.text or "").strip() if found is not None else ""


def parse(data: bytes) -> StatusMessage:
    """Read a status message; InvalidStatusError for anything else (no DTD, no entities, bounded
    size, a known two-digit code, a document id and a sender)."""
    if len(data) > MAX_BYTES:
        raise InvalidStatusError("status message too large")
    if b"<!DOCTYPE" in data.upper() or b"<!ENTITY" in data.upper():
        raise InvalidStatusError("DTDs and entities are not accepted")
    try:
        root = etree.fromstring(data, parser=_PARSER)
    except etree.XMLSyntaxError as error:
        raise InvalidStatusError(f"malformed XML: {error}") from None
    # Accept the namespaced form and the unqualified one some senders use.
    status = next((e for e in root.iter() if etree.QName(e).localname == "Status"), None)
    if status is None:
        raise InvalidStatusError("no Status element")
    for element in status.iter():
        if isinstance(element.tag, str):
            element.tag = etree.QName(element).localname
    code = _text(status, "StatusCode")
    if not re.fullmatch(r"\d{2}", code) or code not in CODES:
        raise InvalidStatusError(f"unknown status code {code!r}")
    document_id = _text(status, "ResponseFor/DocumentId")
    from_id = _text(status, "From/OrganId")
    if not document_id:
        raise InvalidStatusError("the document id is required")
    stamp = _text(status, "Timestamp")
    timestamp = None
    for fmt in (TIMESTAMP_FORMAT, "%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M:%S"):
        try:
            timestamp = datetime.datetime.strptime(stamp, fmt)  # noqa: DTZ007 - made aware below
            break
        except ValueError:
            continue
    if timestamp is not None and timezone.is_naive(timestamp):
        timestamp = timezone.make_aware(timestamp)
    return StatusMessage(
        document_id=document_id[:100],
        code=code,
        from_id=from_id[:20],
        from_name=_text(status, "From/OrganName")[:300],
        description=_text(status, "Description")[:500],
        timestamp=timestamp,
        sender_id=_text(status, "ResponseFor/OrganId")[:20],
        reference=_text(status, "ResponseFor/Code")[:100],
        promulgation_date=_text(status, "ResponseFor/PromulgationDate")[:30],
        department=_text(status, "StaffInfo/Department")[:300],
        staff=_text(status, "StaffInfo/Staff")[:300],
    )


def parse_or_none(data: bytes) -> StatusMessage | None:
    try:
        return parse(data)
    except InvalidStatusError:
        return None


# --- Receiver side ---------------------------------------------------------------------------


def for_document(
    document: IncomingDocument, code: str, *, actor: User | None = None, description: str = ""
) -> StatusMessage:
    """The status message about a document in our incoming register."""
    body = document.register.organization
    return StatusMessage(
        document_id=document.exchange_document_id,
        code=code,
        from_id=body.identifier or "",
        from_name=body.name,
        description=description,
        sender_id=document.sender_identifier,
        reference=document.reference,
        promulgation_date=document.document_date.isoformat() if document.document_date else "",
        staff=(actor.get_full_name() or actor.get_username()) if actor else "",
    )


@dataclass(frozen=True)
class EndpointAnswer:
    http_status: int
    message: StatusMessage


def answer_for(received: ReceivedPackage) -> EndpointAnswer:
    """The endpoint's answer to a package: 01 when it is in our register (now, or already:
    a sender that retries is told it arrived), else 02 with the reason."""
    documents = list(received.documents.select_related("register__organization"))
    if received.accepted or received.refusal_code == "duplicate":
        here = documents[0].register.organization if documents else None
        if here is None:
            here = Organization.objects.filter(
                incoming_registers__documents__exchange_document_id=received.document_id[:100],
                incoming_registers__documents__sender_identifier=received.sender_identifier,
            ).first()
        return EndpointAnswer(
            200,
            StatusMessage(
                document_id=received.document_id,
                code=ARRIVED,
                from_id=(here.identifier or "") if here else "",
                from_name=here.name if here else "",
                sender_id=received.sender_identifier,
            ),
        )
    http_status = 413 if received.refusal_code == "too_large" else 400
    return EndpointAnswer(
        http_status,
        StatusMessage(
            document_id=received.document_id,
            code=REFUSED,
            from_id="",
            description=received.reason[:500] or CODES[REFUSED][0],
            sender_id=received.sender_identifier,
        ),
    )


def partner_of(document: IncomingDocument) -> ExchangePartner | None:
    """The partner a document came through, if its sender is answered over HTTP."""
    if document.channel != IncomingDocument.Channel.EXCHANGE or not document.exchange_document_id:
        return None
    partner = document.sender.exchange_partner if document.sender else None
    if partner is None or partner.transport != ExchangePartner.Transport.HTTP:
        return None
    return partner


def queue(partner: ExchangePartner, message: StatusMessage) -> OutgoingStatus | None:
    """Queue one status message to `partner`, once per (document, our body, code)."""
    from decisions import jobs

    with transaction.atomic():
        row, created = OutgoingStatus.objects.get_or_create(
            partner=partner,
            document_id=message.document_id,
            from_identifier=message.from_id,
            code=message.code,
            defaults={"message": build(message).decode()},
        )
        if created:
            jobs.send_status.enqueue(row.pk)
    return row if created else None


@receiver(status_changed, dispatch_uid="exchange_status_messages")
def on_status_changed(
    sender: object, *, document: IncomingDocument, actor: User | None = None, **kwargs: object
) -> None:
    """An incoming document received by exchange changed state: tell its sender."""
    code = FOR_STATE.get(IncomingDocument.Status(document.status))
    partner = partner_of(document) if code else None
    if code is None or partner is None:
        return
    description = document.note[:500] if code == REFUSED else ""
    queue(partner, for_document(document, code, actor=actor, description=description))


def answer_final(error: str) -> bool:
    """A refusal that trying again will not change (a 4xx other than 401, 408 and 429)."""
    match = re.match(r"HTTP (\d{3})", error)
    if match is None:
        return False
    return match[1].startswith("4") and match[1] not in ("401", "408", "429")


def send_status(status_id: int) -> str:
    """Send one queued status message; retried with back-off until it goes."""
    from decisions import jobs
    from decisions.exchange import transport

    row = OutgoingStatus.objects.select_related("partner").get(pk=status_id)
    if row.sent_at or row.gave_up_at:
        return "already done"
    try:
        answer = transport.transport_for(row.partner).send_status(row.message.encode(), "")
        error = "" if 200 <= answer.status < 300 else f"HTTP {answer.status}: {answer.body[:300]!r}"
    except Exception as failure:
        error = str(failure) or failure.__class__.__name__
    attempts = row.attempts + 1
    now = timezone.now()
    if not error:
        OutgoingStatus.objects.filter(pk=row.pk).update(
            sent_at=now, attempts=attempts, last_error=""
        )
        return "sent"
    final = answer_final(error)
    with transaction.atomic():
        if final or attempts >= settings.DECISIONS_EXCHANGE_ATTEMPTS:
            OutgoingStatus.objects.filter(pk=row.pk).update(
                gave_up_at=now, attempts=attempts, last_error=error[:2000]
            )
            logger.error("Gave up sending status message %s: %s", row.pk, error)
            return "gave up"
        OutgoingStatus.objects.filter(pk=row.pk).update(attempts=attempts, last_error=error[:2000])
        run_after = now + datetime.timedelta(seconds=transport.retry_delay(attempts))
        jobs.send_status.using(run_after=run_after).enqueue(row.pk)
    logger.warning("Status message %s not delivered (%s); trying again", row.pk, error)
    return "retry"


# --- Sender side -----------------------------------------------------------------------------


def receive_status(message: StatusMessage, *, partner: ExchangePartner) -> SentPackage | None:
    """A receiver's status about a package we sent (posted to /api/edxml/status/); None if no
    package of ours to that body matches it."""
    package = SentPackage.objects.filter(
        partner=partner,
        document_id=message.document_id,
        delivery__organization__identifier=message.from_id,
    ).first()
    if package is None or not message.from_id:
        return None
    apply(package, message)
    return package


def apply(package: SentPackage, message: StatusMessage) -> None:
    """Show a status about `package` on its delivery row and in its decision's history; each
    code once per delivery."""
    from decisions import events

    with transaction.atomic():
        package = (
            SentPackage.objects.select_for_update(of=("self",))
            .select_related("delivery__decision", "delivery__organization")
            .get(pk=package.pk)
        )
        delivery = package.delivery
        seen = DecisionEvent.objects.filter(
            decision_id=delivery.decision_id,
            kind=DecisionEvent.Kind.EXCHANGE_STATUS,
            data__delivery=delivery.pk,
            data__code=message.code,
        ).exists()
        if seen:
            return
        at = message.timestamp or timezone.now()
        description = (message.description or CODES[message.code][0])[:500]
        # A status that arrives late (01 after 03) does not hide the later one.
        if ORDER.index(message.code) >= ORDER.index(package.last_status_code or ARRIVED):
            package.last_status_code = message.code
            package.last_status_description = description
            package.last_status_at = at
        if message.code == REFUSED:
            package.status = SentPackage.Status.REFUSED
        package.save()
        if message.code not in (ARRIVED, REFUSED) and delivery.status in (
            Delivery.Status.SENT,
            Delivery.Status.OPENED,
        ):
            delivery.status = Delivery.Status.ACKNOWLEDGED
            delivery.opened_at = delivery.opened_at or at
            delivery.acknowledged_at = at
            delivery.save(update_fields=["status", "opened_at", "acknowledged_at"])
        events.record(
            delivery.decision,
            DecisionEvent.Kind.EXCHANGE_STATUS,
            actor=None,
            delivery=delivery.pk,
            body=str(delivery.organization),
            code=message.code,
            description=description,
            staff=message.staff,
            at=at.isoformat(),
        )
