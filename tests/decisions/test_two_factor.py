"""Two-step sign-in: who must use it, setting it up, codes and recovery codes."""

import re

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from decisions import sign_in
from decisions.permissions import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "secret-pass-123"  # tests/factories.py
PRODUCTION_ROLES = ["chair", "vice_chair", "records_clerk", "admin"]


@pytest.fixture(autouse=True)
def required_as_in_production(settings):
    settings.DECISIONS_2FA_REQUIRED_ROLES = PRODUCTION_ROLES


def code_of(device: TOTPDevice, *, step_ahead: int = 0) -> str:
    """The code the person's app shows (a step ahead: the next one, as a code is used once)."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, drift=step_ahead):06d}"


def log_in(client, user):
    response = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return response


def with_app(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="app", confirmed=True)


@pytest.mark.parametrize(
    ("persona", "must"),
    [
        ("chair", True),
        ("vice_chair", True),
        ("records_clerk", True),
        ("chief_of_office", False),
        ("specialist", False),
    ],
)
def test_who_must_use_two_step_sign_in(persona, must, request):
    assert sign_in.two_factor_required(request.getfixturevalue(persona)) is must


def test_administrators_must_use_it_and_the_setting_alone_decides(settings, specialist):
    admin = UserFactory.create(is_staff=True)
    assert sign_in.two_factor_required(admin)
    settings.DECISIONS_2FA_REQUIRED_ROLES = [Role.SPECIALIST.value]
    assert not sign_in.two_factor_required(admin)
    assert sign_in.two_factor_required(specialist)
    settings.DECISIONS_2FA_REQUIRED_ROLES = []
    assert not sign_in.two_factor_required(specialist)


def test_a_records_clerk_without_an_app_can_reach_nothing_but_the_set_up_page(
    client, records_clerk
):
    log_in(client, records_clerk)
    for page in ("/", "/registers/", "/accounts/two-factor/", "/admin/"):
        response = client.get(page)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/two-factor/set-up/")
    assert client.get("/accounts/two-factor/set-up/").status_code == 200
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/").url.startswith("/accounts/login/")


def test_setting_up_shows_the_qr_code_and_key_then_ten_recovery_codes_once(client, records_clerk):
    log_in(client, records_clerk)
    page = client.get("/accounts/two-factor/set-up/").content.decode()
    assert "<svg" in page
    device = TOTPDevice.objects.get(user=records_clerk, confirmed=False)
    secret = re.search(r'id="two-factor-secret">([A-Z2-7 ]+)<', page).group(1)
    assert secret.replace(" ", "") == sign_in.secret_of(device).replace(" ", "")

    wrong = client.post("/accounts/two-factor/set-up/", {"code": "000000"})
    assert wrong.status_code == 400
    assert "Mã không đúng hoặc đã hết hạn" in wrong.content.decode()
    device.throttling_failure_count = 0  # the wrong code's back-off, spent at once here
    device.throttling_failure_timestamp = None
    device.save()

    response = client.post("/accounts/two-factor/set-up/", {"code": code_of(device)})
    assert response["Location"] == "/accounts/two-factor/recovery-codes/"
    codes_page = client.get("/accounts/two-factor/recovery-codes/").content.decode()
    codes = re.findall(r"<li><code>(\w+)</code></li>", codes_page)
    assert len(codes) == 10
    assert client.get("/accounts/two-factor/recovery-codes/").status_code == 302  # only once
    assert client.get("/").status_code == 200  # verified: the work goes on
    device.refresh_from_db()
    assert device.confirmed


def test_a_person_with_an_app_gives_its_code_after_the_password(client, chair):
    device = with_app(chair)
    response = log_in(client, chair)
    assert client.get(response["Location"])["Location"].startswith("/accounts/two-factor/verify/")
    verified = client.post(
        "/accounts/two-factor/verify/", {"code": code_of(device), "next": "/registers/"}
    )
    assert verified["Location"] == "/registers/"
    assert client.get("/registers/").status_code == 200


def test_a_wrong_code_is_refused_and_the_next_try_must_wait(client, chair):
    device = with_app(chair)
    log_in(client, chair)
    wrong = client.post("/accounts/two-factor/verify/", {"code": "000000"})
    assert wrong.status_code == 400
    assert "Mã không đúng hoặc đã hết hạn" in wrong.content.decode()
    throttled = client.post("/accounts/two-factor/verify/", {"code": code_of(device)})
    assert throttled.status_code == 400
    assert "đợi giây lát" in throttled.content.decode()
    assert client.get("/")["Location"].startswith("/accounts/two-factor/verify/")


def test_a_recovery_code_signs_in_once(client, chair):
    with_app(chair)
    code = sign_in.new_recovery_codes(chair)[0]
    log_in(client, chair)
    response = client.post("/accounts/two-factor/verify/", {"code": code})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert StaticToken.objects.filter(device__user=chair).count() == 9
    client.post("/accounts/logout/")
    log_in(client, chair)
    again = client.post("/accounts/two-factor/verify/", {"code": code})
    assert again.status_code == 400


def test_others_are_not_asked_but_may_set_it_up_and_are_then_asked(client, specialist):
    log_in(client, specialist)
    assert client.get("/").status_code == 200
    assert "Xác thực hai bước đang tắt" in client.get("/accounts/two-factor/").content.decode()
    client.get("/accounts/two-factor/set-up/")
    device = TOTPDevice.objects.get(user=specialist)
    client.post("/accounts/two-factor/set-up/", {"code": code_of(device)})
    client.post("/accounts/logout/")
    log_in(client, specialist)
    assert client.get("/")["Location"].startswith("/accounts/two-factor/verify/")


def test_the_admin_site_asks_staff_for_their_code_too(client):
    admin = UserFactory.create(is_staff=True, is_superuser=True)
    device = with_app(admin)
    response = client.post(
        "/admin/login/?next=/admin/", {"username": admin.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get("/admin/")["Location"].startswith("/accounts/two-factor/verify/")
    client.post("/accounts/two-factor/verify/", {"code": code_of(device)})
    assert client.get("/admin/").status_code == 200
