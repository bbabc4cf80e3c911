"""Every kind of administrative document (decisions/doctypes/): real published examples read,
printed in their own layout (NĐ 30/2020/NĐ-CP, Phụ lục I) and numbered from the right register.

The fixtures under fixtures/real/types/ are verbatim public documents; sources in
fixtures/real/README.md."""

from __future__ import annotations

import json
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.template.loader import render_to_string

from decisions import doctypes, numbering, printed, rendering, selectors, services
from decisions.content import Article, RecipientEntry, validate_content
from decisions.importer import parse_decision_text, to_draft_content
from decisions.models import Decision, DocumentKind, DocumentType, IssuedDocumentType, Register
from tests.conftest import PIN
from tests.decisions.test_rendering import text_of

pytestmark = pytest.mark.django_db

TYPES = Path(__file__).parent / "fixtures" / "real" / "types"
LETTER = TYPES / "cv_hau_giang_454_2011.txt"


def words(text: str) -> str:
    return " ".join(text.split())


def letter_type() -> DocumentType:
    return DocumentType.objects.create(
        name="Công văn", abbreviation="", kind=DocumentKind.OFFICIAL_LETTER, series="CV"
    )


def letter_content(make_content, **overrides):
    values = {
        "document_type": letter_type(),
        "authority": "collective",
        "authority_line": "ỦY BAN NHÂN DÂN HUYỆN GIỒNG RIỀNG",
        "subject": "V/v tăng cường phòng, chống dịch bệnh",
        "legal_bases": [],
        "proposer": "",
        "articles": [],
        "recipients": [RecipientEntry("Như trên"), RecipientEntry("Lưu: VT, KT")],
        "parts": {
            "addressees": ["Phòng Y tế huyện", "UBND các xã, thị trấn"],
            "sections": [
                {"title": "", "paragraphs": ["Ủy ban nhân dân huyện yêu cầu:", "1. Tăng cường."]}
            ],
            "unit": "KT",
        },
    }
    values.update(overrides)
    return make_content(**values)


def test_every_kind_has_its_strategy_and_symbol_rule():
    assert set(doctypes.registry()) == set(DocumentKind.values)
    typed = {
        "decision": "QĐ",
        "normative_decision": "QĐ",
        "notice": "TB",
        "plan": "KH",
        "report": "BC",
        "submission": "TTr",
        "directive": "CT",
    }
    for key, abbreviation in typed.items():
        document_type = DocumentType(name=key, abbreviation=abbreviation, kind=key)
        assert doctypes.get(key).symbol(document_type, "UBND", {}) == f"{abbreviation}-UBND"
    letter = DocumentType(name="Công văn", kind="official_letter")
    assert doctypes.get("official_letter").symbol(letter, "UBND", {"unit": "kt"}) == "UBND-KT"
    assert doctypes.get("official_letter").symbol(letter, "UBND", {}) == "UBND"
    assert letter.printed_title == ""


def test_a_real_official_letter_is_read_with_its_addressees_and_no_articles():
    parsed = parse_decision_text(LETTER.read_text(encoding="utf-8"))
    assert parsed.kind == "official_letter"
    assert (parsed.number, parsed.symbol, parsed.place) == (454, "UBND-NCTH", "Vị Thanh")
    assert parsed.date.isoformat() == "2011-04-06"
    assert parsed.issuer_lines == ["ỦY BAN NHÂN DÂN", "TỈNH HẬU GIANG"]
    assert parsed.subject.startswith("V/v tiếp tục phối hợp tuyên truyền")
    assert parsed.subject.endswith("kỳ quan thiên nhiên thế giới")
    assert parsed.articles == []
    assert parsed.parts["addressees"][0] == "Giám đốc Sở Văn hóa, Thể thao và Du lịch"
    assert len(parsed.parts["addressees"]) == 4
    assert len(parsed.parts["sections"][0]["paragraphs"]) == 3
    assert parsed.recipients[0] == "Như trên"
    assert parsed.recipients[-1].startswith("Lưu: VT, NCTH")
    assert parsed.signature.capacity_lines == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
    assert parsed.signature.name == "Trần Thành Lập"


def test_import_decision_json_names_the_type_and_carries_the_addressees():
    out = StringIO()
    call_command("import_decision", str(LETTER), "--json", stdout=out, stderr=StringIO())
    data = json.loads(out.getvalue())
    assert (data["doc_type"], data["kind"]) == ("CÔNG VĂN", "official_letter")
    assert data["addressees"][-1] == "Chủ tịch UBND huyện, thị xã, thành phố"
    assert data["articles"] == []


