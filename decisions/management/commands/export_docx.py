"""python manage.py export_docx ID -o FILE.docx"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from decisions import docx_export, parsing, selectors
from decisions.models import Decision


class Command(BaseCommand):
    help = "Write a stored decision (draft or issued) as a Word file in the layout of NĐ 30."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("id", help="the decision's id")
        parser.add_argument("-o", "--output", required=True, help="the .docx file to write")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            pk = parsing.optional_id(options["id"], label=_("Decision"))
        except ValidationError as error:
            raise CommandError(
                _("No decision has the id %(id)s.") % {"id": options["id"]}
            ) from error
        decision = Decision.objects.filter(pk=pk).first() if pk is not None else None
        if decision is None:
            raise CommandError(_("No decision has the id %(id)s.") % {"id": options["id"]})
        Path(options["output"]).write_bytes(docx_export.to_docx(selectors.pdf_context(decision)))
        self.stdout.write(_("Wrote %(path)s.") % {"path": options["output"]})
