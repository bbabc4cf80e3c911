"""What the browser suite checks on every page it visits, at every width it checks.

- no horizontal scrolling: the page is no wider than the window (360 to 1280 px);
- no serious or critical accessibility violation (axe-core, tests/e2e/axe.py);
- no English left for a person to read (conftest.english_on);
and a screenshot at a phone's and a desktop's width, kept as the run's artefact under
E2E_SCREENSHOTS/pages/<page>-<width>.png.
"""

import os
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import Page

from tests.e2e import axe
from tests.e2e.conftest import SCREENSHOTS, english_on

WIDTHS = (360, 390, 768, 1280)
SCREENSHOT_WIDTHS = (390, 1280)
HEIGHT = {360: 780, 390: 844, 768: 1024, 1280: 900}

# The shots of docs/screens.md (scripts/screens.py sets E2E_DOCS_SCREENS): one main page per
# role, as much as one screen shows, at the width that role mostly uses.
DOCS_SCREENS = {
    ("drafter-home", 1280),
    ("drafter-editor", 1280),
    ("office-proposal", 390),
    ("chair-signature", 390),
    ("clerk-signed", 1280),
    ("recipient-home", 390),
    ("recipient-incoming", 1280),
    ("public-decision", 390),
}
DOCS_FOLDER = os.environ.get("E2E_DOCS_SCREENS")

# The elements that stick out past the window's right edge (the deepest ones, which cause it).
OVERFLOWING = """() => {
  const width = window.innerWidth, found = [];
  for (const el of document.body.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    if (box.width && box.right > width + 1 && ![...el.children].some(c =>
        c.getBoundingClientRect().right > width + 1)) {
      const name = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
        + (el.className && typeof el.className === "string"
           ? "." + el.className.trim().split(/\\s+/).join(".") : "");
      found.push(`${name} (${Math.round(box.right)}px)`);
      if (found.length >= 5) break;
    }
  }
  return found;
}"""


@dataclass
class Checker:
    page: Page
    base_url: str
    folder: Path = SCREENSHOTS / "pages"
    widths: tuple[int, ...] = WIDTHS
    overflow: list[str] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)
    untranslated: list[str] = field(default_factory=list)
    visited: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)

    def go(self, name: str, path: str, *, status: int = 200) -> None:
        response = self.page.goto(self.base_url + path)
        assert response is not None
        assert response.status == status, f"{path}: {response.status}"
        self.check(name)

    def check(self, name: str) -> None:
        """Check the page as it is now, at every width."""
        page = self.page
        page.wait_for_load_state("load")
        self.visited.append(name)
        self.untranslated += [f"{name}: {hit}" for hit in english_on(page)]
        for width in self.widths:
            page.set_viewport_size({"width": width, "height": HEIGHT.get(width, 900)})
            page.wait_for_timeout(50)  # the layout settles
            wide = page.evaluate("document.documentElement.scrollWidth")
            if wide > width:
                culprits = ", ".join(page.evaluate(OVERFLOWING))
                self.overflow.append(f"{name} at {width}px: {wide}px wide ({culprits})")
            for found in axe.violations(page):
                if f"{name}: {found}" not in self.violations:  # once, whatever the width
                    self.violations.append(f"{name}: {found}")
            if width in SCREENSHOT_WIDTHS:
                page.screenshot(path=self.folder / f"{name}-{width}.png", full_page=True)
            if DOCS_FOLDER and (name, width) in DOCS_SCREENS:
                page.screenshot(path=Path(DOCS_FOLDER) / f"{name}-{width}.png")

    def report(self) -> str:
        return "\n".join(
            [
                *["Horizontal overflow:", *self.overflow, ""],
                *["Accessibility:", *self.violations, ""],
                *["English:", *self.untranslated],
            ]
        )

    @property
    def failed(self) -> bool:
        return bool(self.overflow or self.violations or self.untranslated)
