"""edXML packages (QCVN 102:2016/BTTTT, amended by SĐ1:2022): building one from an issued
decision, and reading one received from another document system.

What is confirmed and what is not. The text of QCVN 102:2016 itself (the PDF published by the
Ministry of Information and Communications) could not be read from here; the namespace, the
element names and their nesting below follow public implementations that were read with the
project's `search` tool, and agree with each other:
- confirmed in several independent public implementations (a TypeScript builder written "theo
  SDK chuẩn" from a provincial axis' .NET SDK sample, a Java gateway's builder and parser, a Go
  client, a Java "EdXmlConstant" class): the namespace http://www.mic.gov.vn/TBT/QCVN_102_2016;
  root `edXML` holding `edXMLEnvelope` then `AttachmentEncoded`; `edXMLEnvelope` ->
  `edXMLHeader` (`MessageHeader`, `TraceHeaderList` -> `TraceHeader` {`OrganId`, `Timestamp`})
  and `edXMLBody` -> `edXMLManifest` -> `Reference`; `From`/`To` {`OrganId`,
  `OrganizationInCharge`, `OrganName`, `OrganAdd`, `Email`, `Telephone`, `Fax`, `Website`};
  `Code` {`CodeNumber`, `CodeNotation`}; `PromulgationInfo` {`Place`, `PromulgationDate`};
  `DocumentType` {`Type`, `TypeDetail`, `TypeName`}; `Subject`; `Content`; `SignerInfo`
  {`Competence`, `Position`, `FullName`}; `DueDate`; `ToPlaces` {`Place`}; `OtherInfo`
  {`Priority`, `SphereOfPromulgation`, `TyperNotation`, `PromulgationAmount`, `PageAmount`,
  `Appendixes` {`Appendix`}}; `SteeringType`; `DocumentId`; `Attachment` {`ContentId`,
  `ContentType`, `Description`, `AttachmentName`, `ContentTransferEncoded` (base64)}; dates
  written yyyy/MM/dd and timestamps yyyy/MM/dd HH:mm:ss; DocumentId written
  "<sender's OrganId>,<yyyy/MM/dd>,<number/symbol>".
- following one implementation or the project's notes only (not confirmed): `ResponseFor`
  {`OrganId`, `Code`, `PromulgationDate`, `DocumentId`}; the meaning of `Type` (1 legal
  normative document, 2 administrative document) and of `TypeDetail` (the code of the SĐ1:2022
  list, DOCUMENT_TYPE_CODES below); the Priority values (0 normal, 1 khẩn, 2 thượng khẩn,
  3 hỏa tốc, 4 hỏa tốc hẹn giờ) and the SteeringType values (0 new document, 1 recall,
  2 update, 3 replace).
We write every element in the namespace with the prefix `edXML:` and read packages whatever
prefix they use. Packages are read with defusedxml: a DTD, any entity declaration and any
external reference are refused before anything is expanded, and the size is checked first.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import hashlib
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from decisions.models import Decision, Organization

NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
PREFIX = "edXML"
DATE_FORMAT = "%Y/%m/%d"
TIMESTAMP_FORMAT = "%Y/%m/%d %H:%M:%S"
PDF = "application/pdf"

# Type: the group of the SĐ1:2022 code list.
LEGAL_NORMATIVE = 1  # A. văn bản quy phạm pháp luật
ADMINISTRATIVE = 2  # B. văn bản hành chính

# Our DocumentType abbreviation -> its name and code in the SĐ1:2022 list (QCVN 102:2016 SĐ1:2022,
# danh mục loại văn bản; see docs in nd30-rules §6.5): (administrative code, legal normative
# code or None). The one place this mapping lives.
DOCUMENT_TYPE_CODES: dict[str, tuple[int, int | None]] = {
    "NQ": (1, None),  # Nghị quyết (cá biệt)
    "QĐ": (2, 8),  # Quyết định (cá biệt) / Quyết định (quy phạm)
    "CT": (3, 11),  # Chỉ thị / Chỉ thị của UBND (quy phạm)
    "QC": (4, None),  # Quy chế
    "QyĐ": (5, None),  # Quy định
    "TC": (6, None),  # Thông cáo
    "TB": (7, None),  # Thông báo
    "HD": (8, None),  # Hướng dẫn
    "CTr": (9, None),  # Chương trình
    "CV": (18, None),  # Công văn
    "CĐ": (19, None),  # Công điện
    "GM": (25, None),  # Giấy mời
}

# Priority (OtherInfo) <-> our urgencies.
PRIORITY_NORMAL, PRIORITY_URGENT, PRIORITY_VERY_URGENT, PRIORITY_FLASH, PRIORITY_FLASH_TIMED = (
    range(5)
)
STEERING_NEW = 0
MAX_COUNT = 1_000_000  # numbers, pages, copies: above is not a document's (and not a 500)


class PackageError(Exception):
    """A package that cannot be built or read: `code` is a short slug the transport answers
    with, `message` says why in Vietnamese."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


