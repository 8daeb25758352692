"""The HTML page, without a browser: self-contained, escaped, deterministic, atomic; focus,
depth and max-nodes selection; the layout; and the ``kg html`` command."""
from __future__ import annotations

import base64
import copy
import hashlib
import json
import re
import time
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.export import html as page
from kg.export.graphml import write_graphml
from kg.export.html import drawn_graph, page_data, page_path, render_html, select_nodes, write_html
from kg.export.json import write_json
from kg.export.layout import layout
from kg.graph import build_graph
from kg.lookup import AmbiguousName, NameIndex
from kg.query import NodeNotFound, find_node

XSS_IMG = "<img src=x onerror=alert(1)>"
XSS_SCRIPT = "<script>window.__pwned=1</script>"


def records():
    """Two papers; the first carries script-like text in its title, a sentence and an alias."""
    t1 = "MEAL V2 " + XSS_IMG
    return [
        {"id": "p1", "title": t1, "source": "a.txt:1", "date": "2020-09-17", "url": "https://arxiv.org/abs/2009.08453",
         "entities": [{"name": "MEAL V2", "type": "method", "aliases": [XSS_SCRIPT]},
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
              "sentence": "Code: https://github.com/szq0214/MEAL-V2", "start": 41, "end": 80, "rule": "url"}]},
        {"id": "p2", "title": "Second paper", "source": "b.txt:1", "date": "2021-01-02",
         "entities": [{"name": "ResNet 50", "type": "method", "aliases": []},
                      {"name": "ImageNet", "type": "dataset", "aliases": []},
                      {"name": "Lonely", "type": "dataset", "aliases": []}],
         "relations": [{"head": "ResNet 50", "relation": "trained_on", "tail": "ImageNet",
                        "sentence": "ResNet 50 trained on ImageNet.", "start": 0, "end": 20, "rule": "train"}]},
    ]


@pytest.fixture
def G():
    return build_graph(records())


def data_of(text: str) -> dict:
    m = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', text, re.S)
    return json.loads(m.group(1))


def test_page_is_one_self_contained_file(G, tmp_path):
    write_html(G, tmp_path / "graph.html")                  # the pipeline's call
    text = (tmp_path / "graph.html").read_text(encoding="utf-8")
    assert text.startswith("<!doctype html>") and "vis.Network" in text
    assert not re.search(r"<(link|img|iframe|object|embed)\b", text, re.I)
    assert not re.search(r"<script[^>]+\bsrc\s*=", text, re.I)
    assert "@import" not in text and not re.search(r"url\(\s*['\"]?(https?:)?//", text)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.html"]


def test_csp_allows_only_the_page_scripts(G):
    text = render_html(G)
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', text).group(1).replace("&#x27;", "'")
    assert "default-src 'none'" in csp and "connect-src 'none'" in csp and "unsafe-inline" not in csp.split(";")[1]
    scripts = re.findall(r"<script>(.*?)</script>", text, re.S)
    assert len(scripts) == 2
    for s in scripts:
        digest = base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp


def test_data_is_escaped_json_with_every_node_and_edge(G):
    text = render_html(G)
    block = re.search(r'id="kg-data">(.*?)</script>', text, re.S).group(1)
    assert not set(block) & {"<", ">", "&", "\u2028", "\u2029"}
    assert text.count("</script>") == 3                     # the three script elements, no more
    data = data_of(text)
    assert len(data["nodes"]) == G.number_of_nodes() and len(data["edges"]) == G.number_of_edges()
    labels = {n["label"] for n in data["nodes"]}
    assert XSS_SCRIPT in labels or any(XSS_SCRIPT in n["aliases"] for n in data["nodes"])
    assert any(XSS_IMG in e["sentence"] for e in data["edges"])
    assert XSS_IMG not in text and XSS_SCRIPT not in text


def test_script_json_escapes_line_separators():
    assert page.script_json({"a": "x\u2028y\u2029</script>"}) == '{"a":"x\\u2028y\\u2029\\u003c/script\\u003e"}'


