"""Make the fonts of the number and date fields from the bundled Liberation Serif.

pyHanko writes glyph widths in font units, as if every font had 1000 units per em; Liberation
Serif has 2048, so filled fields came out with huge letter spacing. This script writes a copy
scaled to 1000 units per em, cut down to the letters a number or a Vietnamese date line can use,
and renamed: "Liberation" is a Reserved Font Name under the SIL Open Font License, so a modified
copy must not carry it. Run it again only if the source fonts change; its output is committed.

    python scripts/make_form_fonts.py
"""

from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont
from fontTools.ttLib.scaleUpem import scale_upem

FONTS = Path(__file__).resolve().parent.parent / "decisions" / "pdf" / "fonts"
FAMILY = "DocForm Serif"
# What a number ("17/2016/QĐ-UBND") or a date line ("ngày 05 tháng 3 năm 2026") can hold:
# printable ASCII and the Vietnamese letters in both cases, nothing more (these fonts are
# embedded whole in every issued PDF, since a form field can take any of their letters).
VIETNAMESE = "ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúýĂăĐđĨĩŨũƠơƯư" + "".join(
    chr(code) for code in range(0x1EA0, 0x1EFA)
)
UNICODES = [*range(0x20, 0x7F), *map(ord, VIETNAMESE), 0x2013, 0x2014]


def make(style: str) -> Path:
    font = TTFont(FONTS / f"LiberationSerif-{style}.ttf")
    scale_upem(font, 1000)
    options = subset.Options()
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.hinting = False  # screen hinting is not needed for a few printed words
    options.layout_features = ["kern", "liga"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=UNICODES)
    subsetter.subset(font)
    names = font["name"]
    postscript = f"DocFormSerif-{style}"
    for record in list(names.names):
        if record.nameID in (1, 16):
            names.setName(FAMILY, record.nameID, record.platformID, record.platEncID, record.langID)
        elif record.nameID == 4:
            full = f"{FAMILY} {style}"
            names.setName(full, 4, record.platformID, record.platEncID, record.langID)
        elif record.nameID == 6:
            names.setName(postscript, 6, record.platformID, record.platEncID, record.langID)
        elif record.nameID == 3:
            names.setName(
                f"{postscript};2.1.5-1000upm", 3, record.platformID, record.platEncID, record.langID
            )
    target = FONTS / f"{postscript}.ttf"
    font.save(target)
    return target


if __name__ == "__main__":
    for style in ("Regular", "Italic"):
        path = make(style)
        units = TTFont(path)["head"].unitsPerEm
        print(f"{path.name}: {path.stat().st_size} bytes, unitsPerEm {units}")
