"""The drafter's structured editor: its form data to DraftContent and back.

Lists are posted as indexed names in page order (the editor's script renumbers them after every
add, remove or move): ``legal_bases-0``; ``articles-0-title``, ``articles-0-text``,
``articles-0-closing``, ``articles-0-clauses-1-text``, ``articles-0-clauses-1-points-2``;
``recipients-0-text`` (with ``-organizations`` and ``-users``: directory links, comma-separated
ids, kept across edits); ``annexes-0-title``, ``annexes-0-text``. Scalar fields go through
`HeaderForm`. Validation stays in `content.validate_content`; this module only reads the shape.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from decisions import doctypes, parsing
from decisions.content import Annex, Article, Clause, DraftContent, RecipientEntry
from decisions.forms import CleanTextMixin
from decisions.models import Decision, DocumentType, Organization, Sector
from decisions.text import CONTROL_CHARACTERS_MESSAGE, fold, has_control_characters

MAX_ITEMS = 500  # per list, whatever the validation limits; guards the parsing itself
INDEX = re.compile(
    r"^(?P<list>legal_bases|articles|recipients|annexes)-(?P<rest>[0-9]+(?:-.+)?)$", re.ASCII
)


class HeaderForm(CleanTextMixin, forms.Form):
    """The editor's single-valued fields."""

    document_type = forms.ModelChoiceField(
        label=_("Document type"), queryset=DocumentType.objects.all(), empty_label=None
    )
    authority = forms.ChoiceField(label=_("Issued under"), choices=Decision.Authority.choices)
    authority_line = forms.CharField(label=_("Authority line"), max_length=300)
    subject = forms.CharField(
        label=_("Subject (trích yếu)"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    proposer = forms.CharField(label=_("Proposed by (Theo đề nghị của …)"), required=False)
    sector = forms.ModelChoiceField(
        label=_("Field of responsibility"),
        queryset=Sector.objects.none(),
        required=False,
        empty_label=_("(none)"),
        help_text=_("Decides which vice chair may sign it."),
    )
    urgency = forms.ChoiceField(
        label=_("Urgency"), choices=Decision.Urgency.choices, required=False
    )
    confidentiality = forms.ChoiceField(
        label=_("Confidentiality"), choices=Decision.Confidentiality.choices, required=False
    )
    drafter_initials = forms.CharField(label=_("Drafter's initials"), max_length=20, required=False)
    copies = forms.IntegerField(label=_("Copies"), min_value=1, required=False)
    number_year = forms.IntegerField(
        label=_("Year in the number (legal normative documents)"),
        min_value=1945,
        max_value=2999,
        required=False,
        help_text=_("Printed as Số:   /2026/QĐ-UBND; the year of issue replaces it when numbered."),
    )

    affects = forms.ModelChoiceField(
        queryset=Decision.objects.none(), required=False, widget=forms.HiddenInput
    )
    effect = forms.ChoiceField(
        choices=Decision.Effect.choices, required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args: Any, issuer: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        document_type = self.fields["document_type"]
        assert isinstance(document_type, forms.ModelChoiceField)  # noqa: S101 - declared above
        document_type.queryset = doctypes.issued_by(issuer)  # the types the body issues
        sector = self.fields["sector"]
        assert isinstance(sector, forms.ModelChoiceField)  # noqa: S101 - declared above
        sector.queryset = Sector.objects.filter(organization=issuer).order_by("name")
        affects = self.fields["affects"]
        assert isinstance(affects, forms.ModelChoiceField)  # noqa: S101 - declared above
        affects.queryset = Decision.objects.filter(issuer=issuer, status=Decision.Status.ISSUED)

    def earlier_decision(self) -> Decision | None:
        """The issued decision this draft amends, replaces or repeals, if any."""
        if self.is_bound:
            return self.cleaned_data.get("affects") if self.is_valid() else None
        earlier = self.initial.get("affects")
        return earlier if isinstance(earlier, Decision) else None

    @classmethod
    def initial_from(cls, content: DraftContent, issuer: Organization) -> HeaderForm:
        return cls(
            issuer=issuer,
            initial={
                "document_type": content.document_type,
                "authority": content.authority,
                "authority_line": content.authority_line,
                "subject": content.subject,
                "proposer": content.proposer,
                "sector": content.sector,
                "urgency": content.urgency,
                "confidentiality": content.confidentiality,
                "drafter_initials": content.drafter_initials,
                "copies": content.copies,
                "number_year": content.number_year,
                "affects": content.affects,
                "effect": content.effect,
            },
        )


@dataclass
class Posted:
    """What the editor posted: the header form (validated) and the lists (as typed)."""

    header: HeaderForm
    legal_bases: list[str]
    articles: list[Article]
    recipients: list[RecipientEntry]
    annexes: list[Annex]
    errors: dict[str, list[str]] = field(default_factory=dict)  # of the lists, by list name
    # The text fields of the parts of other types than decisions ("parts-addressees",
    # "parts-unit", "parts-body"), read by the chosen type (decisions/doctypes/).
    part_texts: dict[str, str] = field(default_factory=dict)

    def content(self) -> DraftContent | None:
        """The draft content, or None if a field is invalid (the header form's errors, or
        `errors` of the lists)."""
        if not self.header.is_valid() or self.errors:
            return None
        data = self.header.cleaned_data
        strategy = doctypes.of(data["document_type"])
        with_parts = bool(strategy.editor_fields)  # then it has no bases and articles
        return DraftContent(
            document_type=data["document_type"],
            authority=data["authority"],
            authority_line=data["authority_line"],
            subject=data["subject"],
            legal_bases=[] if with_parts else self.legal_bases,
            proposer="" if with_parts else data["proposer"],
            articles=[] if with_parts else self.articles,
            recipients=self.recipients,
            urgency=data["urgency"] or "",
            confidentiality=data["confidentiality"] or "",
            sector=data["sector"],
            drafter_initials=data["drafter_initials"],
            copies=data["copies"],
            number_year=data["number_year"],
            affects=data["affects"],
            effect=data["effect"] or "",
            annexes=self.annexes,
            parts=strategy.parts_from_form(self.part_texts) if with_parts else {},
        )


def read(post: QueryDict, *, issuer: Organization) -> Posted:
    """Read the editor's POST (lists in index order; blank trailing rows are dropped).

    A list value with control characters, or a link that is not a list of ids, is an error
    of that list (`Posted.errors`), not a 500."""
    tree: dict[str, Any] = defaultdict(dict)
    errors: dict[str, list[str]] = {}
    for key in post:
        match = INDEX.match(key)
        if match is None:
            continue
        name, parts = match.group("list"), match.group("rest").split("-")
        if any(isinstance(_index(part), int) and int(part) >= MAX_ITEMS for part in parts):
            continue
        value = post.get(key, "")
        multiline = not (name == "recipients" and parts[-1] == "text")
        if has_control_characters(value, multiline=multiline):
            _add_error(errors, name, str(CONTROL_CHARACTERS_MESSAGE))
            continue
        node = tree[name]
        for part in parts[:-1]:
            node = node.setdefault(_index(part), {})
        node[_index(parts[-1])] = value
    part_texts: dict[str, str] = {}
    for name in PART_FIELDS:
        value = post.get(f"parts-{name}", "")
        if has_control_characters(value, multiline=name != "unit"):
            _add_error(errors, name, str(CONTROL_CHARACTERS_MESSAGE))
        else:
            part_texts[name] = value
    recipients = []
    for item in _ordered(tree["recipients"]):
        if isinstance(item, dict) and item.get("text", "").strip():
            try:
                recipients.append(_recipient(item))
            except ValidationError as error:
                _add_error(errors, "recipients", *error.messages)
    return Posted(
        header=HeaderForm(post, issuer=issuer),
        legal_bases=[text.strip() for text in _ordered(tree["legal_bases"]) if text.strip()],
        articles=[_article(item) for item in _ordered(tree["articles"])],
        recipients=recipients,
        annexes=[
            Annex(title=item.get("title", "").strip(), text=item.get("text", "").strip())
            for item in _ordered(tree["annexes"])
            if isinstance(item, dict) and (item.get("title", "").strip() or item.get("text"))
        ],
        errors=errors,
        part_texts=part_texts,
    )


PART_FIELDS = ("addressees", "unit", "body")


def part_texts_of(lists: Posted | DraftContent) -> dict[str, str]:
    """The editor's part fields: as posted, or from stored content."""
    if isinstance(lists, Posted):
        return lists.part_texts
    return doctypes.of(lists.document_type).form_texts(lists.parts)


def type_shapes(issuer: Organization) -> dict[str, list[str]]:
    """For the editor's script: each offered type's part fields ([] for a decision)."""
    return {
        str(document_type.pk): list(doctypes.of(document_type).editor_fields)
        for document_type in doctypes.issued_by(issuer)
    }


def _index(part: str) -> int | str:
    """A list index (ASCII digits: "²" is no index) or a field name."""
    return int(part) if part.isascii() and part.isdigit() else part


def _add_error(errors: dict[str, list[str]], name: str, *messages: str) -> None:
    for message in messages:
        if message not in errors.setdefault(name, []):
            errors[name].append(message)


def _ordered(node: Any) -> list[Any]:
    if not isinstance(node, dict):
        return []
    return [node[index] for index in sorted(key for key in node if isinstance(key, int))]


def _article(item: Any) -> Article:
    if not isinstance(item, dict):
        return Article()
    clauses = []
    for clause in _ordered(item.get("clauses", {})):
        if not isinstance(clause, dict):
            continue
        points = [point.strip() for point in _ordered(clause.get("points", {})) if point.strip()]
        text = str(clause.get("text", "")).strip()
        if text or points:
            clauses.append(Clause(text=text, points=points))
    title = str(item.get("title", "")).strip()
    return Article(
        text=str(item.get("text", "")).strip(),
        title=title or None,
        clauses=clauses,
        closing=str(item.get("closing", "")).strip(),
    )


def _recipient(item: dict[str, Any]) -> RecipientEntry:
    text = str(item.get("text", "")).strip()
    label = _("Links of recipient “%(text)s”") % {"text": text[:60]}
    return RecipientEntry(
        text=text,
        organization_ids=parsing.ids(item.get("organizations"), label=str(label)),
        user_ids=parsing.ids(item.get("users"), label=str(label)),
    )


def link_directory_names(
    recipients: list[RecipientEntry], bodies: list[Organization], articles: list[Article]
) -> None:
    """Link recipients that are not linked yet: one typed (or picked from the suggestions)
    exactly as a directory body's name, to that body; "Như Điều N", to the bodies article N
    names (e.g. "Chánh Văn phòng UBND tỉnh, Giám đốc Sở Khoa học và Công nghệ"). The drafter
    sees and corrects the links on the decision's page."""
    by_name = {
        name.casefold(): body.pk
        for body in bodies
        for name in (body.one_line_name, body.running_name)
    }
    cores = [(core, body.pk) for body in bodies if len((core := _core_name(body)).split()) >= 2]
    for entry in recipients:
        if entry.organization_ids or entry.user_ids:
            continue
        if pk := by_name.get(entry.text.strip().casefold()):
            entry.organization_ids = [pk]
        elif (number := entry.article_reference()) and 1 <= number <= len(articles):
            text = _words(_article_words(articles[number - 1]))
            entry.organization_ids = [pk for core, pk in cores if f" {core} " in text]


ABBREVIATIONS = (("uy ban nhan dan", "ubnd"), ("hoi dong nhan dan", "hdnd"))
PLACE_SUFFIX = re.compile(r"\s(tinh|thanh pho|huyen|quan|thi xa|xa|phuong|thi tran)\s.*$")


def _words(text: str) -> str:
    """Folded words, the committees abbreviated as people write them, padded with spaces."""
    folded = " ".join(re.sub(r"[^\w]+", " ", fold(text)).split())
    for long, short in ABBREVIATIONS:
        folded = folded.replace(long, short)
    return f" {folded} "


def _core_name(body: Organization) -> str:
    """ "Sở Khoa học và Công nghệ tỉnh An Giang" -> "so khoa hoc va cong nghe"."""
    return PLACE_SUFFIX.sub("", _words(body.running_name).strip())


def _article_words(article: Article) -> str:
    clauses = " ".join(f"{c.text} {' '.join(c.points)}" for c in article.clauses)
    return f"{article.title or ''} {article.text} {clauses} {article.closing}"


FOLLOW_UP_SUBJECTS = {
    Decision.Effect.AMENDS: "Về việc sửa đổi, bổ sung Quyết định số {reference}",
    Decision.Effect.REPLACES: "Về việc thay thế Quyết định số {reference}",
    Decision.Effect.REPEALS: "Về việc bãi bỏ Quyết định số {reference}",
}


def follow_up_content(issuer: Organization, earlier: Decision, effect: str) -> DraftContent:
    """A new draft that amends, replaces or repeals the issued decision `earlier`."""
    content = blank_content(issuer)
    content.affects, content.effect = earlier, effect
    content.subject = FOLLOW_UP_SUBJECTS[Decision.Effect(effect)].format(
        reference=earlier.reference
    )
    return content


def blank_content(issuer: Organization, document_type: DocumentType | None = None) -> DraftContent:
    """A new draft: the body's usual shape, to be filled in; of `document_type` if given (one
    the body issues), else an individual decision."""
    offered = doctypes.issued_by(issuer)
    if document_type is None or not offered.filter(pk=document_type.pk).exists():
        document_type = offered.filter(kind="decision", abbreviation="QĐ").first()
    head = issuer.head_title.strip()
    content = DraftContent(
        document_type=document_type or offered.order_by("pk").first(),
        authority=Decision.Authority.INDIVIDUAL,
        authority_line=f"{head} {issuer.one_line_name}".strip() if head else "",
        subject="",
        articles=[Article(), Article(), Article()],
        recipients=[RecipientEntry(text="Như Điều 3"), RecipientEntry(text="Lưu: VT")],
    )
    strategy = doctypes.of(content.document_type)
    if strategy.editor_fields:  # a Công văn, a Kế hoạch …: signed for the body, no articles
        content.authority = Decision.Authority.COLLECTIVE
        content.authority_line = issuer.collective_authority_line
        content.articles = []
        content.recipients = [RecipientEntry(text="Như trên"), RecipientEntry(text="Lưu: VT")]
        content.parts = strategy.blank_parts()
    return content
