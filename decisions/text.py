"""Text folding for search: no case, no diacritics ("Quyết định" -> "quyet dinh").

The same folding is applied to what is stored and to what is typed, so that a search behaves
the same on SQLite and on PostgreSQL without database extensions.
"""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Lower-case `text` and drop its diacritics; đ becomes d."""
    decomposed = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(stripped.casefold().split())


def spreadsheet_cell(value: object) -> object:
    """A spreadsheet cell that is never read as a formula: text beginning with =, +, - or @
    (a Nơi nhận line "=HYPERLINK(…)", say) is kept as text behind an apostrophe."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return f"'{value}"
    return value
