"""A local RFC 3161 timestamp service over HTTP (the development TSA key behind a real socket),
and a SoftHSM2 token holding the keys."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12

from decisions.models import SigningKey
from decisions.signing import dev_tsa, pki, provision


@pytest.fixture
def timestamp_service(settings):
    """Signatures get RFC 3161 timestamps from a local HTTP service."""
    server, settings.DECISIONS_TSA_URL = dev_tsa.serve()
    yield settings.DECISIONS_TSA_URL
    server.shutdown()
    server.server_close()


SOFTHSM_UTIL = shutil.which("softhsm2-util")
HSM_PIN = "246810"


TOKEN_LABEL = "ubnd-test"


def init_token(directory: Path) -> None:
    """A fresh SoftHSM2 token in `directory` (SOFTHSM2_CONF must point at its config)."""
    assert SOFTHSM_UTIL is not None
    tokens = directory / "tokens"
    tokens.mkdir()
    config = directory / "softhsm2.conf"
    config.write_text(f"directories.tokendir = {tokens}\nobjectstore.backend = file\n")
    os.environ["SOFTHSM2_CONF"] = str(config)
    subprocess.run(
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

    assert SOFTHSM_UTIL is not None
    p12 = Path(settings.DECISIONS_PKI_DIR) / key.location
    private_key, _certificate, _chain = pkcs12.load_key_and_certificates(
        p12.read_bytes(), pki.DEV_PIN.encode()
    )
    assert private_key is not None
    pem = directory / f"key-{key.pk}.pem"
    pem.write_bytes(
        private_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    key_label = f"key-{key.pk}"
    subprocess.run(
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


@pytest.fixture
def softhsm(tmp_path, monkeypatch):
    """A fresh SoftHSM2 token; the fixture's value puts a development key on it."""
    if SOFTHSM_UTIL is None:
        if os.environ.get("CI"):
            pytest.fail("softhsm2 is missing: scripts/test installs it")
        pytest.skip("softhsm2 is not installed (apt-get install softhsm2)")
    monkeypatch.setenv("SOFTHSM2_CONF", "")  # restored after the test
    init_token(tmp_path)
    return lambda key: move_to_token(key, tmp_path)
