"""kg.treematch: the trigger-anchored matcher gives spaCy DependencyMatcher's matches."""
import itertools

import pytest
import spacy
from spacy.matcher import DependencyMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from kg.patterns import expand_shapes, read_jsonl
from kg.treematch import TreeMatcher

VOCAB = spacy.blank("en").vocab


def make(words, heads, deps, ents=()):
    doc = Doc(VOCAB, words=words, heads=heads, deps=deps)
    doc.ents = [Span(doc, i, i + 1, label=label) for i, label in ents]
    return doc


def both(patterns: dict, doc: Doc) -> tuple:
    """(spaCy's matches over the Doc, ours over each sentence), as sets of (key, token indices)."""
    ours, theirs = TreeMatcher(doc.vocab), DependencyMatcher(doc.vocab)
    for key, pattern in patterns.items():
        ours.add(key, pattern)
        theirs.add(key, [pattern])
    got, want = set(), set()
    for sent in doc.sents:
        got.update(ours(sent))
    # (matching the whole Doc: spaCy's Span.as_doc drops an entity that crosses the sentence's end)
    want.update((doc.vocab.strings[m], tuple(ids)) for m, ids in theirs(doc))
    return want, got


# "ConvNeXt clearly outperforms ResNet and ViT ." / "It is beaten by BEiT ."
DOC_WORDS = ["ConvNeXt", "clearly", "outperforms", "ResNet", "and", "ViT", ".", "It", "is", "beaten", "by", "BEiT", "."]
DOC_HEADS = [2, 2, 2, 2, 3, 3, 2, 9, 9, 9, 9, 10, 9]
DOC_DEPS = ["nsubj", "advmod", "ROOT", "dobj", "cc", "conj", "punct", "nsubjpass", "auxpass", "ROOT", "agent", "pobj",
            "punct"]
DOC_ENTS = [(0, "method"), (3, "method"), (5, "method"), (11, "method")]


def trigger(words):
    return {"RIGHT_ID": "trigger", "RIGHT_ATTRS": {"LOWER": {"IN": words}}}


@pytest.mark.parametrize("op,attrs", [
    (">", {"ENT_TYPE": "method"}),
    (">>", {"ENT_TYPE": "method"}),
    (">", {"DEP": {"NOT_IN": ["dobj", "punct"]}}),
    ("<", {}),
    ("<<", {}),
    (".", {}),
    (";", {"LOWER": "clearly"}),
])
def test_each_operator_as_spacy(op, attrs):
    doc = make(DOC_WORDS, DOC_HEADS, DOC_DEPS, DOC_ENTS)
    for anchor in (["outperforms", "beaten"], ["resnet", "by"]):
        pattern = [trigger(anchor), {"LEFT_ID": "trigger", "REL_OP": op, "RIGHT_ID": "x", "RIGHT_ATTRS": attrs}]
        want, got = both({"p": pattern}, doc)
        assert got == want


def test_tree_of_three_nodes_and_every_binding():
    doc = make(DOC_WORDS, DOC_HEADS, DOC_DEPS, DOC_ENTS)
    pattern = [trigger(["outperforms"]),
               {"LEFT_ID": "trigger", "REL_OP": ">", "RIGHT_ID": "head", "RIGHT_ATTRS": {"DEP": "nsubj"}},
               {"LEFT_ID": "trigger", "REL_OP": ">>", "RIGHT_ID": "tail", "RIGHT_ATTRS": {"ENT_TYPE": "method"}}]
    want, got = both({"p": pattern}, doc)
    assert got == want == {("p", (2, 0, 0)), ("p", (2, 0, 3)), ("p", (2, 0, 5))}


def test_matches_stay_in_their_sentence():
    doc = make(DOC_WORDS, DOC_HEADS, DOC_DEPS, DOC_ENTS)
    pattern = [trigger(["."]), {"LEFT_ID": "trigger", "REL_OP": ".", "RIGHT_ID": "next", "RIGHT_ATTRS": {}}]
    want, got = both({"p": pattern}, doc)
    assert got == want == set()  # the first sentence's full stop is not followed by "It" within it


@pytest.mark.parametrize("pattern,message", [
    ([{"RIGHT_ID": "t", "RIGHT_ATTRS": {"DEP": "nsubj"}}], "anchor needs its words"),
    ([trigger(["a"]), {"LEFT_ID": "t", "REL_OP": ">", "RIGHT_ID": "x", "RIGHT_ATTRS": {}}], "not an earlier node"),
    ([trigger(["a"]), {"LEFT_ID": "trigger", "REL_OP": "$+", "RIGHT_ID": "x", "RIGHT_ATTRS": {}}], "REL_OP '$+'"),
    ([trigger(["a"]), {"LEFT_ID": "trigger", "REL_OP": ">", "RIGHT_ID": "x", "RIGHT_ATTRS": {"LENGTH": 3}}],
     "attribute 'LENGTH'"),
    ([trigger(["a"]), {"LEFT_ID": "trigger", "REL_OP": ">", "RIGHT_ID": "x", "RIGHT_ATTRS": {"TEXT": {"REGEX": "x"}}}],
     "'REGEX' is not supported"),
    ([trigger(["a"]), {"LEFT_ID": "trigger", "REL_OP": ">", "RIGHT_ID": "trigger", "RIGHT_ATTRS": {}}], "repeated"),
])
def test_unsupported_patterns_are_refused_by_name(pattern, message):
    with pytest.raises(ValueError, match="pattern bad") as err:
        TreeMatcher(VOCAB).add("bad", pattern)
    assert message in str(err.value)


@pytest.mark.model
def test_relation_patterns_match_as_spacy_on_parsed_abstracts(nlp, extractor):
    """Every pattern of relations.jsonl over 250 bundled abstracts, entities set from kg's entity finder."""
    from kg.read import distinct_papers

    patterns = {p["id"]: expand_shapes(p["pattern"]) for p in read_jsonl("relations.jsonl")}
    examples = [ex[0] for p in read_jsonl("relations.jsonl") for ex in p.get("examples", ())]
    texts = examples + [p.abstract for p in itertools.islice(distinct_papers([]), 250)]
    keys = set()
    n = 0
    for doc in nlp.pipe(texts):
        spans = [Span(doc, m.start, m.end, label=m.type) for m in extractor.entities(doc)]
        doc.ents = filter_spans(spans)
        want, got = both(patterns, doc)
        assert got == want, doc.text
        keys.update(k for k, _ in got)
        n += len(got)
    assert n > 200 and len(keys) >= len(patterns) - 2, (n, sorted(set(patterns) - keys))
