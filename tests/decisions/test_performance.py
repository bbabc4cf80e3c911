"""The on-time page answers from the recorded steps: figures checked against answers worked
out by hand on a small fixture."""

import datetime
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from decisions import performance
from decisions.models import Decision, StepRecord

pytestmark = pytest.mark.django_db
H = datetime.timedelta(hours=1)


@pytest.fixture
def steps(draft, issuer, chief_of_office, chair):
    """Five office steps and two review steps that ended yesterday, one review step overdue now.

    Office (due after 16 h): took 1, 2, 3, 30 and 50 hours -> 3 of 5 on time; median 3 h (band
    "≤ 4 h"), 90th percentile 50 h (band "≤ 3 days"). Review (due after 24 h): 5 and 20 hours,
    both on time; median "≤ 8 h", 90th percentile "≤ 1 day"."""
    end = timezone.now() - datetime.timedelta(days=1)
    rows = [
        (Decision.Status.PROPOSAL, chief_of_office, hours, 16) for hours in (1, 2, 3, 30, 50)
    ] + [(Decision.Status.REVIEW, chair, hours, 24) for hours in (5, 20)]
    for status, who, hours, due in rows:
        StepRecord.objects.create(
            decision=draft,
            organization=issuer,
            status=status,
            started_at=end - hours * H,
            due_at=end - hours * H + due * H,
            finished_at=end,
            finished_by=who,
            seconds=hours * 3600,
        )
    StepRecord.objects.create(
        decision=draft,
        organization=issuer,
        status=Decision.Status.REVIEW,
        holder=chair,
        started_at=end,
        due_at=end + H,
    )


def test_the_figures_per_step_and_person_match_the_hand_computed_answers(
    steps, issuer, chief_of_office, chair
):
    today = timezone.localdate()
    data = performance.report(bodies=[issuer], start=today - datetime.timedelta(days=7), end=today)
    office, review = data.by_step
    assert (office.done, office.on_time, office.on_time_percent) == (5, 3, "60 %")
    assert (office.median, office.p90) == (4 * H, 3 * 24 * H)
    assert (review.done, review.on_time, review.overdue_now) == (2, 2, 1)
    assert (review.median, review.p90) == (8 * H, 24 * H)
    people = {figure.label: (figure.done, figure.on_time) for figure in data.by_person}
    assert people == {str(chief_of_office): (5, 3), str(chair): (2, 2)}
    assert [step.status for step in data.overdue] == [Decision.Status.REVIEW]


def test_the_page_shows_the_figures_with_a_chart_and_exports_them(
    client, steps, chief_of_office, specialist
):
    client.force_login(chief_of_office)
    page = client.get("/performance/").content.decode()
    assert "<svg" in page
    assert "60 %" in page
    assert "≤ 4 giờ" in page
    export = client.get("/performance/", {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(export.content))["Theo bước"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][:4] == ("Văn phòng kiểm tra", 5, 3, "60 %")
    client.force_login(specialist)
    assert client.get("/performance/").status_code == 403


def test_bad_dates_are_refused_clearly(client, chief_of_office):
    client.force_login(chief_of_office)
    response = client.get("/performance/", {"from": "29/11/2026"})
    assert response.status_code == 400
    assert "YYYY-MM-DD" in response.content.decode()
