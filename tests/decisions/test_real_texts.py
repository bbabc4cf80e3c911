"""Real decisions of many bodies, pasted as users paste them, import and print from their own text.

The fixtures under fixtures/real/ are verbatim public decisions (sources in its README); each
`.expected.json` says, read by eye, what the text states. They run on an empty database: the
text itself says who issued it.
"""

from __future__ import annotations

import json
import re
import unicodedata
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from decisions import printed, rendering, services
from decisions.importer import parse_decision_text, to_draft_content
from tests.decisions.test_importer import SEED_000
from tests.decisions.test_rendering import text_of

pytestmark = pytest.mark.django_db

REAL = Path(__file__).parent / "fixtures" / "real"
FIXTURES = sorted(REAL.glob("*.txt"))


def expected_of(path: Path) -> dict:
    return json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8"))


def test_there_are_real_fixtures_of_several_provinces_levels_and_decades():
    facts = [expected_of(path) for path in FIXTURES]
    assert len({fact["province"] for fact in facts}) >= 6
    assert {fact["level"] for fact in facts} >= {"tinh", "huyen"}
    assert min(fact["date"] for fact in facts) < "2010" < "2020" < max(f["date"] for f in facts)


@pytest.mark.parametrize("path", FIXTURES, ids=lambda path: path.stem)
def test_a_real_decision_is_read_as_its_text_states(path):
    expected = expected_of(path)
    parsed = parse_decision_text(path.read_text(encoding="utf-8"))
    assert " ".join(parsed.issuer_lines) == " ".join(expected["issuer_lines"])
    assert (parsed.number, parsed.number_year, parsed.symbol) == (
        expected["number"],
        expected["number_year"],
        expected["symbol"],
    )
    assert (parsed.place, parsed.date.isoformat()) == (expected["place"], expected["date"])
    assert parsed.subject == expected["subject"]
    assert (parsed.authority_line or None) == expected["authority_line"]
    assert len(parsed.legal_bases) == expected["legal_bases_count"]
    assert (parsed.proposer is not None) == expected["has_proposer"]
    assert len(parsed.articles) == expected["article_count"]
    entries = [text for text in parsed.recipients if not text.startswith("Lưu")]
    assert len(entries) == expected["recipients_count"]
    if entries:
        assert entries[0] == expected["recipients_first"]
    assert parsed.signature.capacity_lines == expected["signature_lines"]
    assert parsed.signature.name == expected["signer_name"]
    codes = {warning.code for warning in parsed.warnings}
    assert "cut_off" not in codes
    assert ("no_recipients" in codes) == (expected["recipients_count"] == 0)


@pytest.mark.parametrize("path", FIXTURES, ids=lambda path: path.stem)
def test_a_real_decision_prints_under_its_own_header_on_an_empty_database(path, tmp_path):
    """As issued where the text has its number and date, as a draft otherwise."""
    expected = expected_of(path)
    out = tmp_path / "issued.pdf"
    complete = expected["number"] is not None and expected["date"] is not None
    mode = ["--as-issued"] if complete else []
    call_command(
        "render_decision", str(path), *mode, "-o", str(out), stdout=StringIO(), stderr=StringIO()
    )
    text = " ".join(text_of(out.read_bytes()).split())
    if not complete:
        assert " ".join(expected["issuer_lines"]).replace("UỶ", "ỦY") in text.replace("UỶ", "ỦY")
        return
    for line in expected["issuer_lines"]:
        assert line.replace("UỶ", "ỦY") in text.replace("UỶ", "ỦY")
    year = f"{expected['number_year']}/" if expected["number_year"] else ""
    assert f"Số: {expected['number']:02d}/{year}{expected['symbol']}" in text
    assert expected["signer_name"] in text
    for line in expected["signature_lines"]:
        assert " ".join(line.upper().replace("TM.", "TM. ").replace("KT.", "KT. ").split()) in text
    assert "DỰ THẢO" not in text


