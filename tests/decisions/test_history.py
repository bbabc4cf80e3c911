"""The history is append-only, keyed, sealed at its end and anchored daily; verify_history names
every tamper, each performed here as a database administrator would: with raw SQL, guards off."""

import datetime
import hashlib
import json
import zoneinfo
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone

from decisions import anchors, events, history_check, history_keys, services
from decisions.models import Decision, DecisionEvent, HistoryHead

VIETNAM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def own_anchor_folder(settings, tmp_path):
    settings.DECISIONS_ANCHOR_DIR = str(tmp_path / "anchors")


def findings(*ids):
    return {(p.code, p.decision_id) for p in history_check.check_all(list(ids) or None)}


def codes(*ids):
    return {code for code, _decision in findings(*ids)}


def as_administrator(sql, params=()):
    """Raw SQL with the guards (triggers) switched off, as whoever owns the database can."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            for (name,) in cursor.fetchall():
                cursor.execute(f'DROP TRIGGER "{name}"')
        else:  # ALTER TABLE needs the pending foreign-key checks done first
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for table in (
                "decisionevent",
                "historyhead",
                "delivery",
                "decision",
                "recipient",
                "decisionversion",
            ):
                cursor.execute(f"ALTER TABLE decisions_{table} DISABLE TRIGGER USER")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        cursor.execute(sql, params)


def verify(*args):
    out = StringIO()
    try:
        call_command("verify_history", *args, stdout=out)
    except CommandError as error:
        return out.getvalue(), str(error)
    return out.getvalue(), ""


@pytest.fixture
def edited(draft, specialist, make_content):
    for subject in ("Về A", "Về B", "Về C"):
        services.update_draft(
            actor=specialist, decision=draft, content=make_content(subject=subject)
        )
    return draft


def test_every_entry_is_keyed_links_to_the_one_before_and_the_end_is_sealed(edited):
    chain = list(edited.events.order_by("sequence"))
    assert [e.sequence for e in chain] == [1, 2, 3, 4]
    assert chain[0].previous_hash == events.GENESIS
    assert [e.previous_hash for e in chain[1:]] == [e.hash for e in chain[:-1]]
    assert {e.key_version for e in chain} == {history_keys.current()[0]}
    assert {e.status for e in chain} == {Decision.Status.DRAFT}
    head = HistoryHead.objects.get(decision_id=edited.pk)
    assert (head.length, head.hash) == (4, chain[-1].hash)
    out, error = verify()
    assert error == ""
    assert "Mọi lịch sử đều nguyên vẹn" in out


def test_a_whole_life_issued_delivered_acknowledged_and_published_verifies(
    seed_000_issued, bodies, records_clerk
):
    services.open_delivery(actor=bodies["xa-thanh-hung"][1], decision=seed_000_issued)
    services.open_delivery(actor=bodies["xa-thanh-hung"][1], decision=seed_000_issued)
    assert seed_000_issued.events.filter(kind="opened").count() == 1
    services.acknowledge_delivery(actor=bodies["so-khcn"][1], decision=seed_000_issued)
    services.publish_decision(actor=records_clerk, decision=seed_000_issued, public=True)
    services.record_pdf_view(actor=records_clerk, decision=seed_000_issued, download=False)
    assert codes() == set()


def test_an_entry_rewritten_with_raw_sql_is_named(edited):
    second = edited.events.get(sequence=2)
    as_administrator(
        "UPDATE decisions_decisionevent SET note = %s WHERE id = %s", ["chèn thêm", second.pk]
    )
    assert findings() == {("rewritten", edited.pk)}
    out, error = verify()
    assert "mục này đã bị sửa sau khi ghi" in out
    assert f"quyết định {edited.pk}; mục 2" in out
    assert "vấn đề" in error


def test_an_entry_rewritten_with_every_later_hash_recomputed_by_the_public_function_is_named(
    edited,
):
    """Without the key, a forger can only use plain SHA-256 (the chain before #15): caught."""
    chain = list(edited.events.order_by("sequence"))
    previous = chain[0].hash
    for event in chain[1:]:
        event.note = "viết lại" if event.sequence == 2 else event.note
        new_hash = hashlib.sha256(f"{previous}:{events.canonical(event)}".encode()).hexdigest()
        as_administrator(
            "UPDATE decisions_decisionevent SET note = %s, previous_hash = %s, hash = %s "
            "WHERE id = %s",
            [event.note, previous, new_hash, event.pk],
        )
        previous = new_hash
    as_administrator(
        "UPDATE decisions_historyhead SET hash = %s WHERE decision_id = %s", [previous, edited.pk]
    )
    found = codes()
    assert "rewritten" in found
    assert "head_forged" in found


def test_deleting_the_last_entry_is_named_truncation(edited):
    as_administrator(
        "DELETE FROM decisions_decisionevent WHERE id = %s", [edited.events.get(sequence=4).pk]
    )
    assert findings() == {("truncated", edited.pk)}
    out, _error = verify()
    assert "các mục cuối của lịch sử đã bị xóa" in out
    assert "3/4" in out


def test_truncating_from_any_entry_onward_is_named_truncation(edited):
    as_administrator(
        "DELETE FROM decisions_decisionevent WHERE decision_id = %s AND sequence >= 2", [edited.pk]
    )
    assert findings() == {("truncated", edited.pk)}


def test_deleting_an_entry_in_the_middle_is_named_a_gap(edited):
    as_administrator(
        "DELETE FROM decisions_decisionevent WHERE id = %s", [edited.events.get(sequence=2).pk]
    )
    assert {"gap", "link"} <= codes()


def test_deleting_all_of_a_decisions_entries_is_named(edited):
    as_administrator("DELETE FROM decisions_decisionevent WHERE decision_id = %s", [edited.pk])
    assert findings() == {("history_deleted", edited.pk)}


def test_deleting_the_sealed_end_or_forging_it_is_named(edited, draft):
    as_administrator(
        "UPDATE decisions_historyhead SET length = 3 WHERE decision_id = %s", [edited.pk]
    )
    assert findings() == {("head_forged", edited.pk)}
    as_administrator("DELETE FROM decisions_historyhead WHERE decision_id = %s", [edited.pk])
    assert findings() == {("head_missing", edited.pk)}


def test_an_issued_decision_set_to_voided_by_sql_without_an_entry_is_named(seed_000_issued):
    as_administrator(
        "UPDATE decisions_decision SET status = 'voided' WHERE id = %s", [seed_000_issued.pk]
    )
    assert findings() == {("status_without_entry", seed_000_issued.pk)}
    out, _error = verify()
    assert "trạng thái của quyết định bị đổi mà không có mục nào" in out
    assert "issued → voided" in out


def test_publication_changed_by_sql_without_an_entry_is_named(seed_000_issued):
    as_administrator(
        "UPDATE decisions_decision SET is_public = %s WHERE id = %s", [True, seed_000_issued.pk]
    )
    assert findings() == {("publication_without_entry", seed_000_issued.pk)}


def test_deliveries_added_deleted_or_acknowledged_by_sql_are_named(seed_000_issued, bodies):
    decision = seed_000_issued
    first, second, third = decision.deliveries.filter(status="sent").order_by("pk")[:3]
    as_administrator("UPDATE decisions_delivery SET status = 'opened' WHERE id = %s", [third.pk])
    as_administrator(
        "UPDATE decisions_delivery SET status = 'acknowledged', acknowledged_at = %s WHERE id = %s",
        [timezone.now(), first.pk],
    )
    as_administrator("DELETE FROM decisions_delivery WHERE id = %s", [second.pk])
    as_administrator(
        "INSERT INTO decisions_delivery (decision_id, organization_id, status, sent_at, "
        "reminders) VALUES (%s, %s, 'sent', %s, 0)",
        [decision.pk, bodies["unrelated"][0].pk, timezone.now()],
    )
    assert codes() == {
        "opening_without_entry",
        "acknowledgement_without_entry",
        "delivery_deleted",
        "delivery_without_entry",
    }


def delete_entirely(decision_id, *, with_end=True):
    """Delete a decision and every row that points to it, as an administrator with SQL."""
    for table in ("organizations", "users"):
        as_administrator(
            f"DELETE FROM decisions_recipient_{table} WHERE recipient_id IN "  # noqa: S608
            "(SELECT id FROM decisions_recipient WHERE decision_id = %s)",
            [decision_id],
        )
    for table in ("steprecord", "delivery", "recipient", "attachment", "decisionversion"):
        as_administrator(f"DELETE FROM decisions_{table} WHERE decision_id = %s", [decision_id])  # noqa: S608
    as_administrator("DELETE FROM decisions_decisionevent WHERE decision_id = %s", [decision_id])
    if with_end:
        as_administrator("DELETE FROM decisions_historyhead WHERE decision_id = %s", [decision_id])
    as_administrator("DELETE FROM decisions_decision WHERE id = %s", [decision_id])


def test_an_issued_decision_deleted_with_its_history_and_end_leaves_a_named_register_gap(
    seed_000_issued,
):
    delete_entirely(seed_000_issued.pk)
    assert codes() == {"register_gap"}


def test_a_decision_deleted_behind_the_applications_back_is_named_by_its_remaining_end(edited):
    delete_entirely(edited.pk, with_end=False)
    assert findings() == {("decision_deleted", edited.pk)}


# --- The guards --------------------------------------------------------------------------------


def refused(sql, params=()):
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
    except (IntegrityError, DatabaseError):
        return True
    return False


def test_the_database_refuses_to_change_or_delete_entries_ends_and_deliveries(
    seed_000_issued, bodies
):
    event = seed_000_issued.events.first()
    delivery = seed_000_issued.deliveries.first()
    assert refused("UPDATE decisions_decisionevent SET note = 'x' WHERE id = %s", [event.pk])
    assert refused("DELETE FROM decisions_decisionevent WHERE id = %s", [event.pk])
    assert refused("DELETE FROM decisions_historyhead WHERE decision_id = %s", [event.decision_id])
    assert refused("DELETE FROM decisions_delivery WHERE id = %s", [delivery.pk])
    assert refused(
        "UPDATE decisions_delivery SET organization_id = %s WHERE id = %s",
        [bodies["unrelated"][0].pk, delivery.pk],
    )
    # What the services change on a delivery stays possible.
    assert not refused(
        "UPDATE decisions_delivery SET reminders = reminders + 1 WHERE id = %s", [delivery.pk]
    )


def test_the_database_refuses_to_rewrite_an_issued_decisions_versions_or_a_past_round(
    seed_000_issued, edited
):
    assert refused(
        "UPDATE decisions_decisionversion SET content = '{}' WHERE decision_id = %s",
        [seed_000_issued.pk],
    )
    assert refused(
        "DELETE FROM decisions_decisionversion WHERE decision_id = %s", [seed_000_issued.pk]
    )
    Decision.objects.filter(pk=edited.pk).update(revision=2)
    assert refused(
        "UPDATE decisions_decisionversion SET content = '{}' WHERE decision_id = %s AND round = 1",
        [edited.pk],
    )


def test_the_database_refuses_to_publish_a_decision_without_a_number(edited):
    assert refused("UPDATE decisions_decision SET is_public = %s WHERE id = %s", [True, edited.pk])


# --- Keys --------------------------------------------------------------------------------------


def test_a_rotated_key_keys_new_entries_and_the_old_ones_still_verify(
    settings, tmp_path, draft, specialist, make_content
):
    file = tmp_path / "history.keys"
    history_keys.keys()  # the shared test key file exists
    file.write_text(history_keys.path().read_text())
    settings.DECISIONS_HISTORY_KEYS_FILE = str(file)
    old_version = history_keys.current()[0]
    call_command("history_key", "rotate", stdout=StringIO())
    services.update_draft(actor=specialist, decision=draft, content=make_content(subject="Về D"))
    versions = list(draft.events.order_by("sequence").values_list("key_version", flat=True))
    assert versions == [old_version, old_version + 1]
    assert codes() == set()
    # A server without the older key cannot vouch for what it keyed.
    file.write_text("\n".join(line for line in file.read_text().splitlines()[1:]) + "\n")
    history_keys.keys.cache_clear()
    assert codes() == {"unknown_key"}


def test_without_its_key_file_a_production_server_refuses_to_write_history(
    settings, tmp_path, draft, specialist, make_content
):
    settings.DECISIONS_HISTORY_KEYS_FILE = str(tmp_path / "missing.keys")
    settings.DECISIONS_HISTORY_KEYS_CREATE = False
    with pytest.raises(history_keys.MissingKeyError):
        services.update_draft(actor=specialist, decision=draft, content=make_content())
    assert draft.events.count() == 1
    call_command("history_key", "create", stdout=StringIO())
    assert (tmp_path / "missing.keys").stat().st_mode & 0o077 == 0
    with pytest.raises(CommandError):
        call_command("history_key", "create", stdout=StringIO())


# --- Anchors -----------------------------------------------------------------------------------


@pytest.fixture
def anchored(edited, timestamp_service):
    """Today's entries anchored as if the day were over, timestamped by a real RFC 3161 service."""
    today = timezone.localdate()
    path = anchors.anchor_day(today, today=today + datetime.timedelta(days=1))
    return edited, path


def test_a_days_anchor_holds_its_entries_root_and_timestamp_and_verifies(anchored):
    _edited, path = anchored
    anchor = json.loads(path.read_text())
    assert anchor["count"] == 4
    assert anchor["root"] == anchors.merkle_root(anchors.leaves(timezone.localdate()))
    assert anchor["timestamp"]["token"]
    assert list(anchors.check()) == []
    _out, error = verify()
    assert error == ""


def test_an_anchor_without_a_tsa_is_a_notice_not_a_failure(edited):
    today = timezone.localdate()
    anchors.anchor_day(today, today=today + datetime.timedelta(days=1))
    out, error = verify()
    assert error == ""
    assert "[anchor_untimestamped]" in out


def test_a_history_rolled_back_to_an_earlier_valid_state_is_caught_by_the_anchor(anchored):
    """Delete the last entry and put back the end sealed before it (saved by the forger): the
    database agrees with itself; only the anchor knows."""
    edited, _path = anchored
    third = edited.events.get(sequence=3)
    version = history_keys.current()[0]
    as_administrator(
        "DELETE FROM decisions_decisionevent WHERE id = %s", [edited.events.get(sequence=4).pk]
    )
    as_administrator(
        "UPDATE decisions_historyhead SET length = 3, hash = %s, seal = %s WHERE decision_id = %s",
        [third.hash, events.head_seal(edited.pk, 3, third.hash, version), edited.pk],
    )
    assert codes() == set()
    assert {(p.code, p.decision_id) for p in anchors.check()} == {("entry_deleted", edited.pk)}


def test_a_decision_deleted_with_its_history_and_end_is_named_by_the_anchor(anchored):
    edited, _path = anchored
    delete_entirely(edited.pk)
    assert codes() == set()
    assert {p.code for p in anchors.check()} == {"decision_deleted"}
    out, error = verify()
    assert "quyết định đã bị xóa cùng lịch sử" in out
    assert error


def test_an_anchor_file_changed_or_its_timestamp_swapped_is_named(anchored, edited):
    _edited, path = anchored
    anchor = json.loads(path.read_text())
    anchor["leaves"] = anchor["leaves"][:-1]
    path.write_text(json.dumps(anchor))
    assert {p.code for p in anchors.check()} == {"anchor_changed"}
    anchor["count"], anchor["root"] = 3, anchors.merkle_root(anchor["leaves"])
    path.write_text(json.dumps(anchor))
    assert "anchor_timestamp" in {p.code for p in anchors.check()}


def test_an_entry_added_later_with_an_anchored_date_is_named(anchored, specialist):
    edited, _path = anchored
    noon = timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time(12)))
    as_administrator(
        "INSERT INTO decisions_decisionevent (decision_id, sequence, previous_hash, hash, "
        "key_version, status, kind, actor_id, at, note, data) "
        "VALUES (%s, 5, %s, %s, 1, 'draft', 'updated', %s, %s, '', '{}')",
        [edited.pk, "0" * 64, "0" * 64, specialist.pk, noon],
    )
    assert "entry_backdated" in {p.code for p in anchors.check()}


def test_the_worker_anchors_every_finished_day_once_at_night(edited, jobs_done):
    from decisions import jobs

    evening = timezone.localtime().replace(hour=21)
    night = jobs.SCHEDULE["anchor-history"].next_after(evening)
    assert (night.hour, night.minute) == (0, 30)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    written = anchors.anchor_due(tomorrow)
    assert [p.stem for p in written] == [timezone.localdate().isoformat()]
    assert anchors.anchor_due(tomorrow) == []  # done once


def test_entries_of_a_past_day_without_anchor_are_a_notice(edited):
    old = timezone.now() - datetime.timedelta(days=5)
    as_administrator(
        "UPDATE decisions_decisionevent SET at = %s WHERE decision_id = %s", [old, edited.pk]
    )
    assert {p.code for p in anchors.check()} == {"anchor_missing"}


# --- PDF views ---------------------------------------------------------------------------------


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
    assert codes(draft.pk) == set()


def test_checking_for_an_earlier_view_today_is_one_query(
    draft, specialist, django_assert_num_queries
):
    services.record_pdf_view(actor=specialist, decision=draft, download=False)
    with django_assert_num_queries(1):
        services.record_pdf_view(actor=specialist, decision=draft, download=False)
