"""Reading the pasted text of a document that has no articles: a Công văn (V/v, Kính gửi,
paragraphs) or a titled text (THÔNG BÁO, KẾ HOẠCH, … with its sections). The header, the Nơi nhận
and the signature block are read as for decisions (decisions/importer.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from decisions import importer
from decisions import signature as signature_forms
from decisions.importer import (
    DATE_LINE,
    LIST_ITEM,
    MOTTO,
    NATION,
    RECIPIENTS,
    SENTENCE_END,
    SIGNER_TITLES,
    ImportWarning,
    Line,
    ParsedDecision,
    ParseError,
)

ADDRESSEES = re.compile(r"^Kính\s+gửi\s*:?\s*(?P<rest>.*)$", re.IGNORECASE)
LETTER_SUBJECT = re.compile(r"^(?:V/v|V/V|Về\s+việc)\b")
# "I. MỤC ĐÍCH, YÊU CẦU", "Phần I", "A. …": a section heading of a titled text.
# Halves of the national name that a pasted two-column header splits over two lines.
NATION_PART = re.compile(
    r"C[ỘO]NG\s+H(?:ÒA|OÀ|OA)\s+X[ÃA]\s+H[ỘO]I|CH[ỦU]\s+NGH[ĨI]A\s+VI[ỆE]T\s+NAM", re.I
)
NATION_WORDS = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
COMMITTEE_NAME = re.compile(r"^(?:Ủ|U)[YỶ]\s+BAN\s+NHÂN\s+DÂN$")
HEADING = re.compile(r"^(?:[IVXL]{1,6}\s*[.:]\s*\S|(?:PHẦN|Phần|MỤC|Mục)\s+[IVXL\d]+\b)")


@dataclass
class Section:
    title: str = ""
    paragraphs: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, object]:
        return {"title": self.title, "paragraphs": self.paragraphs}


def _header_lines(header: list[Line]) -> list[Line]:
    """The header with the national name taken out also where a copying page breaks it
    elsewhere than between its halves ("CỘNG HÒA XÃ" / "HỘI CHỦ NGHĨA VIỆT NAM"), and an
    issuer name broken inside ("UỶ BAN NHÂN" / "DÂN") joined again."""
    kept: list[Line] = []
    for line in header:
        text = NATION_PART.sub(" ", line.text).strip()
        words = " ".join(text.replace("|", " ").split()).upper().replace("HOÀ", "HÒA")
        if words and f" {words} " in f" {NATION_WORDS} ":
            continue
        if kept and COMMITTEE_NAME.match(f"{kept[-1].text} {words}"):
            kept[-1] = Line(kept[-1].number, f"{kept[-1].text} {words}")
            continue
        kept.append(Line(line.number, text))
    return kept


def ends_body(text: str) -> bool:
    """Nơi nhận or the first line of the signature block."""
    return bool(
        RECIPIENTS.match(text)
        or signature_forms.CAPACITY_PREFIX.match(text)
        or " ".join(text.upper().split()) in SIGNER_TITLES
    )


def parse(lines: list[Line], *, kind: str, title: str, sections_allowed: bool) -> ParsedDecision:
    """A Công văn (`title` "") or a titled text. Raises ParseError naming the line."""
    if title:
        title_index = next((i for i, line in enumerate(lines) if line.text.upper() == title), None)
        if title_index is None:
            raise ParseError(_("The title “%(title)s” was not found.") % {"title": title})
        header = lines[:title_index]
        position, subject_lines = _titled_subject(lines, title_index + 1)
    else:
        start = next((i for i, line in enumerate(lines) if LETTER_SUBJECT.match(line.text)), None)
        kinh_gui = next(
            (i for i, line in enumerate(lines) if ADDRESSEES.match(line.text)), len(lines)
        )
        if start is None or start > kinh_gui:
            raise ParseError(
                _("The subject of the official letter (“V/v …”) was not found under its number."),
                lines[0].number,
            )
        subject_lines = [lines[start]]
        header = lines[:start]
        for line in lines[start + 1 : kinh_gui]:
            if _is_header_line(line.text):
                header.append(line)
            else:
                subject_lines.append(line)
        position = kinh_gui
    if not subject_lines:
        raise ParseError(_("The subject (trích yếu) is missing under the title."), lines[0].number)
    parser = importer._Parser(lines)
    number, number_year, symbol = parser._number(header)
    place, date = parser._place_and_date(header)
    parent, issuer_lines = importer._header_bodies(_header_lines(header))

    addressees: list[str] = []
    if position < len(lines) and (match := ADDRESSEES.match(lines[position].text)):
        position += 1
        rest = match["rest"].strip()
        if rest and not LIST_ITEM.match(rest):
            addressees.append(_entry(rest))
        elif rest:
            addressees.append(_entry(LIST_ITEM.sub("", rest)))
        while position < len(lines) and LIST_ITEM.match(lines[position].text):
            addressees.append(_entry(LIST_ITEM.sub("", lines[position].text)))
            position += 1

    sections: list[Section] = [Section()]
    body_start = position
    while position < len(lines) and not ends_body(lines[position].text):
        text = lines[position].text
        if sections_allowed and HEADING.match(text):
            sections.append(Section(title=text))
        else:
            sections[-1].paragraphs.append(text)
        position += 1
    sections = [s for s in sections if s.title or s.paragraphs]
    if not sections:
        raise ParseError(
            _("The text has no body."), importer._Parser(lines)._error_line(body_start)
        )
    parser.pos = position
    closing = parser._closing()
    subject = " ".join(line.text for line in subject_lines)
    parsed = ParsedDecision(
        doc_type=title or "CÔNG VĂN",
        subject=subject,
        authority_line="",
        legal_bases=[],
        proposer=None,
        articles=[],
        recipients=closing.recipients,
        number=number,
        number_year=number_year,
        symbol=symbol,
        place=place,
        date=date,
        signature=closing.signature,
        header_lines=[line.text for line in header],
        parent_name=parent,
        issuer_lines=issuer_lines,
        issuer_from_header=bool(issuer_lines),
        kind=kind,
        parts={
            **({"addressees": addressees} if addressees or not title else {}),
            "sections": [section.as_json() for section in sections],
        },
    )
    last_text = (sections[-1].paragraphs or [sections[-1].title])[-1]
    parsed.warnings = _warnings(parsed, closing, lines, last_text, subject_lines)
    if not title:
        parsed.parts["unit"] = _letter_unit(symbol)
    return parsed


def _letter_unit(symbol: str | None) -> str:
    """ "UBND-NCTH" -> "NCTH": what follows the body in a Công văn's symbol."""
    if not symbol or "-" not in symbol:
        return ""
    return symbol.split("-", 1)[1]


