"""Read the pasted text of an existing decision into structured parts.

Pasted texts are untidy: markdown bold marks, stray blank lines, a missing final ".", "ngày 2"
without its leading zero, the proposer line ending in "," (older texts). This parser accepts
them and keeps the source's wording and case; only list punctuation is dropped.
"""

from __future__ import annotations

import datetime
import itertools
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from decisions import signature as signature_forms
from decisions.content import POINT_LETTERS, Article, Clause
from decisions.models import is_archive_entry

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
LEGAL_BASIS = re.compile(r"^(?:[-–•+]\s*)?(?:Căn\s+cứ|Thực\s+hiện)\b", re.IGNORECASE)
# "Quyết định 435/QĐ-UBND năm 2020. " that a legal-text site puts before headings.
CRAWLER_PREFIX = re.compile(r"^(?:Quyết định|Nghị quyết|Chỉ thị) \d+/\S+ năm \d{4}\.\s+")
PROPOSER = re.compile(r"^(?:[-–•+]\s*)?(Theo|Xét)\s+đề\s+nghị\b", re.IGNORECASE)
# The enacting sentence that ends the recitals of decisions made under the 2025 law on legal
# documents, in place of the authority line and "QUYẾT ĐỊNH:" ("Ủy ban nhân dân tỉnh Lai Châu
# ban hành Quyết định …").
ENACTING = re.compile(r"\bban\s+hành\s+(?:Quyết\s+định|Nghị\s+quyết|Chỉ\s+thị)\b")
ARTICLE = re.compile(r"^Điều\s+(?P<number>\d+)\s*[.:]?\s*(?P<rest>.*)$")
CLAUSE = re.compile(r"^(?P<number>\d{1,3})\s*[.)]\s+(?P<text>\S.*)$")
POINT = re.compile(r"^(?P<letter>[a-zđ])\s*\)\s*(?P<text>\S.*)$")
RECIPIENTS = re.compile(r"^Nơi\s+nhận\s*:?\s*(?P<rest>.*)$", re.IGNORECASE)
LIST_ITEM = re.compile(r"^[-–—+•*]\s*")
SIGNING_NOTE = re.compile(r"^\((đã\s+ký|ký[^)]*)\)$|^\[.*\]$", re.IGNORECASE)
MARKDOWN = re.compile(r"\*\*|__|(?<!\w)\*(?=\S)|(?<=\S)\*(?!\w)")
MAX_INPUT_BYTES = 2 * 1024 * 1024
# Characters that PDF copies and some editors leave in text and that print nothing: soft
# hyphen, zero-width space/joiners, word joiner, byte order mark.
INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))
NATION = re.compile(
    r"C[ỘO]NG\s+H(?:ÒA|OÀ|OA)\s+X[ÃA]\s+H[ỘO]I\s+CH[ỦU]\s+NGH[ĨI]A\s+VI[ỆE]T\s+NAM", re.I
)
MOTTO = re.compile(r"Độc\s+lập\s*[-–—]\s*Tự\s+do\s*[-–—]\s*Hạnh\s+phúc", re.I)
SEPARATOR = re.compile(r"^[\s\-_=–—.*~|]*$")
# A line of the header that begins an issuing body (the lines above it name its parent).
BODY_STARTS = ("ỦY BAN", "UỶ BAN", "UBND", "HỘI ĐỒNG", "SỞ ", "VĂN PHÒNG", "BAN ", "CHỦ TỊCH")
COMMITTEE = re.compile(
    r"^(?:CHỦ\s+TỊCH\s+)?(?:(?:Ủ|U)[YỶ]\s+BAN\s+NHÂN\s+DÂN|UBND)\b\s*(?P<rest>.*)$"
)
LEVEL_WORDS = (
    *("TỈNH", "THÀNH PHỐ", "HUYỆN", "QUẬN", "THỊ XÃ"),
    *("XÃ", "PHƯỜNG", "THỊ TRẤN", "ĐẶC KHU"),
)
VIETNAMESE_MARKED = frozenset("àáảãạăắằẳẵặâấầẩẫậèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵđ")
# Units and abbreviations that mix small letters and capitals on purpose.
GLUED_ALLOWED = frozenset(
    "kW kWh kVA kWp MW MWh MWp GWh pH ThS VNeID TTr CTr QyĐ TTg".split()  # noqa: SIM905
)
SENTENCE_END = re.compile(r"(\./\.|[.!?…)\]\"”»])$")


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


