"""A receiver's home: what was sent to him, unread first, and what he must acknowledge, with
the same deliveries and counts as his "Văn bản đến"."""

import re

import pytest
from django.urls import reverse

from decisions import services
from decisions.models import Delivery

pytestmark = pytest.mark.django_db


def rows(page: str, table: str) -> list[str]:
    """The decision links of a table's rows, in order, with "unread" marked."""
    body = page[page.index(f'<table class="{table}"') if table else page.index("<table") :]
    body = body[: body.index("</table>")]
    return [
        ("unread " if "unread" in row else "") + link
        for row, link in re.findall(
            r"<tr([^>]*)>\s*<td>[^<]*</td>\s*<td><a href=\"([^\"]+)\"", body
        )
    ]


def counts_of(page: str) -> str:
    section = page[page.index('class="received-counts">') + len('class="received-counts">') :]
    return " ".join(re.sub(r"<[^>]+>", "", section[: section.index("</p>")]).split())


@pytest.fixture
def receivers(seed_000_issued, bodies, client):
    """Three receivers of seed 000: one has not opened it, one opened it, one acknowledged it."""
    unread, opened, acknowledged = (
        bodies[code][1] for code in ("so-khcn", "phong-noi-vu-gr", "xa-thanh-hung")
    )
    client.force_login(opened)
    client.get(seed_000_issued.get_absolute_url())
    services.acknowledge_delivery(actor=acknowledged, decision=seed_000_issued)
    return {"unread": unread, "opened": opened, "acknowledged": acknowledged}


def test_each_receivers_home_lists_and_counts_what_his_incoming_page_does(
    client, receivers, seed_000_issued
):
    expected = {
        "unread": ("1 chưa đọc · 1 cần xác nhận đã nhận", "unread "),
        "opened": ("0 chưa đọc · 1 cần xác nhận đã nhận", ""),
        "acknowledged": ("0 chưa đọc · 0 cần xác nhận đã nhận", ""),
    }
    for name, user in receivers.items():
        client.force_login(user)
        home = client.get(reverse("home")).content.decode()
        incoming = client.get("/incoming/").content.decode()
        counts, mark = expected[name]
        assert counts_of(home).startswith(counts), name
        assert "tất cả 1 trong Văn bản đến" in counts_of(home), name
        assert (
            rows(home, "received")
            == rows(incoming, "")
            == [mark + seed_000_issued.get_absolute_url()]
        ), name
        assert "Chưa có quyết định nào dành cho bạn" not in home
        assert ("cần xác nhận đã nhận</span>" in home) == (name != "acknowledged")


def test_the_home_shows_unread_decisions_first_then_the_newest_read_ones(
    client, receivers, seed_000_issued, signed_decision, records_clerk, jobs_done
):
    """A second decision reaches the body of the "opened" receiver; a third is sent and he
    opens it: the unread one comes first although it is not the newest."""
    from tests.conftest import PIN

    user = receivers["opened"]
    second = issued_to(signed_decision, records_clerk, jobs_done, PIN, "phong-noi-vu-gr")
    third = issued_to(signed_decision, records_clerk, jobs_done, PIN, "phong-noi-vu-gr")
    client.force_login(user)
    client.get(third.get_absolute_url())
    home = client.get(reverse("home")).content.decode()
    assert rows(home, "received") == [
        "unread " + second.get_absolute_url(),
        third.get_absolute_url(),
        seed_000_issued.get_absolute_url(),
    ]
    assert counts_of(home).startswith("1 chưa đọc · 3 cần xác nhận đã nhận · tất cả 3")
    incoming = client.get("/incoming/?unread=1").content.decode()
    assert rows(incoming, "") == ["unread " + second.get_absolute_url()]


def issued_to(signed_decision, records_clerk, jobs_done, pin, code):
    from decisions.content import RecipientEntry
    from decisions.models import Organization

    body = Organization.objects.get(code=code)
    decision = signed_decision(
        recipients=[
            RecipientEntry("Phòng CM", organization_ids=[body.pk]),
            RecipientEntry("Lưu: VT"),
        ]
    )
    with jobs_done():
        decision = services.issue_decision(actor=records_clerk, decision=decision, pin=pin)
        services.distribute_decision(decision=decision)
    return decision


def test_someone_who_receives_nothing_sees_no_received_section(client, specialist):
    client.force_login(specialist)
    home = client.get(reverse("home")).content.decode()
    assert "received-counts" not in home
    assert Delivery.objects.count() == 0
