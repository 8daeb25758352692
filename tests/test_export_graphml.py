"""graph.graphml and graph.json: read back by networkx, igraph and graphology-graphml with the
same nodes, edges and typed attributes; the two files hold the same data."""
from __future__ import annotations

import json
import math
import os
import re
import shutil
import subprocess
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import given, settings, strategies as st

from kg.export.graphml import graphml_ready, graphml_text, read_graphml, write_graphml
from kg.export.json import read_json, to_json_data, write_json
from kg.graph import build_graph

ROOT = Path(__file__).resolve().parents[1]
CI = bool(os.environ.get("CI"))


def _records():
    return [
        {"id": "p1", "title": "MEAL V2: Boosting <ResNet-50> & co", "source": "a.txt:1", "date": "2020-09-17",
         "url": "https://arxiv.org/abs/2009.08453",
         "entities": [{"name": "MEAL V2", "type": "method", "aliases": []},
                      {"name": "ResNet-50", "type": "method", "aliases": ["ResNet50"]},
                      {"name": "ImageNet", "type": "dataset", "aliases": ["ImageNet-1k"]},
                      {"name": "https://github.com/szq0214/MEAL-V2", "type": "repository", "aliases": []}],
         "relations": [
             {"head": "MEAL V2", "relation": "outperforms", "tail": "ResNet-50", "dataset": "ImageNet",
              "margin": 2.5, "value": "80.67%", "sentence": "MEAL V2 beats\x0b ResNet-50\x01 by 2.5%.",
              "start": 0, "end": 30, "rule": "cmp"},
             {"head": "MEAL V2", "relation": "evaluated_on", "tail": "ImageNet", "value": 80,
              "sentence": "Top-1 of 80% on ImageNet.", "start": 31, "end": 60, "rule": "eval"},
             {"head": "MEAL V2: Boosting <ResNet-50> & co", "relation": "introduces", "tail": "MEAL V2",
              "sentence": "We introduce MEAL V2.", "start": 61, "end": 80, "rule": "intro"},
             {"head": "MEAL V2: Boosting <ResNet-50> & co", "relation": "has_code",
              "tail": "https://github.com/szq0214/MEAL-V2", "sentence": "Code is at ...", "start": 81,
              "end": 99, "rule": "url"}]},
        {"id": "p2", "title": "Second paper", "source": "b.txt:3", "date": "",
         "entities": [{"name": "ResNet 50", "type": "method", "aliases": []},
                      {"name": "ImageNet", "type": "dataset", "aliases": []}],
         "relations": [{"head": "ResNet 50", "relation": "trained_on", "tail": "ImageNet",
                        "sentence": "ResNet 50 trained on ImageNet.", "start": 0, "end": 20, "rule": "train"}]},
    ]


@pytest.fixture
def G():
    return build_graph(_records())


@pytest.fixture
def mixed():
    """Same attribute name on nodes and edges, mixed types, lists, None, bad characters."""
    G = nx.MultiDiGraph()
    G.add_node("a", label="A", w=1, flag=True, tags=["x", "y"], gone=None)
    G.add_node("b", label="B\x00\x1f", w=2.5, flag=False, mix="text")
    G.add_node("c", mix=3)
    G.add_edge("a", "b", key="e0", label="first", w=1, mix=True)
    G.add_edge("a", "b", key="e1", label="second", w=2.5, mix=1.5)
    G.add_edge("b", "c", key="e2", label="third", w=3)
    return G


def _same(H, J):
    """Same nodes, edges (with keys) and attributes, with the same Python types."""
    assert sorted(H.nodes) == sorted(J.nodes)
    for n in H:
        assert H.nodes[n] == J.nodes[n]
        assert {k: type(v) for k, v in H.nodes[n].items()} == {k: type(v) for k, v in J.nodes[n].items()}
    he = {k: (u, v, d) for u, v, k, d in H.edges(keys=True, data=True)}
    je = {k: (u, v, d) for u, v, k, d in J.edges(keys=True, data=True)}
    assert he == je
    for k in he:
        assert {a: type(x) for a, x in he[k][2].items()} == {a: type(x) for a, x in je[k][2].items()}


def test_networkx_reads_back_the_normalised_graph(G, mixed, tmp_path):
    for graph in (G, mixed):
        write_graphml(graph, tmp_path / "g.graphml")
        _same(read_graphml(tmp_path / "g.graphml"), graphml_ready(graph))


