"""Numbering under real concurrency (PostgreSQL row locks; SQLite cannot show this)."""

import threading
from collections.abc import Callable
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from decisions import numbering, services
from decisions.models import Decision, Register
from tests.conftest import PIN

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_at_once(jobs: list[Callable[[], object]]) -> list[object]:
    """Run the jobs in threads released together; return each result or exception."""
    barrier = threading.Barrier(len(jobs))
    results: list[object] = [None] * len(jobs)

    def worker(index: int, job: Callable[[], object]) -> None:
        try:
            barrier.wait()
            results[index] = job()
        except Exception as error:
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def test_sixteen_clerks_issuing_at_once_get_exactly_the_numbers_1_to_16(
    records_clerk, signed_decision
):
    decisions = [signed_decision() for _ in range(16)]
    results = run_at_once(
        [
            (lambda d=d: services.issue_decision(pin=PIN, decision=d, actor=records_clerk))
            for d in decisions
        ]
    )
    assert all(isinstance(result, Decision) for result in results), results
    numbers = sorted(Decision.objects.values_list("number", flat=True))
    assert numbers == list(range(1, 17))
    register = Register.objects.get()
    assert register.last_number == 16
    assert numbering.find_gaps(register) == []


def test_two_clerks_issuing_the_same_decision_issue_it_once(
    records_clerk, make_person, issuer, signed_decision
):
    from decisions.permissions import Role

    second_clerk = make_person(Role.RECORDS_CLERK, issuer, username="clerk-2")
    decision = signed_decision()
    results = run_at_once(
        [
            lambda: services.issue_decision(pin=PIN, decision=decision, actor=records_clerk),
            lambda: services.issue_decision(pin=PIN, decision=decision, actor=second_clerk),
        ]
    )
    assert sorted(type(r).__name__ for r in results) == ["Decision", "ValidationError"]
    assert Register.objects.get().last_number == 1
    decision.refresh_from_db()
    assert decision.number == 1


def test_an_issuance_that_fails_after_taking_a_number_leaves_no_gap(records_clerk, signed_decision):
    first, failing, third = signed_decision(), signed_decision(), signed_decision()
    services.issue_decision(pin=PIN, decision=first, actor=records_clerk)
    with (
        mock.patch("decisions.signing.pades.seal", side_effect=OSError("disk")),
        pytest.raises(OSError, match="disk"),
    ):
        services.issue_decision(pin=PIN, decision=failing, actor=records_clerk)
    services.issue_decision(pin=PIN, decision=third, actor=records_clerk)
    assert sorted(Decision.objects.exclude(number=None).values_list("number", flat=True)) == [1, 2]
    assert numbering.find_gaps(Register.objects.get()) == []
    failing.refresh_from_db()
    assert failing.number is None


def test_two_clerks_completing_the_same_issuance_task_issue_it_once(
    act, specialist, chief_of_office, chair, records_clerk, make_person, issuer, draft
):
    from decisions.permissions import Role
    from workflow import driver

    for user, step, fields in [
        (specialist, "submit", {}),
        (chief_of_office, "propose", {"signer": chair.pk}),
        (chair, "review", {"sign_now": "on", "pin": PIN}),
    ]:
        assert act(user, draft, step, **fields).status_code == 302
    draft.refresh_from_db()
    second_clerk = make_person(Role.RECORDS_CLERK, issuer, username="clerk-2")

    def issue_as(clerk):
        return lambda: driver.run_step(
            decision=draft,
            user=clerk,
            step="issue",
            action=lambda: services.issue_decision(pin=PIN, actor=clerk, decision=draft),
        )

    results = run_at_once([issue_as(records_clerk), issue_as(second_clerk)])
    successes = [r for r in results if isinstance(r, Decision)]
    assert len(successes) == 1, results
    assert all(isinstance(r, ValidationError | Exception) for r in results if r not in successes)
    assert Decision.objects.get(pk=draft.pk).number == 1
    assert Register.objects.get().last_number == 1
