"""The decision as a PDF in the layout of NĐ 30/2020/NĐ-CP, Phụ lục I (WeasyPrint).

`render_decision_pdf(decision)` renders a stored decision; `render_pdf(printed)` renders any
`PrintedDecision` (pasted text included). WeasyPrint is imported lazily (≈0.5 s), reads only the
bundled asset folder `decisions/pdf/`, and embeds only the bundled fonts.

The output is PDF/A-3b: an archival format that keeps fonts embedded and, unlike PDF/A-2, may later
carry the decision's structured data as an embedded file; the signing notes verified it survives
pyHanko's incremental signatures.
"""

from __future__ import annotations

import atexit
import base64
import datetime
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, overload
from urllib.parse import urlsplit
from urllib.request import url2pathname

from django.template.loader import render_to_string
from django.utils import timezone

from decisions.printed import PrintedDecision

if TYPE_CHECKING:
    from decisions.models import Decision

PDF_DIR = Path(__file__).resolve().parent / "pdf"
FONTS_DIR = PDF_DIR / "fonts"
PDF_VARIANT = "pdf/a-3b"
FONT_FAMILY = "DocSerif"  # the CSS family name, which is also the embedded font's name
MM_PER_PT = 25.4 / 72
TEXT_WIDTH_MM = 210 - 30 - 15  # A4 minus the left and right margins of decision.css
HEADER_LEFT_MM = TEXT_WIDTH_MM * 0.36
RULE_RATIO = 0.4  # short rules are 1/3–1/2 of the text above them
PT_PER_PX = 0.75
A4_HEIGHT_PT = 841.89
# Form fields of a decision rendered for signature (filled at issuance) and the anchor of the
# box where the leader's signature image goes, between his title and his name.
NUMBER_FIELD = "so_ky_hieu"
DATE_FIELD = "ngay_ban_hanh"
SIGNATURE_ANCHOR = "chu-ky"
SIGNATURE_BOX_MM = (50, 24)
DATE_FIELD_SAMPLE = "ngày 00 tháng 00 năm 0000"
# The number and date fields reach below the baseline by the font's descent, so that a filled
# "g", "y" or "ọ" is drawn whole; pades.fill_number_and_date sets the baseline at this height.
FIELD_DESCENT_EM = 0.25
FIELD_HEIGHT_EM = 1.3


@dataclass(frozen=True)
class Box:
    """A rectangle on a page of the PDF: page index, then (llx, lly, urx, ury) in points."""

    page: int
    rect: tuple[float, float, float, float]


@dataclass(frozen=True)
class Rendered:
    pdf: bytes
    signature_box: Box | None  # None when the signature block was not rendered for signing


def render_decision_pdf(decision: Decision) -> bytes:
    """Render a stored decision: a draft with its "DỰ THẢO" mark, or as issued."""
    from decisions import selectors

    return render_pdf(selectors.pdf_context(decision))


DRAFT_CACHE_DIR = "draft-pdf"
# Raise when the printed layout changes in code (not in the template or CSS files, which are
# hashed): the cached drafts are then rendered anew.
LAYOUT_VERSION = 1


