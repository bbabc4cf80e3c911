"""Read the pasted text of an existing decision into structured parts.

Pasted texts are untidy: markdown bold marks, stray blank lines, a missing final ".", "ngày 2"
without its leading zero, the proposer line ending in "," (older texts). This parser accepts
them and keeps the source's wording and case; only list punctuation is dropped.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from decisions.content import POINT_LETTERS, Article, Clause

# Titles of document types (NĐ 30/2020/NĐ-CP, Phụ lục III) that this parser recognises.
DOCUMENT_TITLES = (
    "QUYẾT ĐỊNH",
    "NGHỊ QUYẾT",
    "CHỈ THỊ",
    "QUY CHẾ",
    "QUY ĐỊNH",
    "KẾ HOẠCH",
    "THÔNG BÁO",
    "HƯỚNG DẪN",
    "CHƯƠNG TRÌNH",
    "PHƯƠNG ÁN",
    "ĐỀ ÁN",
)
# How an authority line begins (the collective body or the title of its head).
AUTHORITY_STARTS = (
    "CHỦ TỊCH",
    "ỦY BAN",
    "UỶ BAN",
    "HỘI ĐỒNG",
    "GIÁM ĐỐC",
    "BỘ TRƯỞNG",
    "THỦ TƯỚNG",
    "TRƯỞNG BAN",
    "CHÁNH VĂN PHÒNG",
    "TM.",
)
NUMBER_LINE = re.compile(
    r"Số\s*:?\s*(?P<number>\d+)?\s*/\s*(?:(?P<year>\d{4})\s*/\s*)?(?P<symbol>[^\s/]+(?:-[^\s/]+)*)",
)
DATE_LINE = re.compile(
    r"(?P<place>[^,]*?)\s*,\s*ngày\s+(?P<day>\d{1,2})\s+tháng\s+(?P<month>\d{1,2})\s+năm\s+"
    r"(?P<year>\d{4})",
    re.IGNORECASE,
)
DRAFT_DATE_LINE = re.compile(r"(?P<place>[^,]*?)\s*,\s*ngày\b.*\btháng\b.*\bnăm\b", re.IGNORECASE)
LEGAL_BASIS = re.compile(r"^Căn\s+cứ\b", re.IGNORECASE)
PROPOSER = re.compile(r"^(Theo|Xét)\s+đề\s+nghị\b", re.IGNORECASE)
ARTICLE = re.compile(r"^Điều\s+(?P<number>\d+)\s*[.:]?\s*(?P<rest>.*)$")
CLAUSE = re.compile(r"^(?P<number>\d{1,3})\s*[.)]\s+(?P<text>\S.*)$")
POINT = re.compile(r"^(?P<letter>[a-zđ])\s*\)\s*(?P<text>\S.*)$")
RECIPIENTS = re.compile(r"^Nơi\s+nhận\s*:?\s*(?P<rest>.*)$", re.IGNORECASE)
LIST_ITEM = re.compile(r"^[-–—+•*]\s*")
SIGNING_NOTE = re.compile(r"^\((đã\s+ký|ký[^)]*)\)$|^\[.*\]$", re.IGNORECASE)
MARKDOWN = re.compile(r"\*\*|__|(?<!\w)\*(?=\S)|(?<=\S)\*(?!\w)")
MAX_INPUT_BYTES = 2 * 1024 * 1024


class ParseError(ValueError):
    """The text cannot be read as a decision; `line` is 1-based in the source (0: whole text)."""

    def __init__(self, message: str, line: int = 0) -> None:
        self.message = message
        self.line = line
        super().__init__(str(self))

    def __str__(self) -> str:
        if self.line:
            return _("Line %(line)d: %(message)s") % {"line": self.line, "message": self.message}
        return self.message


@dataclass
class Line:
    number: int  # 1-based, in the source
    text: str


@dataclass
class ParsedSignature:
    capacity_lines: list[str]
    name: str | None


@dataclass
class ParsedDecision:
    """What the pasted text says; absent parts are None."""

    doc_type: str
    subject: str
    authority_line: str
    legal_bases: list[str]
    proposer: str | None
    articles: list[Article]
    recipients: list[str]
    number: int | None = None
    number_year: int | None = None
    symbol: str | None = None
    place: str | None = None
    date: datetime.date | None = None
    signature: ParsedSignature | None = None
    header_lines: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        """The documented JSON shape of `import_decision --json`."""
        return {
            "number": self.number,
            "symbol": self.symbol,
            "place": self.place,
            "date": self.date.isoformat() if self.date else None,
            "doc_type": self.doc_type,
            "subject": self.subject,
            "authority_line": self.authority_line,
            "legal_bases": self.legal_bases,
            "proposer": self.proposer,
            "articles": [
                {
                    "number": number,
                    "title": article.title,
                    "text": "\n".join(p for p in (article.text, article.closing) if p) or None,
                    "clauses": [
                        "\n".join(
                            [clause.text]
                            + [
                                f"{POINT_LETTERS[i]}) {point}"
                                for i, point in enumerate(clause.points)
                            ]
                        )
                        for clause in article.clauses
                    ],
                }
                for number, article in enumerate(self.articles, start=1)
            ],
            "recipients": self.recipients,
            "signature": (
                {"capacity_lines": self.signature.capacity_lines, "name": self.signature.name}
                if self.signature
                else None
            ),
        }


def decode(data: bytes) -> str:
    """Decode an uploaded or read file as UTF-8 text, refusing binary content."""
    if len(data) > MAX_INPUT_BYTES:
        raise ParseError(_("The file is too large to be the text of a decision."))
    if b"\x00" in data:
        raise ParseError(_("This is not a text file (it contains binary data)."))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ParseError(_("This is not UTF-8 text."), line) from error


def parse_decision_text(text: str) -> ParsedDecision:
    """Parse pasted decision text. Raises ParseError naming the line it could not read."""
    lines = _clean_lines(text)
    if not lines:
        raise ParseError(_("The text is empty."))
    for line in lines:
        if any(ord(ch) < 32 and ch not in "\t" for ch in line.text):
            raise ParseError(_("The text contains control characters."), line.number)
    return _Parser(lines).parse()


def _clean_lines(text: str) -> list[Line]:
    cleaned = []
    for number, raw in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), 1):
        line = MARKDOWN.sub("", raw.replace("\u00a0", " ").replace("\\", ""))
        line = re.sub(r"^#+\s+", "", line.strip())
        line = re.sub(r"[ \t]+", " ", line).strip()
        if line:
            cleaned.append(Line(number, line))
    return cleaned


def _is_decides(text: str) -> bool:
    """The line "QUYẾT ĐỊNH:" that ends the recitals."""
    return text.endswith(":") and text[:-1].strip().upper() in DOCUMENT_TITLES and _is_caps(text)


def _is_caps(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and all(ch.isupper() for ch in letters)


def _strip_list_punctuation(text: str) -> str:
    return text.strip().rstrip(";,").strip()


class _Parser:
    def __init__(self, lines: list[Line]) -> None:
        self.lines = lines
        self.pos = 0

    def parse(self) -> ParsedDecision:
        title_index = self._find_title()
        header = self.lines[:title_index]
        number, number_year, symbol = self._number(header)
        place, date = self._place_and_date(header)
        doc_type = self.lines[title_index].text.upper()
        self.pos = title_index + 1

        preamble_end = self._find(
            lambda t: bool(
                LEGAL_BASIS.match(t) or PROPOSER.match(t) or _is_decides(t) or ARTICLE.match(t)
            )
        )
        subject, authority_line = self._subject_and_authority(title_index + 1, preamble_end)
        self.pos = preamble_end
        legal_bases, proposer = self._recitals()
        articles = self._articles()
        recipients, signature = self._closing()
        return ParsedDecision(
            doc_type=doc_type,
            subject=subject,
            authority_line=authority_line,
            legal_bases=legal_bases,
            proposer=proposer,
            articles=articles,
            recipients=recipients,
            number=number,
            number_year=number_year,
            symbol=symbol,
            place=place,
            date=date,
            signature=signature,
            header_lines=[line.text for line in header],
        )

    # --- helpers ---------------------------------------------------------------

    def _find(self, predicate: Any, start: int | None = None) -> int:
        for index in range(self.pos if start is None else start, len(self.lines)):
            if predicate(self.lines[index].text):
                return index
        return len(self.lines)

    def _error_line(self, index: int) -> int:
        if index < len(self.lines):
            return self.lines[index].number
        return self.lines[-1].number

    # --- header ------------------------------------------------------------------

    def _find_title(self) -> int:
        for index, line in enumerate(self.lines):
            if line.text.upper() in DOCUMENT_TITLES and _is_caps(line.text):
                return index
        if not any(ARTICLE.match(line.text) for line in self.lines):
            raise ParseError(
                _("No article (“Điều 1.”) was found: this does not look like a decision."),
                self.lines[0].number,
            )
        raise ParseError(
            _(
                "The document type title (e.g. “QUYẾT ĐỊNH”) was not found before the first "
                "article."
            ),
            self.lines[0].number,
        )

    def _number(self, header: list[Line]) -> tuple[int | None, int | None, str | None]:
        for line in header:
            match = NUMBER_LINE.search(line.text)
            if match and line.text.lstrip().startswith("Số"):
                number = int(match["number"]) if match["number"] else None
                year = int(match["year"]) if match["year"] else None
                return number, year, match["symbol"].rstrip(".,;")
        return None, None, None

    def _place_and_date(self, header: list[Line]) -> tuple[str | None, datetime.date | None]:
        for line in header:
            match = DATE_LINE.search(line.text)
            if match:
                place = self._place(match["place"])
                try:
                    day = datetime.date(int(match["year"]), int(match["month"]), int(match["day"]))
                except ValueError as error:
                    raise ParseError(_("The date is not a real date."), line.number) from error
                return place, day
            draft = DRAFT_DATE_LINE.search(line.text)
            if draft:
                return self._place(draft["place"]), None
        return None, None

    @staticmethod
    def _place(text: str) -> str | None:
        # On a pasted two-column header, "Số: 93/QĐ-UBND Giồng Riềng" can share one line.
        text = NUMBER_LINE.sub("", text).strip(" ,")
        return text or None

    def _subject_and_authority(self, start: int, end: int) -> tuple[str, str]:
        block = self.lines[start:end]
        if not block:
            raise ParseError(
                _("The subject (trích yếu) is missing under the title."), self._error_line(start)
            )
        authority_from = len(block)
        for index in range(1, len(block)):
            text = block[index].text
            if _is_caps(text) and text.upper().startswith(AUTHORITY_STARTS):
                authority_from = index
                break
        else:
            # No recognised authority start: the caps lines at the end, if the subject
            # is not itself in capitals.
            if len(block) > 1 and _is_caps(block[-1].text):
                authority_from = len(block) - 1
        subject = " ".join(line.text for line in block[:authority_from])
        authority = " ".join(line.text for line in block[authority_from:])
        if not authority:
            raise ParseError(
                _(
                    "The authority line (e.g. “ỦY BAN NHÂN DÂN TỈNH …”) is missing above the "
                    "legal bases."
                ),
                self._error_line(end),
            )
        return subject, authority

    # --- recitals ------------------------------------------------------------------

    def _recitals(self) -> tuple[list[str], str | None]:
        bases: list[str] = []
        proposer: str | None = None
        while self.pos < len(self.lines):
            text = self.lines[self.pos].text
            if ARTICLE.match(text):
                break
            if _is_decides(text):
                self.pos += 1
                break
            if LEGAL_BASIS.match(text):
                bases.append(text)
            elif PROPOSER.match(text):
                proposer = text
            elif proposer is not None:
                proposer = f"{proposer} {text}"
            elif bases:
                bases[-1] = f"{bases[-1]} {text}"
            else:
                raise ParseError(
                    _("Unexpected text before the legal bases."), self.lines[self.pos].number
                )
            self.pos += 1
        clean = [_strip_list_punctuation(basis).rstrip(".").strip() for basis in bases]
        if proposer is not None:
            proposer = _strip_list_punctuation(proposer).rstrip(".").strip()
        return clean, proposer

    # --- articles ------------------------------------------------------------------

    def _articles(self) -> list[Article]:
        articles: list[Article] = []
        while self.pos < len(self.lines):
            line = self.lines[self.pos]
            if RECIPIENTS.match(line.text) or self._starts_signature(self.pos):
                break
            match = ARTICLE.match(line.text)
            if match:
                expected = len(articles) + 1
                if int(match["number"]) != expected:
                    raise ParseError(
                        _("Expected Điều %(expected)d here, found Điều %(found)s.")
                        % {"expected": expected, "found": match["number"]},
                        line.number,
                    )
                articles.append(self._article_head(match["rest"]))
            elif not articles:
                raise ParseError(_("Expected “Điều 1.” here."), line.number)
            else:
                self._article_line(articles[-1], line.text)
            self.pos += 1
        if not articles:
            raise ParseError(
                _("No article (“Điều 1.”) was found: this does not look like a decision."),
                self._error_line(self.pos),
            )
        return articles

    def _article_head(self, rest: str) -> Article:
        rest = rest.strip()
        next_line = self.lines[self.pos + 1].text if self.pos + 1 < len(self.lines) else ""
        is_title = (
            rest
            and rest[-1] not in ".:;,!?)"
            and len(rest) <= 200
            and next_line
            and not ARTICLE.match(next_line)
            and not RECIPIENTS.match(next_line)
        )
        if is_title:
            return Article(title=rest)
        return Article(text=rest)

    @staticmethod
    def _article_line(article: Article, text: str) -> None:
        clause = CLAUSE.match(text)
        if clause and int(clause["number"]) == len(article.clauses) + 1:
            article.clauses.append(Clause(text=clause["text"]))
            return
        point = POINT.match(text)
        if point and article.clauses:
            article.clauses[-1].points.append(point["text"])
            return
        if article.clauses:
            article.closing = f"{article.closing}\n{text}" if article.closing else text
        else:
            article.text = f"{article.text}\n{text}" if article.text else text

    # --- recipients and signature ---------------------------------------------------------

    def _starts_signature(self, index: int) -> bool:
        text = self.lines[index].text
        return _is_caps(text) and not LIST_ITEM.match(text) and not ARTICLE.match(text)

    def _closing(self) -> tuple[list[str], ParsedSignature | None]:
        recipients: list[str] = []
        capacity: list[str] = []
        name: str | None = None
        in_recipients = False
        while self.pos < len(self.lines):
            line = self.lines[self.pos]
            text = line.text
            self.pos += 1
            match = RECIPIENTS.match(text)
            if match:
                in_recipients = True
                text = match["rest"].strip()
                if not text:
                    continue
            if SIGNING_NOTE.match(text):
                continue
            if LIST_ITEM.match(text) and in_recipients:
                entry = _strip_list_punctuation(LIST_ITEM.sub("", text))
                entry = (
                    entry[:-1].rstrip()
                    if entry.endswith(".") and not entry.endswith("./.")
                    else entry
                )
                recipients.append(entry)
            elif _is_caps(text) and name is None:
                capacity.append(text)
            elif capacity and name is None:
                name = text
            elif in_recipients and recipients and not capacity:
                recipients[-1] = f"{recipients[-1]} {text}"
            else:
                raise ParseError(_("Unexpected text after the articles."), line.number)
        signature = ParsedSignature(capacity, name) if capacity or name else None
        return recipients, signature


def document_type_for(title: str) -> Any:
    """The configured DocumentType printed as `title` ("QUYẾT ĐỊNH"); ParseError if none."""
    from decisions.models import DocumentType

    for document_type in DocumentType.objects.all():
        if document_type.printed_title == title:
            return document_type
    raise ParseError(_("The document type “%(type)s” is not configured.") % {"type": title})


def to_draft_content(parsed: ParsedDecision, *, issuer: Any) -> Any:
    """Turn a parsed text into draft content for `issuer` (an Organization).

    The authority kind follows from the authority line: "CHỦ TỊCH …" is the chair's own
    authority, the body's name is the collective one.
    """
    from decisions.content import DraftContent, RecipientEntry

    document_type = document_type_for(parsed.doc_type)
    return DraftContent(
        document_type=document_type,
        authority=issuer.authority_of(parsed.authority_line),
        authority_line=parsed.authority_line,
        subject=parsed.subject,
        legal_bases=parsed.legal_bases,
        proposer=parsed.proposer or "",
        articles=parsed.articles,
        recipients=[RecipientEntry(text=text) for text in parsed.recipients],
    )
