"""Which certificates we trust, with which revocation data, and the timestamp service."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings

from decisions.signing import pki


def trust_roots() -> list[Any]:
    from pyhanko.keys import load_cert_from_pemder

    roots = [load_cert_from_pemder(path) for path in settings.DECISIONS_TRUST_ROOTS]
    dev_root = Path(settings.DECISIONS_PKI_DIR) / "ca.cert.pem"
    if settings.DECISIONS_TRUST_DEV_PKI and dev_root.exists():
        roots.append(load_cert_from_pemder(str(dev_root)))
    return roots


def validation_context(*, fetching: bool | None = None) -> Any:
    """Trust roots, the development CA's CRL when trusted, network fetching per settings
    (`fetching=False` for files from outside: their certificates name the addresses fetched).

    Fetching uses the synchronous `requests` backend: pyHanko runs each step in its own event
    loop, which an aiohttp session (the default) would outlive, unclosed."""
    from pyhanko_certvalidator import ValidationContext
    from pyhanko_certvalidator.fetchers.requests_fetchers import RequestsFetcherBackend

    return ValidationContext(
        trust_roots=trust_roots(),
        crls=local_crls(),
        allow_fetching=settings.DECISIONS_REVOCATION_FETCHING if fetching is None else fetching,
        fetcher_backend=RequestsFetcherBackend(settings.DECISIONS_TSA_TIMEOUT),
        revocation_mode="soft-fail",
    )


def local_crls() -> list[bytes]:
    """Revocation lists known without fetching: the development CA's, when it is trusted."""
    crl = pki.crl_der() if settings.DECISIONS_TRUST_DEV_PKI else None
    return [crl] if crl is not None else []


def is_test_certificate(certificate: Any) -> bool:
    """Issued by the development CA: what it signs is a test signature."""
    return pki.TEST_MARK in certificate.subject.human_friendly


def timestamper() -> Any:
    """The configured RFC 3161 timestamp client, or None."""
    url = settings.DECISIONS_TSA_URL
    if not url:
        return None
    if url == "dev":
        from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

        return DummyTimeStamper(**pki.dev_tsa())
    return HTTPTimeStamper(url)


def HTTPTimeStamper(url: str) -> Any:  # noqa: N802 - pyHanko's class, with our timeout
    from pyhanko.sign.timestamps import HTTPTimeStamper as Client

    return Client(url, timeout=settings.DECISIONS_TSA_TIMEOUT)
