"""Who sees which decision, and how roles are granted per organisation."""

import pytest
from django.contrib.auth.models import AnonymousUser

from decisions import permissions
from decisions.models import Decision
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
Role = permissions.Role


@pytest.mark.parametrize(
    ("persona", "sees"),
    [
        ("specialist", True),  # the drafter
        ("chief_of_office", True),
        ("vice_chair", True),
        ("chair", True),
        ("records_clerk", True),
        ("recipient_user", False),  # receives only issued decisions (distribution)
    ],
)
def test_who_sees_a_draft_of_the_body(request, draft, persona, sees):
    user = request.getfixturevalue(persona)
    assert permissions.can_view(user, draft) is sees
    assert (draft in permissions.decisions_visible_to(user)) is sees


def test_a_colleague_specialist_does_not_see_anothers_draft(draft, make_person, issuer):
    colleague = make_person(Role.SPECIALIST, issuer, username="colleague")
    assert not permissions.can_view(colleague, draft)


def test_the_staff_of_another_body_do_not_see_its_decisions(draft, make_person, other_issuer):
    for role in (Role.CHIEF_OF_OFFICE, Role.CHAIR, Role.RECORDS_CLERK):
        outsider = make_person(role, other_issuer)
        assert not permissions.can_view(outsider, draft)


def test_anonymous_and_inactive_users_see_nothing(draft, chair):
    assert not permissions.decisions_visible_to(AnonymousUser()).exists()
    chair.is_active = False
    chair.save()
    assert not permissions.can_view(chair, draft)


def test_a_superuser_sees_only_what_his_roles_show(draft, issuer):
    admin = UserFactory.create(is_superuser=True)
    assert not permissions.can_view(admin, draft)
    permissions.grant_role(user=admin, organization=issuer, role=Role.CHIEF_OF_OFFICE)
    assert permissions.can_view(admin, draft)


def test_a_role_is_held_only_in_the_organisation_it_was_granted_in(chair, issuer, other_issuer):
    assert permissions.roles_of(chair, issuer) == {Role.CHAIR}
    assert permissions.roles_of(chair, other_issuer) == set()
    assert chair.has_perm(permissions.SIGN_ANY, issuer)
    assert not chair.has_perm(permissions.SIGN_ANY, other_issuer)
    assert not chair.has_perm(permissions.SIGN_ANY)  # never a global permission


def test_granting_twice_changes_nothing_and_revoking_keeps_other_roles(chair, issuer):
    permissions.grant_role(user=chair, organization=issuer, role=Role.CHAIR)
    permissions.grant_role(user=chair, organization=issuer, role=Role.RECORDS_CLERK)
    permissions.revoke_role(user=chair, organization=issuer, role=Role.RECORDS_CLERK)
    assert permissions.roles_of(chair, issuer) == {Role.CHAIR}
    assert chair.has_perm(permissions.VIEW_ALL, issuer)  # still needed by the chair role


def test_every_role_given_or_taken_is_recorded_with_who_did_it(chair, issuer, specialist):
    from decisions.models import RoleEvent

    before = RoleEvent.objects.count()
    permissions.grant_role(
        user=specialist, organization=issuer, role=Role.RECORDS_CLERK, actor=chair
    )
    permissions.grant_role(
        user=specialist, organization=issuer, role=Role.RECORDS_CLERK, actor=chair
    )
    permissions.revoke_role(
        user=specialist, organization=issuer, role=Role.RECORDS_CLERK, actor=chair
    )
    events = list(RoleEvent.objects.order_by("pk")[before:])
    assert [(e.role, e.granted, e.actor, e.user) for e in events] == [
        ("records_clerk", True, chair, specialist),
        ("records_clerk", False, chair, specialist),
    ]  # granting twice records once
    with pytest.raises(ValueError, match="never"):
        events[0].delete()


def test_people_with_a_role_are_listed_per_organisation(
    chair, vice_chair, make_person, other_issuer
):
    make_person(Role.CHAIR, other_issuer, username="other-chair")
    assert list(permissions.users_with_role(chair.organization, Role.CHAIR)) == [chair]
    assert list(permissions.users_with_role(chair.organization, Role.VICE_CHAIR)) == [vice_chair]


def test_listing_a_users_organisations_and_roles_takes_a_fixed_number_of_queries(
    make_person, django_assert_max_num_queries
):
    from tests.factories import OrganizationFactory

    user = UserFactory.create()
    for index in range(5):
        body = OrganizationFactory.create(code=f"body-{index}")
        permissions.grant_role(user=user, organization=body, role=Role.CHAIR)
        permissions.grant_role(user=user, organization=body, role=Role.RECORDS_CLERK)
    with django_assert_max_num_queries(2):
        result = permissions.organizations_with_roles(user)
    assert len(result) == 5
    assert all(set(roles) == {Role.CHAIR, Role.RECORDS_CLERK} for _, roles in result)


def test_the_list_of_visible_decisions_does_not_grow_in_queries(
    specialist, issuer, make_content, django_assert_max_num_queries
):
    from decisions import selectors, services

    for _ in range(5):
        services.create_draft(actor=specialist, issuer=issuer, content=make_content())
    with django_assert_max_num_queries(3):
        rows = [
            (d.issuer.code, d.document_type.abbreviation, d.drafter.username)
            for d in selectors.decision_list_for(specialist)
        ]
    assert len(rows) == Decision.objects.count() == 5
