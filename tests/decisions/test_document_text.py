"""The decision's text on a page reads as its PDF: same words, same punctuation, same lines.

Both come from one builder (decisions/printed.py). The comparison is exact after whitespace:
every block of the page (a paragraph, a heading line, a Nơi nhận line) is one or more whole
lines of the PDF, in the same order, and nothing is left over on either side. Left out of the
PDF's text, and only these, as page furniture the page has no use for:
- the page numbers at the top of the second and later pages (a line of digits opening a page);
- the verification address printed under the QR code of an issued decision (the page links to
  it instead);
The signature image, the seal and the "DỰ THẢO" mark are drawings, not text, so neither side
has them; the number and date filled in at issuance are text in both.
"""

from __future__ import annotations

import re
import subprocess
from html.parser import HTMLParser
from io import BytesIO
from pathlib import Path

import pytest
from django.template.loader import render_to_string
from pypdf import PdfReader

from decisions import permissions, printed, rendering, selectors, services
from decisions.importer import parse_decision_text, to_draft_content
from decisions.models import Decision
from tests.decisions.test_importer import SEED_001, parse_file
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

REAL = Path(__file__).parent / "fixtures" / "real"
BLOCKS = {"p", "li", "h1", "h2", "h3"}


class _Blocks(HTMLParser):
    """The blocks of the page's <article class="document">, each marked as in its header or not."""

    def __init__(self) -> None:
        super().__init__()
        self.blocks: list[tuple[str, bool]] = []
        self.in_document = self.in_header = False
        self.text: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if tag == "article" and "document" in classes:
            self.in_document = True
        elif tag == "header" and "document-heading" in classes:
            self.in_header = True
        elif tag in BLOCKS and self.in_document:
            self.text = []

    def handle_endtag(self, tag: str) -> None:
        if tag in BLOCKS and self.text is not None:
            text = " ".join("".join(self.text).split())
            if text:
                self.blocks.append((text, self.in_header))
            self.text = None
        elif tag == "header":
            self.in_header = False
        elif tag == "article":
            self.in_document = False

    def handle_data(self, data: str) -> None:
        if self.text is not None:
            self.text.append(data)


def _blocks(page: bytes | str) -> list[tuple[str, bool]]:
    parser = _Blocks()
    parser.feed(page.decode() if isinstance(page, bytes) else page)
    assert parser.blocks, "no document text on the page"
    return parser.blocks


def page_lines(page: bytes | str) -> list[str]:
    """The text of the page's document, one entry per block, whitespace-normalised."""
    return [text for text, _in_header in _blocks(page)]


def heading_lines(page: bytes | str) -> list[str]:
    """The lines of the header: issuer and number (left), motto and date (right)."""
    return [text for text, in_header in _blocks(page) if in_header]


def pdf_lines(pdf: bytes, *, verification_url: str = "") -> list[str]:
    """The PDF's text lines in the order it draws them (pdftotext -raw: the default mode
    would join "68/TTr-" and "SDTTG" across a line end into "68/TTrSDTTG"), without the page
    furniture above (-raw reads a page number as the last line of its page).

    The number and date filled in at issuance are form fields, which -raw reads after the
    first page's text: they are moved to the front, with the header they belong to."""
    fields = PdfReader(BytesIO(pdf)).get_fields() or {}
    filled = [field.get("/V") for field in fields.values()]
    values = [value for value in filled if isinstance(value, str) and value]
    text = subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    lines: list[str] = []
    for number, page in enumerate(text.split("\f")):
        on_page = [" ".join(line.split()) for line in page.splitlines() if line.strip()]
        if number > 0 and on_page and re.fullmatch(r"\d+", on_page[-1]):
            on_page = on_page[:-1]  # the page number
        lines += [line for line in on_page if not verification_url or line != verification_url]
    if values:
        lines.remove(" ".join(values))
    return values + lines


def assert_same_lines(page: bytes | str, pdf: list[str]) -> None:
    """Each block of the page is the next whole lines of the PDF, and nothing is left over.

    The header is two columns side by side on paper, and pdftotext reads their lines in an
    order that depends on their heights (the blank number of a draft even splits its line):
    there, the words of the page's header and of the PDF's lines before the title are equal
    as a whole, in any order."""
    heading = heading_lines(page)
    lines = page_lines(page)
    assert lines[: len(heading)] == heading
    lines = lines[len(heading) :]
    title = lines[0].split()[0]
    end = next(index for index, line in enumerate(pdf) if line.startswith(title))
    assert sorted(" ".join(heading).split()) == sorted(" ".join(pdf[:end]).split()), pdf[:end]
    pdf = pdf[end:]
    position = 0
    for block in lines:
        taken: list[str] = []
        while position < len(pdf) and len(" ".join(taken)) < len(block):
            taken.append(pdf[position])
            position += 1
        assert " ".join(taken) == block, (
            f"page: {block!r}\npdf:  {' '.join(taken)!r}\n(after PDF line {position - len(taken)})"
        )
    assert pdf[position:] == [], f"only in the PDF: {pdf[position:]!r}"


