"""The two PAdES signatures of an issued decision, in the order of NĐ 30/2020/NĐ-CP.

1. `prepare`: on the PDF rendered for signature (number and date are empty text fields),
   create the two signature fields, the leader's and the body's seal, before anyone signs.
2. `sign_as_leader`: a certification signature that allows form filling only (DocMDP P=2).
3. `fill_number_and_date`: the văn thư's number and date, as form filling (an incremental
   update the leader's signature allows).
4. `seal`: the body's approval signature on the pre-created seal field, with a document
   timestamp (PAdES B-LTA) when a timestamp service is configured.

Why the fields exist before the leader signs: a certified document may only have existing
fields filled and signed; adding a visible field after certification is an illegal change
(pyHanko's diff analysis, ISO 32000 DocMDP). See ../shared/notes/signing.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache
from io import BytesIO
from typing import Any

from decisions.rendering import FIELD_DESCENT_EM, FONTS_DIR, Box

LEADER_FIELD = "LanhDao"
SEAL_FIELD = "ConDau"
FIELD_FONT_SIZE = 13
MM = 72 / 25.4
LEADER_IMAGE_MAX_PX = 600  # the 50 mm signature box at 300 dpi
SEAL_IMAGE_MAX_PX = 480  # a seal of up to 40 mm at 300 dpi


@dataclass(frozen=True)
class SealLayout:
    """The seal's box: real size, its right edge on the first third of the signature box, and
    nothing else: on the main document NĐ 30 (Phụ lục I, II.8) shows the red seal image only."""

    box: Box

    @classmethod
    def beside(cls, signature: Box, diameter_mm: float) -> SealLayout:
        llx, lly, urx, ury = signature.rect
        diameter = diameter_mm * MM
        right = llx + (urx - llx) / 3
        middle = (lly + ury) / 2
        top = middle + diameter / 2
        return cls(Box(signature.page, (right - diameter, top - diameter, right, top)))


def prepare(pdf: bytes, *, leader: Box, seal: Box) -> bytes:
    """Add the empty signature fields (leader first, so the seal is painted over it)."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.metadata.model import VENDOR
    from pyhanko.sign.fields import SigFieldSpec, append_signature_field

    writer = IncrementalPdfFileWriter(BytesIO(pdf))
    for name, box in ((LEADER_FIELD, leader), (SEAL_FIELD, seal)):
        llx, lly, urx, ury = (round(value) for value in box.rect)
        append_signature_field(
            writer, SigFieldSpec(name, box=(llx, lly, urx, ury), on_page=box.page)
        )
    # pyHanko rewrites the XMP producer on every save but only appends to the Info one when
    # its name is missing; set it now so that Info and XMP agree (PDF/A).
    info = writer.trailer["/Info"]
    info["/Producer"] = generic.TextStringObject(VENDOR)
    writer.update_container(info)
    writer.mark_update(writer.trailer.raw_get("/Info"))
    output = BytesIO()
    writer.write(output)
    return output.getvalue()


def sign_as_leader(
    pdf: bytes,
    *,
    signer: Any,
    image: bytes,
    timestamper: Any = None,
    validation_context: Any = None,
    reason: str = "",
) -> bytes:
    """The leader's certification signature, with his signature image, allowing form filling."""
    from pyhanko.sign.fields import MDPPerm

    style = _image_style(image, LEADER_IMAGE_MAX_PX)
    return _sign(
        pdf,
        field=LEADER_FIELD,
        signer=signer,
        style=style,
        certify=True,
        permissions=MDPPerm.FILL_FORMS,
        timestamper=timestamper,
        validation_context=validation_context,
        reason=reason,
    )


def fill_number_and_date(pdf: bytes, *, fields: dict[str, tuple[str, bool]]) -> bytes:
    """Fill the number and date fields ({name: (text, italic)}), read-only, as form filling.

    The text is set in DocForm Serif, the bundled Times-metric face scaled to 1000 units per em
    (pyHanko writes glyph widths as if every font had 1000; see scripts/make_form_fonts.py),
    from the left edge of the field, on the baseline of the line around it: the field reaches
    FIELD_DESCENT_EM below that baseline, so descenders ("g", "y", "ọ") are drawn whole.
    """
    from pyhanko.pdf_utils.form_tools import populate_static_text_field
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.layout import AxisAlignment, InnerScaling, Margins, SimpleBoxLayoutRule
    from pyhanko.pdf_utils.text import TextBoxStyle

    writer = IncrementalPdfFileWriter(BytesIO(pdf))
    for name, (text, italic) in fields.items():
        style = TextBoxStyle(
            font=_field_font(italic),
            font_size=FIELD_FONT_SIZE,
            border_width=0,
            box_layout_rule=SimpleBoxLayoutRule(
                # "01/QĐ-UBND" follows "Số: ", the date follows the place
                x_align=AxisAlignment.ALIGN_MIN,
                y_align=AxisAlignment.ALIGN_MIN,
                inner_content_scaling=InnerScaling.SHRINK_TO_FIT,
                # pyHanko annotates int but computes in floats: the baseline to 1/100 pt
                margins=Margins(0, 0, 0, FIELD_DESCENT_EM * FIELD_FONT_SIZE),  # type: ignore[arg-type]
            ),
        )
        populate_static_text_field(writer, name, style, text)
    output = BytesIO()
    writer.write(output)
    return output.getvalue()


