"""Every page the suite knows, for every role, at 360, 390, 768 and 1280 px: no horizontal
scrolling, no serious or critical accessibility violation (axe-core), no English; screenshots
at 390 and 1280 px under E2E_SCREENSHOTS/pages/.

One staged database (the demo at every step, workflow/demo.py) serves the whole visit."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.test.utils import override_settings

from decisions.demo import DEMO_PASSWORD, load_demo
from decisions.models import Decision, DecisionTemplate, IncomingDocument, Register, User
from decisions.signing import provision
from tests.e2e.conftest import english_on
from tests.e2e.pages import Checker
from workflow.demo import stage_demo

pytestmark = pytest.mark.django_db(transaction=True)


def _stage_demo() -> None:
    try:
        stage_demo()
    finally:
        connection.close()


@pytest.fixture
def staged(lift_sqlite_guards, live_server, settings):
    """The demo at every step. Signing runs its own event loop (pyHanko), which Playwright's,
    running in this thread, forbids: the decisions are taken to their steps in another thread."""
    settings.DECISIONS_BASE_URL = live_server.url
    with override_settings(DEBUG=True):
        load_demo()
        provision.equip_dev_signers()
        with ThreadPoolExecutor(1) as pool:
            pool.submit(_stage_demo).result()
    yield live_server.url
    lift_sqlite_guards()


def log_in(checker: Checker, username: str, *, admin: bool = False) -> None:
    page = checker.page
    page.context.clear_cookies()
    page.goto(checker.base_url + ("/admin/login/" if admin else "/accounts/login/"))
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    with page.expect_navigation():
        page.click("form[action$='/login/'] [type=submit]")


def in_status(status: str, **filters) -> Decision:
    decision = Decision.objects.filter(status=status, **filters).order_by("pk").first()
    assert decision is not None, status
    return decision


def test_every_page_of_every_role_fits_every_width_and_passes_axe(page, staged):
    c = Checker(page, staged)
    status = Decision.Status
    issued = in_status(status.ISSUED, issuer__code="giong-rieng")
    draft = in_status(status.DRAFT, revision=1, drafter__username="cv.giongrieng")
    returned = Decision.objects.filter(status=status.DRAFT, revision__gt=1).first() or draft
    proposal = in_status(status.PROPOSAL)
    review = in_status(status.REVIEW)
    signature = in_status(status.SIGNATURE)
    signed = in_status(status.SIGNED)
    withdrawn = in_status(status.WITHDRAWN)
    register = Register.objects.get(pk=issued.register_id)

    # Anyone: signing in, a forgotten password, the public pages, a page that is not there.
    c.go("login", "/accounts/login/")
    c.go("password-reset", "/accounts/password_reset/")
    c.go("password-reset-done", "/accounts/password_reset/done/")
    c.go("password-reset-bad-link", "/accounts/reset/MQ/bad-token/")
    c.go("public-decision", f"/v/{issued.verification_token}")
    c.go("public-verify", "/verify/")
    page.set_input_files("input[type=file]", issued.pdf.path)
    with page.expect_navigation():
        page.click("form button[type=submit]")
    c.check("public-verify-result")
    c.go("public-published", "/published/")
    c.go("error-404", "/no-such-page/", status=404)

    # The chuyên viên: his work, the editor, the import, his decisions at several steps.
    log_in(c, "cv.giongrieng")
    c.go("drafter-home", "/")
    c.go("drafter-new", "/decisions/new/")
    c.go("drafter-import", "/decisions/import/")
    template = DecisionTemplate.objects.filter(body__code="giong-rieng").order_by("name").first()
    c.go("drafter-from-template", f"/decisions/new/from-template/?template={template.pk}")
    c.go("drafter-editor", f"/decisions/{draft.pk}/edit/")
    c.go("drafter-draft", draft.get_absolute_url())
    c.go("drafter-returned", returned.get_absolute_url())
    c.go("drafter-withdrawn", withdrawn.get_absolute_url())
    c.go("drafter-issued", issued.get_absolute_url())
    c.go("drafter-password-change", "/accounts/password_change/")
    c.go("drafter-two-factor", "/accounts/two-factor/")
    c.go("drafter-two-factor-set-up", "/accounts/two-factor/set-up/")
    c.go("error-403", "/performance/", status=403)

    # The Chánh Văn phòng: his work, a draft with the office, the figures.
    log_in(c, "cvp.giongrieng")
    c.go("office-home", "/")
    c.go("office-proposal", proposal.get_absolute_url())
    c.go("office-performance", "/performance/")

    # The leaders: their work, a decision to review, one to sign, one signed; the page images.
    log_in(c, "pct.votung")
    c.go("leader-home", "/")
    log_in(c, "ct.giongrieng")
    c.go("chair-home", "/")
    c.go("chair-review", review.get_absolute_url())
    c.go("chair-signature", signature.get_absolute_url())
    c.go("chair-read", f"/decisions/{signature.pk}/read/")
    page.wait_for_function(
        "() => [...document.querySelectorAll('.read-pages img')].every(i => i.complete)"
    )
    c.check("chair-read-loaded")

    # The văn thư: a signed decision to issue, the issued one, the registers, the transfer book.
    log_in(c, "vt.giongrieng")
    c.go("clerk-home", "/")
    c.go("clerk-signed", signed.get_absolute_url())
    c.go("clerk-issued", issued.get_absolute_url())
    c.go("clerk-dispatch", f"/decisions/{issued.pk}/dispatch/")
    c.go("clerk-edxml", f"/exchange/decisions/{issued.pk}/")
    c.go("clerk-edxml-receive", "/exchange/receive/")
    c.go("clerk-registers", "/registers/")
    c.go("clerk-register", f"/registers/{register.pk}/")
    # … and the incoming register: its books, registering, a document (templates/incoming/).
    incoming = IncomingDocument.objects.filter(register__organization__code="giong-rieng")
    arrived = incoming.order_by("arrival_number").first()
    assert arrived is not None
    c.go("clerk-incoming-registers", "/incoming-register/")
    book = f"/incoming-register/{arrived.register.organization_id}/{arrived.register.year}/"
    c.go("clerk-incoming-book", book)
    c.go("clerk-incoming-follow-up", f"{book}?book=follow-up")
    c.go("clerk-incoming-paper", "/incoming-register/paper/")
    c.go("clerk-incoming-email", "/incoming-register/email/")
    c.go("clerk-incoming-work", "/to-handle/")
    c.go("clerk-incoming-document", incoming.get(status="awaiting_direction").get_absolute_url())
    log_in(c, "pct.votung")
    c.go("leader-incoming-work", "/to-handle/")
    c.go("leader-incoming-document", incoming.get(status="awaiting_direction").get_absolute_url())
    log_in(c, "cv.giongrieng")
    c.go("handler-incoming-work", "/to-handle/")
    c.go(
        "handler-incoming-document",
        incoming.get(handler__username="cv.giongrieng").get_absolute_url(),
    )

    # A receiver: his work, what came in, the decision sent to him.
    log_in(c, "nhan.phongnoivu")
    c.go("recipient-home", "/")
    c.go("recipient-incoming", "/incoming/")
    c.go("recipient-decision", issued.get_absolute_url())

    # The administrator: the index, a list, a change form, an add form.
    log_in(c, "admin", admin=True)
    person = User.objects.get(username="cv.giongrieng")
    c.go("admin-index", "/admin/")
    c.go("admin-users", "/admin/decisions/user/")
    c.go("admin-user", f"/admin/decisions/user/{person.pk}/change/")
    c.go("admin-decisions", "/admin/decisions/decision/")
    c.go("admin-holiday-add", "/admin/decisions/holiday/add/")
    c.go("admin-missing", "/admin/decisions/user/999999/change/")  # back to the index

    assert not c.failed, c.report()


# Keyboard only: Tab moves on, Enter follows a link or presses a button; the test never clicks.
FOCUSED = """() => { const el = document.activeElement; if (!el) return "";
  return `${el.tagName} ${el.id} ${el.textContent.trim()} ${el.getAttribute("href") || ""}`; }"""


def tab_to(page, text: str, *, limit: int = 60) -> None:
    """Press Tab until the focused element shows `text`; its focus must be visible."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if text in page.evaluate(FOCUSED):
            outline = page.evaluate(
                "() => { const s = getComputedStyle(document.activeElement);"
                " return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2; }"
            )
            assert outline, f"the focus on {text!r} is not visible"
            return
    raise AssertionError(f"{text!r} cannot be reached with Tab")


