"""A decision as a Word file (.docx) in the layout of NĐ 30/2020/NĐ-CP, Phụ lục I.

Built from the same `PrintedDecision` as the PDF (decisions/printed.py), so that the words,
punctuation, recitals' ";"/"." and the end mark "./." are decided in one place. For offices
that must finish a text in Word; the PDF stays the document that is signed and issued.

Layout: A4 portrait, margins 20/15/20/30 mm (as decision.css), "Times New Roman" named as the
font (Word has it; LibreOffice substitutes the metric-compatible Liberation Serif, the font the
PDF embeds), a borderless two-column header table (36 % / 64 %), short rules drawn as the top
border of a narrow empty paragraph, literal numbering ("Điều 1.", "1.", "a)") so that the text
reads back through the importer, Nơi nhận and the signature block in a borderless two-column
table, page numbers from page 2 centred in the top margin, each annex in its own section
numbered from 1.

The writer is a list of part writers (`PARTS`): a document type with another layout (a Công
văn's "V/v" and "Kính gửi") adds or replaces a function, not a copy of this module.
Paragraphs that are marks, not text (the draft mark, stamps, the drafter mark, the
verification address), carry a style of `MARK_STYLES`: `docx_import` skips them.
"""

from __future__ import annotations

import io
from collections.abc import Callable

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from decisions import rendering
from decisions.printed import PrintedAnnex, PrintedArticle, PrintedDecision

FONT_NAME = "Times New Roman"  # NĐ 30's font; the PDF embeds the metric-compatible Liberation Serif
BODY_PT = 14
INDENT = Mm(10)  # first-line indent, 1 cm
PAGE_MM = (210, 297)
MARGINS_MM = {"top": 20, "right": 15, "bottom": 20, "left": 30}
HEADER_SPLIT = 0.36  # the left column's share of the text width, as decision.css
CLOSING_SPLIT = 0.45
SIGNATURE_SPACE_MM = 28
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# Paragraph styles of what is printed but is no text of the decision (docx_import skips them).
DRAFT_MARK = "Dự thảo"
STAMP = "Dấu độ khẩn"
DRAFTER_MARK = "Ký hiệu người soạn thảo"
VERIFICATION = "Địa chỉ kiểm tra"
MARK_STYLES = frozenset({DRAFT_MARK, STAMP, DRAFTER_MARK, VERIFICATION})

Part = Callable[[DocxDocument, PrintedDecision], None]


def to_docx(doc: PrintedDecision) -> bytes:
    """The decision as the bytes of a .docx file."""
    document = Document()
    _setup(document, doc)
    for part in PARTS:
        part(document, doc)
    for annex in doc.annexes:
        write_annex(document, doc, annex)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# --- page and styles ----------------------------------------------------------------------


def _setup(document: DocxDocument, doc: PrintedDecision) -> None:
    properties = document.core_properties
    properties.title = f"{doc.title} {doc.subject}"[:250]
    properties.author = doc.issuer_name[:250]
    properties.comments = doc.reference
    properties.language = "vi-VN"
    normal = document.styles["Normal"]
    _font(normal.font, BODY_PT)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.0
    for name in sorted(MARK_STYLES):
        document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH).base_style = normal
    section = document.sections[0]
    _page(section)
    section.different_first_page_header_footer = True
    _page_number(section.header.paragraphs[0])
    first = section.first_page_header.paragraphs[0]
    if doc.is_draft:
        first.style = document.styles[DRAFT_MARK]
        first.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _run(first, "DỰ THẢO", bold=True, size=13)


def _page(section: object) -> None:
    section.page_width, section.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])  # type: ignore[attr-defined]
    section.top_margin = Mm(MARGINS_MM["top"])  # type: ignore[attr-defined]
    section.bottom_margin = Mm(MARGINS_MM["bottom"])  # type: ignore[attr-defined]
    section.left_margin = Mm(MARGINS_MM["left"])  # type: ignore[attr-defined]
    section.right_margin = Mm(MARGINS_MM["right"])  # type: ignore[attr-defined]
    section.header_distance = Mm(10)  # type: ignore[attr-defined]


def _font(font: object, size: float) -> None:
    font.name = FONT_NAME  # type: ignore[attr-defined]
    font.size = Pt(size)  # type: ignore[attr-defined]
    element = font._element  # type: ignore[attr-defined]  # rPr's owner: set every script's font
    fonts = element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), FONT_NAME)


def _page_number(paragraph: Paragraph) -> None:
    """A PAGE field, centred, 13 pt (the first page's header has none)."""
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run()
    run.font.size = Pt(13)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


# --- small writers ------------------------------------------------------------------------


def _run(
    paragraph: Paragraph,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    size: float | None = None,
) -> None:
    run = paragraph.add_run(text)
    run.bold = bold or None
    run.italic = italic or None
    if size is not None:
        run.font.size = Pt(size)


