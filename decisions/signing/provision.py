"""Registering signing keys: development keys from the local test PKI, and the demo's images
of signatures and seals (generated, clearly marked as test images)."""

from __future__ import annotations

import datetime

from cryptography.hazmat.primitives import serialization
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q

from decisions.models import Organization, SigningKey, User
from decisions.signing import pki


@transaction.atomic
def register_key(
    *,
    user: User | None = None,
    organization: Organization | None = None,
    backend: str,
    location: str,
    certificate_der: bytes,
    key_label: str = "",
    is_test: bool = False,
) -> SigningKey:
    """Make `certificate_der` the holder's active key; his earlier keys are deactivated."""
    from cryptography import x509

    certificate = x509.load_der_x509_certificate(certificate_der)
    SigningKey.objects.filter(user=user, organization=organization, active=True).update(
        active=False
    )
    return SigningKey.objects.create(
        user=user,
        organization=organization,
        backend=backend,
        location=location,
        key_label=key_label,
        certificate=certificate_der,
        subject=_common_name(certificate) or certificate.subject.rfc4514_string(),
        serial=f"{certificate.serial_number:x}",
        valid_until=certificate.not_valid_after_utc,
        is_test=is_test,
    )


def _common_name(certificate: object) -> str:
    from cryptography.x509.oid import NameOID

    names = certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)  # type: ignore[attr-defined]
    return str(names[0].value) if names else ""


def dev_key_for_person(user: User) -> SigningKey:
    issued = pki.issue(file_stem=f"user-{user.pk}", common_name=user.get_full_name())
    return _register_dev(issued, user=user)


def dev_key_for_organization(organization: Organization) -> SigningKey:
    from decisions.signing.documents import organization_display_name

    name = organization_display_name(organization)
    issued = pki.issue(file_stem=f"org-{organization.pk}", common_name=name, organization=name)
    return _register_dev(issued, organization=organization)


def _register_dev(
    issued: pki.Issued, *, user: User | None = None, organization: Organization | None = None
) -> SigningKey:
    return register_key(
        user=user,
        organization=organization,
        backend=SigningKey.Backend.PKCS12,
        location=str(issued.path.relative_to(pki.directory())),
        certificate_der=issued.certificate.public_bytes(serialization.Encoding.DER),
        is_test=True,
    )


def ensure_dev_images(
    *, user: User | None = None, organization: Organization | None = None
) -> None:
    """Give a person a (test) blue signature image, or a body a (test) red seal, if missing."""
    from decisions.signing import dev_images

    if user is not None and not user.signature_image:
        png = dev_images.signature(user.get_full_name())
        user.signature_image.save(f"chu-ky-{user.pk}.png", ContentFile(png), save=True)
    if organization is not None and not organization.seal_image:
        png = dev_images.seal(organization.one_line_name, organization.abbreviation)
        organization.seal_image.save(f"con-dau-{organization.pk}.png", ContentFile(png), save=True)


def is_usable(key: SigningKey | None) -> bool:
    """Active, not expired, and (for a key file) its file still there."""
    now = datetime.datetime.now(datetime.UTC)
    if key is None or not key.active or key.valid_until <= now:
        return False
    return key.backend != SigningKey.Backend.PKCS12 or (pki.directory() / key.location).is_file()


def equip_dev_signers() -> list[SigningKey]:
    """Give every leader of every issuing body, and every issuing body, a usable development
    key and a test image where they have none. Returns the keys created."""
    from decisions import permissions

    created = []
    for organization in Organization.objects.filter(is_issuer=True, active=True):
        if not is_usable(organization.seal_keys.filter(active=True).first()):
            created.append(dev_key_for_organization(organization))
        ensure_dev_images(organization=organization)
        leaders = permissions.users_with_permission(permissions.REVIEW, organization)
        # and who signs under a delegation of the body (TL., TUQ., Q.): decisions/delegation.py
        delegates = organization.delegations.filter(ended_at__isnull=True).values("delegate")
        signers = User.objects.filter(
            Q(pk__in=leaders.values("pk")) | Q(pk__in=delegates), is_active=True
        ).order_by("pk")
        for user in signers:
            if not is_usable(user.signing_keys.filter(active=True).first()):
                created.append(dev_key_for_person(user))
            ensure_dev_images(user=user)
    return created
