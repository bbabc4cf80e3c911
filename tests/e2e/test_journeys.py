"""The two seeds through every role, in a real Chromium, against a live server."""

import hashlib
import re

import pytest
from django.test.utils import override_settings
from playwright.sync_api import Page, expect

from decisions import permissions
from decisions.demo import DEMO_PASSWORD, SEEDS_DIR, load_demo
from decisions.models import Decision, Organization, User
from decisions.signing import pki, provision
from tests.e2e.conftest import COLLECTED_STATIC, PHONE, english_on

pytestmark = pytest.mark.django_db(transaction=True)


class Journey:
    """One browser page walking through the app as one person after another."""

    def __init__(self, page: Page, base_url: str, folder):
        self.page, self.base_url, self.folder = page, base_url, folder
        self.step = 0
        self.untranslated: list[str] = []
        self.static: list[tuple[str, int]] = []  # every static file the pages loaded
        page.on("dialog", lambda dialog: dialog.accept())  # the confirmations before signing…
        page.on(
            "response",
            lambda response: (
                self.static.append((response.url, response.status))
                if "/static/" in response.url
                else None
            ),
        )

    def scan(self) -> None:
        """Every page visited is scanned for English text."""
        self.untranslated += [f"{self.page.url}: {hit}" for hit in english_on(self.page)]

    def shot(self, name: str) -> None:
        self.step += 1
        self.page.screenshot(path=self.folder / f"{self.step:02d}-{name}.png", full_page=True)

    def go(self, path: str) -> None:
        self.page.goto(self.base_url + path)
        self.scan()

    def login(self, username: str, *, phone: bool = False) -> None:
        # Leave the previous page first: a request it still has in flight (a lazy PDF preview,
        # a page image) would otherwise answer after the cookies are cleared and give the new
        # session another CSRF cookie than the one the login form was rendered with.
        self.page.goto("about:blank")
        self.page.context.clear_cookies()
        width, height = (PHONE["width"], PHONE["height"]) if phone else (1366, 900)
        self.page.set_viewport_size({"width": width, "height": height})
        self.go("/accounts/login/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", DEMO_PASSWORD)
        self.scan()
        self.page.click("form[action$='/login/'] button[type=submit]")
        expect(self.page.locator("h1")).to_have_text("Công việc của tôi")
        self.scan()

    def login_admin(self) -> None:
        self.page.context.clear_cookies()
        self.go("/admin/login/")
        self.page.fill("#id_username", "admin")
        self.page.fill("#id_password", DEMO_PASSWORD)
        self.page.click("input[type=submit], button[type=submit]")
        self.page.wait_for_load_state()

    def open_decision(self, decision: Decision) -> None:
        self.go(decision.get_absolute_url())

    def act(self, action: str, **fields: str) -> None:
        choose(self.page, action)
        form = self.page.locator(f"form[action$='/{action}/']").first
        for name, value in fields.items():
            field = form.locator(f"[name$='-{name}']")
            if field.evaluate("el => el.tagName") == "SELECT":
                field.select_option(value)
            elif field.get_attribute("type") == "checkbox":
                field.check()
            else:
                field.fill(value)
        form.locator("button[type=submit]").click()
        self.page.wait_for_load_state()
        self.scan()


def choose(page: Page, action: str) -> None:
    """Choose an action in the decision's action bar, as a person does: its form opens (a
    destructive one is under "Thao tác khác"); an action without a form is its own button."""
    more = page.locator(f"details.bar-more:has([data-action='{action}'])")
    if more.count() and not more.evaluate("details => details.open"):
        more.locator("> summary").click()
    chosen = page.locator(f"details[data-action='{action}']")
    if chosen.count() and not chosen.evaluate("details => details.open"):
        chosen.locator("> summary").click()


@pytest.fixture
def journey(lift_sqlite_guards, page, live_server, screenshots, settings):
    settings.DECISIONS_BASE_URL = live_server.url
    with override_settings(DEBUG=True):
        load_demo()
        provision.equip_dev_signers()
    journey = Journey(page, live_server.url, screenshots)
    yield journey
    lift_sqlite_guards()
    assert journey.static, "no static file was loaded"
    # 304: the browser revalidated its cached copy (a file changed a moment ago)
    assert [(url, status) for url, status in journey.static if status not in (200, 304)] == []
    if COLLECTED_STATIC:  # served as in production: the hashed names of collectstatic
        hashed = re.compile(r"\.[0-9a-f]{12}\.(css|js|svg|png|woff2?)$")
        assert all(hashed.search(url) for url, _ in journey.static), journey.static


def paste_and_save(j: Journey, seed: str, *, sector: str) -> Decision:
    j.page.get_by_role("link", name="Tạo dự thảo từ văn bản có sẵn").click()
    j.page.fill("#id_text", (SEEDS_DIR / seed).read_text())
    j.shot("paste")
    j.page.get_by_role("button", name="Đọc văn bản").click()
    expect(j.page.locator("h1")).to_have_text("Soạn dự thảo mới")
    j.scan()
    j.page.select_option("#id_sector", label=sector)  # the correction before saving
    j.shot("parsed-for-correction")
    j.page.get_by_role("button", name="Lưu dự thảo").click()
    expect(j.page.locator(".messages")).to_contain_text("Đã lưu dự thảo")
    j.scan()
    decision = Decision.objects.order_by("-pk").first()
    assert decision is not None
    return decision


