"""Distribution: the Nơi nhận bodies receive, open, download and acknowledge issued decisions."""

import hashlib

import pytest
from django.core import mail

from decisions import permissions, selectors, services
from decisions.models import Decision, DecisionEvent, Delivery

pytestmark = pytest.mark.django_db
Role = permissions.Role


def test_issuing_delivers_once_to_each_linked_body_and_person_but_not_to_the_archive(
    seed_000_issued, bodies, vice_chair
):
    deliveries = seed_000_issued.deliveries.all()
    assert {d.organization.code for d in deliveries if d.organization} == {
        "so-khcn",
        "phong-noi-vu-gr",
        "xa-thanh-hung",
    }
    assert [d.user for d in deliveries if d.user] == [vice_chair]
    assert {d.status for d in deliveries} == {Delivery.Status.SENT}
    receivers = {
        address
        for message in mail.outbox
        for address in message.to
        if "Văn bản đến" in message.subject
    }
    assert receivers == {
        bodies[c][1].email for c in ("so-khcn", "phong-noi-vu-gr", "xa-thanh-hung")
    } | {vice_chair.email}
    assert services.distribute_decision(decision=seed_000_issued) == []  # safe to run again
    assert seed_000_issued.events.filter(kind=DecisionEvent.Kind.DISTRIBUTED).count() == 1


def test_a_receiver_finds_opens_downloads_and_acknowledges_it(client, seed_000_issued, bodies):
    body, receiver = bodies["so-khcn"]
    client.force_login(receiver)
    page = client.get("/incoming/?q=muc tieu chat luong").content.decode()
    assert "93" not in seed_000_issued.reference  # numbered from the register, not the paste
    assert seed_000_issued.reference in page
    assert "1 chưa đọc" in page
    assert client.get(seed_000_issued.get_absolute_url()).status_code == 200
    delivery = seed_000_issued.deliveries.get(organization=body)
    assert delivery.status == Delivery.Status.OPENED
    response = client.get(f"/decisions/{seed_000_issued.pk}/pdf/?download=1")
    content = b"".join(response.streaming_content)
    assert hashlib.sha256(content).hexdigest() == seed_000_issued.pdf_sha256
    event = seed_000_issued.events.filter(kind=DecisionEvent.Kind.PDF_VIEWED).last()
    assert (event.actor, event.data["download"]) == (receiver, True)
    assert client.post(f"/decisions/{seed_000_issued.pk}/acknowledge/").status_code == 302
    delivery.refresh_from_db()
    assert (delivery.status, delivery.acknowledged_by) == (Delivery.Status.ACKNOWLEDGED, receiver)
    again = client.post(f"/decisions/{seed_000_issued.pk}/acknowledge/", follow=True)
    assert "đã được xác nhận" in again.content.decode()


def test_a_user_of_a_body_not_on_the_list_gets_404(client, seed_000_issued, bodies):
    client.force_login(bodies["unrelated"][1])
    assert client.get(seed_000_issued.get_absolute_url()).status_code == 404
    assert client.get(f"/decisions/{seed_000_issued.pk}/pdf/?download=1").status_code == 404
    assert client.post(f"/decisions/{seed_000_issued.pk}/acknowledge/").status_code == 404
    assert list(selectors.incoming_for(bodies["unrelated"][1])) == []


def test_the_drafter_and_the_clerk_see_the_delivery_table(
    client, seed_000_issued, specialist, records_clerk
):
    for user in (specialist, records_clerk):
        client.force_login(user)
        page = client.get(seed_000_issued.get_absolute_url()).content.decode()
        assert "Phát hành" in page
        assert "SO-KHCN" in page


@pytest.mark.parametrize(
    "query", ["quyet dinh", "QUYẾT ĐỊNH", "Quyết Định", "giong rieng", "iso 9001", "qđ-ubnd"]
)
def test_search_ignores_case_and_diacritics(seed_000_issued, bodies, query):
    receiver = bodies["phong-noi-vu-gr"][1]
    assert [d.decision for d in selectors.incoming_for(receiver, query=query)] == [seed_000_issued]


def test_a_search_that_matches_nothing_finds_nothing(seed_000_issued, bodies):
    assert list(selectors.incoming_for(bodies["so-khcn"][1], query="ngân sách")) == []