@overload
def cached_decision_pdf(decision: Decision) -> bytes: ...
@overload
def cached_decision_pdf(decision: Decision, *, render: Literal[False]) -> bytes | None: ...
def cached_decision_pdf(decision: Decision, *, render: bool = True) -> bytes | None:
    """The PDF of a stored decision as `render_decision_pdf` makes it, rendered once per
    content: kept in the file storage under a hash of everything printed and of the layout
    (templates, CSS, fonts, WeasyPrint's version), so that viewing a draft again, in any
    worker, costs no render, and any edit renders anew. Only the latest is kept per decision
    (older ones are removed when a new one is stored, the rest by the nightly sweep). With
    `render=False`, None when it is not rendered yet."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from decisions import selectors

    doc = selectors.pdf_context(decision)
    folder = f"{DRAFT_CACHE_DIR}/{decision.pk}"
    name = f"{folder}/{content_key(doc)}.pdf"
    try:
        with default_storage.open(name, "rb") as stream:
            cached: bytes = stream.read()
        return cached
    except FileNotFoundError:
        if not render:
            return None
    pdf = render_pdf(doc)
    if not default_storage.exists(name):  # another worker may have rendered it meanwhile
        default_storage.save(name, ContentFile(pdf))
    for old in default_storage.listdir(folder)[1]:
        if f"{folder}/{old}" != name:
            default_storage.delete(f"{folder}/{old}")
    return pdf


def content_key(doc: PrintedDecision) -> str:
    """A hash of everything that goes into the PDF of `doc` (but its creation time)."""
    import hashlib

    return hashlib.sha256(f"{_layout_fingerprint()}\n{doc!r}".encode()).hexdigest()[:40]


@cache
def _layout_fingerprint() -> str:
    """A hash of the print templates, the stylesheet, the fonts and WeasyPrint's version."""
    import hashlib

    import weasyprint
    from django.conf import settings

    digest = hashlib.sha256(f"{LAYOUT_VERSION} {weasyprint.__version__} {PDF_VARIANT}".encode())
    templates = Path(settings.BASE_DIR) / "templates" / "decisions" / "pdf"
    for path in sorted([*templates.rglob("*"), *PDF_DIR.rglob("*")]):
        if path.is_file():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def render_pdf(doc: PrintedDecision, *, created: datetime.datetime | None = None) -> bytes:
    """Render `doc` to PDF/A-3b bytes: the decision, then each annex numbered from page 1."""
    return render(doc, created=created).pdf