@dataclass
class Party:
    """A sender (From) or receiver (To)."""

    identifier: str
    name: str
    in_charge: str = ""
    address: str = ""
    email: str = ""
    telephone: str = ""
    fax: str = ""
    website: str = ""


@dataclass
class Trace:
    """One hop of the package (TraceHeader)."""

    identifier: str
    timestamp: datetime.datetime


@dataclass
class Attachment:
    content_id: str
    name: str
    content_type: str
    data: bytes
    description: str = ""

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass
class ResponseFor:
    """The document this one answers."""

    identifier: str
    code: str
    promulgation_date: datetime.date | None
    document_id: str


@dataclass
class Package:
    document_id: str
    sender: Party
    receivers: list[Party]
    code_number: str
    code_notation: str
    place: str
    promulgation_date: datetime.date
    type_code: int
    type_detail: int
    type_name: str
    subject: str
    content: str = ""
    signer_competence: str = ""
    signer_position: str = ""
    signer_name: str = ""
    urgency: int = PRIORITY_NORMAL  # OtherInfo/Priority
    due_date: datetime.date | None = None
    steering_type: int = STEERING_NEW
    to_places: list[str] = field(default_factory=list)
    traces: list[Trace] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    response_for: ResponseFor | None = None
    sphere_of_promulgation: str = ""
    typer_notation: str = ""
    promulgation_amount: int | None = None
    page_amount: int | None = None
    appendixes: list[str] = field(default_factory=list)

    @property
    def reference(self) -> str:
        """Số, ký hiệu as printed: "93/QĐ-UBND"."""
        return (
            f"{self.code_number}/{self.code_notation}" if self.code_number else self.code_notation
        )

    def pdf(self) -> Attachment | None:
        """The signed PDF of the document: the first attachment typed or named as a PDF."""
        return next(
            (
                a
                for a in self.attachments
                if a.content_type.lower() == PDF or a.name.lower().endswith(".pdf")
            ),
            None,
        )


# --- Building -------------------------------------------------------------------------------


def _q(name: str) -> str:
    return f"{{{NS}}}{name}"


def _add(parent: ET.Element, name: str, text: str | None = None) -> ET.Element:
    element = ET.SubElement(parent, _q(name))
    if text is not None:
        element.text = text
    return element


def _date(value: datetime.date | None) -> str:
    return value.strftime(DATE_FORMAT) if value else ""


def _timestamp(value: datetime.datetime) -> str:
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.strftime(TIMESTAMP_FORMAT)


def _party(parent: ET.Element, name: str, party: Party) -> None:
    element = _add(parent, name)
    _add(element, "OrganId", party.identifier)
    _add(element, "OrganizationInCharge", party.in_charge)
    _add(element, "OrganName", party.name)
    _add(element, "OrganAdd", party.address)
    _add(element, "Email", party.email)
    _add(element, "Telephone", party.telephone)
    _add(element, "Fax", party.fax)
    _add(element, "Website", party.website)


