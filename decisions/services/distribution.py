"""Distribution (NĐ 30, Điều 18): deliveries, receipts, reminders (also of overdue steps),
resending, recall."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from decisions import calendar, events, lifecycle, notifications, permissions
from decisions.exchange import transport as exchange
from decisions.models import (
    Decision,
    DecisionEvent,
    Delivery,
    StepRecord,
    User,
)
from decisions.services.common import require_reason


@transaction.atomic
def distribute_decision(*, decision: Decision) -> list[Delivery]:
    """Send an issued decision to every body and person its Nơi nhận entries name.

    One delivery per receiving body or person, whatever the number of entries naming it; the
    archive entry ("Lưu: VT, …") delivers to no one. Safe to run again. The receivers' users
    get an e-mail after commit (NĐ 30, Điều 18: the day of issue).
    """
    decision = lifecycle.begin("distribute", decision=decision, actor=None)
    recipients = [
        r
        for r in decision.recipients.prefetch_related(
            "organizations", "users", "groups__organizations", "groups__users"
        )
        if not r.is_archive
    ]
    groups = [group for r in recipients for group in r.groups.all() if group.active]
    bodies = {org.pk for r in recipients for org in r.organizations.all()}
    bodies |= {org.pk for group in groups for org in group.organizations.all()}
    people = {user.pk for r in recipients for user in r.users.all()}
    people |= {user.pk for group in groups for user in group.users.all()}
    existing = list(decision.deliveries.values_list("organization_id", "user_id"))
    existing_bodies = {body for body, _person in existing}
    existing_people = {person for _body, person in existing}
    now = timezone.now()
    created = Delivery.objects.bulk_create(
        [
            Delivery(decision=decision, organization_id=pk, sent_at=now)
            for pk in sorted(bodies - existing_bodies)
        ]
        + [
            Delivery(decision=decision, user_id=pk, sent_at=now)
            for pk in sorted(people - existing_people)
        ]
    )
    if created:
        events.record(
            decision,
            DecisionEvent.Kind.DISTRIBUTED,
            actor=None,
            bodies=len(bodies),
            people=len(people),
            deliveries=[delivery.pk for delivery in created],
        )
        notifications.enqueue("delivered", decision_id=decision.pk)
        # Bodies outside this installation get an edXML package instead of an e-mail.
        exchange.queue_packages(created)
    return created


@transaction.atomic
def open_delivery(*, actor: User, decision: Decision) -> None:
    """The first time a receiver opens the decision, its delivery is marked opened."""
    unopened = permissions.deliveries_for(actor).filter(
        decision=decision, status=Delivery.Status.SENT
    )
    opened = list(unopened.select_for_update(of=("self",)).values_list("pk", flat=True))
    if opened:
        Delivery.objects.filter(pk__in=opened).update(
            status=Delivery.Status.OPENED, opened_at=timezone.now()
        )
        events.record(decision, DecisionEvent.Kind.OPENED, actor=actor, deliveries=opened)


@transaction.atomic
def acknowledge_delivery(*, actor: User, decision: Decision) -> Delivery:
    """A receiver confirms that his body (or he) has received the decision ("Đã nhận")."""
    deliveries = list(
        permissions.deliveries_for(actor)
        .select_for_update(of=("self",))
        .select_related("organization")
        .filter(decision=decision)
    )
    delivery = next((d for d in deliveries if permissions.can_acknowledge(actor, d)), None)
    if delivery is None:
        if deliveries:
            raise ValidationError(_("This decision has already been acknowledged."))
        raise permissions.NotAllowed(_("This decision was not sent to you."))
    now = timezone.now()
    delivery.status = Delivery.Status.ACKNOWLEDGED
    delivery.opened_at = delivery.opened_at or now
    delivery.acknowledged_at, delivery.acknowledged_by = now, actor
    delivery.save()
    events.record(
        decision,
        DecisionEvent.Kind.ACKNOWLEDGED,
        actor=actor,
        body=str(delivery.organization or ""),
        delivery=delivery.pk,
    )
    return delivery


def send_reminders(*, now: datetime.datetime | None = None) -> list[Delivery]:
    """Remind every receiving body that has not acknowledged within the configured number of
    working days since it was sent or last reminded. Safe to run twice: a reminded delivery is
    not due again until as many working days have passed. Rows are locked one by one
    (SKIP LOCKED), so two runs at once never remind the same body twice."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    limit = settings.DECISIONS_REMINDER_WORKING_DAYS
    pending = Delivery.objects.filter(
        status__in=[Delivery.Status.SENT, Delivery.Status.OPENED],
        decision__status=Decision.Status.ISSUED,
    ).values_list("pk", flat=True)
    reminded = []
    for pk in pending:
        with transaction.atomic():
            delivery = (
                Delivery.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("decision")
                .filter(pk=pk, status__in=[Delivery.Status.SENT, Delivery.Status.OPENED])
                .first()
            )
            if delivery is None:
                continue
            since = timezone.localdate(delivery.reminded_at or delivery.sent_at)
            if calendar.working_days_between(since, today) < limit:
                continue
            delivery.reminded_at, delivery.reminders = now, delivery.reminders + 1
            delivery.save(update_fields=["reminded_at", "reminders"])
            events.record(
                delivery.decision,
                DecisionEvent.Kind.REMINDED,
                actor=None,
                delivery=delivery.pk,
                reminders=delivery.reminders,
            )
            notifications.enqueue("delivery", delivery_id=delivery.pk, reminder=True)
            reminded.append(delivery)
    return reminded


