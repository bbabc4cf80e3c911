"""The outgoing register (sổ đăng ký văn bản đi) in the columns of NĐ 30/2020/NĐ-CP, Phụ lục IV:
browsed on a page, exported to .xlsx and printed as PDF from the same rows."""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.template.loader import render_to_string

from decisions.models import Decision, Delivery, Register, is_archive_entry
from decisions.text import fold, spreadsheet_cell

# Column headings as printed in Phụ lục IV (statutory text, not translated).
COLUMNS = (
    "Số, ký hiệu văn bản",
    "Ngày tháng văn bản",
    "Tên loại và trích yếu nội dung văn bản",
    "Người ký",
    "Nơi nhận văn bản",
    "Đơn vị, người nhận bản lưu",
    "Số lượng bản",
    "Ngày chuyển",
    "Ký nhận",
    "Ghi chú",
)


@dataclass(frozen=True)
class Row:
    decision: Decision
    cells: tuple[str, ...]


def entries(register: Register, *, query: str = "") -> QuerySet[Decision]:
    """The register's decisions, voided and recalled ones included, in number order."""
    decisions: QuerySet[Decision] = (
        register.decisions.select_related("document_type")
        .prefetch_related(Prefetch("deliveries", queryset=Delivery.objects.order_by("sent_at")))
        .order_by("number")
    )
    for word in fold(query).split():
        decisions = decisions.filter(search_text__contains=word)
    return decisions


def row_of(decision: Decision) -> Row:
    return Row(decision, _cells(decision))


def rows(register: Register, *, query: str = "") -> Iterator[Row]:
    """One row per number given, read in chunks (a year can hold thousands)."""
    for decision in entries(register, query=query).iterator(chunk_size=1000):
        yield row_of(decision)


def _cells(decision: Decision) -> tuple[str, ...]:
    snapshot = decision.snapshot or {}
    recipients = snapshot.get("recipients", [])
    archive = next((text for text in recipients if is_archive_entry(text)), "")
    deliveries = list(decision.deliveries.all())
    received = sum(1 for d in deliveries if d.status == Delivery.Status.ACKNOWLEDGED)
    signer = " / ".join(snapshot.get("signature_lines", []))
    notes = "" if decision.status == Decision.Status.ISSUED else decision.get_status_display()
    return (
        decision.reference,
        f"{decision.issued_on:%d/%m/%Y}" if decision.issued_on else "",
        decision.title,
        f"{signer} — {snapshot.get('signer_name', '')}".strip(" —"),
        "; ".join(text for text in recipients if not is_archive_entry(text)),
        archive.split(":", 1)[-1].strip() if archive else "",
        str(decision.copies or ""),
        f"{deliveries[0].sent_at:%d/%m/%Y}" if deliveries else "",
        f"{received}/{len(deliveries)}" if deliveries else "",
        str(notes),
    )


def to_xlsx(register: Register, register_rows: Iterable[Row]) -> bytes:
    """The register as an Excel workbook (`workbook`)."""
    return workbook(
        f"{register.series} {register.year}",
        COLUMNS,
        (16, 12, 50, 28, 40, 16, 8, 12, 10, 16),
        (row.cells for row in register_rows),
    )


def workbook(
    title: str, columns: Sequence[str], widths: Sequence[int], cells: Iterable[Sequence[str]]
) -> bytes:
    """A register as an Excel workbook, one sheet, headings bold; written row by row
    (openpyxl's write-only mode), no cell ever read as a formula. Shared by every register."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    headings = []
    for heading in columns:
        cell = WriteOnlyCell(sheet, value=heading)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        headings.append(cell)
    sheet.append(headings)
    for row in cells:
        sheet.append([spreadsheet_cell(value) for value in row])
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def to_pdf(register: Register, register_rows: Iterable[Row]) -> bytes:
    """The register printed on A4 landscape with the bundled fonts."""
    return printed(
        "decisions/pdf/register.html",
        {"register": register, "columns": COLUMNS, "rows": register_rows},
    )


def printed(template: str, context: dict[str, object]) -> bytes:
    """A register's template printed with the bundled fonts. Shared by every register."""
    from weasyprint import HTML

    from decisions import rendering

    html = render_to_string(template, context)
    fetcher = rendering._bundled_assets_fetcher_class()(allowed_protocols={"file", "data"})
    font_config, stylesheet = rendering._stylesheet()
    pdf: bytes = HTML(string=html, base_url=f"{rendering.PDF_DIR}/", url_fetcher=fetcher).write_pdf(
        stylesheets=[stylesheet], font_config=font_config
    )
    return pdf
