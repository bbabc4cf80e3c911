"""python manage.py import_edxml FILE.xml: receive an edXML package (QCVN 102:2016) as the
exchange endpoint would: same checks, same incoming register. Exits with status 1 if refused."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from decisions.exchange import edxml
from decisions.exchange.receive import receive
from decisions.models import ReceivedPackage


class Command(BaseCommand):
    help = (
        "Receive an edXML package file: check it and enter it in the incoming register of each "
        "receiving body of this system; print the arrival numbers, or the reason for refusal."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": path})
        try:  # refused from its size, before it is read
            edxml.check_size(path.stat().st_size)
        except edxml.PackageError as error:
            raise CommandError(error.message) from error
        row = receive(path.read_bytes(), via=ReceivedPackage.Via.COMMAND)
        if not row.accepted:
            raise CommandError(
                _("Refused (%(code)s): %(reason)s")
                % {"code": row.refusal_code, "reason": row.reason}
            )
        for document in row.documents.select_related("register__organization"):
            self.stdout.write(
                _("%(body)s: arrival number %(number)s (%(year)s)")
                % {
                    "body": document.register.organization.one_line_name,
                    "number": document.arrival_number,
                    "year": document.register.year,
                }
            )
