"""kg.query over small graphs built from extraction records (no spaCy) or by hand."""
import json
import sys

import networkx as nx
import pytest

import kg
from kg import query as q
from kg.export.graphml import write_graphml
from kg.export.json import write_json
from kg.graph import build_graph


def ent(name, type="method", aliases=()):
    return {"name": name, "type": type, "aliases": list(aliases)}


def rel(head, relation, tail, sentence=None, **extra):
    return {"head": head, "relation": relation, "tail": tail,
            "sentence": sentence or f"{head} {relation} {tail}.", "start": 0, "end": 10, "rule": "t", **extra}


RECORDS = [
    {"id": "p1", "title": "DistilBERT, a distilled version of BERT", "date": "2019-10-02",
     "entities": [ent("DistilBERT"), ent("BERT", aliases=["BERT-base"]), ent("ELMo"), ent("GLUE", "dataset"),
                  ent("https://github.com/huggingface/transformers", "repository")],
     "relations": [rel("DistilBERT, a distilled version of BERT", "introduces", "DistilBERT"),
                   rel("DistilBERT", "distills_from", "BERT", "We distill BERT into DistilBERT."),
                   rel("DistilBERT", "outperforms", "ELMo", "DistilBERT beats ELMo on GLUE.", dataset="GLUE",
                       margin="3.9 points"),
                   rel("DistilBERT", "evaluated_on", "GLUE"),
                   rel("DistilBERT, a distilled version of BERT", "has_code",
                       "https://github.com/huggingface/transformers")]},
    {"id": "p2", "title": "TinyBERT: Distilling BERT", "date": "2019-09-23",
     "entities": [ent("TinyBERT"), ent("BERT", aliases=["BERT-base"]), ent("DistilBERT"), ent("ELMo"), ent("GLUE", "dataset"),
                  ent("SQuAD", "dataset")],
     "relations": [rel("TinyBERT", "distills_from", "BERT-base"),
                   rel("TinyBERT", "outperforms", "DistilBERT", dataset="GLUE", margin="2.1 points"),
                   rel("TinyBERT", "outperforms", "ELMo", dataset="SQuAD"),
                   rel("TinyBERT", "evaluated_on", "GLUE")]},
    {"id": "p3", "title": "BERT: Pre-training of Deep Bidirectional Transformers", "date": "2018-10-11",
     "entities": [ent("BERT"), ent("Transformer"), ent("BooksCorpus", "dataset"), ent("SQuAD v1.1", "dataset")],
     "relations": [rel("BERT", "pretrained_on", "BooksCorpus"), rel("BERT", "based_on", "Transformer"),
                   rel("BERT", "fine_tuned_on", "SQuAD v1.1")]},
    {"id": "p4", "title": "Alpha and Beta",
     "entities": [ent("Alpha"), ent("Beta"), ent("Gamma")],
     "relations": [rel("Alpha", "based_on", "Beta"), rel("Beta", "based_on", "Alpha"),
                   rel("Gamma", "based_on", "Beta")]},
    # "PEA" is defined with two long forms: two nodes share the alias
    {"id": "p5", "title": "Adapters", "entities": [ent("Parameter-Efficient Adapter", aliases=["PEA"])],
     "relations": []},
    {"id": "p6", "title": "Patches", "entities": [ent("Patch Embedding Alignment", aliases=["PEA"])],
     "relations": []},
]


@pytest.fixture(scope="module")
def G():
    return build_graph(RECORDS)


def names(results):
    return [r.name for r in results]


# --- find_node --------------------------------------------------------------------------

@pytest.mark.parametrize("name, node", [
    ("method:distilbert", "method:distilbert"),
    ("distilbert", "method:distilbert"),
    ("Distil BERT", "method:distilbert"),
    ("DISTIL-BERT", "method:distilbert"),
    ("bert base", "method:bert"),  # an alias
    ("BooksCorpus", "dataset:bookscorpus"),
    ("paper:p2", "paper:p2"),
    ("p2", "paper:p2"),
    ("TinyBERT: Distilling BERT", "paper:p2"),  # a title
    ("github.com/huggingface/transformers", "https://github.com/huggingface/transformers"),
])
def test_find_node(G, name, node):
    assert q.find_node(G, name) == node


def test_unknown_name_suggests_close_names(G):
    with pytest.raises(q.NodeNotFound) as err:
        q.find_node(G, "TinyBRET")
    assert isinstance(err.value, LookupError) and isinstance(err.value, nx.NodeNotFound)
    assert err.value.suggestions[0] == "TinyBERT"
    assert str(err.value).startswith("no node named 'TinyBRET'; did you mean: TinyBERT")


