"""python manage.py history_key create|rotate: the history's HMAC keys (outside the database)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from decisions import history_keys


class Command(BaseCommand):
    help = (
        "create: write the history key file with a first key (once); rotate: add a new key "
        "version that keys new entries (restart the servers and workers afterwards)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["create", "rotate"])

    def handle(self, *args: Any, **options: Any) -> None:
        file = history_keys.path()
        if options["action"] == "create":
            if not history_keys.create(file):
                raise CommandError(f"{file} exists already; use `rotate` to add a key.")
            self.stdout.write(f"Created {file} (key version 1). Keep a copy with your secrets.")
            return
        version = history_keys.rotate(file)
        self.stdout.write(f"Added key version {version} to {file}. Restart every process.")
