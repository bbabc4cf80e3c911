"""Signing a decision's PDF: the leader's signature at the signature step, the number, the date
and the body's seal at issuance. Called by decisions.services inside their transactions."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from decisions import rendering
from decisions.models import Organization, SigningKey, User
from decisions.printed import PrintedDecision
from decisions.signing import backends, pades, trust


@dataclass(frozen=True)
class Signed:
    pdf: bytes
    key: SigningKey
    timestamped: bool

    def event_data(self) -> dict[str, Any]:
        return {
            "certificate_subject": self.key.subject,
            "certificate_serial": self.key.serial,
            "test_signature": self.key.is_test,
            "timestamped": self.timestamped,
        }


def key_of_person(user: User) -> SigningKey:
    key = SigningKey.objects.filter(user=user, active=True).first()
    if key is None:
        raise ValidationError(
            _("You have no signing key yet: ask the administrator to register your certificate."),
            code="no_key",
        )
    return key


def key_of_organization(organization: Organization) -> SigningKey:
    key = SigningKey.objects.filter(organization=organization, active=True).first()
    if key is None:
        raise ValidationError(
            _("%(organization)s has no seal key yet: ask the administrator to register it.")
            % {"organization": organization.one_line_name},
            code="no_key",
        )
    return key


def image_of(field: Any, missing: str) -> bytes:
    """The stored signature or seal image, checked as an upload is (bytes, then pixels from
    its header) before signing decodes it: one stored before the limits is refused."""
    from django.core.files.base import ContentFile

    from decisions.models.organisations import validate_transparent_png

    if not field:
        raise ValidationError(missing, code="no_image")
    if field.size > settings.DECISIONS_IMAGE_MAX_BYTES:
        data = b""
    else:
        with field.open("rb") as stream:
            data = stream.read()
    try:
        validate_transparent_png(ContentFile(data) if data else field)
    except ValidationError as error:
        raise ValidationError(
            _(
                "The stored signature or seal image cannot be used (%(reason)s): ask the "
                "administrator to upload it again."
            )
            % {"reason": " ".join(error.messages)},
            code="bad_image",
        ) from error
    return data


def check_certificate(key: SigningKey, *, context: Any) -> None:
    """Refuse a certificate that is expired, revoked or not from a trusted CA, before signing."""
    from pyhanko_certvalidator import CertificateValidator
    from pyhanko_certvalidator.errors import (
        ExpiredError,
        PathBuildingError,
        PathValidationError,
        RevokedError,
    )

    validator = CertificateValidator(backends.certificate_of(key), validation_context=context)
    try:
        asyncio.run(validator.async_validate_usage({"digital_signature"}))
    except RevokedError as error:
        raise ValidationError(
            _("The certificate of this signing key has been revoked; it cannot sign."),
            code="revoked",
        ) from error
    except ExpiredError as error:
        raise ValidationError(
            _("The certificate of this signing key has expired; it cannot sign."),
            code="expired",
        ) from error
    except (PathBuildingError, PathValidationError) as error:
        raise ValidationError(
            _("The certificate of this signing key is not issued by a trusted authority."),
            code="untrusted",
        ) from error


def sign_as_leader(
    doc: PrintedDecision, *, signer: User, pin: str, diameter_mm: float, reason: str
) -> Signed:
    """Render `doc` for signature (number and date as empty fields), create both signature
    fields, and sign it with `signer`'s own key, unlocked by `pin`."""
    key = key_of_person(signer)
    image = image_of(
        signer.signature_image,
        _("There is no image of your signature yet: ask the administrator to upload it."),
    )
    context = trust.validation_context()
    check_certificate(key, context=context)
    timestamper = trust.timestamper()
    with backends.unlock(key, pin) as pdf_signer:  # a wrong PIN is refused before rendering
        rendered = rendering.render(doc)
        assert rendered.signature_box is not None  # noqa: S101 - rendered with form fields
        seal_box = pades.SealLayout.beside(rendered.signature_box, diameter_mm).box
        prepared = pades.prepare(rendered.pdf, leader=rendered.signature_box, seal=seal_box)
        pdf = _timestamp_errors(
            pades.sign_as_leader,
            prepared,
            signer=pdf_signer,
            image=image,
            timestamper=timestamper,
            validation_context=context,
            reason=reason,
        )
    return Signed(pdf, key, timestamper is not None)


@dataclass
class Sealer:
    """The body's seal key, opened: fills a leader-signed PDF and seals it."""

    organization: Organization
    key: SigningKey
    signer: Any
    image: bytes
    context: Any

    def fill_and_seal(
        self,
        signed_pdf: bytes,
        *,
        number_text: str,
        date_text: str,
        reason: str,
    ) -> Signed:
        filled = pades.fill_number_and_date(
            signed_pdf,
            fields={
                rendering.NUMBER_FIELD: (number_text, False),
                rendering.DATE_FIELD: (date_text, True),
            },
        )
        timestamper = trust.timestamper()
        pdf = _timestamp_errors(
            pades.seal,
            filled,
            signer=self.signer,
            image=self.image,
            timestamper=timestamper,
            validation_context=self.context,
            reason=reason,
        )
        return Signed(pdf, self.key, timestamper is not None)


@contextmanager
def open_seal(organization: Organization, *, pin: str) -> Iterator[Sealer]:
    """Check and unlock the body's seal key (before the number is taken: this is the slow part
    that needs no lock)."""
    key = key_of_organization(organization)
    image = image_of(
        organization.seal_image,
        _("There is no image of the seal yet: ask the administrator to upload it."),
    )
    context = trust.validation_context()
    check_certificate(key, context=context)
    with backends.unlock(key, pin) as signer:
        yield Sealer(organization, key, signer, image, context)


def organization_display_name(organization: Organization) -> str:
    return organization.running_name


def _timestamp_errors(function: Any, *args: Any, **kwargs: Any) -> bytes:
    """Run a signing step; a timestamp service that fails or times out becomes a clear error
    (the caller's transaction then rolls back: nothing is signed, no number is taken)."""
    import aiohttp

    if kwargs.get("timestamper") is None:
        result: bytes = function(*args, **kwargs)
        return result
    try:
        result = function(*args, **kwargs)
    except (OSError, aiohttp.ClientError) as error:  # TimestampRequestError is an OSError
        raise ValidationError(
            _("The timestamp service did not answer; nothing was signed. Try again."),
            code="timestamp_failed",
        ) from error
    return result
