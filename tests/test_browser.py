"""The HTML page in a real browser: Debian's chromium driven by playwright.

Each page is opened as file:// with every request routed through a recorder that fails the
test on anything but file:, data: or blob:. Skipped only when /usr/bin/chromium is absent
outside CI; in CI (env CI set) these tests must run.
"""
from __future__ import annotations

import os
import random
from pathlib import Path

import networkx as nx
import pytest

from kg.export.html import write_html
from kg.graph import build_graph

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
XSS_IMG = "<img src=x onerror=alert(1)>"
XSS_SCRIPT = "<script>window.__pwned=1</script>"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists() and not os.environ.get("CI"),
                       reason="needs /usr/bin/chromium (always run in CI)"),
]


def records():
    t1 = "MEAL V2 " + XSS_IMG + " " + XSS_SCRIPT
    return [
        {"id": "p1", "title": t1, "source": "a.txt:1", "date": "2020-09-17", "url": "javascript:alert(1)",
         "entities": [{"name": "MEAL V2", "type": "method", "aliases": [XSS_SCRIPT, XSS_IMG]},
                      {"name": "ResNet-50", "type": "method", "aliases": ["ResNet50"]},
                      {"name": "ImageNet", "type": "dataset", "aliases": []},
                      {"name": "https://github.com/szq0214/MEAL-V2", "type": "repository", "aliases": []}],
         "relations": [
             {"head": t1, "relation": "introduces", "tail": "MEAL V2", "sentence": "We introduce " + XSS_SCRIPT,
              "start": 0, "end": 9, "rule": "intro"},
             {"head": "MEAL V2", "relation": "outperforms", "tail": "ResNet-50", "margin": 2.5,
              "sentence": "It beats ResNet-50 " + XSS_IMG, "start": 10, "end": 30, "rule": "cmp"},
             {"head": "MEAL V2", "relation": "evaluated_on", "tail": "ImageNet", "sentence": "On ImageNet.",
              "start": 31, "end": 40, "rule": "eval"},
             {"head": t1, "relation": "has_code", "tail": "https://github.com/szq0214/MEAL-V2",
              "sentence": "Code at github.", "start": 41, "end": 80, "rule": "url"}]},
        {"id": "p2", "title": "Second paper", "source": "b.txt:1", "date": "2021-01-02",
         "entities": [{"name": "ResNet 50", "type": "method", "aliases": []},
                      {"name": "ImageNet", "type": "dataset", "aliases": []}],
         "relations": [{"head": "ResNet 50", "relation": "trained_on", "tail": "ImageNet",
                        "sentence": "ResNet 50 trained on ImageNet.", "start": 0, "end": 20, "rule": "train"}]},
    ]


def synthetic(n_nodes=600, n_edges=1200, seed=3) -> nx.MultiDiGraph:
    """A graph shaped like kg's: papers, methods, datasets, repositories; skewed degrees."""
    rng = random.Random(seed)
    G = nx.MultiDiGraph()
    kinds = {"paper": n_nodes // 4, "dataset": n_nodes // 8, "repository": n_nodes // 16}
    kinds["method"] = n_nodes - sum(kinds.values())
    ids = {}
    for kind, count in kinds.items():
        ids[kind] = [f"https://github.com/x/r{i}" if kind == "repository" else f"{kind}:{kind[0]}{i}"
                     for i in range(count)]
    for i, p in enumerate(ids["paper"]):
        title = f"Paper {i}: a study of method {i} on a benchmark"
        G.add_node(p, type="paper", label=title, title=title, date=f"2020-01-{i % 28 + 1:02d}", papers=1,
                   paper_ids=p, aliases="", first_seen="2020-01-01", source="synthetic")
    for kind in ("method", "dataset", "repository"):
        for i, n in enumerate(ids[kind]):
            G.add_node(n, type=kind, label=f"{kind.title()}-{i}", aliases=f"{kind}{i}|{kind} v{i}", papers=2,
                       paper_ids="|".join(rng.sample(ids["paper"], 2)), first_seen="2020-01-01")
            if kind == "method":
                G.nodes[n]["baseline"] = rng.random() < 0.2
            if kind == "repository":
                G.nodes[n]["url"] = n
    shapes = [("introduces", "paper", "method"), ("outperforms", "method", "method"),
              ("compared_with", "method", "method"), ("evaluated_on", "method", "dataset"),
              ("pretrained_on", "method", "dataset"), ("based_on", "method", "method"),
              ("has_code", "paper", "repository"), ("distills_from", "method", "method")]
    k = 0
    while k < n_edges:
        rel, h, t = rng.choice(shapes)
        u = rng.choice(ids[h])
        v = rng.choice(ids[t][:max(3, int(len(ids[t]) * rng.random() ** 2))])
        if u == v:
            continue
        p = rng.choice(ids["paper"])
        G.add_edge(u, v, key=f"e{k}", relation=rel, paper=G.nodes[p]["title"], paper_id=p,
                   sentence=f"Sentence {k}: {G.nodes[u]['label']} {rel} {G.nodes[v]['label']} with evidence.",
                   start=0, end=10, rule="synthetic")
        k += 1
    return G


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        ctx = p.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("profile")), executable_path=CHROMIUM, args=ARGS, headless=True,
            viewport={"width": 1400, "height": 900})
        yield ctx
        ctx.close()


