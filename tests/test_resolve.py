"""Resolution of names within and across papers (kg.resolve, kg.graph)."""
import pytest

from kg.graph import build_graph
from kg.resolve import Resolver, canonical_key


@pytest.mark.parametrize("a, b, same", [
    ("ResNet-50", "ResNet50", True),
    ("ResNet-50", "ResNet 50", True),
    ("ResNet-50", "ResNet-18", False),
    ("ImageNet-1k", "ImageNet-1K", True),
    ("ImageNet-1k", "ImageNet-21k", False),
    ("Grad-CAM", "Grad-CAM++", False),
    ("ViT-B/16", "ViT-B/32", False),
])
def test_canonical_key(a, b, same):
    assert (canonical_key(a) == canonical_key(b)) is same


def rec(pid, ents, rels=(), date=""):
    return {"id": pid, "title": f"Paper {pid}", "source": f"{pid}.txt:1", "date": date,
            "entities": [{"name": n, "type": t, "aliases": list(a)} for n, t, a in ents],
            "relations": [dict(head=h, relation=r, tail=t, sentence=f"{h} {r} {t}.", start=0, end=5, rule="test")
                          for h, r, t in rels]}


def test_acronym_definition_merges_across_papers():
    G = build_graph([rec("a", [("Vision Transformer", "method", ["ViT"])]),
                     rec("b", [("ViT", "method", [])]),
                     rec("c", [("ViT", "method", [])])])
    vit = [n for n, d in G.nodes(data=True) if d["type"] == "method"]
    assert len(vit) == 1
    d = G.nodes[vit[0]]
    assert d["label"] == "ViT" and d["aliases"] == "Vision Transformer" and d["papers"] == 3


def test_ambiguous_acronym_keeps_two_things_apart():
    G = build_graph([rec("a", [("Parameter-Efficient Adapter", "method", ["PEA"])]),
                     rec("b", [("Patch Embedding Alignment", "method", ["PEA"])])])
    methods = sorted(d["label"] for _, d in G.nodes(data=True) if d["type"] == "method")
    assert methods == ["Parameter-Efficient Adapter", "Patch Embedding Alignment"]


def test_versions_stay_apart_and_spellings_merge():
    G = build_graph([rec("a", [("ResNet-50", "method", []), ("ResNet-18", "method", [])]),
                     rec("b", [("ResNet50", "method", [])]),
                     rec("c", [("ResNet 50", "method", [])], date="2019-01-01"),
                     rec("d", [("ResNet-50", "method", [])], date="2021-05-01")])
    r50 = G.nodes["method:resnet50"]
    assert r50["papers"] == 4 and r50["label"] == "ResNet-50"
    assert set(r50["aliases"].split("|")) == {"ResNet50", "ResNet 50"}
    assert r50["first_seen"] == "2019-01-01"
    assert "method:resnet18" in G


def test_type_by_majority_and_label_by_frequency():
    r = Resolver()
    r.add("a", [{"name": "ImageNet", "type": "dataset", "aliases": []}])
    r.add("b", [{"name": "ImageNet", "type": "dataset", "aliases": []}])
    r.add("c", [{"name": "Imagenet", "type": "method", "aliases": []}])
    r.resolve()
    (node,) = r.nodes.values()
    assert node.type == "dataset" and node.label == "ImageNet"


def test_edges_keep_provenance_and_dedupe_papers():
    records = [rec("a", [("A", "method", []), ("B", "method", [])], [("A", "outperforms", "B")]),
               rec("b", [("A", "method", []), ("B", "method", [])], [("A", "outperforms", "B")])]
    G = build_graph(records + [dict(records[0], source="again.txt:9")])
    edges = list(G.edges(data=True, keys=True))
    assert len(edges) == 2
    assert {d["paper"] for *_, d in edges} == {"Paper a", "Paper b"}
    assert G.nodes["paper:a"]["source"] == "a.txt:1|again.txt:9"
    assert all(d["sentence"] and d["rule"] == "test" for *_, d in edges)


