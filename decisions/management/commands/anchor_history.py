"""python manage.py anchor_history [--day YYYY-MM-DD]: write the daily anchors that are due
(the worker does it every night), or the anchor of one finished day."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from decisions import anchors


class Command(BaseCommand):
    help = "Anchor the history: the Merkle root of each finished day, timestamped, to a file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--day", type=datetime.date.fromisoformat, help="one finished day")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            written = (
                [anchors.anchor_day(options["day"])] if options["day"] else anchors.anchor_due()
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        for path in written:
            self.stdout.write(str(path))
