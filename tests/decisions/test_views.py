"""The pages a person opens: login, home, a decision, the admin."""

import pytest
from django.urls import reverse

from decisions import permissions
from decisions.models import Decision

pytestmark = pytest.mark.django_db


def test_every_page_asks_an_anonymous_visitor_to_log_in(client, draft):
    for url in (reverse("home"), draft.get_absolute_url()):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_the_login_page_is_in_vietnamese(client):
    response = client.get(reverse("login"))
    content = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="vi">' in content
    assert "Đăng nhập" in content
    assert "Mật khẩu" in content


def test_a_wrong_password_is_refused_in_vietnamese(client, specialist):
    response = client.post(reverse("login"), {"username": "specialist", "password": "sai"})
    assert response.status_code == 200
    assert "Sai tên đăng nhập hoặc mật khẩu" in response.content.decode()


def test_a_user_logs_in_and_sees_his_decisions_and_roles(client, specialist, draft):
    response = client.post(
        reverse("login"), {"username": "specialist", "password": "secret-pass-123"}, follow=True
    )
    content = response.content.decode()
    assert draft.subject in content
    assert "Chuyên viên" in content


def test_the_detail_page_shows_the_content_and_history(client, specialist, draft):
    client.force_login(specialist)
    content = client.get(draft.get_absolute_url()).content.decode()
    assert "CHỦ TỊCH ỦY BAN NHÂN DÂN HUYỆN GIỒNG RIỀNG" in content
    assert "Điều 3." in content
    assert "- Lưu: VT, VP." in content
    assert "Tạo mới" in content


@pytest.mark.parametrize("persona", ["recipient_user", "colleague"])
def test_a_decision_the_user_may_not_see_is_not_found(client, request, draft, make_person, persona):
    from decisions.permissions import Role

    if persona == "colleague":
        user = make_person(Role.SPECIALIST, draft.issuer, username="colleague")
    else:
        user = request.getfixturevalue(persona)
    client.force_login(user)
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 404
    assert draft.subject not in response.content.decode()


def test_the_home_page_lists_decisions_in_a_fixed_number_of_queries(
    client, specialist, issuer, make_content, django_assert_max_num_queries
):
    from decisions import services

    for _ in range(12):
        services.create_draft(actor=specialist, issuer=issuer, content=make_content())
    client.force_login(specialist)
    with django_assert_max_num_queries(15):
        response = client.get(reverse("home"))
    assert response.content.decode().count("Về việc ban hành mục tiêu chất lượng") == 12


def test_the_admin_speaks_vietnamese_and_keeps_decisions_read_only(admin_client, admin_user, draft):
    # the administrator sees a decision in the admin only through a role in its body
    permissions.grant_role(
        user=admin_user, organization=draft.issuer, role=permissions.Role.CHIEF_OF_OFFICE
    )
    index = admin_client.get(reverse("admin:index")).content.decode()
    assert "Cơ quan, tổ chức" in index
    assert "Sổ đăng ký văn bản đi" in index
    change_url = reverse("admin:decisions_decision_change", args=[draft.pk])
    page = admin_client.get(change_url).content.decode()
    assert "Trích yếu" in page
    response = admin_client.post(change_url, {"subject": "Sửa trong admin"})
    assert response.status_code == 403
    assert Decision.objects.get(pk=draft.pk).subject != "Sửa trong admin"
    add = admin_client.get(reverse("admin:decisions_decision_add"))
    assert add.status_code == 403


def test_the_admin_edits_organisations_and_people(admin_client, issuer, specialist):
    response = admin_client.get(reverse("admin:decisions_organization_change", args=[issuer.pk]))
    assert response.status_code == 200
    assert "Chữ viết tắt" in response.content.decode()
    response = admin_client.get(reverse("admin:decisions_user_change", args=[specialist.pk]))
    content = response.content.decode()
    assert "Chức vụ (như in trên văn bản)" in content
    assert "Chuyên viên" in content  # the roles granted in each body


def test_the_admin_gives_and_takes_roles_with_checkboxes_on_the_persons_page(
    admin_client, specialist, issuer
):
    from decisions import permissions
    from decisions.admin import PersonForm

    page = admin_client.get(reverse("admin:decisions_user_change", args=[specialist.pk]))
    html = page.content.decode()
    assert "vai trò tại cơ quan của mình" in html
    assert 'value="specialist"' in html
    form = PersonForm(instance=specialist)
    assert form.initial["role_set"] == ["specialist"]
    form.cleaned_data = {"role_set": ["records_clerk"]}
    form.save_roles(specialist)
    assert permissions.roles_of(specialist, issuer) == {permissions.Role.RECORDS_CLERK}
    assert (
        "/permissions/"
        not in admin_client.get(
            reverse("admin:decisions_organization_change", args=[issuer.pk])
        ).content.decode()
    )  # guardian's English object-permission page is gone


def test_a_leader_on_a_phone_reads_the_decision_as_page_images(
    client, draft, chair, recipient_user
):
    from io import BytesIO

    from PIL import Image

    client.force_login(chair)
    page = client.get(f"/decisions/{draft.pk}/read/")
    assert page.status_code == 200
    html = page.content.decode()
    assert f"/decisions/{draft.pk}/pages/1.png" in html
    image = client.get(f"/decisions/{draft.pk}/pages/1.png?w=600")
    assert image["Content-Type"] == "image/png"
    with Image.open(BytesIO(image.content)) as png:
        assert png.width == 600
        assert png.height > 800  # A4 portrait
    assert client.get(f"/decisions/{draft.pk}/pages/99.png").status_code == 404
    client.force_login(recipient_user)
    assert client.get(f"/decisions/{draft.pk}/read/").status_code == 404
    assert client.get(f"/decisions/{draft.pk}/pages/1.png").status_code == 404


def test_the_home_list_merges_the_bodys_decisions_and_ones_own_drafts_elsewhere_newest_first(
    client, chair, specialist, issuer, other_issuer, make_content, make_person
):
    """A chair who once drafted for another body sees both, newest first, page after page."""
    import datetime

    from django.utils import timezone

    from decisions import permissions, services
    from decisions.models import Decision

    elsewhere = make_person(permissions.Role.SPECIALIST, other_issuer, username="cv.tinh")
    start = timezone.now() - datetime.timedelta(days=1)
    made = []
    for n in range(30):
        body, drafter = (other_issuer, elsewhere) if n % 3 == 0 else (issuer, specialist)
        decision = services.create_draft(
            actor=drafter, issuer=body, content=make_content(subject=f"Về việc số {n:02d}")
        )
        # The chair's own drafts in the other body (he once worked there).
        Decision.objects.filter(pk=decision.pk).update(
            created_at=start + datetime.timedelta(minutes=n),
            drafter=chair if body == other_issuer else drafter,
        )
        made.append(f"Về việc số {n:02d}")
    client.force_login(chair)
    first = client.get(reverse("home")).content.decode()
    second = client.get(reverse("home") + "?page=2").content.decode()
    newest_first = list(reversed(made))

    def listed(page: str) -> list[str]:
        return [subject for subject in newest_first if subject in page]

    assert listed(first) == newest_first[:25]
    assert listed(second) == newest_first[25:]
    assert [first.index(s) for s in listed(first)] == sorted(first.index(s) for s in listed(first))
