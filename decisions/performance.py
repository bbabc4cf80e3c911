"""On-time figures: how long each step of the flow takes and how often it ends on time.

Computed from `StepRecord` rows (one per stay of a decision in a step that waits for
somebody) with aggregate queries only, so the page answers in the same few queries whatever the
number of decisions: counts and on-time shares exactly; the median and the 90th percentile of
the time spent as the upper bound of the duration band they fall in (bands of hours and days,
as people read them). Seed 000 is a body setting itself on-time objectives; these figures are
how it measures them.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from decisions.lifecycle import STEPS
from decisions.models import Decision, Organization, StepRecord, User
from decisions.text import spreadsheet_cell

HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)
# Upper bounds of the duration bands (the last band is open).
BANDS = (HOUR, 4 * HOUR, 8 * HOUR, DAY, 2 * DAY, 3 * DAY, 5 * DAY, 10 * DAY, 20 * DAY)


@dataclass(frozen=True)
class Figure:
    """The figures of one group of steps (a step, a person or a body)."""

    label: str
    done: int
    on_time: int
    overdue_now: int
    median: datetime.timedelta | None  # upper bound of its band; None: longer than the last
    p90: datetime.timedelta | None

    @property
    def on_time_share(self) -> float | None:
        return self.on_time / self.done if self.done else None

    @property
    def median_label(self) -> str:
        return duration_label(self.median)

    @property
    def p90_label(self) -> str:
        return duration_label(self.p90)

    @property
    def on_time_percent(self) -> str:
        share = self.on_time_share
        return "—" if share is None else f"{share * 100:.0f} %"


@dataclass(frozen=True)
class Report:
    start: datetime.date
    end: datetime.date
    bodies: list[Organization]
    by_step: list[Figure]
    by_person: list[Figure]
    by_body: list[Figure]
    overdue: list[StepRecord]


def _band_counts() -> dict[str, Count]:
    """One counter per duration band, to place the median and the 90th percentile."""
    return {
        f"band_{index}": Count("pk", filter=Q(seconds__lte=int(bound.total_seconds())))
        for index, bound in enumerate(BANDS)
    }


def _percentile(row: dict[str, int], done: int, share: float) -> datetime.timedelta | None:
    if not done:
        return None
    needed = share * done
    for index, bound in enumerate(BANDS):
        if row[f"band_{index}"] >= needed:
            return bound
    return None


GROUPS = ("status", "finished_by", "organization")


def _totals(
    finished: QuerySet[StepRecord], open_overdue: QuerySet[StepRecord]
) -> dict[str, dict[object, tuple[dict[str, int], int]]]:
    """Per step, person and body: the counters of finished steps and the overdue open ones.

    One scan of the period's steps, grouped by all three at once; the counters (done, on time,
    duration bands) are sums, so each grouping is added up from those rows in Python."""
    rows = finished.values(*GROUPS).annotate(
        done=Count("pk"),
        on_time=Count("pk", filter=Q(finished_at__lte=F("due_at"))),
        **_band_counts(),
    )
    counters = ["done", "on_time", *(f"band_{index}" for index in range(len(BANDS)))]
    sums: dict[str, dict[object, dict[str, int]]] = {key: {} for key in GROUPS}
    for row in rows:
        for key in GROUPS:
            total = sums[key].setdefault(row[key], dict.fromkeys(counters, 0))
            for counter in counters:
                total[counter] += row[counter]
    overdue_rows = open_overdue.values("status", "holder", "organization").annotate(n=Count("pk"))
    overdue: dict[str, dict[object, int]] = {key: {} for key in GROUPS}
    for row in overdue_rows:
        for key, field in (
            ("status", "status"),
            ("finished_by", "holder"),
            ("organization", "organization"),
        ):
            overdue[key][row[field]] = overdue[key].get(row[field], 0) + row["n"]
    return {
        key: {
            value: (sums[key].get(value, {"done": 0, "on_time": 0}), overdue[key].get(value, 0))
            for value in {*sums[key], *overdue[key]}
        }
        for key in GROUPS
    }


def _figure(label: str, row: dict[str, int], overdue: int) -> Figure:
    done = row.get("done", 0)
    return Figure(
        label=label,
        done=done,
        on_time=row.get("on_time", 0),
        overdue_now=overdue,
        median=_percentile(row, done, 0.5),
        p90=_percentile(row, done, 0.9),
    )


def report(*, bodies: list[Organization], start: datetime.date, end: datetime.date) -> Report:
    """The figures of the steps of `bodies` that ended between `start` and `end` (dates in
    Vietnam time, both included), and the steps overdue now."""
    tz = timezone.get_current_timezone()
    since = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
    until = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tz)
    scope = StepRecord.objects.filter(organization__in=bodies)
    finished = scope.filter(finished_at__gte=since, finished_at__lt=until)
    open_overdue = scope.filter(finished_at__isnull=True, due_at__lt=timezone.now())
    labels = dict(Decision.Status.choices)
    totals = _totals(finished, open_overdue)
    by_step = [
        _figure(str(labels.get(str(status), status)), *figures)
        for status, figures in sorted(
            totals["status"].items(),
            key=lambda item: list(STEPS).index(str(item[0])) if item[0] in STEPS else 99,
        )
    ]
    people_figures = totals["finished_by"]
    people = {user.pk: str(user) for user in User.objects.filter(pk__in=list(people_figures))}
    by_person = sorted(
        (
            _figure(people.get(pk, _("(the system)")), *figures)  # type: ignore[call-overload]
            for pk, figures in people_figures.items()
            if pk is not None
        ),
        key=lambda figure: figure.label,
    )
    names = {body.pk: str(body) for body in bodies}
    by_body = [
        _figure(names[pk], *figures)  # type: ignore[index]
        for pk, figures in totals["organization"].items()
    ]
    overdue = list(open_overdue.select_related("decision", "holder").order_by("due_at")[:50])
    return Report(start, end, bodies, by_step, by_person, by_body, overdue)


CHART_LABEL_PX, CHART_BAR_PX, CHART_ROW_PX = 200, 360, 28


@dataclass(frozen=True)
class Chart:
    """A horizontal bar chart of the on-time share per step, drawn as SVG by the template."""

    bars: list[dict[str, object]]
    width: int
    height: int


def chart(figures: list[Figure]) -> Chart:
    bars = [
        {
            "label": figure.label,
            "percent": figure.on_time_percent,
            "x": CHART_LABEL_PX,
            "y": 8 + index * CHART_ROW_PX,
            "text_y": 22 + index * CHART_ROW_PX,
            "width": round((figure.on_time_share or 0) * CHART_BAR_PX),
            "text_x": CHART_LABEL_PX + round((figure.on_time_share or 0) * CHART_BAR_PX) + 8,
        }
        for index, figure in enumerate(figures)
    ]
    return Chart(bars, CHART_LABEL_PX + CHART_BAR_PX + 60, 16 + len(bars) * CHART_ROW_PX)


def duration_label(delta: datetime.timedelta | None) -> str:
    """ "4 giờ", "2 ngày"; "" for none."""
    if delta is None:
        return ""
    if delta < DAY:
        return _("%(hours)d h") % {"hours": delta // HOUR}
    return _("%(days)d days") % {"days": delta // DAY}


def _hours(delta: datetime.timedelta | None) -> object:
    return round(delta / HOUR, 1) if delta is not None else _("longer")


def to_xlsx(data: Report) -> bytes:
    """The figures as an Excel workbook: one sheet per grouping."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    first = workbook.active
    assert first is not None  # noqa: S101 - a new workbook has one sheet
    workbook.remove(first)
    heading = [
        _("Group"),
        _("Steps done"),
        _("Done on time"),
        _("On time"),
        _("Median (hours, at most)"),
        _("90th percentile (hours, at most)"),
        _("Overdue now"),
    ]
    for title, figures in (
        (_("By step"), data.by_step),
        (_("By person"), data.by_person),
        (_("By body"), data.by_body),
    ):
        sheet = workbook.create_sheet(str(title)[:31])
        sheet.append([str(text) for text in heading])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for figure in figures:
            sheet.append(
                [
                    spreadsheet_cell(figure.label),
                    figure.done,
                    figure.on_time,
                    figure.on_time_percent,
                    _hours(figure.median),
                    _hours(figure.p90),
                    figure.overdue_now,
                ]
            )
        sheet.column_dimensions["A"].width = 40
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
