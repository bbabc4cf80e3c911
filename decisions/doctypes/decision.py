"""Quyết định cá biệt: legal bases, the authority line, "QUYẾT ĐỊNH:" and articles (Điều N).

Its content lives in the Decision's own fields (legal_bases, proposer, articles, annexes), its
rules in decisions/content.py, its grammar in decisions/importer.py and its printed form in
decisions/printed.py with templates/decisions/pdf/decision.html: this strategy points there."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from decisions.doctypes.base import DocType

if TYPE_CHECKING:
    from decisions.content import DraftContent, _Errors
    from decisions.importer import Line, ParsedDecision


class IndividualDecision(DocType):
    key: ClassVar[str] = "decision"
    abbreviation: ClassVar[str] = "QĐ"
    titles: ClassVar[tuple[str, ...]] = ("QUYẾT ĐỊNH",)
    grammar: ClassVar[str] = "decision"
    layout: ClassVar[str] = "decision"

    def validate(self, content: DraftContent, errors: _Errors) -> None:
        from decisions.content import _validate_articles, _validate_legal_bases

        _validate_legal_bases(content, errors)
        _validate_articles(content, errors)

    def parse(self, lines: list[Line]) -> ParsedDecision:
        from decisions.importer import _Parser

        return _Parser(lines).parse()

    @property
    def text_template(self) -> str:
        return "decisions/_document_text.html"

    def part_texts(self, parts: dict[str, Any]) -> list[str]:
        return []
