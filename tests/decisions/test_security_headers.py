"""Every page answers with the Content-Security-Policy and Permissions-Policy headers; a PDF
shown in the browser gets a policy of its own; no template of ours needs inline code."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

PAGE_POLICY = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
]


def assert_policies(response, where: str) -> None:
    policy = response.get("Content-Security-Policy", "")
    assert [d for d in PAGE_POLICY if d not in policy] == [], (where, policy)
    assert "unsafe-inline" not in policy, where
    assert "unsafe-eval" not in policy, where
    permissions_policy = response.get("Permissions-Policy", "")
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"):
        assert feature in permissions_policy, (where, permissions_policy)


def test_the_public_and_anonymous_pages_carry_both_headers(client, draft):
    for url in ("/accounts/login/", "/verify/", "/published/", "/admin/login/", "/khong-co/"):
        assert_policies(client.get(url), url)
    assert_policies(client.get(draft.get_absolute_url()), "redirect to login")


def test_every_roles_pages_carry_both_headers(
    client, draft, specialist, chief_of_office, records_clerk, admin_client
):
    client.force_login(specialist)
    for url in (
        reverse("home"),
        draft.get_absolute_url(),
        reverse("decisions:edit", args=[draft.pk]),
        reverse("decisions:new"),
        reverse("decisions:import"),
        reverse("decisions:incoming"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_policies(response, url)
    client.force_login(records_clerk)
    for url in (reverse("decisions:registers"), draft.get_absolute_url()):
        assert_policies(client.get(url), url)
    client.force_login(chief_of_office)
    assert_policies(client.get(reverse("decisions:edit", args=[draft.pk])), "403")
    for url in (reverse("admin:index"), reverse("admin:decisions_user_changelist")):
        assert_policies(admin_client.get(url), url)


def test_the_issued_decisions_public_page_carries_both_headers(client, seed_000_issued):
    assert_policies(client.get(f"/v/{seed_000_issued.verification_token}"), "verify")


def test_only_the_editor_may_frame_its_own_blob_preview(client, draft, specialist):
    client.force_login(specialist)
    editor = client.get(reverse("decisions:edit", args=[draft.pk]))
    assert "frame-src 'self' blob:" in editor["Content-Security-Policy"]
    assert "blob:" not in client.get(draft.get_absolute_url())["Content-Security-Policy"]


def test_a_pdf_may_be_framed_by_our_pages_only(client, draft, specialist):
    client.force_login(specialist)
    response = client.get(reverse("decisions:pdf", args=[draft.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Security-Policy"] == "frame-ancestors 'self'"
    assert "camera=()" in response["Permissions-Policy"]


INLINE = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+\s*=|\sstyle\s*=|<style", re.I)


def test_no_template_served_to_browsers_has_inline_script_style_or_handlers():
    """Templates under decisions/pdf/ are printed by WeasyPrint, never served as pages."""
    root = Path(settings.BASE_DIR) / "templates"
    found = [
        f"{path.relative_to(root)}: {match.group(0)!r}"
        for path in root.rglob("*.html")
        if "pdf" not in path.relative_to(root).parts
        for match in INLINE.finditer(path.read_text())
    ]
    assert found == []
