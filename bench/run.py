"""Run the benchmarks: python bench/run.py [NAME ...] (all when no name).

Prints one JSON object per figure per line: {"bench", "metric", "value", "unit"}.
Uses a throwaway SQLite database unless DATABASE_URL is set.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_django() -> None:
    # Folders of their own, passed on to the servers that `load` starts.
    work = Path(tempfile.mkdtemp(prefix="decisions-bench-files-"))
    os.environ.setdefault("DJANGO_MEDIA_ROOT", str(work / "media"))
    os.environ.setdefault("DECISIONS_PKI_DIR", str(work / "pki"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
    if "DATABASE_URL" not in os.environ:
        path = Path(tempfile.mkdtemp(prefix="decisions-bench-")) / "bench.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


class Skipped(Exception):  # noqa: N818 - "raise Skipped(reason)" reads as meant
    """A benchmark that cannot run here says why; the others go on."""


def figure(bench: str, metric: str, value: float, unit: str) -> dict[str, object]:
    return {"bench": bench, "metric": metric, "value": round(value, 3), "unit": unit}


def bench_import() -> Iterator[dict[str, object]]:
    """Import both seeds: parse only, and parse + save as a draft (ms per decision)."""
    from django.test.utils import override_settings

    from decisions import services
    from decisions.demo import SEEDS_DIR, load_demo
    from decisions.importer import decode, parse_decision_text, to_draft_content
    from decisions.models import DecisionEvent, Organization, User

    texts = [decode(path.read_bytes()) for path in sorted(SEEDS_DIR.glob("*.txt"))]
    rounds = 200
    parse_ms = []
    for _ in range(rounds):
        for text in texts:
            start = time.perf_counter()
            parse_decision_text(text)
            parse_ms.append((time.perf_counter() - start) * 1000)
    yield figure("import", "parse_p50", statistics.median(parse_ms), "ms/decision")
    yield figure("import", "parse_p95", statistics.quantiles(parse_ms, n=20)[18], "ms/decision")

    real = Path(__file__).resolve().parent.parent / "tests" / "decisions" / "fixtures" / "real"
    real_texts = [decode(path.read_bytes()) for path in sorted(real.glob("*.txt"))]
    real_ms = []
    for _ in range(50):
        for text in real_texts:
            start = time.perf_counter()
            parse_decision_text(text)
            real_ms.append((time.perf_counter() - start) * 1000)
    yield figure("import", "real_texts", len(real_texts), "texts")
    yield figure("import", "real_parse_p50", statistics.median(real_ms), "ms/decision")
    yield figure("import", "real_parse_p95", statistics.quantiles(real_ms, n=20)[18], "ms/decision")

    with override_settings(DEBUG=True):
        load_demo()
    targets = [("giong-rieng", "cv.giongrieng"), ("an-giang", "cv.angiang")]
    save_ms = []
    for _ in range(50):
        for text, (code, username) in zip(texts, targets, strict=True):
            issuer = Organization.objects.get(code=code)
            user = User.objects.get(username=username)
            start = time.perf_counter()
            content = to_draft_content(parse_decision_text(text), issuer=issuer)
            services.create_draft(
                actor=user, issuer=issuer, content=content, event=DecisionEvent.Kind.IMPORTED
            )
            save_ms.append((time.perf_counter() - start) * 1000)
    yield figure("import", "parse_and_save_p50", statistics.median(save_ms), "ms/decision")
    yield figure(
        "import", "parse_and_save_p95", statistics.quantiles(save_ms, n=20)[18], "ms/decision"
    )


def _rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def bench_render() -> Iterator[dict[str, object]]:
    """Seed 000 rendered as issued 200 times warm; raw WeasyPrint on the same HTML as floor."""
    from django.template.loader import render_to_string
    from django.test.utils import override_settings
    from weasyprint import HTML

    from decisions import printed, rendering
    from decisions.demo import SEEDS_DIR, load_demo
    from decisions.importer import decode, parse_decision_text
    from decisions.models import Organization

    with override_settings(DEBUG=True):
        load_demo()
    issuer = Organization.objects.get(code="giong-rieng")
    text = decode((SEEDS_DIR / "seed_000_giong_rieng_93.txt").read_bytes())
    doc, _warnings = printed.from_parsed(parse_decision_text(text), issuer=issuer, as_issued=True)
    rounds = 200

    html = render_to_string(
        "decisions/pdf/decision.html",
        {"doc": doc, "rules": rendering._rules(doc), "created": "2019-01-02T08:00:00+07:00"},
    )

    font_config, stylesheet = rendering._stylesheet()

    def raw() -> bytes:  # the floor: WeasyPrint alone, fonts already loaded as ours are
        return HTML(string=html, base_url=f"{rendering.PDF_DIR}/").write_pdf(
            stylesheets=[stylesheet], font_config=font_config, pdf_variant=rendering.PDF_VARIANT
        )

    def ours() -> bytes:
        return rendering.render_pdf(doc)

    for _ in range(5):  # warm-up: imports, fonts, caches
        ours(), raw()
    # Interleaved, so that both see the same machine state.
    ours_ms: list[float] = []
    floor_ms: list[float] = []
    rss_before = _rss_mb()
    for _ in range(rounds):
        for render, samples in ((ours, ours_ms), (raw, floor_ms)):
            start = time.perf_counter()
            render()
            samples.append((time.perf_counter() - start) * 1000)
    rss_after = _rss_mb()
    p50, floor_p50 = statistics.median(ours_ms), statistics.median(floor_ms)
    yield figure("render", "p50", p50, "ms")
    yield figure("render", "p95", statistics.quantiles(ours_ms, n=20)[18], "ms")
    yield figure("render", "raw_weasyprint_p50", floor_p50, "ms")
    yield figure("render", "raw_weasyprint_p95", statistics.quantiles(floor_ms, n=20)[18], "ms")
    yield figure("render", "overhead_ratio", p50 / floor_p50, "x")
    yield figure("render", "rss_growth_400_renders", rss_after - rss_before, "MB")


def largest_draft_content(issuer: Any) -> Any:
    """A draft at the limits of DECISIONS_DRAFT_MAX_*: as many characters, articles, annexes
    and recipients as a draft may have (realistic Vietnamese sentences)."""
    from django.conf import settings

    from decisions.content import Annex, Article, Clause, DraftContent, RecipientEntry, check_size
    from decisions.models import DocumentType

    sentence = (
        "Ủy ban nhân dân các xã, thị trấn có trách nhiệm phối hợp với các phòng, ban chuyên môn "
        "triển khai thực hiện nhiệm vụ được giao, báo cáo kết quả định kỳ hằng quý. "
    )
    budget = settings.DECISIONS_DRAFT_MAX_CHARACTERS
    articles_n = settings.DECISIONS_DRAFT_MAX_ARTICLES
    annexes_n = settings.DECISIONS_DRAFT_MAX_ANNEXES
    recipients = [
        RecipientEntry(f"Phòng chuyên môn số {n}")
        for n in range(settings.DECISIONS_DRAFT_MAX_RECIPIENTS - 1)
    ] + [RecipientEntry("Lưu: VT, VP")]
    articles = [
        Article(
            text="Nhiệm vụ cụ thể như sau:",
            clauses=[Clause(sentence * 2, [sentence, sentence]) for _ in range(2)],
        )
        for _ in range(articles_n)
    ]
    content = DraftContent(
        document_type=DocumentType.objects.get(abbreviation="QĐ", kind="decision"),
        authority="individual",
        authority_line=f"CHỦ TỊCH {issuer.one_line_name}".upper(),
        subject="Về việc ban hành kế hoạch thực hiện nhiệm vụ năm 2026",
        legal_bases=["Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 02 năm 2025"],
        articles=articles,
        recipients=recipients,
    )
    left = budget - content.characters()
    per_annex = max(0, left // annexes_n - 40)
    paragraph = (sentence * (per_annex // len(sentence) + 1))[:per_annex]
    content.annexes = [
        Annex(title=f"Danh mục nhiệm vụ số {n + 1}", text=paragraph) for n in range(annexes_n)
    ]
    check_size(content)
    return content


def bench_largest_draft() -> Iterator[dict[str, object]]:
    """The largest draft the limits allow, rendered to PDF (goal: at most 5 s on 2 cores).
    Rendered in this process (DECISIONS_RENDER_TIMEOUT=0), so that its CPU time is measured
    too: on a shared machine the wall time says more about the neighbours."""
    import io
    from dataclasses import replace

    from django.test.utils import override_settings
    from pypdf import PdfReader

    from decisions import printed, rendering
    from decisions.demo import load_demo
    from decisions.models import Organization

    with override_settings(DEBUG=True):
        load_demo()
    issuer = Organization.objects.get(code="giong-rieng")
    content = largest_draft_content(issuer)
    doc = printed.from_content(content, issuer=issuer)
    yield figure("largest_draft", "characters", content.characters(), "chars")
    with override_settings(DECISIONS_RENDER_TIMEOUT=0):
        rendering.render_pdf(replace(doc, articles=doc.articles[:3], annexes=doc.annexes[:1]))
        wall, cpu = [], []
        for _ in range(2):
            start, start_cpu = time.perf_counter(), time.process_time()
            pdf = rendering.render_pdf(doc)
            wall.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
    yield figure("largest_draft", "pages", len(PdfReader(io.BytesIO(pdf)).pages), "pages")
    yield figure("largest_draft", "pdf_size", len(pdf) / 1024, "KB")
    yield figure("largest_draft", "render_wall", min(wall), "s")
    yield figure("largest_draft", "render_cpu", min(cpu), "s")
    yield figure("largest_draft", "load_average_1min", os.getloadavg()[0], "")


def _demo_signed(count: int) -> list[int]:
    """`count` decisions of Giồng Riềng, signed by the chair, ready for issuing."""
    from django.test.utils import override_settings

    from decisions import services
    from decisions.content import DraftContent
    from decisions.demo import load_demo
    from decisions.models import Decision, Organization, User
    from decisions.signing import pki, provision

    with override_settings(DEBUG=True):
        load_demo()
        provision.equip_dev_signers()
    issuer = Organization.objects.get(code="giong-rieng")
    template = Decision.objects.filter(issuer=issuer).first()
    assert template is not None
    content = DraftContent.of(template)
    drafter = User.objects.get(username="cv.giongrieng")
    chair = User.objects.get(username="ct.giongrieng")
    ids = []
    for _ in range(count):
        decision = services.create_draft(actor=drafter, issuer=issuer, content=content)
        ids.append(decision.pk)
    if not ids:
        return ids
    # The first is signed for real; the others share its signed file (a benchmark shortcut).
    Decision.objects.filter(pk__in=ids).update(status=Decision.Status.SIGNATURE, signer=chair)
    first = services.sign_decision(
        actor=chair, decision=Decision.objects.get(pk=ids[0]), pin=pki.DEV_PIN
    )
    for pk in ids[1:]:
        Decision.objects.filter(pk=pk).update(
            status=Decision.Status.SIGNED,
            signed_pdf=first.signed_pdf.name,
            verification_token=f"bench{pk}",
        )
    return ids


def _issue_in_processes(ids: list[int], clients: int, with_pdf: bool) -> float:
    """Issue the decisions with `clients` worker processes; return the wall time in s."""
    import multiprocessing

    from django.db import connections

    connections.close_all()
    chunks = [ids[index::clients] for index in range(clients)]
    context = multiprocessing.get_context("fork")
    start_event = context.Event()
    workers = [
        context.Process(target=_issue_worker, args=(chunk, with_pdf, start_event))
        for chunk in chunks
    ]
    for worker in workers:
        worker.start()
    time.sleep(3 if with_pdf else 0.5)  # let every worker import, connect and warm up
    start = time.perf_counter()
    start_event.set()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - start
    if any(worker.exitcode for worker in workers):
        raise RuntimeError("a worker failed")
    return elapsed


def _allocate_worker(register_id: int, count: int, start_event: Any) -> None:
    from django.db import transaction

    from decisions import numbering
    from decisions.models import Register

    register = Register.objects.get(pk=register_id)
    start_event.wait()
    for _ in range(count):
        with transaction.atomic():
            numbering.allocate_number(register=register)


def _numbers_in_processes(register_id: int, clients: int, per_client: int) -> float:
    import multiprocessing

    from django.db import connections

    connections.close_all()
    context = multiprocessing.get_context("fork")
    start_event = context.Event()
    workers = [
        context.Process(target=_allocate_worker, args=(register_id, per_client, start_event))
        for _ in range(clients)
    ]
    for worker in workers:
        worker.start()
    time.sleep(0.5)
    start = time.perf_counter()
    start_event.set()
    for worker in workers:
        worker.join()
    if any(worker.exitcode for worker in workers):
        raise RuntimeError("a worker failed")
    return time.perf_counter() - start


def _issue_worker(ids: list[int], with_pdf: bool, start_event: Any) -> None:
    from unittest import mock

    from decisions import services
    from decisions.models import Decision, SigningKey, User
    from decisions.signing import documents, pki

    clerk = User.objects.get(username="vt.giongrieng")
    decisions = list(Decision.objects.filter(pk__in=ids))
    if with_pdf:  # warm up like a long-running worker: pyHanko imported, keys and images read
        from decisions.signing import backends, pades, trust

        key = documents.key_of_organization(decisions[0].issuer)
        documents.check_certificate(key, context=trust.validation_context())
        with backends.unlock(key, pki.DEV_PIN):
            pass
        pades.fill_number_and_date(decisions[0].signed_pdf.read(), fields={})
    start_event.wait()
    if with_pdf:
        for decision in decisions:
            services.issue_decision(actor=clerk, decision=decision, pin=pki.DEV_PIN)
        return
    stub = documents.Signed(b"%PDF-1.7 stub", SigningKey(subject="", serial=""), False)
    with mock.patch("decisions.signing.documents.Sealer.fill_and_seal", return_value=stub):
        for decision in decisions:
            services.issue_decision(actor=clerk, decision=decision, pin=pki.DEV_PIN)


def bench_issue() -> Iterator[dict[str, object]]:
    """Issuance throughput on PostgreSQL with 1, 4 and 16 concurrent clerks (processes)."""
    from django.db import connection

    from decisions import numbering, rendering
    from decisions.models import Decision, Organization, Register

    if connection.vendor != "postgresql":
        raise Skipped("needs PostgreSQL: bash bench/with_postgres.sh bench/run.py issue")
    _demo_signed(0)
    issuer = Organization.objects.get(code="giong-rieng")
    for clients in (1, 4, 16):
        register = Register.objects.create(issuer=issuer, series=f"BENCH{clients}", year=2000)
        per_client = 400 // clients
        elapsed = _numbers_in_processes(register.pk, clients, per_client)
        register.refresh_from_db()
        ok = register.last_number == clients * per_client
        yield figure(
            "issue", f"numbers_alone_{clients}_clients", register.last_number / elapsed, "numbers/s"
        )
        yield figure("issue", f"numbers_alone_{clients}_clients_count_exact", int(ok), "bool")
    for with_pdf, per_client in ((False, 20), (True, 4)):
        for clients in (1, 4, 16):
            ids = _demo_signed(clients * per_client)
            elapsed = _issue_in_processes(ids, clients, with_pdf)
            issued = Decision.objects.filter(pk__in=ids)
            numbers = sorted(n for n in issued.values_list("number", flat=True) if n is not None)
            register = Register.objects.get(pk=issued.values("register").first()["register"])  # type: ignore[index]
            ok = len(set(numbers)) == len(numbers) == len(ids) and not numbering.find_gaps(register)
            metric = "issuance_with_pdf" if with_pdf else "issuance_without_pdf"
            yield figure("issue", f"{metric}_{clients}_clients", len(ids) / elapsed, "decisions/s")
            yield figure(
                "issue", f"{metric}_{clients}_clients_no_gap_no_duplicate", int(ok), "bool"
            )
    # Render alone, one process, same document: the floor of an issuance with its PDF.
    decision = Decision.objects.exclude(number=None).first()
    assert decision is not None
    samples = []
    for _ in range(10):
        start = time.perf_counter()
        rendering.render_decision_pdf(decision)
        samples.append(time.perf_counter() - start)
    yield figure("issue", "render_alone_1_client", 1 / statistics.median(samples), "decisions/s")


def bench_inbox() -> Iterator[dict[str, object]]:
    """A leader's home page (inbox and list) with 1,000 and then 100,000 decisions stored."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench import province
    from decisions.models import User

    state = province.start()
    chair = User.objects.get(username="ct.giongrieng")
    client = Client()
    client.force_login(chair)
    results = {}
    for total in (1_000, 100_000):
        province.grow(state, total)
        samples = []
        for _ in range(30):
            start = time.perf_counter()
            response = client.get("/")
            samples.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200
        with CaptureQueriesContext(connection) as queries:
            client.get("/")
        results[total] = statistics.median(samples)
        yield figure("inbox", f"queries_{total}", len(queries), "queries")
        yield figure("inbox", f"p50_{total}", results[total], "ms")
    yield figure("inbox", "ratio_100k_to_1k", results[100_000] / results[1_000], "x")


