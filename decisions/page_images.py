"""A decision's PDF as page images, for phones: mobile browsers do not show a PDF inline.

Pages are drawn with PDFium (pypdfium2), signature and seal appearances and filled fields
included. A draft's PDF is rendered once per content (`rendering.cached_decision_pdf`), and
each page image is kept in the cache for a few minutes, keyed by a hash of the PDF.
"""

from __future__ import annotations

import hashlib
from io import BytesIO
from typing import Any

from django.core.cache import cache

from decisions import rendering
from decisions.models import Decision

PAGE_CACHE_SECONDS = 300
MAX_WIDTH = 1600


def pdf_bytes(decision: Decision) -> bytes:
    """The stored file of a signed or issued decision, or a draft rendered once per content."""
    if stored := decision.pdf or decision.signed_pdf:
        with stored.open("rb") as stream:
            data: bytes = stream.read()
        return data
    return rendering.cached_decision_pdf(decision)


def known_page_count(decision: Decision) -> int | None:
    """The number of pages when it is known without rendering: a stored file, or a draft
    rendered a moment ago; None otherwise (a page then shows its images one after another
    instead of waiting for a render)."""
    if decision.pdf or decision.signed_pdf:
        return page_count(pdf_bytes(decision))
    cached = rendering.cached_decision_pdf(decision, render=False)
    return None if cached is None else page_count(cached)


def _pdfium() -> Any:
    import pypdfium2  # type: ignore[import-untyped]

    return pypdfium2


def page_count(data: bytes) -> int:
    document = _pdfium().PdfDocument(data)
    try:
        return len(document)
    finally:
        document.close()


def page_png(data: bytes, index: int, width: int) -> bytes | None:
    """Page `index` (from 0) as a PNG `width` pixels wide; None if there is no such page.
    Kept in the cache a few minutes: a phone asks for the same pages again as it scrolls."""
    width = max(200, min(width, MAX_WIDTH))
    key = f"decision-page:{hashlib.sha256(data).hexdigest()}:{index}:{width}"
    png: bytes | None = cache.get(key)
    if png is None:
        png = _draw_page(data, index, width)
        if png is not None:
            cache.set(key, png, PAGE_CACHE_SECONDS)
    return png


def _draw_page(data: bytes, index: int, width: int) -> bytes | None:
    document = _pdfium().PdfDocument(data)
    try:
        if not 0 <= index < len(document):
            return None
        document.init_forms()
        page = document[index]
        image = page.render(scale=width / page.get_width(), may_draw_forms=True).to_pil()
        output = BytesIO()
        image.save(output, "PNG", optimize=False, compress_level=6)
        return output.getvalue()
    finally:
        document.close()
