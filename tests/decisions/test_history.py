"""The history is append-only and hash-chained; verify_history finds any change."""

import datetime
import zoneinfo
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from decisions import events, services
from decisions.models import DecisionEvent

VIETNAM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")

pytestmark = pytest.mark.django_db


def test_every_entry_links_to_the_one_before(draft, specialist, make_content):
    services.update_draft(actor=specialist, decision=draft, content=make_content(subject="Về A"))
    services.record_pdf_view(actor=specialist, decision=draft, download=True)
    chain = list(draft.events.order_by("sequence"))
    assert [e.sequence for e in chain] == [1, 2, 3]
    assert chain[0].previous_hash == events.GENESIS
    assert [e.previous_hash for e in chain[1:]] == [e.hash for e in chain[:-1]]
    assert events.verify_chain(draft.pk) is None
    out = StringIO()
    call_command("verify_history", stdout=out)
    assert "1 lịch sử đã kiểm tra" in out.getvalue()


def test_an_entry_altered_with_raw_sql_is_caught(draft, specialist, make_content):
    services.update_draft(actor=specialist, decision=draft, content=make_content(subject="Về A"))
    services.update_draft(actor=specialist, decision=draft, content=make_content(subject="Về B"))
    second = draft.events.get(sequence=2)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE decisions_decisionevent SET note = %s WHERE id = %s",
            ["ghi chú chèn thêm", second.pk],
        )
    with pytest.raises(CommandError, match=r"mục lịch sử 2 bị hỏng \(mục này đã bị sửa"):
        call_command("verify_history", stdout=StringIO())


def test_a_deleted_entry_is_caught(draft, specialist, make_content):
    for subject in ("Về A", "Về B"):
        services.update_draft(
            actor=specialist, decision=draft, content=make_content(subject=subject)
        )
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM decisions_decisionevent WHERE id = %s", [draft.events.get(sequence=2).pk]
        )
    broken = events.verify_chain(draft.pk)
    assert broken is not None
    assert (broken.sequence, broken.problem) == (2, "missing")


def test_repeated_views_of_a_pdf_by_one_person_within_a_day_are_one_entry(
    client, draft, specialist, chief_of_office, monkeypatch
):
    def views_by(user):
        return draft.events.filter(kind=DecisionEvent.Kind.PDF_VIEWED, actor=user).count()

    morning = datetime.datetime(2026, 3, 2, 8, 0, tzinfo=VIETNAM)
    monkeypatch.setattr(timezone, "now", lambda: morning)
    client.force_login(specialist)
    for _ in range(5):
        assert client.get(f"/decisions/{draft.pk}/pdf/").status_code == 200
    assert views_by(specialist) == 1

    # 23:59 the same day in Vietnam (16:59 UTC) is still that day; 00:01 is the next
    monkeypatch.setattr(timezone, "now", lambda: morning.replace(hour=23, minute=59))
    client.get(f"/decisions/{draft.pk}/pdf/")
    assert views_by(specialist) == 1
    monkeypatch.setattr(timezone, "now", lambda: morning + datetime.timedelta(hours=16, minutes=1))
    client.get(f"/decisions/{draft.pk}/pdf/")
    client.get(f"/decisions/{draft.pk}/read/")  # the page images are the same file, seen
    assert views_by(specialist) == 2

    client.force_login(chief_of_office)
    client.get(f"/decisions/{draft.pk}/pdf/")
    client.get(f"/decisions/{draft.pk}/pdf/")
    assert views_by(chief_of_office) == 1
    client.get(f"/decisions/{draft.pk}/pdf/?download=1")  # taking a copy is its own entry
    assert views_by(chief_of_office) == 2
    assert events.verify_chain(draft.pk) is None


def test_checking_for_an_earlier_view_today_is_one_query(
    draft, specialist, django_assert_num_queries
):
    services.record_pdf_view(actor=specialist, decision=draft, download=False)
    with django_assert_num_queries(1):
        services.record_pdf_view(actor=specialist, decision=draft, download=False)