def bench_distribute() -> Iterator[dict[str, object]]:
    """One decision to 1,000 bodies with 3,000 users; a receiver inbox with 10,000 deliveries."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench import province
    from decisions import services
    from decisions.models import Decision, Delivery, Organization, Recipient, User
    from decisions.signing import pki

    ids = _demo_signed(1)
    decision = Decision.objects.get(pk=ids[0])
    clerk = User.objects.get(username="vt.giongrieng")
    decision = services.issue_decision(actor=clerk, decision=decision, pin=pki.DEV_PIN)
    bodies = Organization.objects.bulk_create(
        Organization(
            code=f"bench-{n}",
            name=f"CƠ QUAN THỬ {n}",
            abbreviation="CQ",
            level=Organization.Level.AGENCY,
        )
        for n in range(1000)
    )
    users = User.objects.bulk_create(
        User(
            username=f"bench-user-{n}",
            email=f"bench-{n}@example.invalid",
            organization=bodies[n % 1000],
        )
        for n in range(3000)
    )
    province.let_receive(users)
    # The Nơi nhận entries were frozen at issuance: link the bodies to its first entry
    # (links are directory data, not printed text).
    entry = Recipient.objects.filter(decision=decision).order_by("position").first()
    assert entry is not None
    entry.organizations.add(*bodies)
    start = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        services.distribute_decision(decision=decision)  # its e-mails run on commit
    elapsed = time.perf_counter() - start
    yield figure("distribute", "1000_bodies_3000_users_seconds", elapsed, "s")
    yield figure("distribute", "1000_bodies_3000_users_queries", len(queries), "queries")

    # A receiver's inbox with 10,000 deliveries.
    body = bodies[0]
    template = Decision.objects.get(pk=decision.pk)
    copies = Decision.objects.bulk_create(
        Decision(
            issuer_id=template.issuer_id,
            document_type_id=template.document_type_id,
            authority=template.authority,
            authority_line=template.authority_line,
            subject=f"Văn bản thử {n}",
            drafter_id=template.drafter_id,
            status=Decision.Status.DRAFT,
        )
        for n in range(10_000)
    )
    Delivery.objects.bulk_create(Delivery(decision=copy, organization=body) for copy in copies)
    receiver = User.objects.filter(organization=body).first()
    assert receiver is not None
    client = Client()
    client.force_login(receiver)
    samples = []
    for _ in range(20):
        start = time.perf_counter()
        assert client.get("/incoming/").status_code == 200
        samples.append((time.perf_counter() - start) * 1000)
    with CaptureQueriesContext(connection) as queries:
        client.get("/incoming/")
    yield figure("distribute", "inbox_10000_deliveries_queries", len(queries), "queries")
    yield figure("distribute", "inbox_10000_deliveries_p50", statistics.median(samples), "ms")


def bench_sign() -> Iterator[dict[str, object]]:
    """Leader signature, field filling and seal on seed 000 (ms, p50 of 10), with soft keys and
    SoftHSM2, with and without the local timestamp service; and the bytes each step adds."""
    import dataclasses

    from django.test.utils import override_settings

    from decisions import printed, rendering
    from decisions.demo import SEEDS_DIR, load_demo
    from decisions.importer import decode, parse_decision_text
    from decisions.models import Organization, SigningKey, User
    from decisions.signing import backends, dev_tsa, pades, pki, provision, trust

    with override_settings(DEBUG=True):
        load_demo()
        provision.equip_dev_signers()
    issuer = Organization.objects.get(code="giong-rieng")
    leader = User.objects.get(username="pct.votung")
    text = decode((SEEDS_DIR / "seed_000_giong_rieng_93.txt").read_bytes())
    doc, _warnings = printed.from_parsed(parse_decision_text(text), issuer=issuer, as_issued=False)
    doc = dataclasses.replace(doc, form_fields=True, verification_url="https://x.vn/v/abc")
    rendered = rendering.render(doc)
    assert rendered.signature_box is not None
    seal_box = pades.SealLayout.beside(rendered.signature_box, 35).box
    prepared = pades.prepare(rendered.pdf, leader=rendered.signature_box, seal=seal_box)
    leader_image = leader.signature_image.read()
    seal_image = issuer.seal_image.read()
    fields = {
        rendering.NUMBER_FIELD: ("93", False),
        rendering.DATE_FIELD: ("ngày 02 tháng 01 năm 2019", True),
    }
    context = trust.validation_context()
    server, url = dev_tsa.serve()
    stores: list[tuple[str, SigningKey, SigningKey, str]] = [
        (
            "soft",
            SigningKey.objects.get(user=leader, active=True),
            SigningKey.objects.get(organization=issuer, active=True),
            pki.DEV_PIN,
        )
    ]
    try:
        from decisions.signing.softhsm import HSM_PIN, init_token, move_to_token

        directory = Path(tempfile.mkdtemp(prefix="bench-softhsm-"))
        init_token(directory)
        stores.append(
            (
                "softhsm",
                move_to_token(stores[0][1], directory),
                move_to_token(stores[0][2], directory),
                HSM_PIN,
            )
        )
    except (OSError, subprocess.CalledProcessError) as error:
        print(f"# SoftHSM2 skipped: {error!r}", file=sys.stderr)
    rounds = 10
    for store, leader_key, seal_key, pin in stores:
        for label, timestamper in (("no_tsa", None), ("local_tsa", trust.HTTPTimeStamper(url))):
            timings: dict[str, list[float]] = {"leader": [], "fill": [], "seal": []}
            for _ in range(rounds):
                with backends.unlock(leader_key, pin) as leader_signer:
                    start = time.perf_counter()
                    signed = pades.sign_as_leader(
                        prepared,
                        signer=leader_signer,
                        image=leader_image,
                        timestamper=timestamper,
                        validation_context=context,
                    )
                    timings["leader"].append(time.perf_counter() - start)
                start = time.perf_counter()
                filled = pades.fill_number_and_date(signed, fields=fields)
                timings["fill"].append(time.perf_counter() - start)
                with backends.unlock(seal_key, pin) as seal_signer:
                    start = time.perf_counter()
                    sealed = pades.seal(
                        filled,
                        signer=seal_signer,
                        image=seal_image,
                        timestamper=timestamper,
                        validation_context=context,
                    )
                    timings["seal"].append(time.perf_counter() - start)
            for step, values in timings.items():
                value = statistics.median(values) * 1000
                yield figure("sign", f"{step}_{store}_{label}_p50", value, "ms")
            yield figure("sign", f"leader_added_{store}_{label}", len(signed) - len(prepared), "B")
            yield figure("sign", f"fill_added_{store}_{label}", len(filled) - len(signed), "B")
            yield figure("sign", f"seal_added_{store}_{label}", len(sealed) - len(filled), "B")
    start = time.perf_counter()
    for _ in range(rounds):
        with backends.unlock(stores[0][1], pki.DEV_PIN):
            pass
    yield figure("sign", "unlock_pkcs12_p50", (time.perf_counter() - start) / rounds * 1000, "ms")
    yield figure("sign", "prepared_pdf_size", len(prepared), "B")
    server.shutdown()


def bench_pages() -> Iterator[dict[str, object]]:
    """Server time (p50 of 20, ms) and HTML size of the main pages with 10,000 decisions, and
    the static assets a first visit downloads (gzip, as whitenoise serves them)."""
    import gzip

    from django.contrib.staticfiles import finders
    from django.test import Client

    from bench import province
    from decisions.models import Decision, User

    province.grow(province.start(), 10_000)
    # Seed 000, issued through the flow by the demo: a real signed PDF.
    issued = Decision.objects.exclude(pdf="").filter(issuer__code=province.HOME).first()
    assert issued is not None
    waiting = Decision.objects.filter(
        status=Decision.Status.REVIEW, issuer__code=province.HOME
    ).first()
    draft = Decision.objects.filter(
        status=Decision.Status.DRAFT, drafter__username="cv.giongrieng"
    ).first()
    assert waiting is not None
    assert draft is not None
    pages = [
        ("home_leader", "ct.giongrieng", "/"),
        ("task_detail_leader", "ct.giongrieng", waiting.get_absolute_url()),
        ("issued_detail_clerk", "vt.giongrieng", issued.get_absolute_url()),
        ("incoming_recipient", "nhan.skhcn", "/incoming/"),
        ("editor_drafter", "cv.giongrieng", f"/decisions/{draft.pk}/edit/"),
        ("register_clerk", "vt.giongrieng", f"/registers/{issued.register_id}/"),
    ]
    for name, username, url in pages:
        client = Client()
        client.force_login(User.objects.get(username=username))
        samples = []
        for _ in range(20):
            start = time.perf_counter()
            response = client.get(url)
            samples.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (name, response.status_code)
        yield figure("pages", f"{name}_p50", statistics.median(samples), "ms")
        yield figure("pages", f"{name}_html", len(response.content) / 1024, "KB")
    total = gzipped = 0
    for asset in ("css/app.css", "js/confirm.js", "js/editor.js"):
        path = finders.find(asset)
        assert isinstance(path, str)
        data = Path(path).read_bytes()
        total += len(data)
        gzipped += len(gzip.compress(data))
    yield figure("pages", "static_first_visit_raw", total / 1024, "KB")
    yield figure("pages", "static_first_visit_gzip", gzipped / 1024, "KB")


def bench_directory() -> Iterator[dict[str, object]]:
    """The drafter's decision page (with its Nơi nhận links) and the directory search, with
    5, 500 and 5,000 receiving bodies: queries and server time (p50 of 20, ms)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from decisions.demo import load_demo
    from decisions.models import Decision, Organization, User
    from decisions.text import fold

    with override_settings(DEBUG=True):
        load_demo()
    drafter = User.objects.get(username="cv.giongrieng")
    draft = Decision.objects.filter(drafter=drafter, status=Decision.Status.DRAFT).first()
    assert draft is not None
    client = Client()
    client.force_login(drafter)
    present = Organization.objects.count()
    for total in (5, 500, 5000):
        missing = max(0, total - present)
        Organization.objects.bulk_create(
            Organization(
                code=f"bench-{present + n}",
                name=f"ỦY BAN NHÂN DÂN\nXÃ THỬ {present + n}",
                abbreviation="UBND",
                level=Organization.Level.COMMUNE,
                search_name=fold(f"ỦY BAN NHÂN DÂN XÃ THỬ {present + n}"),
            )
            for n in range(missing)
        )
        present += missing
        for name, url in (
            ("detail", draft.get_absolute_url()),
            ("search", "/directory/search/?q=xa+thu+12"),
        ):
            samples = []
            for _ in range(20):
                with CaptureQueriesContext(connection) as queries:
                    start = time.perf_counter()
                    response = client.get(url)
                    samples.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200
            yield figure("directory", f"{name}_{total}_bodies_queries", len(queries), "queries")
            yield figure(
                "directory", f"{name}_{total}_bodies_p50", statistics.median(samples), "ms"
            )


