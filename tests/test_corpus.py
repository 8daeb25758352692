"""The second pass over a build (kg.corpus): names the corpus defines, found in every other paper."""
import json

import pytest

from kg.corpus import CorpusNames, defined_names, second_pass


def rec(pid, ents, intro=()):
    return {"id": pid, "title": f"Paper {pid}",
            "entities": [{"name": n, "type": t, "aliases": list(a)} for n, t, a in ents],
            "relations": [{"head": f"Paper {pid}", "relation": "introduces", "tail": n, "rule": "intro_dobj"}
                          for n in intro]}


def test_defined_names_are_coined_or_long_forms():
    recs = [rec("a", [("Zorblax-2", "method", []), ("Selfie", "method", []), ("AMD", "method", [])],
                intro=["Zorblax-2", "Selfie", "AMD"]),
            rec("b", [("Flat Trajectory Distillation", "method", ["FTD"]), ("ResNet-50", "method", [])])]
    names = defined_names(recs)
    # a bare acronym and a single ordinary word are no known names for other papers; a name only used is not defined
    assert sorted(n for n, _ in names.values()) == ["Flat Trajectory Distillation", "Zorblax-2"]


@pytest.mark.parametrize("text, found", [
    ("We fine-tune zorblax-2 and ZORBLAX 2.0 here.", ["zorblax-2", "ZORBLAX 2.0"]),
    ("Diffusion-Zorblax-2 is another model; Zorblax-20 and Zorblax-2-XL too.", []),  # whole names only
    ("We use TinyKnot and Tiny-Knot, not tinyknot.", ["TinyKnot", "Tiny-Knot"]),  # no digit: its own capitals
])
def test_found_in_any_spelling_whole_words(text, found):
    index = CorpusNames({"zorblax2": ("Zorblax-2", "method"), "tinyknot": ("TinyKnot", "method")})
    assert [s for s, _ in index.find(text)] == found


def test_second_pass_adds_only_what_a_paper_lacks():
    recs = [rec("a", [("Zorblax-2", "method", [])], intro=["Zorblax-2"]),
            rec("b", [("HuBERT", "method", [])]),
            rec("c", [("Zorblax-2-Large", "method", [])])]
    texts = [("a", "We present Zorblax-2."), ("b", "We fine-tune zorblax-2 and HuBERT."),
             ("c", "Our Zorblax-2-Large beats zorblax-2 base models.")]
    assert second_pass(recs, texts) == 1
    assert [e["name"] for e in recs[1]["entities"]] == ["HuBERT", "zorblax-2"]
    assert [e["name"] for e in recs[2]["entities"]] == ["Zorblax-2-Large"]  # (inside a longer name it has)
    assert second_pass(recs, texts) == 0  # a second run adds nothing


@pytest.mark.model
def test_a_build_finds_one_papers_name_lower_cased_in_another(tmp_path):
    from kg.pipeline import BuildOptions, build_outputs

    src = tmp_path / "papers.jsonl"
    src.write_text("\n".join(json.dumps(p) for p in [
        {"title": "Zorblax-2: Efficient Speech Models",
         "abstract": "We present Zorblax-2, a speech model that beats HuBERT on LibriSpeech."},
        {"title": "A study of speech encoders",
         "abstract": "We fine-tune zorblax-2 and HuBERT on LibriSpeech and compare their word error rates."},
    ]) + "\n", encoding="utf-8")
    outputs = []
    for cache in (tmp_path / "cache", tmp_path / "cache"):  # the second build reads every record from the cache
        out = tmp_path / f"out{len(outputs)}"
        result = build_outputs([src], out, BuildOptions(n_process=1, cache_dir=cache))
        outputs.append((out / "extractions.jsonl").read_text(encoding="utf-8"))
    assert outputs[0] == outputs[1] and result.stats["cached"] == 2
    records = [json.loads(line) for line in outputs[0].splitlines()]
    assert "zorblax-2" in [e["name"] for e in records[1]["entities"]]
    from kg.query import load

    G = load(tmp_path / "out1" / "graph.json")
    node = [d for n, d in G.nodes(data=True) if d.get("label", "").lower() == "zorblax-2"]
    assert len(node) == 1 and node[0]["papers"] == 2
