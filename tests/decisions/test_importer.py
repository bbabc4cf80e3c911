"""The importer reads both seeds and texts like them, and refuses what is not a decision."""

import datetime
from pathlib import Path

import pytest

from decisions.importer import ParseError, decode, parse_decision_text

SEEDS = Path(__file__).resolve().parents[2] / "decisions" / "demo_seeds"
SEED_000 = SEEDS / "seed_000_giong_rieng_93.txt"
SEED_001 = SEEDS / "seed_001_province_quality_2018.txt"


def parse_file(path: Path):
    return parse_decision_text(decode(path.read_bytes()))


def test_seed_000_gives_its_number_date_bases_articles_recipients_and_signer():
    parsed = parse_file(SEED_000).as_json()
    assert parsed["number"] == 93
    assert parsed["symbol"] == "QĐ-UBND"
    assert parsed["place"] == "Giồng Riềng"
    assert parsed["date"] == "2019-01-02"
    assert parsed["doc_type"] == "QUYẾT ĐỊNH"
    assert parsed["subject"].startswith("V/v ban hành mục tiêu chất lượng")
    assert parsed["authority_line"] == "CHỦ TỊCH ỦY BAN NHÂN DÂN HUYỆN GIỒNG RIỀNG"
    assert len(parsed["legal_bases"]) == 5
    assert all(basis.startswith("Căn cứ") for basis in parsed["legal_bases"])
    assert not any(basis.endswith((";", ",")) for basis in parsed["legal_bases"])
    assert parsed["proposer"] == "Theo đề nghị của Chánh Văn phòng HĐND và UBND huyện"
    assert [article["number"] for article in parsed["articles"]] == [1, 2, 3]
    assert len(parsed["articles"][0]["clauses"]) == 6
    assert parsed["articles"][0]["clauses"][0].startswith("Giảm sai sót")
    assert parsed["articles"][2]["text"].endswith("có hiệu lực kể từ ngày ký ban hành./.")
    assert len(parsed["recipients"]) == 7
    assert parsed["recipients"][0] == "Sở khoa học và CN"
    assert parsed["recipients"][-1] == "Lưu: VT"
    assert parsed["signature"] == {
        "capacity_lines": ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"],
        "name": "Võ Tùng",
    }


def test_seed_001_is_a_pasted_draft_without_number_date_or_signer():
    parsed = parse_file(SEED_001).as_json()
    assert parsed["number"] is None
    assert parsed["symbol"] is None
    assert parsed["date"] is None
    assert parsed["place"] is None
    assert parsed["signature"] is None
    assert parsed["authority_line"] == "ỦY BAN NHÂN DÂN TỈNH"
    assert parsed["subject"].startswith("VỀ VIỆC PHÊ DUYỆT MỤC TIÊU CHẤT LƯỢNG NĂM 2018")
    assert len(parsed["legal_bases"]) == 3
    assert parsed["proposer"] == "Xét đề nghị của Chánh Văn phòng UBND tỉnh"
    assert len(parsed["articles"]) == 4
    assert len(parsed["articles"][0]["clauses"]) == 9
    assert parsed["articles"][3]["text"].endswith("thi hành Quyết định này./.")
    assert parsed["recipients"] == [
        "Như Điều 4",
        "CT, các PCT UBND tỉnh",
        "VP: LĐ và các CV",
        "Lưu: VT, TKISO",
    ]


def test_the_json_has_exactly_the_documented_keys():
    parsed = parse_file(SEED_000).as_json()
    assert list(parsed) == [
        "number",
        "number_year",
        "symbol",
        "issuer",
        "place",
        "date",
        "doc_type",
        "subject",
        "authority_line",
        "legal_bases",
        "proposer",
        "enacting",
        "articles",
        "recipients",
        "signature",
        "warnings",
    ]
    assert list(parsed["articles"][0]) == ["number", "title", "text", "clauses"]