def test_the_incoming_page_stays_within_a_query_bound(
    client, seed_000_issued, bodies, django_assert_max_num_queries
):
    client.force_login(bodies["so-khcn"][1])
    with django_assert_max_num_queries(10):
        assert client.get("/incoming/").status_code == 200


def test_acknowledging_is_for_receivers_only(seed_000_issued, records_clerk):
    with pytest.raises(permissions.NotAllowed):
        services.acknowledge_delivery(actor=records_clerk, decision=seed_000_issued)
    assert (
        not Decision.objects.get(pk=seed_000_issued.pk)
        .deliveries.filter(status=Delivery.Status.ACKNOWLEDGED)
        .exists()
    )


def test_the_drafter_links_the_entries_to_the_directory_and_the_archive_stays_unlinked(
    client, draft, specialist, bodies
):
    entries = {r.text: r for r in draft.recipients.all()}
    body = bodies["so-khcn"][0]
    client.force_login(specialist)
    page = client.get(draft.get_absolute_url()).content.decode()
    assert "Ai nhận văn bản" in page
    response = client.post(
        f"/decisions/{draft.pk}/recipients/", {f"keep-{entries['Như Điều 3'].pk}": [f"o:{body.pk}"]}
    )
    assert response.status_code == 302
    assert list(entries["Như Điều 3"].organizations.all()) == [body]
    bad = client.post(
        f"/decisions/{draft.pk}/recipients/",
        {f"keep-{entries['Lưu: VT, VP'].pk}": [f"o:{body.pk}"]},
    )
    assert bad.status_code == 400
    assert not entries["Lưu: VT, VP"].organizations.exists()


def test_someone_else_cannot_link_the_recipients(client, draft, chief_of_office, bodies):
    client.force_login(chief_of_office)
    entry = draft.recipients.first()
    response = client.post(
        f"/decisions/{draft.pk}/recipients/", {f"keep-{entry.pk}": [f"o:{bodies['so-khcn'][0].pk}"]}
    )
    assert response.status_code == 403
    assert not entry.organizations.exists()


def test_incoming_can_be_searched_by_issue_date(seed_000_issued, bodies):
    day = f"{seed_000_issued.issued_on:%d/%m/%Y}"
    found = selectors.incoming_for(bodies["so-khcn"][1], query=day)
    assert [d.decision for d in found] == [seed_000_issued]


def test_the_incoming_pages_keep_the_search(client, seed_000_issued, bodies):
    body, receiver = bodies["so-khcn"]
    copies = Decision.objects.bulk_create(
        Decision(
            issuer=seed_000_issued.issuer,
            document_type=seed_000_issued.document_type,
            authority=seed_000_issued.authority,
            authority_line="X",
            subject=f"Thử {n}",
            drafter=seed_000_issued.drafter,
            search_text=f"thu {n}",
        )
        for n in range(30)
    )
    Delivery.objects.bulk_create(Delivery(decision=copy, organization=body) for copy in copies)
    client.force_login(receiver)
    page = client.get("/incoming/?q=thu").content.decode()
    assert "?q=thu&amp;unread=&amp;page=2" in page


def test_receivers_see_what_was_sent_to_them_not_the_issuers_internal_history(
    seed_000_issued, bodies, client, chief_of_office, act, specialist
):
    decision = seed_000_issued
    receiver = bodies["so-khcn"][1]
    client.force_login(receiver)
    page = client.get(decision.get_absolute_url()).content.decode()
    assert "01/QĐ-UBND" in page
    assert "Những gì đã gửi cho bạn" in page
    assert str(bodies["so-khcn"][0]) in page[page.index("my-delivery-title") :]
    assert "Lịch sử" not in page  # the internal history
    assert str(specialist) not in page  # who drafted it
    assert str(chief_of_office) not in page  # who checked and proposed it
    client.force_login(chief_of_office)
    inside = client.get(decision.get_absolute_url()).content.decode()
    assert "Lịch sử" in inside
    assert str(specialist) in inside


def _many_bodies(count: int) -> None:
    from decisions.models import Organization
    from decisions.text import fold

    bodies = [
        Organization(
            code=f"xa-{n}",
            name=f"ỦY BAN NHÂN DÂN\nXÃ SỐ {n}",
            abbreviation="UBND",
            level=Organization.Level.COMMUNE,
            search_name=fold(f"ỦY BAN NHÂN DÂN XÃ SỐ {n} xa-{n}"),
        )
        for n in range(count)
    ]
    Organization.objects.bulk_create(bodies)


