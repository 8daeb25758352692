"""Rule functions on hand-built Docs: no statistical model, so they do not move with it."""
import pytest
from spacy.tokens import Doc
import spacy

from kg.entities import (expand_name, find_abbreviations, find_long_form, in_dataset_lexicon, is_stopped,
                         normalize_url, repo_of)
from kg.relations import conjuncts, has_comparative, hyphen_prefixed, is_negated, refers_to_self, subject_of


VOCAB = spacy.blank("en").vocab  # lexical attributes (lower_, is_punct) without a model


def make(words, heads, deps, tags=None, ents=None):
    doc = Doc(VOCAB, words=words, heads=heads, deps=deps, tags=tags or ["NN"] * len(words))
    if ents:
        from spacy.tokens import Span
        doc.ents = [Span(doc, i, i + 1, label=label) for i, label in ents]
    return doc


def test_subject_of_climbs_through_participle():
    # "HorNet , surpassing ConvNeXt ." : surpassing (advcl) -> achieves? here: acl on HorNet
    doc = make(["HorNet", "achieves", "gains", ",", "surpassing", "ConvNeXt"],
               [1, 1, 1, 1, 1, 4], ["nsubj", "ROOT", "dobj", "punct", "advcl", "dobj"],
               ents=[(0, "method"), (5, "method")])
    assert subject_of(doc[4]).text == "HorNet"


def test_subject_of_participle_on_entity():
    # "ResNet-50 pretrained on ImageNet"
    doc = make(["ResNet-50", "pretrained", "on", "ImageNet"], [0, 0, 1, 2], ["ROOT", "acl", "prep", "pobj"],
               ents=[(0, "method"), (3, "dataset")])
    assert subject_of(doc[1]).text == "ResNet-50"


def test_conjuncts_distribute():
    # "outperforms A , B and C"
    doc = make(["X", "outperforms", "A", ",", "B", "and", "C"], [1, 1, 1, 2, 2, 4, 4],
               ["nsubj", "ROOT", "dobj", "punct", "conj", "cc", "conj"],
               ents=[(0, "method"), (2, "method"), (4, "method"), (6, "method")])
    assert [t.text for t in conjuncts(doc[2], "method")] == ["A", "B", "C"]


def test_negation_blocks():
    doc = make(["X", "does", "not", "outperform", "Y"], [3, 3, 3, 3, 3], ["nsubj", "aux", "neg", "ROOT", "dobj"])
    assert is_negated(doc[3])
    doc = make(["X", "fails", "to", "surpass", "Y"], [1, 1, 3, 1, 3], ["nsubj", "ROOT", "aux", "xcomp", "dobj"])
    assert is_negated(doc[3])
    doc = make(["X", "outperforms", "Y"], [1, 1, 1], ["nsubj", "ROOT", "dobj"])
    assert not is_negated(doc[1])


def test_self_reference():
    doc = make(["our", "method", "wins"], [1, 2, 2], ["poss", "nsubj", "ROOT"])
    assert refers_to_self(doc[1])
    doc = make(["the", "method", "wins"], [1, 2, 2], ["det", "nsubj", "ROOT"])
    assert not refers_to_self(doc[1])
    doc = make(["we", "win"], [1, 1], ["nsubj", "ROOT"])
    assert refers_to_self(doc[0])


def test_hyphen_prefix_retargets():
    doc = make(["ViT", "is", "pre", "-", "trained", "on", "X"], [4, 4, 4, 4, 4, 4, 5],
               ["nsubjpass", "auxpass", "amod", "punct", "ROOT", "prep", "pobj"])
    assert hyphen_prefixed(doc[4], "trained_on") == "pretrained_on"
    doc = make(["fine", "-", "tuned", "on", "X"], [2, 2, 2, 2, 3], ["amod", "punct", "ROOT", "prep", "pobj"])
    assert hyphen_prefixed(doc[2], "trained_on") == "fine_tuned_on"


