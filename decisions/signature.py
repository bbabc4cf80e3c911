"""The signature block (NĐ 30/2020/NĐ-CP, Điều 13; Phụ lục I, II.7): derived, never typed.

| authority   | signer     | printed                                          |
|-------------|------------|--------------------------------------------------|
| individual  | chair      | CHỦ TỊCH                                         |
| individual  | vice chair | KT. CHỦ TỊCH / PHÓ CHỦ TỊCH                      |
| collective  | chair      | TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH                   |
| collective  | vice chair | TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH |

Q., TL. and TUQ. need a recorded delegation (decisions/delegation.py): "Q. CHỦ TỊCH" (also
under "TM. ỦY BAN NHÂN DÂN"), "TL. CHỦ TỊCH / CHÁNH VĂN PHÒNG", "TUQ. CHỦ TỊCH / GIÁM ĐỐC SỞ …".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from decisions.models import Decision, Organization

SIGN_FOR = "KT."  # ký thay
ON_BEHALF_OF = "TM."  # thay mặt
DEPUTY_PREFIX = "PHÓ "
# "TM.", "KT.", "Q.", "TL.", "TUQ." as real texts print them: any case, any spacing.
CAPACITY_PREFIX = re.compile(r"^(TM|KT|TL|TUQ|Q)\s*\.\s*", re.IGNORECASE)
COLLECTIVE_BODY = re.compile(r"^(?:Ủ|U)[YỶ]\s+BAN\s+NHÂN\s+DÂN\b")


def tidy_line(text: str) -> str:
    """Spacing and case only: "TM.ỦY BAN NHÂN DÂN TỈNH" -> "TM. ỦY BAN NHÂN DÂN TỈNH"."""
    text = " ".join(text.split()).upper()
    return CAPACITY_PREFIX.sub(lambda match: f"{match[1].upper()}. ", text)


def standard_lines(lines: list[str] | tuple[str, ...], *, issuer: Organization) -> tuple[str, ...]:
    """A block read from a text, in the form NĐ 30 prints for `issuer`: "UỶ" as "ỦY", and the
    collective line without the level and place ("TM. ỦY BAN NHÂN DÂN TỈNH" -> "TM. ỦY BAN
    NHÂN DÂN")."""
    standard = []
    for line in lines:
        line = tidy_line(line).replace("UỶ", "ỦY")
        body = line.removeprefix(ON_BEHALF_OF).strip()
        if line.startswith(ON_BEHALF_OF) and COLLECTIVE_BODY.match(body):
            line = f"{ON_BEHALF_OF} {issuer.collective_name.strip().upper()}"
        standard.append(line)
    return tuple(standard)


@dataclass(frozen=True)
class SignatureBlock:
    """The capacity and title lines (bold capitals) and the signer's name."""

    lines: tuple[str, ...]
    name: str = ""


def signature_lines(
    *, authority: str, issuer: Organization, signer_is_head: bool, signer_title: str
) -> tuple[str, ...]:
    """The lines above the name, from the authority and whether the head himself signs."""
    head = issuer.head_title.strip().upper()
    deputy = signer_title.strip().upper() or f"{DEPUTY_PREFIX}{head}"
    own = (head,) if signer_is_head else (f"{SIGN_FOR} {head}", deputy)
    if authority == Decision.Authority.COLLECTIVE:
        return (f"{ON_BEHALF_OF} {issuer.collective_name.strip().upper()}", *own)
    return own


def check_consistency(*, authority_line: str, lines: tuple[str, ...], issuer: Organization) -> None:
    """Authority line and signature block must agree (NĐ 30, Điều 13).

    "CHỦ TỊCH …" as authority line ⇒ "CHỦ TỊCH" or "KT. CHỦ TỊCH" / "PHÓ CHỦ TỊCH";
    the body as authority line ⇒ the block starts "TM. ỦY BAN NHÂN DÂN"; no authority line (a
    Công văn, a Thông báo …) ⇒ either. Raises ValidationError in Vietnamese.
    """
    head = issuer.head_title.strip().upper()
    collective = f"{ON_BEHALF_OF} {issuer.collective_name.strip().upper()}"
    upper = tuple(line.strip().upper() for line in lines)
    rest = upper[1:]
    own = (
        upper == (head,)
        or (
            len(upper) == 2
            and upper[0] == f"{SIGN_FOR} {head}"
            and upper[1].startswith(DEPUTY_PREFIX)
        )
        or _delegated(upper, head=head, by_order=True)
    )
    on_behalf = (
        len(upper) >= 2
        and upper[0] == collective
        and (
            rest == (head,)
            or (
                len(rest) == 2
                and rest[0] == f"{SIGN_FOR} {head}"
                and rest[1].startswith(DEPUTY_PREFIX)
            )
            or _delegated(rest, head=head, by_order=False)
        )
    )
    if not authority_line.strip():
        # A Công văn, a Thông báo …: no authority line to agree with; any form of Điều 13.
        allowed = own or on_behalf
        expected = _("“%(head)s” or “%(collective)s” followed by the signer's title") % {
            "head": head,
            "collective": collective,
        }
    elif issuer.authority_of(authority_line) == Decision.Authority.INDIVIDUAL:
        allowed = own
        expected = _("“%(head)s” or “KT. %(head)s / PHÓ %(head)s”") % {"head": head}
    else:
        allowed = on_behalf
        expected = _("“%(collective)s” followed by the signer's title") % {"collective": collective}
    if not allowed:
        raise ValidationError(
            _(
                "The signature block “%(block)s” does not match the authority line “%(line)s”: "
                "expected %(expected)s."
            )
            % {"block": " / ".join(lines), "line": authority_line, "expected": expected},
            code="signature_mismatch",
        )


# --- delegated and acting signatures (decisions/delegation.py) ---
ACTING = "Q."  # quyền: the acting head
BY_ORDER = ("TL.", "TUQ.")  # thừa lệnh, thừa ủy quyền: the head's own authority only


def _delegated(lines: tuple[str, ...], *, head: str, by_order: bool) -> bool:
    """ "Q. CHỦ TỊCH"; and, under the head's own authority only, "TL. CHỦ TỊCH" or
    "TUQ. CHỦ TỊCH" followed by the delegate's title."""
    if lines == (f"{ACTING} {head}",):
        return True
    return (
        by_order
        and len(lines) == 2
        and any(lines[0] == f"{prefix} {head}" for prefix in BY_ORDER)
        and bool(lines[1].strip())
    )