def build(package: Package) -> bytes:
    """The package as UTF-8 XML."""
    ET.register_namespace(PREFIX, NS)
    root = ET.Element(_q("edXML"))
    envelope = _add(root, "edXMLEnvelope")
    header = _add(envelope, "edXMLHeader")
    message = _add(header, "MessageHeader")
    _party(message, "From", package.sender)
    for receiver in package.receivers:
        _party(message, "To", receiver)
    code = _add(message, "Code")
    _add(code, "CodeNumber", package.code_number)
    _add(code, "CodeNotation", package.code_notation)
    promulgation = _add(message, "PromulgationInfo")
    _add(promulgation, "Place", package.place)
    _add(promulgation, "PromulgationDate", _date(package.promulgation_date))
    document_type = _add(message, "DocumentType")
    _add(document_type, "Type", str(package.type_code))
    _add(document_type, "TypeDetail", str(package.type_detail))
    _add(document_type, "TypeName", package.type_name)
    _add(message, "Subject", package.subject)
    _add(message, "Content", package.content)
    signer = _add(message, "SignerInfo")
    _add(signer, "Competence", package.signer_competence)
    _add(signer, "Position", package.signer_position)
    _add(signer, "FullName", package.signer_name)
    _add(message, "DueDate", _date(package.due_date))
    places = _add(message, "ToPlaces")
    for place in package.to_places:
        _add(places, "Place", place)
    other = _add(message, "OtherInfo")
    _add(other, "Priority", str(package.urgency))
    _add(other, "SphereOfPromulgation", package.sphere_of_promulgation)
    _add(other, "TyperNotation", package.typer_notation)
    amount = package.promulgation_amount
    _add(other, "PromulgationAmount", "" if amount is None else str(amount))
    _add(other, "PageAmount", "" if package.page_amount is None else str(package.page_amount))
    appendixes = _add(other, "Appendixes")
    for appendix in package.appendixes:
        _add(appendixes, "Appendix", appendix)
    if package.response_for:
        response = _add(message, "ResponseFor")
        _add(response, "OrganId", package.response_for.identifier)
        _add(response, "Code", package.response_for.code)
        _add(response, "PromulgationDate", _date(package.response_for.promulgation_date))
        _add(response, "DocumentId", package.response_for.document_id)
    _add(message, "SteeringType", str(package.steering_type))
    _add(message, "DocumentId", package.document_id)
    traces = _add(header, "TraceHeaderList")
    for trace in package.traces:
        element = _add(traces, "TraceHeader")
        _add(element, "OrganId", trace.identifier)
        _add(element, "Timestamp", _timestamp(trace.timestamp))
    manifest = _add(_add(envelope, "edXMLBody"), "edXMLManifest")
    for attachment in package.attachments:
        reference = _add(manifest, "Reference")
        _add(reference, "ContentId", attachment.content_id)
        _add(reference, "ContentType", attachment.content_type)
        _add(reference, "Description", attachment.description)
        _add(reference, "AttachmentName", attachment.name)
    encoded = _add(root, "AttachmentEncoded")
    for attachment in package.attachments:
        element = _add(encoded, "Attachment")
        _add(element, "ContentId", attachment.content_id)
        _add(element, "ContentType", attachment.content_type)
        _add(element, "Description", attachment.description)
        _add(element, "AttachmentName", attachment.name)
        _add(element, "ContentTransferEncoded", base64.b64encode(attachment.data).decode("ascii"))
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


# --- Reading --------------------------------------------------------------------------------


def max_bytes() -> int:
    return int(settings.DECISIONS_EDXML_MAX_BYTES)


def check_size(size: int) -> None:
    """Refuse a package above DECISIONS_EDXML_MAX_BYTES (before reading it)."""
    if size > max_bytes():
        raise PackageError(
            "too_large",
            _("The package is too large (%(size)s MB); the limit is %(limit)s MB.")
            % {"size": round(size / 1048576, 1), "limit": round(max_bytes() / 1048576, 1)},
        )


def _malformed(detail: str) -> PackageError:
    return PackageError("malformed", _("The package is not a valid edXML file: %s") % detail)


