"""Read an uploaded Word file (.docx) into the text the importer reads (decisions/importer.py).

The paragraphs of the body and of its tables (the header table: issuer and number, motto and
date; the closing table: Nơi nhận and signature) come out one per line, table rows left to
right, so that a .docx goes through the same parser and warnings as pasted text. Paragraphs in
one of `docx_export.MARK_STYLES` (our own draft mark, stamps, drafter mark, verification
address) are no text of the decision and are skipped. Word's automatic list numbering is not
rendered: a "1." typed by Word's numbering, not by hand, does not reach the text.

The file is checked before anything is unzipped: its size, the number of members, their total
uncompressed size and compression ratio (a zip bomb), and that it is a Word document at all.
Raises ParseError with a Vietnamese message; the view answers 400.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _

from decisions.docx_export import MARK_STYLES
from decisions.importer import ParseError, decode, normalise

MAX_DOCX_BYTES = 5 * 1024 * 1024  # a decision's .docx is tens of kB; images make it larger
MAX_MEMBERS = 300
MAX_UNZIPPED_BYTES = 40 * 1024 * 1024
MAX_RATIO = 100  # uncompressed / compressed, for members above RATIO_FROM bytes
RATIO_FROM = 1024 * 1024
MAX_TEXT_CHARACTERS = 500_000  # the paste box's limit (editor_views.MAX_PASTE)
DOCUMENT_PART = "word/document.xml"
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # Word 97-2003 .doc


def uploaded_text(data: bytes) -> str:
    """The text of an uploaded file: a .docx read by `docx_text`, anything else as UTF-8 text."""
    if data.startswith(ZIP_MAGIC):
        return docx_text(data)
    if data.startswith(OLE_MAGIC):
        raise ParseError(
            _(
                "This is an old Word file (.doc). Save it as .docx (Word 2007 or later) and "
                "try again."
            )
        )
    return decode(data)


def docx_text(data: bytes) -> str:
    """The lines of a .docx, as the importer reads them. Raises ParseError."""
    check_archive(data)
    from docx import Document

    try:
        document = Document(io.BytesIO(data))
    except Exception as error:  # python-docx raises many kinds on a damaged package
        raise ParseError(_("This Word file is damaged and cannot be read.")) from error
    lines = list(_lines(document))
    text = normalise("\n".join(lines))
    if len(text) > MAX_TEXT_CHARACTERS:
        raise ParseError(_("The text is too long."))
    return text


def check_archive(data: bytes) -> None:
    """Refuse what is not a reasonable .docx from its zip directory, before unzipping."""
    if len(data) > MAX_DOCX_BYTES:
        raise ParseError(
            _("The Word file is too large (at most %(limit)d MB).")
            % {"limit": MAX_DOCX_BYTES // (1024 * 1024)}
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError) as error:
        raise ParseError(_("This is not a Word file (.docx).")) from error
    if len(members) > MAX_MEMBERS:
        raise ParseError(_("This Word file has too many parts to be a decision."))
    total = 0
    for member in members:
        total += member.file_size
        if member.file_size > RATIO_FROM and member.file_size > MAX_RATIO * max(
            member.compress_size, 1
        ):
            raise ParseError(_("This Word file is compressed suspiciously (a zip bomb?)."))
    if total > MAX_UNZIPPED_BYTES:
        raise ParseError(_("This Word file is too large once unpacked."))
    names = {member.filename for member in members}
    if DOCUMENT_PART not in names or "[Content_Types].xml" not in names:
        raise ParseError(_("This is not a Word file (.docx)."))


def _lines(container: Any) -> Iterator[str]:
    """Each paragraph of `container` (the document or a table cell) as a line, tables row by
    row and cell by cell (a merged cell once)."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for item in container.iter_inner_content():
        if isinstance(item, Paragraph):
            if item.style is not None and item.style.name in MARK_STYLES:
                continue
            yield item.text.replace("\t", " ")
        elif isinstance(item, Table):
            for row in item.rows:
                seen: list[Any] = []  # the cells' elements (a merged cell repeats)
                for cell in row.cells:
                    if any(cell._tc is element for element in seen):
                        continue
                    seen.append(cell._tc)
                    yield from _lines(cell)
