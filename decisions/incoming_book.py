"""The incoming registers in the columns of NĐ 30/2020/NĐ-CP, Phụ lục IV: the register of
incoming documents (sổ đăng ký văn bản đến) and the follow-up of their handling (sổ theo dõi
giải quyết văn bản đến), two views of the same rows, browsed on a page and exported to .xlsx
and PDF with the outgoing register's machinery (decisions/register_book.py)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from decisions import incoming_lifecycle, register_book
from decisions.models import IncomingDocument, IncomingEvent, IncomingRegister

# Column headings as printed in Phụ lục IV (statutory text, not translated).
REGISTER_COLUMNS = (
    "Ngày đến",
    "Số đến",
    "Tác giả",
    "Số, ký hiệu",
    "Ngày tháng",
    "Tên loại và trích yếu nội dung",
    "Đơn vị hoặc người nhận",
    "Ngày chuyển",
    "Ký nhận",
    "Ghi chú",
)
REGISTER_WIDTHS = (12, 8, 30, 16, 12, 50, 26, 12, 10, 20)
FOLLOW_UP_COLUMNS = (
    "Số đến",
    "Tên loại, số, ký hiệu, ngày tháng văn bản và cơ quan ban hành",
    "Đơn vị hoặc người nhận",
    "Thời hạn giải quyết",
    "Tiến độ giải quyết",
    "Số, ký hiệu văn bản trả lời",
    "Ghi chú",
)
FOLLOW_UP_WIDTHS = (8, 60, 26, 14, 24, 18, 20)
BOOKS = {"register": REGISTER_COLUMNS, "follow-up": FOLLOW_UP_COLUMNS}
TITLES = {
    "register": "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN",
    "follow-up": "SỔ THEO DÕI GIẢI QUYẾT VĂN BẢN ĐẾN",
}
FORWARDING = (
    IncomingEvent.Kind.FORWARDED,
    IncomingEvent.Kind.DIRECTED,
    IncomingEvent.Kind.ASSIGNED,
)


@dataclass(frozen=True)
class Row:
    document: IncomingDocument
    cells: tuple[str, ...]
    overdue: bool = False


def entries(register: IncomingRegister, *, query: str = "") -> QuerySet[IncomingDocument]:
    """The register's documents in arrival-number order, refused ones included."""
    documents = (
        register.documents.select_related("leader", "handler")
        .prefetch_related(
            Prefetch(
                "events",
                queryset=IncomingEvent.objects.filter(kind__in=FORWARDING).order_by("at", "pk"),
                to_attr="forwardings",
            )
        )
        .order_by("arrival_number")
    )
    for word in query.split():
        condition = (
            Q(sender_name__icontains=word)
            | Q(reference__icontains=word)
            | Q(subject__icontains=word)
            | Q(document_type__icontains=word)
        )
        if word.isascii() and word.isdigit() and len(word) < 10:
            condition |= Q(arrival_number=int(word))
        documents = documents.filter(condition)
    return documents


def _date(value: object) -> str:
    return f"{value:%d/%m/%Y}" if value else ""


def _receiver(document: IncomingDocument) -> str:
    person = document.handler or document.leader
    return person.get_full_name() if person else ""


def register_cells(document: IncomingDocument) -> tuple[str, ...]:
    forwardings = getattr(document, "forwardings", None)
    if forwardings is None:
        forwardings = list(document.events.filter(kind__in=FORWARDING).order_by("at", "pk"))
    first = forwardings[0] if forwardings else None
    notes = [document.note]
    if document.status == IncomingDocument.Status.REFUSED:
        notes.append(str(document.get_status_display()))
    return (
        _date(timezone.localtime(document.arrived_at)),
        str(document.arrival_number),
        document.sender_name,
        document.reference,
        _date(document.document_date),
        " — ".join(part for part in (document.document_type, document.subject) if part),
        _receiver(document),
        _date(timezone.localtime(first.at)) if first else "",
        "",  # signed on the paper register
        "; ".join(note for note in notes if note),
    )


def follow_up_cells(document: IncomingDocument) -> tuple[str, ...]:
    identity = ", ".join(
        part
        for part in (
            document.document_type,
            document.reference,
            _date(document.document_date),
            document.sender_name,
        )
        if part
    )
    progress = str(document.get_status_display())
    if document.status == IncomingDocument.Status.DONE and document.done_at:
        progress = f"{progress} {_date(timezone.localtime(document.done_at))}"
    elif incoming_lifecycle.is_overdue(document):
        progress = f"{progress} — quá hạn"
    return (
        str(document.arrival_number),
        f"{identity}: {document.subject}" if identity else document.subject,
        _receiver(document),
        _date(document.due_date),
        progress,
        document.reply_reference,
        document.direction,
    )


CELLS = {"register": register_cells, "follow-up": follow_up_cells}


def row_of(document: IncomingDocument, book: str = "register") -> Row:
    return Row(document, CELLS[book](document), incoming_lifecycle.is_overdue(document))


def rows(register: IncomingRegister, *, book: str = "register", query: str = "") -> Iterator[Row]:
    for document in entries(register, query=query).iterator(chunk_size=1000):
        yield row_of(document, book)


def to_xlsx(register: IncomingRegister, *, book: str = "register", query: str = "") -> bytes:
    widths = REGISTER_WIDTHS if book == "register" else FOLLOW_UP_WIDTHS
    return register_book.workbook(
        f"Đến {register.year}",
        BOOKS[book],
        widths,
        (row.cells for row in rows(register, book=book, query=query)),
    )


def to_pdf(register: IncomingRegister, *, book: str = "register", query: str = "") -> bytes:
    return register_book.printed(
        "incoming/pdf/book.html",
        {
            "register": register,
            "title": TITLES[book],
            "columns": BOOKS[book],
            "rows": rows(register, book=book, query=query),
        },
    )