def test_one_type_per_key_and_normalised_values(mixed):
    text = graphml_text(mixed)
    decl = re.findall(r'<key id="([^"]+)" for="(\w+)" attr.name="([^"]+)" attr.type="(\w+)"/>', text)
    names = [(f, n) for _, f, n, _ in decl]
    assert len(names) == len(set(names))                     # one key per (domain, name)
    assert len({i for i, _, _, _ in decl}) == len(decl)      # distinct key ids
    types = {(f, n): t for _, f, n, t in decl}
    assert types[("node", "w")] == types[("edge", "w")] == "double"
    assert types[("node", "mix")] == "string" and types[("edge", "mix")] == "string"
    assert types[("node", "flag")] == "boolean" and ("node", "gone") not in types
    H = graphml_ready(mixed)
    assert H.nodes["a"]["tags"] == "x|y" and H.nodes["b"]["label"] == "B"
    assert H.nodes["c"]["mix"] == "3" and H.nodes["c"]["label"] == "c"
    assert H.edges["a", "b", "e0"]["mix"] == "true" and H.edges["a", "b", "e1"]["mix"] == "1.5"
    assert "\x00" not in text and "\x1f" not in text and "<data key=\"n_flag\">true</data>" in text
    assert '<key id="e_start" for="edge" attr.name="start" attr.type="int"/>' in graphml_text(build_graph(_records()))


def test_graph_is_not_changed(G):
    before = json.dumps(nx.node_link_data(G, edges="edges"), sort_keys=True, default=str)
    graphml_text(G)
    to_json_data(G)
    assert json.dumps(nx.node_link_data(G, edges="edges"), sort_keys=True, default=str) == before


def test_edge_ids_are_the_keys_and_unique(G):
    text = graphml_text(G)
    ids = re.findall(r'<edge id="([^"]+)"', text)
    assert len(ids) == len(set(ids)) == G.number_of_edges()
    assert sorted(ids) == sorted(k for _, _, k in G.edges(keys=True))
    H = nx.MultiDiGraph([(1, 2), (1, 2), (2, 3)])          # integer keys repeat across pairs
    ids = re.findall(r'<edge id="([^"]+)"', graphml_text(H))
    assert ids == ["e0", "e1", "e2"]


def test_every_node_has_a_label(G):
    assert all(d.get("label") for _, d in graphml_ready(G).nodes(data=True))


def test_same_output_for_the_same_graph(G):
    H = nx.MultiDiGraph()
    H.add_nodes_from(reversed(list(G.nodes(data=True))))
    H.add_edges_from(reversed(list(G.edges(keys=True, data=True))))
    assert graphml_text(H) == graphml_text(G)


def test_a_failed_write_leaves_the_old_file(tmp_path):
    path = tmp_path / "g.graphml"
    path.write_text("old")
    bad = nx.MultiDiGraph()
    bad.add_node("a", d={"nested": 1})
    with pytest.raises(TypeError, match="'d'"):
        write_graphml(bad, path)
    with pytest.raises(TypeError):
        write_graphml(bad, tmp_path / "new.graphml")
    assert path.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.graphml"]


def test_igraph_reads_the_same_graph(G, mixed, tmp_path):
    igraph = pytest.importorskip("igraph")
    for graph in (G, mixed):
        write_graphml(graph, tmp_path / "g.graphml")
        g = igraph.Graph.Read_GraphML(str(tmp_path / "g.graphml"))
        H = graphml_ready(graph)
        assert (g.vcount(), g.ecount(), g.is_directed()) == (H.number_of_nodes(), H.number_of_edges(), True)
        ids = g.vs["id"]
        for v in g.vs:
            want = H.nodes[v["id"]]
            got = {k: x for k, x in v.attributes().items() if k in want}
            assert got == pytest.approx(want)          # ints come back as floats
            for k, x in want.items():
                assert isinstance(got[k], bool) == isinstance(x, bool)
                assert isinstance(got[k], str) == isinstance(x, str)
        # edges come in file order (by key); python-igraph's edge "id" attribute is unreliable
        edges = sorted(H.edges(keys=True, data=True), key=lambda e: int(e[2][1:]))
        for e, (u, w, _, d) in zip(g.es, edges):
            assert (ids[e.source], ids[e.target]) == (u, w)
            assert {k: x for k, x in e.attributes().items() if k in d} == pytest.approx(d)


