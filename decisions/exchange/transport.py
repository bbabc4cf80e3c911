"""Moving edXML packages and status messages between this installation and its partners.

- **Authentication** (docs/exchange.md): each partner shares one secret with us, named by a
  public `key_id` (`manage.py exchange_partner create|rotate`). Every request, both ways,
  carries the key id, a timestamp, a nonce and an HMAC-SHA256 over the method, the path, the
  timestamp, the nonce and the SHA-256 of the body. The receiver accepts it within
  DECISIONS_EXCHANGE_CLOCK_SKEW_SECONDS of its clock and once per nonce (ExchangeNonce);
  packages are moreover registered once per document id. The secret has to be usable to check
  an HMAC, so it cannot be stored hashed: it is encrypted at rest (Fernet) with a key derived
  from DJANGO_SECRET_KEY, so a copy of the database alone does not let anyone sign.
- **Outbound**: `queue_packages` (called by distribute_decision) gives each delivery to a body
  reached through an HTTP partner a SentPackage and a queued `jobs.send_package`; `send_package`
  posts the package and retries with back-off. A partner of transport "files" is not posted.
- **Transports**: `Transport` is the interface a provincial LGSP client would implement;
  `HttpTransport` (two installations of this application) is the one there is.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import hmac
import logging
import secrets
import time
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urlsplit

import requests
from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from decisions.models import Delivery, ExchangeNonce, ExchangePartner, SentPackage

logger = logging.getLogger(__name__)

PACKAGE_PATH = "/api/edxml/"
STATUS_PATH = "/api/edxml/status/"
CONTENT_TYPE = "application/xml; charset=utf-8"
HEADER_KEY = "X-Edxml-Key"
HEADER_TIMESTAMP = "X-Edxml-Timestamp"
HEADER_NONCE = "X-Edxml-Nonce"
HEADER_SIGNATURE = "X-Edxml-Signature"


# --- Secrets ---------------------------------------------------------------------------------


def _fernet(secret_key: str) -> Fernet:
    derived = hashlib.sha256(b"decisions.exchange.partner-secret\0" + secret_key.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(derived))


def set_secret(
    partner: ExchangePartner, *, key_id: str | None = None, secret: str | None = None
) -> str:
    """Give `partner` a new shared secret (or the one its side printed) and return it; the
    caller saves the partner. The key id stays unless given."""
    secret = secret or secrets.token_urlsafe(32)
    partner.key_id = key_id or partner.key_id or secrets.token_hex(8)
    partner.secret_encrypted = _fernet(settings.SECRET_KEY).encrypt(secret.encode()).decode()
    partner.secret_set_at = timezone.now()
    return secret


def secret_of(partner: ExchangePartner) -> bytes:
    """The partner's shared secret (DJANGO_SECRET_KEY_FALLBACKS are tried after a rotation)."""
    if not partner.secret_encrypted:
        raise ValueError(f"exchange partner {partner} has no secret")
    for key in [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]:
        try:
            return _fernet(key).decrypt(partner.secret_encrypted.encode())
        except InvalidToken:
            continue
    raise ValueError(f"the secret of exchange partner {partner} cannot be decrypted")


# --- Signed requests -------------------------------------------------------------------------


def _signature(
    secret: bytes, method: str, path: str, timestamp: str, nonce: str, body: bytes
) -> str:
    message = "\n".join(
        [method.upper(), path, timestamp, nonce, hashlib.sha256(body).hexdigest()]
    ).encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def signed_headers(
    partner: ExchangePartner, method: str, path: str, body: bytes, *, now: float | None = None
) -> dict[str, str]:
    """The headers that authenticate one request to `partner`."""
    timestamp = str(int(now if now is not None else time.time()))
    nonce = secrets.token_hex(16)
    return {
        HEADER_KEY: partner.key_id or "",
        HEADER_TIMESTAMP: timestamp,
        HEADER_NONCE: nonce,
        HEADER_SIGNATURE: _signature(secret_of(partner), method, path, timestamp, nonce, body),
    }


class NotAuthenticatedError(Exception):
    """A request to the exchange endpoints that is not from a known partner (401)."""


class ForbiddenError(Exception):
    """A known partner that may not send here now (403)."""


