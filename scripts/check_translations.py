"""Fail when a user-visible string has no Vietnamese translation.

Runs makemessages for `vi` (so new strings in code and templates are picked up), then lists
entries that are untranslated or fuzzy. If only the catalogue's header changed, the file is
left exactly as it was.
"""

import subprocess
import sys
from pathlib import Path

import polib

CATALOGUE = Path(__file__).resolve().parent.parent / "locale" / "vi" / "LC_MESSAGES" / "django.po"


def entries(path: Path) -> set[tuple[str, str, str]]:
    if not path.exists():
        return set()
    return {(e.msgctxt or "", e.msgid, e.msgid_plural) for e in polib.pofile(str(path))}


def main() -> int:
    before_bytes = CATALOGUE.read_bytes() if CATALOGUE.exists() else None
    before = entries(CATALOGUE)
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "vi",
            "--no-obsolete",
            "--ignore",
            ".venv",
            "--ignore",
            "var",
            "--ignore",
            "tests",
            "--ignore",
            "bench",
            "-v",
            "0",
        ],
        check=True,
    )
    if entries(CATALOGUE) == before and before_bytes is not None:
        CATALOGUE.write_bytes(before_bytes)
    catalogue = polib.pofile(str(CATALOGUE))
    missing = [e for e in catalogue if not e.translated() or "fuzzy" in e.flags]
    for entry in missing:
        where = ", ".join(f"{path}:{line}" for path, line in entry.occurrences[:2])
        print(f"untranslated: {entry.msgid!r} ({where})")
    if missing:
        print(f"{len(missing)} strings lack a Vietnamese translation in {CATALOGUE}.")
        return 1
    print(f"All {len(catalogue)} strings are translated.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
