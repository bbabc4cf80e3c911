"""Receiving an edXML package: our bodies get it in their incoming register with an arrival
number, or the package is refused with its reason, kept, and nothing is registered."""

import dataclasses
import hashlib

import pytest

from decisions.exchange import edxml
from decisions.exchange.receive import receive
from decisions.models import IncomingDocument, IncomingEvent, ReceivedPackage
from tests.exchange.conftest import CODES, ISSUER_CODE, OUTSIDE_CODE, body
from tests.exchange.test_edxml import BILLION_LAUGHS, EXTERNAL_ENTITY


def changed(data: bytes, **fields) -> bytes:
    """The package with some of its fields replaced."""
    return edxml.build(dataclasses.replace(edxml.parse(data), **fields))


def test_each_receiving_body_of_ours_gets_the_document_in_its_register_with_the_pdf_unchanged(
    signed_package,
):
    row = receive(signed_package, via=ReceivedPackage.Via.UPLOAD)

    assert row.status == ReceivedPackage.Status.ACCEPTED, row.reason
    package = edxml.parse(signed_package)
    documents = list(row.documents.order_by("register__organization__identifier"))
    assert [d.register.organization.identifier for d in documents] == sorted(CODES.values())
    pdf_sha256 = package.pdf().sha256
    for document in documents:
        assert document.arrival_number == 1
        assert document.channel == IncomingDocument.Channel.EXCHANGE
        assert document.sender_identifier == ISSUER_CODE
        assert document.sender == body("giong-rieng")
        assert document.reference == package.reference
        assert document.subject == package.subject
        assert document.document_date == package.promulgation_date
        assert document.exchange_document_id == package.document_id
        assert document.file_sha256 == pdf_sha256
        with document.file.open("rb") as stream:
            assert hashlib.sha256(stream.read()).hexdigest() == pdf_sha256
        event = document.events.get()
        assert event.kind == IncomingEvent.Kind.REGISTERED
        assert event.data["package"] == row.pk
    assert row.sender_identifier == ISSUER_CODE
    assert row.document_id == package.document_id
    with row.file.open("rb") as stream:
        assert stream.read() == signed_package


def test_the_next_package_gets_the_next_arrival_number(signed_package):
    receive(signed_package, via=ReceivedPackage.Via.UPLOAD)
    other = changed(signed_package, document_id="000.00.15.H33,2019/06/15,02/QĐ-UBND")

    row = receive(other, via=ReceivedPackage.Via.UPLOAD)

    assert row.accepted, row.reason
    assert {d.arrival_number for d in row.documents.all()} == {2}


def flipped_pdf(data: bytes) -> bytes:
    package = edxml.parse(data)
    pdf = package.pdf()
    assert pdf is not None
    damaged = bytearray(pdf.data)
    damaged[1000] ^= 0x01
    pdf.data = bytes(damaged)
    return edxml.build(package)


