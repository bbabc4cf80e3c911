"""Receiving an edXML package: check it, then enter it in the incoming register of each of our
bodies it is addressed to (NĐ 30/2020/NĐ-CP, Điều 21–22; QCVN 102:2016).

The one way a package comes in, whatever brought it (the exchange endpoint, the văn thư's
upload, `manage.py import_edxml`). All or nothing: either every receiving body of ours has it in
its register, or none has and the package is kept as refused with the reason. Either way the
package itself is kept (ReceivedPackage) for inspection.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Collection

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from decisions.exchange import edxml
from decisions.exchange.edxml import Package, PackageError
from decisions.models import (
    ExchangePartner,
    IncomingDocument,
    Organization,
    ReceivedPackage,
    User,
)
from decisions.services.incoming import Received, register_incoming

logger = logging.getLogger(__name__)


def receive(
    data: bytes,
    *,
    via: str,
    partner: ExchangePartner | None = None,
    actor: User | None = None,
    bodies: Collection[int] | None = None,
) -> ReceivedPackage:
    """Check the package `data` and register it; return the kept package, accepted or refused.
    With `bodies` (ids), only those of the receivers are registered (a văn thư uploading a
    package enters it in the registers he keeps, not in other bodies').

    Never raises for a bad package: the transport answers with the row's status and reason."""
    row = ReceivedPackage(
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        via=via,
        partner=partner,
        received_by=actor,
        received_at=timezone.now(),
    )
    if len(data) <= edxml.max_bytes():  # an oversized body is not stored, only counted
        row.file.save(f"{row.sha256[:16]}.xml", ContentFile(data), save=False)
    try:
        edxml.check_size(len(data))
        package = edxml.parse(data)
        row.sender_identifier = package.sender.identifier[:20]
        row.document_id = package.document_id[:200]
        with transaction.atomic():
            receivers = _check(package, partner=partner, only=bodies)
            row.status = ReceivedPackage.Status.ACCEPTED
            row.save()
            row.documents.set(_register(package, receivers, row=row, actor=actor))
    except PackageError as error:
        logger.info("edXML package %s refused: %s", row.sha256[:12], error)
        row.pk = None
        row.status = ReceivedPackage.Status.REFUSED
        row.refusal_code, row.reason = error.code, error.message
        row.save()
    return row


def receivers_here(package: Package) -> list[Organization]:
    """The bodies of this installation the package is addressed to."""
    identifiers = {party.identifier for party in package.receivers}
    return list(
        Organization.objects.filter(
            identifier__in=identifiers, exchange_partner__isnull=True
        ).order_by("identifier")
    )


def _check(
    package: Package, *, partner: ExchangePartner | None, only: Collection[int] | None = None
) -> list[Organization]:
    """The bodies of ours to register the package for, or PackageError. Runs in the
    transaction, after the registers are locked for the duplicate check."""
    sender = Organization.objects.filter(identifier=package.sender.identifier).first()
    if sender is None:
        raise PackageError(
            "unknown_sender",
            _("The sender's identifier code %s is not in the directory.")
            % package.sender.identifier,
        )
    if partner is not None and sender.exchange_partner_id != partner.pk:
        raise PackageError(
            "unknown_sender",
            _("The sender %(code)s is not reached through %(partner)s.")
            % {"code": package.sender.identifier, "partner": partner.name},
        )
    bodies = receivers_here(package)
    if not bodies:
        raise PackageError(
            "not_for_us",
            _("None of the receivers (%s) is a body of this system.")
            % ", ".join(party.identifier for party in package.receivers),
        )
    if only is not None:
        bodies = [body for body in bodies if body.pk in only]
        if not bodies:
            raise PackageError(
                "not_for_us",
                _("None of the receivers (%s) is a body whose incoming register you keep.")
                % ", ".join(party.identifier for party in package.receivers),
            )
    _check_pdf(package)
    from decisions.services.incoming import incoming_register

    year = timezone.localdate().year
    for body in bodies:
        incoming_register(body, year)  # locked: a second copy of the package waits here
        duplicate = IncomingDocument.objects.filter(  # the same sender's: an id is the sender's
            register__organization=body,
            exchange_document_id=package.document_id[:100],
            sender_identifier=package.sender.identifier[:20],
        ).first()
        if duplicate is not None:
            raise PackageError(
                "duplicate",
                _("%(body)s already received this document (arrival number %(number)s).")
                % {"body": body.one_line_name, "number": duplicate.arrival_number},
            )
    return bodies


def _check_pdf(package: Package) -> None:
    from decisions.signing.verification import verify_pdf

    pdf = package.pdf()
    if pdf is None or not pdf.data.startswith(b"%PDF-"):
        raise PackageError("no_pdf", _("The package carries no PDF of the document."))
    limit = settings.DECISIONS_VERIFY_MAX_BYTES
    if len(pdf.data) > limit:
        raise PackageError(
            "too_large",
            _("The PDF is too large (%(size)s MB); the limit is %(limit)s MB.")
            % {"size": round(len(pdf.data) / 1048576, 1), "limit": round(limit / 1048576, 1)},
        )
    report = verify_pdf(pdf.data, long_term=False)
    if not report.valid:
        raise PackageError(
            "bad_signature",
            report.error or _("The digital signatures of the PDF are missing or do not validate."),
        )


def _register(
    package: Package,
    bodies: list[Organization],
    *,
    row: ReceivedPackage,
    actor: User | None,
) -> list[IncomingDocument]:
    pdf = package.pdf()
    if pdf is None:  # _check_pdf refused it already
        raise PackageError("no_pdf", _("The package carries no PDF of the document."))
    received = Received(
        sender_name=package.sender.name[:300],
        subject=package.subject,
        reference=package.reference[:100],
        document_date=package.promulgation_date,
        document_type=package.type_name[:100],
        urgency=edxml.incoming_urgency(package.urgency),
        sender_identifier=package.sender.identifier[:20],
        pages=package.page_amount,
        exchange_document_id=package.document_id[:100],
    )
    return [
        register_incoming(
            body,
            received,
            channel=IncomingDocument.Channel.EXCHANGE,
            pdf=pdf.data,
            filename=_safe_name(pdf.name),
            actor=actor,
            package=row.pk,
            via=row.via,
            document_id=package.document_id,
        )
        for body in bodies
    ]


def _safe_name(name: str) -> str:
    """A file name for storage: ASCII letters, digits, dots and hyphens, ending in .pdf."""
    stem = re.sub(r"[^A-Za-z0-9.-]+", "-", name.rsplit("/", 1)[-1]).strip(".-")[:80]
    stem = stem.removesuffix(".pdf") or "van-ban"
    return f"{stem}.pdf"
