"""kg.relations rule functions on hand-built Docs."""
from kg.relations import conjuncts, has_comparative, hyphen_prefixed, is_negated, refers_to_self, subject_of

from handbuilt import make


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
