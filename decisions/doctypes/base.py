"""What every document type strategy answers (decisions/doctypes/__init__.py lists them)."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any, ClassVar

from decisions.models import Register

if TYPE_CHECKING:
    from decisions.content import DraftContent, _Errors
    from decisions.importer import Line, ParsedDecision
    from decisions.printed import PrintedDecision


class DocType:
    """The default: a typed document "<ABBR>-<BODY>" numbered without the year."""

    key: ClassVar[str] = ""
    abbreviation: ClassVar[str] = ""  # NĐ 30, Phụ lục III; the DocumentType row's wins
    title: ClassVar[str] = ""  # as printed: "THÔNG BÁO"
    titles: ClassVar[tuple[str, ...]] = ()  # printed titles its grammar recognises
    grammar: ClassVar[str] = "titled"  # "decision", "letter" or "titled"
    layout: ClassVar[str] = ""  # the template family when it has no template of its own
    number_format: ClassVar[str] = Register.NumberFormat.PLAIN
    running: ClassVar[str] = ""  # its name in running text: "Thông báo"

    # --- names and symbol ---------------------------------------------------------------

    def printed_title(self, document_type: Any) -> str:
        return self.title or document_type.name.upper()

    def running_name(self, document_type: Any) -> str:
        return self.running or document_type.name

    def type_abbreviation(self, document_type: Any) -> str:
        return (getattr(document_type, "abbreviation", "") or self.abbreviation).strip()

    def symbol(self, document_type: Any, body: str, parts: dict[str, Any]) -> str:
        """Ký hiệu (NĐ 30, Phụ lục I, II.3.b): "TB-UBND"."""
        return f"{self.type_abbreviation(document_type)}-{body}"

    # --- content --------------------------------------------------------------------------

    def blank_parts(self) -> dict[str, Any]:
        return {}

    def validate(self, content: DraftContent, errors: _Errors) -> None:
        """Add to `errors` what is wrong with the parts of this type."""

    def part_texts(self, parts: dict[str, Any]) -> list[str]:
        """Every text typed into the parts (for the size limits)."""
        return []

    # --- the editor -------------------------------------------------------------------------

    editor_fields: ClassVar[tuple[str, ...]] = ()  # of "addressees", "unit", "body"

    def parts_from_form(self, texts: dict[str, str]) -> dict[str, Any]:
        """The parts from the editor's text fields (`editor_fields`): "addressees" one per
        line; "body" paragraphs, a line "I. …" beginning a titled section; "unit"."""
        from decisions.doctypes import grammar

        parts: dict[str, Any] = {}
        if "addressees" in self.editor_fields:
            parts["addressees"] = [
                grammar.entry_text(line)
                for line in texts.get("addressees", "").splitlines()
                if line.strip()
            ]
        if "unit" in self.editor_fields:
            parts["unit"] = texts.get("unit", "").strip().upper()
        if "body" in self.editor_fields:
            parts["sections"] = grammar.sections_of(
                texts.get("body", ""), titled=self.grammar == "titled" and self.key != "directive"
            )
        return parts

    def form_texts(self, parts: dict[str, Any]) -> dict[str, str]:
        """The editor's text fields for stored parts (the inverse of `parts_from_form`)."""
        body: list[str] = []
        for section in parts.get("sections", []):
            if section.get("title"):
                body.append(str(section["title"]))
            body += [str(text) for text in section.get("paragraphs", [])]
        return {
            "addressees": "\n".join(str(text) for text in parts.get("addressees", [])),
            "unit": str(parts.get("unit") or ""),
            "body": "\n".join(body),
        }

    # --- pasted text ----------------------------------------------------------------------

    def parse(self, lines: list[Line]) -> ParsedDecision:
        raise NotImplementedError

    # --- printing -------------------------------------------------------------------------

    def print(
        self, doc: PrintedDecision, parts: dict[str, Any], *, end_mark: bool = True
    ) -> PrintedDecision:
        """`doc` (built by the shared code) with the parts of this type."""
        return replace(doc, kind=self.key)

    def pdf_templates(self, issuer_code: str) -> list[str]:
        """Template lookup: this type for this body, this type, its layout family."""
        names = []
        if issuer_code:
            names.append(f"decisions/pdf/{self.key}_{issuer_code}.html")
        names.append(f"decisions/pdf/{self.key}.html")
        if self.layout:
            names.append(f"decisions/pdf/{self.layout}.html")
        return names

    @property
    def text_template(self) -> str:
        """The page text of the document (reads line for line as its PDF)."""
        return f"decisions/doctypes/{self.layout or self.key}_text.html"
