"""Vietnamese working days: Monday to Friday, except the public holidays (admin: Holiday)."""

from __future__ import annotations

import datetime

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
