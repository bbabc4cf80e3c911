"""python manage.py verify_history [ID ...]: check every decision's hash-chained history."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from decisions import events
from decisions.models import Decision

PROBLEMS = {
    "missing": gettext_noop("an entry is missing"),
    "link": gettext_noop("the entry does not point to the one before it"),
    "content": gettext_noop("the entry was changed after it was written"),
}


class Command(BaseCommand):
    help = "Verify the hash chain of decisions' histories; report the first broken link."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("ids", nargs="*", type=int, help="decision ids (default: all)")

    def handle(self, *args: Any, **options: Any) -> None:
        ids = options["ids"] or Decision.objects.order_by("pk").values_list("pk", flat=True)
        checked = 0
        for decision_id in ids:
            broken = events.verify_chain(decision_id)
            checked += 1
            if broken is not None:
                raise CommandError(
                    _("Decision %(decision)d: history entry %(sequence)d is broken (%(problem)s).")
                    % {
                        "decision": broken.decision_id,
                        "sequence": broken.sequence,
                        "problem": _(PROBLEMS[broken.problem]),
                    }
                )
        self.stdout.write(
            _("%(count)d histories checked: every chain is intact.") % {"count": checked}
        )