def test_one_node_per_thing_across_spellings():
    """Plural = singular, size words = letters, true synonyms (synonyms.txt) are one node."""
    G = build_graph([rec("a", [("EfficientNets", "method", []), ("ViT-Large/14", "method", []),
                               ("MS-COCO", "dataset", []), ("ILSVRC-2012", "dataset", [])]),
                     rec("b", [("EfficientNet", "method", []), ("ViT-L/14", "method", []),
                               ("COCO", "dataset", []), ("ImageNet-1K", "dataset", [])])])
    nodes = {d["label"]: d for _, d in G.nodes(data=True) if d["type"] in {"method", "dataset"}}
    assert len(nodes) == 4 and all(d["papers"] == 2 for d in nodes.values()), nodes


def test_different_things_stay_apart():
    """Versions, sizes and a name typed as a method in one paper and a dataset in another."""
    G = build_graph([rec("a", [("ResNet-50", "method", []), ("ImageNet-21K", "dataset", []),
                               ("Llama 2", "method", []), ("Chameleon", "method", []), ("ConvNeXts", "method", [])]),
                     rec("b", [("ResNet-18", "method", []), ("ImageNet-1K", "dataset", []), ("LLaMA", "method", []),
                               ("Chameleon", "dataset", []), ("ConvNeXt-S", "method", [])])])
    labels = sorted((d["type"], d["label"]) for _, d in G.nodes(data=True) if d["type"] in {"method", "dataset"})
    assert len(labels) == 10 and ("dataset", "Chameleon") in labels and ("method", "Chameleon") in labels, labels


def test_a_name_two_papers_coin_is_two_things():
    """SimpleNet the 2016 classifier and SimpleNet the 2023 anomaly detector: each paper coins it."""
    a, b = rec("a", [("SimpleNet", "method", [])]), rec("b", [("SimpleNet", "method", [])])
    a["relations"][0:0] = [dict(head="Paper a", relation="introduces", tail="SimpleNet", sentence="s", start=0, end=1,
                                rule="title_prefix")]
    b["relations"][0:0] = [dict(head="Paper b", relation="introduces", tail="SimpleNet", sentence="s", start=0, end=1,
                                rule="ctx_dubbed")]
    c = rec("c", [("SimpleNet", "method", [])])
    G = build_graph([a, b, c])
    simple = sorted(d["paper_ids"] for _, d in G.nodes(data=True) if d.get("label") == "SimpleNet")
    assert simple == ["paper:a", "paper:b", "paper:c"], simple


def test_a_misspelt_long_name_joins_the_name_it_misspells():
    G = build_graph([rec("a", [("EfficientNet", "method", [])]), rec("b", [("EfficientNet", "method", [])]),
                     rec("c", [("EfficienNet", "method", []), ("ResNeXt-50", "method", []), ("ResNet-10", "method", [])]),
                     rec("d", [("ResNet-50", "method", []), ("ResNet-101", "method", [])]),
                     rec("e", [("ResNet-50", "method", [])])])
    labels = {n: d["label"] for n, d in G.nodes(data=True) if d["type"] == "method"}
    assert "EfficienNet" in G.nodes["method:efficientnet"]["aliases"]
    # a dropped capital (ResNeXt / ResNet) or digit (ResNet-101 / ResNet-10) is another name
    assert {"ResNeXt-50", "ResNet-50", "ResNet-10", "ResNet-101"} <= set(labels.values())


def test_a_misspelling_in_the_paper_that_coins_the_name():
    a = rec("a", [("InceptionNeXt", "method", []), ("IncepitonNeXt", "method", [])],
            rels=[("Paper a", "introduces", "InceptionNeXt")])
    a["relations"][0]["rule"] = "title_prefix"
    G = build_graph([a])
    assert [d["label"] for n, d in G.nodes(data=True) if d["type"] == "method"] == ["InceptionNeXt"]


def test_vision_transformer_inside_a_name_and_tiny_as_t():
    G = build_graph([rec("a", [("Tokens-To-Token Vision Transformer", "method", ["T2T-ViT"])]),
                     rec("b", [("Tokens-to-Token ViT", "method", [])]),
                     rec("c", [("Swin-T", "method", [])]), rec("d", [("Swin-Tiny", "method", [])]),
                     rec("e", [("Swin-S", "method", [])])])
    methods = sorted(d["label"] for n, d in G.nodes(data=True) if d["type"] == "method")
    assert len(methods) == 3 and "Swin-S" in methods