HOSTILE = {
    "malformed": lambda data, outside: data[: len(data) // 2],
    "billion laughs": lambda data, outside: BILLION_LAUGHS,
    "external entity": lambda data, outside: EXTERNAL_ENTITY,
    "unknown sender": lambda data, outside: changed(
        data, sender=edxml.Party("000.99.99.H99", "Cơ quan lạ")
    ),
    "receiver not ours": lambda data, outside: changed(
        data, receivers=[edxml.Party(OUTSIDE_CODE, "UBND tỉnh An Giang")]
    ),
    "signature fails": lambda data, outside: flipped_pdf(data),
    "no pdf": lambda data, outside: changed(data, attachments=[]),
}
CODES_OF = {
    "malformed": "malformed",
    "billion laughs": "entities",
    "external entity": "entities",
    "unknown sender": "unknown_sender",
    "receiver not ours": "not_for_us",
    "signature fails": "bad_signature",
    "no pdf": "no_pdf",
}

IN_VIETNAMESE = {
    "malformed": "không phải là tệp edXML hợp lệ",
    "entities": "thực thể",
    "unknown_sender": "không có trong danh bạ",
    "not_for_us": "thuộc hệ thống này",
    "bad_signature": "chữ ký số",
    "no_pdf": "không có tệp PDF",
}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_a_hostile_package_is_refused_with_its_reason_kept_and_nothing_is_registered(
    signed_package, outside_body, case
):
    data = HOSTILE[case](signed_package, outside_body)

    row = receive(data, via=ReceivedPackage.Via.HTTP)

    assert row.status == ReceivedPackage.Status.REFUSED
    assert row.refusal_code == CODES_OF[case]
    assert IN_VIETNAMESE[row.refusal_code] in row.reason
    assert not IncomingDocument.objects.exists()
    assert ReceivedPackage.objects.get() == row
    assert row.sha256 == hashlib.sha256(data).hexdigest()
    with row.file.open("rb") as stream:
        assert stream.read() == data
    assert "root:" not in row.reason


def test_an_oversized_package_is_refused_unread_and_counted(signed_package, settings):
    settings.DECISIONS_EDXML_MAX_BYTES = len(signed_package) - 1

    row = receive(signed_package, via=ReceivedPackage.Via.HTTP)

    assert (row.status, row.refusal_code) == (ReceivedPackage.Status.REFUSED, "too_large")
    assert row.size == len(signed_package)
    assert not row.file
    assert not IncomingDocument.objects.exists()


def test_a_package_received_twice_is_refused_the_second_time(signed_package):
    first = receive(signed_package, via=ReceivedPackage.Via.HTTP)

    second = receive(signed_package, via=ReceivedPackage.Via.HTTP)

    assert first.accepted
    assert (second.status, second.refusal_code) == (ReceivedPackage.Status.REFUSED, "duplicate")
    assert IncomingDocument.objects.count() == len(CODES)
    assert not second.documents.exists()


def test_a_package_one_receiver_already_has_registers_for_none_of_them(signed_package):
    only_one = changed(signed_package, receivers=[edxml.Party(CODES["so-khcn"], "Sở KHCN")])
    assert receive(only_one, via=ReceivedPackage.Via.HTTP).accepted

    row = receive(signed_package, via=ReceivedPackage.Via.HTTP)

    assert row.refusal_code == "duplicate"
    assert IncomingDocument.objects.count() == 1  # the first one only: all or nothing


def test_a_partner_may_only_deliver_packages_of_the_bodies_it_reaches(signed_package, partner):
    row = receive(signed_package, via=ReceivedPackage.Via.HTTP, partner=partner)

    assert (row.refusal_code, row.partner) == ("unknown_sender", partner)
    assert not IncomingDocument.objects.exists()


def test_a_package_from_a_body_reached_through_the_partner_is_accepted(
    signed_package, partner, outside_body
):
    from_outside = changed(signed_package, sender=edxml.Party(OUTSIDE_CODE, "UBND tỉnh An Giang"))

    row = receive(from_outside, via=ReceivedPackage.Via.HTTP, partner=partner)

    assert row.accepted, row.reason
    assert {d.sender for d in row.documents.all()} == {outside_body}


def test_another_senders_package_with_the_same_document_id_does_not_block_the_real_one(
    signed_package,
):
    real = edxml.parse(signed_package)
    forged = changed(
        signed_package,
        sender=edxml.Party(CODES["xa-thanh-hung"], "UBND xã Thạnh Hưng"),
        receivers=[edxml.Party(CODES["so-khcn"], "Sở KHCN")],
    )
    assert edxml.parse(forged).document_id == real.document_id
    assert receive(forged, via=ReceivedPackage.Via.HTTP).accepted

    row = receive(signed_package, via=ReceivedPackage.Via.HTTP)

    assert row.accepted, row.reason
    assert row.documents.count() == len(CODES)


@pytest.mark.parametrize("pages", [-1, 99_999_999_999])
def test_an_impossible_page_count_is_refused_as_malformed_not_a_server_error(signed_package, pages):
    row = receive(changed(signed_package, page_amount=pages), via=ReceivedPackage.Via.HTTP)

    assert (row.status, row.refusal_code) == (ReceivedPackage.Status.REFUSED, "malformed")
    assert not IncomingDocument.objects.exists()