def test_a_real_official_letter_prints_in_its_own_layout(tmp_path):
    """No type name and no articles; "V/v" under the number; "Kính gửi:"; Nơi nhận and the
    signature block as read."""
    out = tmp_path / "cv.pdf"
    errors = StringIO()
    call_command(
        "render_decision",
        str(LETTER),
        "--as-issued",
        "-o",
        str(out),
        stdout=StringIO(),
        stderr=errors,
    )
    assert "signature_mismatch" not in errors.getvalue()
    assert "khớp" not in errors.getvalue()
    text = text_of(out.read_bytes(), layout=True)
    lines = [words(line) for line in text.splitlines() if line.strip()]
    number = next(i for i, line in enumerate(lines) if "Số: 454/UBND-NCTH" in line)
    assert "Vị Thanh, ngày 06 tháng 4 năm 2011" in lines[number]
    assert lines[number + 1].startswith("V/v tiếp tục")  # the subject under the number
    flat = words(text)
    assert flat.index("V/v tiếp tục") < flat.index("Kính gửi:") < flat.index("Ủy ban nhân dân")
    assert "QUYẾT ĐỊNH" not in flat
    assert "Điều 1" not in flat
    assert "- Giám đốc Sở Thông tin và Truyền thông;" in flat
    assert "- Chủ tịch UBND huyện, thị xã, thành phố." in flat
    assert "Công văn nêu trên./." in flat
    assert "Nơi nhận: KT. CHỦ TỊCH" in flat
    assert "Trần Thành Lập" in flat
    assert "- Như trên;" in flat


def test_an_official_letter_reads_the_same_on_the_page_and_on_paper():
    parsed = parse_decision_text(LETTER.read_text(encoding="utf-8"))
    doc, _warnings = printed.from_parsed(parsed, as_issued=True)
    html = render_to_string("decisions/_document_text.html", {"doc": doc})
    page = words(re.sub(r"<[^>]+>", " ", html))
    pdf = words(text_of(rendering.render_pdf(doc)))
    assert sorted(page.split()) == sorted(pdf.split())
    assert "Kính gửi:" in page
    assert "QUYẾT ĐỊNH" not in page


def test_an_official_letter_needs_addressees_and_a_text_and_no_articles(issuer, make_content):
    content = letter_content(make_content)
    validate_content(content, issuer=issuer)
    content.parts = {"addressees": [], "sections": [], "unit": "K/T"}
    content.articles = [Article(text="Điều gì đó")]
    with pytest.raises(ValidationError) as refused:
        validate_content(content, issuer=issuer)
    fields = refused.value.message_dict
    assert {"addressees", "body", "unit", "articles"} <= set(fields)


def test_an_official_letter_is_issued_as_body_and_unit_from_its_own_register(
    issuer, specialist, chair, records_clerk, make_content, signed_decision
):
    decision = signed_decision(**vars(letter_content(make_content)))
    issued = services.issue_decision(pin=PIN, decision=decision, actor=records_clerk)
    assert issued.reference == "01/UBND-KT"
    assert issued.register.series == "CV"
    assert issued.title.startswith("Công văn V/v tăng cường")
    text = words(text_of(rendering.render_decision_pdf(issued)))
    assert "Số: 01/UBND-KT" in text
    assert "V/v tăng cường phòng, chống dịch bệnh" in text
    assert "Kính gửi: - Phòng Y tế huyện; - UBND các xã, thị trấn." in text
    assert "1. Tăng cường./." in text
    assert "QUYẾT ĐỊNH" not in text
    # A decision of the same body keeps its own series: 01/QĐ-UBND.
    other = services.issue_decision(pin=PIN, decision=signed_decision(), actor=records_clerk)
    assert other.reference == "01/QĐ-UBND"


def test_a_body_may_number_a_type_in_another_register_series(
    issuer, records_clerk, make_content, signed_decision
):
    content = letter_content(make_content)
    IssuedDocumentType.objects.create(
        organization=issuer, document_type=content.document_type, series="QĐ"
    )
    first = services.issue_decision(pin=PIN, decision=signed_decision(), actor=records_clerk)
    letter = services.issue_decision(
        pin=PIN, decision=signed_decision(**vars(content)), actor=records_clerk
    )
    assert (first.reference, letter.reference) == ("01/QĐ-UBND", "02/UBND-KT")
    assert letter.register == first.register


