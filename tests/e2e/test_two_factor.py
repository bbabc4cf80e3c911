"""Two-step sign-in in a real Chromium: a văn thư sets it up, then logs in with a code."""

import base64
import re

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from decisions import permissions
from decisions.permissions import Role
from tests.e2e.conftest import english_on
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "secret-pass-123"  # tests/factories.py


def test_a_records_clerk_sets_up_two_step_sign_in_and_then_logs_in_with_a_code(
    page, live_server, settings, screenshots
):
    settings.DECISIONS_2FA_REQUIRED_ROLES = ["records_clerk"]
    body = OrganizationFactory.create(code="giong-rieng", name="ỦY BAN NHÂN DÂN\nHUYỆN GIỒNG RIỀNG")
    clerk = UserFactory.create(username="vt.e2e", full_name="Trần Thị Văn Thư")
    permissions.grant_role(user=clerk, organization=body, role=Role.RECORDS_CLERK)
    untranslated: list[str] = []

    def log_in() -> None:
        page.context.clear_cookies()
        page.goto(live_server.url + "/accounts/login/")
        page.fill("#id_username", "vt.e2e")
        page.fill("#id_password", PASSWORD)
        page.click("form[action$='/login/'] button[type=submit]")

    log_in()
    expect(page.locator("h1")).to_have_text("Cài đặt xác thực hai bước")
    untranslated.extend(english_on(page))
    expect(page.locator(".qr svg")).to_be_visible()
    page.screenshot(path=screenshots / "01-set-up.png", full_page=True)
    page.goto(live_server.url + "/")  # nothing else is open yet
    expect(page.locator("h1")).to_have_text("Cài đặt xác thực hai bước")

    secret = page.inner_text("#two-factor-secret").replace(" ", "")
    device = TOTPDevice.objects.get(user=clerk, confirmed=False)
    key = device.bin_key
    assert re.fullmatch(r"[A-Z2-7]+", secret)
    assert base64.b32decode(secret + "=" * (-len(secret) % 8)) == key  # what the app reads
    page.fill("#id_code", f"{totp(key):06d}")
    page.get_by_role("button", name="Bật xác thực hai bước").click()
    expect(page.locator("h1")).to_have_text("Mã khôi phục")
    codes = page.locator(".recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    untranslated.extend(english_on(page))
    page.screenshot(path=screenshots / "02-recovery-codes.png", full_page=True)
    page.get_by_role("link", name="Tôi đã lưu các mã").click()
    expect(page.locator("h1")).to_have_text("Công việc của tôi")

    page.get_by_role("button", name="Đăng xuất").click()
    log_in()
    expect(page.locator("h1")).to_have_text("Xác thực hai bước")
    untranslated.extend(english_on(page))
    page.screenshot(path=screenshots / "03-code.png", full_page=True)
    page.fill("#id_code", f"{totp(key, drift=1):06d}")  # the next code: each works once
    page.get_by_role("button", name="Xác nhận").click()
    expect(page.locator("h1")).to_have_text("Công việc của tôi")
    assert untranslated == []
