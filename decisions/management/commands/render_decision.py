"""python manage.py render_decision (ID | PATH) -o OUT.pdf [--as-issued] [--issuer CODE]"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from decisions import printed, rendering
from decisions.importer import ParseError, decode, parse_decision_text
from decisions.models import Decision, Organization


class Command(BaseCommand):
    help = (
        "Render a stored decision (by id) or pasted decision text (a file) to PDF. "
        "With --as-issued, pasted text that carries its number, date and signer prints as issued. "
        "Pasted text prints under the body it names, unless --issuer names another."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", help="a decision id, or a UTF-8 text file")
        parser.add_argument("-o", "--output", required=True, help="the PDF file to write")
        parser.add_argument("--as-issued", action="store_true", help="pasted text only")
        parser.add_argument(
            "--issuer", help="issuer code for pasted text (else the body the text names)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        source = options["source"]
        path = Path(source)
        try:
            if path.is_file():
                pdf = self._render_text(path, options)
            elif source.isdigit():
                if options["as_issued"]:
                    raise CommandError(_("--as-issued applies to pasted text only."))
                decision = Decision.objects.filter(pk=int(source)).first()
                if decision is None:
                    raise CommandError(_("No decision has the id %(id)s.") % {"id": source})
                pdf = rendering.render_decision_pdf(decision)
            else:
                raise CommandError(_("File not found: %(path)s") % {"path": source})
        except ParseError as error:
            raise CommandError(f"{source}: {error}") from error
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        Path(options["output"]).write_bytes(pdf)
        self.stdout.write(_("Wrote %(path)s.") % {"path": options["output"]})

    def _render_text(self, path: Path, options: dict[str, Any]) -> bytes:
        parsed = parse_decision_text(decode(path.read_bytes()))
        issuer = self._issuer(options["issuer"]) if options["issuer"] else None
        doc, warnings = printed.from_parsed(parsed, issuer=issuer, as_issued=options["as_issued"])
        for warning in warnings:
            self.stderr.write(_("Warning: %(warning)s") % {"warning": warning})
        return rendering.render_pdf(doc)

    @staticmethod
    def _issuer(code: str) -> Organization:
        issuer = Organization.objects.filter(code=code).first()
        if issuer is None:
            raise CommandError(_("No organisation has the code “%(code)s”.") % {"code": code})
        return issuer
