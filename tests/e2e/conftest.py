"""End-to-end tests: Debian's chromium driven by Playwright against a live server.

pytest-django's live server and Playwright's sync API share the main thread's event loop, so
Django's async-safety check must be off (../shared/notes/recipes.md §3); it is, for this
directory's run. Screenshots of every step go to E2E_SCREENSHOTS (default
var/e2e-screenshots/), printed at the end of the run.
"""

import os
import re
from pathlib import Path

import pytest
from django.db import connection

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(
    os.environ.get(
        "E2E_SCREENSHOTS", Path(__file__).resolve().parents[2] / "var" / "e2e-screenshots"
    )
)
PHONE = {"width": 390, "height": 844}

# Words of English UI text; Vietnamese never contains them as whole words.
ENGLISH = re.compile(
    r"\b(the|and|you|your|this|that|with|from|please|required|field|save|submit|cancel|"
    r"delete|search|next|previous|page|login|log in|password|username|choose|enter|select|"
    r"download|upload|open|close|view|edit|add|remove|back|home|decision|draft|issued|"
    r"signature|signed|sign|return|approve|reason|history|status|date|number|yes|none|"
    r"error|invalid|must|should|not|for|of|are|"
    # the admin's own chrome and the error pages (#16)
    r"skip|main|content|toggle|theme|current|email|filter|navigation|sidebar|breadcrumbs|"
    r"show|hide|added|changed|deleted|found|forbidden|server|welcome|recent|actions)\b",
    re.IGNORECASE,
)
ALLOWED = re.compile(
    r"(PAdES B-LTA|SHA-256|ISO 9001:2008|TCVN|PDF/A|https?://\S+|\S+@\S+|[\w.-]+\.(pdf|txt))"
)


def pytest_collection_modifyitems(config, items):
    ours = [item for item in items if "/tests/e2e/" in str(item.path)]
    if len(ours) < len(items):
        return  # a mixed run: tests/conftest.py skips them
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # this process only
    if connection.vendor == "sqlite" and (Path(CHROMIUM).exists() or os.environ.get("CI")):
        return  # on CI a missing browser must fail, not skip
    reason = (
        "end-to-end tests run on SQLite"
        if connection.vendor != "sqlite"
        else f"{CHROMIUM} is missing (apt-get install chromium)"
    )
    for item in ours:
        item.add_marker(pytest.mark.skip(reason=reason))


def pytest_terminal_summary(terminalreporter):
    if SCREENSHOTS.exists():
        terminalreporter.write_line(f"End-to-end screenshots: {SCREENSHOTS}")


COLLECTED_STATIC = bool(os.environ.get("TESTS_COLLECTED_STATIC"))


@pytest.fixture(autouse=True, scope="session")
def static_files_as_in_production():
    """With collected static files (scripts/test), the live server must not serve /static/
    from the source folders, as it does by default: whitenoise serves the hashed files from
    STATIC_ROOT, exactly as in production."""
    if not COLLECTED_STATIC:
        yield
        return
    from django.contrib.staticfiles import handlers

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(handlers, "StaticFilesHandler", lambda application: application)
        yield


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "vi-VN", "accept_downloads": True}


@pytest.fixture
def lift_sqlite_guards(django_db_blocker):
    """The database guards refuse to delete issued decisions, and so refuse the flush that
    ends a live-server test on SQLite (PostgreSQL truncates, which triggers do not see). Call
    it at the end of a test, before that flush. That is why these tests run in a pytest
    process of their own (tests/conftest.py skips them in a mixed run)."""

    def lift() -> None:
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            for (name,) in cursor.fetchall():
                cursor.execute(f'DROP TRIGGER "{name}"')

    return lift


@pytest.fixture
def screenshots(request):
    folder = SCREENSHOTS / request.node.name
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.png"):
        old.unlink()
    return folder


def english_on(page) -> list[str]:
    """English words in the visible text and in labels meant for people (aria, title, alt)."""
    texts = [page.inner_text("body")]
    texts += page.eval_on_selector_all(
        "[aria-label], [title], [placeholder], img[alt], input[type=submit][value]",
        """els => els.flatMap(el => ['aria-label', 'title', 'placeholder', 'alt', 'value']
            .filter(a => el.hasAttribute(a) && (a !== 'value' || el.type === 'submit'))
            .map(a => el.getAttribute(a)))""",
    )
    found = []
    for text in texts:
        for match in ENGLISH.finditer(ALLOWED.sub(" ", text)):
            found.append(
                f"{match.group(0)!r} in {text[max(0, match.start() - 30) : match.end() + 30]!r}"
            )
    return found