def test_unknown_name_without_suggestions(G):
    with pytest.raises(q.NodeNotFound, match=r"^no node named 'zzzzqqq'$"):
        q.find_node(G, "zzzzqqq")


def test_ambiguous_alias(G):
    with pytest.raises(q.AmbiguousName) as err:
        q.find_node(G, "pea")
    assert len(err.value.candidates) == 2
    assert "Parameter-Efficient Adapter" in str(err.value) and "Patch Embedding Alignment" in str(err.value)
    assert q.find_node(G, "Patch Embedding Alignment").startswith("method:")


def test_label_wins_over_alias():
    G = nx.MultiDiGraph()
    G.add_node("method:vit", type="method", label="ViT", aliases="")
    G.add_node("method:vision transformer", type="method", label="Vision Transformer", aliases="ViT")
    G.add_node("method:other", type="method", label="Other", aliases="ViT")
    assert q.find_node(G, "vit") == "method:vit"
    G.remove_node("method:vit")
    with pytest.raises(q.AmbiguousName) as err:
        q.find_node(G, "vit")
    assert err.value.candidates == ["method:other", "method:vision transformer"]


def test_entity_wins_over_paper_of_same_title():
    G = nx.MultiDiGraph()
    G.add_node("paper:p1", type="paper", label="CLIP", title="CLIP")
    G.add_node("method:clip", type="method", label="CLIP")
    assert q.find_node(G, "clip") == "method:clip"


# --- lineage / descendants --------------------------------------------------------------

def test_lineage_transitive_with_evidence(G):
    rows = q.lineage(G, "DistilBERT")
    assert [(r.name, r.relation, r.depth) for r in rows] == [
        ("BERT", "distills_from", 1), ("BooksCorpus", "pretrained_on", 2), ("SQuAD v1.1", "fine_tuned_on", 2),
        ("Transformer", "based_on", 2)]
    bert = rows[0]
    assert bert.parent == "method:distilbert" and bert.direction == "out"
    assert bert.evidence == [{"paper": "DistilBERT, a distilled version of BERT",
                              "sentence": "We distill BERT into DistilBERT."}]
    assert all(r.parent == "method:bert" for r in rows[1:])


def test_lineage_order_follows_relation_order(G):
    # nearest first; among siblings pretrained_on before fine_tuned_on before based_on (LINEAGE order)
    assert [r.relation for r in q.lineage(G, "BERT")] == ["pretrained_on", "fine_tuned_on", "based_on"]


def test_lineage_depth_limit(G):
    assert names(q.lineage(G, "DistilBERT", depth=1)) == ["BERT"]
    assert q.lineage(G, "DistilBERT", depth=0) == []
    with pytest.raises(ValueError):
        q.lineage(G, "DistilBERT", depth=-1)


def test_lineage_cycle_visits_each_node_once(G):
    rows = q.lineage(G, "Alpha")
    assert [(r.name, r.depth) for r in rows] == [("Beta", 1)]
    assert [(r.name, r.depth) for r in q.lineage(G, "Gamma")] == [("Beta", 1), ("Alpha", 2)]


def test_descendants(G):
    rows = q.descendants(G, "BERT")
    assert sorted(names(rows)) == ["DistilBERT", "TinyBERT"]
    assert all(r.relation == "distills_from" and r.direction == "in" and r.depth == 1 for r in rows)
    assert names(q.descendants(G, "BooksCorpus")) == ["BERT", "DistilBERT", "TinyBERT"]
    assert names(q.descendants(G, "BooksCorpus", depth=1)) == ["BERT"]


def test_descendants_cycle(G):
    assert sorted((r.name, r.depth) for r in q.descendants(G, "Beta")) == [("Alpha", 1), ("Gamma", 1)]


def test_lineage_of_unknown_name(G):
    with pytest.raises(q.NodeNotFound):
        q.lineage(G, "GPT-7")


def test_two_relations_to_one_parent_report_one_row():
    G = nx.MultiDiGraph()
    G.add_edge("method:a", "method:b", relation="based_on", paper="P", sentence="A builds on B.")
    G.add_edge("method:a", "method:b", relation="distills_from", paper="P", sentence="A distills B.")
    rows = q.lineage(G, "a")
    assert [(r.name, r.relation) for r in rows] == [("b", "distills_from")]
    assert rows[0].evidence == [{"paper": "P", "sentence": "A distills B."}]