def test_nodes_edges_legend_and_papers(G):
    data = page_data(G)
    nodes = {n["id"]: n for n in data["nodes"]}
    assert nodes["method:resnet50"]["group"] == "baseline" and nodes["method:resnet50"]["aliases"] == ["ResNet-50", "ResNet50"]
    assert nodes["dataset:imagenet"]["size"] > nodes["dataset:lonely"]["size"]
    groups = {g["group"]: g for g in data["groups"]}
    assert groups["baseline"]["dashed"] and groups["baseline"]["label"] == "baseline method"
    assert {r["relation"] for r in data["relations"]} == {d["relation"] for *_, d in G.edges(data=True)}
    assert len({r["color"] for r in data["relations"]}) == len(data["relations"])
    assert {p["id"]: p["title"] for p in data["papers"]}["paper:p2"] == "Second paper"
    assert all(isinstance(n["x"], int) and isinstance(n["y"], int) for n in data["nodes"])


def test_write_html_does_not_change_the_graph_or_print(G, tmp_path, capsys):
    before = copy.deepcopy(nx.node_link_data(G, edges="edges"))
    write_html(G, tmp_path / "a.html", focus="ImageNet", depth=2, max_nodes=4, title="t")
    assert nx.node_link_data(G, edges="edges") == before
    assert capsys.readouterr() == ("", "")


def test_same_graph_same_bytes(G, tmp_path):
    H = nx.MultiDiGraph()
    H.add_nodes_from(reversed(list(G.nodes(data=True))))
    H.add_edges_from(reversed(list(G.edges(keys=True, data=True))))
    write_html(G, tmp_path / "a.html")
    write_html(H, tmp_path / "b.html")
    assert (tmp_path / "a.html").read_bytes() == (tmp_path / "b.html").read_bytes()