@dataclass(frozen=True)
class ImportWarning:
    """Something the reader of an imported text should check: `line` is 1-based (0: the whole
    text); `message` is in Vietnamese."""

    code: str
    line: int
    message: str

    def as_json(self) -> dict[str, Any]:
        return {"code": self.code, "line": self.line, "message": self.message}

    def __str__(self) -> str:
        if self.line:
            return _("Line %(line)d: %(message)s") % {"line": self.line, "message": self.message}
        return self.message


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
    enacting: str | None = None
    number: int | None = None
    number_year: int | None = None
    symbol: str | None = None
    place: str | None = None
    date: datetime.date | None = None
    signature: ParsedSignature | None = None
    header_lines: list[str] = field(default_factory=list)
    # The issuing body as the header prints it, or as derived from the authority line and the
    # place when the text has no header: ["ỦY BAN NHÂN DÂN", "TỈNH VĨNH LONG"].
    parent_name: str = ""
    issuer_lines: list[str] = field(default_factory=list)
    issuer_from_header: bool = False
    # False when the last article stops mid-sentence and nothing follows it (a cut text):
    # then no end mark "./." is printed.
    ends_sentence: bool = True
    warnings: list[ImportWarning] = field(default_factory=list)
    # Its document kind (decisions/doctypes/) and the parts of that kind a decision has not
    # (a Công văn's "addressees", a titled text's "sections").
    kind: str = "decision"
    parts: dict[str, Any] = field(default_factory=dict)

    @property
    def issuer_name(self) -> str:
        return " ".join(self.issuer_lines)

    @property
    def names_issuer(self) -> bool:
        """Whether the text says which body issued it (not only "ỦY BAN NHÂN DÂN TỈNH")."""
        last = self.issuer_lines[-1] if self.issuer_lines else ""
        return bool(last) and last not in LEVEL_WORDS and last != "ỦY BAN NHÂN DÂN"

    @property
    def reference(self) -> str:
        """ "93/QĐ-UBND", "18/2009/QĐ-UBND", or "" when the text has no number."""
        if self.number is None or not self.symbol:
            return ""
        year = f"{self.number_year}/" if self.number_year else ""
        return f"{self.number:02d}/{year}{self.symbol}"

    def as_json(self) -> dict[str, Any]:
        """The documented JSON shape of `import_decision --json`. Other kinds than a decision
        add "kind" and their parts ("addressees": a Công văn's "Kính gửi" entries; "sections")."""
        data = self._decision_json()
        if self.kind != "decision":
            data["kind"] = self.kind
            data.update(self.parts)
        return data

    def _decision_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "number_year": self.number_year,
            "symbol": self.symbol,
            "issuer": {
                "parent": self.parent_name or None,
                "lines": self.issuer_lines,
                "from_header": self.issuer_from_header,
            },
            "place": self.place,
            "date": self.date.isoformat() if self.date else None,
            "doc_type": self.doc_type,
            "subject": self.subject,
            "authority_line": self.authority_line,
            "legal_bases": self.legal_bases,
            "proposer": self.proposer,
            "enacting": self.enacting,
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
            "warnings": [warning.as_json() for warning in self.warnings],
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


def normalise(text: str) -> str:
    """NFC (decomposed text from PDF copies and macOS), without invisible characters."""
    return unicodedata.normalize("NFC", text).translate(INVISIBLE)


def parse_decision_text(text: str) -> ParsedDecision:
    """Parse pasted decision text. Raises ParseError naming the line it could not read;
    what it can read but the user should check is in `warnings`."""
    lines = _clean_lines(normalise(text))
    if not lines:
        raise ParseError(_("The text is empty."))
    for line in lines:
        if any(ord(ch) < 32 and ch not in "\t" for ch in line.text):
            raise ParseError(_("The text contains control characters."), line.number)
    from decisions import doctypes

    parsed = doctypes.detect(lines).parse(lines)
    if parsed.kind == "decision" and parsed.number_year:
        parsed.kind = "normative_decision"  # "89/2025/QĐ-UBND": numbered with its year
    return parsed


