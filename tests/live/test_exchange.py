"""Two installations of this application, each with its own database, files and bodies,
exchange a signed decision as an edXML package over HTTP (issue #17).

A issues; B's receiving body is outside A (reached through partner B), and A's issuing body is
outside B (reached through partner A); the partners and their shared secret are made with
`manage.py exchange_partner`. Both trust the same (development) certification authority, as
two bodies of one province trust the national one.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.live import servers

pytestmark = [pytest.mark.live, pytest.mark.slow]


def wait_for(condition: Callable[[], Any], timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        assert time.monotonic() < deadline, f"{what} did not happen within {timeout} s"
        time.sleep(0.5)


@contextmanager
def worker(env: dict[str, str], log: Path) -> Iterator[None]:
    with open(log, "ab") as output:  # the child keeps its own copy
        process = subprocess.Popen(
            [sys.executable, "manage.py", "worker", "--interval", "0.2", "--no-startup-delay"],
            cwd=servers.ROOT,
            env=env,
            stdout=output,
            stderr=output,
        )
    try:
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


@contextmanager
def installation(env: dict[str, str], port: int, folder: Path) -> Iterator[str]:
    """One installation running: its web server and its worker."""
    with (
        servers.serving(env, "runserver", port=port, log=folder / "server.log") as base,
        worker(env, folder / "worker.log"),
    ):
        yield base


def shell(env: dict[str, str], program: str) -> str:
    return servers.manage(env, "shell", "-c", program)


def logs(*folders: Path) -> str:
    return "\n".join(
        f"--- {log}\n{log.read_text(errors='replace')[-2500:]}"
        for folder in folders
        for log in sorted(folder.glob("*.log"))
    )


def test_a_decision_issued_on_one_installation_arrives_in_the_other_with_its_statuses(
    tmp_path: Path, record_property: Callable[[str, object], None]
) -> None:
    folder_a, folder_b, pki = tmp_path / "a", tmp_path / "b", tmp_path / "pki"
    quick = {
        "DECISIONS_PKI_DIR": str(pki),
        "DECISIONS_EXCHANGE_RETRY_SECONDS": "0.5",
        "DECISIONS_EXCHANGE_RETRY_MAX_SECONDS": "1",
        "DECISIONS_WORKER_BEAT_SECONDS": "0.5",
    }
    env_a = {**servers.environment(folder_a), **quick}
    env_b = {**servers.environment(folder_b), **quick}
    port_a, port_b = servers.free_port(), servers.free_port()
    url_a, url_b = f"http://127.0.0.1:{port_a}", f"http://127.0.0.1:{port_b}"

    # B first: both write their people's keys in the shared PKI folder, and only A signs.
    servers.stage(env_b, to_issue=0, to_acknowledge=0)
    staged = servers.stage(env_a, to_issue=2, to_acknowledge=0)
    first, second = staged["to_issue"]
    issuer_code, receiver_code = servers.query(
        env_a,
        f"(lambda d: [d.issuer.identifier, sorted(o.identifier for r in d.recipients.all() "
        f"for o in r.organizations.all() if o.identifier and o.pk != d.issuer_id)[0]])"
        f"(Decision.objects.get(pk={first}))",
    )

    # A reaches B's body through partner B; B reaches A's issuer through partner A.
    printed = servers.manage(
        env_a, "exchange_partner", "create", "UBND B", "--url", url_b, "--body", receiver_code
    )
    pair = dict(line.split("=", 1) for line in printed.splitlines() if "=" in line)
    servers.manage(
        env_b, "exchange_partner", "create", "UBND A", "--url", url_a,
        "--key-id", pair["key_id"], "--secret", pair["secret"], "--body", issuer_code,
    )  # fmt: skip

    def on_b(expression: str) -> Any:
        return servers.query(env_b, expression)

    def sent(pk: int) -> dict[str, Any]:
        rows = servers.query(
            env_a,
            f"list(SentPackage.objects.filter(delivery__decision_id={pk}).values("
            f"'status', 'attempts', 'document_id', 'last_status_code', 'last_status_at'))",
        )
        return rows[0] if rows else {}

    def arrived(document_id: str) -> list[dict[str, Any]]:
        return on_b(
            f"list(IncomingDocument.objects.filter(exchange_document_id={document_id!r})"
            f".values('pk', 'arrival_number', 'file', 'file_sha256', 'status', 'channel'))"
        )

    def b_moves(pk: int, action: str) -> None:
        # What B's văn thư and handler do on their pages, through the same services: the
        # receiving body's văn thư assigns the document, the handler starts and finishes it.
        shell(
            env_b,
            "from decisions import permissions\n"
            "from decisions.models import IncomingDocument, User\n"
            "from decisions.services import incoming\n"
            f"d = IncomingDocument.objects.get(pk={pk})\n"
            "body = d.register.organization\n"
            "clerk = User.objects.get(username='vt.giongrieng')\n"
            "handler = User.objects.get(username='cvp.giongrieng')\n"
            "permissions.grant_role(user=clerk, organization=body, "
            "role=permissions.Role.INCOMING_CLERK)\n"
            "permissions.grant_role(user=handler, organization=body, "
            "role=permissions.Role.INCOMING_HANDLER)\n"
            f"if {action!r} == 'assign':\n"
            "    incoming.assign(d, actor=clerk, handler=handler, working_days=5)\n"
            "else:\n"
            "    d = incoming.start(d, actor=handler)\n"
            "    incoming.done(d, actor=handler, reply_reference='15/UBND-VP')\n",
        )

    summary = []
    with ExitStack() as running:
        running.enter_context(installation(env_a, port_a, folder_a))
        stack_b = running.enter_context(ExitStack())
        stack_b.enter_context(installation(env_b, port_b, folder_b))
        try:
            # 1. Issued on A: the worker posts the package; B registers it and says 01, 03.
            shell(env_a, f"from tests.live.stage import step; step({first}, 'issue')")
            package = wait_for(lambda: sent(first).get("status") == "sent", 120, "the send")
            document_id = sent(first)["document_id"]
            (document,) = wait_for(lambda: arrived(document_id), 30, "the arrival on B")
            assert document["channel"] == "exchange"
            pdf_a = servers.query(env_a, f"Decision.objects.get(pk={first}).pdf.path")
            pdf_b = Path(env_b["DJANGO_MEDIA_ROOT"]) / document["file"]
            sha_a = hashlib.sha256(Path(pdf_a).read_bytes()).hexdigest()
            sha_b = hashlib.sha256(pdf_b.read_bytes()).hexdigest()
            assert sha_a == sha_b == document["file_sha256"]
            verified = servers.manage(env_b, "verify_pdf", str(pdf_b))
            verdicts = [line.split(":", 1)[1].strip() for line in verified.splitlines()
                        if line.strip().startswith("Hợp lệ:")]  # fmt: skip
            valid = len(verdicts)
            assert valid >= 2, verified
            assert set(verdicts) == {"có"}, verified
            wait_for(lambda: sent(first)["last_status_code"] == "03", 60, "status 03 on A")

            # 2. Assigned, then done, on B: A's delivery row follows.
            b_moves(document["pk"], "assign")
            wait_for(lambda: sent(first)["last_status_code"] == "04", 60, "status 04 on A")
            b_moves(document["pk"], "finish")
            wait_for(lambda: sent(first)["last_status_code"] == "06", 60, "status 06 on A")
            codes = servers.query(
                env_a,
                f"[e.data['code'] for e in DecisionEvent.objects.filter(decision_id={first}, "
                f"kind='exchange_status').order_by('sequence')]",
            )
            assert sorted(codes) == ["01", "03", "04", "05", "06"]
            chief = servers.Browser(url_a).log_in("cvp.giongrieng")
            page = chief.get(f"/decisions/{first}/").text
            assert "Đã gửi qua trục liên thông" in page
            assert "06" in page
            summary.append(
                f"decision {first}: {document_id} arrived on B as number "
                f"{document['arrival_number']}, PDF SHA-256 {sha_a[:16]}… equal on both sides; "
                f"statuses back on A: {', '.join(codes)}"
            )

            # 3. B is down while A issues another: it arrives once B is back.
            stack_b.close()
            shell(env_a, f"from tests.live.stage import step; step({second}, 'issue')")
            wait_for(lambda: sent(second).get("attempts", 0) >= 2, 120, "retries while B is down")
            assert sent(second)["status"] == "queued"
            stack_b.enter_context(installation(env_b, port_b, folder_b))
            wait_for(lambda: sent(second).get("status") == "sent", 120, "the send after B is back")
            second_id = sent(second)["document_id"]
            wait_for(lambda: arrived(second_id), 30, "the second arrival on B")
            time.sleep(3)  # a second copy would arrive now
            assert len(arrived(second_id)) == 1
            wait_for(lambda: sent(second)["last_status_code"] == "03", 60, "its status 03")
            summary.append(
                f"decision {second}: sent while B was down, {sent(second)['attempts']} attempts, "
                f"registered once on B after it came back"
            )
        except BaseException:
            sys.stdout.write(logs(folder_a, folder_b))  # shown with the failure
            raise
    assert package
    record_property(  # the CI log shows it (tests/conftest.py)
        "ci_log",
        "[exchange] two installations over HTTP:\n  "
        + "\n  ".join(summary)
        + f"\n[exchange] B verifies the received PDF: {valid} signatures valid",
    )
