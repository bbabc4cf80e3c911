"""Digital signatures: the leader certifies the final PDF, the văn thư fills the number and the
date and seals it; both verify in pyHanko and poppler, long-term from the file's own data."""

import io
import re
import subprocess
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from pypdf import PdfReader, PdfWriter

from decisions import numbering, rendering, services
from decisions.models import Decision, DecisionEvent, Register, SigningKey
from decisions.signing import pades, pki
from decisions.signing.verification import verify_pdf
from tests.conftest import PIN
from tests.decisions.test_rendering import text_of

pytestmark = pytest.mark.django_db


def stored(field) -> bytes:
    with field.open("rb") as stream:
        return stream.read()


@pytest.fixture
def issued_lta(timestamp_service, seed_000_issued):
    """Seed 000 through the whole flow, with timestamps from the local service."""
    return seed_000_issued


def test_seed_000_issued_through_the_flow_carries_the_vice_chairs_and_the_bodys_signatures(
    issued_lta, vice_chair
):
    report = verify_pdf(stored(issued_lta.pdf))
    kinds = [check.kind for check in report.signatures]
    assert kinds == ["leader", "seal", "timestamp"]
    leader, seal, _timestamp = report.signatures
    assert leader.signer == "Võ Tùng (THỬ NGHIỆM)"
    assert leader.intact
    assert leader.trusted
    assert leader.timestamped
    assert leader.changes_after == "FORM_FILLING"  # only the number, the date and the seal
    assert seal.intact
    assert seal.trusted
    assert seal.changes_after in ("NONE", "LTA_UPDATES")
    assert report.valid
    assert report.test
    assert report.long_term_valid is True  # PAdES B-LTA from the file's own data
    assert report.decision == issued_lta


def test_pdftotext_reads_the_filled_number_and_date_in_the_header(issued_lta):
    text = text_of(stored(issued_lta.pdf), layout=True)
    assert re.search(r"Số:\s+01/QĐ-UBND", text)
    date = issued_lta.issued_on
    month = f"{date.month:02d}" if date.month <= 2 else str(date.month)
    place = issued_lta.issuer.place_name
    assert re.search(rf"{place},\s+ngày {date.day:02d} tháng {month} năm {date.year}", text)


def test_the_filled_date_is_set_at_times_metrics_not_mis_spaced(issued_lta):
    """pyHanko mis-spaces 2048-unit fonts; the date must be as wide as Times would set it."""
    result = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", "-bbox", "-", "-"],
        input=stored(issued_lta.pdf),
        capture_output=True,
        check=True,
    ).stdout.decode()
    words = re.findall(
        r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]+)<', result
    )
    date_text = numbering.format_date_line("", issued_lta.issued_on).removeprefix(", ")
    (field,) = [w for w in words if w[3] == date_text]  # the filled field, one span
    printed_width_mm = (float(field[2]) - float(field[0])) * 25.4 / 72
    expected_mm = rendering.text_width_mm(date_text, pades.FIELD_FONT_SIZE)
    assert printed_width_mm == pytest.approx(expected_mm, rel=0.08)


def _word_boxes(pdf: bytes) -> list[tuple[float, float, float, float, str]]:
    out = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", "-bbox", "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    ).stdout.decode()
    pattern = r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]+)<'
    return [
        (float(a), float(b), float(c), float(d), w) for a, b, c, d, w in re.findall(pattern, out)
    ]


def _inked_size(pdf: bytes, words: list[str], renderer: str) -> tuple[float, float]:
    """Width and height (in points) of the ink of the header's `words`, drawn by Poppler or
    PDFium at 300 dpi, inside a band around their line."""
    from PIL import Image, ImageOps

    boxes = _word_boxes(pdf)
    # a filled field reads as one span; text set by WeasyPrint as words
    first = next(b for b in boxes if b[4] in (words[0], " ".join(words)) and b[1] < 200)
    last = next(
        (b for b in boxes if b[4] == words[-1] and abs(b[3] - first[3]) < 3 and b[0] >= first[0]),
        first,
    )
    left, right = first[0] - 1, last[2] + 1
    top, bottom = min(first[1], last[1]) - 2, max(first[3], last[3]) + 2
    scale = 300 / 72
    if renderer == "poppler":
        png = subprocess.run(
            ["pdftoppm", "-r", "300", "-f", "1", "-l", "1", "-png", "-"],
            input=pdf,
            capture_output=True,
            check=True,
        ).stdout
        image = Image.open(io.BytesIO(png))
    else:  # as the phone pages draw it
        from decisions import page_images

        drawn = page_images.page_png(pdf, 0, round(595.28 * scale))
        assert drawn is not None
        image = Image.open(io.BytesIO(drawn))
        scale = image.width / 595.28
    band = image.convert("L").crop(
        (int(left * scale), int(top * scale), int(right * scale), int(bottom * scale))
    )
    ink = ImageOps.invert(band).point(lambda value: 255 if value > 96 else 0).getbbox()
    assert ink is not None
    return (ink[2] - ink[0]) / scale, (ink[3] - ink[1]) / scale