def _clean_lines(text: str) -> list[Line]:
    raw_lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    cleaned: list[Line] = []
    open_marks = False  # inside a markdown emphasis that a hard line break cut in two
    for number, raw in enumerate(raw_lines, 1):
        raw = raw.replace("\u00a0", " ").replace("\\", "").strip()
        if raw == "|":  # the cell borders of a pasted table
            continue
        # "* (Chi tiết …)*": an emphasis whose opening star a space follows
        raw = re.sub(r"^\*\s+(\S.*\S)\*$", r"\1", raw)
        line = MARKDOWN.sub("", raw)
        line = re.sub(r"^#+\s+", "", line.strip())
        line = CRAWLER_PREFIX.sub("", re.sub(r"[ \t]+", " ", line).strip())
        if not line.strip("* "):  # empty, or an empty emphasis ("* *") of a pasted page
            continue
        if cleaned and (open_marks or _continues(cleaned[-1].text, line)):
            cleaned[-1] = Line(cleaned[-1].number, f"{cleaned[-1].text} {line}")
        else:
            cleaned.extend(Line(number, part) for part in _split_run_together(line))
        if _odd_marks(raw):
            open_marks = not open_marks
    return cleaned


def _odd_marks(raw: str) -> bool:
    """An emphasis opened and not closed on this line ("*Căn cứ Luật Tổ chức")."""
    return raw.count("**") % 2 == 1 or raw.replace("**", "").count("*") % 2 == 1


def _continues(previous: str, line: str) -> bool:
    """A hard line break inside a sentence (texts copied from PDFs): the line starts with a
    small letter and is no point "a)" or list item, or the previous line ended mid-word."""
    if previous.endswith((".", ":", ";")) or POINT.match(line) or LIST_ITEM.match(line):
        return False
    if RECIPIENTS.match(previous) or _is_capacity(previous):
        return False
    return line[0].islower()


