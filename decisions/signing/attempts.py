"""Wrong PINs of signing keys: counted per key, locking the key after too many in a row.

The one place of the rule. `backends.unlock` refuses a locked key before trying its PIN
(`check_not_locked`) and tags a `WrongPinError` with the key. The signing services are
wrapped in `records_wrong_pins` (outside their own transaction): once the signing transaction
has rolled back, the failure is counted and written into the decision's history in a
transaction of its own. A caller that encloses a signing service in a transaction of its own
(workflow.driver) wraps that transaction in `wrong_pins_survive()`, so that the failure rolled
back with it is written again after it. After DECISIONS_PIN_MAX_FAILURES wrong PINs in a row the
key is locked for DECISIONS_PIN_LOCKOUT_MINUTES; its holder and the administrators are told by
e-mail. A right PIN sets the count back to zero; an administrator can unlock a key early.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, ParamSpec, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from decisions.models import Decision, DecisionEvent, SigningKey, User
from decisions.signing.backends import WrongPinError

P = ParamSpec("P")
T = TypeVar("T")


@dataclass(frozen=True)
class PinFailure:
    """One wrong PIN: which key, while signing which decision, typed by whom."""

    key_id: int
    decision_id: int
    actor_id: int


class KeyLockedError(ValidationError):
    def __init__(self, until: datetime.datetime) -> None:
        super().__init__(
            _(
                "This signing key is locked after too many wrong PINs, until %(until)s. "
                "Try again then, or ask the administrator to unlock it."
            )
            % {"until": format_time(until)},
            code="key_locked",
        )


def format_time(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%H:%M %d/%m/%Y")


def check_not_locked(key: SigningKey) -> None:
    """Refuse a locked key (without trying any PIN)."""
    until = SigningKey.objects.filter(pk=key.pk).values_list("locked_until", flat=True).first()
    if until is not None and until > timezone.now():
        raise KeyLockedError(until)


def record_success(key: SigningKey) -> None:
    """A right PIN: the count starts again (in the signing transaction)."""
    SigningKey.objects.filter(pk=key.pk, failed_attempts__gt=0).update(
        failed_attempts=0, locked_until=None
    )


def record_failure(failure: PinFailure) -> None:
    """Count a wrong PIN and write it into the decision's history; lock the key when it was
    one too many (then its holder and the administrators are told, after commit)."""
    from decisions import events, notifications

    with transaction.atomic():
        key = SigningKey.objects.select_for_update().get(pk=failure.key_id)
        decision = Decision.objects.get(pk=failure.decision_id)
        actor = User.objects.get(pk=failure.actor_id)
        key.failed_attempts += 1
        events.record(
            decision,
            DecisionEvent.Kind.PIN_FAILED,
            actor=actor,
            key=key.pk,
            certificate_subject=key.subject,
            in_a_row=key.failed_attempts,
        )
        if key.failed_attempts >= settings.DECISIONS_PIN_MAX_FAILURES:
            key.failed_attempts = 0
            key.locked_until = timezone.now() + datetime.timedelta(
                minutes=settings.DECISIONS_PIN_LOCKOUT_MINUTES
            )
            events.record(
                decision,
                DecisionEvent.Kind.KEY_LOCKED,
                actor=actor,
                key=key.pk,
                certificate_subject=key.subject,
                until=key.locked_until.isoformat(),
            )
            notifications.enqueue("key_locked", key_id=key.pk)
        key.save(update_fields=["failed_attempts", "locked_until"])


def records_wrong_pins(service: Callable[P, T]) -> Callable[P, T]:
    """Wrap a signing service taking `actor=` and `decision=`: a wrong PIN is recorded after
    the service's transaction has rolled back, then the error goes on."""

    @functools.wraps(service)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        try:
            return service(*args, **kwargs)
        except WrongPinError as error:
            if error.key_id is not None and error.failure is None:
                decision: Any = kwargs["decision"]
                actor: Any = kwargs["actor"]
                error.failure = PinFailure(error.key_id, decision.pk, actor.pk)
            _record_again(error)
            raise

    return wrapper


@contextmanager
def wrong_pins_survive() -> Iterator[None]:
    """Wrap a transaction that encloses a signing service: a wrong PIN recorded inside it
    (and so rolled back with it) is recorded again after it."""
    try:
        yield
    except WrongPinError as error:
        _record_again(error)
        raise


def _record_again(error: WrongPinError) -> None:
    if isinstance(error.failure, PinFailure):
        record_failure(error.failure)


@transaction.atomic
def unlock_key(*, key: SigningKey, actor: User) -> SigningKey:
    """An administrator unlocks a key before its time (recorded in the admin's log by the
    caller); the count of wrong PINs starts again."""
    key = SigningKey.objects.select_for_update().get(pk=key.pk)
    key.failed_attempts, key.locked_until = 0, None
    key.save(update_fields=["failed_attempts", "locked_until"])
    return key
