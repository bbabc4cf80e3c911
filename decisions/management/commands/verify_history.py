"""python manage.py verify_history [ID ...]: check every decision's keyed history, its sealed
end, the decision's state against it, and the daily anchors; name every finding."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from decisions import anchors, history_check


class Command(BaseCommand):
    help = "Verify the decisions' histories and the daily anchors; name every finding."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("ids", nargs="*", type=int, help="decision ids (default: all)")
        parser.add_argument(
            "--no-anchors", action="store_true", help="skip the daily anchors (faster)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        problems = list(history_check.check_all(options["ids"] or None))
        if not options["ids"] and not options["no_anchors"]:
            problems += anchors.check()
        for problem in problems:
            self.stdout.write(describe(problem))
        serious = [problem for problem in problems if problem.serious]
        if serious:
            raise CommandError(
                _("%(count)d problems found in the history.") % {"count": len(serious)}
            )
        self.stdout.write(_("Every history is intact."))


def describe(problem: history_check.Problem) -> str:
    where = []
    if problem.decision_id is not None:
        where.append(_("decision %(id)d") % {"id": problem.decision_id})
    if problem.sequence is not None:
        where.append(_("entry %(sequence)d") % {"sequence": problem.sequence})
    if problem.detail:
        where.append(problem.detail)
    label = _("Notice") if not problem.serious else _("Problem")
    text = _(history_check.PROBLEMS[problem.code])
    return f"{label} [{problem.code}] {text}" + (f" ({'; '.join(where)})" if where else "")
