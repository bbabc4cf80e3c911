"""python manage.py restore FOLDER: put a backup of `manage.py backup` back, into an empty
database (run `migrate` on nothing first only for SQLite: the copy replaces the file), the
file storage and the PKI folder. Then `manage.py verify_history` checks every history."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from decisions import backup


class Command(BaseCommand):
    help = "Restore a backup written by `manage.py backup`."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", type=Path, help="the backup's folder")

    def handle(self, *args: Any, **options: Any) -> None:
        folder: Path = options["folder"]
        if not (folder / backup.MANIFEST).is_file():
            raise CommandError(_("%(path)s holds no backup.") % {"path": folder})
        try:
            manifest = backup.restore(folder)
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            _("Restored the backup of %(date)s: the database and %(files)d files.")
            % {"date": manifest["created_at"], "files": manifest["files"]}
        )
