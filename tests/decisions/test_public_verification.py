"""Anyone can check that a decision is genuine; published ones can be read and followed."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader

from decisions import services
from tests.conftest import PIN
from tests.decisions.test_rendering import text_of

pytestmark = pytest.mark.django_db


def stored(decision) -> bytes:
    with decision.pdf.open("rb") as pdf:
        return pdf.read()


def test_the_issued_pdf_carries_a_qr_code_and_the_short_verification_address(seed_000_issued):
    pdf = stored(seed_000_issued)
    address = f"/v/{seed_000_issued.verification_token}"
    assert address in " ".join(text_of(pdf).split())
    # The QR code is drawn as vector paths on the last page: compare with the same page
    # rendered without a verification address.
    from dataclasses import replace

    from decisions import rendering, selectors

    without = rendering.render_pdf(
        replace(selectors.pdf_context(seed_000_issued), verification_url="")
    )

    def drawing_size(data: bytes) -> int:
        contents = PdfReader(BytesIO(data)).pages[-1].get_contents()
        assert contents is not None
        return len(contents.get_data())

    assert drawing_size(pdf) > drawing_size(without) + 1000


def test_the_verification_page_needs_no_login_and_hides_unpublished_content(
    client, seed_000_issued
):
    page = client.get(f"/v/{seed_000_issued.verification_token}")
    content = page.content.decode()
    assert page.status_code == 200
    assert seed_000_issued.reference in content
    assert seed_000_issued.pdf_sha256 in content
    assert "Còn hiệu lực" in content
    assert "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH — Võ Tùng" in content
    assert "Nội dung quyết định này không được công khai." in content
    assert "Giảm sai sót" not in content
    assert client.get("/v/not-a-token").status_code == 404


def test_a_published_decision_shows_its_content_in_the_list_and_the_feed(
    client, seed_000_issued, records_clerk
):
    services.publish_decision(actor=records_clerk, decision=seed_000_issued, public=True)
    content = client.get(f"/v/{seed_000_issued.verification_token}").content.decode()
    assert "Giảm sai sót" in content
    listing = client.get("/published/?q=muc tieu chat luong").content.decode()
    assert seed_000_issued.reference in listing
    feed = client.get("/published/feed.atom")
    assert feed["Content-Type"].startswith("application/atom+xml")
    assert seed_000_issued.reference in feed.content.decode()


def test_an_upload_of_the_issued_file_is_confirmed_and_one_changed_byte_is_not(
    client, seed_000_issued
):
    original = stored(seed_000_issued)
    ok = client.post("/verify/", {"file": SimpleUploadedFile("qd.pdf", original)})
    assert ok.status_code == 200
    assert "chính xác là tệp đã ban hành" in ok.content.decode()
    changed = bytearray(original)
    changed[len(changed) // 2] ^= 1
    bad = client.post("/verify/", {"file": SimpleUploadedFile("qd.pdf", bytes(changed))})
    assert bad.status_code == 400
    assert "bị sửa sau khi ban hành" in bad.content.decode()


def test_an_upload_that_is_not_a_pdf_or_too_large_is_refused(client, settings):
    not_pdf = client.post("/verify/", {"file": SimpleUploadedFile("a.txt", b"hello")})
    assert not_pdf.status_code == 400
    assert "không phải tệp PDF" in not_pdf.content.decode()
    settings.DECISIONS_VERIFY_MAX_BYTES = 10
    big = client.post("/verify/", {"file": SimpleUploadedFile("a.pdf", b"%PDF-" + b"0" * 20)})
    assert big.status_code == 400
    assert "Tệp quá lớn" in big.content.decode()


def test_a_recall_shows_on_the_verification_page(client, seed_000_issued, records_clerk):
    services.recall_decision(actor=records_clerk, decision=seed_000_issued, reason="Nhầm")
    content = client.get(f"/v/{seed_000_issued.verification_token}").content.decode()
    assert "Quyết định này đã bị thu hồi." in content


def test_only_the_records_clerk_publishes(seed_000_issued, specialist):
    from decisions.permissions import NotAllowed

    with pytest.raises(NotAllowed):
        services.publish_decision(actor=specialist, decision=seed_000_issued, public=True)


def test_a_replacing_decision_links_both_ways_and_the_old_one_is_no_longer_in_force(
    client, seed_000_issued, signed_decision, records_clerk
):
    from decisions.models import Decision

    newer = signed_decision(affects=seed_000_issued, effect=Decision.Effect.REPLACES)
    newer = services.issue_decision(pin=PIN, actor=records_clerk, decision=newer)
    old_page = client.get(f"/v/{seed_000_issued.verification_token}").content.decode()
    assert "Thay thế" in old_page
    assert newer.reference in old_page
    new_page = client.get(f"/v/{newer.verification_token}").content.decode()
    assert seed_000_issued.reference in new_page
    assert "Còn hiệu lực" in new_page


def test_only_an_issued_decision_of_the_same_body_can_be_replaced(
    specialist, issuer, make_content, draft
):
    from django.core.exceptions import ValidationError

    from decisions.models import Decision

    with pytest.raises(ValidationError, match="cùng cơ quan"):
        services.create_draft(
            actor=specialist,
            issuer=issuer,
            content=make_content(affects=draft, effect=Decision.Effect.REPEALS),
        )


def test_a_public_check_by_a_logged_in_person_never_loads_the_session_or_the_user(
    client, seed_000_issued, records_clerk
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(records_clerk)
    for url in (f"/v/{seed_000_issued.verification_token}", "/published/", "/verify/"):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        touched = " ".join(query["sql"] for query in queries)
        assert "django_session" not in touched, url
        assert "decisions_user" not in touched, url
        assert "Đăng xuất" not in response.content.decode()  # no account menu on public pages
