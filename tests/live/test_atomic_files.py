"""A process killed (SIGKILL) while it signs or issues a decision, after the PDF is written
and before the transaction commits, leaves no file under a final name that no row points to;
its pending file goes with the sweep, and the step can simply be done again."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from decisions.files import PAUSE_ENV, PENDING
from tests.live.servers import ROOT, environment, manage, query, stage

pytestmark = [pytest.mark.live, pytest.mark.slow]

FILE_FIELDS = (
    "[n for n in list(Decision.objects.values_list('pdf', flat=True))"
    " + list(Decision.objects.values_list('signed_pdf', flat=True))"
    " + list(Attachment.objects.values_list('file', flat=True))"
    " + list(Organization.objects.values_list('seal_image', flat=True))"
    " + list(User.objects.values_list('signature_image', flat=True))"
    " + list(IncomingDocument.objects.values_list('file', flat=True))"
    " + list(IncomingDocument.objects.values_list('original_file', flat=True)) if n]"
)


def stored(media: Path) -> set[str]:
    return {str(path.relative_to(media)) for path in media.rglob("*") if path.is_file()}


def kill_when_written(env: dict[str, str], pk: int, step: str, signal_file: Path) -> None:
    """Run `step` of decision `pk` in a process of its own and SIGKILL it as soon as its PDF
    is written under pending/ (the hook in decisions.files pauses there, before commit)."""
    signal_file.unlink(missing_ok=True)
    log = signal_file.with_suffix(".log")
    with open(log, "wb") as output:  # the child keeps its own copy
        process = subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "shell",
                "-c",
                f"from tests.live.stage import step; step({pk}, {step!r})",
            ],
            cwd=ROOT,
            env={**env, PAUSE_ENV: str(signal_file)},
            stdout=output,
            stderr=output,
        )
    deadline = time.monotonic() + 300
    while not signal_file.exists():
        if process.poll() is not None:
            raise AssertionError(log.read_text()[-3000:])
        assert time.monotonic() < deadline, "the step never wrote its PDF"
        time.sleep(0.05)
    os.kill(process.pid, signal.SIGKILL)
    assert process.wait(timeout=30) == -signal.SIGKILL


def test_a_process_killed_between_writing_a_pdf_and_committing_leaves_nothing_under_a_final_name(
    tmp_path,
):
    env = environment(tmp_path)
    media = tmp_path / "media"
    to_issue = stage(env, to_issue=2, to_acknowledge=0)["to_issue"]
    to_sign = json.loads(
        manage(env, "shell", "-c", "from tests.live.stage import stage_for_signature as s; s(2)")
        .strip()
        .splitlines()[-1]
    )
    runs = [(pk, "issue") for pk in to_issue] + [(pk, "sign") for pk in to_sign]
    statuses = (
        f"dict(Decision.objects.filter(pk__in={to_issue + to_sign}).values_list('pk', 'status'))"
    )
    statuses_before = query(env, statuses)
    for pk, step in runs:
        before = stored(media)
        kill_when_written(env, pk, step, tmp_path / "paused")
        after = stored(media)
        new = after - before
        assert new, "the step was killed before it wrote anything"
        assert all(name.startswith(PENDING) for name in new), new
        referenced = set(query(env, FILE_FIELDS))
        unreferenced = {name for name in after if not name.startswith(PENDING)} - referenced
        assert unreferenced <= before, unreferenced  # nothing new under a final name

    assert query(env, statuses) == statuses_before  # no step took effect

    out = manage(env, "sweep_files", "--older-than-hours", "0")
    assert not any(name.startswith(PENDING) for name in stored(media)), out
    referenced = set(query(env, FILE_FIELDS))
    orphans = {name for name in stored(media) if not name.startswith("healthz")} - referenced
    assert not orphans, orphans

    # The killed steps are simply done again; their files are where their rows say.
    for pk, step in runs:
        manage(env, "shell", "-c", f"from tests.live.stage import step; step({pk}, {step!r})")
    referenced = set(query(env, FILE_FIELDS))
    assert referenced <= stored(media)
    assert not any(name.startswith(PENDING) for name in stored(media))
