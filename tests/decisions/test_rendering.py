"""The PDF as a Vietnamese official would check it: text, order, fonts, page, margins, numbers."""

import datetime
import re
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from io import BytesIO, StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from pypdf import PdfReader

from decisions import permissions, printed, rendering, selectors, services
from decisions.content import Annex, Article, Clause, RecipientEntry
from decisions.importer import parse_decision_text
from decisions.models import Decision
from decisions.signature import check_consistency, signature_lines
from tests.decisions.test_importer import SEED_000, SEED_001, parse_file

pytestmark = pytest.mark.django_db
MM = 72 / 25.4


def text_of(pdf: bytes, *, layout: bool = False) -> str:
    """The text as pdftotext reads it, without the page numbers between pages."""
    args = ["pdftotext", "-enc", "UTF-8", *(["-layout"] if layout else []), "-", "-"]
    text = subprocess.run(args, input=pdf, capture_output=True, check=True).stdout.decode()
    return re.sub(r"\n\s*\d+\s*\n(?=[^\n]*\n)", "\n", text) if not layout else text


def draft_marked_pages(pdf: bytes) -> list[bool]:
    """For each page: whether the light red "DỰ THẢO" mark is drawn on it (it is a shape,
    not text, so it is looked for in the picture of the page)."""
    from PIL import Image

    pages = []
    for index in range(len(PdfReader(BytesIO(pdf)).pages)):
        png = subprocess.run(
            ["pdftoppm", "-r", "30", "-f", str(index + 1), "-l", str(index + 1), "-png", "-"],
            input=pdf,
            capture_output=True,
            check=True,
        ).stdout
        image = Image.open(BytesIO(png)).convert("RGB")
        pixels: list[tuple[int, int, int]] = list(image.get_flattened_data())  # type: ignore[arg-type]
        pink = sum(1 for r, g, b in pixels if r > 240 and 180 < g < 240 and abs(g - b) < 12)
        pages.append(pink > 300)
    return pages


def rotated_text_of(pdf: bytes) -> str:
    """ "DỰ THẢO" when every page carries the draft mark, then the text pypdf reads."""
    marked = draft_marked_pages(pdf)
    mark = "DỰ THẢO " if marked and all(marked) else ""
    return mark + " ".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)


def words_of(pdf: bytes, page: int) -> list[tuple[float, float, float, float, str]]:
    """(xMin, yMin, xMax, yMax, word) of one page, in points from the top left."""
    html = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    ).stdout.decode()
    pattern = (
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
    )
    return [
        (float(a), float(b), float(c), float(d), w) for a, b, c, d, w in re.findall(pattern, html)
    ]


def fonts_of(pdf: bytes) -> list[list[str]]:
    out = subprocess.run(["pdffonts", "-"], input=pdf, capture_output=True, check=True).stdout
    return [line.split() for line in out.decode().splitlines()[2:]]


@pytest.fixture
def seed_000_issued(issuer, make_content, tmp_path) -> bytes:
    make_content()  # the document type Quyết định
    out = tmp_path / "93.pdf"
    call_command("render_decision", str(SEED_000), "-o", str(out), "--as-issued", stdout=StringIO())
    return out.read_bytes()


def assert_in_order(text: str, expected: list[str]) -> None:
    flat = " ".join(text.split())
    position = 0
    for item in expected:
        found = flat.find(" ".join(item.split()), position)
        assert found >= 0, f"missing or out of order: {item!r}"
        position = found + len(item)


