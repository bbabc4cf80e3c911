"""Word files: a draft or an issued decision downloads as .docx in the layout of NĐ 30, and a
.docx uploaded on the import page opens in the editor through the same importer as pasted text."""

import io
import zipfile
from dataclasses import asdict
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from docx import Document

from decisions import docx_export, docx_import, printed, selectors, services
from decisions.content import DraftContent
from decisions.importer import ParseError, decode, parse_decision_text, to_draft_content
from decisions.models import Decision
from tests.decisions.test_importer import SEED_000, SEED_001

REAL = sorted((Path(__file__).parent / "fixtures" / "real").glob("*.txt")) + sorted(
    (Path(__file__).parent / "fixtures" / "real" / "types").glob("*.txt")
)
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

pytestmark = pytest.mark.django_db


def importer_fields(content: DraftContent) -> dict[str, object]:
    """Every field of a draft that the importer reads from a text."""
    return {
        "document_type": content.document_type.pk,
        "authority": content.authority,
        "authority_line": content.authority_line,
        "subject": content.subject,
        "legal_bases": content.legal_bases,
        "proposer": content.proposer,
        "articles": [asdict(article) for article in content.articles],
        "recipients": [entry.text for entry in content.recipients],
        "number_year": content.number_year,
    }


def seed_draft(path: Path, issuer, specialist) -> Decision:
    content = to_draft_content(parse_decision_text(decode(path.read_bytes())), issuer=issuer)
    return services.create_draft(actor=specialist, issuer=issuer, content=content)


def read_back(data: bytes, issuer) -> DraftContent:
    return to_draft_content(parse_decision_text(docx_import.docx_text(data)), issuer=issuer)


@pytest.mark.parametrize("seed", [SEED_000, SEED_001], ids=["seed_000", "seed_001"])
def test_a_seed_draft_exported_to_word_and_imported_again_has_the_same_content(
    seed, issuer, specialist, make_content
):
    make_content()  # the QĐ document type
    decision = seed_draft(seed, issuer, specialist)
    data = docx_export.to_docx(selectors.pdf_context(decision))
    again = read_back(data, issuer)
    assert importer_fields(again) == importer_fields(DraftContent.of(decision))


# What a draft carries from a text: a text without its number or date prints as a draft (no
# number, no date, the signature block in NĐ 30's form), so those are compared only as issued.
ISSUED_ONLY = {"number", "date", "symbol", "signature"}


@pytest.mark.parametrize("path", REAL, ids=lambda path: path.stem)
def test_a_real_decision_exported_to_word_reads_back_as_the_same_decision(path):
    first = parse_decision_text(decode(path.read_bytes()))
    as_issued = bool(first.number and first.date)
    doc, _warnings = printed.from_parsed(first, as_issued=as_issued)
    second = parse_decision_text(docx_import.docx_text(docx_export.to_docx(doc)))
    before, after = first.as_json(), second.as_json()
    skipped = {"warnings"} | (set() if as_issued else ISSUED_ONLY)
    if before["signature"] is None:  # a text cut before its signature prints NĐ 30's block
        skipped.add("signature")
    assert {key: value for key, value in after.items() if key not in skipped} == {
        key: value for key, value in before.items() if key not in skipped
    }


def test_the_word_file_has_the_page_fonts_header_table_and_closing_table_of_nd30(draft):
    document = Document(io.BytesIO(docx_export.to_docx(selectors.pdf_context(draft))))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = (section.top_margin, section.right_margin, section.bottom_margin, section.left_margin)
    assert [round(margin.mm) for margin in margins] == [20, 15, 20, 30]
    assert document.styles["Normal"].font.name == "Times New Roman"
    assert document.styles["Normal"].font.size.pt == 14
    heading, closing = document.tables
    assert [round(cell.width.mm) for cell in heading.rows[0].cells] == [59, 106]
    left, right = (cell.text for cell in heading.rows[0].cells)
    assert "HUYỆN GIỒNG RIỀNG" in left
    assert right.startswith("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc")
    assert heading.rows[1].cells[0].text.startswith("Số:")
    assert heading.rows[1].cells[0].text.endswith("/QĐ-UBND")
    rules = [p for p in heading.rows[0].cells[0].paragraphs if p._p.find(".//{*}pBdr") is not None]
    assert len(rules) == 1
    assert rules[0].text == ""
    assert closing.rows[0].cells[0].paragraphs[0].text == "Nơi nhận:"
    assert closing.rows[0].cells[0].paragraphs[0].runs[0].font.size.pt == 12
    assert "CHỦ TỊCH" in closing.rows[0].cells[1].text
    assert section.different_first_page_header_footer  # page numbers from page 2
    assert "PAGE" in section.header._element.xml
    assert section.first_page_header.paragraphs[0].text == "DỰ THẢO"


def test_articles_clauses_and_points_are_numbered_as_printed(draft):
    texts = [
        p.text
        for p in Document(io.BytesIO(docx_export.to_docx(selectors.pdf_context(draft)))).paragraphs
    ]
    start = texts.index("Điều 1. Ban hành mục tiêu chất lượng như sau:")
    assert texts[start + 1 : start + 4] == [
        "1. Giảm sai sót.",
        "a) Thủ tục hành chính;",
        "b) Hồ sơ.",
    ]


