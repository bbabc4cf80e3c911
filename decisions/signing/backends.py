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

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from decisions.models import SigningKey

Backend = Callable[[SigningKey, str], AbstractContextManager[Any]]


class WrongPinError(ValidationError):
    def __init__(self) -> None:
        super().__init__(_("The password or PIN of the signing key is wrong."), code="wrong_pin")


class KeyUnavailableError(ValidationError):
    def __init__(self, detail: str) -> None:
        super().__init__(
            _("The signing key cannot be opened: %(detail)s") % {"detail": detail},
            code="key_unavailable",
        )


def certificate_of(key: SigningKey) -> Any:
    from asn1crypto import x509  # type: ignore[import-untyped]

    return x509.Certificate.load(bytes(key.certificate))


def _chain() -> list[Any]:
    from decisions.signing import trust

    return trust.trust_roots()


@contextmanager
def _pkcs12(key: SigningKey, pin: str) -> Iterator[Any]:
    from pyhanko.sign.signers import SimpleSigner

    path = Path(key.location)
    if not path.is_absolute():
        path = Path(settings.DECISIONS_PKI_DIR) / path
    if not path.is_file():
        raise KeyUnavailableError(_("the key file is missing."))
    try:
        signer = SimpleSigner.load_pkcs12(
            str(path), passphrase=pin.encode(), ca_chain_files=None, other_certs=_chain()
        )
    except ValueError as error:  # cryptography: "Invalid password or PKCS12 data"
        raise WrongPinError() from error
    if signer is None:
        raise WrongPinError()
    if signer.signing_cert.dump() != bytes(key.certificate):
        raise KeyUnavailableError(_("the key file holds another certificate."))
    yield signer


@contextmanager
def _pkcs11(key: SigningKey, pin: str) -> Iterator[Any]:
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


def unlock(key: SigningKey, pin: str) -> AbstractContextManager[Any]:
    """Open `key` with its holder's password or PIN; yields a pyHanko signer."""
    if not pin:
        raise WrongPinError()
    return BACKENDS[key.backend](key, pin)
