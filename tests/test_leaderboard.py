"""Results on the graph (kg.graph), ranked and set against each other (kg.query.leaderboard),
and written as GraphML that networkx, igraph and graphology read with ``value`` a number."""
import json
import subprocess

import pytest

import kg
from kg.export.graphml import read_graphml, write_graphml
from kg.graph import build_graph

from test_export_graphml import ROOT, _node_reader

RESULT_RECORDS = [
    {"id": "p1", "title": "CoAtNet: Marrying Convolution and Attention",
     "entities": [{"name": "CoAtNet", "type": "method"}, {"name": "ResNet-50", "type": "method"},
                  {"name": "ImageNet", "type": "dataset", "aliases": ["ImageNet-1k"]}],
     "relations": [{"head": "CoAtNet", "relation": "evaluated_on", "tail": "ImageNet", "sentence": "s1",
                    "start": 0, "end": 2, "rule": "eval"},
                   {"head": "CoAtNet", "relation": "outperforms", "tail": "ResNet-50", "dataset": "ImageNet",
                    "margin": "12.4%", "sentence": "s2", "start": 3, "end": 5, "rule": "cmp"}],
     "results": [{"method": "CoAtNet", "dataset": "ImageNet", "metric": "top-1 accuracy", "value": 88.56, "unit": "%",
                  "delta": False, "sentence": "CoAtNet achieves 88.56% top-1 accuracy on ImageNet.", "start": 0,
                  "end": 50},
                 {"method": "CoAtNet", "dataset": "ImageNet-1k", "metric": "top-1 acc.", "value": 86.0, "unit": "%",
                  "delta": False, "sentence": "A smaller CoAtNet reaches 86.0% top-1 acc. on ImageNet-1k.",
                  "start": 51, "end": 100},
                 {"method": "CoAtNet", "dataset": "ImageNet", "metric": "top-1 accuracy", "value": 12.4, "unit": "%",
                  "delta": True, "over": "ResNet-50", "sentence": "s2", "start": 3, "end": 5},
                 {"method": "CoAtNet", "dataset": "ImageNet", "metric": "fid", "value": 3.0, "unit": None,
                  "delta": True, "sentence": "s3", "start": 6, "end": 8}]},
    {"id": "p2", "title": "Another paper",
     "entities": [{"name": "ResNet-50", "type": "method", "aliases": ["ResNet 50"]}, {"name": "CoAtNet", "type": "method"},
                  {"name": "ImageNet", "type": "dataset"}],
     "relations": [{"head": "ResNet 50", "relation": "outperforms", "tail": "CoAtNet", "dataset": "ImageNet",
                    "sentence": "ResNet 50 beats CoAtNet on ImageNet.", "start": 0, "end": 30, "rule": "cmp"}],
     "results": [{"method": "ResNet 50", "dataset": "ImageNet", "metric": "Top-1", "value": 76.1, "unit": "%",
                  "delta": False, "sentence": "ResNet 50 gets 76.1% top-1 on ImageNet.", "start": 31, "end": 60},
                 {"method": "Another paper", "dataset": "ImageNet", "metric": "error", "value": 20.5, "unit": "%",
                  "delta": False, "sentence": "We reach 20.5% error on ImageNet.", "start": 61, "end": 90}]},
]


@pytest.fixture
def G():
    return build_graph(RESULT_RECORDS)


def results_of(G):
    return sorted((u, v, d["relation"], d["value"], d.get("metric_name"), d["sentence"])
                  for u, v, d in G.edges(data=True) if "value" in d)


def test_results_become_edges(G):
    assert results_of(G) == [
        ("method:coatnet", "dataset:imagenet", "evaluated_on", 86.0, "top-1 accuracy",
         "A smaller CoAtNet reaches 86.0% top-1 acc. on ImageNet-1k."),
        ("method:coatnet", "dataset:imagenet", "evaluated_on", 88.56, "top-1 accuracy",
         "CoAtNet achieves 88.56% top-1 accuracy on ImageNet."),
        ("method:coatnet", "method:resnet50", "outperforms", 12.4, "top-1 accuracy", "s2"),
        ("method:resnet50", "dataset:imagenet", "evaluated_on", 76.1, "top-1 accuracy",
         "ResNet 50 gets 76.1% top-1 on ImageNet."),
        ("paper:p2", "dataset:imagenet", "evaluated_on", 20.5, "error rate", "We reach 20.5% error on ImageNet.")]
    # the paper's own edges took the first number: no second outperforms edge, one evaluated_on more
    margin = [d for u, v, d in G.edges(data=True) if d["relation"] == "outperforms" and u == "method:coatnet"]
    assert len(margin) == 1 and margin[0]["margin"] == "12.4%" and margin[0]["dataset"] == "ImageNet"
    assert all(isinstance(d["value"], float) for _, _, d in G.edges(data=True) if "value" in d)