def test_the_printed_date_line_is_the_texts_own(tmp_path):
    path = next(p for p in FIXTURES if p.name.startswith("01_"))
    out = tmp_path / "issued.pdf"
    call_command("render_decision", str(path), "--as-issued", "-o", str(out), stdout=StringIO())
    assert "Lâm Đồng, ngày 25 tháng 11 năm 2025" in " ".join(text_of(out.read_bytes()).split())


def test_a_given_issuer_overrides_the_text_and_the_difference_is_a_warning(issuer, tmp_path):
    path = next(p for p in FIXTURES if p.name.startswith("01_"))
    errors, out = StringIO(), tmp_path / "x.pdf"
    call_command(
        "render_decision",
        str(path),
        "--issuer",
        issuer.code,
        "-o",
        str(out),
        stdout=StringIO(),
        stderr=errors,
    )
    assert "ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG" in errors.getvalue()
    assert "không phải cơ quan ban hành đã chọn" in errors.getvalue()
    assert issuer.name_lines[-1] in text_of(out.read_bytes())


# --- variations of one real text --------------------------------------------------------------

SEED = SEED_000.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("block", "lines"),
    [
        ("**TM.ỦY BAN NHÂN DÂN HUYỆN\nKT.CHỦ TỊCH\nPHÓ CHỦ TỊCH**", ["TM. ỦY BAN NHÂN DÂN HUYỆN"]),
        ("**TM. UỶ BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH**", ["TM. UỶ BAN NHÂN DÂN"]),
        ("**tm.  ủy ban nhân dân\nkt . chủ tịch\nphó chủ tịch**", ["TM. ỦY BAN NHÂN DÂN"]),
        ("TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH", ["TM. ỦY BAN NHÂN DÂN"]),
    ],
)
def test_real_signature_forms_are_accepted_as_drafts_and_printed_as_issued(block, lines, tmp_path):
    text = SEED.replace("CHỦ TỊCH ỦY BAN NHÂN DÂN HUYỆN", "ỦY BAN NHÂN DÂN HUYỆN")
    text = text.replace("**KT. CHỦ TỊCH  \nPHÓ CHỦ TỊCH**", block)
    parsed = parse_decision_text(text)
    draft, warnings = printed.from_parsed(parsed, as_issued=False)
    assert draft.signature.lines == ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")
    assert not [w for w in warnings if w.code == "signature_mismatch"]
    issued, _warnings = printed.from_parsed(parsed, as_issued=True)
    assert issued.signature.lines == (*lines, "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")
    assert issued.signature.name == "Võ Tùng"


def test_a_partial_signature_block_is_a_warning_not_a_refusal():
    text = SEED.replace("**KT. CHỦ TỊCH  \nPHÓ CHỦ TỊCH**", "**KT. CHỦ TỊCH**").replace(
        "**Võ Tùng**", ""
    )
    parsed = parse_decision_text(text)
    doc, warnings = printed.from_parsed(parsed, as_issued=False)
    assert "partial_signature" in {w.code for w in warnings}
    assert doc.signature.lines == ("CHỦ TỊCH",)


def test_decomposed_unicode_windows_line_endings_and_invisible_characters_read_the_same():
    messy = unicodedata.normalize("NFD", SEED).replace("\n", "\r\n")
    messy = messy.replace("mục tiêu", "mục\u00adtiêu").replace("Điều 2", "\ufeffĐiều\u200b 2")
    clean, read = parse_decision_text(SEED).as_json(), parse_decision_text(messy).as_json()
    assert read == clean
    assert "\u00ad" not in json.dumps(read, ensure_ascii=False)


def test_a_text_cut_off_mid_article_is_flagged_and_not_closed(tmp_path):
    cut = SEED[: SEED.index("các cơ quan, đơn vị có liên quan")] + "các cơ quan, đơn"
    parsed = parse_decision_text(cut)
    assert [w.code for w in parsed.warnings] == ["cut_off"]
    assert parsed.warnings[0].line == cut.count("\n") + 1
    source = tmp_path / "cut.txt"
    source.write_text(cut, encoding="utf-8")
    out = tmp_path / "cut.pdf"
    errors = StringIO()
    call_command("render_decision", str(source), "-o", str(out), stdout=StringIO(), stderr=errors)
    assert "bị cắt" in errors.getvalue()
    text = " ".join(text_of(out.read_bytes()).split())
    assert "các cơ quan, đơn" in text
    assert "đơn./." not in text


