"""Refresh docs/screens/: the main page of every role, shot by the browser suite.

Runs the every-page test of tests/e2e (the demo staged at every step, a real Chromium) with
E2E_DOCS_SCREENS pointing at docs/screens/; the pages and widths are listed in
tests/e2e/pages.py (DOCS_SCREENS). Usage: python scripts/screens.py
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FOLDER = ROOT / "docs" / "screens"


def main() -> int:
    FOLDER.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "E2E_DOCS_SCREENS": str(FOLDER),
        "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "tests.settings"),
    }
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "tests/e2e/test_every_page.py",
        "-k",
        "fits_every_width",
    ]
    result = subprocess.run(command, cwd=ROOT, env=env, check=False)  # noqa: S603 (our own pytest)
    for shot in sorted(FOLDER.glob("*.png")):
        print(f"{shot.relative_to(ROOT)}: {shot.stat().st_size // 1024} KiB")
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
