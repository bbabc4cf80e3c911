"""A local RFC 3161 timestamp service over HTTP (the development TSA key behind a real socket),
and a SoftHSM2 token holding the keys."""

import os
import shutil
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from asn1crypto import tsp  # type: ignore[import-untyped]
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12

from decisions.models import SigningKey
from decisions.signing import pki, provision


class _TimestampHandler(BaseHTTPRequestHandler):
    stamper = None

    def do_POST(self):
        request = tsp.TimeStampReq.load(self.rfile.read(int(self.headers["Content-Length"])))
        body = self.stamper.request_tsa_response(request).dump()
        self.send_response(200)
        self.send_header("Content-Type", "application/timestamp-reply")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def timestamp_service(settings):
    """Signatures get RFC 3161 timestamps from a local HTTP service."""
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

    handler = type("Handler", (_TimestampHandler,), {"stamper": DummyTimeStamper(**pki.dev_tsa())})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.DECISIONS_TSA_URL = f"http://127.0.0.1:{server.server_address[1]}/tsa"
    yield settings.DECISIONS_TSA_URL
    server.shutdown()
    server.server_close()


SOFTHSM_UTIL = shutil.which("softhsm2-util")
HSM_PIN = "246810"


@pytest.fixture
def softhsm(tmp_path, settings, monkeypatch):
    """A fresh SoftHSM2 token; `move(key)` puts a development key on it and registers it."""
    if SOFTHSM_UTIL is None:
        if os.environ.get("CI"):
            pytest.fail("softhsm2 is missing: scripts/test installs it")
        pytest.skip("softhsm2 is not installed (apt-get install softhsm2)")
    tokens = tmp_path / "tokens"
    tokens.mkdir()
    config = tmp_path / "softhsm2.conf"
    config.write_text(f"directories.tokendir = {tokens}\nobjectstore.backend = file\n")
    monkeypatch.setenv("SOFTHSM2_CONF", str(config))
    label = "ubnd-test"
    subprocess.run(
        [
            SOFTHSM_UTIL,
            "--init-token",
            "--free",
            "--label",
            label,
            "--so-pin",
            "87654321",
            "--pin",
            HSM_PIN,
        ],
        check=True,
        capture_output=True,
    )

    def move(key: SigningKey) -> SigningKey:
        p12 = Path(settings.DECISIONS_PKI_DIR) / key.location
        private_key, _certificate, _chain = pkcs12.load_key_and_certificates(
            p12.read_bytes(), pki.DEV_PIN.encode()
        )
        assert private_key is not None
        assert SOFTHSM_UTIL is not None
        pem = tmp_path / f"key-{key.pk}.pem"
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
                label,
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
            location=label,
            key_label=key_label,
            certificate_der=bytes(key.certificate),
        )

    return move