def seal(
    pdf: bytes,
    *,
    signer: Any,
    image: bytes,
    timestamper: Any = None,
    validation_context: Any = None,
    reason: str = "",
) -> bytes:
    """The body's signature on the pre-created seal field: the red seal image at real size,
    without a caption (the body and the time are in the signature itself; a caption is for
    attachments issued as separate files). With a timestamper, the validation data and a
    document timestamp are added (PAdES B-LTA)."""
    return _sign(
        pdf,
        field=SEAL_FIELD,
        signer=signer,
        style=_image_style(image, SEAL_IMAGE_MAX_PX, one_ink=True),
        certify=False,
        permissions=None,
        timestamper=timestamper,
        validation_context=validation_context,
        reason=reason,
        long_term=timestamper is not None,
    )


def _image_style(image: bytes, max_px: int, *, one_ink: bool = False) -> Any:
    """A signature appearance that is the image alone, centred in its field."""
    from pyhanko.pdf_utils.images import PdfImage
    from pyhanko.pdf_utils.layout import AxisAlignment, Margins, SimpleBoxLayoutRule
    from pyhanko.stamp import StaticStampStyle

    return StaticStampStyle(
        background=PdfImage(_image(image, max_px, one_ink)),
        background_opacity=1.0,
        border_width=0,
        background_layout=SimpleBoxLayoutRule(
            x_align=AxisAlignment.ALIGN_MID,
            y_align=AxisAlignment.ALIGN_MID,
            margins=Margins.uniform(0),
        ),
    )


def _sign(
    pdf: bytes,
    *,
    field: str,
    signer: Any,
    style: Any,
    certify: bool,
    permissions: Any,
    timestamper: Any,
    validation_context: Any,
    reason: str,
    long_term: bool = False,
) -> bytes:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign.fields import SigSeedSubFilter
    from pyhanko.sign.signers import PdfSignatureMetadata, PdfSigner

    embed = timestamper is not None and validation_context is not None
    metadata = PdfSignatureMetadata(
        field_name=field,
        certify=certify,
        docmdp_permissions=permissions,
        subfilter=SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=reason or None,
        embed_validation_info=embed,
        validation_context=validation_context if embed else None,
        use_pades_lta=long_term and embed,
    )
    pdf_signer = PdfSigner(metadata, signer=signer, timestamper=timestamper, stamp_style=style)
    output = BytesIO()
    pdf_signer.sign_pdf(
        IncrementalPdfFileWriter(BytesIO(pdf)),
        output=output,
        # a fixed reservation spares pyHanko a dry run (one raw signature instead of two)
        bytes_reserved=8192 if timestamper is None else 32768,
    )
    return output.getvalue()


def _image(data: bytes, max_px: int, one_ink: bool = False) -> Any:
    """The uploaded image, at most `max_px` wide or high (≈300 dpi at its printed size): a
    large scan would otherwise make every signature slow and the file heavy. Decoded and
    scaled once per process (the same seal signs all day)."""
    return _scaled_image(data, max_px, one_ink).copy()


@lru_cache(maxsize=32)
def _scaled_image(data: bytes, max_px: int, one_ink: bool) -> Any:
    """With `one_ink` (a seal: one red ink, NĐ 30 Phụ lục I), every pixel takes the ink's
    average colour and the shape and its shading stay in the transparency: the colour plane
    then compresses to almost nothing (about 60 KB less in every issued file)."""
    from PIL import Image, ImageStat

    image: Image.Image = Image.open(BytesIO(data))
    image.thumbnail((max_px, max_px), Image.Resampling.LANCZOS)
    if image.mode not in ("RGB", "RGBA"):
        image = image.convert("RGBA")
    if one_ink and image.mode == "RGBA":
        alpha = image.getchannel("A")
        inked = alpha.point(lambda value: 255 if value > 128 else 0)
        if inked.getbbox() is not None:
            red, green, blue = (round(v) for v in ImageStat.Stat(image.convert("RGB"), inked).mean)
            image = Image.new("RGB", image.size, (red, green, blue))
            image.putalpha(alpha)
    image.load()
    return image


@cache
def _font_bytes(italic: bool) -> bytes:
    return (FONTS_DIR / f"DocFormSerif-{'Italic' if italic else 'Regular'}.ttf").read_bytes()


@cache
def _field_font(italic: bool) -> Any:
    """pyHanko's glyph accumulator on the bundled field font, read once and kept in memory
    (pyHanko's own factory opens the file for every field and never closes it)."""
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulator, GlyphAccumulatorFactory

    class BundledFont(GlyphAccumulatorFactory):
        def create_font_engine(self, writer: Any, obj_stream: Any = None) -> Any:
            if obj_stream is None and writer.stream_xrefs and self.create_objstream_if_needed:
                obj_stream = writer.prepare_object_stream()
            return GlyphAccumulator(
                writer=writer,
                font_handle=BytesIO(_font_bytes(italic)),
                font_size=self.font_size,
                obj_stream=obj_stream,
            )

    return BundledFont(f"DocFormSerif-{'Italic' if italic else 'Regular'}.ttf")