def test_a_failed_write_keeps_the_old_page(G, tmp_path, monkeypatch):
    path = tmp_path / "graph.html"
    path.write_text("old page")
    monkeypatch.setattr(page, "page_data", lambda *a, **k: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        write_html(G, path)
    assert path.read_text() == "old page" and len(list(tmp_path.iterdir())) == 1


@pytest.mark.parametrize("name, node", [
    ("resnet-50", "method:resnet50"), ("RESNET 50", "method:resnet50"), ("resnet50", "method:resnet50"),
    ("ImageNet", "dataset:imagenet"), ("dataset:imagenet", "dataset:imagenet"),
    ("https://github.com/szq0214/MEAL-V2", "https://github.com/szq0214/MEAL-V2"),
])
def test_find_node_by_id_label_or_alias(G, name, node):
    assert find_node(G, name) == node


def test_unknown_focus_is_the_query_error_with_suggestions(G):
    with pytest.raises(NodeNotFound) as e:
        render_html(G, focus="ImageNt")
    assert e.value.suggestions == ["ImageNet"] and "did you mean: ImageNet" in str(e.value)


def test_focus_depth_and_max_nodes(G):
    assert select_nodes(G, focus="dataset:lonely", depth=3) == ["dataset:lonely"]
    one = select_nodes(G, focus="method:resnet50", depth=1)
    assert set(one) == {"method:resnet50", "dataset:imagenet", find_node(G, "MEAL V2")}
    assert set(one) < set(select_nodes(G, focus="method:resnet50", depth=2))
    top = select_nodes(G, max_nodes=2)
    degree = dict(G.degree())
    assert len(top) == 2 and min(degree[n] for n in top) >= max(d for n, d in degree.items() if n not in top)
    assert "dataset:lonely" in select_nodes(G, focus="dataset:lonely", max_nodes=1)
    data = data_of(render_html(G, focus="resnet 50", depth=1))
    assert data["focus"] == "method:resnet50" and len(data["nodes"]) == 3
    assert "paper:p2" in {p["id"] for p in data["papers"]}      # titles of papers not drawn


def test_empty_and_tiny_graphs(tmp_path):
    write_html(nx.MultiDiGraph(), tmp_path / "empty.html")
    assert data_of((tmp_path / "empty.html").read_text())["nodes"] == []
    H = nx.MultiDiGraph()
    H.add_node("method:x", type="method", label="X")
    assert data_of(render_html(H))["nodes"][0]["x"] == 0


def test_layout_is_deterministic_and_quick():
    G = nx.gnm_random_graph(1000, 2000, seed=1)
    G.add_nodes_from(range(1000, 1050))                   # isolated nodes
    start = time.perf_counter()
    pos = layout(G)
    assert time.perf_counter() - start < 10
    assert pos == layout(G) and len(pos) == 1050
    xs = [x for x, _ in pos.values()]
    assert 1000 < max(xs) - min(xs) < 7000


def test_layout_of_a_big_graph_places_every_node():
    G = nx.barabasi_albert_graph(2500, 1, seed=2)
    pos = layout(G)
    assert len(pos) == 2500 and len(set(pos.values())) > 2400


# ---- kg html ------------------------------------------------------------------------------

@pytest.fixture
def graph_files(G, tmp_path):
    write_graphml(G, tmp_path / "graph.graphml")
    write_json(G, tmp_path / "graph.json")
    return tmp_path


def test_cli_writes_the_page_from_graphml_or_json(graph_files, G):
    for name in ("graph.graphml", "graph.json"):
        out = graph_files / f"{name}.html"
        r = CliRunner().invoke(cli, ["html", str(graph_files / name), "-o", str(out)])
        assert r.exit_code == 0, r.output
        assert len(data_of(out.read_text())["nodes"]) == G.number_of_nodes()


def test_cli_focus_depth_max_nodes(graph_files):
    r = CliRunner().invoke(cli, ["html", str(graph_files / "graph.graphml"), "--focus", "ResNet 50",
                                 "--depth", "2", "--max-nodes", "3", "-o", str(graph_files / "f.html")])
    assert r.exit_code == 0, r.output
    data = data_of((graph_files / "f.html").read_text())
    assert data["focus"] == "method:resnet50" and len(data["nodes"]) == 3
    r = CliRunner().invoke(cli, ["html", str(graph_files / "graph.json"), "--focus", "ImageNet"])
    assert r.exit_code == 0, r.output
    assert (graph_files / "graph-imagenet.html").is_file()


def test_cli_unknown_focus_is_one_clear_line(graph_files):
    r = CliRunner().invoke(cli, ["html", str(graph_files / "graph.graphml"), "--focus", "ResNt-50"])
    assert r.exit_code == 1
    assert r.output == "kg: no node named 'ResNt-50'; did you mean: ResNet 50?\n"


def test_cli_missing_graph_file(tmp_path):
    r = CliRunner().invoke(cli, ["html", str(tmp_path / "nope.graphml")])
    assert r.exit_code == 1 and "no graph file" in r.output


def test_script_json_in_parts_is_the_whole_json():
    """The streamed page data joins to json.dumps of the whole, escaped, whatever the part size."""
    data = {"nodes": [{"id": f"n{i}", "label": "a</script>&\u2028" * (i % 3), "x": i / 7} for i in range(7)],
            "edges": [], "title": "<t>", "focus": None, "z": {"k": ["<"]}, "bad": "\ud800"}
    whole = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for ch, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028")):
        whole = whole.replace(ch, esc)
    whole = whole.replace("\ud800", "\ufffd")
    for per_part in (1, 2, 3, 1000):
        parts = list(page.script_json_parts(data, per_part=per_part))
        assert "".join(parts) == whole
        assert per_part > 7 or len(parts) > 10
    assert json.loads(page.script_json(data))["nodes"][1]["label"] == "a</script>&\u2028"


# ---- one name lookup: the query and the page agree ------------------------------------------

BUNDLED = Path(__file__).resolve().parents[1] / "outputs" / "graph.graphml"


def names_of(G):
    names = set()
    for n, d in G.nodes(data=True):
        names.add(str(d.get("label") or n))
        names.update(a for a in str(d.get("aliases") or "").split("|") if a)
    return sorted(names)


def answer(fn, *args):
    try:
        return fn(*args)
    except AmbiguousName as e:
        return ("ambiguous", tuple(e.candidates))
    except NodeNotFound:
        return "not found"


def test_page_and_query_agree_on_every_name_of_the_bundled_graph():
    """Every label and alias, asked through kg.query.find_node and through the page (its
    focus and its search box's name table), names the same node."""
    from kg.query import load
    from kg.resolve import canonical_key

    G = load(BUNDLED)
    names = names_of(G)
    index = NameIndex(G)
    table = page_data(G, index=index)["names"]
    assert len(names) > 1000
    for i, name in enumerate(names):
        want = answer(find_node, G, name) if i % 40 == 0 else answer(index.find, name)
        focus = answer(lambda nm: drawn_graph(G, focus=nm, depth=0, index=index)[1], name)
        searched = table[canonical_key(name)]
        assert focus == want, name
        assert (("ambiguous", tuple(searched)) if isinstance(searched, list) else searched) == want, name


def test_a_method_named_like_a_paper_and_an_ambiguous_acronym():
    G = nx.MultiDiGraph()
    G.add_node("paper:p1", type="paper", label="Inception Transformer", title="Inception Transformer")
    G.add_node("method:inceptiontransformer", type="method", label="Inception Transformer")
    G.add_node("method:ea1", type="method", label="Embedding Assistant", aliases="EA")
    G.add_node("method:ea2", type="method", label="Evolutionary Algorithm", aliases="EA")
    G.add_edge("paper:p1", "method:inceptiontransformer", relation="introduces")
    assert data_of(render_html(G, focus="Inception Transformer"))["focus"] == "method:inceptiontransformer"
    assert find_node(G, "Inception Transformer") == "method:inceptiontransformer"
    with pytest.raises(AmbiguousName) as e:
        render_html(G, focus="EA")
    assert isinstance(e.value, NodeNotFound) and e.value.candidates == ["method:ea1", "method:ea2"]
    assert e.value.suggestions == ["Embedding Assistant (method:ea1)", "Evolutionary Algorithm (method:ea2)"]
    assert data_of(render_html(G))["names"]["ea"] == ["method:ea1", "method:ea2"]


def test_cli_focus_and_query_show_name_the_same_node(graph_files):
    for name in ("ResNet 50", "resnet50", "ImageNet", "MEAL V2"):
        r = CliRunner().invoke(cli, ["query", "show", name, "--json", "-g", str(graph_files / "graph.graphml")])
        node = json.loads(r.output)["node"]["id"]
        r = CliRunner().invoke(cli, ["html", str(graph_files / "graph.graphml"), "--focus", name, "-o",
                                     str(graph_files / "f.html")])
        assert r.exit_code == 0 and data_of((graph_files / "f.html").read_text())["focus"] == node


def test_one_find_node_in_the_package():
    root = Path(__file__).resolve().parents[1] / "kg"
    defs = [p for p in root.rglob("*.py") for line in p.read_text().splitlines() if line.lstrip().startswith("def find_node(")]
    assert [p.relative_to(root).as_posix() for p in defs] == ["query/base.py"]


# ---- what the page draws, the page's name, lineage ---------------------------------------------

def lineage_graph():
    G = nx.MultiDiGraph()
    for n, t in (("tinybert", "method"), ("bert", "method"), ("books", "dataset"), ("glue", "dataset"),
                 ("minibert", "method"), ("other", "method")):
        G.add_node(f"{t}:{n}", type=t, label=n.upper() if t == "dataset" else n.title())
    G.add_edge("method:tinybert", "method:bert", relation="distills_from", sentence="TinyBERT learns from BERT.",
               derivation="distilled")
    G.add_edge("method:bert", "dataset:books", relation="pretrained_on", sentence="BERT is pretrained on BOOKS.")
    G.add_edge("method:minibert", "method:tinybert", relation="based_on", sentence="MiniBERT builds on TinyBERT.")
    G.add_edge("method:tinybert", "dataset:glue", relation="evaluated_on", sentence="Tested on GLUE.")
    G.add_edge("method:other", "method:bert", relation="outperforms", sentence="Other beats BERT.")
    return G


def test_lineage_page_draws_ancestors_and_descendants_through_lineage_edges_only(tmp_path):
    G = lineage_graph()
    drawn = write_html(G, tmp_path / "l.html", lineage="TinyBERT")
    data = data_of((tmp_path / "l.html").read_text())
    assert drawn == {"nodes": 4, "edges": 3, "node": "method:tinybert", "title": "kg lineage: Tinybert"}
    assert {n["id"] for n in data["nodes"]} == {"method:tinybert", "method:bert", "dataset:books", "method:minibert"}
    assert {e["relation"] for e in data["edges"]} == {"distills_from", "pretrained_on", "based_on"}
    assert data["lineage"] is True and data["focus"] == "method:tinybert"
    assert next(e for e in data["edges"] if e["relation"] == "distills_from")["derivation"] == "distilled"
    with pytest.raises(ValueError):
        write_html(G, tmp_path / "x.html", lineage="TinyBERT", focus="BERT")


def test_write_html_says_what_it_drew_and_names_pages(G, tmp_path):
    assert write_html(G, tmp_path / "a.html") == {"nodes": G.number_of_nodes(), "edges": G.number_of_edges(),
                                                  "node": None, "title": "kg graph"}
    drawn = write_html(G, tmp_path / "b.html", focus="ImageNet", depth=1)
    assert drawn["node"] == "dataset:imagenet" and drawn["title"] == "kg graph: ImageNet"
    assert drawn["nodes"] == len(data_of((tmp_path / "b.html").read_text())["nodes"]) < G.number_of_nodes()
    assert page_path(tmp_path / "graph.json", "ResNet 50") == tmp_path / "graph-resnet-50.html"
    assert page_path(tmp_path / "graph.graphml", "ViT", kind="lineage") == tmp_path / "graph-lineage-vit.html"
    assert page_path(tmp_path / "graph.graphml", "ŝ") == tmp_path / "graph-focus.html"


def test_cli_lineage(graph_files, tmp_path):
    G = lineage_graph()
    write_graphml(G, tmp_path / "lin.graphml")
    r = CliRunner().invoke(cli, ["html", str(tmp_path / "lin.graphml"), "--lineage", "tinybert"])
    assert r.exit_code == 0, r.output
    assert r.output == f"kg: 4 nodes, 3 edges -> {tmp_path / 'lin-lineage-tinybert.html'}\n"
    r = CliRunner().invoke(cli, ["html", str(tmp_path / "lin.graphml"), "--lineage", "tinybert", "--focus", "bert"])
    assert r.exit_code == 2 and "not both" in r.output


def test_pages_draw_the_best_connected_nodes_of_a_big_graph_by_default(graph_files, G):
    star = nx.MultiDiGraph((f"method:m{i}", "dataset:hub", 0) for i in range(page.PAGE_MAX_NODES + 50))
    H, _ = drawn_graph(star)
    assert len(H) == page.PAGE_MAX_NODES and "dataset:hub" in H
    assert len(drawn_graph(star, max_nodes=None)[0]) == len(star)
    r = CliRunner().invoke(cli, ["html", str(graph_files / "graph.graphml"), "--max-nodes", "0", "-o",
                                 str(graph_files / "all.html")])
    assert r.exit_code == 0 and len(data_of((graph_files / "all.html").read_text())["nodes"]) == len(G)


def test_page_opens_on_the_largest_component(G):
    data = page_data(G)
    assert data["main"] == sorted(max(nx.connected_components(G.to_undirected()), key=len))
    assert data["total"] == {"nodes": len(G), "edges": G.number_of_edges()}
