"""A local RFC 3161 timestamp service over HTTP (the development TSA key behind a real socket),
and a SoftHSM2 token holding the keys."""

import os

import pytest

from decisions.signing import dev_tsa
from decisions.signing.softhsm import HSM_PIN, SOFTHSM_UTIL, init_token, move_to_token

__all__ = ["HSM_PIN", "softhsm", "timestamp_service"]


@pytest.fixture
def timestamp_service(settings):
    """Signatures get RFC 3161 timestamps from a local HTTP service."""
    server, settings.DECISIONS_TSA_URL = dev_tsa.serve()
    yield settings.DECISIONS_TSA_URL
    server.shutdown()
    server.server_close()


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