def _paragraph(
    container: DocxDocument | _Cell,
    text: str = "",
    *,
    centred: bool = False,
    indent: bool = True,
    bold: bool = False,
    italic: bool = False,
    size: float | None = None,
    after: float = 6,
    style: str | None = None,
) -> Paragraph:
    paragraph = container.add_paragraph(style=style)
    fmt = paragraph.paragraph_format
    fmt.space_after = Pt(after)
    if centred:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    else:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        if indent:
            fmt.first_line_indent = INDENT
    if text:
        _run(paragraph, text, bold=bold, italic=italic, size=size)
    return paragraph


def _rule(container: DocxDocument | _Cell, *, width_mm: float, column_mm: float) -> None:
    """A short solid rule, centred: the top border of an empty paragraph `width_mm` wide."""
    paragraph = container.add_paragraph()
    fmt = paragraph.paragraph_format
    side = max((column_mm - width_mm) / 2, 0)
    fmt.left_indent = fmt.right_indent = Mm(side)
    fmt.space_before = Pt(3)
    fmt.space_after = Pt(0)
    properties = paragraph._p.get_or_add_pPr()
    mark = OxmlElement("w:rPr")  # the empty paragraph's own height: a 1 pt paragraph mark
    for tag in ("w:sz", "w:szCs"):
        size = OxmlElement(tag)
        size.set(qn("w:val"), "2")
        mark.append(size)
    properties.append(mark)
    borders = OxmlElement("w:pBdr")
    top = OxmlElement("w:top")
    for attribute, value in (("val", "single"), ("sz", "6"), ("space", "1"), ("color", "000000")):
        top.set(qn(f"w:{attribute}"), value)
    borders.append(top)
    properties.append(borders)


