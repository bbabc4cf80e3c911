"""A decision's PDF as page images, for phones: mobile browsers do not show a PDF inline.

Pages are drawn with PDFium (pypdfium2), signature and seal appearances and filled fields
included. A draft's PDF is rendered once and kept in the cache for a few minutes, keyed by the
decision's last change, so that its pages do not each render it again.
"""

from __future__ import annotations

from io import BytesIO
from typing import Any

from django.core.cache import cache

from decisions import rendering
from decisions.models import Decision

DRAFT_CACHE_SECONDS = 300
MAX_WIDTH = 1600


def _draft_key(decision: Decision) -> str:
    return f"decision-pdf:{decision.pk}:{decision.updated_at.timestamp()}"


def pdf_bytes(decision: Decision) -> bytes:
    """The stored file of a signed or issued decision, or a draft rendered now."""
    if stored := decision.pdf or decision.signed_pdf:
        with stored.open("rb") as stream:
            data: bytes = stream.read()
        return data
    key = _draft_key(decision)
    cached = cache.get(key)
    if cached is None:
        cached = rendering.render_decision_pdf(decision)
        cache.set(key, cached, DRAFT_CACHE_SECONDS)
    rendered: bytes = cached
    return rendered


def known_page_count(decision: Decision) -> int | None:
    """The number of pages when it is known without rendering: a stored file, or a draft
    rendered a moment ago; None otherwise (a page then shows its images one after another
    instead of waiting for a render)."""
    if decision.pdf or decision.signed_pdf:
        return page_count(pdf_bytes(decision))
    cached = cache.get(_draft_key(decision))
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
    """Page `index` (from 0) as a PNG `width` pixels wide; None if there is no such page."""
    document = _pdfium().PdfDocument(data)
    try:
        if not 0 <= index < len(document):
            return None
        document.init_forms()
        page = document[index]
        width = max(200, min(width, MAX_WIDTH))
        image = page.render(scale=width / page.get_width(), may_draw_forms=True).to_pil()
        output = BytesIO()
        image.save(output, "PNG", optimize=False, compress_level=6)
        return output.getvalue()
    finally:
        document.close()