def test_the_issued_seed_000_page_reads_line_for_line_as_its_pdf(
    seed_000_issued, client, records_clerk
):
    decision = seed_000_issued
    client.force_login(records_clerk)
    html = client.get(decision.get_absolute_url()).content
    with decision.pdf.open("rb") as file:
        pdf = pdf_lines(file.read(), verification_url=selectors.verification_url(decision))
    assert_same_lines(html, pdf)
    page = page_lines(html)
    assert "Số: 01/QĐ-UBND" in page
    assert page[-1] == "Võ Tùng"
    assert "hiệu lực kể từ ngày ký ban hành./." in " ".join(page)


def test_the_public_page_of_a_published_decision_shows_the_same_lines(seed_000_issued, client):
    decision = seed_000_issued
    Decision.objects.filter(pk=decision.pk).update(is_public=True)
    public = client.get(f"/v/{decision.verification_token}").content
    with decision.pdf.open("rb") as file:
        pdf = pdf_lines(file.read(), verification_url=selectors.verification_url(decision))
    assert_same_lines(public, pdf)


def test_a_draft_page_of_seed_001_reads_line_for_line_as_its_draft_pdf(
    make_person, make_content, client
):
    province = OrganizationFactory.create(code="tinh", name="ỦY BAN NHÂN DÂN\nTỈNH AN GIANG")
    drafter = make_person(permissions.Role.SPECIALIST, province, username="cv")
    make_content()
    content = to_draft_content(parse_file(SEED_001), issuer=province)
    decision = services.create_draft(actor=drafter, issuer=province, content=content)
    client.force_login(drafter)
    html = client.get(decision.get_absolute_url()).content
    assert_same_lines(html, pdf_lines(rendering.render_decision_pdf(decision)))
    page = page_lines(html)
    assert "- Lưu: VT, TKISO." in page


@pytest.mark.parametrize(
    "name", ["01_lam_dong_2284_2025", "04_kon_tum_435_2020", "08_bac_giang_641_2013"]
)
def test_a_real_decision_reads_the_same_on_the_page_and_on_paper(name):
    parsed = parse_decision_text((REAL / f"{name}.txt").read_text(encoding="utf-8"))
    doc, _warnings = printed.from_parsed(parsed, as_issued=bool(parsed.number and parsed.date))
    html = render_to_string("decisions/_document_text.html", {"doc": doc})
    assert_same_lines(html, pdf_lines(rendering.render_pdf(doc)))


def test_punctuation_typed_twice_is_printed_once_on_the_page_and_in_the_pdf(
    issuer, make_content, specialist, client
):
    from decisions.content import Article, Clause, RecipientEntry

    content = make_content(
        legal_bases=["Căn cứ Luật Tổ chức chính quyền địa phương;;"],
        articles=[
            Article(
                text="Giao nhiệm vụ như sau:",
                clauses=[Clause("Các phòng thực hiện:", ["Báo cáo tháng;;", "Báo cáo năm.."])],
            )
        ],
        recipients=[RecipientEntry("Như Điều 1;;"), RecipientEntry("Lưu: VT..")],
    )
    decision = services.create_draft(actor=specialist, issuer=issuer, content=content)
    client.force_login(specialist)
    html = client.get(decision.get_absolute_url()).content
    assert_same_lines(html, pdf_lines(rendering.render_decision_pdf(decision)))
    page = page_lines(html)
    assert "a) Báo cáo tháng;" in page
    assert "b) Báo cáo năm./." in page
    assert page[page.index("Nơi nhận:") + 1 :][:2] == ["- Như Điều 1;", "- Lưu: VT."]
    body = page[page.index("Căn cứ Luật Tổ chức chính quyền địa phương;") :]
    assert not any(";;" in line or ".." in line.replace("./.", "") for line in body)


def test_annexes_read_the_same_on_the_page_and_on_paper(issuer, make_content, specialist, client):
    from decisions.content import Annex

    content = make_content(
        annexes=[
            Annex(title="Danh mục thủ tục hành chính", text="1. Cấp giấy phép.\n2. Gia hạn."),
            Annex(title="Biểu mẫu báo cáo", text="Mẫu số 01."),
        ]
    )
    decision = services.create_draft(actor=specialist, issuer=issuer, content=content)
    client.force_login(specialist)
    html = client.get(decision.get_absolute_url()).content
    assert_same_lines(html, pdf_lines(rendering.render_decision_pdf(decision)))
    page = page_lines(html)
    assert page.index("Phụ lục I") < page.index("DANH MỤC THỦ TỤC HÀNH CHÍNH")
    assert page.index("Phụ lục II") < page.index("BIỂU MẪU BÁO CÁO")