def remind_overdue_steps(*, now: datetime.datetime | None = None) -> list[StepRecord]:
    """Remind the people whose move it is of every step past its due time, once per step
    (safe to run twice; rows are locked one by one, SKIP LOCKED)."""
    now = now or timezone.now()
    overdue = StepRecord.objects.filter(
        finished_at__isnull=True, reminded_at__isnull=True, due_at__lt=now
    ).values_list("pk", flat=True)
    reminded = []
    for pk in overdue:
        with transaction.atomic():
            step = (
                StepRecord.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("decision", "organization")
                .filter(pk=pk, finished_at__isnull=True, reminded_at__isnull=True)
                .first()
            )
            if step is None:
                continue
            step.reminded_at = now
            step.save(update_fields=["reminded_at"])
            events.record(step.decision, DecisionEvent.Kind.REMINDED, actor=None, step=step.status)
            holder = lifecycle.STEPS[step.status].holder
            user_ids = (
                [step.holder_id]
                if step.holder_id
                else list(
                    permissions.users_with_permission(
                        f"decisions.{holder}", step.organization
                    ).values_list("pk", flat=True)
                )
            )
            notifications.enqueue(
                "overdue",
                decision_id=step.decision_id,
                user_ids=user_ids,
                step=str(step.get_status_display()),
                due=f"{timezone.localtime(step.due_at):%H:%M %d/%m/%Y}",
            )
            reminded.append(step)
    return reminded


@transaction.atomic
def resend_delivery(*, actor: User, delivery: Delivery) -> Delivery:
    """The văn thư sends a delivery again (the body's users are e-mailed again)."""
    delivery = (
        Delivery.objects.select_for_update(of=("self",))
        .select_related("decision", "decision__issuer")
        .get(pk=delivery.pk)
    )
    lifecycle.check("resend", decision=delivery.decision, actor=actor)
    if delivery.status == Delivery.Status.RECALLED:
        raise ValidationError(_("A recalled decision cannot be sent again."))
    delivery.sent_at = timezone.now()
    delivery.save(update_fields=["sent_at"])
    events.record(delivery.decision, DecisionEvent.Kind.RESENT, actor=actor, delivery=delivery.pk)
    notifications.enqueue("delivery", delivery_id=delivery.pk, reminder=False)
    return delivery


@transaction.atomic
def recall_decision(*, actor: User, decision: Decision, reason: str) -> Decision:
    """The văn thư recalls an issued decision (thu hồi, NĐ 30, Điều 18.4): its deliveries are
    marked recalled and the receivers are told after commit."""
    decision = lifecycle.begin("recall", decision=decision, actor=actor)
    reason = require_reason(reason)
    lifecycle.move(decision, "recall", actor=actor)
    decision.save(update_fields=["status", "updated_at"])
    decision.deliveries.update(status=Delivery.Status.RECALLED)
    events.record(decision, DecisionEvent.Kind.RECALLED, actor=actor, note=reason)
    notifications.enqueue("recalled", decision_id=decision.pk)
    return decision
