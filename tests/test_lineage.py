"""Lineage read across sentences (kg.bases): a sentence pointing back to a component the paper
introduced, and the evidence of a base read from a method's name."""
import pytest

from kg.patterns import read_json
from kg.read import Paper

EXAMPLES = read_json("lineage.json")["examples"]
MAKING = read_json("lineage.json")["making_examples"]


def _relations(extractor, nlp, title, text):
    rec = extractor.record(nlp(text), Paper(title=title, abstract=text, source="t"))
    return rec["relations"]


@pytest.mark.model
@pytest.mark.parametrize("title, text, head, tail", EXAMPLES, ids=[e[2] for e in EXAMPLES])
def test_pointing_back_builds_the_method_on_the_component(extractor, nlp, title, text, head, tail):
    got = [(r["head"], r["tail"]) for r in _relations(extractor, nlp, title, text)
           if r["relation"] == "based_on" and r["rule"] == "based_on_antecedent"]
    assert got == [(head, tail)]


@pytest.mark.model
@pytest.mark.parametrize("text", [
    # the component is not named in the sentence before the pointing phrase
    "We present the Recursive Gated Convolution (GnConv). It is simple. Based on the operation, we construct "
    "a new family of backbones named HorNet.",
    # a connective, not a component
    "We present the Recursive Gated Convolution (GnConv). Based on this finding, we construct a new family of "
    "backbones named HorNet.",
    # the clause is not the authors' own
    "We present the Recursive Gated Convolution (GnConv). Based on the operation, many models were built.",
])
def test_pointing_back_needs_the_component_just_named_and_the_authors_clause(extractor, nlp, text):
    rels = _relations(extractor, nlp, "HorNet: Efficient High-Order Spatial Interactions", text)
    assert not [r for r in rels if r["rule"] == "based_on_antecedent"]


@pytest.mark.model
def test_name_base_evidence_names_both_ends(extractor, nlp):
    text = ("CLIP is a strong model. We propose TinyCLIP, a cross-modal distillation method. "
            "TinyCLIP reduces the size of CLIP by half.")
    rels = _relations(extractor, nlp, "TinyCLIP: Distillation via Affinity Mimicking", text)
    base = [r for r in rels if r["relation"] == "based_on" and r["tail"] == "CLIP"]
    assert base and base[0]["rule"] == "name_base"
    assert base[0]["sentence"] == "TinyCLIP reduces the size of CLIP by half."


@pytest.mark.model
@pytest.mark.parametrize("title, text, head, tail, derivation", MAKING, ids=[f"{e[2]}-{e[3]}" for e in MAKING])
def test_the_resulting_model_is_built_on_what_the_sentence_before_made_it_from(extractor, nlp, title, text, head,
                                                                                 tail, derivation):
    got = [(r["head"], r["tail"], r.get("derivation", "")) for r in _relations(extractor, nlp, title, text)
           if r["relation"] == "based_on" and r["rule"] == "based_on_resulting"]
    assert (head, tail, derivation) in got
    evidence = [r["sentence"] for r in _relations(extractor, nlp, title, text)
                if r["rule"] == "based_on_resulting" and r["tail"] == tail]
    assert evidence and all(tail in e and head in e for e in evidence)  # the making and the naming, both


@pytest.mark.model
def test_a_making_sentence_without_a_resulting_model_gives_no_base(extractor, nlp):
    text = "We propose PokeConv, a binary convolution block. We apply it to ResNet-50. PokeBNN is accurate."
    rels = _relations(extractor, nlp, "PokeBNN: A Binary Pursuit of Lightweight Accuracy", text)
    assert not [r for r in rels if r["rule"] == "based_on_resulting"]


COMPONENTS = read_json("lineage.json")["component_examples"]


@pytest.mark.model
@pytest.mark.parametrize("title, text, head, tail", COMPONENTS, ids=[e[2] for e in COMPONENTS])
def test_the_method_is_built_on_a_part_the_paper_introduces_where_a_sentence_links_them(extractor, nlp, title,
                                                                                        text, head, tail):
    got = [(r["head"], r["tail"]) for r in _relations(extractor, nlp, title, text)
           if r["relation"] == "based_on" and r["rule"] == "based_on_component"]
    assert got == [(head, tail)]


@pytest.mark.model
@pytest.mark.parametrize("text", [
    # a comparison, not a part
    "We propose ZephyrConv, a sparse convolution block. We present ZephyrNet, which compares favourably with "
    "ZephyrConv.",
    # a part the paper does not introduce
    "ResNet is a strong backbone. We build ZephyrNet by incorporating ResNet into every stage.",
])
def test_a_part_needs_the_paper_to_introduce_it_and_a_linking_word(extractor, nlp, text):
    rels = _relations(extractor, nlp, "ZephyrNet: Fast Detection", text)
    assert not [r for r in rels if r["rule"] == "based_on_component"]
