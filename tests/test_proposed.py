"""Techniques named in plain words where a paper proposes them (kg/proposed.py, proposed_names.json):
every example sentence gives exactly its names as introduced methods (real parser)."""
import pytest

from kg.patterns import read_json
from kg.proposed import RULE, proposed_names, merge_mentions
from kg.read import Paper

EXAMPLES = read_json("proposed_names.json")["examples"]


@pytest.mark.model
@pytest.mark.parametrize("sentence, names", EXAMPLES, ids=[s[:40] for s, _ in EXAMPLES])
def test_example_gives_its_names(extractor, nlp, sentence, names):
    paper = Paper(title="A paper about things", abstract=sentence, source="t")
    rec = extractor.record(nlp(sentence), paper)
    got = sorted(r["tail"] for r in rec["relations"] if r["relation"] == "introduces" and r["rule"] == RULE)
    assert got == sorted(names), f"{sentence!r} gave {got}"
    types = {e["name"]: e["type"] for e in rec["entities"]}
    assert all(types[n] == "method" for n in names)


@pytest.mark.model
def test_a_name_in_capitals_takes_the_place_of_a_name_inside_it(extractor, nlp):
    doc = nlp("To address this challenge, we introduce Mixed Barlow Twins, which improves sample interaction.")
    mentions = list(extractor.entities(doc))
    merged = [m.text for m in merge_mentions(mentions, proposed_names(doc))]
    assert "Mixed Barlow Twins" in merged and "Twins" not in merged


@pytest.mark.model
def test_a_name_in_plain_words_gives_way_to_a_name_inside_it(extractor, nlp):
    doc = nlp("We name our datasets CIFAR10-B and CIFAR100-B and integrate them with CIFAR-10-C.")
    mentions = list(extractor.entities(doc))
    merged = [m.text for m in merge_mentions(mentions, proposed_names(doc))]
    assert "CIFAR10-B" in merged and not any("datasets" in m for m in merged)


@pytest.mark.model
def test_a_technique_added_to_the_papers_method_does_not_head_its_results(extractor, nlp):
    text = ("We present an end-to-end speech synthesis model. We also propose a stochastic duration predictor "
            "to synthesize speech with diverse rhythms. With the stochastic duration predictor, our method "
            "achieves a MOS of 4.4 on LJ Speech.")
    paper = Paper(title="Conditional Variational Autoencoder for Speech", abstract=text, source="t")
    rec = extractor.record(nlp(text), paper)
    rels = {(r["head"], r["relation"], r["tail"]) for r in rec["relations"]}
    assert (paper.title, "introduces", "stochastic duration predictor") in rels
    assert (paper.title, "evaluated_on", "LJ Speech") in rels
    assert not any(h == "stochastic duration predictor" for h, _, _ in rels)


@pytest.mark.model
def test_a_name_in_plain_words_is_found_again_where_the_abstract_repeats_it(nlp):
    from kg.proposed import REPEAT_RULE, with_repeats
    text = ("We introduce a novel efficient additive attention mechanism for mobile models. "
            "Using our proposed efficient additive attention, we build SwiftNet. "
            "Efficient additive attentions are cheap.")
    doc = nlp(text)
    got = with_repeats(doc, merge_mentions([], proposed_names(doc)))
    assert [(m.text, m.rule) for m in got] == [("efficient additive attention", RULE),
                                               ("efficient additive attention", REPEAT_RULE)]
    assert doc.text[doc[got[1].start].idx:].startswith("efficient additive attention, we build")