def test_seed_000_as_issued_prints_every_part_in_order(seed_000_issued):
    parsed = parse_file(SEED_000).as_json()
    text = text_of(seed_000_issued)
    expected = [
        "ỦY BAN NHÂN DÂN",
        "HUYỆN GIỒNG RIỀNG",
        "Số: 93/QĐ-UBND",
        "Giồng Riềng, ngày 02 tháng 01 năm 2019",
        "QUYẾT ĐỊNH",
        parsed["subject"],
        parsed["authority_line"],
        *[f"{basis};" for basis in parsed["legal_bases"]],
        "Theo đề nghị của Chánh Văn phòng HĐND và UBND huyện.",
        "QUYẾT ĐỊNH:",
    ]
    for article in parsed["articles"]:
        expected.append(f"Điều {article['number']}.")
        expected += [f"{n}. {clause}" for n, clause in enumerate(article["clauses"], 1)]
    expected += ["Nơi nhận:", *[f"- {r};" for r in parsed["recipients"][:-1]], "- Lưu: VT."]
    assert_in_order(text, expected)
    assert_in_order(text, ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Võ Tùng"])
    heading = text_of(seed_000_issued, layout=True)
    assert_in_order(
        heading,
        [
            "ỦY BAN NHÂN DÂN",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "HUYỆN GIỒNG RIỀNG",
            "Độc lập - Tự do - Hạnh phúc",
        ],
    )
    assert "DỰ THẢO" not in rotated_text_of(seed_000_issued)


def test_every_vietnamese_letter_survives_extraction(issuer, make_content, specialist):
    letters = (
        "ẠẢẤẦẨẪẬẮẰẲẴẶẸẺẼẾỀỂỄỆỈỊỌỎỐỒỔỖỘỚỜỞỠỢỤỦỨỪỬỮỰỲỴỶỸĐđ "
        "ạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝĂĨŨƠƯ àáâãèéêìíòóôõùúýăĩũơư"
    )
    content = make_content(articles=[Article(text=letters)], recipients=[RecipientEntry("Lưu: VT")])
    decision = services.create_draft(actor=specialist, issuer=issuer, content=content)
    assert letters in " ".join(text_of(rendering.render_decision_pdf(decision)).split())


def test_only_the_bundled_fonts_are_used_and_all_are_embedded(seed_000_issued):
    fonts = fonts_of(seed_000_issued)
    names = {row[0].split("+", 1)[1] for row in fonts}
    assert names == {"DocSerif", "DocSerif-Bold", "DocSerif-Italic", "DocSerif-Bold-Italic"}
    assert all(row[-5] == "yes" for row in fonts)  # the "emb" column


def test_the_page_is_a4_and_the_left_margin_is_within_30_to_35_mm(seed_000_issued):
    reader = PdfReader(BytesIO(seed_000_issued))
    for page in reader.pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
    left = min(x for x, _y, _x2, _y2, _w in words_of(seed_000_issued, 1))
    assert 30 * MM - 0.5 <= left <= 35 * MM


def make_long_decision(specialist, issuer, make_content, **overrides) -> Decision:
    articles = [Article(text=f"Nội dung của điều {n} " + "rất dài " * 30) for n in range(1, 41)]
    content = make_content(
        articles=articles, recipients=[RecipientEntry("Lưu: VT, VP")], **overrides
    )
    return services.create_draft(actor=specialist, issuer=issuer, content=content)


def test_page_numbers_start_on_page_two_centred_in_the_top_margin(issuer, make_content, specialist):
    pdf = rendering.render_decision_pdf(make_long_decision(specialist, issuer, make_content))
    assert len(PdfReader(BytesIO(pdf)).pages) >= 3
    top = 20 * MM
    assert not [w for w in words_of(pdf, 1) if w[3] <= top]
    numbers = [w for w in words_of(pdf, 2) if w[3] <= top]
    assert [w[4] for w in numbers] == ["2"]
    x_min, _y, x_max, _y2, _w = numbers[0]
    text_centre = (30 * MM + (210 - 15) * MM) / 2
    assert abs((x_min + x_max) / 2 - text_centre) < 2


def test_the_signature_is_never_alone_on_the_last_page(issuer, make_content, specialist):
    for count in range(14, 22):
        articles = [Article(text="Nội dung " + "chi tiết " * 40) for _ in range(count)]
        content = make_content(articles=articles, recipients=[RecipientEntry("Lưu: VT, VP")])
        decision = services.create_draft(actor=specialist, issuer=issuer, content=content)
        pdf = rendering.render_decision_pdf(decision)
        *_before, (_empty, lines) = _page_layout(pdf)
        assert lines is not None, f"{count} articles"
        assert lines >= 2, f"{count} articles"


def test_a_draft_carries_the_mark_a_blank_number_and_a_blank_date(draft):
    pdf = rendering.render_decision_pdf(draft)
    text = text_of(pdf, layout=True)
    assert "DỰ THẢO" in rotated_text_of(pdf)
    assert re.search(r"Số: +/QĐ-UBND", text)
    assert re.search(r"Thử Nghiệm, ngày +tháng +năm 20\.\.", text)


@pytest.mark.parametrize(
    ("number", "day", "printed_number", "printed_date"),
    [
        (1, datetime.date(2026, 1, 5), "01", "ngày 05 tháng 01 năm 2026"),
        (9, datetime.date(2026, 2, 9), "09", "ngày 09 tháng 02 năm 2026"),
        (10, datetime.date(2026, 3, 10), "10", "ngày 10 tháng 3 năm 2026"),
        (12, datetime.date(2026, 12, 31), "12", "ngày 31 tháng 12 năm 2026"),
    ],
)
def test_an_issued_decision_prints_its_number_and_date(
    draft, number, day, printed_number, printed_date
):
    from django.utils import timezone

    from tests.factories import RegisterFactory

    Decision.objects.filter(pk=draft.pk).update(
        status=Decision.Status.ISSUED,
        register=RegisterFactory.create(issuer=draft.issuer),
        number=number,
        reference=f"{printed_number}/QĐ-UBND",
        issued_on=day,
        issued_at=timezone.now(),
    )
    draft.refresh_from_db()
    text = text_of(rendering.render_decision_pdf(draft))
    assert f"Số: {printed_number}/QĐ-UBND" in text
    assert printed_date in text
    assert "DỰ THẢO" not in rotated_text_of(rendering.render_decision_pdf(draft))


@pytest.mark.parametrize(
    ("authority", "is_head", "lines"),
    [
        (Decision.Authority.INDIVIDUAL, True, ("CHỦ TỊCH",)),
        (Decision.Authority.INDIVIDUAL, False, ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")),
        (Decision.Authority.COLLECTIVE, True, ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH")),
        (
            Decision.Authority.COLLECTIVE,
            False,
            ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"),
        ),
    ],
)
def test_the_four_signature_forms_follow_from_authority_and_signer(
    issuer, authority, is_head, lines
):
    derived = signature_lines(
        authority=authority, issuer=issuer, signer_is_head=is_head, signer_title="PHÓ CHỦ TỊCH"
    )
    assert derived == lines
    line = (
        issuer.individual_authority_line
        if authority == Decision.Authority.INDIVIDUAL
        else issuer.collective_authority_line
    )
    check_consistency(authority_line=line, lines=derived, issuer=issuer)


@pytest.mark.parametrize(
    ("authority_line", "lines"),
    [
        ("ỦY BAN NHÂN DÂN HUYỆN GIỒNG RIỀNG", ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")),
        ("CHỦ TỊCH ỦY BAN NHÂN DÂN HUYỆN GIỒNG RIỀNG", ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH")),
        ("CHỦ TỊCH ỦY BAN NHÂN DÂN HUYỆN GIỒNG RIỀNG", ("KT. CHỦ TỊCH", "CHÁNH VĂN PHÒNG")),
    ],
)
def test_a_signature_block_that_contradicts_the_authority_line_is_refused(
    issuer, authority_line, lines
):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="không khớp với dòng thẩm quyền"):
        check_consistency(authority_line=authority_line, lines=lines, issuer=issuer)


def test_seed_001_signed_by_the_chair_prints_tm_uy_ban_nhan_dan_chu_tich(make_person, make_content):
    from decisions.importer import to_draft_content
    from tests.factories import OrganizationFactory

    province = OrganizationFactory.create(code="tinh", name="ỦY BAN NHÂN DÂN\nTỈNH AN GIANG")
    drafter = make_person(permissions.Role.SPECIALIST, province, username="cv")
    chair = make_person(permissions.Role.CHAIR, province, username="ct", full_name="Ngô Văn Khải")
    make_content()
    content = to_draft_content(parse_file(SEED_001), issuer=province)
    decision = services.create_draft(actor=drafter, issuer=province, content=content)
    Decision.objects.filter(pk=decision.pk).update(signer=chair)
    text = text_of(rendering.render_decision_pdf(decision))
    assert_in_order(text, ["Nơi nhận:", "- Như Điều 4;", "- Lưu: VT, TKISO."])
    assert_in_order(text, ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Ngô Văn Khải"])
    assert "thi hành Quyết định này./." in " ".join(text.split())


def test_a_vice_chair_as_signer_prints_kt_chu_tich(draft, vice_chair):
    Decision.objects.filter(pk=draft.pk).update(signer=vice_chair)
    text = text_of(rendering.render_decision_pdf(draft))
    assert_in_order(text, ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Võ Tùng"])


def test_urgency_drafter_mark_and_annexes_are_printed(issuer, make_content, specialist):
    content = make_content(
        urgency=Decision.Urgency.FLASH,
        drafter_initials="PL",
        copies=30,
        annexes=[
            Annex("Danh mục thủ tục", "Thủ tục một.\nThủ tục hai."),
            Annex("Biểu mẫu", "Mẫu số 01."),
        ],
    )
    decision = services.create_draft(actor=specialist, issuer=issuer, content=content)
    pdf = rendering.render_decision_pdf(decision)
    text = text_of(pdf)
    assert "HỎA TỐC" in text
    assert "PL.(30)" in text
    assert_in_order(
        text, ["Phụ lục I", "DANH MỤC THỦ TỤC", "(Kèm theo Quyết định số", "Phụ lục II", "BIỂU MẪU"]
    )
    pages = len(PdfReader(BytesIO(pdf)).pages)
    for page in range(pages - 1, pages + 1):  # each annex starts on its own page, unnumbered
        assert not [w for w in words_of(pdf, page) if w[3] <= 20 * MM]


def test_the_pdf_is_pdf_a_3b_with_title_author_subject_and_language(seed_000_issued):
    reader = PdfReader(BytesIO(seed_000_issued))
    root: Any = reader.root_object
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert 'pdfaid:part="3"' in xmp or "<pdfaid:part>3</pdfaid:part>" in xmp
    assert 'pdfaid:conformance="B"' in xmp or "<pdfaid:conformance>B</pdfaid:conformance>" in xmp
    info: Any = reader.metadata
    assert info.title.startswith("QUYẾT ĐỊNH V/v ban hành mục tiêu chất lượng")
    assert info.author == "ỦY BAN NHÂN DÂN HUYỆN GIỒNG RIỀNG"
    assert info.subject == "93/QĐ-UBND"
    assert info["/CreationDate"]
    assert root["/Lang"] == "vi"


class CountingHandler(BaseHTTPRequestHandler):
    hits = 0

    def do_GET(self):
        CountingHandler.hits += 1
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"body { color: red }")

    def log_message(self, *args):
        pass


def test_nothing_outside_the_bundled_assets_is_fetched_and_user_text_prints_literally(
    issuer, make_content, specialist
):
    server = HTTPServer(("127.0.0.1", 0), CountingHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    payloads = [
        '<img src="file:///etc/passwd">',
        f'<link rel="stylesheet" href="http://127.0.0.1:{port}/x.css">',
        f'<img src="http://127.0.0.1:{port}/x.png">',
        f'<style>@import url("http://127.0.0.1:{port}/y.css");</style>',
        '<iframe src="file:///etc/hostname"></iframe>',
    ]
    evil = " ".join(payloads)
    try:
        content = make_content(
            subject=f"Về việc {evil}"[:500],
            legal_bases=[f"Căn cứ {evil}"],
            proposer=f"Theo đề nghị của {evil}",
            articles=[
                Article(
                    title=f"Tiêu đề {payloads[0]}",
                    text=evil,
                    clauses=[Clause(evil, [evil])],
                    closing=evil,
                )
            ],
            recipients=[RecipientEntry(f"Sở {payloads[1]}"[:300]), RecipientEntry("Lưu: VT")],
            annexes=[Annex(f"Phụ lục {payloads[0]}", evil)],
            drafter_initials="<b>X</b>",
        )
        decision = services.create_draft(actor=specialist, issuer=issuer, content=content)
        pdf = rendering.render_decision_pdf(decision)
    finally:
        server.shutdown()
        server.server_close()
    assert CountingHandler.hits == 0
    text = " ".join(text_of(pdf).split())
    assert '<img src="file:///etc/passwd">' in text
    assert f'<link rel="stylesheet" href="http://127.0.0.1:{port}/x.css">' in text
    assert "root:x:0:0" not in text
    assert PdfReader(BytesIO(pdf)).pages[0].get("/Annots") is None


def test_the_fetcher_refuses_files_outside_the_asset_folder():
    fetcher = rendering._bundled_assets_fetcher_class()(allowed_protocols={"file", "data"})
    with pytest.raises(rendering.BlockedResourceError):
        fetcher.fetch("file:///etc/passwd")
    with pytest.raises(rendering.BlockedResourceError):
        fetcher.fetch(f"file://{rendering.PDF_DIR}/../models.py")
    assert fetcher.fetch(f"file://{rendering.PDF_DIR}/decision.css")


def test_render_decision_renders_a_stored_decision_by_id(draft, tmp_path):
    out = tmp_path / "draft.pdf"
    call_command("render_decision", str(draft.pk), "-o", str(out), stdout=StringIO())
    assert "DỰ THẢO" in rotated_text_of(out.read_bytes())


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["999999"], "Không có quyết định nào có mã số 999999"),
        (["/nonexistent/file.txt"], "Không tìm thấy tệp"),
        ([str(SEED_001), "--as-issued", "--issuer", "giong-rieng"], "cần có số, ngày tháng"),
        ([str(SEED_001)], "Không xác định được cơ quan ban hành"),
    ],
)
def test_render_decision_refuses_bad_input_clearly(issuer, make_content, tmp_path, args, message):
    make_content()
    out = tmp_path / "out.pdf"
    with pytest.raises(CommandError, match=message):
        call_command("render_decision", *args, "-o", str(out), stdout=StringIO())
    assert not out.exists()


def test_a_draft_whose_block_contradicts_its_authority_line_is_refused_but_prints_as_issued(
    tmp_path,
):
    text = SEED_000.read_text(encoding="utf-8").replace("**KT. CHỦ TỊCH", "**TM. ỦY BAN NHÂN DÂN")
    source = tmp_path / "bad.txt"
    source.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError, match="không khớp với dòng thẩm quyền"):
        call_command("render_decision", str(source), "-o", str(tmp_path / "x.pdf"))
    errors = StringIO()
    out = tmp_path / "issued.pdf"
    call_command(
        "render_decision",
        str(source),
        "--as-issued",
        "-o",
        str(out),
        stdout=StringIO(),
        stderr=errors,
    )
    assert "không khớp với dòng thẩm quyền" in errors.getvalue()
    assert "TM. ỦY BAN NHÂN DÂN" in text_of(out.read_bytes())


def test_the_text_of_a_draft_is_the_issued_text_without_number_and_date(tmp_path):
    """The "DỰ THẢO" mark is a drawn shape: copying the text of a draft picks up no stray "Ự"."""
    draft, issued = tmp_path / "draft.pdf", tmp_path / "issued.pdf"
    call_command("render_decision", str(SEED_000), "-o", str(draft), stdout=StringIO())
    call_command(
        "render_decision", str(SEED_000), "--as-issued", "-o", str(issued), stdout=StringIO()
    )
    draft_words, issued_words = (
        text_of(draft.read_bytes()).split(),
        text_of(issued.read_bytes()).split(),
    )
    assert "DỰ" not in draft_words
    assert "Ự" not in " ".join(draft_words)
    assert set(draft_words) - set(issued_words) == {"/QĐ-UBND", "20.."}
    assert set(issued_words) - set(draft_words) == {
        "93/QĐ-UBND"
    }  # the date's numbers occur elsewhere
    assert all(draft_marked_pages(draft.read_bytes()))
    assert not any(draft_marked_pages(issued.read_bytes()))


FILLER = (
    "Các cơ quan, đơn vị có liên quan tổ chức thực hiện nghiêm túc, báo cáo kết quả định kỳ "
    "hằng quý về Ủy ban nhân dân huyện. "
)
TEXT_TOP_PT, TEXT_BOTTOM_PT = 20 * MM, 297 * MM - 20 * MM


def _seed_with(middle: int, last: int, *, first_clauses: bool = True) -> str:
    """Seed 000 with Điều 2 of `middle` sentences and Điều 3 of `last` sentences and its
    closing sentence: the page break falls at every place as the counts grow."""
    text = SEED_000.read_text(encoding="utf-8")
    if not first_clauses:  # short enough for one page
        text = text[: text.index("1. Giảm sai sót")] + text[text.index("**Điều 2.**") :]
        second_basis = text.index("Căn cứ", text.index("Căn cứ") + 1)
        text = text[:second_basis] + text[text.index("Theo đề nghị") :]
    head, tail = text[: text.index("**Điều 2.**")], text[text.index("**Nơi nhận:**") :]
    articles = (
        f"**Điều 2.** {FILLER * max(middle, 1)}\n\n**Điều 3.** {FILLER * last}"
        "Quyết định này có hiệu lực kể từ ngày ký ban hành./.\n\n"
    )
    return head + articles + tail


def _page_layout(pdf: bytes) -> list[tuple[float, int | None]]:
    """Per page: the empty share of its text area, and on the signature's page the number
    of lines of text above "Nơi nhận"."""
    layout = []
    for page in range(1, len(PdfReader(BytesIO(pdf)).pages) + 1):
        words = [w for w in words_of(pdf, page) if w[1] > TEXT_TOP_PT]  # not the page number
        empty = (TEXT_BOTTOM_PT - max(w[3] for w in words)) / (TEXT_BOTTOM_PT - TEXT_TOP_PT)
        label = [w for w in words if w[4] == "Nơi"]
        lines = len({round(w[1]) for w in words if w[3] < label[0][1]}) if label else None
        layout.append((empty, lines))
    return layout


@pytest.mark.parametrize("last", [0, 1, 12], ids=["one-line-end", "short-end", "long-end"])
def test_the_signature_block_carries_two_lines_and_no_page_is_left_a_third_empty(last):
    """Wherever the page break falls (1 to 4 pages): long articles split, the signature block
    is never alone and takes at least the last two lines of text, and no page before the last
    is more than a third empty."""
    page_counts = set()
    for middle in range(0, 40, 6):
        doc, _warnings = printed.from_parsed(
            parse_decision_text(_seed_with(middle, last)), as_issued=True
        )
        layout = _page_layout(rendering.render_pdf(doc))
        page_counts.add(len(layout))
        *before, (_empty, lines) = layout
        assert lines is not None, (middle, layout)
        assert lines >= 2, (middle, layout)
        assert all(empty < 1 / 3 for empty, _lines in before), (middle, layout)
    assert len(page_counts) >= 2


def test_a_one_page_decision_stays_on_one_page():
    text = _seed_with(0, 0, first_clauses=False)
    doc, _warnings = printed.from_parsed(parse_decision_text(text), as_issued=True)
    assert len(_page_layout(rendering.render_pdf(doc))) == 1


def test_the_pdf_context_takes_a_fixed_number_of_queries(draft, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        doc = selectors.pdf_context(draft)
    assert doc.recipients == ("- Như Điều 3;", "- CT, các PCT UBND huyện;", "- Lưu: VT, VP.")
    assert doc.recitals[-1].endswith("huyện.")
    assert doc.articles[0].clauses[0].points == ("a) Thủ tục hành chính;", "b) Hồ sơ.")


def test_the_last_article_always_ends_with_the_end_mark():
    items = printed.articles([Article(text="Thi hành quyết định này.")])
    assert items[-1].paragraphs[-1] == "Thi hành quyết định này./."
    items = printed.articles([Article(text="Một:", clauses=[Clause("Hai", ["Ba;"])])])
    assert items[-1].clauses[-1].points[-1] == "a) Ba./."


def test_the_pdf_view_previews_and_downloads_for_those_who_may_see_it(
    client, draft, specialist, recipient_user
):
    client.force_login(specialist)
    inline = client.get(f"/decisions/{draft.pk}/pdf/")
    assert inline.status_code == 200
    assert inline["Content-Type"] == "application/pdf"
    assert inline["Content-Disposition"].startswith("inline")
    assert inline["X-Frame-Options"] == "SAMEORIGIN"
    download = client.get(f"/decisions/{draft.pk}/pdf/?download=1")
    assert download["Content-Disposition"] == f'attachment; filename="du-thao-{draft.pk}.pdf"'
    client.force_login(recipient_user)
    assert client.get(f"/decisions/{draft.pk}/pdf/").status_code == 404


def test_bundled_fonts_ship_with_their_licence():
    fonts = Path(rendering.FONTS_DIR)
    assert {p.name for p in fonts.glob("*.ttf")} == {
        "LiberationSerif-Regular.ttf",
        "LiberationSerif-Bold.ttf",
        "LiberationSerif-Italic.ttf",
        "LiberationSerif-BoldItalic.ttf",
        "DocFormSerif-Regular.ttf",  # for the number and date fields, scaled and renamed
        "DocFormSerif-Italic.ttf",
    }
    assert "SIL OPEN FONT LICENSE Version 1.1" in (fonts / "LICENSE-OFL-1.1.txt").read_text()
