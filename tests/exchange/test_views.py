"""The văn thư's edXML pages: the package of an issued decision to download, and the upload
of a received package (arrival numbers, or the refusal with a 400)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from decisions import permissions
from decisions.exchange import edxml
from decisions.models import IncomingDocument, ReceivedPackage
from tests.exchange.conftest import CODES, body
from tests.factories import OrganizationFactory

Role = permissions.Role


def test_the_van_thu_downloads_the_package_for_one_receiver_or_for_all(
    client, issued, records_clerk
):
    client.force_login(records_clerk)

    page = client.get(f"/decisions/{issued.pk}/")
    assert f"/exchange/decisions/{issued.pk}/" in page.content.decode()
    listing = client.get(f"/exchange/decisions/{issued.pk}/")
    assert listing.status_code == 200
    for identifier in CODES.values():
        assert f"?to={identifier}" in listing.content.decode()

    one = client.get(f"/exchange/decisions/{issued.pk}/edxml/", {"to": CODES["so-khcn"]})
    assert one.status_code == 200
    assert one["Content-Type"] == "application/xml"
    assert "attachment;" in one["Content-Disposition"]
    assert [p.identifier for p in edxml.parse(one.content).receivers] == [CODES["so-khcn"]]

    every = client.get(f"/exchange/decisions/{issued.pk}/edxml/")
    assert {p.identifier for p in edxml.parse(every.content).receivers} == set(CODES.values())

    stranger = client.get(f"/exchange/decisions/{issued.pk}/edxml/", {"to": "000.99.99.H99"})
    assert stranger.status_code == 400


def test_who_may_see_the_decision_but_is_not_its_van_thu_gets_403_and_others_404(
    client, issued, bodies, specialist
):
    client.force_login(specialist)
    assert client.get(f"/exchange/decisions/{issued.pk}/edxml/").status_code == 403
    assert client.get(f"/exchange/decisions/{issued.pk}/").status_code == 403
    assert "/exchange/" not in client.get(f"/decisions/{issued.pk}/").content.decode()

    client.force_login(bodies["unrelated"][1])
    assert client.get(f"/exchange/decisions/{issued.pk}/edxml/").status_code == 404


@pytest.fixture
def receiving_clerk(signed_package, make_person):
    return make_person(Role.INCOMING_CLERK, body("so-khcn"), username="vt-so-khcn")


def upload(client, data: bytes):
    return client.post(
        "/exchange/receive/", {"package": SimpleUploadedFile("goi.xml", data, "application/xml")}
    )


def test_the_van_thu_uploads_a_package_and_sees_the_arrival_numbers(
    client, signed_package, receiving_clerk
):
    client.force_login(receiving_clerk)
    assert "/exchange/receive/" in client.get("/incoming/").content.decode()
    assert client.get("/exchange/receive/").status_code == 200

    response = upload(client, signed_package)

    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="upload-result"' in page
    # Addressed to three bodies of ours: entered in the register this văn thư keeps only.
    assert len(CODES) == 3
    (document,) = IncomingDocument.objects.all()
    assert document.register.organization == body("so-khcn")
    assert ReceivedPackage.objects.get().received_by == receiving_clerk


def test_a_package_for_other_bodies_than_the_van_thus_is_refused_and_registers_nothing(
    client, signed_package, make_person
):
    other = OrganizationFactory.create(code="so-tai-chinh", is_issuer=False)
    client.force_login(make_person(Role.INCOMING_CLERK, other, username="vt-so-tc"))

    response = upload(client, signed_package)

    assert response.status_code == 400
    assert ReceivedPackage.objects.get().refusal_code == "not_for_us"
    assert not IncomingDocument.objects.exists()


def test_a_refused_upload_shows_the_reason_with_400_and_registers_nothing(
    client, signed_package, receiving_clerk
):
    client.force_login(receiving_clerk)

    response = upload(client, signed_package[:500])

    assert response.status_code == 400
    row = ReceivedPackage.objects.get()
    assert row.reason in response.content.decode()
    assert row.refusal_code == "malformed"
    assert not IncomingDocument.objects.exists()


def test_an_upload_without_a_file_is_a_400(client, receiving_clerk):
    client.force_login(receiving_clerk)
    assert client.post("/exchange/receive/", {}).status_code == 400
    assert not ReceivedPackage.objects.exists()


def test_only_a_van_thu_may_receive_packages(client, signed_package, make_person):
    reader = make_person(Role.RECIPIENT, body("so-khcn"), username="doc-gia")
    client.force_login(reader)

    assert client.get("/exchange/receive/").status_code == 403
    assert upload(client, signed_package).status_code == 403
    assert "/exchange/receive/" not in client.get("/incoming/").content.decode()
    assert not ReceivedPackage.objects.exists()
