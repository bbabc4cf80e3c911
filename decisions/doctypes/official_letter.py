"""Công văn: no type name; its symbol is the body's abbreviation and the drafting unit's
("UBND-KT"); its subject "V/v …" prints under the number; "Kính gửi:" names its addressees; the
body is paragraphs, no articles (NĐ 30, Phụ lục I, II.3.b and Mẫu 1.4 of Phụ lục III).

Parts: {"addressees": [str], "sections": [{"title": "", "paragraphs": [str]}], "unit": "KT"}."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any, ClassVar

from django.utils.translation import gettext as _

from decisions.doctypes import grammar
from decisions.doctypes.base import DocType

if TYPE_CHECKING:
    from decisions.content import DraftContent, _Errors
    from decisions.importer import Line, ParsedDecision
    from decisions.printed import PrintedDecision

MAX_LINE = 300
MAX_PARAGRAPH = 20_000


def letter_subject(subject: str) -> str:
    """ "tăng cường …" -> "V/v tăng cường …"; "V/v …" and "Về việc …" stay."""
    subject = " ".join(subject.split())
    if not subject or grammar.LETTER_SUBJECT.match(subject):
        return subject
    return f"V/v {subject[0].lower()}{subject[1:]}" if subject[1:2].islower() else f"V/v {subject}"


def paragraphs_of(parts: dict[str, Any]) -> list[str]:
    return [str(text) for item in parts.get("sections", []) for text in item.get("paragraphs", [])]


class OfficialLetter(DocType):
    key: ClassVar[str] = "official_letter"
    grammar: ClassVar[str] = "letter"
    layout: ClassVar[str] = "official_letter"
    running: ClassVar[str] = "Công văn"
    editor_fields: ClassVar[tuple[str, ...]] = ("addressees", "unit", "body")

    def printed_title(self, document_type: Any) -> str:
        return ""

    def symbol(self, document_type: Any, body: str, parts: dict[str, Any]) -> str:
        unit = str(parts.get("unit") or "").strip().upper()
        return f"{body}-{unit}" if unit else body

    def blank_parts(self) -> dict[str, Any]:
        return {"addressees": [], "sections": [{"title": "", "paragraphs": []}], "unit": ""}

    def part_texts(self, parts: dict[str, Any]) -> list[str]:
        return [
            *map(str, parts.get("addressees", [])),
            *paragraphs_of(parts),
            str(parts.get("unit", "")),
        ]

    def validate(self, content: DraftContent, errors: _Errors) -> None:
        parts = content.parts
        addressees = [str(text).strip() for text in parts.get("addressees", [])]
        if not any(addressees):
            errors.add("addressees", _("Enter at least one addressee (Kính gửi)."))
        for index, text in enumerate(addressees, start=1):
            errors.check_length("addressees", _("Addressee %(n)d") % {"n": index}, text, MAX_LINE)
        paragraphs = paragraphs_of(parts)
        if not any(text.strip() for text in paragraphs):
            errors.add("body", _("Enter the text of the official letter."))
        for index, text in enumerate(paragraphs, start=1):
            errors.check_length("body", _("Paragraph %(n)d") % {"n": index}, text, MAX_PARAGRAPH)
        unit = str(parts.get("unit") or "")
        if unit and not unit.replace("Đ", "D").replace("đ", "d").isalnum():
            errors.add(
                "unit",
                _("The unit's abbreviation is letters and digits only (e.g. KT, VX, NC)."),
            )
        errors.check_length("unit", _("The unit's abbreviation"), unit, 10)
        if content.articles and any(a.text or a.clauses for a in content.articles):
            errors.add("articles", _("An official letter has no articles."))

    def parse(self, lines: list[Line]) -> ParsedDecision:
        return grammar.parse(lines, kind=self.key, title="", sections_allowed=False)

    def print(
        self, doc: PrintedDecision, parts: dict[str, Any], *, end_mark: bool = True
    ) -> PrintedDecision:
        from decisions import printed

        return replace(
            doc,
            kind=self.key,
            title="",
            subject=letter_subject(doc.subject),
            authority_line="",
            recitals=(),
            articles=(),
            addressees=printed.addressee_lines([str(t) for t in parts.get("addressees", [])]),
            sections=printed.sections(list(parts.get("sections", [])), end_mark=end_mark),
        )