def bench_ontime() -> Iterator[dict[str, object]]:
    """The on-time page over 100,000 decisions (five finished steps each, a year long):
    server time, p50 of 10 (ms). Target: ≤ 300 ms."""
    import datetime

    from django.test import Client
    from django.test.utils import override_settings
    from django.utils import timezone

    from decisions.demo import load_demo
    from decisions.models import Decision, Organization, StepRecord, User

    with override_settings(DEBUG=True):
        load_demo()
    body = Organization.objects.get(code="giong-rieng")
    template = Decision.objects.filter(issuer=body).first()
    assert template is not None
    office = User.objects.get(username="cvp.giongrieng")
    chair = User.objects.get(username="ct.giongrieng")
    clerk = User.objects.get(username="vt.giongrieng")
    now = timezone.now()
    statuses = ("proposal", "review", "signature", "signed", "draft")
    people = (office, chair, chair, clerk, office)
    batch = []
    for n in range(100_000):
        end = now - datetime.timedelta(minutes=5 * n)
        for index, (status, person) in enumerate(zip(statuses, people, strict=True)):
            hours = 1 + (n * 7 + index * 13) % 70
            batch.append(
                StepRecord(
                    decision=template,
                    organization=body,
                    status=status,
                    started_at=end - datetime.timedelta(hours=hours),
                    due_at=end - datetime.timedelta(hours=hours) + datetime.timedelta(hours=48),
                    finished_at=end,
                    finished_by=person,
                    seconds=hours * 3600,
                )
            )
        if len(batch) >= 20_000:
            StepRecord.objects.bulk_create(batch)
            batch = []
    StepRecord.objects.bulk_create(batch)
    yield figure("ontime", "steps", StepRecord.objects.count(), "rows")
    client = Client()
    client.force_login(office)
    start_date = (now - datetime.timedelta(days=366)).date().isoformat()
    samples = []
    for _ in range(10):
        start = time.perf_counter()
        response = client.get("/performance/", {"from": start_date})
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    yield figure("ontime", "page_year_p50", statistics.median(samples), "ms")
    samples = []
    for _ in range(10):
        start = time.perf_counter()
        response = client.get("/performance/")
        samples.append((time.perf_counter() - start) * 1000)
    yield figure("ontime", "page_30_days_p50", statistics.median(samples), "ms")


