"""Failed logins lock the account and the address; password reset requests are limited."""

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command

from decisions.models import OutgoingMail
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "mật-khẩu-đúng-1"


@pytest.fixture
def person():
    user = UserFactory.create(username="nguoidung", email="nguoidung@example.vn")
    user.set_password(PASSWORD)
    user.save()
    return user


def log_in(client, username, password, address="10.0.0.1"):
    return client.post(
        "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=address
    )


def test_the_right_password_logs_in(client, person):
    response = log_in(client, "nguoidung", PASSWORD)
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(client, person):
    for _ in range(4):
        response = log_in(client, "nguoidung", "sai")
        assert response.status_code == 200
        assert "Sai tên đăng nhập hoặc mật khẩu" in response.content.decode()
    response = log_in(client, "nguoidung", "sai")
    assert response.status_code == 429
    response = log_in(client, "nguoidung", PASSWORD, address="10.0.0.2")  # another computer
    assert response.status_code == 429
    html = response.content.decode()
    assert "Đăng nhập sai quá nhiều lần" in html
    assert "15 phút" in html
    assert "_auth_user_id" not in client.session


def test_five_wrong_passwords_from_one_address_lock_that_address_for_every_account(client, person):
    for n in range(5):
        log_in(client, f"khong-co-{n}", "sai", address="10.0.0.9")
    assert log_in(client, "nguoidung", PASSWORD, address="10.0.0.9").status_code == 429
    assert log_in(client, "nguoidung", PASSWORD, address="10.0.0.10").status_code == 302


def test_a_success_clears_the_accounts_count(client, person):
    for _ in range(4):
        log_in(client, "nguoidung", "sai", address="10.0.0.3")
    assert log_in(client, "nguoidung", PASSWORD, address="10.0.0.4").status_code == 302
    client.logout()
    for _ in range(4):
        log_in(client, "nguoidung", "sai", address="10.0.0.5")
    assert log_in(client, "nguoidung", PASSWORD, address="10.0.0.6").status_code == 302


def test_an_administrator_unlocks_an_account_with_axes_reset_username(client, person):
    for _ in range(5):
        log_in(client, "nguoidung", "sai", address="10.0.0.7")
    assert AccessAttempt.objects.filter(username="nguoidung").exists()
    call_command("axes_reset_username", "nguoidung")
    AccessAttempt.objects.filter(ip_address="10.0.0.7").delete()  # the address's own count
    assert log_in(client, "nguoidung", PASSWORD, address="10.0.0.7").status_code == 302


def test_behind_the_proxy_the_address_is_the_one_nginx_saw(client, person, settings):
    settings.DECISIONS_TRUSTED_PROXY_COUNT = 1
    for n in range(5):
        client.post(
            "/accounts/login/",
            {"username": f"khong-co-{n}", "password": "sai"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=f"1.2.3.{n}, 10.9.9.9",  # forged first entries change nothing
        )
    assert AccessAttempt.objects.filter(ip_address="10.9.9.9").count() == 5
    # another client behind the same proxy still logs in
    response = client.post(
        "/accounts/login/",
        {"username": "nguoidung", "password": PASSWORD},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="10.8.8.8",
    )
    assert response.status_code == 302


def ask_reset(client, email, address="10.1.0.1"):
    return client.post("/accounts/password_reset/", {"email": email}, REMOTE_ADDR=address)


def test_password_reset_requests_are_limited_per_email_without_telling_if_it_exists(
    client, person, jobs_done
):
    with jobs_done():
        for n in range(5):
            assert ask_reset(client, person.email, address=f"10.1.0.{n}").status_code == 302
    assert OutgoingMail.objects.filter(address=person.email).count() == 5
    refused = ask_reset(client, person.email, address="10.1.0.99")
    assert refused.status_code == 429
    assert "Yêu cầu đặt lại mật khẩu quá nhiều lần" in refused.content.decode()
    for n in range(5):
        ask_reset(client, "khong-ai@example.vn", address=f"10.2.0.{n}")
    unknown = ask_reset(client, "khong-ai@example.vn", address="10.2.0.99")
    assert unknown.status_code == 429  # the same answer as for an existing account
    assert "Yêu cầu đặt lại mật khẩu quá nhiều lần" in unknown.content.decode()
    assert OutgoingMail.objects.filter(address=person.email).count() == 5


def test_password_reset_requests_are_limited_per_address(client, person):
    for n in range(5):
        assert ask_reset(client, f"ai-{n}@example.vn", address="10.3.0.1").status_code == 302
    assert ask_reset(client, person.email, address="10.3.0.1").status_code == 429
    assert ask_reset(client, person.email, address="10.3.0.2").status_code == 302
