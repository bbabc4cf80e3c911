"""The endpoints other document systems post to (docs/exchange.md).

- `POST /api/edxml/`: an edXML package. Signed by a partner (transport.authenticate, else 401
  or 403 and nothing read further); received by decisions.exchange.receive (validated, then
  registered, or refused and kept for inspection). Answer: 200 with the status message 01
  (arrived; 03 follows when it is registered), or 4xx with the status message 02 (refused) and
  its reason. A package that arrives again (its sender retried) is answered 01 and registered
  once.
- `POST /api/edxml/status/`: a status message about a package we sent: 200, or 400/404.

No session, no CSRF (the signature is the authentication); bodies are bounded like every
other request (DECISIONS_REQUEST_MAX_BYTES).
"""

from __future__ import annotations

import logging

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from config.middleware import limit_for
from decisions.exchange import status, transport

logger = logging.getLogger(__name__)

XML = "application/xml; charset=utf-8"


def _text(message: str, code: int) -> HttpResponse:
    return HttpResponse(message, status=code, content_type="text/plain; charset=utf-8")


def _body(request: HttpRequest) -> bytes | None:
    """The request body, or None when it is above the limit of its URL."""
    limit = limit_for(request.path_info)
    data = request.read(limit + 1)
    return None if len(data) > limit else data


def _authenticated(
    request: HttpRequest,
) -> tuple[transport.ExchangePartner | None, bytes, HttpResponse | None]:
    data = _body(request)
    if data is None:
        return None, b"", _text(_("The package is too large."), 413)
    try:
        partner = transport.authenticate(request, data)
    except transport.NotAuthenticatedError as error:
        logger.warning("edXML request refused: %s", error)
        return None, data, _text(str(error), 401)
    except transport.ForbiddenError as error:
        return None, data, _text(str(error), 403)
    return partner, data, None


@csrf_exempt
@login_not_required
@require_POST
def receive_package(request: HttpRequest) -> HttpResponse:
    partner, data, refusal = _authenticated(request)
    if refusal is not None:
        return refusal
    if partner is None:  # pragma: no cover - _authenticated answers then
        return _text(_("Unknown exchange partner."), 401)
    from decisions.exchange.receive import receive

    result = receive(data, via="http", partner=partner)
    answer = status.answer_for(result)
    return HttpResponse(status.build(answer.message), status=answer.http_status, content_type=XML)


@csrf_exempt
@login_not_required
@require_POST
def receive_status(request: HttpRequest) -> HttpResponse:
    partner, data, refusal = _authenticated(request)
    if refusal is not None:
        return refusal
    if partner is None:  # pragma: no cover - _authenticated answers then
        return _text(_("Unknown exchange partner."), 401)
    try:
        message = status.parse(data)
    except status.InvalidStatusError as error:
        return _text(_("This is not a valid status message: %(error)s") % {"error": error}, 400)
    if status.receive_status(message, partner=partner) is None:
        return _text(_("No package we sent matches this status message."), 404)
    return _text("OK", 200)
