"""What waits for each person, in a bounded number of queries."""

import pytest

from decisions import selectors, services
from decisions.models import Decision

pytestmark = pytest.mark.django_db


def test_each_person_sees_what_waits_for_them(
    act, specialist, chief_of_office, chair, records_clerk, draft
):
    assert list(selectors.decisions_awaiting(chief_of_office)) == []
    assert act(specialist, draft, "submit").status_code == 302
    assert list(selectors.decisions_awaiting(chief_of_office)) == [draft]
    assert list(selectors.decisions_awaiting(chair)) == []
    assert act(chief_of_office, draft, "propose", signer=chair.pk).status_code == 302
    assert list(selectors.decisions_awaiting(chair)) == [draft]
    assert act(chair, draft, "return", reason="Sửa").status_code == 302
    assert list(selectors.decisions_awaiting(specialist)) == [draft]  # returned to him
    assert list(selectors.decisions_awaiting(records_clerk)) == []


def test_the_home_page_with_its_inbox_stays_within_a_query_bound_as_data_grows(
    client, chair, specialist, issuer, make_content, django_assert_max_num_queries
):
    def add(count: int) -> None:
        for _ in range(count):
            decision = services.create_draft(
                actor=specialist, issuer=issuer, content=make_content()
            )
            Decision.objects.filter(pk=decision.pk).update(
                status=Decision.Status.REVIEW, signer=chair
            )

    client.force_login(chair)
    add(3)
    with django_assert_max_num_queries(12) as small:
        client.get("/")
    add(30)
    with django_assert_max_num_queries(12) as large:
        response = client.get("/")
    assert len(large.captured_queries) == len(small.captured_queries)
    assert response.content.decode().count("Về việc ban hành mục tiêu chất lượng") >= 33
