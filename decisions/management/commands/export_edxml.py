"""python manage.py export_edxml ID -o FILE.xml [--to CODE ...]: write the edXML package
(QCVN 102:2016) of an issued decision, for platforms that take files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from decisions.exchange import edxml
from decisions.models import Decision, Organization


class Command(BaseCommand):
    help = (
        "Write the edXML package of an issued decision. Receivers: the bodies whose identifier "
        "codes are given with --to; by default the bodies of its Nơi nhận reached by exchange "
        "(or, if none is, all of them with an identifier code)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("decision", type=int)
        parser.add_argument("-o", "--output", type=Path, required=True)
        parser.add_argument("--to", action="append", default=[], metavar="CODE")

    def handle(self, *args: Any, **options: Any) -> None:
        decision = Decision.objects.filter(pk=options["decision"]).first()
        if decision is None:
            raise CommandError(_("No such decision."))
        if options["to"]:
            receivers = list(Organization.objects.filter(identifier__in=options["to"]))
            unknown = set(options["to"]) - {body.identifier for body in receivers}
            if unknown:
                raise CommandError(
                    _("No body has the identifier code %s.") % ", ".join(sorted(unknown))
                )
        else:
            receivers = edxml.default_receivers(decision)
        try:
            data = edxml.export(decision, receivers)
        except edxml.PackageError as error:
            raise CommandError(error.message) from error
        options["output"].write_bytes(data)
        self.stdout.write(
            _("%(file)s: %(reference)s for %(receivers)s")
            % {
                "file": options["output"],
                "reference": decision.reference,
                "receivers": ", ".join(body.identifier or "" for body in receivers),
            }
        )
