"""Vietnamese working days: Monday to Friday, except the public holidays (admin: Holiday)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from decisions.models import Holiday


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after `start` up to and including `end` (0 if `end` is not later)."""
    if end <= start:
        return 0
    holidays = set(
        Holiday.objects.filter(date__gt=start, date__lte=end).values_list("date", flat=True)
    )
    days = 0
    day = start
    while day < end:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5 and day not in holidays:
            days += 1
    return days


def add_working_days(start: datetime.datetime, days: int) -> datetime.datetime:
    """`days` working days after `start`, at the same time of day (Saturdays, Sundays and the
    holidays of the admin are skipped). A start outside working days counts from the next
    working day's morning."""
    holidays = set(
        Holiday.objects.filter(
            date__gte=start.date(), date__lte=start.date() + datetime.timedelta(days=days * 2 + 60)
        ).values_list("date", flat=True)
    )

    def working(day: datetime.date) -> bool:
        return day.weekday() < 5 and day not in holidays

    moment = timezone.localtime(start) if timezone.is_aware(start) else start
    if not working(moment.date()):
        while not working(moment.date()):
            moment += datetime.timedelta(days=1)
        moment = moment.replace(hour=8, minute=0, second=0, microsecond=0)
    remaining = days
    while remaining > 0:
        moment += datetime.timedelta(days=1)
        if working(moment.date()):
            remaining -= 1
    return moment
