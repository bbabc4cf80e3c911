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


BENCHMARKS: dict[str, Callable[[], Iterator[dict[str, object]]]] = {
    "import": bench_import,
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
