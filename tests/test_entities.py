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
    # the character scan alone stops at "policy"; the words' initials spell the whole acronym
    ("PPO", ["we", "use", "proximal", "policy", "optimization"], 2),
    ("GAN", ["a", "generative", "adversarial", "network"], 1),
    # initials never invent a long form the character scan did not find
    ("VQAv2", ["visual", "question", "answering"], None),
])
def test_find_long_form(short, words, start):
    assert find_long_form(short, words) == start


@pytest.mark.parametrize("name, stopped", [
    ("CNNs", True), ("GANs", True), ("KD", True), ("top-1", True), ("mIoU", True), ("A100", True),
    ("FPGA", True), ("SBC", True), ("ReID", True), ("Re-ID", True), ("Single Board Computers", True), ("Google", True), ("ResNet-50", False), ("ViT", False), ("MobileNets", False), ("LLMs", True),
    ("Support-Vector Machines", True), ("SVMs", True), ("TPU-hours", True), ("LiDAR", True), ("ConvNets", True),
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


def _known(words, spaces=None):
    from spacy.tokens import Doc

    from kg.entities.lexicon import find_known

    doc = Doc(VOCAB, words=words, spaces=spaces)
    return [(doc[s:e].text, t) for s, e, t in find_known(doc)]


def test_known_names_in_any_spelling_whole_spans():
    """Lexicon names found case- and variant-insensitively, with their size and version."""
    words = ["We", "train", "densenet121", "and", "Llama", "2", "13B", "and", "wav2vec", "2.0", "on", "the", "pile",
             "and", "Long", "Range", "Arena", "with", "Faster", "R", "-", "CNN", "."]
    spaces = [True] * len(words)
    spaces[18:21] = [True, False, False]
    assert _known(words, spaces) == [("densenet121", "method"), ("Llama 2 13B", "method"), ("wav2vec 2.0", "method"),
                                     ("the pile", "dataset"), ("Long Range Arena", "dataset"),
                                     ("Faster R-CNN", "method")]


def test_known_names_respect_word_edges_and_capitals():
    # "770M T5": the "M" belongs to the number, not to an "MT5"; "Cola" and "places" are words
    assert _known(["a", "770", "M", "T5", "model"], [True, False, True, True, False]) == [("T5", "method")]
    assert _known(["We", "test", "CoLA", "and", "Cola", "in", "places", "."]) == [("CoLA", "dataset")]
    assert _known(["Atari", "2600", "and", "Atari", "2", "%"]) == [("Atari 2600", "dataset"), ("Atari", "dataset")]


def test_long_form_takes_the_whole_compound():
    words = ["a", "new", "Tokens", "-", "To", "-", "Token", "Vision", "Transformer", "(", "T2T", "-", "ViT", ")", "works"]
    spaces = [True, True, False, False, False, False, True, True, True, False, False, False, False, True, False]
    doc = make(words, [8, 8, 8, 8, 8, 8, 8, 8, 14, 8, 8, 8, 8, 8, 14], ["dep"] * 8 + ["nsubj"] + ["dep"] * 5 + ["ROOT"],
               tags=["DT", "JJ", "NNS", "HYPH", "IN", "HYPH", "NNP", "NNP", "NNP", "-LRB-", "NNP", "HYPH", "NNP", "-RRB-",
                     "VBZ"])
    doc = type(doc)(VOCAB, words=words, spaces=spaces, heads=[t.head.i for t in doc], deps=[t.dep_ for t in doc],
                    tags=[t.tag_ for t in doc])
    assert [(lf.text, sf.text) for lf, sf in find_abbreviations(doc)] == [("Tokens-To-Token Vision Transformer", "T2T-ViT")]
