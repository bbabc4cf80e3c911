"""Fill given Vietnamese translations into locale/vi (a maintainer's helper, not run by CI).

Usage: python scripts/translate_new.py FILE.json   ({"English msgid": "Vietnamese", ...})
"""

import json
import sys
from pathlib import Path

import polib

CATALOGUE = Path(__file__).resolve().parent.parent / "locale" / "vi" / "LC_MESSAGES" / "django.po"


def main() -> int:
    wanted = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    catalogue = polib.pofile(str(CATALOGUE))
    for entry in catalogue:
        if entry.msgid in wanted:
            entry.msgstr = wanted[entry.msgid]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
    catalogue.save(str(CATALOGUE))
    return 0


if __name__ == "__main__":
    sys.exit(main())
