"""Documents printed as a title, a subject and titled sections ("I. MỤC ĐÍCH, YÊU CẦU" …):
Thông báo, Kế hoạch, Báo cáo, Tờ trình (NĐ 30, Phụ lục III, Mẫu 1.3). A Báo cáo or Tờ trình to a
superior may name its addressees ("Kính gửi:").

Parts: {"addressees": [str] (optional), "sections": [{"title": str, "paragraphs": [str]}]}."""

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


class TitledText(DocType):
    grammar: ClassVar[str] = "titled"
    layout: ClassVar[str] = "titled"
    sections_allowed: ClassVar[bool] = True
    editor_fields: ClassVar[tuple[str, ...]] = ("addressees", "body")

    def blank_parts(self) -> dict[str, Any]:
        return {"sections": [{"title": "", "paragraphs": []}]}

    def part_texts(self, parts: dict[str, Any]) -> list[str]:
        texts = [str(text) for text in parts.get("addressees", [])]
        for item in parts.get("sections", []):
            texts += [str(item.get("title") or ""), *map(str, item.get("paragraphs", []))]
        return texts

    def validate(self, content: DraftContent, errors: _Errors) -> None:
        sections = list(content.parts.get("sections", []))
        paragraphs = [str(t) for s in sections for t in s.get("paragraphs", [])]
        if not any(text.strip() for text in paragraphs):
            errors.add(
                "body",
                _("Enter the text of the %(type)s.")
                % {"type": self.running_name(content.document_type).lower()},
            )
        for index, section in enumerate(sections, start=1):
            errors.check_length(
                "body", _("Section %(n)d") % {"n": index}, str(section.get("title") or ""), MAX_LINE
            )
        for index, text in enumerate(paragraphs, start=1):
            errors.check_length("body", _("Paragraph %(n)d") % {"n": index}, text, MAX_PARAGRAPH)
        for index, text in enumerate(content.parts.get("addressees", []), start=1):
            errors.check_length(
                "addressees", _("Addressee %(n)d") % {"n": index}, str(text), MAX_LINE
            )
        if content.articles and any(a.text or a.clauses for a in content.articles):
            errors.add(
                "articles",
                _("A %(type)s has no articles.")
                % {"type": self.running_name(content.document_type).lower()},
            )

    def parse(self, lines: list[Line]) -> ParsedDecision:
        return grammar.parse(
            lines, kind=self.key, title=self.title, sections_allowed=self.sections_allowed
        )

    def print(
        self, doc: PrintedDecision, parts: dict[str, Any], *, end_mark: bool = True
    ) -> PrintedDecision:
        from decisions import printed

        return replace(
            doc,
            kind=self.key,
            title=self.title,
            authority_line="",
            recitals=(),
            articles=(),
            addressees=printed.addressee_lines([str(t) for t in parts.get("addressees", [])]),
            sections=printed.sections(list(parts.get("sections", [])), end_mark=end_mark),
        )


class Notice(TitledText):
    key: ClassVar[str] = "notice"
    abbreviation: ClassVar[str] = "TB"
    title: ClassVar[str] = "THÔNG BÁO"
    titles: ClassVar[tuple[str, ...]] = ("THÔNG BÁO",)
    running: ClassVar[str] = "Thông báo"


class Plan(TitledText):
    key: ClassVar[str] = "plan"
    abbreviation: ClassVar[str] = "KH"
    title: ClassVar[str] = "KẾ HOẠCH"
    titles: ClassVar[tuple[str, ...]] = ("KẾ HOẠCH",)
    running: ClassVar[str] = "Kế hoạch"


class Report(TitledText):
    key: ClassVar[str] = "report"
    abbreviation: ClassVar[str] = "BC"
    title: ClassVar[str] = "BÁO CÁO"
    titles: ClassVar[tuple[str, ...]] = ("BÁO CÁO",)
    running: ClassVar[str] = "Báo cáo"


class Submission(TitledText):
    key: ClassVar[str] = "submission"
    abbreviation: ClassVar[str] = "TTr"
    title: ClassVar[str] = "TỜ TRÌNH"
    titles: ClassVar[tuple[str, ...]] = ("TỜ TRÌNH",)
    running: ClassVar[str] = "Tờ trình"