def authenticate(request: HttpRequest, body: bytes) -> ExchangePartner:
    """The partner that signed `request`, or NotAuthenticatedError/ForbiddenError with the reason.
    Records the nonce: the same request a second time is refused."""
    key_id = request.headers.get(HEADER_KEY, "")
    timestamp = request.headers.get(HEADER_TIMESTAMP, "")
    nonce = request.headers.get(HEADER_NONCE, "")
    signature = request.headers.get(HEADER_SIGNATURE, "")
    if not (key_id and timestamp and nonce and signature) or len(nonce) > 64:
        raise NotAuthenticatedError(_("The request is not signed by an exchange partner."))
    partner = ExchangePartner.objects.filter(key_id=key_id).first()
    if partner is None or not partner.secret_encrypted:
        raise NotAuthenticatedError(_("Unknown exchange partner."))
    try:
        secret = secret_of(partner)
    except ValueError:  # DJANGO_SECRET_KEY changed without a fallback: rotate the secret
        logger.error("The secret of exchange partner %s cannot be decrypted", partner)
        raise NotAuthenticatedError(_("Unknown exchange partner.")) from None
    expected = _signature(secret, request.method or "", request.path, timestamp, nonce, body)
    if not hmac.compare_digest(expected, signature):
        raise NotAuthenticatedError(_("The request's signature is wrong."))
    skew = settings.DECISIONS_EXCHANGE_CLOCK_SKEW_SECONDS
    if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > skew:
        raise NotAuthenticatedError(_("The request's signature has expired (check the clocks)."))
    if not partner.active:
        raise ForbiddenError(_("This exchange partner is not active."))
    now = timezone.now()
    try:
        with transaction.atomic():
            ExchangeNonce.objects.create(partner=partner, nonce=nonce, seen_at=now)
    except IntegrityError:
        raise NotAuthenticatedError(_("This request was already received (replay).")) from None
    ExchangeNonce.objects.filter(seen_at__lt=now - datetime.timedelta(seconds=3 * skew)).delete()
    return partner


# --- Transports ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    """What the other side answered: its HTTP-like status and body (a status message, if any)."""

    status: int
    body: bytes


class Transport(Protocol):
    """How packages and status messages reach a partner system.

    A provincial integration platform (LGSP) or the national axis would be one more
    implementation, wrapping its vendor's client; none is guessed here (docs/exchange.md)."""

    def send(self, package: bytes, receiver: str) -> Answer:
        """Deliver one edXML package addressed to the body with identifier code `receiver`."""
        ...

    def fetch(self) -> list[bytes]:
        """Packages waiting for us on the platform (an HTTP partner posts them instead)."""
        ...

    def send_status(self, message: bytes, receiver: str) -> Answer:
        """Deliver one status message to the body with identifier code `receiver`."""
        ...


class HttpTransport:
    """Direct HTTP to another installation of this application (its /api/edxml/ endpoints)."""

    def __init__(self, partner: ExchangePartner) -> None:
        self.partner = partner

    def _post(self, path: str, body: bytes) -> Answer:
        base = self.partner.url.rstrip("/")
        full_path = urlsplit(base).path + path
        headers = {
            "Content-Type": CONTENT_TYPE,
            **signed_headers(self.partner, "POST", full_path, body),
        }
        response = requests.post(
            base + path,
            data=body,
            headers=headers,
            timeout=settings.DECISIONS_EXCHANGE_TIMEOUT_SECONDS,
            allow_redirects=False,
        )
        return Answer(response.status_code, response.content)

    def send(self, package: bytes, receiver: str) -> Answer:
        return self._post(PACKAGE_PATH, package)

    def fetch(self) -> list[bytes]:
        return []  # the other installation posts to us

    def send_status(self, message: bytes, receiver: str) -> Answer:
        return self._post(STATUS_PATH, message)


def transport_for(partner: ExchangePartner) -> Transport:
    if partner.transport != ExchangePartner.Transport.HTTP:
        raise ValueError(f"exchange partner {partner} is not reached over HTTP")
    return HttpTransport(partner)


def retry_delay(attempts: int) -> float:
    """Seconds before the next try after `attempts` failed ones (doubling, capped)."""
    delay = settings.DECISIONS_EXCHANGE_RETRY_SECONDS * 2 ** max(attempts - 1, 0)
    return float(min(delay, settings.DECISIONS_EXCHANGE_RETRY_MAX_SECONDS))


# --- Outbound packages -----------------------------------------------------------------------


