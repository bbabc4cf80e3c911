"""python manage.py backup FOLDER: the database, every stored file and the PKI's public parts
(never a private key), with a manifest of checksums. Restore with `manage.py restore FOLDER`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from decisions import backup


class Command(BaseCommand):
    help = "Back up the database, the stored files and the public parts of the PKI."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", type=Path, help="a new folder to write the backup into")

    def handle(self, *args: Any, **options: Any) -> None:
        folder: Path = options["folder"]
        if folder.exists():
            raise CommandError(
                _("%(path)s already exists: choose a new folder.") % {"path": folder}
            )
        manifest = backup.backup(folder)
        self.stdout.write(
            _("Backup written to %(path)s: the database, %(files)d files, %(pki)d PKI files.")
            % {"path": folder, "files": manifest["files"], "pki": len(manifest["pki_files"])}
        )