def _table(document: DocxDocument, rows: int, split: float) -> tuple[object, float, float]:
    """A borderless two-column table over the text width; its column widths in mm."""
    total = rendering.TEXT_WIDTH_MM
    left, right = total * split, total * (1 - split)
    table = document.add_table(rows=rows, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for row in table.rows:
        row.cells[0].width, row.cells[1].width = Mm(left), Mm(right)
    for column, width in zip(table.columns, (left, right), strict=True):
        column.width = Mm(width)
    for cell in table._cells:
        cell.paragraphs[0]._p.getparent().remove(cell.paragraphs[0]._p)
    return table, left, right


# --- the parts, in order ------------------------------------------------------------------


def write_heading(document: DocxDocument, doc: PrintedDecision) -> None:
    """Issuer and number (left), national motto and place/date (right); stamps under the number."""
    stamps = [text for text in (doc.confidentiality, doc.urgency) if text]
    table, left_mm, right_mm = _table(document, 3 if stamps else 2, HEADER_SPLIT)
    rules = rendering._rules(doc)  # the PDF's own rule lengths
    left, right = table.rows[0].cells  # type: ignore[attr-defined]
    if doc.parent_name:
        _paragraph(left, doc.parent_name, centred=True, size=12, after=0)
    for line in doc.issuer_lines:
        _paragraph(left, line, centred=True, bold=True, size=12, after=0)
    _rule(left, width_mm=float(rules["issuer_mm"]), column_mm=left_mm)
    _paragraph(
        right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", centred=True, bold=True, size=12, after=0
    )
    motto = "Độc lập - Tự do - Hạnh phúc"
    _paragraph(right, motto, centred=True, bold=True, size=13, after=0)
    _rule(right, width_mm=rendering.text_width_mm(motto, 13, bold=True), column_mm=right_mm)
    left, right = table.rows[1].cells  # type: ignore[attr-defined]
    number = "      " if doc.is_draft else doc.number_text
    _paragraph(
        left, f"Số: {number}/{doc.symbol}", centred=True, size=13, after=0
    ).paragraph_format.space_before = Pt(6)
    _paragraph(
        right, doc.date_line, centred=True, italic=True, size=13, after=0
    ).paragraph_format.space_before = Pt(6)
    if doc.subject_under_number:  # a Công văn: "V/v …" under its number, no title
        _paragraph(left, doc.subject, centred=True, size=12, after=0)
    if stamps:
        cell = table.rows[2].cells[0]  # type: ignore[attr-defined]
        for text in stamps:
            stamp = _paragraph(cell, text, centred=True, bold=True, size=13, after=0, style=STAMP)
            stamp.paragraph_format.space_before = Pt(4)
    _paragraph(document, after=6)


def write_title(document: DocxDocument, doc: PrintedDecision) -> None:
    """ "QUYẾT ĐỊNH", the subject with its rule, the authority line (a Công văn has none)."""
    if doc.subject_under_number:
        return
    _paragraph(document, doc.title, centred=True, bold=True, after=0)
    _paragraph(document, doc.subject, centred=True, bold=True, after=0)
    rules = rendering._rules(doc)
    _rule(document, width_mm=float(rules["subject_mm"]), column_mm=rendering.TEXT_WIDTH_MM)
    _paragraph(document, after=6)
    if doc.authority_line:
        _paragraph(document, doc.authority_line, centred=True, bold=True, after=12)


def write_recitals(document: DocxDocument, doc: PrintedDecision) -> None:
    for recital in doc.recitals:
        _paragraph(document, recital, italic=True)
    if doc.authority_line:
        decides = _paragraph(document, f"{doc.title}:", centred=True, bold=True, after=12)
        decides.paragraph_format.space_before = Pt(6)


def write_addressees(document: DocxDocument, doc: PrintedDecision) -> None:
    """ "Kính gửi:" and one addressee on its line, or several as a list under it."""
    if len(doc.addressees) == 1:
        _paragraph(document, f"Kính gửi: {doc.addressees[0]}", centred=True)
    elif doc.addressees:
        _paragraph(document, "Kính gửi:", centred=True, after=0)
        for line in doc.addressees:
            _paragraph(document, line, centred=True, after=0)
        _paragraph(document, after=6)


def write_sections(document: DocxDocument, doc: PrintedDecision) -> None:
    """The text of a document without articles: headed sections and their paragraphs."""
    for section in doc.sections:
        if section.title:
            head = _paragraph(document, section.title, bold=True)
            head.paragraph_format.keep_with_next = True
        for text in section.paragraphs:
            _paragraph(document, text)


def write_articles(document: DocxDocument, doc: PrintedDecision) -> None:
    for article in doc.articles:
        write_article(document, article)


def write_article(document: DocxDocument, article: PrintedArticle) -> None:
    """ "Điều N. Title" on its own line, or "Điều N." leading its first paragraph; then the
    clauses "1." with their points "a)", and the closing paragraphs."""
    paragraphs = list(article.paragraphs)
    if article.title:
        head = _paragraph(document, f"Điều {article.number}. {article.title}", bold=True)
        head.paragraph_format.keep_with_next = True
    else:
        first = _paragraph(document)
        _run(first, f"Điều {article.number}.", bold=True)
        if paragraphs:
            _run(first, f" {paragraphs.pop(0)}")
    for text in paragraphs:
        _paragraph(document, text)
    for number, clause in enumerate(article.clauses, start=1):
        _paragraph(document, f"{number}. {clause.text}")
        for point in clause.points:
            _paragraph(document, point)
    for text in article.closing:
        _paragraph(document, text)


def write_closing(document: DocxDocument, doc: PrintedDecision) -> None:
    """Nơi nhận (left: label 12 pt bold italic, entries 11 pt) and the signature block (right)."""
    _paragraph(document, after=0)  # the gap above the block (12 pt in the PDF)
    table, _left_mm, _right_mm = _table(document, 1, CLOSING_SPLIT)
    row = table.rows[0]  # type: ignore[attr-defined]
    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))  # never split over pages
    recipients, signature = row.cells
    _paragraph(recipients, "Nơi nhận:", indent=False, bold=True, italic=True, size=12, after=0)
    for line in doc.recipients:
        entry = _paragraph(recipients, line, indent=False, size=11, after=0)
        entry.alignment = WD_ALIGN_PARAGRAPH.LEFT
    if doc.drafter_mark:
        _paragraph(recipients, doc.drafter_mark, indent=False, size=11, after=0, style=DRAFTER_MARK)
    if doc.verification_url:
        address = _paragraph(recipients, doc.verification_url, indent=False, size=8, after=0)
        address.style = document.styles[VERIFICATION]
        address.paragraph_format.space_before = Pt(12)
    for line in doc.signature.lines:
        _paragraph(signature, line, centred=True, bold=True, after=0)
    name = _paragraph(signature, doc.signature.name, centred=True, bold=True, after=0)
    name.paragraph_format.space_before = Mm(SIGNATURE_SPACE_MM)


def write_annex(document: DocxDocument, doc: PrintedDecision, annex: PrintedAnnex) -> None:
    """An annex in a section of its own, its pages numbered from 1 (the first unnumbered)."""
    section = document.add_section(WD_SECTION.NEW_PAGE)
    numbering = OxmlElement("w:pgNumType")
    numbering.set(qn("w:start"), "1")
    section._sectPr.append(numbering)
    _paragraph(document, annex.heading, centred=True, bold=True, after=0)
    _paragraph(document, annex.title, centred=True, bold=True, after=0)
    _paragraph(document, doc.annex_reference, centred=True, italic=True, after=0)
    _rule(document, width_mm=40, column_mm=rendering.TEXT_WIDTH_MM)
    _paragraph(document, after=6)
    for text in annex.paragraphs:
        _paragraph(document, text)


# The parts in print order; a type prints the parts it has (a decision has no addressees or
# sections, a Công văn no title, recitals or articles), as its PDF template does.
PARTS: tuple[Part, ...] = (
    write_heading,
    write_title,
    write_addressees,
    write_recitals,
    write_articles,
    write_sections,
    write_closing,
)
