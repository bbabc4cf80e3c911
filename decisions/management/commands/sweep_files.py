"""python manage.py sweep_files [--dry-run] [--older-than-hours N]: remove stored files no row
points to (left by a crash or a rollback), and finish moving committed files still pending.
Runs nightly in the workers (decisions/jobs.py SCHEDULE)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from decisions import files


class Command(BaseCommand):
    help = "Remove stored files that no row points to and that are older than a day."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="List, remove nothing.")
        parser.add_argument("--older-than-hours", type=float, default=24.0)

    def handle(self, *args: Any, **options: Any) -> None:
        removed, moved = files.sweep(
            older_than=datetime.timedelta(hours=options["older_than_hours"]),
            dry_run=options["dry_run"],
        )
        for name in moved:
            self.stdout.write(_("moved into place: %(name)s") % {"name": name})
        for name in removed:
            self.stdout.write(_("removed: %(name)s") % {"name": name})
        summary = (
            _("%(count)d files would be removed (dry run).")
            if options["dry_run"]
            else _("%(count)d files removed.")
        )
        self.stdout.write(summary % {"count": len(removed)})
