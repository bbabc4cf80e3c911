"""What changed between two revision rounds of a draft, article by article, word by word."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from decisions.content import POINT_LETTERS
from decisions.models import Decision


@dataclass(frozen=True)
class Change:
    section: str  # "Trích yếu", "Điều 2", …
    kind: str  # "added", "removed" or "changed"
    html: SafeString  # the new text with <del>/<ins> marks


def _article_text(article: dict[str, Any]) -> str:
    lines = [article.get("title") or "", article.get("text", "")]
    for number, clause in enumerate(article.get("clauses", []), start=1):
        lines.append(f"{number}. {clause.get('text', '')}")
        lines += [
            f"{letter}) {point}"
            for letter, point in zip(POINT_LETTERS, clause.get("points", []), strict=False)
        ]
    lines.append(article.get("closing", ""))
    return "\n".join(line for line in lines if line)


def _sections(content: dict[str, Any]) -> dict[str, str]:
    sections = {
        _("Subject"): content.get("subject", ""),
        _("Legal bases"): "\n".join(content.get("legal_bases", [])),
    }
    for number, article in enumerate(content.get("articles", []), start=1):
        sections[f"Điều {number}"] = _article_text(article)
    sections[_("Recipients")] = "\n".join(r.get("text", "") for r in content.get("recipients", []))
    return sections


def _word_diff(old: str, new: str) -> SafeString:
    old_words, new_words = old.split(" "), new.split(" ")
    parts = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag in ("replace", "delete"):
            parts.append(f"<del>{escape(' '.join(old_words[i1:i2]))}</del>")
        if tag in ("replace", "insert"):
            parts.append(f"<ins>{escape(' '.join(new_words[j1:j2]))}</ins>")
        if tag == "equal":
            parts.append(escape(" ".join(old_words[i1:i2])))
    return mark_safe(" ".join(parts).replace("\n", "<br>"))  # noqa: S308 - every part escaped


def changes_between(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    before, after = _sections(old), _sections(new)
    changes = []
    for section in dict.fromkeys([*before, *after]):
        if section not in before:
            changes.append(Change(section, "added", _word_diff("", after[section])))
        elif section not in after:
            changes.append(Change(section, "removed", _word_diff(before[section], "")))
        elif before[section] != after[section]:
            changes.append(Change(section, "changed", _word_diff(before[section], after[section])))
    return changes


def since_previous_round(decision: Decision) -> list[Change] | None:
    """The changes of the current round against the previous one, while it is being checked,
    reviewed and signed (None in round 1 and once the decision has a number)."""
    if decision.revision < 2 or decision.number is not None:
        return None
    versions = {
        version.round: version.content
        for version in decision.versions.filter(
            round__in=[decision.revision - 1, decision.revision]
        )
    }
    if len(versions) < 2:
        return None
    return changes_between(versions[decision.revision - 1], versions[decision.revision])