class RenderTimeout(Exception):  # noqa: N818 - "raise RenderTimeout" reads as meant
    """A render took longer than DECISIONS_RENDER_TIMEOUT seconds and was stopped."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"The render took longer than {seconds:g} s and was stopped.")
        self.seconds = seconds


def render(doc: PrintedDecision, *, created: datetime.datetime | None = None) -> Rendered:
    """Render `doc`; with `doc.form_fields`, also say where the signature image goes.

    The render runs in a child process forked for it, stopped (SIGKILL) after
    DECISIONS_RENDER_TIMEOUT seconds: WeasyPrint's layout cannot be interrupted from inside
    (no cancellation points; `signal.alarm` would only fire between Python bytecodes, and only
    in the main thread, so not under a threaded server), and a killed child frees all its
    memory. Forking a loaded worker costs a few milliseconds; the fonts are loaded before the
    fork, so every child starts warm. 0 renders in this process, unbounded.
    """
    from django.conf import settings

    created = created or timezone.localtime()
    seconds = float(settings.DECISIONS_RENDER_TIMEOUT)
    if seconds <= 0:
        return _render(doc, created)
    _stylesheet()  # loaded once here, inherited by every child
    return _in_child(_render, (doc, created), seconds)


def _in_child(function: Any, args: tuple[Any, ...], seconds: float) -> Any:
    """`function(*args)` in a forked child process; RenderTimeout after `seconds`. (os.fork
    itself rather than multiprocessing, which refuses children to daemonic processes.)"""
    import os
    import pickle
    import select
    import signal

    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: answer through the pipe, then leave at once (no clean-up of the
        try:  # parent's database connections, files or atexit handlers)
            os.close(read_end)
            try:
                answer = pickle.dumps(("ok", function(*args)))
            except Exception as error:
                try:
                    answer = pickle.dumps(("error", error))
                except Exception:  # an exception that does not pickle: its text
                    answer = pickle.dumps(("error", RuntimeError(repr(error))))
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(answer)
        finally:
            os._exit(0)
    os.close(write_end)
    try:
        with os.fdopen(read_end, "rb") as pipe:
            if not select.select([pipe], [], [], seconds)[0]:
                os.kill(pid, signal.SIGKILL)
                raise RenderTimeout(seconds)
            data = pipe.read()
    finally:
        os.waitpid(pid, 0)
    if not data:  # the child died without answering (killed, out of memory)
        raise RuntimeError("The render process ended without a result.")
    outcome, value = pickle.loads(data)  # noqa: S301 - our own child's answer
    if outcome == "error":
        raise value
    return value


def _render(doc: PrintedDecision, created: datetime.datetime) -> Rendered:
    from weasyprint import HTML

    fields = {
        "number": NUMBER_FIELD,
        "date": DATE_FIELD,
        "number_mm": f"{text_width_mm(f'{doc.number_field_sample}/{doc.symbol}', 13) + 1:.1f}",
        "date_mm": f"{text_width_mm(DATE_FIELD_SAMPLE, 13) + 2:.1f}",
        "signature_anchor": SIGNATURE_ANCHOR,
        "signature_mm": SIGNATURE_BOX_MM,
        # strings: the template would print a float with the Vietnamese decimal comma
        "style": f"height: {FIELD_HEIGHT_EM}em; vertical-align: -{FIELD_DESCENT_EM}em",
    }
    context = {
        "doc": doc,
        "watermark": _watermark_uri() if doc.is_draft else "",
        "keep_end": _ends_in_one_line(doc),
        "rules": _rules(doc),
        "created": created.isoformat(timespec="seconds"),
        "qr_code": _qr_data_uri(doc.verification_url),
        "fields": fields,
    }
    fetcher = _bundled_assets_fetcher_class()(allowed_protocols={"file", "data"})
    font_config, stylesheet = _stylesheet()

    def render(template: str | list[str], extra: dict[str, Any]) -> Any:
        html = render_to_string(template, {**context, **extra})
        return HTML(string=html, base_url=f"{PDF_DIR}/", url_fetcher=fetcher).render(
            stylesheets=[stylesheet], font_config=font_config, pdf_forms=doc.form_fields
        )

    main = render(doc.pdf_templates, {})  # its type's template (decisions/doctypes/)
    pages = list(main.pages)
    for annex in doc.annexes:
        pages += render("decisions/pdf/annex.html", {"annex": annex}).pages
    document = main.copy(pages)
    document.metadata.title = f"{doc.title} {doc.subject}".strip()
    document.metadata.authors = [doc.issuer_name]
    document.metadata.description = doc.reference or None
    document.metadata.lang = "vi"
    pdf: bytes = document.write_pdf(pdf_variant=PDF_VARIANT)
    return Rendered(pdf, _signature_box(pages) if doc.form_fields else None)


def _signature_box(pages: list[Any]) -> Box:
    for index, page in enumerate(pages):
        if SIGNATURE_ANCHOR in page.anchors:
            x1, y1, x2, y2 = (px * PT_PER_PX for px in page.anchors[SIGNATURE_ANCHOR])
            return Box(index, (x1, A4_HEIGHT_PT - y2, x2, A4_HEIGHT_PT - y1))
    raise LookupError("The signature block was not rendered.")


_local = threading.local()


def _stylesheet() -> tuple[Any, Any]:
    """decision.css with its fonts loaded, once per thread (loading the fonts costs ≈60 ms)."""
    if not hasattr(_local, "stylesheet"):
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        font_config = FontConfiguration()
        fetcher = _bundled_assets_fetcher_class()(allowed_protocols={"file", "data"})
        css = CSS(
            filename=str(PDF_DIR / "decision.css"), font_config=font_config, url_fetcher=fetcher
        )
        _local.stylesheet = (font_config, css)
        # Release it before interpreter shutdown, while WeasyPrint can still clean up.
        atexit.register(_local.__dict__.pop, "stylesheet", None)
    stylesheet: tuple[Any, Any] = _local.stylesheet
    return stylesheet


BODY_SIZE_PT = 14
INDENT_MM = 10


def _ends_in_one_line(doc: PrintedDecision) -> bool:
    """Whether the decision's last paragraph fits on one line: then the line before it goes to
    the signature's page too, so that the signature block carries two lines of text."""
    if not doc.articles:
        return False
    article = doc.articles[-1]
    last_clause = article.clauses[-1] if article.clauses else None
    if article.closing:
        text = article.closing[-1]
    elif last_clause is not None:
        text = last_clause.points[-1] if last_clause.points else f"1. {last_clause.text}"
    elif article.paragraphs:
        text = article.paragraphs[-1]
        if len(article.paragraphs) == 1 and not article.title:
            text = f"Điều {article.number}. {text}"
    else:
        return False
    return text_width_mm(text, BODY_SIZE_PT) + INDENT_MM < TEXT_WIDTH_MM