def queue_packages(deliveries: list[Delivery]) -> list[SentPackage]:
    """In the caller's transaction: a SentPackage for each delivery to a body reached by
    exchange, and its send queued (HTTP partners only; "files" ones wait for the văn thư)."""
    external = Delivery.objects.filter(
        pk__in=[d.pk for d in deliveries], organization__exchange_partner__isnull=False
    ).select_related("decision__issuer", "organization__exchange_partner")
    if not external:
        return []
    from decisions import jobs
    from decisions.exchange import edxml

    packages = []
    for delivery in external:
        body = delivery.organization
        if body is None:
            continue
        partner = body.exchange_partner
        if partner is None:
            continue
        by_http = partner.transport == ExchangePartner.Transport.HTTP
        package, created = SentPackage.objects.get_or_create(
            delivery=delivery,
            defaults={
                "partner": partner,
                "document_id": edxml.document_id_of(
                    delivery.decision.issuer.identifier or "",
                    delivery.decision.issued_on or timezone.localdate(),
                    delivery.decision.reference,
                ),
                "status": SentPackage.Status.QUEUED if by_http else SentPackage.Status.BY_FILE,
                "next_try": timezone.now() if by_http else None,
            },
        )
        if created and by_http:
            jobs.send_package.enqueue(package.pk)
        packages.append(package)
    return packages


def send_package(package_id: int) -> str:
    """Post one package to its partner; record the send (or, after the last try, the failure)
    on the decision; a partner that is down is tried again later. Idempotent: a package sent
    or given up is not posted again, and the receiver registers a document id once."""
    from decisions import events
    from decisions.exchange import edxml, status
    from decisions.models import DecisionEvent

    package = SentPackage.objects.select_related(
        "partner", "delivery__decision", "delivery__organization"
    ).get(pk=package_id)
    if package.status != SentPackage.Status.QUEUED:
        return "already done"
    delivery = package.delivery
    decision, body = delivery.decision, delivery.organization
    if body is None:
        return "not to a body"
    try:
        data = edxml.export(decision, [body])
    except edxml.PackageError as error:  # not sendable (confidential, no identifier code, …)
        return _retry_package(package, error.message, final=True)
    if not package.partner.active:
        return _retry_package(package, "the partner is not active")
    try:
        answer = transport_for(package.partner).send(data, body.identifier or "")
    except Exception as error:
        return _retry_package(package, str(error) or error.__class__.__name__)
    message = status.parse_or_none(answer.body)
    if 200 <= answer.status < 300 or (400 <= answer.status < 500 and message is not None):
        with transaction.atomic():
            refused = not 200 <= answer.status < 300
            SentPackage.objects.filter(pk=package.pk).update(
                status=SentPackage.Status.REFUSED if refused else SentPackage.Status.SENT,
                attempts=package.attempts + 1,
                sent_at=timezone.now(),
                next_try=None,
                last_error="" if not refused else f"HTTP {answer.status}",
            )
            events.record(
                decision,
                DecisionEvent.Kind.EXCHANGE_SENT,
                actor=None,
                delivery=delivery.pk,
                body=str(body),
                partner=package.partner.name,
                document_id=package.document_id,
                http_status=answer.status,
            )
        if message is not None and message.document_id == package.document_id:
            status.apply(package, message)
        return "refused" if refused else "sent"
    return _retry_package(package, f"HTTP {answer.status}: {answer.body[:500]!r}")


def _retry_package(package: SentPackage, error: str, *, final: bool = False) -> str:
    from decisions import events, jobs
    from decisions.models import DecisionEvent

    attempts = package.attempts + 1
    now = timezone.now()
    with transaction.atomic():
        if final or attempts >= settings.DECISIONS_EXCHANGE_ATTEMPTS:
            SentPackage.objects.filter(pk=package.pk).update(
                status=SentPackage.Status.FAILED,
                attempts=attempts,
                last_error=error[:2000],
                next_try=None,
            )
            events.record(
                package.delivery.decision,
                DecisionEvent.Kind.EXCHANGE_FAILED,
                actor=None,
                delivery=package.delivery_id,
                body=str(package.delivery.organization),
                partner=package.partner.name,
                document_id=package.document_id,
                attempts=attempts,
                error=error[:500],
            )
            logger.error("Gave up sending edXML package %s: %s", package.pk, error)
            return "gave up"
        next_try = now + datetime.timedelta(seconds=retry_delay(attempts))
        SentPackage.objects.filter(pk=package.pk).update(
            attempts=attempts, last_error=error[:2000], next_try=next_try
        )
        jobs.send_package.using(run_after=next_try).enqueue(package.pk)
    logger.warning(
        "edXML package %s not delivered (%s); trying again at %s", package.pk, error, next_try
    )
    return "retry"
