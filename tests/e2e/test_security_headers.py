"""The main pages of every role, in a real Chromium: each carries the Content-Security-Policy
and Permissions-Policy headers, and the browser refuses nothing on any of them (no inline
script or style, no outside resource, no frame the policy forbids)."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.test.utils import override_settings
from playwright.sync_api import Page, expect

from decisions.demo import DEMO_PASSWORD, load_demo
from decisions.models import Decision, Register
from decisions.signing import provision
from workflow.demo import stage_demo

pytestmark = pytest.mark.django_db(transaction=True)

# Every violation a page reports (read after each page; the browser's console messages, which
# also cover its frames, are collected as they come).
LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`
  );
});
"""


def _stage_demo() -> None:
    try:
        stage_demo()
    finally:
        connection.close()


class Visit:
    """One browser page visiting as one person after another, collecting what was refused."""

    def __init__(self, page: Page, base_url: str):
        self.page, self.base_url = page, base_url
        self.refused: list[str] = []
        self.missing_headers: list[str] = []
        page.add_init_script(LISTEN)
        page.on("console", self._console)

    def _console(self, message) -> None:
        text = message.text
        if "Content Security Policy" in text or text.startswith("Refused to"):
            self.refused.append(f"{self.page.url}: {text}")

    def go(self, path: str) -> None:
        response = self.page.goto(self.base_url + path)
        assert response is not None
        self.page.wait_for_load_state("networkidle")
        self._check(response.headers, path)

    def _check(self, headers: dict[str, str], path: str) -> None:
        policy = headers.get("content-security-policy", "")
        if "default-src 'self'" not in policy or "frame-ancestors 'none'" not in policy:
            self.missing_headers.append(f"{path}: Content-Security-Policy {policy!r}")
        if "camera=()" not in headers.get("permissions-policy", ""):
            self.missing_headers.append(f"{path}: Permissions-Policy")
        reported = self.page.evaluate("window.__cspViolations || []")
        self.refused += [f"{path}: {violation}" for violation in reported]

    def login(self, username: str, *, admin: bool = False) -> None:
        self.page.context.clear_cookies()
        self.go("/admin/login/" if admin else "/accounts/login/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", DEMO_PASSWORD)
        with self.page.expect_navigation() as navigation:
            self.page.click("form[action$='/login/'] [type=submit]")
        response = navigation.value
        assert response is not None
        self._check(response.headers, f"after logging in as {username}")


@pytest.fixture
def visit(lift_sqlite_guards, page, live_server, settings):
    settings.DECISIONS_BASE_URL = live_server.url
    with override_settings(DEBUG=True):
        load_demo()
        provision.equip_dev_signers()
        # Signing runs its own event loop (pyHanko), which Playwright's, running in this
        # thread, forbids: the demo's decisions are taken to their steps in another thread.
        with ThreadPoolExecutor(1) as pool:
            pool.submit(_stage_demo).result()
    visit = Visit(page, live_server.url)
    yield visit
    lift_sqlite_guards()


def test_every_roles_main_pages_keep_to_the_security_policies(visit):
    issued = Decision.objects.get(status=Decision.Status.ISSUED)
    draft = Decision.objects.filter(
        status=Decision.Status.DRAFT, drafter__username="cv.giongrieng"
    ).first()
    awaiting = Decision.objects.filter(status=Decision.Status.SIGNATURE).first()
    assert draft is not None
    assert awaiting is not None
    register = Register.objects.get(pk=issued.register_id)

    # Anyone: the login page and the public verification pages.
    visit.go("/accounts/login/")
    visit.go(f"/v/{issued.verification_token}")
    visit.go("/verify/")
    visit.go("/published/")

    # The chuyên viên: his work, the editor (its live PDF preview), a decision's page.
    visit.login("cv.giongrieng")
    visit.go("/")
    visit.go(f"/decisions/{draft.pk}/edit/")
    subject = visit.page.locator("#id_subject")
    subject.fill(subject.input_value() + " ")  # the live preview refreshes the frame
    visit.page.get_by_role("button", name="Xem trước bản PDF").click()
    visit.page.wait_for_timeout(2500)
    visit.go("/decisions/new/")
    visit.go(draft.get_absolute_url())

    # The Chánh Văn phòng and the Chủ tịch: their work and a decision awaiting signature.
    for username in ("cvp.giongrieng", "ct.giongrieng"):
        visit.login(username)
        visit.go("/")
        visit.go(awaiting.get_absolute_url())

    # The văn thư: the registers, an issued decision with its PDF preview, its page images.
    visit.login("vt.giongrieng")
    visit.go("/")
    visit.go("/registers/")
    visit.go(f"/registers/{register.pk}/")
    visit.go(issued.get_absolute_url())
    expect(visit.page.locator("iframe.pdf-preview")).to_have_count(1)
    visit.go(f"/decisions/{issued.pk}/read/")

    # A receiver: the incoming list and the decision sent to him.
    visit.login("nhan.phongnoivu")
    visit.go("/incoming/")
    visit.go(issued.get_absolute_url())

    # The administrator: the admin's index and pages with its widgets.
    visit.login("admin", admin=True)
    visit.go("/admin/")
    visit.go("/admin/decisions/user/")
    visit.go(f"/admin/decisions/user/{draft.drafter_id}/change/")
    visit.go(f"/admin/decisions/organization/{issued.issuer_id}/change/")
    visit.go("/admin/decisions/holiday/add/")

    assert visit.missing_headers == []
    assert visit.refused == [], "\n".join(visit.refused)


def test_the_violation_listener_catches_an_inline_script(visit):
    """The check above would see a violation: an inline script is refused and reported."""
    visit.go("/accounts/login/")
    visit.page.evaluate(
        """() => { const s = document.createElement("script");
                   s.textContent = "window.ran = true"; document.body.appendChild(s); }"""
    )
    visit.page.wait_for_timeout(300)
    assert visit.page.evaluate("window.ran === undefined")
    violations = visit.page.evaluate("window.__cspViolations || []")
    assert any(v.startswith("script-src") for v in violations), violations