def bench_scale() -> Iterator[dict[str, object]]:
    """The pages people open most, as the data grow to a province's ten years: server time
    (p50 of 10, ms) and queries at 1k / 10k / 100k / 1M decisions (BENCH_SCALE_SIZES).
    Target on PostgreSQL: ≤ 300 ms each at 1M, with the queries of 1k."""
    import datetime

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from bench import province
    from decisions.models import Register, User

    default = "1000,10000,100000,1000000" if connection.vendor == "postgresql" else "1000,10000"
    sizes = [int(size) for size in os.environ.get("BENCH_SCALE_SIZES", default).split(",")]
    state = province.start()
    year = timezone.localdate().year
    month_ago = (timezone.localdate() - datetime.timedelta(days=30)).isoformat()
    for total in sizes:
        start = time.perf_counter()
        province.grow(state, total)
        yield figure("scale", f"generate_{total}", time.perf_counter() - start, "s")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        register = Register.objects.get(
            issuer__code=province.HOME, series="QĐ", year=year, confidential=False
        )
        pages = [
            ("home_chair", "ct.giongrieng", "/", {}),
            ("home_clerk", "vt.giongrieng", "/", {}),
            ("incoming_recipient", "nhan.phongnoivu", "/incoming/", {}),
            ("incoming_search", "nhan.phongnoivu", "/incoming/", {"q": "chi tieu 12"}),
            ("register_page", "vt.giongrieng", f"/registers/{register.pk}/", {}),
            ("ontime_30_days", "cvp.giongrieng", "/performance/", {"from": month_ago}),
        ]
        for name, username, url, params in pages:
            client = Client()
            client.force_login(User.objects.get(username=username))
            samples = []
            for _ in range(10):
                begin = time.perf_counter()
                response = client.get(url, params)
                samples.append((time.perf_counter() - begin) * 1000)
                assert response.status_code == 200, (name, response.status_code)
            with CaptureQueriesContext(connection) as queries:
                client.get(url, params)
            yield figure("scale", f"{name}_{total}_p50", statistics.median(samples), "ms")
            yield figure("scale", f"{name}_{total}_queries", len(queries), "queries")
            if total == sizes[-1]:  # where the time goes at the largest size
                slowest = max(queries.captured_queries, key=lambda query: float(query["time"]))
                row = figure(
                    "scale", f"{name}_{total}_slowest_query", float(slowest["time"]) * 1000, "ms"
                )
                print(json.dumps({**row, "sql": slowest["sql"][:300]}, ensure_ascii=False))
    if connection.vendor == "postgresql":
        for table, rows, size in province.sizes():
            yield figure("scale", f"table_{table}_rows", rows, "rows")
            yield figure("scale", f"table_{table}_size", size / 2**20, "MB")


