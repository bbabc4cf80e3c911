"""axe-core, the accessibility rules the browser suite runs on every page it visits.

The version and its integrity are pinned in axe.json; the package is downloaded once from the
npm registry into AXE_CACHE (default var/cache/), checked against that integrity, and its
axe.min.js is evaluated in the page through the DevTools protocol, which the page's
Content-Security-Policy does not govern (a <script> tag would be refused): no other browser
context or policy bypass is needed.
"""

import base64
import hashlib
import io
import json
import os
import tarfile
import urllib.request
from functools import cache
from pathlib import Path

MANIFEST = json.loads((Path(__file__).with_name("axe.json")).read_text())
CACHE = Path(os.environ.get("AXE_CACHE", Path(__file__).resolve().parents[2] / "var" / "cache"))
# The impacts that fail a page: https://github.com/dequelabs/axe-core/blob/develop/doc/API.md
FAILING = ("serious", "critical")


def _tarball() -> bytes:
    version = MANIFEST["version"]
    path = CACHE / f"axe-core-{version}.tgz"
    if path.exists():
        data = path.read_bytes()
    else:
        url = f"https://registry.npmjs.org/axe-core/-/axe-core-{version}.tgz"
        with urllib.request.urlopen(url, timeout=60) as response:
            data = response.read()
    algorithm, _, expected = MANIFEST["integrity"].partition("-")
    actual = base64.b64encode(hashlib.new(algorithm, data).digest()).decode()
    if actual != expected:
        path.unlink(missing_ok=True)
        raise RuntimeError(f"axe-core {version}: integrity mismatch ({algorithm}-{actual})")
    if not path.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return data


@cache
def source() -> str:
    with tarfile.open(fileobj=io.BytesIO(_tarball()), mode="r:gz") as archive:
        member = archive.extractfile("package/axe.min.js")
        assert member is not None
        return member.read().decode()


def violations(page) -> list[str]:
    """The serious and critical violations on the page as it is now, one line each."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(source())
    found = page.evaluate(
        """async () => {
            const result = await axe.run(document, {resultTypes: ["violations"]});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                targets: v.nodes.slice(0, 5).map(n => n.target.join(" ")),
            }));
        }"""
    )
    return [
        f"{v['impact']} {v['id']} ({v['help']}): {', '.join(v['targets'])}"
        for v in found
        if v["impact"] in FAILING
    ]