@pytest.mark.parametrize("extra_bodies", [0, 2000])
def test_the_decision_page_does_not_grow_with_the_directory(
    client, draft, specialist, bodies, extra_bodies, django_assert_max_num_queries
):
    _many_bodies(extra_bodies)
    client.force_login(specialist)
    with django_assert_max_num_queries(25):
        page = client.get(draft.get_absolute_url())
    assert page.status_code == 200
    assert "XÃ SỐ 1999" not in page.content.decode()  # no list of every body on the page


def test_the_picker_finds_bodies_people_and_groups_without_diacritics_among_thousands(
    client, specialist, recipient_user, bodies, django_assert_max_num_queries
):
    from decisions.models import RecipientGroup

    _many_bodies(2000)
    science = bodies["so-khcn"][0]
    science.name_in_text = "Sở Khoa học và Công nghệ tỉnh An Giang"
    science.save()
    group = RecipientGroup.objects.create(name="Các sở, ban, ngành tỉnh")
    group.organizations.add(science)
    client.force_login(specialist)
    with django_assert_max_num_queries(8):
        found = client.get("/directory/search/", {"q": "so khoa hoc"}).json()["results"]
    assert {"token": f"o:{science.pk}", "label": science.running_name} in found
    groups = client.get("/directory/search/", {"q": "SO BAN NGANH"}).json()["results"]
    assert groups == [{"token": f"g:{group.pk}", "label": "Nhóm: Các sở, ban, ngành tỉnh"}]
    many = client.get("/directory/search/", {"q": "xa so 1"}).json()["results"]
    assert len(many) == 20  # a page of suggestions, never the whole directory
    client.force_login(recipient_user)
    assert client.get("/directory/search/", {"q": "so"}).status_code == 403


def test_a_line_linked_to_a_group_delivers_to_each_member(
    client, draft, specialist, bodies, records_clerk, signed_decision
):
    from decisions.models import RecipientGroup
    from tests.conftest import PIN

    group = RecipientGroup.objects.create(name="UBND các xã, phường")
    group.organizations.add(bodies["xa-thanh-hung"][0], bodies["phong-noi-vu-gr"][0])
    decision = signed_decision()
    line = decision.recipients.exclude(text__startswith="Lưu").first()
    Decision.objects.filter(pk=decision.pk).update(status=Decision.Status.DRAFT)
    client.force_login(specialist)
    response = client.post(
        f"/decisions/{decision.pk}/recipients/", {f"add-{line.pk}": "Nhóm: UBND các xã, phường"}
    )
    assert response.status_code == 302
    assert list(line.groups.all()) == [group]
    Decision.objects.filter(pk=decision.pk).update(status=Decision.Status.SIGNED)
    services.issue_decision(actor=records_clerk, decision=decision, pin=PIN)
    services.distribute_decision(decision=decision)  # the flow's next node
    delivered = set(decision.deliveries.values_list("organization__code", flat=True))
    assert delivered == {"xa-thanh-hung", "phong-noi-vu-gr"}


def test_a_name_not_in_the_directory_is_refused_and_changes_nothing(client, draft, specialist):
    line = draft.recipients.first()
    client.force_login(specialist)
    response = client.post(f"/decisions/{draft.pk}/recipients/", {f"add-{line.pk}": "Sở Không Có"})
    assert response.status_code == 400
    assert "không có trong danh bạ" in response.content.decode()
    assert not line.organizations.exists()


def test_lines_linked_to_nobody_are_shown_to_the_office_and_listed_for_paper_dispatch(
    act, client, draft, specialist, chief_of_office
):
    assert act(specialist, draft, "submit").status_code == 302
    client.force_login(chief_of_office)
    page = client.get(draft.get_absolute_url()).content.decode()
    paper = page[page.index("paper-title") :]
    unlinked = [r.text for r in draft.recipients.all() if not r.is_archive]
    for text in unlinked:
        assert text in paper[: paper.index("</section>")]
    listing = client.get(f"/decisions/{draft.pk}/dispatch/").content.decode()
    for text in unlinked:
        assert text in listing
    assert "Ký nhận" in listing
