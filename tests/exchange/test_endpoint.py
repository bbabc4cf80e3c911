"""The endpoint partner systems post packages to: only a signed request from the sender's
partner is read; an accepted package is answered 01 and registered once, whatever the number
of times it is posted; its statuses are queued for the sender."""

import pytest

from decisions.exchange import status, transport
from decisions.models import IncomingDocument, Organization, OutgoingStatus, ReceivedPackage
from tests.exchange.conftest import CODES, ISSUER_CODE

pytestmark = pytest.mark.django_db

URL = "/api/edxml/"


@pytest.fixture
def sender_partner(partner, signed_package):
    """The issuer of the package lives in the partner's system."""
    partner.url = "http://127.0.0.1:9"
    transport.set_secret(partner)
    partner.save()
    Organization.objects.filter(identifier=ISSUER_CODE).update(exchange_partner=partner)
    return partner


def post(client, data: bytes, headers: dict[str, str]):
    return client.post(URL, data, content_type="application/xml", headers=headers)


def test_a_signed_package_is_registered_once_and_answered_arrived(
    client, signed_package, sender_partner, django_capture_on_commit_callbacks
):
    headers = transport.signed_headers(sender_partner, "POST", URL, signed_package)
    with django_capture_on_commit_callbacks(execute=True):
        answer = post(client, signed_package, headers)
    assert answer.status_code == 200
    arrived = status.parse(answer.content)
    assert arrived.code == status.ARRIVED
    assert arrived.sender_id == ISSUER_CODE
    assert arrived.from_id in CODES.values()
    assert IncomingDocument.objects.count() == 3
    # Registered: each receiving body owes the sender its 03.
    queued = OutgoingStatus.objects.filter(code=status.ACCEPTED)
    assert sorted(queued.values_list("from_identifier", flat=True)) == sorted(CODES.values())

    replayed = post(client, signed_package, headers)
    assert replayed.status_code == 401
    again = post(
        client,
        signed_package,
        transport.signed_headers(sender_partner, "POST", URL, signed_package),
    )
    assert again.status_code == 200  # the sender retried after a lost answer
    assert status.parse(again.content).code == status.ARRIVED
    assert IncomingDocument.objects.count() == 3


def test_an_unsigned_or_forged_package_is_not_even_kept(client, signed_package, sender_partner):
    forged = transport.signed_headers(sender_partner, "POST", URL, b"something else")
    for headers in ({}, forged):
        assert post(client, signed_package, headers).status_code == 401
    assert IncomingDocument.objects.count() == 0
    assert ReceivedPackage.objects.count() == 0


def test_a_package_from_a_sender_another_partner_reaches_is_refused_with_status_02(
    client, signed_package, sender_partner
):
    other = type(sender_partner).objects.create(name="Hệ thống khác", url="http://127.0.0.1:9")
    transport.set_secret(other)
    other.save()
    answer = post(
        client, signed_package, transport.signed_headers(other, "POST", URL, signed_package)
    )
    assert answer.status_code == 400
    refused = status.parse(answer.content)
    assert refused.code == status.REFUSED
    assert refused.description
    assert IncomingDocument.objects.count() == 0