def test_seed_000_through_every_role_to_the_recipient_and_the_public(journey, tmp_path):
    j = journey
    # The chuyên viên pastes the text, corrects it, links a recipient and submits.
    j.login("cv.giongrieng")
    j.shot("drafter-home")
    decision = paste_and_save(
        j, "seed_000_giong_rieng_93.txt", sector="Nội chính - Cải cách hành chính"
    )
    so_khcn = Organization.objects.get(code="so-khcn-an-giang")
    entry = decision.recipients.get(text="Sở khoa học và CN")
    field = j.page.locator(f"#add-{entry.pk}")
    field.fill("so khoa hoc")  # no accents: the directory's suggestions come from the server
    expect(
        j.page.locator(f"#directory-suggestions option[value='{so_khcn.running_name}']")
    ).to_have_count(1)
    field.fill(so_khcn.running_name)  # as picking the suggestion does
    j.page.get_by_role("button", name="Lưu liên kết").click()
    expect(j.page.locator(".recipient-links")).to_contain_text(so_khcn.running_name)
    j.act("submit")
    expect(j.page.locator(".messages")).to_contain_text("Đã trình")
    j.shot("drafter-submitted")

    # The Chánh Văn phòng returns it with a reason.
    j.login("cvp.giongrieng")
    expect(j.page.locator(".awaiting")).to_contain_text(decision.subject[:30])
    j.open_decision(decision)
    j.shot("office-review")
    j.act("return", reason="Bổ sung căn cứ Luật Ban hành văn bản.")
    j.shot("office-returned")

    # The chuyên viên fixes it and resubmits.
    j.login("cv.giongrieng")
    expect(j.page.locator(".awaiting")).to_contain_text("Bổ sung căn cứ Luật Ban hành văn bản.")
    j.open_decision(decision)
    expect(j.page.locator(".return-banner")).to_contain_text(
        "Bổ sung căn cứ Luật Ban hành văn bản."
    )
    j.page.get_by_role("link", name="Sửa dự thảo").click()
    j.scan()
    j.page.get_by_role("button", name="Thêm căn cứ").click()
    j.page.locator("[data-list='legal_bases'] textarea").last.fill(
        "Căn cứ Luật Ban hành văn bản quy phạm pháp luật ngày 19 tháng 02 năm 2025"
    )
    j.shot("drafter-editing")
    j.page.get_by_role("button", name="Lưu dự thảo").click()
    j.act("submit")
    j.shot("drafter-resubmitted")

    # The Chánh Văn phòng proposes it to the vice chair in charge.
    j.login("cvp.giongrieng")
    j.open_decision(decision)
    j.act("propose", signer=str(decision.issuer.people.get(username="pct.votung").pk))
    j.shot("office-proposed")

    # The vice chair, on a phone, reads it, approves and signs.
    j.login("pct.votung", phone=True)
    expect(j.page.locator(".awaiting")).to_contain_text(decision.subject[:30])
    j.open_decision(decision)
    j.shot("leader-phone-review")
    j.page.get_by_role("link", name="Đọc từng trang").click()
    j.page.wait_for_function(
        "() => { const img = document.querySelector('.read-pages img');"
        " return img && img.complete && img.naturalWidth > 0; }"
    )
    j.scan()
    j.shot("leader-phone-reads-the-pages")
    j.open_decision(decision)
    j.act("review", sign_now="on", pin="000000")  # a mistyped PIN: nothing changes, and why
    expect(j.page.locator("main")).to_contain_text("Mật khẩu hoặc mã PIN của khóa ký số không đúng")
    j.shot("leader-phone-wrong-pin")
    decision.refresh_from_db()
    assert decision.status == Decision.Status.REVIEW
    stale = j.page.context.new_page()  # a second tab, left open on the same page
    stale.on("dialog", lambda dialog: dialog.accept())
    stale.goto(j.base_url + decision.get_absolute_url())
    j.act("review", sign_now="on", pin=pki.DEV_PIN)
    expect(j.page.locator(".messages")).to_contain_text("Đã đồng ý")
    j.shot("leader-phone-signed")
    choose(stale, "review")
    form = stale.locator("form[action$='/review/']")
    form.locator("[name$='-sign_now']").check()
    form.locator("[name$='-pin']").fill(pki.DEV_PIN)
    form.locator("button[type=submit]").click()
    stale.wait_for_load_state()
    expect(stale.locator(".messages")).to_contain_text("Không thể thực hiện nữa")  # the true reason
    expect(stale.locator(".messages")).to_contain_text("Võ Tùng")
    stale.close()

    # The văn thư issues it.
    j.login("vt.giongrieng")
    j.open_decision(decision)
    j.act("issue", pin=pki.DEV_PIN)
    expect(j.page.locator("main")).to_contain_text("01/QĐ-UBND")
    j.shot("clerk-issued")
    # delivered at once: no void, a recall instead; unlinked lines are paper copies
    expect(j.page.locator("form[action$='/void/']")).to_have_count(0)
    expect(j.page.locator("form[action$='/recall/']")).to_have_count(1)
    expect(j.page.locator(".paper-copies")).to_contain_text("UBND xã, thị")
    decision.refresh_from_db()
    assert decision.reference == "01/QĐ-UBND"

    # A recipient finds it in "Văn bản đến", downloads it and acknowledges it.
    j.login("nhan.skhcn")
    j.go("/incoming/")
    expect(j.page.locator("main")).to_contain_text("01/QĐ-UBND")
    j.shot("recipient-incoming")
    j.open_decision(decision)
    with j.page.expect_download() as download_info:
        j.page.get_by_role("link", name="Tải tệp PDF").click()
    path = tmp_path / "qd.pdf"
    download_info.value.save_as(path)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == decision.pdf_sha256
    j.act("acknowledge")
    j.shot("recipient-acknowledged")
    # what was sent to him, not the issuer's internal history (the return, who drafted it)
    expect(j.page.locator("ol.history")).to_have_count(0)
    expect(j.page.locator("main")).not_to_contain_text("Bổ sung căn cứ Luật Ban hành văn bản.")
    expect(j.page.locator("main")).to_contain_text("Những gì đã gửi cho bạn")

    # The drafter sees the delivery status.
    j.login("cv.giongrieng")
    j.open_decision(decision)
    expect(j.page.locator(".deliveries, main")).to_contain_text("Đã nhận")
    j.shot("drafter-delivery-status")

    # A user of an unrelated body gets 404.
    j.login("nhan.vpangiang")
    response = j.page.goto(j.base_url + decision.get_absolute_url())
    assert response is not None
    assert response.status == 404
    j.shot("unrelated-404")

    # The public verification page confirms the downloaded file and its signatures.
    j.page.context.clear_cookies()
    j.go(f"/v/{decision.verification_token}")
    expect(j.page.locator("main")).to_contain_text("01/QĐ-UBND")
    j.go("/verify/")
    j.page.set_input_files("input[type=file]", path)
    j.page.click("form button[type=submit]")
    expect(j.page.locator("main")).to_contain_text("chính xác là tệp đã ban hành")
    expect(j.page.locator("main")).to_contain_text("Chữ ký số của người có thẩm quyền")
    j.shot("public-verification")
    assert j.untranslated == []


