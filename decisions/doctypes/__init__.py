"""Every kind of administrative document as a strategy (NĐ 30/2020/NĐ-CP, Phụ lục I and III).

One module per kind owns what is particular to it: its parts (`Decision.parts`), its validation,
the grammar that reads its pasted text, what its printed page shows and its template, and its
symbol rule. Everything else (the flow, numbering, signatures, distribution, registers) is
shared and asks the kind only through this registry:

    doctypes.of(document_type)   the strategy of a DocumentType (by its `kind`)
    doctypes.get("official_letter")
    doctypes.detect(lines)       which kind a pasted text is

| key | module | printed | symbol |
|---|---|---|---|
| decision | decision.py | QUYẾT ĐỊNH, căn cứ, Điều 1. … | 01/QĐ-UBND |
| normative_decision | normative.py | as a decision; effect clause | 12/2024/QĐ-UBND |
| official_letter | official_letter.py | V/v under the number, Kính gửi, paragraphs | 01/UBND-KT |
| notice, plan, report, submission | titled.py | title, subject, titled sections | 01/TB-UBND … |
| directive | directive.py | CHỈ THỊ, numbered points | 01/CT-UBND |
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from decisions.doctypes.base import DocType


@cache
def registry() -> dict[str, DocType]:
    """Every strategy by its key (DocumentKind)."""
    from decisions.doctypes.decision import IndividualDecision
    from decisions.doctypes.directive import Directive
    from decisions.doctypes.normative import NormativeDecision
    from decisions.doctypes.official_letter import OfficialLetter
    from decisions.doctypes.titled import Notice, Plan, Report, Submission

    strategies: list[DocType] = [
        IndividualDecision(),
        NormativeDecision(),
        OfficialLetter(),
        Notice(),
        Plan(),
        Report(),
        Submission(),
        Directive(),
    ]
    return {strategy.key: strategy for strategy in strategies}


def get(key: str | None) -> DocType:
    """The strategy named `key`; an unknown or empty key is an individual decision."""
    strategies = registry()
    return strategies.get(key or "decision", strategies["decision"])


def of(document_type: Any) -> DocType:
    """The strategy of a DocumentType (or of None: an individual decision)."""
    return get(getattr(document_type, "kind", None))


def issued_by(issuer: Any) -> Any:
    """The DocumentTypes `issuer` issues (IssuedDocumentType), every type if it lists none:
    the editor offers only these."""
    from decisions.models import DocumentType

    chosen = DocumentType.objects.filter(
        pk__in=issuer.issued_document_types.values("document_type")
    )
    return chosen if chosen.exists() else DocumentType.objects.all()


def by_title(title: str) -> DocType | None:
    """The strategy whose printed title is `title` ("THÔNG BÁO"), decisions aside."""
    for strategy in registry().values():
        if title in strategy.titles and strategy.grammar != "decision":
            return strategy
    return None


def detect(lines: list[Any]) -> DocType:
    """The kind of a pasted text (its cleaned lines): by its title; a text with "Kính gửi" or
    "V/v" and no title is a Công văn; a titled text with articles ("Điều 1.") is read as a
    decision, as it always was."""
    from decisions import importer

    has_article = any(importer.ARTICLE.match(line.text) for line in lines)
    for line in lines:
        text = line.text
        if importer._is_caps(text) and (strategy := by_title(text.upper())):
            return get("decision") if has_article else strategy
        if text.upper() in importer.DOCUMENT_TITLES and importer._is_caps(text):
            return get("decision")
    if not has_article and any(
        text.startswith(("Kính gửi", "V/v", "V/V")) for text in (line.text for line in lines)
    ):
        return get("official_letter")
    return get("decision")
