"""Text folding for search: no case, no diacritics ("Quyết định" -> "quyet dinh").

The same folding is applied to what is stored and to what is typed, so that a search behaves
the same on SQLite and on PostgreSQL without database extensions.
"""

from __future__ import annotations

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# C0 control characters (NUL included: PostgreSQL refuses it in text). A multi-line field
# keeps tab, line feed and carriage return; a single-line one refuses them too.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f]")
CONTROL_CHARACTERS_MULTILINE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
CONTROL_CHARACTERS_MESSAGE = _(
    "Remove the control characters (such as NUL) from this field: they cannot be stored."
)


def fold(text: str) -> str:
    """Lower-case `text` and drop its diacritics; đ becomes d."""
    decomposed = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(stripped.casefold().split())


def has_control_characters(text: str, *, multiline: bool = False) -> bool:
    """Whether `text` holds a C0 control character (tab, LF and CR allowed if `multiline`)."""
    pattern = CONTROL_CHARACTERS_MULTILINE if multiline else CONTROL_CHARACTERS
    return pattern.search(text) is not None


def refuse_control_characters(value: object) -> None:
    """Validator of a single-line text field."""
    if isinstance(value, str) and has_control_characters(value):
        raise ValidationError(CONTROL_CHARACTERS_MESSAGE, code="control_characters")


def refuse_control_characters_multiline(value: object) -> None:
    """Validator of a multi-line text field (tab, LF and CR allowed)."""
    if isinstance(value, str) and has_control_characters(value, multiline=True):
        raise ValidationError(CONTROL_CHARACTERS_MESSAGE, code="control_characters")


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value: object) -> object:
    """A spreadsheet cell that is never read as a formula: text beginning with =, +, -, @,
    tab or carriage return (a Nơi nhận line "=HYPERLINK(…)", say) is kept as text behind an
    apostrophe (OWASP's advice on CSV/formula injection). Every .xlsx export goes through it."""
    if isinstance(value, str) and value[:1] in FORMULA_STARTS:
        return f"'{value}"
    return value
