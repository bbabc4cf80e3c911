"""python manage.py verify_pdf FILE: check the signatures of a decision's PDF."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from decisions.signing.verification import verify_pdf


class Command(BaseCommand):
    help = (
        "Report each signature of a PDF (signer, time, intact, trusted, changes after it), "
        "whether it validates long-term from its own data, and the register entry it matches. "
        "Exits with status 1 unless every signature is valid."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": path})
        report = verify_pdf(path.read_bytes())
        if report.error:
            raise CommandError(report.error)
        yes, no = _("yes"), _("no")
        if not report.signatures:
            self.stdout.write(_("The file carries no digital signature."))
        test_label = _("TEST SIGNATURE")
        for number, check in enumerate(report.signatures, start=1):
            when = timezone.localtime(check.signed_at).isoformat() if check.signed_at else "—"
            test = f" [{test_label}]" if check.test else ""
            self.stdout.write(f"{number}. {check.kind_label} ({check.field}){test}")
            lines = [
                (_("Signer"), check.signer),
                (_("Signed at"), when),
                (_("Intact"), yes if check.intact else no),
                (_("Trusted"), yes if check.trusted else no),
                (_("Timestamped"), yes if check.timestamped else no),
                (_("Changes after it"), check.changes_label),
                (_("Valid"), yes if check.valid else no),
            ]
            for label, value in lines:
                self.stdout.write(f"   {label}: {value}")
        if report.long_term_valid is not None:
            verdict = yes if report.long_term_valid else no
            self.stdout.write(_("Long-term valid from its own data: %(v)s") % {"v": verdict})
        if report.decision is not None:
            decision = report.decision
            self.stdout.write(
                _("Register entry: %(reference)s of %(date)s, %(issuer)s — %(subject)s")
                % {
                    "reference": decision.reference,
                    "date": decision.issued_on.strftime("%d/%m/%Y") if decision.issued_on else "",
                    "issuer": decision.issuer.one_line_name,
                    "subject": decision.subject,
                }
            )
        else:
            self.stdout.write(_("No issued decision in the register has exactly this file."))
        self.stdout.write(f"SHA-256: {report.sha256}")
        if not report.valid:
            raise CommandError(_("At least one signature is not valid."))
