"""Test images of a handwritten signature (blue) and of a seal (red), transparent PNGs, drawn
for development and the demo. Real ones are scans uploaded by the administrator."""

from __future__ import annotations

import math
import zlib
from functools import cache
from io import BytesIO

from PIL import Image, ImageDraw, ImageFont

from decisions.rendering import FONTS_DIR

BLUE = (20, 50, 190, 255)
RED = (215, 20, 30, 255)


def png_bytes(image: Image.Image) -> bytes:
    buffer = BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


@cache
def signature(name: str) -> bytes:
    """A flowing blue stroke with the person's initials, 600×260 px (50×22 mm at 300 dpi)."""
    width, height = 600, 260
    image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    seed = zlib.crc32(name.encode())
    points = []
    for step in range(121):
        t = step / 120
        x = 40 + t * (width - 80)
        wobble = math.sin(t * math.pi * (3 + seed % 3)) * 55 * (1 - t / 2)
        y = height / 2 + wobble + math.sin(t * 25 + seed % 7) * 12
        points.append((x, y))
    draw.line(points, fill=BLUE, width=7, joint="curve")
    font = ImageFont.truetype(str(FONTS_DIR / "LiberationSerif-Italic.ttf"), 90)
    initials = "".join(word[0] for word in name.split()[-2:]) or "?"
    draw.text((70, 20), initials, font=font, fill=BLUE)
    return png_bytes(image)


@cache
def seal(name: str, abbreviation: str) -> bytes:
    """A round red seal, 600×600 px: two rings, the body's name around, a star in the middle."""
    size = 600
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    centre = size / 2
    draw.ellipse([8, 8, size - 8, size - 8], outline=RED, width=14)
    draw.ellipse([120, 120, size - 120, size - 120], outline=RED, width=6)
    star = [
        (
            centre + (70 if i % 2 == 0 else 28) * math.sin(i * math.pi / 5),
            centre - (70 if i % 2 == 0 else 28) * math.cos(i * math.pi / 5),
        )
        for i in range(10)
    ]
    draw.polygon(star, fill=RED)
    font = ImageFont.truetype(str(FONTS_DIR / "LiberationSerif-Bold.ttf"), 44)
    text = " ".join(name.upper().split())
    spread = math.radians(300)  # the name runs clockwise around the ring, gap at the bottom
    for index, char in enumerate(text):
        angle = -spread / 2 + (index + 0.5) / len(text) * spread  # clockwise from the top
        glyph = Image.new("RGBA", (60, 60), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text((30, 30), char, font=font, fill=RED, anchor="mm")
        rotated = glyph.rotate(-math.degrees(angle), resample=Image.Resampling.BICUBIC)
        x = centre + 205 * math.sin(angle) - 30
        y = centre - 205 * math.cos(angle) - 30
        image.alpha_composite(rotated, (round(x), round(y)))
    small = ImageFont.truetype(str(FONTS_DIR / "LiberationSerif-Bold.ttf"), 40)
    draw.text((centre, centre + 105), "THỬ NGHIỆM", font=small, fill=RED, anchor="mm")
    return png_bytes(image)