class _Reader:
    """Reads children by local name, in the namespace or (for lenient senders) without it."""

    def __init__(self, element: ET.Element) -> None:
        self.element = element

    @staticmethod
    def _local(tag: object) -> str:
        name = str(tag)
        return name.rsplit("}", 1)[-1]

    def all(self, name: str) -> list[_Reader]:
        return [_Reader(child) for child in self.element if self._local(child.tag) == name]

    def child(self, name: str, *, required: bool = True) -> _Reader | None:
        found = self.all(name)
        if not found:
            if required:
                raise _malformed(_("the element %s is missing.") % name)
            return None
        return found[0]

    def need(self, name: str) -> _Reader:
        found = self.child(name)
        if found is None:  # child() raised already; for the type checker
            raise _malformed(name)
        return found

    def text(self, name: str, *, required: bool = False) -> str:
        found = self.child(name, required=required)
        value = (found.element.text or "").strip() if found is not None else ""
        if required and not value:
            raise _malformed(_("the element %s is empty.") % name)
        return value

    def integer(self, name: str, *, default: int | None = None) -> int | None:
        value = self.text(name)
        if not value:
            return default
        if not (value.isascii() and value.isdigit()) or int(value) > MAX_COUNT:
            raise _malformed(_("%s is not a number.") % name)
        return int(value)

    def date(self, name: str, *, required: bool = False) -> datetime.date | None:
        value = self.text(name, required=required)
        if not value:
            return None
        for shape in (DATE_FORMAT, "%Y-%m-%d", "%d/%m/%Y"):
            try:
                return datetime.date(*time.strptime(value[:10], shape)[:3])
            except ValueError:
                continue
        raise _malformed(_("%s is not a date.") % name)


