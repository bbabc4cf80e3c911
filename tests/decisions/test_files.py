"""Generated PDFs appear under their final name only once their row commits; the nightly
sweep removes what a crash or a rollback left, and finishes a move a crash interrupted."""

import datetime
import os
import time
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from decisions import files, jobs
from decisions.models import Decision

pytestmark = pytest.mark.django_db

DAY = 24 * 3600


def age(name: str, seconds: float) -> None:
    path = default_storage.path(name)
    then = time.time() - seconds
    os.utime(path, (then, then))


def sweep(*args: str) -> str:
    out = StringIO()
    call_command("sweep_files", *args, stdout=out)
    return out.getvalue()


def test_a_signed_pdf_is_pending_until_commit_then_under_its_final_name(
    signed_decision, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        decision = signed_decision()
    name = decision.signed_pdf.name
    assert not default_storage.exists(name)
    assert default_storage.exists(files.PENDING + name)
    with decision.signed_pdf.open("rb") as stream:  # readable meanwhile
        assert stream.read(5) == b"%PDF-"
    for callback in callbacks:
        callback()
    assert default_storage.exists(name)
    assert not default_storage.exists(files.PENDING + name)


def test_a_rolled_back_signature_leaves_no_file_under_a_final_name_and_the_sweep_removes_it(
    signed_decision, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        decision = signed_decision()
    name = decision.signed_pdf.name
    Decision.objects.filter(pk=decision.pk).update(signed_pdf="")  # as if it rolled back
    age(files.PENDING + name, 2 * DAY)
    out = sweep()
    assert f"{files.PENDING}{name}" in out
    assert not default_storage.exists(files.PENDING + name)


def test_the_sweep_finishes_the_move_of_a_committed_file_left_pending(
    signed_decision, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        decision = signed_decision()  # committed, but the process "died" before the move
    name = decision.signed_pdf.name
    assert "chuyển vào chỗ" in sweep()
    assert default_storage.exists(name)
    assert not default_storage.exists(files.PENDING + name)


def test_the_sweep_removes_only_old_files_no_row_points_to_and_a_dry_run_removes_nothing(
    draft,
):
    old = default_storage.save("signed/2020/orphan.pdf", ContentFile(b"%PDF-old"))
    recent = default_storage.save("signed/2020/recent.pdf", ContentFile(b"%PDF-new"))
    age(old, 2 * DAY)
    out = sweep("--dry-run")
    assert old in out
    assert recent not in out
    assert "chạy thử" in out
    assert default_storage.exists(old)
    out = sweep()
    assert f"đã xóa: {old}" in out
    assert not default_storage.exists(old)
    assert default_storage.exists(recent)
    default_storage.delete(recent)


def test_a_file_a_row_points_to_is_never_swept_however_old(signed_decision, jobs_done):
    with jobs_done():
        decision = signed_decision()
    files.publish(decision.signed_pdf.name)
    age(decision.signed_pdf.name, 30 * DAY)
    sweep()
    assert default_storage.exists(decision.signed_pdf.name)


def test_the_sweep_runs_every_night_in_the_workers():
    assert jobs.SCHEDULE["sweep-files"].job is jobs.sweep_files
    evening = datetime.datetime(2026, 12, 1, 21, 0, tzinfo=timezone.get_current_timezone())
    assert timezone.localtime(jobs.SCHEDULE["sweep-files"].next_after(evening)).hour == 3