@pytest.mark.parametrize("renderer", ["poppler", "pdfium"])
def test_the_filled_number_and_date_are_drawn_whole_like_the_text_around_them(issued_lta, renderer):
    """Filled fields look like WeasyPrint's own setting of the same words: the same inked
    width and height (descenders of "g", "y", "ọ" included), in Poppler and in PDFium."""
    from decisions import selectors

    issued = stored(issued_lta.pdf)
    reference = rendering.render_pdf(selectors.pdf_context(issued_lta))
    date = numbering.format_date_line("", issued_lta.issued_on).removeprefix(", ")
    for words in (date.split(), [issued_lta.reference]):
        filled = _inked_size(issued, words, renderer)
        typeset = _inked_size(reference, words, renderer)
        assert filled[0] == pytest.approx(typeset[0], rel=0.03), words
        assert filled[1] == pytest.approx(typeset[1], abs=0.5), words


def test_poppler_lists_both_signatures_as_valid_and_trusted(issued_lta, tmp_path):
    nss = tmp_path / "nss"
    nss.mkdir()
    subprocess.run(["certutil", "-N", "-d", f"sql:{nss}", "--empty-password"], check=True)
    ca = Path(pki.directory()) / "ca.cert.pem"
    subprocess.run(
        ["certutil", "-A", "-n", "dev-ca", "-t", "CT,C,C", "-i", str(ca), "-d", f"sql:{nss}"],
        check=True,
    )
    pdf = tmp_path / "issued.pdf"
    pdf.write_bytes(stored(issued_lta.pdf))
    output = subprocess.run(
        ["pdfsig", "-nssdir", f"sql:{nss}", str(pdf)], capture_output=True, text=True
    ).stdout
    assert output.count("Signature is Valid.") == 2
    assert output.count("Certificate is Trusted.") == 2
    assert "Signature Field Name: LanhDao" in output
    assert "Signature Field Name: ConDau" in output