def test_evidence_from_several_papers_is_merged(G):
    bert = [r for r in q.descendants(G, "BERT") if r.name == "TinyBERT"][0]
    assert bert.evidence == [{"paper": "TinyBERT: Distilling BERT", "sentence": "TinyBERT distills_from BERT-base."}]
    G2 = nx.MultiDiGraph()
    for paper in ("P1", "P2", "P2"):
        G2.add_edge("method:a", "method:b", relation="based_on", paper=paper, sentence="A on B.")
    assert q.lineage(G2, "a")[0].evidence == [{"paper": "P1", "sentence": "A on B."},
                                              {"paper": "P2", "sentence": "A on B."}]


# --- outperforms / beaten_by ------------------------------------------------------------

def test_outperforms_whom_it_beats(G):
    rows = q.outperforms(G, "TinyBERT")
    assert [(r.name, r.dataset, r.margin, r.direction) for r in rows] == [
        ("DistilBERT", "GLUE", "2.1 points", "out"), ("ELMo", "SQuAD", None, "out")]


def test_beaten_by_who_beats_it(G):
    rows = q.beaten_by(G, "ELMo")
    assert [(r.name, r.dataset) for r in rows] == [("DistilBERT", "GLUE"), ("TinyBERT", "SQuAD")]
    assert rows[0].margin == "3.9 points"
    assert rows[0].evidence == [{"paper": "DistilBERT, a distilled version of BERT",
                                 "sentence": "DistilBERT beats ELMo on GLUE."}]


def test_dataset_filter(G):
    assert names(q.beaten_by(G, "ELMo", dataset="glue")) == ["DistilBERT"]
    assert names(q.beaten_by(G, "ELMo", dataset="squad")) == ["TinyBERT"]
    assert names(q.outperforms(G, "TinyBERT", dataset="dataset:glue")) == ["DistilBERT"]
    assert q.outperforms(G, "TinyBERT", dataset="ImageNet") == []  # unknown dataset: no match, no error


def test_dataset_filter_uses_aliases():
    G = nx.MultiDiGraph()
    G.add_node("dataset:imagenet1k", type="dataset", label="ImageNet-1k", aliases="ILSVRC-2012")
    G.add_edge("method:a", "method:b", relation="outperforms", dataset="ImageNet-1k")
    G.add_edge("method:a", "method:c", relation="outperforms", dataset="ImageNet-21k")
    assert names(q.outperforms(G, "a", dataset="ilsvrc 2012")) == ["b"]


# --- path --------------------------------------------------------------------------------

def test_path_ignores_direction(G):
    rows = q.path(G, "TinyBERT", "BooksCorpus")
    assert [(r.parent, r.relation, r.direction, r.id, r.depth) for r in rows] == [
        ("method:tinybert", "distills_from", "out", "method:bert", 1),
        ("method:bert", "pretrained_on", "out", "dataset:bookscorpus", 2)]
    back = q.path(G, "BooksCorpus", "TinyBERT")
    assert [(r.relation, r.direction) for r in back] == [("pretrained_on", "in"), ("distills_from", "in")]
    assert back[0].evidence[0]["paper"].startswith("BERT:")


def test_path_avoids_papers_unless_needed(G):
    # DistilBERT and TinyBERT are joined by an outperforms edge; no paper between
    assert [r.relation for r in q.path(G, "DistilBERT", "Transformer")] == ["distills_from", "based_on"]
    # the repository hangs off a paper only
    rows = q.path(G, "DistilBERT", "github.com/huggingface/transformers")
    assert [(r.relation, r.type) for r in rows] == [("introduces", "paper"), ("has_code", "repository")]


def test_path_same_node_and_no_path(G):
    assert q.path(G, "BERT", "bert-base") == []
    with pytest.raises(nx.NetworkXNoPath, match="no path between 'Alpha' and 'BERT'"):
        q.path(G, "Alpha", "BERT")


# --- node_card / node_info ---------------------------------------------------------------

def test_node_card(G):
    card = q.node_card(G, "distilbert")
    assert card["id"] == "method:distilbert" and card["type"] == "method" and card["name"] == "DistilBERT"
    assert sorted(card["papers"]) == ["DistilBERT, a distilled version of BERT", "TinyBERT: Distilling BERT"]
    assert card["repositories"] == ["https://github.com/huggingface/transformers"]
    edges = {(e["direction"], e["relation"], e["name"]) for e in card["edges"]}
    assert edges == {("out", "outperforms", "ELMo"), ("out", "distills_from", "BERT"),
                     ("out", "evaluated_on", "GLUE"), ("in", "introduces", "DistilBERT, a distilled version of BERT"),
                     ("in", "outperforms", "TinyBERT")}
    assert all(e["evidence"] and set(e["evidence"][0]) == {"paper", "sentence"} for e in card["edges"])
    json.dumps(card)