def test_the_drafter_downloads_the_word_file_and_others_get_404(
    client, draft, specialist, recipient_user
):
    client.force_login(specialist)
    page = client.get(f"/decisions/{draft.pk}/")
    assert f'href="/decisions/{draft.pk}/docx/"' in page.content.decode()
    response = client.get(f"/decisions/{draft.pk}/docx/")
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX_TYPE
    assert f'filename="du-thao-{draft.pk}.docx"' in response["Content-Disposition"]
    assert "Điều 1." in docx_import.docx_text(response.content)
    client.force_login(recipient_user)
    assert client.get(f"/decisions/{draft.pk}/docx/").status_code == 404


def test_the_editor_of_a_saved_draft_links_its_word_file(client, draft, specialist):
    client.force_login(specialist)
    html = client.get(f"/decisions/{draft.pk}/edit/").content.decode()
    assert f'href="/decisions/{draft.pk}/docx/"' in html


def test_an_issued_decision_downloads_as_word_with_its_number_date_and_signer(
    client, seed_000_issued, specialist
):
    client.force_login(specialist)
    data = client.get(f"/decisions/{seed_000_issued.pk}/docx/").content
    text = docx_import.docx_text(data)
    assert f"Số: {seed_000_issued.reference}" in text
    assert "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH" in text
    assert "DỰ THẢO" not in text
    assert seed_000_issued.signer.get_full_name() in text


def test_export_docx_writes_the_file_and_refuses_an_unknown_id(draft, tmp_path):
    out = tmp_path / "quyet-dinh.docx"
    call_command("export_docx", str(draft.pk), "-o", str(out), stdout=StringIO())
    assert "Điều 1." in docx_import.docx_text(out.read_bytes())
    with pytest.raises(Exception, match="Không có quyết định nào có mã số"):
        call_command("export_docx", "999999", "-o", str(out), stdout=StringIO())


def test_uploading_a_word_file_opens_it_in_the_editor_like_pasted_text(
    client, issuer, specialist, make_content
):
    make_content()
    decision = seed_draft(SEED_000, issuer, specialist)
    data = docx_export.to_docx(selectors.pdf_context(decision))
    client.force_login(specialist)
    upload = io.BytesIO(data)
    upload.name = "quyet-dinh.docx"
    page = client.post("/decisions/import/", {"issuer": issuer.pk, "text": "", "file": upload})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="imported" value="1"' in html
    assert "Căn cứ Luật tổ chức Chính quyền địa phương ngày 19/6/2015" in html
    assert Decision.objects.count() == 1  # the one exported; nothing saved before confirming


def zip_of(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (zip_of({"a.txt": b"x"}), "không phải tệp Word"),
        (b"PK\x03\x04 broken", "không phải tệp Word"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, ".doc"),
        (
            zip_of({"[Content_Types].xml": b"", "word/document.xml": b"\x00" * 50_000_000}),
            "nén bất thường",
        ),
        (zip_of({f"{n}.xml": b"" for n in range(400)}), "quá nhiều phần"),
        (
            zip_of({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<not-word/>"}),
            "bị hỏng",
        ),
    ],
    ids=["no-document", "broken-zip", "old-doc", "zip-bomb", "many-members", "damaged"],
)
def test_a_bad_word_file_is_refused_with_a_clear_message_and_nothing_created(
    client, issuer, specialist, data, message
):
    client.force_login(specialist)
    upload = io.BytesIO(data)
    upload.name = "quyet-dinh.docx"
    response = client.post("/decisions/import/", {"issuer": issuer.pk, "file": upload})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Decision.objects.exists()


LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa">'
    + "".join(
        f'<!ENTITY {name} "{("&" + previous + ";") * 10}">'
        for previous, name in zip("abcdefg", "bcdefgh", strict=True)
    )
    + ']><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    "<w:body><w:p><w:r><w:t>&h;</w:t></w:r></w:p></w:body></w:document>"
)


def test_a_word_file_with_an_entity_bomb_is_refused_without_expanding_it(draft):
    exported = zipfile.ZipFile(io.BytesIO(docx_export.to_docx(selectors.pdf_context(draft))))
    members = {name: exported.read(name) for name in exported.namelist()}
    members["word/document.xml"] = LAUGHS.encode()
    with pytest.raises(ParseError, match="bị hỏng"):
        docx_import.docx_text(zip_of(members))


def test_a_word_file_over_the_size_limit_is_refused_before_it_is_unzipped():
    with pytest.raises(ParseError):
        docx_import.docx_text(b"PK\x03\x04" + b"\x00" * (docx_import.MAX_DOCX_BYTES + 1))


def test_mark_paragraphs_of_our_own_are_not_read_as_text(make_content, issuer, specialist):
    content = make_content(urgency=Decision.Urgency.URGENT, drafter_initials="PL", copies=30)
    decision = services.create_draft(actor=specialist, issuer=issuer, content=content)
    data = docx_export.to_docx(selectors.pdf_context(decision))
    document = Document(io.BytesIO(data))
    assert "PL.(30)" in document.tables[-1].rows[0].cells[0].text
    assert "KHẨN" in document.tables[0].rows[2].cells[0].text
    text = docx_import.docx_text(data)
    assert "PL.(30)" not in text
    assert "KHẨN" not in text