def test_leaderboard_ranks_one_row_per_method_and_paper(G):
    rows = kg.leaderboard(G, "imagenet 1k")
    assert [(r.rank, r.name, r.value, r.metric) for r in rows] == [(1, "CoAtNet", 88.56, "top-1 accuracy"),
                                                                 (2, "ResNet-50", 76.1, "Top-1")]
    assert rows[0].paper == "CoAtNet: Marrying Convolution and Attention" and "88.56%" in rows[0].sentence
    assert [r.name for r in kg.leaderboard(G, "ImageNet", metric="error")] == ["Another paper"]
    assert kg.query.leaderboard_metrics(G, "ImageNet") == [("top-1 accuracy", 3), ("error rate", 1)]


def test_lower_is_better_ranks_up():
    recs = [{"id": f"p{i}", "title": f"P{i}", "entities": [{"name": m, "type": "method"},
                                                           {"name": "ImageNet", "type": "dataset"}],
             "relations": [], "results": [{"method": m, "dataset": "ImageNet", "metric": "FID", "value": v,
                                           "delta": False, "sentence": f"{m} {v}", "start": 0, "end": 5}]}
            for i, (m, v) in enumerate((("A", 2.97), ("B", 2.27), ("C", 7.7)))]
    assert [r.name for r in kg.leaderboard(build_graph(recs), "ImageNet")] == ["B", "A", "C"]


def test_conflicts(G):
    got = kg.conflicts(G)
    assert [(c.a, c.b, c.dataset) for c in got] == [("CoAtNet", "ResNet-50", "ImageNet")]
    assert got[0].a_wins == [{"paper": "CoAtNet: Marrying Convolution and Attention", "sentence": "s2"}]
    assert got[0].b_wins[0]["sentence"] == "ResNet 50 beats CoAtNet on ImageNet."


def test_claims_on_two_datasets_do_not_conflict():
    recs = json.loads(json.dumps(RESULT_RECORDS))
    recs[1]["entities"].append({"name": "CIFAR-10", "type": "dataset"})
    recs[1]["relations"][0]["dataset"] = "CIFAR-10"
    assert kg.conflicts(build_graph(recs)) == []


def test_graphml_value_is_a_number_for_every_reader(G, tmp_path):
    path = tmp_path / "g.graphml"
    write_graphml(G, path)
    text = path.read_text(encoding="utf-8")
    assert '<key id="e_value" for="edge" attr.name="value" attr.type="double"/>' in text
    H = read_graphml(path)
    assert results_of(H) == results_of(G)
    igraph = pytest.importorskip("igraph")
    g = igraph.Graph.Read_GraphML(str(path))
    values = [v for v in g.es["value"] if v == v]  # NaN where an edge has no value
    assert sorted(values) == sorted(d["value"] for _, _, d in G.edges(data=True) if "value" in d)
    node = _node_reader()
    out = subprocess.run([node, str(ROOT / "tests" / "js" / "read_graphml.js"), str(path)],
                         capture_output=True, text=True, check=True, cwd=ROOT)
    got = [e["attributes"]["value"] for e in json.loads(out.stdout)["edges"] if "value" in e["attributes"]]
    assert sorted(got) == sorted(values) and all(isinstance(v, (int, float)) for v in got)  # JS: one number type
    write_graphml(build_graph(RESULT_RECORDS), tmp_path / "again.graphml")
    assert (tmp_path / "again.graphml").read_bytes() == path.read_bytes()


def test_page_data_holds_each_datasets_leaderboard(G):
    from kg.export.page_data import page_data

    data = page_data(G)
    board = data["leaderboards"]["dataset:imagenet"]
    assert board["metric"] == "top-1 accuracy" and board["count"] == 2
    assert [(r["rank"], r["name"], r["value"], r["paper_id"]) for r in board["rows"]] == [
        (1, "CoAtNet", 88.56, "paper:p1"), (2, "ResNet-50", 76.1, "paper:p2")]
    margin = next(e for e in data["edges"] if e["relation"] == "outperforms" and e["from"] == "method:coatnet")
    assert (margin["value"], margin["unit"], margin["metric"], margin["dataset"]) == (12.4, "%", "top-1 accuracy",
                                                                                      "ImageNet")
