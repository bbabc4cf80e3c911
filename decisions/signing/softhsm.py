"""A SoftHSM2 token for development, tests and benchmarks: a PKCS#11 token on disk that holds
the development keys, so that the token code path runs without hardware.

Never for production keys: those are generated on the real token or HSM.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12

from decisions.models import SigningKey
from decisions.signing import pki, provision

SOFTHSM_UTIL = shutil.which("softhsm2-util")
HSM_PIN = "246810"

TOKEN_LABEL = "ubnd-test"  # noqa: S105 - a label, not a secret


def init_token(directory: Path) -> None:
    """A fresh SoftHSM2 token in `directory` (SOFTHSM2_CONF must point at its config)."""
    if SOFTHSM_UTIL is None:
        raise OSError("softhsm2-util is missing (apt-get install softhsm2)")
    tokens = directory / "tokens"
    tokens.mkdir()
    config = directory / "softhsm2.conf"
    config.write_text(f"directories.tokendir = {tokens}\nobjectstore.backend = file\n")
    os.environ["SOFTHSM2_CONF"] = str(config)
    subprocess.run(  # noqa: S603 - fixed program, our own arguments
        [
            SOFTHSM_UTIL,
            "--init-token",
            "--free",
            "--label",
            TOKEN_LABEL,
            "--so-pin",
            "87654321",
            "--pin",
            HSM_PIN,
        ],
        check=True,
        capture_output=True,
    )


def move_to_token(key: SigningKey, directory: Path) -> SigningKey:
    """Put a development key on the token and register it as the holder's PKCS#11 key."""
    from django.conf import settings

    if SOFTHSM_UTIL is None:
        raise OSError("softhsm2-util is missing (apt-get install softhsm2)")
    p12 = Path(settings.DECISIONS_PKI_DIR) / key.location
    private_key, _certificate, _chain = pkcs12.load_key_and_certificates(
        p12.read_bytes(), pki.DEV_PIN.encode()
    )
    if private_key is None:
        raise ValueError(f"{p12} holds no private key")
    pem = directory / f"key-{key.pk}.pem"
    pem.write_bytes(
        private_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    key_label = f"key-{key.pk}"
    subprocess.run(  # noqa: S603 - fixed program, our own arguments
        [
            SOFTHSM_UTIL,
            "--import",
            str(pem),
            "--token",
            TOKEN_LABEL,
            "--label",
            key_label,
            "--id",
            f"{key.pk:04x}",
            "--pin",
            HSM_PIN,
        ],
        check=True,
        capture_output=True,
    )
    pem.unlink()
    return provision.register_key(
        user=key.user,
        organization=key.organization,
        backend=SigningKey.Backend.PKCS11,
        location=TOKEN_LABEL,
        key_label=key_label,
        certificate_der=bytes(key.certificate),
    )