def test_igraph_keeps_node_and_edge_attributes_of_one_name_apart(mixed, tmp_path):
    igraph = pytest.importorskip("igraph")
    write_graphml(mixed, tmp_path / "g.graphml")
    g = igraph.Graph.Read_GraphML(str(tmp_path / "g.graphml"))
    assert g.vs["label"] == ["A", "B", "c"]
    assert g.es["label"] == ["first", "second", "third"]
    assert g.vs["w"][:2] == [1.0, 2.5] and g.es["w"] == [1.0, 2.5, 3.0]


def test_igraph_refuses_what_networkx_writes_for_mixed_types(tmp_path):
    """Why the writer unifies types: networkx declares one key per type, igraph refuses it."""
    igraph = pytest.importorskip("igraph")
    H = nx.MultiDiGraph()
    H.add_node("a", v=1)
    H.add_node("b", v="x")
    nx.write_graphml_xml(H, tmp_path / "nx.graphml")
    with pytest.raises(Exception, match="[Dd]uplicate attribute"):
        igraph.Graph.Read_GraphML(str(tmp_path / "nx.graphml"))
    write_graphml(H, tmp_path / "kg.graphml")
    assert igraph.Graph.Read_GraphML(str(tmp_path / "kg.graphml")).vs["v"] == ["1", "x"]


def _node_reader():
    node = shutil.which("node")
    if node and (ROOT / "node_modules" / "graphology-graphml").is_dir():
        return node
    if CI:
        pytest.fail("node and node_modules (npm install) are needed in CI")
    pytest.skip("node or node_modules/graphology-graphml missing (run npm install)")


def test_graphology_reads_the_same_graph(G, mixed, tmp_path):
    node = _node_reader()
    for graph in (G, mixed):
        write_graphml(graph, tmp_path / "g.graphml")
        out = subprocess.run([node, str(ROOT / "tests" / "js" / "read_graphml.js"), str(tmp_path / "g.graphml")],
                             capture_output=True, text=True, check=True, cwd=ROOT)
        got = json.loads(out.stdout)
        H = graphml_ready(graph)
        assert (got["order"], got["size"], got["type"]) == (len(H), H.number_of_edges(), "directed")
        for n, d in H.nodes(data=True):
            assert got["nodes"][n] == d
            assert {k: type(x) for k, x in got["nodes"][n].items() if not isinstance(x, (int, float))} == \
                {k: type(x) for k, x in d.items() if not isinstance(x, (int, float))}
        edges = {e["key"]: e for e in got["edges"]}
        for u, w, k, d in H.edges(keys=True, data=True):
            assert (edges[k]["source"], edges[k]["target"], edges[k]["attributes"]) == (u, w, d)


def test_json_and_graphml_hold_the_same_data(G, mixed, tmp_path):
    for graph in (G, mixed):
        write_graphml(graph, tmp_path / "graph.graphml")
        write_json(graph, tmp_path / "graph.json")
        _same(read_json(tmp_path / "graph.json"), read_graphml(tmp_path / "graph.graphml"))
        text = (tmp_path / "graph.json").read_text(encoding="utf-8")
        assert text.endswith("\n") and json.loads(text)["edges"][0]["key"] == "e0"


_text = st.text(st.characters(codec="utf-8"), max_size=12)
_scalar = st.one_of(st.none(), st.booleans(), st.integers(-2**40, 2**40),
                    st.floats(allow_nan=False, width=64), _text, st.lists(_text, max_size=3))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.dictionaries(st.sampled_from(["a", "b", "label", "type"]), _scalar, max_size=4),
                min_size=1, max_size=5),
       st.lists(st.dictionaries(st.sampled_from(["a", "relation", "label"]), _scalar, max_size=3), max_size=6))
def test_any_scalar_values_round_trip(tmp_path_factory, nodes, edges):
    G = nx.MultiDiGraph()
    for i, d in enumerate(nodes):
        G.add_node(f"n{i}", **d)
    for j, d in enumerate(edges):
        G.add_edge(f"n{j % len(nodes)}", f"n{(j * 7) % len(nodes)}", key=f"e{j}", **d)
    path = tmp_path_factory.mktemp("rt") / "g.graphml"
    write_graphml(G, path)
    H, R = graphml_ready(G), read_graphml(path)
    for n in H:
        for k, v in H.nodes[n].items():
            r = R.nodes[n][k]
            assert type(r) is type(v) and (r == v or (isinstance(v, float) and math.isnan(v)))
    assert sorted(k for *_, k in R.edges(keys=True)) == sorted(k for *_, k in H.edges(keys=True))
