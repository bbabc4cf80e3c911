"""Numbers and ids from a request: ASCII digits only, bounded.

`str.isdigit()` accepts "²" and "①" (on which `int()` then fails) and `int()` accepts "١٢"
and " 12 "; a 30-digit id overflows the databases' 64-bit integers. Each of these used to
end in a 500. Everything a request carries as a number (ids, widths, pages, years) goes
through here instead: a bad value raises ValidationError, which becomes a 400 page with its
message (decisions.refusals); an id in the path is matched by `IdConverter`, so a path that
is not one is a 404.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_DIGITS = 18  # below 2**63 on every database
MAX_ID = 10**MAX_DIGITS - 1
ASCII_NUMBER = re.compile(rf"[0-9]{{1,{MAX_DIGITS}}}")


def number(value: Any, *, label: str, minimum: int = 0, maximum: int = MAX_ID) -> int:
    """`value` as an int: ASCII digits only, between `minimum` and `maximum`; otherwise
    ValidationError naming `label` (a field, in the user's language)."""
    text = value if isinstance(value, str) else ""
    if not ASCII_NUMBER.fullmatch(text):
        raise ValidationError(
            _("“%(field)s” must be a whole number written with the digits 0–9.") % {"field": label},
            code="not_a_number",
        )
    result = int(text)
    if not minimum <= result <= maximum:
        raise ValidationError(
            _("“%(field)s” must be between %(minimum)d and %(maximum)d.")
            % {"field": label, "minimum": minimum, "maximum": maximum},
            code="out_of_range",
        )
    return result


def optional_number(
    value: Any, *, label: str, default: int, minimum: int = 0, maximum: int = MAX_ID
) -> int:
    """`number`, or `default` when the value is absent or empty."""
    if value is None or value == "":
        return default
    return number(value, label=label, minimum=minimum, maximum=maximum)


def optional_id(value: Any, *, label: str) -> int | None:
    """An id (at least 1), or None when the value is absent or empty."""
    if value is None or value == "":
        return None
    return number(value, label=label, minimum=1)


def ids(value: Any, *, label: str) -> list[int]:
    """Comma-separated ids ("3,17"); spaces and empty parts are ignored."""
    parts = [part.strip() for part in str(value or "").split(",")]
    return [number(part, label=label, minimum=1) for part in parts if part]


def page(request: Any) -> int:
    """The ?page= of a list (1 when absent); the paginator clamps it to the last page."""
    return optional_number(
        request.GET.get("page"), label=_("Page"), default=1, minimum=1, maximum=10**9
    )


class IdConverter:
    """`<id:pk>` in a path: up to 18 ASCII digits (longer or other: no match, 404)."""

    regex = rf"[0-9]{{1,{MAX_DIGITS}}}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)