def test_seed_001_collective_path_signed_by_the_chair(journey):
    j = journey
    j.login("cv.angiang")
    decision = paste_and_save(j, "seed_001_province_quality_2018.txt", sector="Nội chính")
    j.act("submit")
    j.login("cvp.angiang")
    j.open_decision(decision)
    j.act("propose", signer=str(decision.issuer.people.get(username="ct.angiang").pk))
    j.login("ct.angiang")
    j.open_decision(decision)
    j.act("review")
    j.shot("chair-approved")
    j.act("sign", pin=pki.DEV_PIN)
    j.shot("chair-signed")
    j.login("vt.angiang")
    j.open_decision(decision)
    j.act("issue", pin=pki.DEV_PIN)
    expect(j.page.locator("main")).to_contain_text("01/QĐ-UBND")
    j.shot("clerk-issued")
    decision.refresh_from_db()
    assert decision.snapshot["signature_lines"][0] == "TM. ỦY BAN NHÂN DÂN"
    assert re.fullmatch(r"01/QĐ-UBND", decision.reference)
    assert j.untranslated == []


def test_the_english_scan_catches_english_and_lets_vietnamese_through():
    from tests.e2e.conftest import ALLOWED, ENGLISH

    def english(text: str) -> list[str]:
        return ENGLISH.findall(ALLOWED.sub(" ", text))

    assert english("Save the draft") == ["Save", "the", "draft"]
    assert english("This field is required.") != []
    assert english("Lưu dự thảo · Trả lại để sửa · Ủy ban nhân dân tỉnh An Giang") == []
    assert english("Chữ ký số PAdES B-LTA, SHA-256, TCVN ISO 9001:2008, qd.pdf") == []


def test_the_administrators_pages_speak_vietnamese(journey):
    j = journey
    body = Organization.objects.get(code="giong-rieng")
    # The administrator reads decisions only through a role, like anyone (permissions.py).
    admin = User.objects.get(username="admin")
    permissions.grant_role(user=admin, organization=body, role=permissions.Role.CHIEF_OF_OFFICE)
    j.login_admin()
    person = Decision.objects.first().drafter
    for path in [
        "/admin/",
        "/admin/decisions/user/",
        f"/admin/decisions/user/{person.pk}/change/",
        f"/admin/decisions/organization/{body.pk}/change/",
        "/admin/decisions/signingkey/",
        "/admin/decisions/signingkey/add/",
        "/admin/decisions/decision/",
        f"/admin/decisions/decision/{Decision.objects.first().pk}/change/",
        "/admin/decisions/register/",
        "/admin/decisions/holiday/add/",
    ]:
        j.go(path)
    j.shot("admin")
    assert j.untranslated == []
