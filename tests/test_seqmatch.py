"""kg.seqmatch: fixed-length patterns give spaCy Matcher's matches, in its order."""
import itertools

import pytest
import spacy
from spacy.matcher import Matcher
from spacy.tokens import Doc

from kg.patterns import expand_shapes, read_jsonl
from kg.seqmatch import SequenceMatcher

VOCAB = spacy.blank("en").vocab


def both(patterns: dict, doc: Doc) -> tuple:
    ours, theirs = SequenceMatcher(doc.vocab), Matcher(doc.vocab)
    for key, pattern in patterns.items():
        ours.add(key, pattern)
        theirs.add(key, [pattern])
    return [(doc.vocab.strings[k], s, e) for k, s, e in theirs(doc)], ours(doc)


def test_text_tests_order_and_spaces():
    doc = Doc(VOCAB, words=["A", "Grad", "-", "CAM", "and", "Grad", "-", "cam", "U", "-", "Net", "x"],
              spaces=[True, False, False, True, True, False, False, True, False, False, True, False])
    patterns = {
        "hyphen": [{"TEXT": {"REGEX": "^[A-Z]"}}, {"TEXT": "-", "SPACY": False}, {"TEXT": {"REGEX": "^[A-Z]+$"}}],
        "lower": [{"LOWER": {"IN": ["grad", "u"]}}, {"ORTH": {"IN": ["-"]}}],
        "one": [{"TEXT": {"REGEX": "^[A-Z]"}, "LOWER": {"NOT_IN": ["net"]}}],
        "spaced": [{"LOWER": "cam", "SPACY": True}],
    }
    want, got = both(patterns, doc)
    assert got == want
    assert ("hyphen", 1, 4) in got and ("hyphen", 5, 8) not in got and ("spaced", 3, 4) in got


def test_sentence_start_and_tags():
    doc = Doc(VOCAB, words=["Leaky", "ReLU", "is", "Leaky", "ReLU", "."], tags=["NNP", "NNP", "VBZ", "NNP", "NN", "."],
              sent_starts=[True, False, False, False, False, False])
    patterns = {"p": [{"TEXT": {"REGEX": "^[A-Z][a-z]+$"}, "IS_SENT_START": False, "TAG": "NNP"}, {"TAG": {"IN": ["NN"]}}],
                "q": [{"IS_SENT_START": True}]}
    want, got = both(patterns, doc)
    assert got == want == [("q", 0, 1), ("p", 3, 5)]


@pytest.mark.parametrize("pattern,message", [
    ([{"TEXT": "a", "OP": "?"}], "OP"),
    ([{"POS": "NOUN"}], "POS"),
    ([{"TEXT": {"FUZZY": "a"}}], "'FUZZY' is not supported"),
    ([{"TAG": {"NOT_IN": ["NN"]}}], "TAG must be"),
    ([], "empty"),
])
def test_unsupported_patterns_are_refused_by_name(pattern, message):
    with pytest.raises(ValueError, match="pattern bad") as err:
        SequenceMatcher(VOCAB).add("bad", pattern)
    assert message in str(err.value)


def test_words_are_tested_once_and_new_patterns_retest():
    m = SequenceMatcher(VOCAB)
    m.add("a", [{"TEXT": {"REGEX": "^X"}}])
    doc = Doc(VOCAB, words=["Xa", "b", "Xa"])
    assert m(doc) == [("a", 0, 1), ("a", 2, 3)]
    m.add("b", [{"LOWER": "b"}])
    assert m(doc) == [("a", 0, 1), ("b", 1, 2), ("a", 2, 3)]


@pytest.mark.model
def test_shape_patterns_match_as_spacy_on_parsed_abstracts_and_titles(nlp):
    from kg.read import distinct_papers

    shapes = {p["id"]: expand_shapes(p["pattern"]) for p in read_jsonl("entity_shapes.jsonl")}
    untagged = {k: [{a: v for a, v in t.items() if a not in {"TAG", "POS", "IS_SENT_START"}} for t in p]
                for k, p in shapes.items()}
    papers = list(itertools.islice(distinct_papers([]), 300))
    examples = [ex[0] for p in read_jsonl("entity_shapes.jsonl") for ex in p.get("examples", ())]
    keys, n = set(), 0
    for doc in nlp.pipe(examples + [p.abstract for p in papers]):
        want, got = both(shapes, doc)
        assert got == want, doc.text
        keys.update(k for k, _, _ in got)
        n += len(got)
    for title in (p.title for p in papers):
        want, got = both(untagged, nlp.make_doc(title))
        assert got == want, title
    assert n > 1000 and keys == set(shapes), sorted(set(shapes) - keys)