def _split_run_together(line: str) -> list[str]:
    """A header run together on one line by a crawler: "Số: 435/QĐ-UBND Kon Tum, ngày 04
    tháng 5 năm 2020 QUYẾT ĐỊNH V/V … ỦY BAN NHÂN DÂN TỈNH KON TUM" -> its four lines."""
    date = DATE_LINE.search(line)
    if date is None or not line[date.end() :].strip():
        return [line]
    rest = line[date.end() :].strip()
    title = next((t for t in DOCUMENT_TITLES if rest.startswith(f"{t} ")), None)
    if title is None:
        return [line]
    parts = [line[: date.end()].strip(), title]
    rest = rest[len(title) :].strip()
    authority = re.search(r"\s((?:CHỦ TỊCH )?(?:ỦY|UỶ) BAN NHÂN DÂN[^a-zđ]*)$", rest)
    if authority and _is_caps(rest):
        parts += [rest[: authority.start()].strip(), authority[1].strip()]
    else:
        parts.append(rest)
    return [part for part in parts if part]


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
        legal_bases, proposer, enacting = self._recitals()
        if not authority_line and not enacting:
            raise ParseError(
                _(
                    "The authority line (e.g. “ỦY BAN NHÂN DÂN TỈNH …”) is missing above the "
                    "legal bases."
                ),
                self._error_line(preamble_end),
            )
        articles = self._articles()
        last_article_line = self.lines[self.pos - 1]
        closing = self._closing()
        parent, issuer_lines = _header_bodies(header)
        parsed = ParsedDecision(
            doc_type=doc_type,
            subject=subject,
            authority_line=authority_line,
            legal_bases=legal_bases,
            proposer=proposer,
            enacting=enacting,
            articles=articles,
            recipients=closing.recipients,
            number=number,
            number_year=number_year,
            symbol=symbol,
            place=place,
            date=date,
            signature=closing.signature,
            header_lines=[line.text for line in header],
            parent_name=parent,
            issuer_lines=issuer_lines or derived_issuer_lines(authority_line, place),
            issuer_from_header=bool(issuer_lines),
        )
        parsed.warnings = self._warnings(parsed, closing, last_article_line, title_index)
        return parsed

    def _warnings(
        self, parsed: ParsedDecision, closing: _Closing, last: Line, title_index: int
    ) -> list[ImportWarning]:
        """What the user should check: a cut text, glued words, capitals, a missing archive."""
        found: list[ImportWarning] = []
        last_text = _last_text(parsed.articles[-1])
        if not closing.seen_recipients and closing.signature is None:
            parsed.ends_sentence = bool(SENTENCE_END.search(last_text))
            found.append(
                ImportWarning(
                    "cut_off",
                    last.number,
                    _(
                        "The text seems cut off after Điều %(article)d: it has no Nơi nhận and "
                        "no signature block. Nothing was added in their place."
                    )
                    % {"article": len(parsed.articles)},
                )
            )
        else:
            if not closing.seen_recipients:
                found.append(
                    ImportWarning("no_recipients", last.number, _("The text has no Nơi nhận."))
                )
            if closing.signature is None:
                found.append(
                    ImportWarning(
                        "no_signature",
                        self.lines[-1].number,
                        _("The text has no signature block."),
                    )
                )
            elif not closing.signature.capacity_lines or not closing.signature.name:
                found.append(
                    ImportWarning(
                        "partial_signature",
                        closing.signature_line,
                        _(
                            "The signature block is incomplete: it needs the capacity and "
                            "title lines and the signer's name."
                        ),
                    )
                )
        if parsed.recipients and not any(is_archive_entry(text) for text in parsed.recipients):
            found.append(
                ImportWarning(
                    "no_archive",
                    closing.recipients_line,
                    _("Nơi nhận has no archive entry (“Lưu: VT, …”)."),
                )
            )
        subject_line = self.lines[title_index + 1]
        if _is_caps(parsed.subject) and sum(ch.isalpha() for ch in parsed.subject) > 3:
            found.append(
                ImportWarning(
                    "caps_subject",
                    subject_line.number,
                    _(
                        "The subject is written in capitals; NĐ 30 prints it in ordinary case "
                        "(“Về việc …”)."
                    ),
                )
            )
        for line in self.lines:
            glued = glued_words(line.text)
            if glued:
                found.append(
                    ImportWarning(
                        "glued_words",
                        line.number,
                        _("Words seem glued together: %(words)s.")
                        % {"words": ", ".join(f"“{word}”" for word in glued)},
                    )
                )
        if closing.trailing_line:
            found.append(
                ImportWarning(
                    "trailing_text",
                    closing.trailing_line,
                    _(
                        "The text after the signature (from this line on) was not read; "
                        "add annexes in the editor."
                    ),
                )
            )
        return sorted(found, key=lambda warning: warning.line)

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
            if len(block) > 1 and _is_caps(block[-1].text) and not _is_caps(block[0].text):
                authority_from = len(block) - 1
        subject = " ".join(line.text for line in block[:authority_from])
        authority = " ".join(line.text for line in block[authority_from:])
        return subject, authority

    # --- recitals ------------------------------------------------------------------

    def _recitals(self) -> tuple[list[str], str | None, str | None]:
        bases: list[str] = []
        proposer: str | None = None
        enacting: str | None = None
        while self.pos < len(self.lines):
            text = self.lines[self.pos].text
            if ARTICLE.match(text):
                break
            if _is_decides(text):
                self.pos += 1
                break
            if enacting is not None:
                enacting = f"{enacting} {text}"
            elif LEGAL_BASIS.match(text):
                bases.append(text)
            elif PROPOSER.match(text):
                proposer = text
            elif ENACTING.search(text) and (proposer is not None or bases):
                enacting = text
            elif proposer is not None:
                proposer = f"{proposer} {text}"
            elif bases and bases[-1].rstrip().endswith(";"):
                bases.append(text)  # a basis that does not begin "Căn cứ"
            elif bases:
                bases[-1] = f"{bases[-1]} {text}"
            else:
                raise ParseError(
                    _("Unexpected text before the legal bases."), self.lines[self.pos].number
                )
            self.pos += 1
        clean = [
            _strip_list_punctuation(LIST_ITEM.sub("", basis)).rstrip(".").strip() for basis in bases
        ]
        if proposer is not None:
            proposer = _strip_list_punctuation(LIST_ITEM.sub("", proposer)).rstrip(".").strip()
        if enacting is not None:
            enacting = _strip_list_punctuation(enacting).rstrip(".").strip()
        return clean, proposer, enacting

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
        return _is_capacity(self.lines[index].text)

    def _closing(self) -> _Closing:
        """Nơi nhận and the signature block, in either order (pasted two-column tables
        give both); what follows the signer's name is left unread and reported."""
        closing = _Closing()
        capacity: list[str] = []
        name: str | None = None
        in_recipients = False
        while self.pos < len(self.lines):
            line = self.lines[self.pos]
            text = line.text
            self.pos += 1
            match = RECIPIENTS.match(text)
            if match:
                in_recipients, closing.seen_recipients = True, True
                closing.recipients_line = closing.recipients_line or line.number
                text = match["rest"].strip()
                if not text:
                    continue
            if SIGNING_NOTE.match(text):
                continue
            recipients = closing.recipients
            if LIST_ITEM.match(text) and in_recipients:
                recipients.append(_recipient_text(LIST_ITEM.sub("", text)))
            elif name is None and _is_capacity(text):
                lines, name = _split_signature(text)
                capacity += lines
                closing.signature_line = closing.signature_line or line.number
            elif capacity and name is None:
                name = text
            elif in_recipients and not capacity and (not recipients or recipients[-1] == ""):
                recipients.append(_recipient_text(text))
            elif in_recipients and not capacity and not closing.recipient_ended:
                recipients[-1] = f"{recipients[-1]} {_recipient_text(text)}"
            elif in_recipients and not capacity:
                recipients.append(_recipient_text(text))
            elif name is not None or closing.seen_recipients:
                closing.trailing_line = line.number
                break
            else:
                raise ParseError(_("Unexpected text after the articles."), line.number)
            closing.recipient_ended = text.rstrip().endswith((";", "."))
        if capacity or name:
            closing.signature = ParsedSignature(capacity, name)
        return closing