def test_the_signed_file_keeps_consistent_pdfa_markers_and_embeds_every_font(issued_lta):
    data = stored(issued_lta.pdf)
    reader = PdfReader(io.BytesIO(data))
    xmp = reader.xmp_metadata
    assert xmp is not None
    assert xmp.pdfaid_part == "3"
    assert xmp.pdfaid_conformance == "B"
    assert reader.metadata["/Producer"] == xmp.pdf_producer
    fonts = subprocess.run(
        ["pdffonts", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()
    rows = fonts.splitlines()[2:]
    assert rows
    assert all(" yes " in row for row in rows)
    assert any("DocFormSerif" in row for row in rows)


def test_the_seal_image_covers_the_left_third_of_the_signature_image(issued_lta):
    reader = PdfReader(io.BytesIO(stored(issued_lta.pdf)))
    boxes = {}
    for page in reader.pages:
        for annotation in page.get("/Annots", []):
            widget = annotation.get_object()
            if widget.get("/FT") == "/Sig" and widget.get("/T") in ("LanhDao", "ConDau"):
                boxes[widget["/T"]] = [float(v) for v in widget["/Rect"]]
                assert "/AP" in widget  # a visible appearance: the signature or seal image
    leader, seal = boxes["LanhDao"], boxes["ConDau"]
    assert seal[2] == pytest.approx(leader[0] + (leader[2] - leader[0]) / 3, abs=1)
    assert seal[2] - seal[0] == pytest.approx(35 * 72 / 25.4, abs=1)  # real size
    assert seal[3] - seal[1] == pytest.approx(35 * 72 / 25.4, abs=1)  # the image, no caption


def test_the_seal_on_the_main_document_carries_no_caption(issued_lta):
    """NĐ 30, Phụ lục I, II.8: the red seal image only; the body's name and the time are a
    caption of attachments issued as separate files, not of the main document."""
    text = text_of(stored(issued_lta.pdf))
    assert "+07:00" not in text
    assert "Ủy ban nhân dân huyện" not in text


def test_every_signature_is_an_event_in_the_history(issued_lta, client, vice_chair):
    signed = issued_lta.events.get(kind=DecisionEvent.Kind.SIGNED)
    sealed = issued_lta.events.get(kind=DecisionEvent.Kind.SEALED)
    assert signed.actor == vice_chair
    assert "Võ Tùng" in signed.data["certificate_subject"]
    assert signed.data["test_signature"]
    assert signed.data["timestamped"]
    assert "Giồng Riềng" in sealed.data["certificate_subject"]
    client.force_login(vice_chair)
    page = client.get(issued_lta.get_absolute_url()).content.decode()
    assert "chữ ký thử nghiệm" in page


def test_verify_pdf_reports_each_signature_and_the_register_entry(issued_lta, tmp_path):
    path = tmp_path / "qd.pdf"
    path.write_bytes(stored(issued_lta.pdf))
    out = io.StringIO()
    call_command("verify_pdf", str(path), stdout=out)
    text = out.getvalue()
    assert "Chữ ký số của người có thẩm quyền (LanhDao) [CHỮ KÝ THỬ NGHIỆM]" in text
    assert "Võ Tùng (THỬ NGHIỆM)" in text
    assert "Kiểm tra được lâu dài từ dữ liệu trong tệp: có" in text
    assert f"Trong sổ đăng ký: 01/QĐ-UBND ngày {issued_lta.issued_on:%d/%m/%Y}" in text


def test_a_changed_byte_is_reported_and_the_file_matches_no_register_entry(issued_lta, tmp_path):
    data = bytearray(stored(issued_lta.pdf))
    offset = data.index(b"stream", len(data) // 10) + 200  # inside the first page's content
    data[offset] ^= 0x01
    report = verify_pdf(bytes(data))
    assert report.decision is None
    assert not report.valid
    assert not all(check.intact for check in report.signatures)
    path = tmp_path / "changed.pdf"
    path.write_bytes(bytes(data))
    with pytest.raises(CommandError):
        call_command("verify_pdf", str(path), stdout=io.StringIO())


def test_a_page_added_after_signing_is_reported_as_an_illegal_change(issued_lta):
    original = stored(issued_lta.pdf)
    writer = PdfWriter(io.BytesIO(original), incremental=True)
    writer.add_blank_page()
    output = io.BytesIO()
    writer.write(output)
    report = verify_pdf(output.getvalue())
    leader = next(check for check in report.signatures if check.kind == "leader")
    assert leader.intact  # its bytes are untouched ...
    assert leader.changes_after == "OTHER"
    assert not leader.valid
    assert not report.valid


@pytest.fixture
def awaiting_signature(act, specialist, chief_of_office, chair, issuer, make_content):
    """Approved by the chair through the flow, waiting for his signature."""
    decision = services.create_draft(actor=specialist, issuer=issuer, content=make_content())
    assert act(specialist, decision, "submit").status_code == 302
    assert act(chief_of_office, decision, "propose", signer=chair.pk).status_code == 302
    assert act(chair, decision, "review").status_code == 302
    decision.refresh_from_db()
    assert decision.status == Decision.Status.SIGNATURE
    return decision


def _unchanged(decision, status):
    decision.refresh_from_db()
    assert decision.status == status
    assert not decision.events.filter(kind=DecisionEvent.Kind.SIGNED).exists()


def test_a_wrong_pin_changes_nothing(act, chair, awaiting_signature):
    response = act(chair, awaiting_signature, "sign", pin="000000")
    assert response.status_code == 400
    assert "Mật khẩu hoặc mã PIN của khóa ký số không đúng." in response.content.decode()
    _unchanged(awaiting_signature, Decision.Status.SIGNATURE)
    assert not awaiting_signature.signed_pdf


def test_a_revoked_leader_certificate_is_refused_at_signing(act, chair, awaiting_signature):
    key = SigningKey.objects.get(user=chair, active=True)
    pki.revoke(int(key.serial, 16))
    response = act(chair, awaiting_signature, "sign", pin=PIN)
    assert response.status_code == 400
    assert "đã bị thu hồi" in response.content.decode()
    _unchanged(awaiting_signature, Decision.Status.SIGNATURE)


def test_a_leader_cannot_sign_with_another_leaders_key(act, chair, vice_chair, awaiting_signature):
    own = SigningKey.objects.get(user=chair, active=True)
    other = SigningKey.objects.get(user=vice_chair, active=True)
    SigningKey.objects.filter(pk=own.pk).update(location=other.location)
    response = act(chair, awaiting_signature, "sign", pin=PIN)
    assert response.status_code == 400
    assert "tệp khóa chứa một chứng thư số khác" in response.content.decode()
    _unchanged(awaiting_signature, Decision.Status.SIGNATURE)
    # and the vice chair, who may not sign the chair's decision, is refused outright
    assert act(vice_chair, awaiting_signature, "sign", pin=PIN).status_code == 403


@pytest.fixture
def awaiting_issue(act, chair, awaiting_signature):
    assert act(chair, awaiting_signature, "sign", pin=PIN).status_code == 302
    return awaiting_signature


def test_a_wrong_seal_pin_gives_the_number_back(act, records_clerk, awaiting_issue):
    decision = awaiting_issue
    response = act(records_clerk, decision, "issue", pin="999999")
    assert response.status_code == 400
    assert "Mật khẩu hoặc mã PIN của khóa ký số không đúng." in response.content.decode()
    decision.refresh_from_db()
    assert (decision.status, decision.number, decision.reference) == ("signed", None, "")
    assert not Register.objects.filter(last_number__gt=0).exists()


def test_a_timestamp_service_that_is_down_gives_the_number_back_with_a_clear_error(
    act, records_clerk, awaiting_issue, settings
):
    decision = awaiting_issue
    settings.DECISIONS_TSA_URL = "http://127.0.0.1:9/tsa"  # nothing listens there
    settings.DECISIONS_TSA_TIMEOUT = 2
    response = act(records_clerk, decision, "issue", pin=PIN)
    assert response.status_code == 400
    assert "Dịch vụ cấp dấu thời gian không phản hồi" in response.content.decode()
    decision.refresh_from_db()
    assert (decision.status, decision.number) == ("signed", None)
    assert not Register.objects.filter(last_number__gt=0).exists()
    settings.DECISIONS_TSA_URL = ""
    assert act(records_clerk, decision, "issue", pin=PIN).status_code == 302


def test_the_same_flow_with_the_keys_in_softhsm(
    act, softhsm, chair, issuer, records_clerk, awaiting_signature
):
    from tests.signing_fixtures import HSM_PIN

    softhsm(SigningKey.objects.get(user=chair, active=True))
    softhsm(SigningKey.objects.get(organization=issuer, active=True))
    assert act(chair, awaiting_signature, "sign", pin="111111").status_code == 400  # wrong PIN
    _unchanged(awaiting_signature, Decision.Status.SIGNATURE)
    assert act(chair, awaiting_signature, "sign", pin=HSM_PIN).status_code == 302
    assert act(records_clerk, awaiting_signature, "issue", pin=HSM_PIN).status_code == 302
    awaiting_signature.refresh_from_db()
    report = verify_pdf(stored(awaiting_signature.pdf), long_term=False)
    assert [check.kind for check in report.signatures] == ["leader", "seal"]
    assert report.valid
    assert report.signatures[0].changes_after == "FORM_FILLING"


def test_the_public_check_of_an_uploaded_file_lists_its_signatures(issued_lta, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.logout()
    upload = SimpleUploadedFile("qd.pdf", stored(issued_lta.pdf), "application/pdf")
    page = client.post("/verify/", {"file": upload}).content.decode()
    assert "Chữ ký số trong tệp" in page
    assert "Võ Tùng (THỬ NGHIỆM)" in page
    assert "PAdES B-LTA" in page


def test_make_dev_pki_equips_every_leader_and_body_once_and_revokes_on_request(
    settings, make_person, issuer
):
    from decisions import permissions

    settings.DEBUG = True
    leader = make_person(permissions.Role.VICE_CHAIR, issuer, username="pct2")
    SigningKey.objects.all().delete()
    out = io.StringIO()
    call_command("make_dev_pki", stdout=out)
    assert SigningKey.objects.filter(user=leader, active=True, is_test=True).count() == 1
    assert SigningKey.objects.filter(organization=issuer, active=True).count() == 1
    assert pki.DEV_PIN in out.getvalue()
    call_command("make_dev_pki", stdout=io.StringIO())  # again: nothing new
    assert SigningKey.objects.count() == 2
    call_command("make_dev_pki", "--revoke", "pct2", stdout=io.StringIO())
    key = SigningKey.objects.get(user=leader)
    from decisions.signing import documents, trust

    with pytest.raises(ValidationError, match="thu hồi"):
        documents.check_certificate(key, context=trust.validation_context())
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("make_dev_pki", stdout=io.StringIO())


def test_signature_and_seal_images_must_be_transparent_pngs():
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from decisions.models import validate_transparent_png
    from decisions.signing import dev_images

    validate_transparent_png(SimpleUploadedFile("ok.png", dev_images.seal("UBND", "UBND")))
    opaque = io.BytesIO()
    Image.new("RGB", (50, 50), "white").save(opaque, "PNG")
    with pytest.raises(ValidationError, match="trong suốt"):
        validate_transparent_png(SimpleUploadedFile("white.png", opaque.getvalue()))
    with pytest.raises(ValidationError, match="PNG"):
        validate_transparent_png(SimpleUploadedFile("fake.png", b"%PDF-1.7 not an image"))


@pytest.mark.django_db(transaction=True)
def test_revocation_is_fetched_from_the_crl_address_in_the_certificate(
    live_server, settings, monkeypatch, make_person, issuer
):
    from decisions import permissions
    from decisions.signing import documents, trust

    settings.DECISIONS_BASE_URL = live_server.url  # the CRL address written into certificates
    leader = make_person(permissions.Role.VICE_CHAIR, issuer, username="pct-crl")
    key = SigningKey.objects.get(user=leader, active=True)
    assert live_server.url in pki.crl_url()
    settings.DECISIONS_REVOCATION_FETCHING = True
    monkeypatch.setattr(trust, "local_crls", list)  # no local copy: fetch it over HTTP
    documents.check_certificate(key, context=trust.validation_context())  # not revoked yet
    pki.revoke(int(key.serial, 16))
    with pytest.raises(ValidationError, match="thu hồi"):
        documents.check_certificate(key, context=trust.validation_context())


def test_a_damaged_file_anywhere_is_reported_never_crashes_and_is_never_valid(issued_lta):
    """Damage inside what the signatures cover makes them invalid; the last revision's own
    cross-reference bytes after them are covered by no signature (PAdES), but the file then no
    longer matches its register entry either way."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    original = stored(issued_lta.pdf)
    last = PdfFileReader(io.BytesIO(original)).embedded_signatures[-1].byte_range
    signed_end = last[2] + last[3]
    assert signed_end > len(original) * 0.9
    for position in range(7, len(original), len(original) // 25):
        damaged = bytearray(original)
        damaged[position] = 0x2E if damaged[position] != 0x2E else 0x41  # "." breaks numbers
        report = verify_pdf(bytes(damaged), long_term=False)
        assert report.decision is None, position
        if position < signed_end:
            assert not report.valid, position


def test_checking_an_uploaded_file_never_fetches_the_addresses_its_certificates_name(
    issued_lta, settings, monkeypatch
):
    import requests

    from decisions.signing import trust

    calls = []

    def record(self, method, url, *args, **kwargs):
        calls.append(url)
        raise requests.ConnectionError(url)

    settings.DECISIONS_REVOCATION_FETCHING = True
    monkeypatch.setattr(trust, "local_crls", list)
    monkeypatch.setattr(requests.Session, "request", record)
    verify_pdf(stored(issued_lta.pdf))
    assert calls == []


def test_the_administrator_registers_a_token_key_by_uploading_its_certificate(
    admin_client, vice_chair
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    old = SigningKey.objects.get(user=vice_chair, active=True)
    from cryptography.hazmat.primitives.serialization import Encoding

    pem = pki.issue(file_stem="token", common_name="Võ Tùng").certificate.public_bytes(Encoding.PEM)
    response = admin_client.post(
        "/admin/decisions/signingkey/add/",
        {
            "user": vice_chair.pk,
            "backend": "pkcs11",
            "location": "ubnd-token",
            "key_label": "pct",
            "certificate_file": SimpleUploadedFile("pct.pem", pem),
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    new = SigningKey.objects.get(user=vice_chair, active=True)
    assert (new.backend, new.location, new.subject) == (
        "pkcs11",
        "ubnd-token",
        "Võ Tùng (THỬ NGHIỆM)",
    )
    old.refresh_from_db()
    assert not old.active  # the earlier key is kept for history, no longer used
    bad = admin_client.post(
        "/admin/decisions/signingkey/add/",
        {
            "user": vice_chair.pk,
            "backend": "pkcs11",
            "location": "x",
            "certificate_file": SimpleUploadedFile("x.pem", b"not a certificate"),
        },
    )
    assert bad.status_code == 200
    assert "Tệp này không phải là chứng thư số." in bad.content.decode()


def test_the_public_page_of_a_decision_signed_with_test_keys_says_so(client, issued_lta):
    client.logout()
    page = client.get(f"/v/{issued_lta.verification_token}").content.decode()
    assert "Ký bằng khóa thử nghiệm: không có giá trị như bản gốc." in page