MESSY = """\
UBND TỈNH AN GIANG
**ỦY BAN NHÂN DÂN XÃ MỸ HÒA HƯNG**
Số: 7/2025/QĐ-UBND
Mỹ Hòa Hưng, ngày 5 tháng 3 năm 2025

# QUYẾT ĐỊNH
Ban hành Quy chế làm việc
**CHỦ TỊCH ỦY BAN NHÂN DÂN XÃ MỸ HÒA HƯNG**

Căn cứ Luật Tổ chức chính quyền địa phương
ngày 16 tháng 6 năm 2025;

Theo đề nghị của Văn phòng HĐND và UBND xã.
QUYẾT ĐỊNH:
Điều 1. Phạm vi áp dụng
Quy chế áp dụng cho:
1. Các phòng chuyên môn:
a) Văn phòng;
đ) Phòng Kinh tế.
2. Các đơn vị sự nghiệp.
Điều 2. Hiệu lực thi hành
Quyết định này có hiệu lực kể từ ngày ký./.
Nơi nhận:
- Như Điều 2;
- Lưu: VT, VP.
CHỦ TỊCH
(Đã ký)
Nguyễn Văn Bình
"""


def test_untidy_text_with_titles_points_and_a_year_in_the_number_is_read():
    parsed = parse_decision_text(MESSY)
    data = parsed.as_json()
    assert parsed.number_year == 2025
    assert (data["number"], data["symbol"]) == (7, "QĐ-UBND")
    assert data["date"] == datetime.date(2025, 3, 5).isoformat()
    assert data["place"] == "Mỹ Hòa Hưng"
    assert data["subject"] == "Ban hành Quy chế làm việc"
    assert data["legal_bases"] == [
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025"
    ]
    assert data["proposer"] == "Theo đề nghị của Văn phòng HĐND và UBND xã"
    first, second = data["articles"]
    assert first["title"] == "Phạm vi áp dụng"
    assert first["text"] == "Quy chế áp dụng cho:"
    assert first["clauses"] == [
        "Các phòng chuyên môn:\na) Văn phòng;\nb) Phòng Kinh tế.",
        "Các đơn vị sự nghiệp.",
    ]
    assert second["title"] == "Hiệu lực thi hành"
    assert data["recipients"] == ["Như Điều 2", "Lưu: VT, VP"]
    assert data["signature"] == {"capacity_lines": ["CHỦ TỊCH"], "name": "Nguyễn Văn Bình"}


def test_a_blank_draft_date_line_gives_a_place_and_no_date():
    text = MESSY.replace("Số: 7/2025/QĐ-UBND", "Số:     /QĐ-UBND").replace(
        "ngày 5 tháng 3 năm 2025", "ngày    tháng    năm 20.."
    )
    data = parse_decision_text(text).as_json()
    assert (data["number"], data["symbol"], data["date"]) == (None, "QĐ-UBND", None)
    assert data["place"] == "Mỹ Hòa Hưng"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "Văn bản trống."),
        (b"   \n\n\t\n", "Văn bản trống."),
        (b"%PDF-1.7\x00\x01\x02binary", "không phải tệp văn bản"),
        ("Xin chào".encode("latin-1"), "không ở mã UTF-8"),
        (
            "QUYẾT ĐỊNH\nVề việc thử\nỦY BAN NHÂN DÂN TỈNH\nCăn cứ Luật;\nQUYẾT ĐỊNH:\n"
            "Nơi nhận:\n- Lưu: VT.".encode(),
            "Không tìm thấy điều nào",
        ),
        ("Một đoạn văn bất kỳ không phải quyết định.".encode(), "Không tìm thấy điều nào"),
    ],
)
def test_what_is_not_a_decision_gives_a_clear_error(data, message):
    with pytest.raises(ParseError, match=message):
        parse_decision_text(decode(data))


def test_an_error_names_the_line_it_could_not_read():
    text = "QUYẾT ĐỊNH\nVề việc thử\nỦY BAN NHÂN DÂN TỈNH\nQUYẾT ĐỊNH:\nĐiều 1. Một.\nĐiều 3. Ba."
    with pytest.raises(ParseError) as error:
        parse_decision_text(text)
    assert error.value.line == 6
    assert str(error.value) == "Dòng 6: Cần có Điều 2 ở đây, nhưng gặp Điều 3."