@dataclass
class _Closing:
    recipients: list[str] = field(default_factory=list)
    signature: ParsedSignature | None = None
    seen_recipients: bool = False
    recipient_ended: bool = True
    recipients_line: int = 0
    signature_line: int = 0
    trailing_line: int = 0


def glued_words(text: str) -> list[str]:
    """Words that PDF copies glued together: "chứcHội" (a small letter, then a capital),
    "2005của" (a number, then a Vietnamese word)."""
    found = []
    for word in re.findall(r"\w+", text):
        if word in GLUED_ALLOWED:
            continue
        small_then_capital = any(a.islower() and b.isupper() for a, b in itertools.pairwise(word))
        capitals_then_small = any(
            word[i - 2].isupper() and word[i - 1].isupper() and word[i].islower()
            for i in range(2, len(word))
        )
        number_then_word = word[0].isdigit() and _has_mark(word.lstrip("0123456789"))
        word_then_number = bool(re.search(r"[^\W\d_]\d", word)) and _has_mark(word)
        if small_then_capital or capitals_then_small or number_then_word or word_then_number:
            found.append(word)
    return found


def _has_mark(text: str) -> bool:
    return any(char in VIETNAMESE_MARKED for char in text.lower())


def _recipient_text(text: str) -> str:
    entry = _strip_list_punctuation(text)
    return entry[:-1].rstrip() if entry.endswith(".") and not entry.endswith("./.") else entry


SIGNER_TITLES = frozenset({"CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Q. CHỦ TỊCH"})
SIGNATURE_SPLIT = re.compile(
    r"\s+(?=(?:KT|TL|TUQ|Q)\s*\.)|(?<=CHỦ TỊCH)\s+(?=PHÓ )|(?<=DÂN)\s+(?=(?:PHÓ )?CHỦ TỊCH)"
)