def test_a_pasted_official_letter_becomes_a_draft_of_the_configured_type(issuer, specialist):
    letter_type()
    content = to_draft_content(
        parse_decision_text(LETTER.read_text(encoding="utf-8")), issuer=issuer
    )
    assert content.document_type.kind == "official_letter"
    decision = services.create_draft(actor=specialist, issuer=issuer, content=content)
    decision.refresh_from_db()
    assert decision.symbol == "UBND-NCTH"
    assert decision.parts["addressees"][1] == "Giám đốc Sở Thông tin và Truyền thông"
    doc = selectors.pdf_context(decision)
    assert doc.subject_under_number
    assert doc.title == ""
    assert len(doc.addressees) == 4
    assert numbering.widest_number(decision) == "0000"
    assert Register.objects.count() == 0


REAL = TYPES.parent


def normative_type() -> DocumentType:
    return DocumentType.objects.create(
        name="Quyết định quy phạm pháp luật",
        abbreviation="QĐ",
        kind=DocumentKind.NORMATIVE_DECISION,
        series="QPPL",
    )


def test_a_legal_normative_decision_is_numbered_with_its_year_from_its_own_register(
    issuer, records_clerk, make_content, signed_decision
):
    normative = normative_type()
    issued = services.issue_decision(
        pin=PIN, decision=signed_decision(document_type=normative), actor=records_clerk
    )
    year = issued.issued_on.year
    assert issued.reference == f"01/{year}/QĐ-UBND"
    assert (issued.register.series, issued.register.number_format) == ("QPPL", "with_year")
    assert issued.title.startswith("Quyết định về việc ban hành")
    text = words(text_of(rendering.render_decision_pdf(issued)))
    assert f"Số: 01/{year}/QĐ-UBND" in text
    assert "QUYẾT ĐỊNH Về việc ban hành mục tiêu chất lượng năm 2026" in text
    # Individual decisions of the same body keep their own plain series.
    individual = services.issue_decision(pin=PIN, decision=signed_decision(), actor=records_clerk)
    assert individual.reference == "01/QĐ-UBND"


def test_a_legal_normative_decision_must_say_when_it_takes_effect(issuer, specialist, make_content):
    content = make_content(document_type=normative_type())
    validate_content(content, issuer=issuer)
    draft = services.create_draft(actor=specialist, issuer=issuer, content=content)
    assert numbering.widest_number(draft) == "0000/0000"  # its register will carry the year
    content.articles = [Article(text="Ban hành Quy định."), Article(text="Thi hành.")]
    with pytest.raises(ValidationError, match="hiệu lực"):
        validate_content(content, issuer=issuer)


@pytest.mark.parametrize("name", ["02_lai_chau_89_2025", "06_can_tho_37_2007"])
def test_a_real_legal_normative_decision_is_read_and_printed_with_its_year(name, tmp_path):
    parsed = parse_decision_text((REAL / f"{name}.txt").read_text(encoding="utf-8"))
    assert parsed.kind == "normative_decision"
    out = tmp_path / "qppl.pdf"
    call_command(
        "render_decision",
        str(REAL / f"{name}.txt"),
        "--as-issued",
        "-o",
        str(out),
        stdout=StringIO(),
        stderr=StringIO(),
    )
    text = words(text_of(out.read_bytes()))
    assert f"Số: {parsed.number:02d}/{parsed.number_year}/QĐ-UBND" in text
    assert "QUYẾT ĐỊNH" in text
    assert "hiệu lực" in text


@pytest.mark.parametrize(
    ("name", "reference", "place", "heading"),
    [
        (
            "kh_bac_ninh_155_2017",
            "155/KH-UBND",
            "Bắc Ninh, ngày 26 tháng 5 năm 2017",
            "I. MỤC TIÊU",
        ),
        (
            "kh_lang_son_07_2020",
            "07/KH-UBND",
            "Lạng Sơn, ngày 13 tháng 01 năm 2020",
            "I. MỤC ĐÍCH, YÊU CẦU",
        ),
    ],
)
def test_a_real_plan_is_read_and_printed_with_its_title_and_titled_sections(
    name, reference, place, heading, tmp_path
):
    """Both pages give only the head of the plan: the cut is reported, nothing is added."""
    path = TYPES / f"{name}.txt"
    parsed = parse_decision_text(path.read_text(encoding="utf-8"))
    assert (parsed.kind, parsed.doc_type, parsed.reference) == ("plan", "KẾ HOẠCH", reference)
    assert parsed.articles == []
    assert parsed.issuer_lines[0] == "ỦY BAN NHÂN DÂN"
    assert len(parsed.issuer_lines) == 2
    assert [section["title"] for section in parsed.parts["sections"]] == ["", heading]
    assert "cut_off" in {warning.code for warning in parsed.warnings}
    out = tmp_path / "kh.pdf"
    call_command(
        "render_decision",
        str(path),
        "--as-issued",
        "-o",
        str(out),
        stdout=StringIO(),
        stderr=StringIO(),
    )
    text = words(text_of(out.read_bytes()))
    assert f"Số: {reference}" in text
    assert place in text
    assert f"KẾ HOẠCH {parsed.subject[:30]}" in text
    assert heading in text
    assert "Điều 1" not in text
    assert "./." not in text  # a cut text is not closed as if it were whole


