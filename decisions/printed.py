"""What the printed page shows: one plain structure for the PDF template.

Built from a stored decision (`selectors.pdf_context`) or from pasted text (`from_parsed`, for
checking the layout of existing decisions). The template adds no punctuation rules of its own:
the ";" and "." of recitals and recipients and the end mark "./." are decided here.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from decisions import numbering
from decisions.content import POINT_LETTERS, Annex, Article
from decisions.models import Organization, kind_and_subject, sentence_case_name
from decisions.signature import (
    SignatureBlock,
    check_consistency,
    signature_lines,
    standard_lines,
    tidy_line,
)

if TYPE_CHECKING:
    from decisions.importer import ImportWarning, ParsedDecision

END_MARK = "./."
NO_SENTENCE_END = (",", ":", "(", "-", "–")  # a text that stops here is not a whole sentence


@dataclass(frozen=True)
class PrintedClause:
    text: str
    points: tuple[str, ...]  # with their letters: "a) …"


@dataclass(frozen=True)
class PrintedArticle:
    number: int
    title: str | None
    paragraphs: tuple[str, ...]
    clauses: tuple[PrintedClause, ...]
    closing: tuple[str, ...]


@dataclass(frozen=True)
class PrintedAnnex:
    heading: str  # "PHỤ LỤC" or "Phụ lục I"
    title: str  # in capitals, as printed
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class PrintedSection:
    """A section of a document without articles (decisions/doctypes/): its heading ("I. MỤC
    ĐÍCH, YÊU CẦU", or "" for plain paragraphs) and its paragraphs, as printed."""

    title: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class PrintedDecision:
    """Everything the print template needs, already in its printed form."""

    parent_name: str
    issuer_lines: tuple[str, ...]
    issuer_name: str  # one line, for metadata and annex references
    symbol: str
    number: int | None  # None: a draft, printed with a blank number
    place: str
    date: datetime.date | None
    title: str
    subject: str
    authority_line: str
    recitals: tuple[str, ...]  # with their final ";" or "."
    articles: tuple[PrintedArticle, ...]
    recipients: tuple[str, ...]  # "- …;" … "- Lưu: VT."
    signature: SignatureBlock
    urgency: str = ""
    confidentiality: str = ""
    drafter_mark: str = ""  # "PL.(300)"
    annexes: tuple[PrintedAnnex, ...] = field(default_factory=tuple)
    reference: str = ""  # "01/QĐ-UBND" once issued
    verification_url: str = ""  # printed with its QR code on issued decisions
    # Rendered for the leader's signature: the number and the date are empty form fields that
    # the văn thư fills at issuance (decisions/signing/pades.py); "01" or "01/2026" goes there.
    form_fields: bool = False
    number_field_sample: str = "0000"
    # The parts of other document types (decisions/doctypes/); a decision has none of them.
    kind: str = "decision"  # its strategy's key: the template and page text follow from it
    issuer_code: str = ""  # for a body's own template (pdf/<kind>_<code>.html)
    addressees: tuple[str, ...] = ()  # "Kính gửi:" entries with their ";" and "."
    sections: tuple[PrintedSection, ...] = ()

    @property
    def subject_under_number(self) -> bool:
        """A Công văn prints its "V/v …" under its number, and no title."""
        from decisions import doctypes

        return doctypes.get(self.kind).grammar == "letter"

    @property
    def pdf_templates(self) -> list[str]:
        from decisions import doctypes

        return doctypes.get(self.kind).pdf_templates(self.issuer_code)

    @property
    def text_template(self) -> str:
        from decisions import doctypes

        return doctypes.get(self.kind).text_template

    @property
    def is_draft(self) -> bool:
        return self.number is None and not self.form_fields

    @property
    def number_text(self) -> str:
        return numbering.format_number(self.number) if self.number is not None else ""

    @property
    def date_line(self) -> str:
        if self.date is None:
            return f"{self.place}, ngày    tháng    năm 20.."
        return numbering.format_date_line(self.place, self.date)

    @property
    def annex_reference(self) -> str:
        """The italic line under an annex title: "(Kèm theo Quyết định số … ngày … của …)"."""
        kind, issuer = self.title.capitalize(), self.issuer_name_sentence
        if self.is_draft or self.date is None:
            return (
                f"(Kèm theo {kind} số      /{self.symbol} ngày    tháng    năm 20.. của {issuer})"
            )
        date = numbering.format_date_line("", self.date).removeprefix(", ")
        return f"(Kèm theo {kind} số {self.reference} {date} của {issuer})"

    @property
    def heading(self) -> str:
        """ "Quyết định về việc …", as running text names it."""
        return kind_and_subject(self.title.capitalize(), self.subject)

    @property
    def issuer_name_sentence(self) -> str:
        return sentence_case_name(self.issuer_name)


def recitals(legal_bases: list[str], proposer: str, enacting: str = "") -> tuple[str, ...]:
    """Each legal basis ends ";", the last recital (the proposer line, or the enacting
    sentence of the 2025 form, if any) ends "."."""
    lines = [_strip_end(basis) for basis in legal_bases if basis.strip()]
    lines += [_strip_end(text) for text in (proposer, enacting) if text.strip()]
    return tuple(f"{line};" for line in lines[:-1]) + tuple(f"{line}." for line in lines[-1:])


def recipient_lines(entries: list[str]) -> tuple[str, ...]:
    """ "- …;" for each entry and "- …." for the last (the archive copy)."""
    texts = [_strip_end(entry) for entry in entries if entry.strip()]
    return tuple(f"- {text};" for text in texts[:-1]) + tuple(f"- {text}." for text in texts[-1:])


def articles(items: list[Article], *, end_mark: bool = True) -> tuple[PrintedArticle, ...]:
    """Number the articles, letter the points, and end the last article with "./." (unless
    `end_mark` is off: a text cut off mid-sentence is not closed as if it were whole)."""
    printed = []
    for number, article in enumerate(items, start=1):
        printed.append(
            PrintedArticle(
                number=number,
                title=(article.title or "").strip() or None,
                paragraphs=_paragraphs(article.text),
                clauses=tuple(
                    PrintedClause(
                        text=tidy_end(clause.text),
                        points=tuple(
                            f"{POINT_LETTERS[index]}) {tidy_end(point)}"
                            for index, point in enumerate(clause.points)
                        ),
                    )
                    for clause in article.clauses
                ),
                closing=_paragraphs(article.closing),
            )
        )
    if printed and end_mark:
        printed[-1] = _with_end_mark(printed[-1])
    return tuple(printed)


def _mark(text: str) -> str:
    text = text.rstrip()
    if text.endswith(END_MARK) or text.endswith(NO_SENTENCE_END):
        return text  # already closed, or cut off mid-sentence (the editor warns)
    return text.rstrip(".;,") + END_MARK


def addressee_lines(entries: list[str]) -> tuple[str, ...]:
    """ "Kính gửi:" entries: one is printed on the line ("Sở Tài chính."), several as a list
    ("- …;" and "- …." for the last)."""
    texts = [_strip_end(entry) for entry in entries if entry.strip()]
    if len(texts) == 1:
        return (f"{texts[0]}.",)
    return recipient_lines(texts)


def sections(items: list[dict[str, Any]], *, end_mark: bool = True) -> tuple[PrintedSection, ...]:
    """Titled sections and their paragraphs; the last paragraph ends with "./."."""
    printed = [
        PrintedSection(
            title=" ".join(str(item.get("title") or "").split()),
            paragraphs=tuple(
                tidy_end(str(text)) for text in item.get("paragraphs", []) if str(text).strip()
            ),
        )
        for item in items
    ]
    printed = [section for section in printed if section.title or section.paragraphs]
    closed = any(text.endswith(END_MARK) for section in printed for text in section.paragraphs)
    if printed and printed[-1].paragraphs and end_mark and not closed:
        last = printed[-1]
        printed[-1] = PrintedSection(
            last.title, (*last.paragraphs[:-1], _mark(last.paragraphs[-1]))
        )
    return tuple(printed)


def _with_end_mark(article: PrintedArticle) -> PrintedArticle:
    mark = _mark

    if article.closing:
        return _replace(article, closing=(*article.closing[:-1], mark(article.closing[-1])))
    if article.clauses:
        last = article.clauses[-1]
        if last.points:
            clause = PrintedClause(last.text, (*last.points[:-1], mark(last.points[-1])))
        else:
            clause = PrintedClause(mark(last.text), last.points)
        return _replace(article, clauses=(*article.clauses[:-1], clause))
    if article.paragraphs:
        return _replace(
            article, paragraphs=(*article.paragraphs[:-1], mark(article.paragraphs[-1]))
        )
    return article


def _replace(article: PrintedArticle, **changes: object) -> PrintedArticle:
    return replace(article, **changes)  # type: ignore[arg-type]


def _paragraphs(text: str) -> tuple[str, ...]:
    return tuple(tidy_end(line) for line in text.splitlines() if line.strip())


# A run of end punctuation typed twice or mixed (";;", "..", ";.", ". ;"), but not an ellipsis
# ("...") nor the end mark "./.".
_DOUBLED_END = re.compile(r"(?<![./])\s*([;,.:])(?:\s*[;,.:])+$")


def tidy_end(text: str) -> str:
    """The drafter's text with its end punctuation typed once: "…;;" -> "…;", "…;." -> "…."
    (the last mark typed wins). One place for the page and the PDF alike."""
    text = " ".join(text.split())
    if text.endswith(("...", END_MARK)):
        return text
    return _DOUBLED_END.sub(lambda match: match.group(0).strip()[-1], text)


def _strip_end(text: str) -> str:
    return " ".join(text.split()).rstrip(";,.").rstrip()


ROMAN = [
    "I",
    "II",
    "III",
    "IV",
    "V",
    "VI",
    "VII",
    "VIII",
    "IX",
    "X",
    "XI",
    "XII",
    "XIII",
    "XIV",
    "XV",
]


def annex_headings(count: int) -> list[str]:
    """One annex: "PHỤ LỤC"; several: "Phụ lục I", "Phụ lục II", … (NĐ 30, Phụ lục I, III.1)."""
    if count == 1:
        return ["PHỤ LỤC"]
    return [
        f"Phụ lục {ROMAN[index] if index < len(ROMAN) else index + 1}" for index in range(count)
    ]


def annexes(items: list[Annex]) -> tuple[PrintedAnnex, ...]:
    headings = annex_headings(len(items))
    return tuple(
        PrintedAnnex(
            heading=heading, title=tidy_end(annex.title).upper(), paragraphs=_paragraphs(annex.text)
        )
        for heading, annex in zip(headings, items, strict=True)
    )


def drafter_mark(initials: str, copies: int | None) -> str:
    """Ký hiệu người soạn thảo and số lượng bản: "PL.(300)" (NĐ 30, Phụ lục I, III.3)."""
    initials = initials.strip().rstrip(".")
    if not initials:
        return ""
    return f"{initials}.({copies})" if copies else initials


def issuer_from_text(parsed: ParsedDecision) -> Organization:
    """An unsaved body as the text names it (its header, or its authority line and place),
    so that any decision prints with its own header on an empty database."""
    symbol = parsed.symbol or ""
    return Organization(
        code="",
        name="\n".join(parsed.issuer_lines) or "ỦY BAN NHÂN DÂN",
        parent_name=parsed.parent_name,
        abbreviation=symbol.rsplit("-", 1)[-1] if "-" in symbol else "UBND",
        place_name=parsed.place or "",
        collective_name="ỦY BAN NHÂN DÂN",
        head_title="CHỦ TỊCH",
    )


def from_parsed(
    parsed: ParsedDecision, *, issuer: Organization | None = None, as_issued: bool
) -> tuple[PrintedDecision, list[ImportWarning]]:
    """What pasted text prints, for checking the layout of an existing decision, and what
    the user should know about it (the text's own warnings, then the printer's).

    The issuer is the one the text names unless `issuer` is chosen (then a different name or
    place in the text is a warning). With `as_issued`, the text must carry its number and
    date; its signature block prints as the text printed it, spacing aside. A draft prints the
    block in NĐ 30's form, checked against the authority line. A missing or partial block is a
    warning, never a refusal. Raises ValidationError.
    """
    from decisions.importer import ImportWarning, document_type_for, issuer_warnings

    warnings = list(parsed.warnings)
    if issuer is None:
        if not parsed.names_issuer:
            raise ValidationError(
                _("Cannot tell the issuer from the authority line “%(line)s”: give --issuer CODE.")
                % {"line": parsed.authority_line}
            )
        issuer = issuer_from_text(parsed)
    else:
        warnings += issuer_warnings(parsed, issuer)
    if as_issued:
        missing = [
            label
            for label, value in ((_("the number"), parsed.number), (_("the date"), parsed.date))
            if not value
        ]
        if missing:
            raise ValidationError(
                _("To print it as issued, the text needs %(missing)s.")
                % {"missing": ", ".join(str(label) for label in missing)}
            )
    from decisions import doctypes

    strategy = doctypes.get(parsed.kind)
    symbol = parsed.symbol
    if not symbol:
        document_type = document_type_for(parsed.doc_type, configured_only=False, kind=parsed.kind)
        symbol = strategy.symbol(document_type, issuer.abbreviation, parsed.parts)
    symbol = numbering.symbol_with_year(symbol, parsed.number_year)
    read = parsed.signature
    complete = bool(read and read.capacity_lines and read.name)
    if as_issued and read and read.capacity_lines:
        lines = tuple(tidy_line(line) for line in read.capacity_lines)
        try:
            check_consistency(
                authority_line=parsed.authority_line,
                lines=standard_lines(lines, issuer=issuer),
                issuer=issuer,
            )
        except ValidationError as error:
            warnings.append(ImportWarning("signature_mismatch", 0, " ".join(error.messages)))
        block = SignatureBlock(lines, read.name or "")
    elif complete and read:
        lines = standard_lines(read.capacity_lines, issuer=issuer)
        check_consistency(authority_line=parsed.authority_line, lines=lines, issuer=issuer)
        block = SignatureBlock(lines, read.name or "")
    else:
        authority = issuer.authority_of(parsed.authority_line)
        block = SignatureBlock(
            signature_lines(
                authority=authority, issuer=issuer, signer_is_head=True, signer_title=""
            )
        )
    number = parsed.number if as_issued else None
    doc = PrintedDecision(
        parent_name=issuer.parent_name,
        issuer_lines=tuple(issuer.name_lines),
        issuer_name=issuer.one_line_name,
        symbol=symbol,
        number=number,
        place=parsed.place or issuer.place_name,
        date=parsed.date if as_issued else None,
        title=parsed.doc_type,
        subject=parsed.subject,
        authority_line=parsed.authority_line,
        recitals=recitals(parsed.legal_bases, parsed.proposer or "", parsed.enacting or ""),
        articles=articles(parsed.articles, end_mark=parsed.ends_sentence),
        recipients=recipient_lines(parsed.recipients),
        signature=block,
        reference=f"{numbering.format_number(number)}/{symbol}" if number else "",
        issuer_code=issuer.code,
    )
    return strategy.print(doc, parsed.parts, end_mark=parsed.ends_sentence), warnings


def from_content(content: Any, *, issuer: Any) -> PrintedDecision:
    """An unsaved draft as printed (the editor's live preview): blank number and date, the
    head's signature form for its authority, unnamed."""
    from decisions import doctypes

    strategy = doctypes.of(content.document_type)
    block = SignatureBlock(
        signature_lines(
            authority=content.authority, issuer=issuer, signer_is_head=True, signer_title=""
        ),
        "",
    )
    doc = PrintedDecision(
        parent_name=issuer.parent_name,
        issuer_lines=tuple(issuer.name_lines),
        issuer_name=issuer.one_line_name,
        symbol=numbering.symbol_with_year(
            strategy.symbol(content.document_type, issuer.abbreviation, content.parts),
            content.number_year,
        ),
        number=None,
        place=issuer.place_name,
        date=None,
        title=content.document_type.printed_title,
        subject=content.subject,
        authority_line=content.authority_line,
        recitals=recitals(content.legal_bases, content.proposer),
        articles=articles(content.articles),
        recipients=recipient_lines([entry.text for entry in content.recipients]),
        signature=block,
        urgency=content.urgency,
        confidentiality=content.confidentiality,
        drafter_mark=drafter_mark(content.drafter_initials, content.copies),
        annexes=annexes(content.annexes),
        issuer_code=issuer.code,
    )
    return strategy.print(doc, content.parts)