def test_a_receiver_acknowledges_a_decision_with_the_keyboard_only(page, staged):
    issued = in_status(Decision.Status.ISSUED, issuer__code="giong-rieng")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(staged + "/accounts/login/")
    tab_to(page, "id_username")
    page.keyboard.type("nhan.xathanhhung")
    page.keyboard.press("Tab")
    page.keyboard.type(DEMO_PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    tab_to(page, "Văn bản đến")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    tab_to(page, issued.get_absolute_url())
    with page.expect_navigation():
        page.keyboard.press("Enter")
    tab_to(page, "Xác nhận đã nhận")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Đã xác nhận đã nhận." in page.inner_text(".messages")
    assert issued.deliveries.filter(
        organization__code="xa-thanh-hung", acknowledged_at__isnull=False
    ).exists()


def test_an_empty_login_is_answered_in_vietnamese_next_to_each_field(page, live_server):
    """No browser bubble (its text is the browser's, often English): the form is sent, and
    the server's errors sit under their fields, tied to them for a screen reader."""
    page.goto(live_server.url + "/accounts/login/")
    assert page.evaluate("document.querySelector('form[action$=\"/login/\"]').noValidate")
    with page.expect_navigation():
        page.click("form[action$='/login/'] button[type=submit]")
    for name in ("username", "password"):
        field = page.locator(f"#id_{name}")
        assert field.get_attribute("aria-invalid") == "true"
        error = page.locator(f"#{field.get_attribute('aria-describedby')}")
        assert error.inner_text() == "Trường này là bắt buộc."
        assert error.get_attribute("role") == "alert"
    assert english_on(page) == []
