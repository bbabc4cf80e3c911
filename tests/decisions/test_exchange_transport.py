"""The document exchange's transport: partners authenticate every request with a signed token,
status messages are read by a hardened parser, and a receiver's statuses show on the sender's
delivery row."""

import io
import time

import pytest
from django.core.management import call_command

from decisions.exchange import status, transport
from decisions.models import (
    DecisionEvent,
    ExchangePartner,
    IncomingDocument,
    Organization,
    OutgoingStatus,
    SentPackage,
)

pytestmark = pytest.mark.django_db

STATUS_URL = "/api/edxml/status/"
PACKAGE_URL = "/api/edxml/"


def create_partner(
    name: str = "Hệ thống B", *, url: str = "http://b.example.vn"
) -> tuple[str, str]:
    out = io.StringIO()
    call_command("exchange_partner", "create", name, "--url", url, stdout=out, stderr=io.StringIO())
    lines = dict(line.split("=", 1) for line in out.getvalue().splitlines())
    return lines["key_id"], lines["secret"]


def signed(partner: ExchangePartner, path: str, body: bytes, **overrides: str) -> dict[str, str]:
    headers = transport.signed_headers(partner, "POST", path, body)
    headers.update(overrides)
    return headers


def message(document_id: str = "000.00.00.H01,2026/11/29,12/QĐ-UBND", code: str = "03") -> bytes:
    return status.build(
        status.StatusMessage(
            document_id=document_id, code=code, from_id="000.00.01.H01", from_name="Sở B"
        )
    )


def post(client, path: str, body: bytes, headers: dict[str, str]):
    return client.post(path, body, content_type="application/xml", headers=headers)


def test_the_command_prints_the_secret_once_and_stores_it_encrypted():
    key_id, secret = create_partner()
    partner = ExchangePartner.objects.get(name="Hệ thống B")
    assert partner.key_id == key_id
    assert len(secret) >= 32
    assert secret not in partner.secret_encrypted
    assert transport.secret_of(partner) == secret.encode()
    # The other side enters the same pair.
    partner.delete()
    call_command(
        "exchange_partner",
        "create",
        "Hệ thống A",
        "--url",
        "http://a.example.vn",
        "--key-id",
        key_id,
        "--secret",
        secret,
        stdout=io.StringIO(),
    )
    assert transport.secret_of(ExchangePartner.objects.get(key_id=key_id)) == secret.encode()


def test_a_request_without_a_valid_signature_is_refused_with_401_and_nothing_is_registered(client):
    create_partner()
    partner = ExchangePartner.objects.get()
    body = b"<edXMLEnvelope/>"
    cases = {
        "unsigned": {},
        "unknown partner": signed(partner, PACKAGE_URL, body, **{transport.HEADER_KEY: "nope"}),
        "wrong signature": signed(
            partner, PACKAGE_URL, body, **{transport.HEADER_SIGNATURE: "0" * 64}
        ),
        "signed for another body": signed(partner, PACKAGE_URL, b"<other/>"),
        "signed for another path": signed(partner, STATUS_URL, body),
    }
    for name, headers in cases.items():
        answer = post(client, PACKAGE_URL, body, headers)
        assert answer.status_code == 401, name
    expired = transport.signed_headers(partner, "POST", PACKAGE_URL, body, now=time.time() - 600)
    answer = post(client, PACKAGE_URL, body, expired)
    assert answer.status_code == 401
    assert "hết hạn" in answer.content.decode()
    assert IncomingDocument.objects.count() == 0


def test_a_replayed_request_is_refused(client, seed_000_issued):
    create_partner()
    partner = ExchangePartner.objects.get()
    body = message(code="03")
    headers = signed(partner, STATUS_URL, body)
    first = post(client, STATUS_URL, body, headers)
    assert first.status_code == 404  # authenticated; no package of ours has this id
    again = post(client, STATUS_URL, body, headers)
    assert again.status_code == 401
    assert "replay" in again.content.decode() or "đã được nhận" in again.content.decode()


