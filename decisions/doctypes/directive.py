"""Chỉ thị: a title, a subject, opening paragraphs and numbered points ("1. …", "2. …"), no
titled sections (NĐ 30, Phụ lục III, Mẫu 1.3). Parts: {"sections": [{"title": "",
"paragraphs": [str]}]}, the points being paragraphs that start with their number."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, ClassVar

from django.utils.translation import gettext as _

from decisions.doctypes.titled import TitledText

if TYPE_CHECKING:
    from decisions.content import DraftContent, _Errors

POINT = re.compile(r"^\d{1,3}\s*[.)]\s+\S")


class Directive(TitledText):
    key: ClassVar[str] = "directive"
    abbreviation: ClassVar[str] = "CT"
    title: ClassVar[str] = "CHỈ THỊ"
    titles: ClassVar[tuple[str, ...]] = ("CHỈ THỊ",)
    running: ClassVar[str] = "Chỉ thị"
    sections_allowed: ClassVar[bool] = False

    def validate(self, content: DraftContent, errors: _Errors) -> None:
        super().validate(content, errors)
        paragraphs = [
            str(t) for s in content.parts.get("sections", []) for t in s.get("paragraphs", [])
        ]
        if paragraphs and not any(POINT.match(text.strip()) for text in paragraphs):
            errors.add("body", _("A directive gives its instructions as numbered points (“1. …”)."))
