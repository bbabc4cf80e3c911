"""What changed between two revision rounds of a draft, unit by unit, word by word.

Both rounds are compared as they print (decisions/printed.py): the subject, each recital,
each paragraph of an article, each clause, each point, each Nơi nhận line and each annex
paragraph is one unit, named by where it sits ("Điều 2, khoản 1, điểm b"). A unit added or
removed in the middle does not mark the ones after it as changed: units are matched by their
text, without their number or letter, which only says where they now stand.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from decisions import printed
from decisions.content import Annex, Article
from decisions.models import Decision

# Units at least this alike are one unit changed; less alike, one removed and one added.
ALIKE = 0.5


@dataclass(frozen=True)
class Change:
    section: str  # "Trích yếu", "Điều 2, khoản 1, điểm b", "Nơi nhận", …
    kind: str  # "added", "removed" or "changed"
    html: SafeString  # the new text with <del>/<ins> marks


@dataclass(frozen=True)
class Unit:
    section: str
    text: str  # as printed, without the number or letter that says where it stands


def units(content: dict[str, Any]) -> list[Unit]:
    """The printed units of one round's content (DecisionVersion.content)."""
    result = [Unit(_("Subject"), " ".join(content.get("subject", "").split()))]
    recitals = printed.recitals(content.get("legal_bases", []), content.get("proposer", ""))
    result += [Unit(_("Legal bases"), line) for line in recitals]
    articles = printed.articles([Article.from_dict(item) for item in content.get("articles", [])])
    for article in articles:
        where = f"Điều {article.number}"
        if article.title:
            result.append(Unit(where, article.title))
        result += [Unit(where, paragraph) for paragraph in article.paragraphs]
        for number, clause in enumerate(article.clauses, start=1):
            result.append(Unit(f"{where}, khoản {number}", clause.text))
            for point in clause.points:
                letter, _paren, text = point.partition(") ")
                result.append(Unit(f"{where}, khoản {number}, điểm {letter}", text))
        result += [Unit(where, paragraph) for paragraph in article.closing]
    lines = printed.recipient_lines(
        [entry.get("text", "") for entry in content.get("recipients", [])]
    )
    result += [Unit(_("Recipients"), line) for line in lines]
    for annex in printed.annexes([Annex(**item) for item in content.get("annexes", [])]):
        result.append(Unit(annex.heading, annex.title))
        result += [Unit(annex.heading, paragraph) for paragraph in annex.paragraphs]
    return result


_TOKENS = re.compile(r"\w+|\s+|[^\w\s]")


def _word_diff(old: str, new: str) -> SafeString:
    """`new` with the words and marks taken out of `old` in <del> and those put in in <ins>;
    punctuation counts apart from its word ("pháp;" -> "pháp tỉnh An Giang;" inserts
    " tỉnh An Giang" only)."""
    before, after = _TOKENS.findall(old), _TOKENS.findall(new)
    parts: list[str] = []
    matcher = difflib.SequenceMatcher(str.isspace, before, after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        removed, added = "".join(before[i1:i2]), "".join(after[j1:j2])
        if tag == "equal":
            parts.append(escape(added))
            continue
        marked = [
            f"<{mark}>{escape(text.strip())}</{mark}>"
            for mark, text in (("del", removed), ("ins", added))
            if text.strip()
        ]
        # the spaces around a change stay outside its marks (the browser shows one)
        lead = " " if any(text[:1].isspace() for text in (removed, added)) else ""
        trail = " " if any(text[-1:].isspace() for text in (removed, added)) else ""
        parts.append(lead + " ".join(marked) + trail if marked else added)
    return mark_safe("".join(parts))  # noqa: S308 - every part escaped


def _alike(old: str, new: str) -> bool:
    matcher = difflib.SequenceMatcher(a=old.split(), b=new.split(), autojunk=False)
    return matcher.ratio() >= ALIKE


def changes_between(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """The units added, removed or changed from round `old` to round `new`, in reading order."""
    before, after = units(old), units(new)
    matcher = difflib.SequenceMatcher(
        a=[unit.text for unit in before], b=[unit.text for unit in after], autojunk=False
    )
    changes = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        removed, added = list(before[i1:i2]), list(after[j1:j2])
        while removed and added and _alike(removed[0].text, added[0].text):
            was, now = removed.pop(0), added.pop(0)
            changes.append(Change(now.section, "changed", _word_diff(was.text, now.text)))
        changes += [Change(unit.section, "removed", _word_diff(unit.text, "")) for unit in removed]
        changes += [Change(unit.section, "added", _word_diff("", unit.text)) for unit in added]
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
