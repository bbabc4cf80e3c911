"""The Django superuser administers the site but holds no workflow role unless granted one."""

import pytest
from django.urls import reverse

from decisions import lifecycle, permissions, services
from decisions.models import Decision
from tests.conftest import PIN
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
Role = permissions.Role
Status = Decision.Status


@pytest.fixture
def superuser():
    return UserFactory.create(username="root", is_superuser=True, is_staff=True)


@pytest.fixture
def awaiting_signature(draft, chair):
    Decision.objects.filter(pk=draft.pk).update(status=Status.SIGNATURE, signer=chair)
    draft.refresh_from_db()
    return draft


def test_a_superuser_without_roles_does_not_see_decisions(client, superuser, draft):
    client.force_login(superuser)
    assert not permissions.can_view(superuser, draft)
    assert draft.subject not in client.get(reverse("home")).content.decode()
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(reverse("decisions:pdf", args=[draft.pk])).status_code == 404
    admin_list = client.get(reverse("admin:decisions_decision_changelist")).content.decode()
    assert draft.subject not in admin_list


def test_a_superuser_without_roles_may_not_edit_sign_or_issue(
    client, act, superuser, draft, awaiting_signature, signed_decision
):
    signed = signed_decision()
    client.force_login(superuser)
    assert client.get(reverse("decisions:edit", args=[draft.pk])).status_code == 404
    assert act(superuser, awaiting_signature, "sign", pin=PIN).status_code == 404
    assert act(superuser, signed, "issue", pin=PIN).status_code == 404
    with pytest.raises(permissions.NotAllowed):
        services.issue_decision(actor=superuser, decision=signed, pin=PIN)
    signed.refresh_from_db()
    assert signed.status == Status.SIGNED


def test_a_superuser_who_may_only_see_gets_403_on_issuing_and_editing(
    client, act, superuser, issuer, signed_decision
):
    permissions.grant_role(user=superuser, organization=issuer, role=Role.CHIEF_OF_OFFICE)
    signed = signed_decision()
    client.force_login(superuser)
    assert client.get(signed.get_absolute_url()).status_code == 200
    assert act(superuser, signed, "issue", pin=PIN).status_code == 403
    assert client.get(reverse("decisions:edit", args=[signed.pk])).status_code == 403
    signed.refresh_from_db()
    assert signed.status == Status.SIGNED


def test_a_superuser_granted_the_records_clerk_role_issues(
    client, superuser, issuer, signed_decision
):
    permissions.grant_role(user=superuser, organization=issuer, role=Role.RECORDS_CLERK)
    signed = signed_decision()
    client.force_login(superuser)
    assert signed.subject in client.get(reverse("home")).content.decode()
    assert lifecycle.may(superuser, "issue", signed)
    issued = services.issue_decision(actor=superuser, decision=signed, pin=PIN)
    assert issued.status == Status.ISSUED


def test_a_superuser_keeps_the_administration_of_bodies_and_people(
    client, superuser, issuer, specialist
):
    client.force_login(superuser)
    assert client.get(reverse("admin:index")).status_code == 200
    url = reverse("admin:decisions_organization_change", args=[issuer.pk])
    assert client.get(url).status_code == 200
    url = reverse("admin:decisions_user_change", args=[specialist.pk])
    assert client.get(url).status_code == 200