def _parse_timestamp(value: str) -> datetime.datetime:
    for shape in (TIMESTAMP_FORMAT, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"):
        try:
            fields = time.strptime(value[:19], shape)[:6]
        except ValueError:
            continue
        return datetime.datetime(*fields, tzinfo=timezone.get_current_timezone())
    raise _malformed(_("%s is not a date.") % "Timestamp")


def _read_party(reader: _Reader) -> Party:
    return Party(
        identifier=reader.text("OrganId", required=True),
        name=reader.text("OrganName", required=True),
        in_charge=reader.text("OrganizationInCharge"),
        address=reader.text("OrganAdd"),
        email=reader.text("Email"),
        telephone=reader.text("Telephone"),
        fax=reader.text("Fax"),
        website=reader.text("Website"),
    )


def _parse_tree(data: bytes) -> ET.Element:
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    try:
        return fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise PackageError(
            "entities",
            _("The package declares a DTD or entities; packages with them are refused."),
        ) from None
    except (ET.ParseError, ValueError, UnicodeError) as error:
        raise _malformed(str(error)) from None


def parse(data: bytes) -> Package:
    """Read a package, or raise PackageError. Nothing is looked up in the database."""
    check_size(len(data))
    root = _Reader(_parse_tree(data))
    if root.element.tag != _q("edXML"):
        raise _malformed(_("the root element is not edXML in the namespace of QCVN 102:2016."))
    envelope = root.need("edXMLEnvelope")
    header = envelope.need("edXMLHeader")
    message = header.need("MessageHeader")
    receivers = [_read_party(to) for to in message.all("To")]
    if not receivers:
        raise _malformed(_("the element %s is missing.") % "To")
    code = message.need("Code")
    promulgation = message.need("PromulgationInfo")
    document_type = message.need("DocumentType")
    signer = message.child("SignerInfo", required=False)
    other = message.child("OtherInfo", required=False)
    places = message.child("ToPlaces", required=False)
    response = message.child("ResponseFor", required=False)
    traces = header.child("TraceHeaderList", required=False)
    promulgation_date = promulgation.date("PromulgationDate", required=True)
    if promulgation_date is None:  # date(required=True) raised already
        raise _malformed("PromulgationDate")
    package = Package(
        document_id=message.text("DocumentId", required=True),
        sender=_read_party(message.need("From")),
        receivers=receivers,
        code_number=code.text("CodeNumber"),
        code_notation=code.text("CodeNotation"),
        place=promulgation.text("Place"),
        promulgation_date=promulgation_date,
        type_code=document_type.integer("Type", default=0) or 0,
        type_detail=document_type.integer("TypeDetail", default=0) or 0,
        type_name=document_type.text("TypeName"),
        subject=message.text("Subject", required=True),
        content=message.text("Content"),
        signer_competence=signer.text("Competence") if signer else "",
        signer_position=signer.text("Position") if signer else "",
        signer_name=signer.text("FullName") if signer else "",
        urgency=(other.integer("Priority", default=0) or 0) if other else 0,
        due_date=message.date("DueDate"),
        steering_type=message.integer("SteeringType", default=0) or 0,
        to_places=[(p.element.text or "").strip() for p in places.all("Place")] if places else [],
        traces=[
            Trace(
                t.text("OrganId", required=True),
                _parse_timestamp(t.text("Timestamp", required=True)),
            )
            for t in (traces.all("TraceHeader") if traces else [])
        ],
        attachments=_read_attachments(root, envelope),
    )
    if response is not None:
        package.response_for = ResponseFor(
            identifier=response.text("OrganId"),
            code=response.text("Code"),
            promulgation_date=response.date("PromulgationDate"),
            document_id=response.text("DocumentId"),
        )
    if other is not None:
        package.sphere_of_promulgation = other.text("SphereOfPromulgation")
        package.typer_notation = other.text("TyperNotation")
        package.promulgation_amount = other.integer("PromulgationAmount")
        package.page_amount = other.integer("PageAmount")
        appendixes = other.child("Appendixes", required=False)
        package.appendixes = (
            [(a.element.text or "").strip() for a in appendixes.all("Appendix")]
            if appendixes
            else []
        )
        package.appendixes = [a for a in package.appendixes if a]
    return package


def _read_attachments(root: _Reader, envelope: _Reader) -> list[Attachment]:
    body = envelope.child("edXMLBody", required=False)
    manifest = body.child("edXMLManifest", required=False) if body else None
    described: dict[str, _Reader] = {}
    for entry in manifest.all("Reference") if manifest else []:
        described[entry.text("ContentId").removeprefix("cid:")] = entry
    attachments = []
    encoded = root.child("AttachmentEncoded", required=False)
    for element in encoded.all("Attachment") if encoded else []:
        content_id = element.text("ContentId", required=True).removeprefix("cid:")
        reference = described.get(content_id)

        def text(
            name: str, element: _Reader = element, reference: _Reader | None = reference
        ) -> str:
            return element.text(name) or (reference.text(name) if reference else "")

        try:
            data = base64.b64decode(
                "".join(element.text("ContentTransferEncoded", required=True).split()),
                validate=True,
            )
        except (binascii.Error, ValueError):
            raise _malformed(_("an attachment is not valid base64.")) from None
        attachments.append(
            Attachment(
                content_id=content_id,
                name=text("AttachmentName"),
                content_type=text("ContentType") or "application/octet-stream",
                data=data,
                description=text("Description"),
            )
        )
    return attachments


# --- From a decision ------------------------------------------------------------------------


def party_of(organization: Organization) -> Party:
    in_charge = organization.parent_name or (
        organization.parent.one_line_name if organization.parent_id and organization.parent else ""
    )
    return Party(
        identifier=organization.identifier or "",
        name=organization.one_line_name,
        in_charge=in_charge,
    )


def type_codes(decision: Decision) -> tuple[int, int]:
    """(Type, TypeDetail) of a decision: legal normative when its type is (decisions/doctypes)
    or its number carries the year. A Công văn has no abbreviation of its own (Phụ lục III)."""
    document_type = decision.document_type
    abbreviation = document_type.abbreviation or (
        "CV" if document_type.kind == "official_letter" else ""
    )
    administrative, legal = DOCUMENT_TYPE_CODES.get(abbreviation, (0, None))
    normative = document_type.kind == "normative_decision" or bool(decision.number_year)
    if normative and legal is not None:
        return LEGAL_NORMATIVE, legal
    return ADMINISTRATIVE, administrative


def priority_of(urgency: str) -> int:
    """OtherInfo/Priority of one of our urgencies (Decision.Urgency, printed values)."""
    return {
        "KHẨN": PRIORITY_URGENT,
        "THƯỢNG KHẨN": PRIORITY_VERY_URGENT,
        "HỎA TỐC": PRIORITY_FLASH,
    }.get(urgency, PRIORITY_NORMAL)


def incoming_urgency(priority: int) -> str:
    """The incoming register's urgency (IncomingDocument.Urgency) of a Priority."""
    from decisions.models import IncomingDocument

    urgency = IncomingDocument.Urgency
    return {
        PRIORITY_URGENT: urgency.URGENT,
        PRIORITY_VERY_URGENT: urgency.EXPRESS,
        PRIORITY_FLASH: urgency.FLASH,
        PRIORITY_FLASH_TIMED: urgency.FLASH,
    }.get(priority, urgency.NORMAL)


def document_id_of(identifier: str, date: datetime.date, reference: str) -> str:
    """ "000.00.00.H01,2019/06/14,93/QĐ-UBND": the same document always has the same id."""
    return f"{identifier},{_date(date)},{reference}"


def package_for(decision: Decision, receivers: list[Organization]) -> Package:
    """The package of an issued decision for `receivers` (bodies with an identifier code)."""
    from decisions import selectors
    from decisions.models import Decision

    if decision.status != Decision.Status.ISSUED or not decision.pdf or not decision.issued_on:
        raise PackageError("not_issued", _("Only an issued decision can be sent."))
    if decision.confidentiality:
        raise PackageError(
            "confidential", _("Confidential documents are not sent through the exchange.")
        )
    issuer = decision.issuer
    if not issuer.identifier:
        raise PackageError(
            "no_identifier", _("The issuing body has no identifier code (mã định danh).")
        )
    missing = [body.one_line_name for body in receivers if not body.identifier]
    if missing or not receivers:
        raise PackageError(
            "no_identifier",
            _("These receivers have no identifier code: %s") % ", ".join(missing or ["?"]),
        )
    snapshot: dict[str, Any] = decision.snapshot or selectors.printed_snapshot(decision)
    lines = [str(line) for line in snapshot.get("signature_lines", [])]
    with decision.pdf.open("rb") as stream:
        pdf = stream.read()
    type_code, type_detail = type_codes(decision)
    reference = decision.reference
    number, _slash, notation = reference.partition("/")
    return Package(
        document_id=document_id_of(issuer.identifier, decision.issued_on, reference),
        sender=party_of(issuer),
        receivers=[party_of(body) for body in receivers],
        code_number=number,
        code_notation=notation,
        place=str(snapshot.get("place", "")),
        promulgation_date=decision.issued_on,
        type_code=type_code,
        type_detail=type_detail,
        type_name=decision.document_type.name,
        subject=decision.subject,
        content=decision.title[:500],
        signer_competence=" ".join(lines[:-1]),
        signer_position=lines[-1] if lines else str(snapshot.get("signer_title", "")),
        signer_name=str(snapshot.get("signer_name", "")),
        urgency=priority_of(decision.urgency),
        to_places=[str(line) for line in snapshot.get("recipients", [])],
        traces=[
            Trace(issuer.identifier, (decision.issued_at or timezone.now()).replace(microsecond=0))
        ],
        attachments=[
            Attachment(
                content_id=decision.pdf_sha256[:32] or hashlib.sha256(pdf).hexdigest()[:32],
                name=selectors.pdf_filename(decision),
                content_type=PDF,
                data=pdf,
                description=decision.title[:250],
            )
        ],
        typer_notation=decision.drafter_initials,
        promulgation_amount=decision.copies,
    )


def default_receivers(decision: Decision) -> list[Organization]:
    """Whom a decision's package goes to by default: the bodies of its Nơi nhận (directly or
    through a group) reached by exchange; if none is, every one of them with an identifier."""
    from decisions.models import Organization

    lines = [line for line in decision.recipients.all() if not line.is_archive]
    bodies = Organization.objects.filter(identifier__isnull=False).filter(
        models.Q(
            pk__in=[pk for line in lines for pk in line.organizations.values_list("pk", flat=True)]
        )
        | models.Q(recipient_groups__in=[g.pk for line in lines for g in line.groups.all()])
    )
    bodies = bodies.exclude(pk=decision.issuer_id).distinct().order_by("identifier")
    external = [body for body in bodies if body.exchange_partner_id]
    return external or list(bodies)


def export(decision: Decision, receivers: list[Organization]) -> bytes:
    """The package of an issued decision for `receivers`, as XML."""
    return build(package_for(decision, receivers))
