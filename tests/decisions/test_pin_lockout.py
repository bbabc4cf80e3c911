"""Wrong PINs of signing keys are counted, kept in the history, and lock the key."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from decisions import services
from decisions.models import Decision, DecisionEvent, SigningKey
from tests.conftest import PIN
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

Kind = DecisionEvent.Kind


@pytest.fixture
def awaiting_signature(act, specialist, chief_of_office, chair, issuer, make_content):
    decision = services.create_draft(actor=specialist, issuer=issuer, content=make_content())
    assert act(specialist, decision, "submit").status_code == 302
    assert act(chief_of_office, decision, "propose", signer=chair.pk).status_code == 302
    assert act(chair, decision, "review").status_code == 302
    return decision


def kinds(decision):
    return list(decision.events.order_by("sequence").values_list("kind", flat=True))


def test_every_wrong_pin_is_kept_in_the_history_though_nothing_else_changes(
    act, chair, awaiting_signature
):
    before = kinds(awaiting_signature)
    response = act(chair, awaiting_signature, "sign", pin="000000")
    assert response.status_code == 400
    assert "Mật khẩu hoặc mã PIN của khóa ký số không đúng." in response.content.decode()
    awaiting_signature.refresh_from_db()
    assert awaiting_signature.status == Decision.Status.SIGNATURE
    assert kinds(awaiting_signature) == [*before, Kind.PIN_FAILED]
    event = awaiting_signature.events.get(kind=Kind.PIN_FAILED)
    assert (event.actor, event.data["in_a_row"]) == (chair, 1)
    assert SigningKey.objects.get(user=chair, active=True).failed_attempts == 1


def test_five_wrong_pins_lock_the_key_and_the_right_one_is_then_refused_without_trying(
    act, chair, awaiting_signature, jobs_done, mailoutbox
):
    admin = UserFactory.create(is_staff=True, email="admin@example.vn")
    with jobs_done():
        for _ in range(5):
            assert act(chair, awaiting_signature, "sign", pin="000000").status_code == 400
    key = SigningKey.objects.get(user=chair, active=True)
    assert key.locked_until is not None
    assert key.locked_until > timezone.now() + datetime.timedelta(minutes=14)
    assert kinds(awaiting_signature).count(Kind.PIN_FAILED) == 5
    assert kinds(awaiting_signature).count(Kind.KEY_LOCKED) == 1
    # the holder and the administrators are told
    locked_mail = [m for m in mailoutbox if "bị khóa" in m.subject]
    assert sorted(address for m in locked_mail for address in m.to) == sorted(
        [chair.email, admin.email]
    )

    response = act(chair, awaiting_signature, "sign", pin=PIN)
    assert response.status_code == 400
    html = response.content.decode()
    until = timezone.localtime(key.locked_until).strftime("%H:%M %d/%m/%Y")
    assert "bị khóa" in html
    assert until in html
    awaiting_signature.refresh_from_db()
    assert awaiting_signature.status == Decision.Status.SIGNATURE
    # refused before the PIN was tried: no new failure counted
    assert kinds(awaiting_signature).count(Kind.PIN_FAILED) == 5


def test_a_locked_key_signs_again_once_its_cool_off_is_over(act, chair, awaiting_signature):
    SigningKey.objects.filter(user=chair).update(
        locked_until=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert act(chair, awaiting_signature, "sign", pin=PIN).status_code == 302
    awaiting_signature.refresh_from_db()
    assert awaiting_signature.status == Decision.Status.SIGNED


def test_a_right_pin_starts_the_count_again(act, chair, awaiting_signature):
    for _ in range(4):
        act(chair, awaiting_signature, "sign", pin="000000")
    assert act(chair, awaiting_signature, "sign", pin=PIN).status_code == 302
    key = SigningKey.objects.get(user=chair, active=True)
    assert (key.failed_attempts, key.locked_until) == (0, None)


def test_a_wrong_seal_pin_at_issuance_is_counted_against_the_seal_key(
    signed_decision, records_clerk, issuer
):
    decision = signed_decision()
    with pytest.raises(ValidationError):
        services.issue_decision(actor=records_clerk, decision=decision, pin="000000")
    decision.refresh_from_db()
    assert decision.status == Decision.Status.SIGNED
    assert decision.number is None
    assert kinds(decision)[-1] == Kind.PIN_FAILED
    assert SigningKey.objects.get(organization=issuer, active=True).failed_attempts == 1


def test_an_administrator_unlocks_a_key_from_the_admin_and_it_is_logged(client, chair):
    from django.contrib.admin.models import LogEntry

    key = SigningKey.objects.get(user=chair, active=True)
    SigningKey.objects.filter(pk=key.pk).update(
        failed_attempts=3, locked_until=timezone.now() + datetime.timedelta(minutes=10)
    )
    admin = UserFactory.create(is_staff=True, is_superuser=True)
    client.force_login(admin)
    response = client.post(
        "/admin/decisions/signingkey/",
        {"action": "unlock_keys", "_selected_action": [key.pk]},
    )
    assert response.status_code == 302
    key.refresh_from_db()
    assert (key.failed_attempts, key.locked_until) == (0, None)
    assert LogEntry.objects.filter(object_id=str(key.pk), user=admin).exists()
