"""python manage.py import_decision PATH [--json] [--save --issuer CODE --as USERNAME]"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from decisions import permissions, services
from decisions.importer import (
    ImportWarning,
    ParseError,
    decode,
    issuer_warnings,
    parse_decision_text,
    to_draft_content,
)
from decisions.models import DecisionEvent, Organization, User


class Command(BaseCommand):
    help = "Parse the pasted text of a decision; print it, or save it as a draft."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="UTF-8 text file with the decision")
        parser.add_argument("--json", action="store_true", help="print the parsed structure")
        parser.add_argument("--save", action="store_true", help="save it as a draft")
        parser.add_argument("--issuer", help="code of the issuing organisation (with --save)")
        parser.add_argument("--as", dest="username", help="drafter's username (with --save)")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(_("File not found: %(path)s") % {"path": path})
        try:
            parsed = parse_decision_text(decode(path.read_bytes()))
        except ParseError as error:
            raise CommandError(f"{path}: {error}") from error

        if options["json"]:
            self.stdout.write(json.dumps(parsed.as_json(), ensure_ascii=False, indent=2))
        if options["save"]:
            self._save(parsed, options)
        elif not options["json"]:
            self.stdout.write(
                _(
                    "%(type)s “%(subject)s”: %(bases)d legal bases, %(articles)d articles, "
                    "%(recipients)d recipients."
                )
                % {
                    "type": parsed.doc_type,
                    "subject": parsed.subject,
                    "bases": len(parsed.legal_bases),
                    "articles": len(parsed.articles),
                    "recipients": len(parsed.recipients),
                }
            )
            self._warn(parsed.warnings)

    def _save(self, parsed: Any, options: dict[str, Any]) -> None:
        if not options["issuer"] or not options["username"]:
            raise CommandError(_("--save needs --issuer CODE and --as USERNAME."))
        issuer = Organization.objects.filter(code=options["issuer"]).first()
        if issuer is None:
            raise CommandError(
                _("No organisation has the code “%(code)s”.") % {"code": options["issuer"]}
            )
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(_("No user is called “%(name)s”.") % {"name": options["username"]})
        self._warn(issuer_warnings(parsed, issuer))
        try:
            content = to_draft_content(parsed, issuer=issuer)
            decision = services.create_draft(
                actor=user, issuer=issuer, content=content, event=DecisionEvent.Kind.IMPORTED
            )
        except ParseError as error:
            raise CommandError(str(error)) from error
        except ValidationError as error:
            raise CommandError("\n".join(error.messages)) from error
        except permissions.NotAllowed as error:
            raise CommandError(str(error)) from error
        self.stdout.write(_("Saved as draft #%(pk)d.") % {"pk": decision.pk})

    def _warn(self, warnings: list[ImportWarning]) -> None:
        for warning in warnings:
            self.stderr.write(_("Warning: %(warning)s") % {"warning": warning})
