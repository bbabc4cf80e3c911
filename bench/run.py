"""Run the benchmarks: python bench/run.py [NAME ...] (all when no name).

Prints one JSON object per figure per line: {"bench", "metric", "value", "unit"}.
Uses a throwaway SQLite database unless DATABASE_URL is set.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    if "DATABASE_URL" not in os.environ:
        path = Path(tempfile.mkdtemp(prefix="decisions-bench-")) / "bench.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


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
    doc = printed.from_parsed(parse_decision_text(text), issuer=issuer, as_issued=True)
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


BENCHMARKS: dict[str, Callable[[], Iterator[dict[str, object]]]] = {
    "import": bench_import,
    "render": bench_render,
}


def main(names: list[str]) -> int:
    unknown = [name for name in names if name not in BENCHMARKS]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; known: {', '.join(BENCHMARKS)}")
        return 2
    setup_django()
    for name in names or list(BENCHMARKS):
        for row in BENCHMARKS[name]():
            print(json.dumps(row, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
