"""Password change and reset by e-mail, in Vietnamese."""

import re

import pytest
from django.core import mail

pytestmark = pytest.mark.django_db


def test_a_user_resets_a_forgotten_password_by_e_mail(client, specialist, jobs_done):
    specialist.email = "cv@example.invalid"
    specialist.save()
    page = client.get("/accounts/password_reset/")
    assert page.status_code == 200
    assert "Quên mật khẩu?" in page.content.decode()
    with jobs_done():
        response = client.post("/accounts/password_reset/", {"email": "cv@example.invalid"})
        assert mail.outbox == []  # queued, not sent while the page waits
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.subject == "Đặt mật khẩu mới"
    assert "Tên đăng nhập của bạn: specialist" in message.body
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", message.body).group(1)
    form = client.get(link, follow=True)
    assert "Đặt mật khẩu mới" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "Mat-khau-moi-2026!", "new_password2": "Mat-khau-moi-2026!"},
    )
    assert done.status_code == 302
    specialist.refresh_from_db()
    assert specialist.check_password("Mat-khau-moi-2026!")


def test_an_unknown_address_gets_the_same_answer_and_no_e_mail(client, jobs_done):
    with jobs_done():
        response = client.post("/accounts/password_reset/", {"email": "ai@example.invalid"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_a_logged_in_user_changes_his_password_and_a_mismatch_is_explained(client, specialist):
    specialist.set_password("Cu-2026-mat-khau")
    specialist.save()
    client.force_login(specialist)
    bad = client.post(
        "/accounts/password_change/",
        {
            "old_password": "Cu-2026-mat-khau",
            "new_password1": "Moi-2026-mat-khau",
            "new_password2": "Khac-2026-mat-khau",
        },
    )
    assert bad.status_code == 200
    assert 'role="alert"' in bad.content.decode()
    good = client.post(
        "/accounts/password_change/",
        {
            "old_password": "Cu-2026-mat-khau",
            "new_password1": "Moi-2026-mat-khau",
            "new_password2": "Moi-2026-mat-khau",
        },
    )
    assert good.status_code == 302
    specialist.refresh_from_db()
    assert specialist.check_password("Moi-2026-mat-khau")
