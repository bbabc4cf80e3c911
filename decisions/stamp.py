"""The arrival stamp "ĐẾN" printed on an incoming paper document's scan (NĐ 30/2020/NĐ-CP,
Phụ lục IV, mẫu dấu đến): a 50 × 35 mm rectangle with the receiving body's name, "ĐẾN", the
arrival number (Số), date and time (Ngày, Giờ), to whom it was passed (Chuyển) and the file
(Số và ký hiệu HS), drawn with WeasyPrint in the bundled fonts and laid over the top area of the
first page with pypdf. The scan itself is kept unchanged next to the stamped copy."""

from __future__ import annotations

import io

from django.template.loader import render_to_string
from django.utils import timezone

from decisions.models import IncomingDocument

# Where the stamp sits on page 1, from its top-left corner: in the left column under the number
# and symbol, where the free space of a document made to Phụ lục I is.
LEFT_MM = 20
TOP_MM = 45
POINTS_PER_MM = 72 / 25.4


def stamp_html(document: IncomingDocument, *, width_pt: float, height_pt: float) -> str:
    arrived = timezone.localtime(document.arrived_at)
    return render_to_string(
        "incoming/pdf/stamp.html",
        {
            "body": document.register.organization.one_line_name,
            "number": document.arrival_number,
            "date": f"{arrived:%d/%m/%Y}",
            "time": f"{arrived:%H:%M}",
            "forwarded_to": document.handler or document.leader or "",
            "width": f"{width_pt:.2f}",
            "height": f"{height_pt:.2f}",
            "left": LEFT_MM,
            "top": TOP_MM,
        },
    )


def stamp_arrival(document: IncomingDocument, pdf: bytes) -> bytes:
    """`pdf` with the "ĐẾN" stamp of `document` (numbered) on its first page."""
    from pypdf import PdfReader, PdfWriter, Transformation
    from weasyprint import HTML

    from decisions import rendering

    reader = PdfReader(io.BytesIO(pdf))
    first = reader.pages[0]
    box = first.mediabox
    rotation = (first.rotation or 0) % 360
    width, height = float(box.width), float(box.height)
    if rotation in (90, 270):  # the stamp reads upright on the page as shown
        width, height = height, width
    html = stamp_html(document, width_pt=width, height_pt=height)
    fetcher = rendering._bundled_assets_fetcher_class()(allowed_protocols={"file", "data"})
    font_config, stylesheet = rendering._stylesheet()
    overlay_pdf = HTML(
        string=html, base_url=f"{rendering.PDF_DIR}/", url_fetcher=fetcher
    ).write_pdf(stylesheets=[stylesheet], font_config=font_config)
    overlay = PdfReader(io.BytesIO(overlay_pdf)).pages[0]
    writer = PdfWriter(clone_from=reader)
    target = writer.pages[0]
    # Undo the page's rotation so that the stamp is upright once the viewer rotates the page.
    placing = Transformation()
    if rotation == 90:
        placing = placing.rotate(90).translate(float(box.width), 0)
    elif rotation == 180:
        placing = placing.rotate(180).translate(float(box.width), float(box.height))
    elif rotation == 270:
        placing = placing.rotate(270).translate(0, float(box.height))
    placing = placing.translate(float(box.left), float(box.bottom))
    target.merge_transformed_page(overlay, placing)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()