def test_an_inactive_partner_is_refused_with_403(client):
    create_partner()
    partner = ExchangePartner.objects.get()
    ExchangePartner.objects.update(active=False)
    body = message()
    answer = post(client, STATUS_URL, body, signed(partner, STATUS_URL, body))
    assert answer.status_code == 403


@pytest.mark.parametrize(
    "hostile",
    [
        b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "xx"><!ENTITY y "&x;&x;">]><a>&y;</a>',
        b'<!DOCTYPE a [<!ENTITY e SYSTEM "file:///etc/passwd">]><Status>&e;</Status>',
        b"<Status><StatusCode>99</StatusCode></Status>",
        b"not xml at all",
        b"<Status>" + b"x" * (status.MAX_BYTES + 1) + b"</Status>",
    ],
)
def test_the_status_parser_refuses_entities_unknown_codes_and_oversized_messages(hostile):
    with pytest.raises(status.InvalidStatusError):
        status.parse(hostile)


def test_a_status_message_reads_back_field_for_field():
    built = status.build(
        status.StatusMessage(
            document_id="000.00.00.H01,2026/11/29,12/QĐ-UBND",
            code="04",
            from_id="000.00.01.H01",
            from_name="Sở Khoa học và Công nghệ",
            sender_id="000.00.00.H01",
            reference="12/QĐ-UBND",
            staff="Nguyễn Văn A",
        )
    )
    read = status.parse(built)
    assert (read.code, read.from_id, read.sender_id, read.reference, read.staff) == (
        "04",
        "000.00.01.H01",
        "000.00.00.H01",
        "12/QĐ-UBND",
        "Nguyễn Văn A",
    )
    assert read.description == "Phân công"
    assert read.timestamp is not None


def test_statuses_from_the_receiver_show_on_the_delivery_row_once_each(
    client, seed_000_issued, bodies, chief_of_office
):
    create_partner()
    partner = ExchangePartner.objects.get()
    delivery = seed_000_issued.deliveries.get(organization__code="so-khcn")
    body = delivery.organization
    Organization.objects.filter(pk=body.pk).update(
        identifier="000.00.01.H01", exchange_partner=partner
    )
    package = SentPackage.objects.create(
        delivery=delivery,
        partner=partner,
        document_id="doc-1",
        status=SentPackage.Status.SENT,
    )
    for code in ("01", "03", "03", "01"):
        data = message("doc-1", code)
        answer = post(client, STATUS_URL, data, signed(partner, STATUS_URL, data))
        assert answer.status_code == 200
    package.refresh_from_db()
    delivery.refresh_from_db()
    assert package.last_status_code == "03"  # the late 01 does not hide it
    assert delivery.status == delivery.Status.ACKNOWLEDGED
    codes = [
        e.data["code"]
        for e in seed_000_issued.events.filter(kind=DecisionEvent.Kind.EXCHANGE_STATUS)
    ]
    assert codes == ["01", "03"]
    client.force_login(chief_of_office)
    page = client.get(f"/decisions/{seed_000_issued.pk}/").content.decode()
    assert "Đã tiếp nhận" in page or "03" in page


def test_a_status_is_queued_once_per_document_and_code():
    create_partner()
    partner = ExchangePartner.objects.get()
    msg = status.StatusMessage(document_id="d", code="03", from_id="x")
    assert status.queue(partner, msg) is not None
    assert status.queue(partner, msg) is None
    assert OutgoingStatus.objects.count() == 1


def test_rotating_the_secret_refuses_requests_signed_with_the_old_one(client):
    key_id, _old = create_partner()
    partner = ExchangePartner.objects.get()
    body = message()
    stale = signed(partner, STATUS_URL, body)
    out = io.StringIO()
    call_command("exchange_partner", "rotate", partner.name, stdout=out, stderr=io.StringIO())
    assert f"key_id={key_id}" in out.getvalue()
    assert post(client, STATUS_URL, body, stale).status_code == 401
    partner.refresh_from_db()
    assert post(client, STATUS_URL, body, signed(partner, STATUS_URL, body)).status_code == 404