def _split_signature(text: str) -> tuple[list[str], str | None]:
    """A signature block run together on one line ("TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ
    TỊCH Nguyễn Hữu Tháp"): its capacity lines, and the name if it follows them."""
    words = text.split()
    if not signature_forms.CAPACITY_PREFIX.match(text):  # a title line: "Chủ tịch"
        return [text], None
    if not any(_is_caps(word) for word in words):  # a block typed in small letters
        words = text.upper().split()
        text = " ".join(words)
    first_name_word = next((i for i, w in enumerate(words) if any(c.islower() for c in w)), None)
    name = None
    only_prefixes = first_name_word is not None and all(
        signature_forms.CAPACITY_PREFIX.fullmatch(word) for word in words[:first_name_word]
    )
    if first_name_word is not None and first_name_word > 0 and not only_prefixes:
        name = " ".join(words[first_name_word:])
        text = " ".join(words[:first_name_word])
    if not signature_forms.CAPACITY_PREFIX.match(text):
        return [text], name
    return [part for part in SIGNATURE_SPLIT.split(text) if part.strip()], name


def _is_capacity(text: str) -> bool:
    """A line of the signature block above the name: "TM. …", "KT. …", or a title in capitals."""
    if signature_forms.CAPACITY_PREFIX.match(text):
        return True
    if " ".join(text.upper().split()) in SIGNER_TITLES:  # "Phó Chủ tịch" in any case
        return True
    return _is_caps(text) and not LIST_ITEM.match(text) and not ARTICLE.match(text)


def _last_text(article: Article) -> str:
    if article.closing:
        return article.closing.rstrip()
    if article.clauses:
        last = article.clauses[-1]
        return (last.points[-1] if last.points else last.text).rstrip()
    return article.text.rstrip() or (article.title or "")


def _header_bodies(header: list[Line]) -> tuple[str, list[str]]:
    """The parent body line and the issuer's lines, as the header prints them.

    Two-column headers pasted as text mix the issuer with the national heading ("ỦY BAN NHÂN
    DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"); that heading, the motto, rules, the number and
    the date are dropped, and the capital lines left are the bodies.
    """
    bodies: list[str] = []
    for line in header:
        if line.text.lstrip().startswith("Số") and NUMBER_LINE.search(line.text):
            continue
        text = MOTTO.sub(" ", NATION.sub(" ", line.text)).replace("|", " ")
        text = " ".join(re.sub(r"[-_=*~]{3,}", " ", text).split())
        if not text or SEPARATOR.match(text) or DATE_LINE.search(text):
            continue
        if DRAFT_DATE_LINE.search(text) or not _is_caps(text):
            continue
        bodies.append(text)
    if not bodies:
        return "", []
    starts = [i for i, text in enumerate(bodies) if i and text.startswith(BODY_STARTS)]
    parent_end = starts[-1] if starts else 0
    parent, issuer = " ".join(bodies[:parent_end]), bodies[parent_end:]
    if len(issuer) == 1 and (match := COMMITTEE.match(issuer[0])) and match["rest"]:
        issuer = [issuer[0][: match.start("rest")].strip(), match["rest"]]
    return parent, issuer


def derived_issuer_lines(authority_line: str, place: str | None) -> list[str]:
    """The issuer's header lines from the authority line and the place, for a text that has no
    header: "ỦY BAN NHÂN DÂN TỈNH" + "Vĩnh Long" -> ["ỦY BAN NHÂN DÂN", "TỈNH VĨNH LONG"]."""
    match = COMMITTEE.match(" ".join(authority_line.upper().split()))
    if match is None:
        return []
    rest = match["rest"].replace("UỶ", "ỦY")
    place_upper = " ".join((place or "").upper().split())
    if place_upper and (not rest or rest in LEVEL_WORDS):
        rest = place_upper if place_upper.startswith(LEVEL_WORDS) else f"{rest} {place_upper}"
    return ["ỦY BAN NHÂN DÂN", rest.strip()] if rest.strip() else ["ỦY BAN NHÂN DÂN"]


