"""Quyết định quy phạm pháp luật: a decision numbered with its year ("12/2024/QĐ-UBND") in its
own register series (NĐ 30, Điều 15.1.a: each legal normative type has its own series), which
states when it takes effect ("Quyết định này có hiệu lực kể từ ngày …")."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, ClassVar

from django.utils.translation import gettext as _

from decisions.doctypes.decision import IndividualDecision
from decisions.models import Register

if TYPE_CHECKING:
    from decisions.content import DraftContent, _Errors

EFFECT_CLAUSE = re.compile(r"\bcó\s+hiệu\s+lực\b", re.IGNORECASE)
SERIES = "QPPL"


class NormativeDecision(IndividualDecision):
    key: ClassVar[str] = "normative_decision"
    number_format: ClassVar[str] = Register.NumberFormat.WITH_YEAR
    running: ClassVar[str] = "Quyết định"
    title: ClassVar[str] = "QUYẾT ĐỊNH"

    def validate(self, content: DraftContent, errors: _Errors) -> None:
        super().validate(content, errors)
        if content.articles and not any(
            EFFECT_CLAUSE.search(_article_text(article)) for article in content.articles
        ):
            errors.add(
                "articles",
                _(
                    "A legal normative decision states when it takes effect "
                    "(“Quyết định này có hiệu lực kể từ ngày …”)."
                ),
            )


def _article_text(article: Any) -> str:
    clauses = " ".join(f"{c.text} {' '.join(c.points)}" for c in article.clauses)
    return f"{article.title or ''} {article.text} {clauses} {article.closing}"