WATERMARK_TEXT = "DỰ THẢO"
WATERMARK_RGB = (220, 0, 0)
WATERMARK_OPACITY = 0.16


@cache
def _watermark_uri() -> str:
    """The draft mark "DỰ THẢO" as outlines of the bundled bold face, in an SVG data URI: a
    shape, not text, so that copying or extracting the text of a draft does not pick it up."""
    from fontTools.pens.svgPathPen import SVGPathPen
    from fontTools.pens.transformPen import TransformPen
    from fontTools.ttLib import TTFont

    with TTFont(FONTS_DIR / "LiberationSerif-Bold.ttf") as font:
        cmap, glyphs, head = font.getBestCmap(), font.getGlyphSet(), font["head"]
        pen = SVGPathPen(glyphs)
        x = 0
        for char in WATERMARK_TEXT:
            glyph = glyphs[cmap[ord(char)]]
            glyph.draw(TransformPen(pen, (1, 0, 0, -1, x, head.yMax)))  # y grows downwards
            x += glyph.width
        height = head.yMax - head.yMin
    red, green, blue = WATERMARK_RGB
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {x} {height}">'
        f'<path d="{pen.getCommands()}" fill="rgb({red},{green},{blue})" '
        f'fill-opacity="{WATERMARK_OPACITY}"/></svg>'
    )
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def _qr_data_uri(url: str) -> str:
    """A small black QR code of the verification address, as an SVG data URI ("" if none)."""
    if not url:
        return ""
    import segno

    data_uri: str = segno.make(url, error="m").svg_data_uri(border=0, dark="#000")
    return data_uri


def _rules(doc: PrintedDecision) -> dict[str, str]:
    """Lengths of the short rules (CSS, in mm), from the width of the text they underline."""
    issuer = max((text_width_mm(line, 12, bold=True) for line in doc.issuer_lines), default=0)
    subject = text_width_mm(doc.subject, 14, bold=True)
    return {
        "issuer_mm": f"{min(issuer, HEADER_LEFT_MM) * RULE_RATIO:.1f}",
        "subject_mm": f"{min(subject, TEXT_WIDTH_MM) * RULE_RATIO:.1f}",
    }


def text_width_mm(text: str, size_pt: float, *, bold: bool = False) -> float:
    """The printed width of `text` in the bundled font (no kerning)."""
    cmap, advances, units = _metrics("Bold" if bold else "Regular")
    width = sum(advances.get(cmap.get(ord(char), ".notdef"), units // 2) for char in text)
    return width / units * size_pt * MM_PER_PT


@cache
def _metrics(style: str) -> tuple[dict[int, str], dict[str, int], int]:
    from fontTools.ttLib import TTFont

    with TTFont(FONTS_DIR / f"LiberationSerif-{style}.ttf") as font:
        advances = {name: advance for name, (advance, _lsb) in font["hmtx"].metrics.items()}
        return dict(font.getBestCmap()), advances, font["head"].unitsPerEm


class BlockedResourceError(ValueError):
    """A resource outside the bundled asset folder was asked for; it is not fetched."""


@cache
def _bundled_assets_fetcher_class() -> Any:
    """A URL fetcher class that reads only files under decisions/pdf/ (and data: URIs)."""
    from weasyprint.urls import URLFetcher

    root = PDF_DIR.resolve()

    class BundledAssetsFetcher(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            parts = urlsplit(url)
            if parts.scheme == "data":
                return super().fetch(url, headers)
            if parts.scheme == "file" and not parts.netloc:
                path = Path(url2pathname(parts.path)).resolve()
                if path.is_relative_to(root) and path.is_file():
                    return super().fetch(url, headers)
            raise BlockedResourceError(f"Not a bundled asset: {url}")

    return BundledAssetsFetcher