@pytest.mark.parametrize(
    ("name", "kind", "title", "reference", "place", "issuer", "first_words"),
    [
        (
            "ct_lai_chau_06_2021",
            "directive",
            "CHỈ THỊ",
            "06/CT-UBND",
            "Lai Châu, ngày 23 tháng 3 năm 2021",
            "TỈNH LAI CHÂU",
            "Sau 02 năm triển khai thực hiện",
        ),
        (
            "ct_quang_binh_08_2015",
            "directive",
            "CHỈ THỊ",
            "08/CT-UBND",
            "Quảng Bình, ngày 25 tháng 5 năm 2015",
            "TỈNH QUẢNG BÌNH",
            "Thực hiện Nghị quyết số",
        ),
    ],
)
def test_a_real_titled_text_of_another_type_is_read_as_its_kind_and_printed_with_its_title(
    name, kind, title, reference, place, issuer, first_words, tmp_path
):
    """Published texts, cut by the copying page: read as their kind from their own header
    (also one whose issuer and national name the page broke mid-name), printed as issued."""
    path = TYPES / f"{name}.txt"
    parsed = parse_decision_text(path.read_text(encoding="utf-8"))
    assert (parsed.kind, parsed.doc_type, parsed.reference) == (kind, title, reference)
    assert parsed.articles == []
    assert [line.replace("UỶ", "ỦY") for line in parsed.issuer_lines] == ["ỦY BAN NHÂN DÂN", issuer]
    assert parsed.parts["sections"][0]["paragraphs"][0].startswith(first_words)
    assert "cut_off" in {warning.code for warning in parsed.warnings}
    out = tmp_path / f"{name}.pdf"
    call_command(
        "render_decision",
        str(path),
        "--as-issued",
        "-o",
        str(out),
        stdout=StringIO(),
        stderr=StringIO(),
    )
    text = words(text_of(out.read_bytes()))
    assert f"Số: {reference}" in text
    assert place in text
    assert f"{title} {parsed.subject[:30]}" in text
    assert first_words in text
    assert issuer in text
    assert "Điều 1" not in text
    assert "./." not in text  # a cut text is not closed as if it were whole


TITLED = [
    ("notice", "Thông báo", "TB", "THÔNG BÁO"),
    ("plan", "Kế hoạch", "KH", "KẾ HOẠCH"),
    ("report", "Báo cáo", "BC", "BÁO CÁO"),
    ("submission", "Tờ trình", "TTr", "TỜ TRÌNH"),
    ("directive", "Chỉ thị", "CT", "CHỈ THỊ"),
]


@pytest.mark.parametrize(("kind", "name", "abbreviation", "title"), TITLED)
def test_each_titled_type_is_issued_from_its_register_in_its_own_layout(
    kind, name, abbreviation, title, records_clerk, make_content, signed_decision
):
    document_type = DocumentType.objects.create(
        name=name, abbreviation=abbreviation, kind=kind, series=abbreviation
    )
    parts = {
        "addressees": ["Hội đồng nhân dân huyện"] if kind == "submission" else [],
        "sections": [
            {"title": "", "paragraphs": ["Ủy ban nhân dân huyện yêu cầu như sau:"]},
            {"title": "I. MỤC ĐÍCH, YÊU CẦU", "paragraphs": ["1. Bảo đảm an toàn."]},
        ],
    }
    decision = signed_decision(
        document_type=document_type,
        subject="Triển khai công tác phòng, chống thiên tai năm 2026",
        legal_bases=[],
        proposer="",
        articles=[],
        parts=parts,
        recipients=[RecipientEntry("Các cơ quan liên quan"), RecipientEntry("Lưu: VT")],
    )
    issued = services.issue_decision(pin=PIN, decision=decision, actor=records_clerk)
    assert issued.reference == f"01/{abbreviation}-UBND"
    assert issued.register.series == abbreviation
    text = words(text_of(rendering.render_decision_pdf(issued)))
    assert f"Số: 01/{abbreviation}-UBND" in text
    assert f"{title} Triển khai công tác phòng, chống thiên tai năm 2026" in text
    assert "I. MỤC ĐÍCH, YÊU CẦU 1. Bảo đảm an toàn./." in text
    assert "QUYẾT ĐỊNH" not in text
    assert "Điều 1" not in text
    assert ("Kính gửi: Hội đồng nhân dân huyện." in text) == (kind == "submission")
    doc = selectors.pdf_context(issued)
    html = render_to_string("decisions/_document_text.html", {"doc": doc})
    page = words(re.sub(r"<[^>]+>", " ", html))
    paper = text.replace(doc.verification_url, "")  # printed with its QR code only
    assert sorted(page.split()) == sorted(paper.split())


