"""The editable content of a decision, as plain data, and the rules it must satisfy.

One shape serves the importer, the draft services, the version snapshots and (later) the
editor and the renderer. `validate_content` is the one place for the drafting rules.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _

from decisions.models import (
    Decision,
    DocumentType,
    Organization,
    Sector,
    User,
    is_archive_entry,
)

# Vietnamese alphabet order of lettered points (điểm): a b c d đ e g h i k …
POINT_LETTERS = "abcdđeghiklmnopqrstuvxy"
SAME_AS_ARTICLE = re.compile(r"^Như\s+Điều\s+(\d+)\b", re.IGNORECASE)
# A template's blank to fill in, "[họ và tên]", "[ngày … tháng … năm …]": words in square
# brackets, not a footnote mark "[1]" of a pasted text.
PLACEHOLDER = re.compile(r"\[(?=[^\]]*[^\W\d_])[^\[\]\d\n]{3,80}\]")

MAX_SUBJECT = 500
MAX_LINE = 300
MAX_PARAGRAPH = 20_000
MAX_LEGAL_BASES = 60
MAX_CLAUSES = 100
# The size of a whole draft (characters, articles, annexes, recipients) is bounded by the
# DECISIONS_DRAFT_MAX_* settings, checked by `check_size`.


@dataclass
class Clause:
    """A numbered clause (khoản "1.") with its lettered points (điểm "a)")."""

    text: str
    points: list[str] = field(default_factory=list)


@dataclass
class Article:
    """An article (Điều N); N is its position, counted from 1."""

    text: str = ""
    title: str | None = None
    clauses: list[Clause] = field(default_factory=list)
    closing: str = ""  # paragraphs after the clauses, e.g. the effective-date sentence

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Article:
        return cls(
            text=data.get("text", ""),
            title=data.get("title"),
            clauses=[Clause(**clause) for clause in data.get("clauses", [])],
            closing=data.get("closing", ""),
        )


@dataclass
class Annex:
    """An annex (phụ lục) printed after the decision, paginated on its own."""

    title: str
    text: str = ""


@dataclass
class RecipientEntry:
    """A printed Nơi nhận entry, without its "- " and final ";" or "."."""

    text: str
    organization_ids: list[int] = field(default_factory=list)
    user_ids: list[int] = field(default_factory=list)
    same_as_article: int | None = None

    def article_reference(self) -> int | None:
        """The N of "Như Điều N", whether linked explicitly or only printed."""
        if self.same_as_article is not None:
            return self.same_as_article
        match = SAME_AS_ARTICLE.match(self.text.strip())
        return int(match.group(1)) if match else None


@dataclass
class DraftContent:
    """Everything a drafter fills in."""

    document_type: DocumentType
    authority: str
    authority_line: str
    subject: str
    legal_bases: list[str] = field(default_factory=list)
    proposer: str = ""
    articles: list[Article] = field(default_factory=list)
    recipients: list[RecipientEntry] = field(default_factory=list)
    urgency: str = ""
    confidentiality: str = ""
    sector: Sector | None = None
    drafter_initials: str = ""
    copies: int | None = None
    number_year: int | None = None  # "18/2009/QĐ-UBND": numbered with the year
    annexes: list[Annex] = field(default_factory=list)
    affects: Decision | None = None  # an earlier issued decision it amends, replaces or repeals
    effect: str = ""
    # The parts of its document type that a decision has not (decisions/doctypes/).
    parts: dict[str, Any] = field(default_factory=dict)

    def articles_as_json(self) -> list[dict[str, Any]]:
        return [asdict(article) for article in self.articles]

    def annexes_as_json(self) -> list[dict[str, Any]]:
        return [asdict(annex) for annex in self.annexes]

    @classmethod
    def of(cls, decision: Decision) -> DraftContent:
        """The content of a stored decision (recipients read in one query)."""
        return cls(
            document_type=decision.document_type,
            authority=decision.authority,
            authority_line=decision.authority_line,
            subject=decision.subject,
            legal_bases=list(decision.legal_bases),
            proposer=decision.proposer,
            articles=[Article.from_dict(article) for article in decision.articles],
            recipients=[
                RecipientEntry(
                    text=recipient.text,
                    organization_ids=[org.pk for org in recipient.organizations.all()],
                    user_ids=[user.pk for user in recipient.users.all()],
                    same_as_article=recipient.same_as_article,
                )
                for recipient in decision.recipients.prefetch_related("organizations", "users")
            ],
            urgency=decision.urgency,
            confidentiality=decision.confidentiality,
            sector=decision.sector,
            drafter_initials=decision.drafter_initials,
            copies=decision.copies,
            number_year=decision.number_year,
            annexes=[Annex(**annex) for annex in decision.annexes],
            affects=decision.affects,
            effect=decision.effect,
            parts=dict(decision.parts or {}),
        )

    def characters(self) -> int:
        """The length of everything typed into the draft, in characters."""
        texts = [self.authority_line, self.subject, self.proposer, *self.legal_bases]
        for article in self.articles:
            texts += [article.title or "", article.text, article.closing]
            for clause in article.clauses:
                texts += [clause.text, *clause.points]
        texts += [entry.text for entry in self.recipients]
        for annex in self.annexes:
            texts += [annex.title, annex.text]
        from decisions import doctypes

        texts += doctypes.of(self.document_type).part_texts(self.parts)
        return sum(len(text) for text in texts)

    def snapshot(self) -> dict[str, Any]:
        """A JSON-ready copy for the revision history (DecisionVersion.content)."""
        return {
            "document_type": self.document_type.abbreviation,
            "authority": self.authority,
            "authority_line": self.authority_line,
            "subject": self.subject,
            "legal_bases": list(self.legal_bases),
            "proposer": self.proposer,
            "articles": self.articles_as_json(),
            "recipients": [
                {**asdict(entry), "same_as_article": entry.article_reference()}
                for entry in self.recipients
            ],
            "urgency": self.urgency,
            "confidentiality": self.confidentiality,
            "sector": self.sector.name if self.sector else None,
            "drafter_initials": self.drafter_initials,
            "copies": self.copies,
            "number_year": self.number_year,
            "annexes": self.annexes_as_json(),
            "affects": self.affects.reference if self.affects else None,
            "effect": self.effect,
            **({"parts": self.parts} if self.parts else {}),
        }


class _Errors:
    """Collects messages per field, to raise them all at once."""

    def __init__(self) -> None:
        self.by_field: dict[str, list[str]] = {}

    def add(self, field_name: str, message: str) -> None:
        self.by_field.setdefault(field_name, []).append(message)

    def check_length(self, field_name: str, label: str, text: str, limit: int) -> None:
        if len(text) > limit:
            self.add(
                field_name,
                _("%(label)s is too long (%(length)d characters; at most %(limit)d).")
                % {"label": label, "length": len(text), "limit": limit},
            )


def check_size(content: DraftContent) -> None:
    """Raise ValidationError (in Vietnamese, naming the limit) if the draft as a whole is
    larger than any real decision: the DECISIONS_DRAFT_MAX_* settings. Every way content comes
    in (the editor, pasted or uploaded text, `import_decision`) passes here, before anything is
    saved or rendered."""
    errors = _Errors()
    _check_size(content, errors)
    if errors.by_field:
        raise ValidationError(errors.by_field)


def _check_size(content: DraftContent, errors: _Errors) -> None:
    characters, limit = content.characters(), settings.DECISIONS_DRAFT_MAX_CHARACTERS
    if characters > limit:
        errors.add(
            NON_FIELD_ERRORS,
            _(
                "The decision is too long: %(length)d characters, at most %(limit)d. "
                "Put long lists or tables in an attached file."
            )
            % {"length": characters, "limit": limit},
        )
    for field_name, items, limit, message in (
        (
            "articles",
            content.articles,
            settings.DECISIONS_DRAFT_MAX_ARTICLES,
            _("Too many articles: %(count)d, at most %(limit)d."),
        ),
        (
            "annexes",
            content.annexes,
            settings.DECISIONS_DRAFT_MAX_ANNEXES,
            _("Too many annexes: %(count)d, at most %(limit)d."),
        ),
        (
            "recipients",
            content.recipients,
            settings.DECISIONS_DRAFT_MAX_RECIPIENTS,
            _("Too many recipients: %(count)d, at most %(limit)d."),
        ),
    ):
        if len(items) > limit:
            errors.add(field_name, message % {"count": len(items), "limit": limit})


def validate_content(content: DraftContent, *, issuer: Organization) -> None:
    """Raise ValidationError (per field, in Vietnamese) unless `content` may be saved."""
    errors = _Errors()
    _check_size(content, errors)
    subject = content.subject.strip()
    if not subject:
        errors.add("subject", _("Enter the subject (trích yếu) of the decision."))
    errors.check_length("subject", _("The subject"), subject, MAX_SUBJECT)
    _validate_authority(content, issuer, errors)
    from decisions import doctypes

    doctypes.of(content.document_type).validate(content, errors)  # its parts: articles, …
    _validate_recipients(content, errors)
    _validate_annexes(content, errors)
    _validate_effect(content, issuer, errors)
    _validate_placeholders(content, errors)
    if content.urgency not in Decision.Urgency.values:
        errors.add("urgency", _("Choose a valid urgency."))
    if content.confidentiality not in Decision.Confidentiality.values:
        errors.add("confidentiality", _("Choose a valid confidentiality mark."))
    if content.sector is not None and content.sector.organization_id != issuer.pk:
        errors.add("sector", _("This field of responsibility belongs to another body."))
    if content.number_year is not None and not 1945 <= content.number_year <= 2999:
        errors.add("number_year", _("The year in the number must be between 1945 and 2999."))
    if content.copies is not None and content.copies < 1:
        errors.add("copies", _("The number of copies must be at least 1."))
    errors.check_length(
        "drafter_initials", _("The drafter's initials"), content.drafter_initials, 20
    )
    if errors.by_field:
        raise ValidationError(errors.by_field)


def _validate_authority(content: DraftContent, issuer: Organization, errors: _Errors) -> None:
    if content.authority not in Decision.Authority.values:
        errors.add("authority", _("Choose whose authority the decision is issued under."))
        return
    line = content.authority_line.strip()
    if not line:
        errors.add("authority_line", _("Enter the authority line."))
        return
    errors.check_length("authority_line", _("The authority line"), line, MAX_LINE)
    head = issuer.head_title.strip().upper()
    if not head:
        return
    starts_with_head = issuer.authority_of(line) == Decision.Authority.INDIVIDUAL
    if content.authority == Decision.Authority.INDIVIDUAL and not starts_with_head:
        errors.add(
            "authority_line",
            _(
                "A decision under the chair's own authority needs an authority line "
                "starting with “%(head)s”."
            )
            % {"head": head},
        )
    if content.authority == Decision.Authority.COLLECTIVE and starts_with_head:
        errors.add(
            "authority_line",
            _(
                "A decision of the collective body needs the body's name as authority "
                "line, not “%(head)s …”."
            )
            % {"head": head},
        )


def _validate_legal_bases(content: DraftContent, errors: _Errors) -> None:
    if len(content.legal_bases) > MAX_LEGAL_BASES:
        errors.add(
            "legal_bases",
            _("Too many legal bases (at most %(limit)d).") % {"limit": MAX_LEGAL_BASES},
        )
    for index, basis in enumerate(content.legal_bases, start=1):
        if not basis.strip():
            errors.add("legal_bases", _("Legal basis %(n)d is empty.") % {"n": index})
        errors.check_length(
            "legal_bases", _("Legal basis %(n)d") % {"n": index}, basis, MAX_PARAGRAPH
        )
    errors.check_length("proposer", _("The proposer line"), content.proposer, MAX_SUBJECT)


def _validate_articles(content: DraftContent, errors: _Errors) -> None:
    if not content.articles:
        errors.add("articles", _("A decision needs at least one article (Điều 1)."))
    for number, article in enumerate(content.articles, start=1):
        label = _("Article %(n)d") % {"n": number}
        if not (article.text.strip() or article.clauses):
            errors.add("articles", _("%(label)s has no text.") % {"label": label})
        errors.check_length("articles", label, article.title or "", MAX_LINE)
        errors.check_length("articles", label, article.text + article.closing, MAX_PARAGRAPH)
        if len(article.clauses) > MAX_CLAUSES:
            errors.add(
                "articles",
                _("%(label)s has too many clauses (at most %(limit)d).")
                % {"label": label, "limit": MAX_CLAUSES},
            )
        for clause_number, clause in enumerate(article.clauses, start=1):
            clause_label = _("%(label)s, clause %(n)d") % {"label": label, "n": clause_number}
            if not clause.text.strip():
                errors.add("articles", _("%(label)s is empty.") % {"label": clause_label})
            if len(clause.points) > len(POINT_LETTERS):
                errors.add(
                    "articles",
                    _("%(label)s has more points than letters (at most %(limit)d).")
                    % {"label": clause_label, "limit": len(POINT_LETTERS)},
                )
            if any(not point.strip() for point in clause.points):
                errors.add("articles", _("%(label)s has an empty point.") % {"label": clause_label})
            errors.check_length(
                "articles", clause_label, clause.text + "".join(clause.points), MAX_PARAGRAPH
            )


def _validate_recipients(content: DraftContent, errors: _Errors) -> None:
    entries = content.recipients
    if not entries:
        errors.add("recipients", _("Enter at least one recipient (Nơi nhận)."))
        return
    for index, entry in enumerate(entries, start=1):
        text = entry.text.strip()
        if not text:
            errors.add("recipients", _("Recipient %(n)d is empty.") % {"n": index})
            continue
        errors.check_length("recipients", _("Recipient %(n)d") % {"n": index}, text, MAX_LINE)
        if is_archive_entry(text) and index != len(entries):
            errors.add(
                "recipients",
                _("The archive entry “%(text)s” must be the last recipient.") % {"text": text},
            )
        article = entry.article_reference()
        if article is not None and not 1 <= article <= len(content.articles):
            errors.add(
                "recipients",
                _("Recipient “%(text)s” refers to Điều %(n)d, which the decision does not have.")
                % {"text": text, "n": article},
            )
    if not is_archive_entry(entries[-1].text):
        errors.add(
            "recipients",
            _("The last recipient must be the archive copy, e.g. “Lưu: VT, VP”."),
        )
    _validate_recipient_links(entries, errors)


def _validate_recipient_links(entries: list[RecipientEntry], errors: _Errors) -> None:
    """Links go to active bodies and people of the directory: an unknown id (or one of a
    body closed since) is an error of the field, never a database error."""
    body_ids = {pk for entry in entries for pk in entry.organization_ids}
    person_ids = {pk for entry in entries for pk in entry.user_ids}
    known_bodies = set(
        Organization.objects.filter(active=True, pk__in=body_ids).values_list("pk", flat=True)
    )
    known_people = set(
        User.objects.filter(is_active=True, pk__in=person_ids).values_list("pk", flat=True)
    )
    for entry in entries:
        if not (
            set(entry.organization_ids) <= known_bodies and set(entry.user_ids) <= known_people
        ):
            errors.add(
                "recipients",
                _("Recipient “%(text)s” is linked to a body or person not in the directory.")
                % {"text": entry.text.strip()[:60]},
            )


def _validate_annexes(content: DraftContent, errors: _Errors) -> None:
    for index, annex in enumerate(content.annexes, start=1):
        label = _("Annex %(n)d") % {"n": index}
        if not annex.title.strip():
            errors.add("annexes", _("%(label)s has no title.") % {"label": label})
        errors.check_length("annexes", label, annex.title, MAX_LINE)
        errors.check_length("annexes", label, annex.text, MAX_PARAGRAPH * 5)


def _validate_effect(content: DraftContent, issuer: Organization, errors: _Errors) -> None:
    earlier = content.affects
    if (earlier is None) != (not content.effect):
        errors.add("affects", _("Choose both the earlier decision and what this one does to it."))
        return
    if content.effect not in Decision.Effect.values:
        errors.add("affects", _("Choose a valid effect on the earlier decision."))
    if earlier is not None and (
        earlier.issuer_id != issuer.pk or earlier.status != Decision.Status.ISSUED
    ):
        errors.add(
            "affects",
            _(
                "Only a decision in force issued by the same body can be amended, replaced or "
                "repealed."
            ),
        )


def _validate_placeholders(content: DraftContent, errors: _Errors) -> None:
    """A blank of a template ("[họ và tên]") left unfilled, named with its field."""
    texts: list[tuple[str, str]] = [
        ("subject", content.subject),
        ("authority_line", content.authority_line),
        ("proposer", content.proposer),
        *(("legal_bases", basis) for basis in content.legal_bases),
        *(("recipients", entry.text) for entry in content.recipients),
    ]
    for article in content.articles:
        texts += [("articles", article.title or ""), ("articles", article.text)]
        texts += [("articles", article.closing)]
        for clause in article.clauses:
            texts += [("articles", clause.text), *(("articles", point) for point in clause.points)]
    for annex in content.annexes:
        texts += [("annexes", annex.title), ("annexes", annex.text)]
    for field_name, text in texts:
        for blank in PLACEHOLDER.findall(text):
            errors.add(
                field_name,
                _("Fill in the blank “%(blank)s” of the template.") % {"blank": blank},
            )
