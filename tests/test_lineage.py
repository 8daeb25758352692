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


COMPONENTS = read_json("lineage.json")["component_examples"]


@pytest.mark.model
@pytest.mark.parametrize("title, text, head, tail", COMPONENTS, ids=[e[2] for e in COMPONENTS])
def test_the_method_is_built_on_a_part_the_paper_introduces_where_a_sentence_links_them(extractor, nlp, title,
                                                                                        text, head, tail):
    got = [(r["head"], r["tail"]) for r in _relations(extractor, nlp, title, text)
           if r["relation"] == "based_on" and r["rule"] == "based_on_component"]
    assert got == [(head, tail)]


@pytest.mark.model
def test_a_title_built_on_a_named_technique_gives_its_base_where_the_abstract_names_it(extractor, nlp):
    title = "Microbial Genetic Algorithm-based Black-box Attack against Interpretable Systems"
    text = ("We propose QuScore, a query-efficient black-box attack. QuScore searches the input space with an "
            "effective microbial genetic algorithm.")
    rec = extractor.record(nlp(text), Paper(title=title, abstract=text, source="t"))
    assert {"name": "microbial genetic algorithm", "type": "method", "aliases": []} in rec["entities"]
    got = [(r["head"], r["tail"], r["sentence"]) for r in rec["relations"] if r["rule"] == "title_based"]
    assert got == [("QuScore", "microbial genetic algorithm", text.split(". ")[1])]


HORNET, POKEBNN, ZEPHYR = ("HorNet: Efficient High-Order Spatial Interactions",
                           "PokeBNN: A Binary Pursuit of Lightweight Accuracy", "ZephyrNet: Fast Detection")
TESLA = "Scaling Up Dataset Distillation"
QUSCORE = "We propose QuScore, a black-box attack driven by a large language model and a transformer."


@pytest.mark.model
@pytest.mark.parametrize("title, text, rule", [
    # pointing back: the component is not named in the sentence before the pointing phrase
    (HORNET, "We present the Recursive Gated Convolution (GnConv). It is simple. Based on the operation, we "
             "construct a new family of backbones named HorNet.", "based_on_antecedent"),
    # pointing back: a connective, not a component
    (HORNET, "We present the Recursive Gated Convolution (GnConv). Based on this finding, we construct a new "
             "family of backbones named HorNet.", "based_on_antecedent"),
    # pointing back: the clause is not the authors' own
    (HORNET, "We present the Recursive Gated Convolution (GnConv). Based on the operation, many models were built.",
     "based_on_antecedent"),
    # a making sentence without a resulting model
    (POKEBNN, "We propose PokeConv, a binary convolution block. We apply it to ResNet-50. PokeBNN is accurate.",
     "based_on_resulting"),
    # a part: a comparison, not a part
    (ZEPHYR, "We propose ZephyrConv, a sparse convolution block. We present ZephyrNet, which compares favourably "
             "with ZephyrConv.", "based_on_component"),
    # a part the paper does not introduce
    (ZEPHYR, "ResNet is a strong backbone. We build ZephyrNet by incorporating ResNet into every stage.",
     "based_on_component"),
    # a title built on a kind, not on a named technique
    ("Large Language Model-based Agents for Black-box Attacks", QUSCORE, "title_based"),
    ("Transformer-based Black-box Attacks", QUSCORE, "title_based"),
    # the unmodified model named in a clause that is not about the paper's method
    (TESLA, "The original MTT needs a lot of memory. We propose TESLA, a memory-efficient method.", "surface_original"),
    # a comparison with the unmodified model
    (TESLA, "We propose TESLA. We match the accuracy of the original ResNet-50 on ImageNet.", "surface_original"),
    # a metric set off by commas is no method the paper introduces
    (TESLA, "Furthermore, we propose a generic metric, MacroStd, for studying robustness.", "surface_intro_named_after"),
])
def test_wordings_that_give_no_edge(extractor, nlp, title, text, rule):
    assert not [r for r in _relations(extractor, nlp, title, text) if r["rule"] == rule]


@pytest.mark.model
@pytest.mark.parametrize("title, text, edge, not_base", [
    # the title names the new version of the family the abstract introduces
    ("Searching for MobileNetV3", "We present the next generation of MobileNets. MobileNetV3 is tuned to mobile phone "
     "CPUs. We create two new MobileNet models for release: MobileNetV3-Large and MobileNetV3-Small.",
     ("MobileNetV3", "MobileNets"), None),
    # a bracket spelling out a base is no base of its own
    ("Mask DINO: Towards A Unified Framework", "In this paper we present Mask DINO, a unified detection framework. "
     "Mask DINO extends DINO (DETR with Improved Denoising Anchor Boxes) by adding a mask prediction branch.",
     ("Mask DINO", "DINO"), "DETR"),
])
def test_the_base_a_paper_names(extractor, nlp, title, text, edge, not_base):
    rels = _relations(extractor, nlp, title, text)
    assert edge in {(r["head"], r["tail"]) for r in rels if r["relation"] == "based_on"}
    assert not [r for r in rels if r["relation"] == "based_on" and r["tail"] == not_base]