def test_a_titled_text_needs_a_text_and_a_directive_numbered_points(issuer, make_content):
    notice = DocumentType.objects.create(name="Thông báo", abbreviation="TB", kind="notice")
    content = make_content(
        document_type=notice,
        legal_bases=[],
        articles=[],
        parts={},
        recipients=[RecipientEntry("Các sở"), RecipientEntry("Lưu: VT")],
    )
    with pytest.raises(ValidationError, match="thông báo"):
        validate_content(content, issuer=issuer)
    directive = DocumentType.objects.create(name="Chỉ thị", abbreviation="CT", kind="directive")
    content.document_type = directive
    content.parts = {"sections": [{"title": "", "paragraphs": ["Không có điểm nào."]}]}
    with pytest.raises(ValidationError, match="1\\. …"):
        validate_content(content, issuer=issuer)
    content.parts["sections"][0]["paragraphs"].append("1. Các sở thực hiện.")
    validate_content(content, issuer=issuer)


def test_the_editor_offers_only_the_types_the_body_issues(issuer, specialist, client):
    letter = letter_type()
    decision_type = DocumentType.objects.create(name="Quyết định", abbreviation="QĐ", series="QĐ")
    plan = DocumentType.objects.create(name="Kế hoạch", abbreviation="KH", kind="plan")
    client.force_login(specialist)
    page = client.get("/decisions/new/").content.decode()
    assert all(f'value="{t.pk}"' in page for t in (letter, decision_type, plan))
    for chosen in (letter, decision_type):
        IssuedDocumentType.objects.create(organization=issuer, document_type=chosen)
    page = client.get("/decisions/new/").content.decode()
    assert f'value="{letter.pk}"' in page
    assert f'value="{plan.pk}"' not in page
    refused = client.post("/decisions/new/", editor_post_letter(issuer, plan))
    assert refused.status_code == 400


def editor_post_letter(issuer, document_type, **overrides):
    data = {
        "issuer": str(issuer.pk),
        "document_type": str(document_type.pk),
        "authority": "collective",
        "authority_line": "ỦY BAN NHÂN DÂN HUYỆN GIỒNG RIỀNG",
        "subject": "V/v báo cáo tình hình thiệt hại do bão",
        "articles-0-text": "",
        "legal_bases-0": "",
        "parts-addressees": "- Phòng Nông nghiệp huyện;\n- UBND các xã.",
        "parts-unit": "kt",
        "parts-body": "Ủy ban nhân dân huyện đề nghị:\nCác đơn vị báo cáo trước ngày 15.",
        "recipients-0-text": "Như trên",
        "recipients-1-text": "Lưu: VT, KT",
    }
    data.update(overrides)
    return data


def test_a_drafter_writes_an_official_letter_in_the_editor(issuer, specialist, client):
    letter = letter_type()
    client.force_login(specialist)
    page = client.get(f"/decisions/new/?document_type={letter.pk}").content.decode()
    assert 'name="parts-addressees"' in page
    assert "Như trên" in page
    response = client.post("/decisions/new/", editor_post_letter(issuer, letter))
    assert response.status_code == 302
    decision = Decision.objects.get()
    assert decision.symbol == "UBND-KT"
    assert decision.articles == []
    assert decision.parts["addressees"] == ["Phòng Nông nghiệp huyện", "UBND các xã"]
    assert decision.parts["sections"][0]["paragraphs"][1].startswith("Các đơn vị báo cáo")
    edit = client.get(f"/decisions/{decision.pk}/edit/").content.decode()
    assert "Phòng Nông nghiệp huyện\nUBND các xã" in edit
    preview = client.post("/decisions/preview/", editor_post_letter(issuer, letter))
    text = words(text_of(preview.content))
    assert "/UBND-KT" in text  # the blank draft number splits "Số:" from it
    assert "V/v báo cáo tình hình thiệt hại do bão" in text
    assert "Kính gửi: - Phòng Nông nghiệp huyện; - UBND các xã." in text
    empty = client.post(
        "/decisions/new/", editor_post_letter(issuer, letter, **{"parts-addressees": ""})
    )
    assert empty.status_code == 400
    assert "Kính gửi" in empty.content.decode()