LOAD_USERS = {"reading": (32, 64, 128), "saturation": (8, 32, 64)}


def bench_load() -> Iterator[dict[str, object]]:
    """The production profile under load: gunicorn (4 sync workers), PostgreSQL with 10,000
    decisions, locust (headless, loopback) playing people of every role on a realistic mix,
    60 s per run (BENCH_LOAD_SECONDS). Two modes: people reading (2-5 s between clicks) at
    32/64/128 users, target 0 errors and p95 ≤ 300 ms; saturation (no pause) at 8/32/64, as a
    ratio to a trivial logged-in page served in the same run, target ≥ 40 %."""
    import csv
    import importlib.util
    import random

    from django.db import connection

    from bench import province
    from decisions.models import Decision, Delivery, Organization, User
    from decisions.signing import pki
    from workflow import demo

    if connection.vendor != "postgresql":
        raise Skipped("needs PostgreSQL: bash bench/with_postgres.sh bench/run.py load")
    if importlib.util.find_spec("locust") is None:
        raise Skipped("needs locust: pip install -r bench/requirements.txt")
    seconds = int(os.environ.get("BENCH_LOAD_SECONDS", "60"))
    state = province.start()
    province.grow(state, 10_000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    yield figure("load", "decisions", Decision.objects.count(), "rows")

    # Pools for the 1 % of writes, staged through the real flow.
    people = {user.username: user for user in User.objects.filter(username__in=demo.USERNAMES)}
    home = Organization.objects.get(code=province.HOME)
    pools: dict[str, list[int]] = {"sign": [], "issue": []}
    for step, steps, count in (
        ("sign", ("submit", "propose"), 60),
        ("issue", ("submit", "propose", "sign"), 60),
    ):
        for n in range(count):
            stage = demo.Stage(
                f"{demo.STAGES[0].subject} ({step} {n})",
                demo.STAGES[0].sector,
                demo.STAGES[0].articles,
                steps,
            )
            decision = demo.draft(stage, home, people["cv.giongrieng"])
            pools[step].append(demo.walk(decision, steps, people, signer="ct.giongrieng").pk)
    with_pdf = list(Decision.objects.exclude(pdf="").values_list("pk", flat=True))
    rng = random.Random(7)  # noqa: S311 - a sample, not a secret
    home_ids = list(Decision.objects.filter(issuer=home).values_list("pk", flat=True))
    noi_vu = Organization.objects.get(code="phong-noi-vu-giong-rieng")
    delivered = list(
        Delivery.objects.filter(organization=noi_vu).values_list("decision_id", flat=True)
    )

    def person(username: str, *, receiver: bool = False, writes: str = "") -> dict[str, Any]:
        seen = delivered if receiver else home_ids
        pdfs = [pk for pk in with_pdf if pk in set(seen)] if receiver else with_pdf
        return {
            "username": username,
            "decisions": rng.sample(seen, min(200, len(seen))),
            "pdfs": pdfs,
            "incoming": receiver,
            "writes": writes,
        }

    plan = {
        "password": "demo-2026",
        "pin": pki.DEV_PIN,
        "pools": pools,
        "tokens": list(
            Decision.objects.filter(status=Decision.Status.ISSUED)
            .exclude(verification_token=None)
            .values_list("verification_token", flat=True)[:500]
        ),
        "people": [
            person("ct.giongrieng", writes="sign"),
            person("pct.votung"),
            person("cvp.giongrieng"),
            person("cv.giongrieng"),
            person("vt.giongrieng", writes="issue"),
            *[person("nhan.phongnoivu", receiver=True)] * 4,
        ],
    }
    work = Path(tempfile.mkdtemp(prefix="decisions-load-"))
    (work / "plan.json").write_text(json.dumps(plan), encoding="utf-8")
    env = {
        **os.environ,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SESSION_COOKIE_SECURE": "0",
        "DJANGO_CSRF_COOKIE_SECURE": "0",
        "DJANGO_STATIC_ROOT": str(work / "static"),
        "TESTS_COLLECTED_STATIC": "1",
        "WEB_CONCURRENCY": "4",
        "GUNICORN_CMD_ARGS": "--access-logfile /dev/null",
        "BENCH_LOAD_PLAN": str(work / "plan.json"),
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    from tests.live import servers

    connection.close()
    with servers.serving(env, "gunicorn", log=work / "gunicorn.log", workers=None) as base:
        runs = [("reading", users, "2-5", False) for users in LOAD_USERS["reading"]]
        for users in LOAD_USERS["saturation"]:
            runs += [("saturation", users, "0", False), ("trivial", users, "0", True)]
        aggregated: dict[tuple[str, int], float] = {}
        waiting = {"sign": Decision.Status.REVIEW, "issue": Decision.Status.SIGNED}
        for mode, users, pause, trivial in runs:
            prefix = work / f"{mode}-{users}"
            # Each run writes only what is still waiting (earlier runs signed and issued some).
            plan["pools"] = {
                step: list(
                    Decision.objects.filter(pk__in=ids, status=waiting[step]).values_list(
                        "pk", flat=True
                    )
                )
                for step, ids in pools.items()
            }
            (work / "plan.json").write_text(json.dumps(plan), encoding="utf-8")
            connection.close()
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "locust",
                    "-f",
                    str(ROOT / "bench" / "locustfile.py"),
                    "--headless",
                    "--only-summary",
                    "-u",
                    str(users),
                    "-r",
                    str(max(1, users // 5)),
                    "--run-time",
                    f"{seconds}s",
                    "--stop-timeout",
                    "5",
                    "--host",
                    base,
                    "--csv",
                    str(prefix),
                    # The ceiling: logged-in people only, each click the trivial page.
                    *(["Person"] if trivial else []),
                ],
                cwd=ROOT,
                env={
                    **env,
                    "BENCH_LOAD_PAUSE": pause,
                    "BENCH_LOAD_TRIVIAL": "1" if trivial else "",
                },
                check=False,
                capture_output=True,
            )
            with open(f"{prefix}_stats.csv", encoding="utf-8") as stats:
                for row in csv.DictReader(stats):
                    if row["Name"] in ("login", "login form"):
                        continue  # each user logs in once, at its start
                    label = f"{mode}_{users}_{row['Name'].replace(' ', '_')}"
                    if row["Name"] == "Aggregated":
                        aggregated[(mode, users)] = float(row["Requests/s"])
                    yield figure("load", f"{label}_rps", float(row["Requests/s"]), "req/s")
                    yield figure("load", f"{label}_p50", float(row["50%"]), "ms")
                    yield figure("load", f"{label}_p95", float(row["95%"]), "ms")
                    yield figure("load", f"{label}_p99", float(row["99%"]), "ms")
                    yield figure("load", f"{label}_errors", int(row["Failure Count"]), "requests")
        for users in LOAD_USERS["saturation"]:
            mix, trivial_rps = (
                aggregated.get(("saturation", users)),
                aggregated.get(("trivial", users)),
            )
            if mix and trivial_rps:
                yield figure("load", f"saturation_{users}_ratio_to_trivial", mix / trivial_rps, "x")


BENCHMARKS: dict[str, Callable[[], Iterator[dict[str, object]]]] = {
    "distribute": bench_distribute,
    "import": bench_import,
    "render": bench_render,
    "issue": bench_issue,
    "inbox": bench_inbox,
    "sign": bench_sign,
    "pages": bench_pages,
    "directory": bench_directory,
    "largest_draft": bench_largest_draft,
    "ontime": bench_ontime,
    "scale": bench_scale,
    "load": bench_load,
}


def main(names: list[str]) -> int:
    unknown = [name for name in names if name not in BENCHMARKS]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; known: {', '.join(BENCHMARKS)}")
        return 2
    setup_django()
    skipped = []
    for name in names or list(BENCHMARKS):
        try:
            for row in BENCHMARKS[name]():
                print(json.dumps(row, ensure_ascii=False), flush=True)
        except Skipped as reason:
            skipped.append(name)
            print(json.dumps({"bench": name, "skipped": str(reason)}, ensure_ascii=False))
    if skipped:
        print(f"# skipped: {', '.join(skipped)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
