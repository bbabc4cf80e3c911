"""Checking the signatures of a PDF: used by `verify_pdf` and the public verification page.

For each signature: who signed, when, whether the signed bytes are intact, whether the signer's
certificate leads to a trusted root, and what changed in the file after it (pyHanko's diff
analysis: after the leader's certification only form filling, the seal and validation data are
acceptable). Then whether the file validates long-term from its own embedded data (PAdES B-LTA),
and which register entry it is.
"""

from __future__ import annotations

import asyncio
import datetime
import hashlib
import logging
from dataclasses import dataclass
from io import BytesIO
from typing import Any

from django.utils.translation import gettext as _

from decisions.models import Decision
from decisions.signing import pades, trust

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SignatureCheck:
    field: str
    kind: str  # "leader", "seal", "timestamp" or "other"
    signer: str
    signed_at: datetime.datetime | None
    intact: bool
    trusted: bool
    changes_after: str  # NONE, LTA_UPDATES, FORM_FILLING, ANNOTATIONS, OTHER
    acceptable_changes: bool
    timestamped: bool
    test: bool

    @property
    def valid(self) -> bool:
        return self.intact and self.trusted and self.acceptable_changes

    @property
    def kind_label(self) -> str:
        labels = {
            "leader": _("Signature of the leader"),
            "seal": _("Signature (seal) of the body"),
            "timestamp": _("Document timestamp"),
        }
        return labels.get(self.kind, _("Other signature"))

    @property
    def changes_label(self) -> str:
        labels = {
            "NONE": _("no change after it"),
            "LTA_UPDATES": _("only validation data and timestamps added after it"),
            "FORM_FILLING": _("only the number, the date and the seal added after it"),
            "ANNOTATIONS": _("annotations added after it"),
            "OTHER": _("the content was changed after it"),
        }
        return labels.get(self.changes_after, self.changes_after)


@dataclass(frozen=True)
class PdfReport:
    sha256: str
    signatures: tuple[SignatureCheck, ...]
    decision: Decision | None
    long_term_valid: bool | None
    error: str = ""

    @property
    def valid(self) -> bool:
        return not self.error and bool(self.signatures) and all(s.valid for s in self.signatures)

    @property
    def test(self) -> bool:
        return any(check.test for check in self.signatures)


def verify_pdf(data: bytes, *, long_term: bool = True) -> PdfReport:
    """Check every signature of the PDF `data` and find the register entry it is."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    digest = hashlib.sha256(data).hexdigest()
    # Only issued decisions (in force, recalled or voided) have a file hash.
    decision = (
        Decision.objects.select_related("issuer", "document_type", "register")
        .filter(pdf_sha256=digest)
        .first()
    )
    try:
        reader = PdfFileReader(BytesIO(data), strict=False)
        embedded = list(reader.embedded_signatures)
    except Exception as error:  # anyone may upload anything; pyHanko's parser
        # raises PdfReadError, ValueError, decimal errors, KeyError, … on a damaged file
        logger.info("Unreadable PDF submitted for verification: %r", error)
        return PdfReport(digest, (), decision, None, _("This file is not a readable PDF."))
    # Never fetch for a file from outside: its certificates could make the server call any
    # address. The file's embedded validation data and our own CRLs are what it is checked with.
    context = trust.validation_context(fetching=False)
    checks = []
    for signature in embedded:
        try:
            checks.append(_check(signature, context))
        except Exception as error:  # a damaged signature is just "not valid"
            logger.info("Unreadable signature %s: %r", signature.field_name, error)
            checks.append(
                SignatureCheck(
                    signature.field_name,
                    "other",
                    "",
                    None,
                    False,
                    False,
                    "OTHER",
                    False,
                    False,
                    False,
                )
            )
    long_term_valid = _long_term_valid(embedded) if long_term and checks else None
    return PdfReport(digest, tuple(checks), decision, long_term_valid)


def _check(signature: Any, context: Any) -> SignatureCheck:
    from pyhanko.sign.validation import validate_pdf_signature, validate_pdf_timestamp

    if signature.sig_object_type == "/DocTimeStamp":
        stamp = validate_pdf_timestamp(signature, validation_context=context)
        certificate = stamp.signing_cert
        return SignatureCheck(
            field=signature.field_name,
            kind="timestamp",
            signer=_common_name(certificate) if certificate else "",
            signed_at=stamp.timestamp,
            intact=stamp.intact and stamp.valid,
            trusted=stamp.trusted,
            changes_after=_level(stamp),
            acceptable_changes=_level(stamp) in ("NONE", "LTA_UPDATES"),
            timestamped=True,
            test=certificate is not None and trust.is_test_certificate(certificate),
        )
    status = validate_pdf_signature(
        signature, signer_validation_context=context, ts_validation_context=context
    )
    certificate = status.signing_cert
    timestamp = status.timestamp_validity
    kinds = {pades.LEADER_FIELD: "leader", pades.SEAL_FIELD: "seal"}
    return SignatureCheck(
        field=signature.field_name,
        kind=kinds.get(signature.field_name, "other"),
        signer=_common_name(certificate),
        signed_at=timestamp.timestamp if timestamp is not None else status.signer_reported_dt,
        intact=status.intact and status.valid,
        trusted=status.trusted and (timestamp is None or timestamp.trusted),
        changes_after=_level(status),
        acceptable_changes=status.docmdp_ok is not False and _level(status) != "OTHER",
        timestamped=timestamp is not None,
        test=trust.is_test_certificate(certificate),
    )


def _level(status: Any) -> str:
    level = getattr(status, "modification_level", None)
    return level.name if level is not None else "NONE"


def _common_name(certificate: Any) -> str:
    name: str = certificate.subject.native.get("common_name", "") or ""
    return name or certificate.subject.human_friendly


def _long_term_valid(embedded: list[Any]) -> bool:
    """PAdES B-LTA: every signature validates from the file's own data, no network."""
    from pyhanko.sign.ades.report import AdESPassed
    from pyhanko.sign.validation.ades import ades_lta_validation
    from pyhanko.sign.validation.policy_decl import (
        PdfSignatureValidationSpec,
        RevinfoOnlineFetchingRule,
        RevocationInfoGatheringSpec,
        SignatureValidationSpec,
    )
    from pyhanko_certvalidator.context import CertValidationPolicySpec
    from pyhanko_certvalidator.policy_decl import REQUIRE_REVINFO, CertRevTrustPolicy
    from pyhanko_certvalidator.registry import SimpleTrustManager

    spec = PdfSignatureValidationSpec(
        SignatureValidationSpec(
            cert_validation_policy=CertValidationPolicySpec(
                trust_manager=SimpleTrustManager.build(trust_roots=trust.trust_roots()),
                revinfo_policy=CertRevTrustPolicy(REQUIRE_REVINFO),
            ),
            revinfo_gathering_policy=RevocationInfoGatheringSpec(
                online_fetching_rule=RevinfoOnlineFetchingRule.LOCAL_ONLY
            ),
        )
    )
    signatures = [s for s in embedded if s.sig_object_type == "/Sig"]
    if not signatures or all(s.sig_object_type != "/DocTimeStamp" for s in embedded):
        return False  # no document timestamp: B-LTA is impossible, no need to try

    async def run() -> list[Any]:
        return [await ades_lta_validation(s, spec) for s in signatures]

    try:
        results = asyncio.run(run())
    except Exception as error:  # a damaged file is simply not long-term valid
        logger.info("Long-term validation failed: %r", error)
        return False
    return all(result.ades_subindic == AdESPassed.OK for result in results)
