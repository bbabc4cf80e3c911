"""The history is append-only and hash-chained; verify_history finds any change."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from decisions import events, services

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
