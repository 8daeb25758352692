"""Render the graph page to a PNG for the README, and report its size and draw time.

Usage::

    .venv/bin/python scripts/screenshot.py                       # outputs/graph.html -> docs/graph.png
    .venv/bin/python scripts/screenshot.py PAGE.html -o OUT.png --search ResNet-50
    .venv/bin/python scripts/screenshot.py PAGE.html -o OUT.png --only distills_from
    .venv/bin/python scripts/screenshot.py PAGE.html -o OUT.png --lineage ViT

``--search`` types a name in the search box, ``--only`` presses a relation's "only" button,
``--lineage`` opens a node's lineage view from its panel, as a reader would.

Uses Debian's chromium (``/usr/bin/chromium``) through playwright, headless, with a fresh
profile and the same flags as the browser tests; every request other than file:, data: and
blob: is refused and reported. Prints one line: bytes, draw time (``window.__kgDrawnMs``,
milliseconds from navigation start to the first frame), node and edge counts.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def screenshot(page_path: Path, out: Path, *, width: int = 1400, height: int = 900, search: str | None = None,
               only: str | None = None, lineage: str | None = None) -> dict:
    """Open ``page_path`` as file://, wait for the first frame, save a PNG to ``out``.

    Returns
    -------
    dict
        ``bytes``, ``drawn_ms``, ``count`` (the page's node/edge text), ``outside`` (refused
        requests) and ``errors`` (console errors).
    """
    from playwright.sync_api import sync_playwright

    outside, errors = [], []

    def route(r):
        if r.request.url.split(":", 1)[0] in ("file", "data", "blob"):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    with sync_playwright() as p, tempfile.TemporaryDirectory() as profile:
        ctx = p.chromium.launch_persistent_context(profile, executable_path=CHROMIUM, args=ARGS, headless=True,
                                                   viewport={"width": width, "height": height})
        try:
            page = ctx.new_page()
            page.on("console", lambda m: m.type == "error" and errors.append(m.text))
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.route("**/*", route)
            page.goto(page_path.resolve().as_uri())
            page.wait_for_function("() => window.__kgDrawnMs !== undefined", timeout=120000)
            drawn = page.evaluate("() => window.__kgDrawnMs")
            if only:
                page.click(f"#kg-relations button[value={only}]")
            if search:
                page.fill("#kg-query", search)
                page.press("#kg-query", "Enter")
            if lineage:
                page.evaluate("name => kg.focusNode(kg.find(name))", lineage)
                page.click("#kg-lineage-button")
                page.wait_for_timeout(300)
                # hover the last edge: its tooltip shows the sentence stating it
                x, y = page.evaluate("""() => { const all = kg.lineageView.edges.get(), e = all[all.length - 1]; if (!e) return [0, 0];
                    const a = kg.network.getPosition(e.from), b = kg.network.getPosition(e.to);
                    const p = kg.network.canvasToDOM({x: 0.75 * a.x + 0.25 * b.x, y: 0.75 * a.y + 0.25 * b.y});
                    const r = document.querySelector('#kg-network canvas').getBoundingClientRect();
                    return [r.left + p.x, r.top + p.y]; }""")
                if x:
                    page.mouse.move(x - 4, y - 4)
                    page.mouse.move(x, y)
            page.wait_for_timeout(800)
            out.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(out))
            count = page.text_content("#kg-count")
        finally:
            ctx.close()
    return {"bytes": page_path.stat().st_size, "drawn_ms": drawn, "count": count,
            "outside": outside, "errors": errors}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("page", nargs="?", default="outputs/graph.html", type=Path)
    ap.add_argument("-o", "--out", default="docs/graph.png", type=Path)
    ap.add_argument("--width", type=int, default=1400)
    ap.add_argument("--height", type=int, default=900)
    ap.add_argument("--search", "--focus", default=None, help="Search for this name before the screenshot.")
    ap.add_argument("--only", default=None, metavar="RELATION", help="Show only this relation.")
    ap.add_argument("--lineage", default=None, metavar="NAME", help="Open the lineage view of this node.")
    a = ap.parse_args(argv)
    if not a.page.is_file():
        print(f"screenshot: no page at {a.page} (run `kg build` first)", file=sys.stderr)
        return 1
    r = screenshot(a.page, a.out, width=a.width, height=a.height, search=a.search, only=a.only, lineage=a.lineage)
    print(f"{a.page}: {r['bytes']} bytes, drawn in {r['drawn_ms']} ms, {r['count']} -> {a.out}")
    for url in r["outside"]:
        print(f"screenshot: refused request to {url}", file=sys.stderr)
    for e in r["errors"]:
        print(f"screenshot: console error: {e}", file=sys.stderr)
    return 1 if r["outside"] or r["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
