"""The domain (decisions/) never depends on the workflow engine."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_decisions_app_never_imports_viewflow_or_workflow():
    offenders = []
    for path in (ROOT / "decisions").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [
                f"{path}: {n}" for n in names if n.split(".")[0] in {"viewflow", "workflow"}
            ]
    assert offenders == []
