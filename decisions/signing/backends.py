"""Where private keys live, behind one small interface.

`unlock(key, pin)` opens the key's store with the holder's password or PIN and yields a
pyHanko signer; the key itself never leaves its store. Backends:

- PKCS#12 files on the server (development and the demo; `make_dev_pki`);
- PKCS#11 tokens and HSMs (tested with SoftHSM2).

Later (same interface, a backend each): remote signing services, where the leader confirms in
his provider's app (the "secret" becomes a request the service confirms), and USB tokens on the
leader's own computer (the browser sends the document digest to a local signing agent and the
backend embeds the returned CMS; pyHanko's interrupted signing, PdfTBSDocument).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from decisions.models import SigningKey

Backend = Callable[[SigningKey, str], AbstractContextManager[Any]]


class WrongPinError(ValidationError):
    """A wrong password or PIN; `unlock` tells which key (decisions/signing/attempts.py counts
    them), the signing services which decision (`failure`)."""

    key_id: int | None = None
    failure: Any = None

    def __init__(self) -> None:
        super().__init__(_("The password or PIN of the signing key is wrong."), code="wrong_pin")


class KeyUnavailableError(ValidationError):
    def __init__(self, detail: str) -> None:
        super().__init__(
            _("The signing key cannot be opened: %(detail)s") % {"detail": detail},
            code="key_unavailable",
        )


def certificate_of(key: SigningKey) -> Any:
    from asn1crypto import x509

    return x509.Certificate.load(bytes(key.certificate))


def _chain() -> list[Any]:
    from decisions.signing import trust

    return trust.trust_roots()


@contextmanager
def _pkcs12(key: SigningKey, pin: str) -> Iterator[Any]:
    from cryptography.hazmat.primitives.serialization import Encoding, pkcs12

    path = Path(key.location)
    if not path.is_absolute():
        path = Path(settings.DECISIONS_PKI_DIR) / path
    if not path.is_file():
        raise KeyUnavailableError(_("the key file is missing."))
    try:
        private_key, certificate, _chain_certs = pkcs12.load_key_and_certificates(
            path.read_bytes(), pin.encode()
        )
    except ValueError as error:  # cryptography: "Invalid password or PKCS12 data"
        raise WrongPinError() from error
    if certificate is None or certificate.public_bytes(Encoding.DER) != bytes(key.certificate):
        raise KeyUnavailableError(_("the key file holds another certificate."))
    yield _soft_signer(private_key, certificate)


def _soft_signer(private_key: Any, certificate: Any) -> Any:
    """pyHanko's SimpleSigner, keeping the parsed key: the stock one parses and re-validates
    the RSA key for every signature (≈40 ms each with cryptography 50)."""
    from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
    from pyhanko.keys import internal as keys_internal
    from pyhanko.sign.signers import SimpleSigner
    from pyhanko_certvalidator.registry import SimpleCertificateStore
    from pyhanko_certvalidator.util import get_pyca_cryptography_hash

    class SoftSigner(SimpleSigner):
        def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
            mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
            if isinstance(private_key, RSAPrivateKey) and (
                mechanism["algorithm"].native in ("rsassa_pkcs1v15", "sha256_rsa")
            ):
                hash_algorithm = get_pyca_cryptography_hash(digest_algorithm)
                signature: bytes = private_key.sign(data, PKCS1v15(), hash_algorithm)
                return signature
            result: bytes = super().sign_raw(data, digest_algorithm)
            return result

    store = SimpleCertificateStore()
    store.register_multiple(_chain())
    return SoftSigner(
        signing_key=keys_internal.translate_pyca_cryptography_key_to_asn1(private_key),
        signing_cert=keys_internal.translate_pyca_cryptography_cert_to_asn1(certificate),
        cert_registry=store,
    )


# A PKCS#11 login belongs to the whole process: a second session on the same token would find
# it logged in already and skip the PIN. One session at a time per process, so that every
# signature checks its own PIN (processes are separate PKCS#11 applications).
_PKCS11_LOCK = threading.Lock()


@contextmanager
def _pkcs11(key: SigningKey, pin: str) -> Iterator[Any]:
    with _PKCS11_LOCK:
        yield from _pkcs11_session(key, pin)


def _pkcs11_session(key: SigningKey, pin: str) -> Iterator[Any]:
    import pkcs11
    from pyhanko.config.pkcs11 import TokenCriteria
    from pyhanko.sign.pkcs11 import PKCS11Signer, open_pkcs11_session

    try:
        session = open_pkcs11_session(
            settings.DECISIONS_PKCS11_MODULE,
            token_criteria=TokenCriteria(label=key.location),
            user_pin=pin,
        )
    except (pkcs11.PinIncorrect, pkcs11.PinLenRange, pkcs11.PinInvalid) as error:
        raise WrongPinError() from error
    except (pkcs11.PKCS11Error, OSError, RuntimeError) as error:
        raise KeyUnavailableError(_("the token is not reachable.")) from error
    try:
        yield PKCS11Signer(
            session,
            key_label=key.key_label,
            signing_cert=certificate_of(key),
            other_certs_to_pull=None,
            ca_chain=_chain(),
        )
    finally:
        session.close()


BACKENDS: dict[str, Backend] = {
    SigningKey.Backend.PKCS12: _pkcs12,
    SigningKey.Backend.PKCS11: _pkcs11,
}


@contextmanager
def unlock(key: SigningKey, pin: str) -> Iterator[Any]:
    """Open `key` with its holder's password or PIN; yields a pyHanko signer. A key locked
    after too many wrong PINs is refused without trying the PIN (decisions/signing/attempts.py)."""
    from decisions.signing import attempts

    attempts.check_not_locked(key)
    with ExitStack() as stack:
        try:
            if not pin:
                raise WrongPinError()
            signer = stack.enter_context(BACKENDS[key.backend](key, pin))
        except WrongPinError as error:
            error.key_id = key.pk
            raise
        attempts.record_success(key)
        yield signer