def test_node_card_aliases_and_repository(G):
    assert q.node_card(G, "BERT")["aliases"] == ["BERT-base"]
    repo = q.node_card(G, "https://github.com/huggingface/transformers")
    assert repo["type"] == "repository" and repo["repositories"] == ["https://github.com/huggingface/transformers"]
    assert [(e["relation"], e["direction"]) for e in repo["edges"]] == [("has_code", "in")]


def test_node_info(G):
    info = q.node_info(G, "tiny-bert")
    assert info == {"id": "method:tinybert", "name": "TinyBERT", "type": "method", "aliases": [],
                    "papers": 1, "first_seen": "2019-09-23"}


# --- compare / search / stats ------------------------------------------------------------

def test_compare(G):
    rows = q.compare(G, "glue")
    assert [(r.name, r.relation, r.beats) for r in rows] == [
        ("DistilBERT", "evaluated_on", ["ELMo"]), ("TinyBERT", "evaluated_on", ["DistilBERT"])]
    assert all(r.dataset == "GLUE" for r in rows)
    squad = q.compare(G, "SQuAD")
    assert [(r.name, r.relation, r.beats) for r in squad] == [("TinyBERT", "outperforms", ["ELMo"])]


def test_search(G):
    # most papers first, then by name; paper titles match too
    assert [r["name"] for r in q.search(G, "bert")] == [
        "BERT", "DistilBERT", "BERT: Pre-training of Deep Bidirectional Transformers",
        "DistilBERT, a distilled version of BERT", "TinyBERT", "TinyBERT: Distilling BERT"]
    assert [r["name"] for r in q.search(G, "bert", type="method")] == ["BERT", "DistilBERT", "TinyBERT"]
    assert [r["name"] for r in q.search(G, "bert base")] == ["BERT"]  # via its alias
    assert q.search(G, "nothing like this") == []
    assert set(q.search(G, "glue")[0]) == {"id", "name", "type", "aliases", "papers", "first_seen"}


def test_stats(G):
    s = q.stats(G)
    assert s["nodes"] == G.number_of_nodes() and s["edges"] == G.number_of_edges()
    assert s["types"]["paper"] == 6 and s["types"]["repository"] == 1
    assert s["relations"]["outperforms"] == 3 and s["relations"]["distills_from"] == 2
    top = s["top_entities"]
    assert len(top) == 10 and all(e["type"] != "paper" for e in top)
    assert top[0]["name"] in ("DistilBERT", "BERT")
    assert [e["degree"] for e in top] == sorted((e["degree"] for e in top), reverse=True)
    assert s["top_papers"][0] == {"id": "paper:p1", "title": "DistilBERT, a distilled version of BERT",
                                  "relations": 5}
    json.dumps(s)


def test_results_serialise_to_json(G):
    row = q.outperforms(G, "TinyBERT")[1].to_dict()
    assert "margin" not in row  # None fields are dropped
    assert {"name", "type", "relation", "depth", "evidence"} <= set(row)
    json.dumps([r.to_dict() for r in q.lineage(G, "TinyBERT")])


def test_hand_built_graph_without_attributes():
    G = nx.MultiDiGraph([("method:a", "method:b", {"relation": "based_on"})])
    row = q.lineage(G, "A")[0]
    assert (row.name, row.type, row.evidence) == ("b", "method", [{"paper": "", "sentence": ""}])


# --- load ---------------------------------------------------------------------------------

@pytest.mark.parametrize("suffix, write", [(".graphml", write_graphml), (".json", write_json)])
def test_load_round_trip(G, tmp_path, suffix, write):
    path = tmp_path / f"graph{suffix}"
    write(G, path)
    H = kg.load(path)
    assert isinstance(H, nx.MultiDiGraph)
    assert sorted(H.nodes) == sorted(G.nodes) and H.number_of_edges() == G.number_of_edges()
    assert [(r.name, r.margin) for r in q.outperforms(H, "TinyBERT")] == [("DistilBERT", "2.1 points"), ("ELMo", None)]
    assert names(q.lineage(H, "TinyBERT")) == names(q.lineage(G, "TinyBERT"))


def test_load_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match="no graph file at"):
        kg.load(tmp_path / "graph.graphml")
    (tmp_path / "graph.csv").write_text("a,b\n")
    with pytest.raises(ValueError, match="expected a .graphml or .json"):
        kg.load(tmp_path / "graph.csv")


def test_query_layer_does_not_import_spacy():
    import subprocess
    code = "import sys, kg, kg.query; kg.load; assert 'spacy' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)