def test_comparative_is_word_level():
    assert has_comparative(make(["more", "accurate", "than", "Y"], [1, 1, 1, 2], ["advmod", "ROOT", "prep", "pobj"]))
    assert not has_comparative(make(["benchmarked", "against", "Y"], [0, 0, 1], ["ROOT", "prep", "pobj"]))


def test_abbreviation_on_hand_built_doc():
    words = ["the", "Vision", "Transformer", "(", "ViT", ")", "works"]
    doc = make(words, [2, 2, 6, 4, 2, 4, 6], ["det", "compound", "nsubj", "punct", "appos", "punct", "ROOT"],
               tags=["DT", "NNP", "NNP", "-LRB-", "NNP", "-RRB-", "VBZ"])
    pairs = [(long.text, short.text) for long, short in find_abbreviations(doc)]
    assert pairs == [("Vision Transformer", "ViT")]


@pytest.mark.parametrize("short, words, start", [
    ("KAPT", ["novel", "Knowledge-Aware", "Prompt", "Tuning"], 1),
    ("MTT", ["Matching", "Training", "Trajectories"], 0),
    ("XYZ", ["nothing", "matches", "here"], None),
])
def test_find_long_form(short, words, start):
    assert find_long_form(short, words) == start


@pytest.mark.parametrize("name, stopped", [
    ("CNNs", True), ("GANs", True), ("KD", True), ("top-1", True), ("mIoU", True), ("A100", True),
    ("FPGA", True), ("Google", True), ("ResNet-50", False), ("ViT", False), ("MobileNets", False), ("LLMs", True),
])
def test_not_entities(name, stopped):
    assert is_stopped(name) is stopped


@pytest.mark.parametrize("name, expected", [
    ("CIFAR-10/100", ["CIFAR-10", "CIFAR-100"]),
    ("ImageNet-C/R/A", ["ImageNet-C", "ImageNet-R", "ImageNet-A"]),
    ("ViT-B/16", ["ViT-B/16"]),
    ("ResNet-50", ["ResNet-50"]),
])
def test_expand_name(name, expected):
    assert expand_name(name) == expected


def test_dataset_lexicon_families_and_exact():
    assert in_dataset_lexicon("ImageNet-21K") and in_dataset_lexicon("CIFAR-100") and in_dataset_lexicon("Cityscapes")
    assert not in_dataset_lexicon("ResNet-50") and not in_dataset_lexicon("CLIP")


@pytest.mark.parametrize("raw, url", [
    ("https://github.com/szq0214/MEAL-V2.", "https://github.com/szq0214/MEAL-V2"),
    ("https://github.com/a/b.git", "https://github.com/a/b"),
    ("https://github.com/a/b/).", "https://github.com/a/b"),
])
def test_normalize_url(raw, url):
    assert normalize_url(raw) == url


def test_repo_of_groups_tree_paths():
    assert repo_of("https://github.com/tensorflow/tpu/tree/master/models") == "https://github.com/tensorflow/tpu"


def test_required_words_skip_optional_tokens():
    from kg.entities import gate_of, required_words

    assert required_words([{"LOWER": "a", "OP": "{0,3}"}, {"LOWER": "b", "OP": "!"}, {"LOWER": "c", "OP": "+"}]) \
        == {"c"}
    assert required_words([{"LOWER": {"IN": ["x"]}, "OP": "*"}, {"ENT_TYPE": "method"}]) is None
    assert required_words([{"LOWER": {"NOT_IN": ["x"]}}]) is None
    # one pattern without required words: no gate at all
    assert gate_of([[{"LOWER": "a"}], [{"ENT_TYPE": "method"}]], VOCAB) is None
    assert gate_of([[{"LOWER": "a"}], [{"LOWER": {"IN": ["b", "c"]}}]], VOCAB) == {VOCAB.strings[w] for w in "abc"}