def _is_header_line(text: str) -> bool:
    return bool(
        NATION.search(text)
        or MOTTO.search(text)
        or DATE_LINE.search(text)
        or importer.SEPARATOR.match(text)
        or importer.DRAFT_DATE_LINE.search(text)
    )


def _titled_subject(lines: list[Line], start: int) -> tuple[int, list[Line]]:
    """The subject under a title: its lines in capitals, or its one line in ordinary case."""
    taken: list[Line] = []
    position = start
    while position < len(lines):
        text = lines[position].text
        if ADDRESSEES.match(text) or HEADING.match(text) or ends_body(text):
            break
        in_capitals = importer._is_caps(text) or not any(ch.isalpha() for ch in text)
        if taken and not in_capitals:
            break
        taken.append(lines[position])
        position += 1
        if not in_capitals:
            break
    return position, taken


def _entry(text: str) -> str:
    return importer._recipient_text(text)


def entry_text(line: str) -> str:
    """An addressee as typed in the editor ("- Sở Tài chính;") without its list marks."""
    return _entry(LIST_ITEM.sub("", line.strip()))


def sections_of(text: str, *, titled: bool) -> list[dict[str, object]]:
    """The editor's body text as sections: one paragraph a line; with `titled`, a line
    "I. …" (or "Phần I") begins a new titled section."""
    sections = [Section()]
    for line in text.splitlines():
        line = " ".join(line.split())
        if not line:
            continue
        if titled and HEADING.match(line):
            sections.append(Section(title=line))
        else:
            sections[-1].paragraphs.append(line)
    return [section.as_json() for section in sections if section.title or section.paragraphs]


def _warnings(
    parsed: ParsedDecision,
    closing: importer._Closing,
    lines: list[Line],
    last_text: str,
    subject_lines: list[Line],
) -> list[ImportWarning]:
    found: list[ImportWarning] = []
    if not closing.seen_recipients and closing.signature is None:
        parsed.ends_sentence = bool(SENTENCE_END.search(last_text))
        found.append(
            ImportWarning(
                "cut_off",
                lines[-1].number,
                _(
                    "The text seems cut off: it has no Nơi nhận and no signature block. "
                    "Nothing was added in their place."
                ),
            )
        )
    else:
        if not closing.seen_recipients:
            found.append(ImportWarning("no_recipients", 0, _("The text has no Nơi nhận.")))
        if closing.signature is None:
            found.append(
                ImportWarning(
                    "no_signature", lines[-1].number, _("The text has no signature block.")
                )
            )
    if parsed.recipients and not any(importer.is_archive_entry(text) for text in parsed.recipients):
        found.append(
            ImportWarning(
                "no_archive",
                closing.recipients_line,
                _("Nơi nhận has no archive entry (“Lưu: VT, …”)."),
            )
        )
    if importer._is_caps(parsed.subject) and sum(ch.isalpha() for ch in parsed.subject) > 3:
        found.append(
            ImportWarning(
                "caps_subject",
                subject_lines[0].number,
                _(
                    "The subject is written in capitals; NĐ 30 prints it in ordinary case "
                    "(“Về việc …”)."
                ),
            )
        )
    if closing.trailing_line:
        found.append(
            ImportWarning(
                "trailing_text",
                closing.trailing_line,
                _("The text after the signature (from this line on) was not read."),
            )
        )
    return sorted(found, key=lambda warning: warning.line)
