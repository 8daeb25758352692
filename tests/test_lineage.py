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


@pytest.mark.model
def test_a_title_built_on_a_named_technique_gives_its_base_where_the_abstract_names_it(extractor, nlp):
    title = "Microbial Genetic Algorithm-based Black-box Attack against Interpretable Systems"
    text = ("We propose QuScore, a query-efficient black-box attack. QuScore searches the input space with an "
            "effective microbial genetic algorithm.")
    rec = extractor.record(nlp(text), Paper(title=title, abstract=text, source="t"))
    assert {"name": "microbial genetic algorithm", "type": "method", "aliases": []} in rec["entities"]
    got = [(r["head"], r["tail"], r["sentence"]) for r in rec["relations"] if r["rule"] == "title_based"]
    assert got == [("QuScore", "microbial genetic algorithm", text.split(". ")[1])]


@pytest.mark.model
@pytest.mark.parametrize("title", ["Large Language Model-based Agents for Black-box Attacks",
                                   "Transformer-based Black-box Attacks"])
def test_a_title_built_on_a_kind_gives_no_base(extractor, nlp, title):
    text = "We propose QuScore, a black-box attack driven by a large language model and a transformer."
    rec = extractor.record(nlp(text), Paper(title=title, abstract=text, source="t"))
    assert not [r for r in rec["relations"] if r["rule"] == "title_based"]


@pytest.mark.model
@pytest.mark.parametrize("text, rule", [
    # the unmodified model named in a clause that is not about the paper's method
    ("The original MTT needs a lot of memory. We propose TESLA, a memory-efficient method.", "surface_original"),
    # a comparison with the unmodified model
    ("We propose TESLA. We match the accuracy of the original ResNet-50 on ImageNet.", "surface_original"),
    # a metric set off by commas is no method the paper introduces
    ("Furthermore, we propose a generic metric, MacroStd, for studying robustness.", "surface_intro_named_after"),
])
def test_wordings_that_give_no_edge(extractor, nlp, text, rule):
    rels = _relations(extractor, nlp, "Scaling Up Dataset Distillation", text)
    assert not [r for r in rels if r["rule"] == rule]


@pytest.mark.model
def test_the_title_names_the_new_version_of_the_family_the_abstract_introduces(extractor, nlp):
    text = ("We present the next generation of MobileNets. MobileNetV3 is tuned to mobile phone CPUs. We create two "
            "new MobileNet models for release: MobileNetV3-Large and MobileNetV3-Small.")
    rels = _relations(extractor, nlp, "Searching for MobileNetV3", text)
    assert ("MobileNetV3", "MobileNets") in {(r["head"], r["tail"]) for r in rels if r["relation"] == "based_on"}


@pytest.mark.model
def test_a_bracket_spelling_out_a_base_is_no_base_of_its_own(extractor, nlp):
    text = ("In this paper we present Mask DINO, a unified detection framework. Mask DINO extends DINO (DETR with "
            "Improved Denoising Anchor Boxes) by adding a mask prediction branch.")
    rels = _relations(extractor, nlp, "Mask DINO: Towards A Unified Framework", text)
    assert ("Mask DINO", "DINO") in {(r["head"], r["tail"]) for r in rels if r["relation"] == "based_on"}
    assert not [r for r in rels if r["relation"] == "based_on" and r["tail"] == "DETR"]
