"""kg.entities rule functions: hand-built Docs and plain strings, no statistical model."""
import pytest

from kg.entities import (expand_name, find_abbreviations, find_long_form, in_dataset_lexicon, is_stopped,
                         normalize_url, repo_of)

from handbuilt import VOCAB, make


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
