"""Every error answers with our own Vietnamese page (DEBUG off, as in production): for our
views, the admin, and whatever viewflow or Django raise."""

from pathlib import Path

import pytest
from django.conf import settings
from django.template import loader
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

ENGLISH = [
    "Not Found",
    "Server Error",
    "Forbidden",
    "Bad Request",
    "CSRF verification failed",
    "Page not found",
    "Permission denied",
]


def assert_ours(response, status: int, heading: str) -> str:
    assert response.status_code == status
    page = response.content.decode()
    assert f"<h1>{heading}</h1>" in page
    assert '<html lang="vi">' in page
    assert [word for word in ENGLISH if word.lower() in page.lower()] == []
    return page


def test_debug_is_off_in_these_tests():
    assert settings.DEBUG is False


def test_an_unknown_address_gives_our_404(client, specialist):
    client.force_login(specialist)
    assert_ours(client.get("/khong-co-trang-nay/"), 404, "Không tìm thấy")


def test_a_decision_one_may_not_see_gives_our_404(client, draft, recipient_user):
    client.force_login(recipient_user)
    assert_ours(client.get(draft.get_absolute_url()), 404, "Không tìm thấy")


def test_a_decision_one_may_see_but_not_edit_gives_our_403_with_the_reason(client, draft, chair):
    client.force_login(chair)
    response = client.get(reverse("decisions:edit", args=[draft.pk]))
    page = assert_ours(response, 403, "Không được phép")
    assert "Bạn không được sửa" in page


def test_a_post_too_large_to_read_gives_our_400(client, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 3
    fields = {f"field{n}": "x" for n in range(10)}
    assert_ours(client.post(reverse("login"), fields), 400, "Không đọc được yêu cầu")


def test_a_form_without_its_csrf_token_gives_our_expired_form_page(specialist):
    client = Client(enforce_csrf_checks=True)
    client.force_login(specialist)
    response = client.post(reverse("logout"))
    page = assert_ours(response, 403, "Biểu mẫu đã hết hạn")
    assert "không có gì bị thay đổi" in page


@pytest.mark.urls("tests.error_urls")
def test_a_view_that_fails_gives_our_500(client, specialist):
    client.raise_request_exception = False
    client.force_login(specialist)
    assert_ours(client.get("/explode/"), 500, "Đã có lỗi xảy ra")


def test_the_500_page_needs_neither_a_request_nor_the_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        page = loader.get_template("500.html").render()
    assert "Đã có lỗi xảy ra" in page


def test_the_admin_errors_are_ours_too(admin_client, draft):
    assert_ours(admin_client.get("/admin/khong-co/"), 404, "Không tìm thấy")
    add = admin_client.get(reverse("admin:decisions_decision_add"))
    assert_ours(add, 403, "Không được phép")


@pytest.mark.parametrize("name", ["400.html", "403.html", "403_csrf.html", "404.html", "500.html"])
def test_our_error_templates_win_over_viewflows_and_djangos(name):
    origin = Path(loader.get_template(name).origin.name)
    assert origin == Path(settings.BASE_DIR) / "templates" / name