def issuer_warnings(parsed: ParsedDecision, issuer: Any) -> list[ImportWarning]:
    """The body or place the text names, where it differs from the chosen `issuer`."""
    from decisions.text import fold

    found = []
    named = fold(parsed.issuer_name.replace("UỶ", "ỦY"))
    if named and named != fold(issuer.one_line_name):
        found.append(
            ImportWarning(
                "other_issuer",
                0,
                _("The text names “%(named)s”, not the chosen issuer “%(issuer)s”.")
                % {"named": parsed.issuer_name, "issuer": issuer.one_line_name},
            )
        )
    if parsed.place and issuer.place_name and fold(parsed.place) != fold(issuer.place_name):
        found.append(
            ImportWarning(
                "other_place",
                0,
                _("The text is dated at “%(place)s”; the chosen issuer writes “%(own)s”.")
                % {"place": parsed.place, "own": issuer.place_name},
            )
        )
    return found


# NĐ 30/2020/NĐ-CP, Phụ lục III: the abbreviation of each type, for texts read without a
# configured document type (an empty database).
TYPE_ABBREVIATIONS = {
    "QUYẾT ĐỊNH": "QĐ",
    "NGHỊ QUYẾT": "NQ",
    "CHỈ THỊ": "CT",
    "QUY CHẾ": "QC",
    "QUY ĐỊNH": "QyĐ",
    "KẾ HOẠCH": "KH",
    "THÔNG BÁO": "TB",
    "HƯỚNG DẪN": "HD",
    "CHƯƠNG TRÌNH": "CTr",
    "PHƯƠNG ÁN": "PA",
    "ĐỀ ÁN": "ĐA",
}


def document_type_for(title: str, *, configured_only: bool = True, kind: str = "") -> Any:
    """The configured DocumentType printed as `title` ("QUYẾT ĐỊNH"), of `kind` if one is
    configured (else a decision's type stands in for a normative one); ParseError if none.
    With `configured_only` off, an unsaved type of NĐ 30's list stands in for a missing one."""
    from decisions import doctypes
    from decisions.models import DocumentType

    types = list(DocumentType.objects.all())
    if kind:
        for document_type in types:
            if document_type.kind == kind:
                return document_type
    for document_type in types:
        if document_type.printed_title == title and (
            not kind or doctypes.of(document_type).grammar == doctypes.get(kind).grammar
        ):
            return document_type
    if not configured_only and title in TYPE_ABBREVIATIONS:
        return DocumentType(name=title.capitalize(), abbreviation=TYPE_ABBREVIATIONS[title])
    if not configured_only and kind:
        strategy = doctypes.get(kind)
        return DocumentType(
            name=strategy.running_name(None) if strategy.running else title.capitalize(),
            abbreviation=strategy.abbreviation,
            kind=kind,
        )
    raise ParseError(_("The document type “%(type)s” is not configured.") % {"type": title})


def to_draft_content(parsed: ParsedDecision, *, issuer: Any) -> Any:
    """Turn a parsed text into draft content for `issuer` (an Organization).

    The authority kind follows from the authority line: "CHỦ TỊCH …" is the chair's own
    authority, the body's name is the collective one.
    """
    from decisions.content import DraftContent, RecipientEntry, check_size

    document_type = document_type_for(parsed.doc_type, kind=parsed.kind)
    content = DraftContent(
        document_type=document_type,
        authority=issuer.authority_of(parsed.authority_line),
        # the 2025 form states no authority line; the draft takes the body's own
        authority_line=parsed.authority_line or issuer.collective_authority_line,
        subject=parsed.subject,
        legal_bases=parsed.legal_bases,
        proposer=parsed.proposer or "",
        articles=parsed.articles,
        recipients=[RecipientEntry(text=text) for text in parsed.recipients],
        number_year=parsed.number_year,
        parts=dict(parsed.parts),
    )
    check_size(content)  # the same limits as the editor's, before anything is shown or saved
    return content