class Opened:
    """A page opened as file:// with its console errors, dialogs and outside requests."""

    def __init__(self, browser, path):
        self.errors, self.dialogs, self.outside = [], [], []
        self.page = browser.new_page()
        self.page.on("console", lambda m: m.type in ("error", "warning") and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.route("**/*", self._route)
        self.page.goto(Path(path).as_uri())
        self.page.wait_for_function("() => window.__kgDrawnMs !== undefined", timeout=60000)

    def _route(self, route):
        url = route.request.url
        if url.split(":", 1)[0] in ("file", "data", "blob"):
            route.continue_()
        else:
            self.outside.append(url)
            route.abort()

    def clean(self):
        assert self.errors == [] and self.dialogs == [] and self.outside == []
        assert self.page.evaluate("window.__pwned") is None


@pytest.fixture
def small(browser, tmp_path):
    G = build_graph(records())
    write_html(G, tmp_path / "graph.html")
    opened = Opened(browser, tmp_path / "graph.html")
    yield G, opened
    opened.page.close()


def connected(G) -> set:
    return {n for n in G if G.degree(n) > 0}


DRAWN_WITHOUT_EDGE = """() => { const ends = new Set(); kg.edges.get().forEach(e => { ends.add(e.from); ends.add(e.to); });
    return kg.nodes.getIds().filter(id => !ends.has(id)); }"""


def test_page_loads_and_counts_the_graph(small):
    G, o = small
    assert o.page.text_content("#kg-count") == f"{G.number_of_nodes()} nodes · {G.number_of_edges()} edges"
    assert set(o.page.evaluate("kg.nodes.getIds()")) == connected(G)        # paper:p2 has no edge
    assert o.page.evaluate(DRAWN_WITHOUT_EDGE) == []
    assert o.page.evaluate("kg.edges.length") == G.number_of_edges()
    assert o.page.text_content("#kg-lonely") == "Show 1 unconnected"
    o.page.click("#kg-lonely")
    assert o.page.evaluate("kg.nodes.length") == G.number_of_nodes()
    assert o.page.text_content("#kg-lonely") == "Hide 1 unconnected"
    legend = o.page.text_content("#kg-types")
    assert "baseline method" in legend and "dataset" in legend
    o.clean()


def test_search_focuses_and_selects_a_node(small):
    _, o = small
    o.page.fill("#kg-query", "resnet 50")
    o.page.press("#kg-query", "Enter")
    assert o.page.evaluate("kg.network.getSelectedNodes()") == ["method:resnet50"]
    assert o.page.text_content("#kg-panel h2").startswith("ResNet")
    assert "trained on ImageNet" in o.page.text_content("#kg-panel")
    o.page.fill("#kg-query", "no such thing")
    o.page.press("#kg-query", "Enter")
    assert o.page.text_content("#kg-search-status") == "no match"
    o.clean()


def test_script_like_text_shows_as_text_and_runs_nothing(small):
    G, o = small
    meal = next(n for n, d in G.nodes(data=True) if XSS_IMG in d.get("aliases", "") + d.get("label", ""))
    for node in (meal, "paper:p1", "method:resnet50"):
        o.page.evaluate("id => kg.focusNode(id)", node)
        panel = o.page.text_content("#kg-panel")
        assert XSS_IMG in panel or XSS_SCRIPT in panel
        assert o.page.evaluate("document.querySelectorAll('#kg-panel img, #kg-panel script').length") == 0
    o.page.evaluate("id => kg.focusNode(id)", "paper:p1")
    assert o.page.evaluate("[...document.querySelectorAll('#kg-panel a')].map(a => a.protocol)") == []
    o.page.evaluate("id => kg.focusNode(id)", "https://github.com/szq0214/MEAL-V2")
    a = o.page.eval_on_selector("#kg-panel a", "a => [a.href, a.rel]")
    assert a == ["https://github.com/szq0214/MEAL-V2", "noopener noreferrer"]
    o.page.wait_for_timeout(300)
    o.clean()


def test_tooltips_are_text(small):
    _, o = small
    o.page.evaluate("kg.network.moveTo({position: kg.network.getPosition('paper:p1'), scale: 1})")
    o.page.wait_for_timeout(200)
    x, y = o.page.evaluate("""() => { const p = kg.network.canvasToDOM(kg.network.getPosition('paper:p1'));
        const r = document.querySelector('#kg-network canvas').getBoundingClientRect();
        return [r.left + p.x, r.top + p.y]; }""")
    o.page.mouse.move(x - 3, y - 3)
    o.page.mouse.move(x, y)
    o.page.wait_for_selector(".vis-tooltip", state="visible", timeout=5000)
    tip = o.page.text_content(".vis-tooltip")
    assert XSS_IMG in tip and "papers: 1" in tip
    assert o.page.evaluate("document.querySelectorAll('.vis-tooltip img, .vis-tooltip script').length") == 0
    o.clean()


def test_filters_fold_papers_and_physics_toggle(small):
    G, o = small
    entities = G.subgraph(n for n, d in G.nodes(data=True) if d["type"] != "paper")
    o.page.click("#kg-papers")
    assert set(o.page.evaluate("kg.nodes.getIds()")) == connected(entities)
    assert not o.page.is_checked("#kg-types input[value=paper]")
    assert o.page.text_content("#kg-papers") == "Unfold papers"
    assert "showing" in o.page.text_content("#kg-shown")
    o.page.uncheck("#kg-relations input[value=trained_on]")
    assert o.page.evaluate("kg.edges.get().every(e => e.relation !== 'trained_on')")
    assert o.page.evaluate(DRAWN_WITHOUT_EDGE) == []
    o.page.check("#kg-types input[value=paper]")
    o.page.check("#kg-relations input[value=trained_on]")
    assert o.page.text_content("#kg-shown") == "(showing 5 · 5)"     # all but the paper without edges
    o.page.click("#kg-physics")
    assert o.page.text_content("#kg-physics") == "Physics: on"
    o.page.wait_for_function("() => document.getElementById('kg-physics').textContent === 'Physics: off'", timeout=40000)
    o.clean()


def test_search_highlights_the_neighbourhood_and_escape_clears(small):
    G, o = small
    o.page.fill("#kg-query", "ImageNet")
    o.page.press("#kg-query", "Enter")
    hood = {"dataset:imagenet"} | set(G.predecessors("dataset:imagenet")) | set(G.successors("dataset:imagenet"))
    assert set(o.page.evaluate("kg.lit()")) == hood and len(hood) < o.page.evaluate("kg.nodes.length")
    colours = o.page.evaluate("Object.fromEntries(kg.nodes.get().map(n => [n.id, n.color.background]))")
    dim = {n for n, c in colours.items() if c == "#f1f3f5"}
    assert dim == set(colours) - hood
    assert o.page.evaluate("kg.network.getSelectedNodes()") == ["dataset:imagenet"]
    assert o.page.evaluate("kg.network.getScale()") > 0.5
    o.page.keyboard.press("Escape")
    assert o.page.evaluate("kg.lit()") == [] and o.page.evaluate("kg.network.getSelectedNodes()") == []
    assert "#f1f3f5" not in o.page.evaluate("kg.nodes.get().map(n => n.color.background)")
    o.clean()


def test_only_one_relation(browser, tmp_path):
    G = synthetic()
    write_html(G, tmp_path / "g.html")
    o = Opened(browser, tmp_path / "g.html")
    try:
        o.page.click("#kg-relations button[value=distills_from]")
        distil = [(u, v) for u, v, d in G.edges(data=True) if d["relation"] == "distills_from"]
        assert set(o.page.evaluate("kg.edges.get().map(e => e.relation)")) == {"distills_from"}
        assert o.page.evaluate("kg.edges.length") == len(distil)
        assert set(o.page.evaluate("kg.nodes.getIds()")) == {n for e in distil for n in e}
        rows = dict(o.page.evaluate("[...document.querySelectorAll('#kg-relations li')].map(li => "
                                    "[li.querySelector('input').value, li.querySelector('.kg-n').textContent])"))
        assert rows["distills_from"] == str(len(distil))
        assert rows["outperforms"] == f"0 / {sum(d['relation'] == 'outperforms' for *_, d in G.edges(data=True))}"
        assert o.page.text_content("#kg-shown") == f"(showing {len({n for e in distil for n in e})} · {len(distil)})"
        assert o.page.get_attribute("#kg-relations button[value=distills_from]", "aria-pressed") == "true"
        ends = {n for e in distil for n in e}
        assert len(ends) <= 200 and o.page.evaluate("kg.mode()") == "relation"      # laid out on its own
        assert set(o.page.evaluate("kg.network.body.nodeIndices")) == ends
        xs = o.page.evaluate("Object.fromEntries(kg.network.body.nodeIndices.map(id => [id, kg.network.getPosition(id).x]))")
        behind = sum(xs[v] < xs[u] for u, v in distil)
        assert behind >= 0.9 * len(distil)                 # targets to the left (cycles aside)
        assert o.page.text_content("#kg-mode-text") == f"Only distills_from: {len(distil)} edges between {len(ends)} nodes"
        o.page.click("#kg-all-relations")
        assert o.page.evaluate("kg.mode()") == "graph"
        assert o.page.evaluate("kg.edges.length") == G.number_of_edges()
        o.clean()
    finally:
        o.page.close()


def test_labels_hubs_first_without_collisions(browser, tmp_path):
    G = synthetic()
    write_html(G, tmp_path / "g.html")
    o = Opened(browser, tmp_path / "g.html")
    try:
        o.page.wait_for_timeout(300)
        first = o.page.evaluate("kg.labels()")
        ids = [x["id"] for x in first]
        hub = max(connected(G), key=lambda n: (G.degree(n), n))
        assert hub in ids and 5 < len(ids) < o.page.evaluate("kg.nodes.length")
        boxes = [x["box"] for x in first]
        assert not any(a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
                       for i, a in enumerate(boxes) for b in boxes[i + 1:])
        o.page.evaluate("kg.network.moveTo({position: kg.network.getPosition(%r), scale: 4})" % hub)
        o.page.wait_for_timeout(300)
        on_screen = o.page.evaluate("""() => { const c = document.querySelector('#kg-network canvas');
            return kg.nodes.getIds().filter(id => { const p = kg.network.canvasToDOM(kg.network.getPosition(id));
              return p.x > 0 && p.y > 0 && p.x < c.clientWidth && p.y < c.clientHeight; }); }""")
        zoomed = {x["id"] for x in o.page.evaluate("kg.labels()")}
        assert on_screen and set(on_screen) <= zoomed
        o.clean()
    finally:
        o.page.close()


def test_lineage_page_and_lineage_button(browser, tmp_path):
    from test_export_html import lineage_graph

    G = lineage_graph()
    write_html(G, tmp_path / "l.html", lineage="TinyBERT")
    o = Opened(browser, tmp_path / "l.html")
    try:
        assert o.page.evaluate("kg.mode()") == "lineage"
        levels = o.page.evaluate("kg.lineageView.levels")
        assert levels == {"method:tinybert": 0, "method:bert": -1, "dataset:books": -2, "method:minibert": 1}
        xs = o.page.evaluate("Object.fromEntries(kg.network.body.nodeIndices.map(id => [id, kg.network.getPosition(id).x]))")
        assert xs["dataset:books"] < xs["method:bert"] < xs["method:tinybert"] < xs["method:minibert"]
        labels = o.page.evaluate("kg.lineageView.edges.get().map(e => e.label)")
        assert sorted(labels) == ["based_on", "distills_from · distilled", "pretrained_on"]
        assert o.page.text_content("#kg-mode-text") == "Lineage of Tinybert: 2 ancestors, 1 descendant"
        assert o.page.is_hidden("#kg-back")
        o.clean()
    finally:
        o.page.close()
    write_html(G, tmp_path / "g.html")
    o = Opened(browser, tmp_path / "g.html")
    try:
        o.page.evaluate("kg.focusNode('method:bert')")
        o.page.click("#kg-lineage-button")
        assert o.page.evaluate("kg.mode()") == "lineage"
        assert set(o.page.evaluate("kg.network.body.nodeIndices")) == {"method:bert", "dataset:books", "method:tinybert",
                                                                       "method:minibert"}
        o.page.click("#kg-back")
        assert o.page.evaluate("kg.mode()") == "graph"
        assert o.page.evaluate("kg.network.body.nodeIndices.length") == 6
        o.clean()
    finally:
        o.page.close()


def test_large_graph_draws_quickly(browser, tmp_path):
    G = synthetic()
    write_html(G, tmp_path / "big.html")
    o = Opened(browser, tmp_path / "big.html")
    try:
        assert o.page.text_content("#kg-count") == f"{G.number_of_nodes()} nodes · {G.number_of_edges()} edges"
        assert o.page.evaluate("window.__kgDrawnMs") < 15000
        o.page.fill("#kg-query", "Dataset-3")
        o.page.press("#kg-query", "Enter")
        assert o.page.evaluate("kg.network.getSelectedNodes()") == ["dataset:d3"]
        o.clean()
    finally:
        o.page.close()


def test_the_request_recorder_sees_outside_requests(browser, tmp_path):
    """The harness itself: a page that does reach out is caught (so a clean run means something)."""
    path = tmp_path / "leaky.html"
    path.write_text('<!doctype html><img src="https://example.invalid/x.png">'
                    '<script>window.__kgDrawnMs = 1</script>', encoding="utf-8")
    o = Opened(browser, path)
    try:
        o.page.wait_for_timeout(300)
        assert o.outside == ["https://example.invalid/x.png"]
    finally:
        o.page.close()


def test_a_page_of_part_of_the_graph_says_so(browser, tmp_path):
    G = build_graph(records())
    drawn = write_html(G, tmp_path / "part.html", max_nodes=4)
    o = Opened(browser, tmp_path / "part.html")
    try:
        assert o.page.text_content("#kg-count") == (f"4 of {G.number_of_nodes()} nodes · {drawn['edges']} of "
                                                     f"{G.number_of_edges()} edges")
        o.clean()
    finally:
        o.page.close()


def test_dataset_panel_shows_its_leaderboard_as_text(browser, tmp_path):
    recs = records()
    recs[0]["results"] = [
        {"method": "MEAL V2", "dataset": "ImageNet", "metric": "top-1 accuracy", "value": 80.67,
         "unit": "%", "delta": False, "sentence": "MEAL V2 gets 80.67% " + XSS_SCRIPT, "start": 0, "end": 9},
        {"method": "MEAL V2", "dataset": "ImageNet", "metric": "top-1 accuracy", "value": 2.5, "unit": "%",
         "delta": True, "over": "ResNet-50", "sentence": "It beats ResNet-50 by 2.5%.", "start": 10, "end": 30}]
    recs[1]["results"] = [{"method": "ResNet 50", "dataset": "ImageNet", "metric": "top-1 accuracy", "value": 76.1,
                           "unit": "%", "delta": False, "sentence": "ResNet 50 gets 76.1%.", "start": 0, "end": 20}]
    write_html(build_graph(recs), tmp_path / "r.html")
    o = Opened(browser, tmp_path / "r.html")
    try:
        o.page.evaluate("kg.focusNode('dataset:imagenet')")
        rows = o.page.evaluate("[...document.querySelectorAll('#kg-panel table.kg-leaderboard tr')]"
                               ".map(tr => [...tr.children].map(c => c.textContent))")
        assert rows and rows[0] == ["#", "method", "value", "paper"], o.page.text_content("#kg-panel")[:300]
        assert [r[:3] for r in rows[1:]] == [["1", XSS_SCRIPT, "80.67%"], ["2", "ResNet 50", "76.1%"]]
        assert "Leaderboard: top-1 accuracy (2)" in o.page.text_content("#kg-panel")
        assert o.page.evaluate("document.querySelectorAll('#kg-panel img, #kg-panel script').length") == 0
        assert o.page.evaluate("window.__pwned") is None
        panel = o.page.evaluate("() => { kg.focusNode(kg.find('MEAL V2')); return document.querySelector('#kg-panel').textContent; }")
        assert "result: +2.5% top-1 accuracy on ImageNet" in panel and "result: 80.67% top-1 accuracy" in panel
        o.clean()
    finally:
        o.page.close()
