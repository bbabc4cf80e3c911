"""A local test PKI for development, the demo and the tests (`make_dev_pki`).

It writes, under settings.DECISIONS_PKI_DIR (never committed): a root CA, its CRL, a timestamping
(TSA) certificate, and one PKCS#12 key file per leader and per issuing body, each protected by
DEV_PIN. Everything it issues says "THỬ NGHIỆM" (test) in its subject, and the UI labels such
signatures as test signatures. Production keys come from a real CA (Ban Cơ yếu Chính phủ) on
tokens or an HSM, registered as SigningKey rows with the PKCS#11 backend.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.conf import settings

DEV_PIN = "123456"
TEST_MARK = "THỬ NGHIỆM"
CA_NAME = f"CA phát triển — {TEST_MARK}"
VALIDITY = datetime.timedelta(days=3 * 365)


@dataclass(frozen=True)
class Issued:
    """A key and certificate just issued: the PKCS#12 file and the certificate (DER)."""

    path: Path
    certificate: x509.Certificate

    @property
    def der(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.DER)


def directory() -> Path:
    path = Path(settings.DECISIONS_PKI_DIR)
    path.mkdir(parents=True, exist_ok=True)
    return path


def _name(common_name: str, organization: str = "") -> x509.Name:
    attributes = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN")]
    if organization:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization[:64]))
    attributes.append(x509.NameAttribute(NameOID.COMMON_NAME, common_name[:64]))
    return x509.Name(attributes)


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _pem_key(key: rsa.RSAPrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


def ensure_authority() -> None:
    """Create the root CA, its (empty) CRL and the TSA certificate, once."""
    root = directory()
    if (root / "ca.cert.pem").exists():
        return
    key = _key()
    name = _name(CA_NAME)
    now = _now()
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + 4 * VALIDITY)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    (root / "ca.key.pem").write_bytes(_pem_key(key))
    (root / "ca.key.pem").chmod(0o600)
    (root / "ca.cert.pem").write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    (root / "revoked.json").write_text("[]")
    write_crl()
    tsa_key = _key()
    tsa = _leaf(_name(f"Dịch vụ cấp dấu thời gian — {TEST_MARK}"), tsa_key, timestamping=True)
    (root / "tsa.key.pem").write_bytes(_pem_key(tsa_key))
    (root / "tsa.key.pem").chmod(0o600)
    (root / "tsa.cert.pem").write_bytes(tsa.public_bytes(serialization.Encoding.PEM))


def ca_certificate() -> x509.Certificate:
    return x509.load_pem_x509_certificate((directory() / "ca.cert.pem").read_bytes())


def _ca_key() -> rsa.RSAPrivateKey:
    key = serialization.load_pem_private_key(
        (directory() / "ca.key.pem").read_bytes(), password=None
    )
    assert isinstance(key, rsa.RSAPrivateKey)  # noqa: S101 - we wrote it
    return key


def crl_url() -> str:
    return f"{settings.DECISIONS_BASE_URL.rstrip('/')}/pki/dev-ca.crl"


def _leaf(
    subject: x509.Name, key: rsa.RSAPrivateKey, *, timestamping: bool = False
) -> x509.Certificate:
    ca = ca_certificate()
    now = _now()
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + VALIDITY)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=not timestamping,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.public_key()),  # type: ignore[arg-type]
            critical=False,
        )
        .add_extension(
            x509.CRLDistributionPoints(
                [
                    x509.DistributionPoint(
                        full_name=[x509.UniformResourceIdentifier(crl_url())],
                        relative_name=None,
                        reasons=None,
                        crl_issuer=None,
                    )
                ]
            ),
            critical=False,
        )
    )
    if timestamping:
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True
        )
    return builder.sign(_ca_key(), hashes.SHA256())


def issue(*, file_stem: str, common_name: str, organization: str = "") -> Issued:
    """Issue a signing certificate and write its PKCS#12 file (passphrase DEV_PIN)."""
    ensure_authority()
    key = _key()
    certificate = _leaf(_name(f"{common_name} ({TEST_MARK})", organization), key)
    keys = directory() / "keys"
    keys.mkdir(exist_ok=True)
    path = keys / f"{file_stem}-{certificate.serial_number:x}.p12"
    path.write_bytes(
        pkcs12.serialize_key_and_certificates(
            name=file_stem.encode(),
            key=key,
            cert=certificate,
            cas=[ca_certificate()],
            encryption_algorithm=serialization.BestAvailableEncryption(DEV_PIN.encode()),
        )
    )
    path.chmod(0o600)
    return Issued(path, certificate)


def revoke(serial: int) -> None:
    """Put a certificate on the CA's revocation list and publish a new CRL."""
    path = directory() / "revoked.json"
    revoked = set(json.loads(path.read_text()))
    revoked.add(serial)
    path.write_text(json.dumps(sorted(revoked)))
    write_crl()


def write_crl() -> None:
    root = directory()
    ca = ca_certificate()
    now = _now()
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(ca.subject)
        .last_update(now - datetime.timedelta(minutes=5))
        .next_update(now + datetime.timedelta(days=30))
        .add_extension(x509.CRLNumber(int(now.timestamp())), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.public_key()),  # type: ignore[arg-type]
            critical=False,
        )
    )
    for serial in json.loads((root / "revoked.json").read_text()):
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder()
            .serial_number(serial)
            .revocation_date(now - datetime.timedelta(minutes=1))
            .build()
        )
    crl = builder.sign(_ca_key(), hashes.SHA256())
    (root / "ca.crl.der").write_bytes(crl.public_bytes(serialization.Encoding.DER))


def crl_der() -> bytes | None:
    path = directory() / "ca.crl.der"
    return path.read_bytes() if path.exists() else None


def dev_tsa() -> dict[str, Any]:
    """The development timestamping key and certificate, as DummyTimeStamper takes them."""
    from pyhanko.keys import load_cert_from_pemder, load_private_key_from_pemder

    ensure_authority()
    root = directory()
    return {
        "tsa_cert": load_cert_from_pemder(str(root / "tsa.cert.pem")),
        "tsa_key": load_private_key_from_pemder(str(root / "tsa.key.pem"), None),
        "certs_to_embed": [load_cert_from_pemder(str(root / "ca.cert.pem"))],
    }