def test_a_complete_clean_text_has_no_warnings():
    assert parse_decision_text(SEED).warnings == []


def test_glued_words_a_capital_subject_and_no_archive_entry_are_warnings():
    text = SEED.replace("cơ quan hành chính cấp huyện", "cơ quanHành chính 2005của huyện")
    text = text.replace("ban hành mục tiêu chất lượng", "BAN HÀNH MỤC TIÊU")
    text = text.replace("- Lưu: VT.", "")
    text = text.replace("**V/v BAN HÀNH MỤC TIÊU", "**V/V BAN HÀNH MỤC TIÊU")
    text = text.replace("theo Hệ thống tiêu chuẩn quốc gia TCVN ISO 9001:2008 năm 2019**", "**", 1)
    codes = [w.code for w in parse_decision_text(text).warnings]
    assert {"glued_words", "caps_subject", "no_archive"} <= set(codes)


def test_the_header_lines_of_a_text_are_read_as_its_issuer():
    header = (
        "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "XÃ MỸ HÒA HƯNG Độc lập - Tự do - Hạnh phúc\n-------\n"
    )
    text = header + SEED.replace("Giồng Riềng, ngày", "Mỹ Hòa Hưng, ngày")
    text = text.replace("NHÂN DÂN HUYỆN GIỒNG RIỀNG", "NHÂN DÂN XÃ MỸ HÒA HƯNG")
    text = text.replace("**KT. CHỦ TỊCH  \nPHÓ CHỦ TỊCH**", "**CHỦ TỊCH**")
    parsed = parse_decision_text(text)
    assert (parsed.issuer_lines, parsed.issuer_from_header) == (
        ["ỦY BAN NHÂN DÂN", "XÃ MỸ HÒA HƯNG"],
        True,
    )
    doc, warnings = printed.from_parsed(parsed, as_issued=True)
    assert doc.issuer_lines == ("ỦY BAN NHÂN DÂN", "XÃ MỸ HÒA HƯNG")
    assert doc.signature.lines == ("CHỦ TỊCH",)
    assert not warnings


def test_without_a_header_the_issuer_comes_from_the_authority_line_and_the_place():
    text = SEED.replace("CHỦ TỊCH ỦY BAN NHÂN DÂN HUYỆN GIỒNG RIỀNG", "ỦY BAN NHÂN DÂN TỈNH")
    text = text.replace("Giồng Riềng, ngày", "Vĩnh Long, ngày").replace(
        "**KT. CHỦ TỊCH  \nPHÓ CHỦ TỊCH**", "**TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH**"
    )
    parsed = parse_decision_text(text)
    assert parsed.issuer_lines == ["ỦY BAN NHÂN DÂN", "TỈNH VĨNH LONG"]


def test_a_number_with_its_year_keeps_the_year_in_the_json_and_on_the_draft(
    client, issuer, specialist, make_content
):
    text = SEED.replace("Số: 93/QĐ-UBND", "Số: 18/2009/QĐ-UBND")
    data = parse_decision_text(text).as_json()
    assert (data["number"], data["number_year"], data["symbol"]) == (18, 2009, "QĐ-UBND")
    make_content()
    client.force_login(specialist)
    page = client.post("/decisions/import/", {"issuer": issuer.pk, "text": text})
    assert 'name="number_year" value="2009"' in page.content.decode()
    content = to_draft_content(parse_decision_text(text), issuer=issuer)
    draft = services.create_draft(actor=specialist, issuer=issuer, content=content)
    assert draft.number_year == 2009
    assert re.search(
        r"Số: +/2009/QĐ-UBND", text_of(rendering.render_decision_pdf(draft), layout=True)
    )


def test_text_that_names_no_body_needs_an_issuer(tmp_path):
    from tests.decisions.test_importer import SEED_001

    with pytest.raises(CommandError, match="Không xác định được cơ quan ban hành"):
        call_command("render_decision", str(SEED_001), "-o", str(tmp_path / "x.pdf"))
