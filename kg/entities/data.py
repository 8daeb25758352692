"""Entity rule data read from ``kg/patterns``: word lists, shapes, cues and lexicons."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from spacy.attrs import LOWER
from spacy.tokens import Doc

from ..patterns import expand_shapes, read_json, read_jsonl, read_words, shapes
from ..resolve import canonical_key

METHOD, DATASET, REPOSITORY = "method", "dataset", "repository"


@dataclass(frozen=True)
class Mention:
    """One entity mention: token span in the Doc, text as written, type and the rule."""

    start: int
    end: int
    text: str
    type: str
    rule: str
    long_form: str = ""  # set on an acronym defined in the text: the long form it stands for
    signal: str = ""  # what decided the type (see classify)


# ---------------------------------------------------------------------------
# word gates and data files (each file read by kg.patterns)

def required_words(pattern: list) -> frozenset | None:
    """Words one of which a text must hold for a Matcher pattern to match: those of its first
    token that is not optional and names its words (``LOWER``); None when it has none.

    >>> sorted(required_words([{"ENT_TYPE": "method"}, {"LOWER": "a", "OP": "?"}, {"LOWER": {"IN": ["x", "y"]}}]))
    ['x', 'y']
    """
    for tok in pattern:
        op = str(tok.get("OP", ""))
        if op in {"?", "*", "!"} or op.startswith(("{0", "{,")):
            continue
        words = tok.get("LOWER")
        if isinstance(words, str):
            return frozenset([words])
        if isinstance(words, dict) and set(words) == {"IN"}:
            return frozenset(words["IN"])
    return None


def gate_of(patterns: list, vocab) -> frozenset | None:
    """Hashes of the words a text must hold one of for any of ``patterns`` to match (None: no such set)."""
    words = set()
    for pattern in patterns:
        required = required_words(pattern)
        if required is None:
            return None
        words |= required
    return frozenset(vocab.strings.add(w) for w in words)


def lower_hashes(doc: Doc) -> frozenset:
    """The LOWER hashes of a Doc's tokens."""
    return frozenset(doc.to_array(LOWER).tolist())


@lru_cache(maxsize=None)
def stop_keys() -> tuple:
    """Exact keys and key prefixes (lines ending in "*") of ``not_entities.txt``."""
    words = read_words("not_entities.txt")
    return (frozenset(canonical_key(w) for w in words if not w.endswith("*")),
            tuple(canonical_key(w[:-1]) for w in words if w.endswith("*")))


@lru_cache(maxsize=None)
def dataset_lexicon() -> tuple:
    exact, prefixes = set(), []
    for w in read_words("datasets.txt"):
        if w.endswith("*"):
            prefixes.append(canonical_key(w[:-1]))
        else:
            exact.add(canonical_key(w))
    return frozenset(exact), tuple(sorted(prefixes))


@lru_cache(maxsize=None)
def dataset_cues() -> dict:
    data = read_json("dataset_cues.json")
    return {k: (frozenset(v) if isinstance(v, list) else v) for k, v in data.items()}


def is_stopped(name: str) -> bool:
    """Generic families, metrics, hardware, organisations... (``not_entities.txt``).

    >>> is_stopped("CNNs"), is_stopped("top-1"), is_stopped("A100"), is_stopped("ResNet-50")
    (True, True, True, False)
    >>> is_stopped("IPCs"), is_stopped("iPhone 14"), is_stopped("MobileNets")
    (True, True, False)
    >>> is_stopped("CVPR 2021"), is_stopped("Tesla V100"), is_stopped("WMT14 En-De")
    (True, True, False)
    >>> is_stopped("CNN-attention"), is_stopped("BERT-base"), is_stopped("CNN-fixations")
    (True, False, False)
    """
    k = canonical_key(name)
    stops, prefixes = stop_keys()
    if (k in stops or (k.endswith("s") and k[:-1] in stops) or len(k) < 2 or k.isdigit()
            or k.startswith(prefixes) or bool(re.search(shapes()["PLURAL_ACRONYM"], name.strip()))):
        return True
    return not_entity_shape(name) is not None


@lru_cache(maxsize=None)
def not_entity_shapes() -> tuple:
    """(id, compiled regex) of ``not_entity_shapes.jsonl``: metrics, language pairs, tasks..."""
    return tuple((p["id"], re.compile(p["pattern"])) for p in read_jsonl("not_entity_shapes.jsonl"))


def not_entity_shape(name: str) -> str | None:
    """The id of the not-entity shape a name has, if any; a known name has none.

    >>> not_entity_shape("En-De"), not_entity_shape("AP_box"), not_entity_shape("INT8")
    ('language_pair', 'metric', 'precision_format')
    >>> not_entity_shape("fastText"), not_entity_shape("deNoising"), not_entity_shape("ResNet-50")
    (None, 'odd_case', None)
    """
    text = name.strip()
    for rid, rx in not_entity_shapes():
        if rx.search(text):
            from .lexicon import known_type  # (the lexicon module reads this one)

            return None if known_type(text) else rid
    return None


def in_dataset_lexicon(name: str) -> bool:
    """
    >>> in_dataset_lexicon("ImageNet-21k"), in_dataset_lexicon("ResNet-50")
    (True, False)
    """
    k = canonical_key(name).rstrip("+")
    exact, prefixes = dataset_lexicon()
    return k in exact or k.startswith(prefixes)



@lru_cache(maxsize=None)
def proposal_words() -> dict:
    """The word sets of ``proposal.json``."""
    data = read_json("proposal.json")
    return {k: frozenset(v) for k, v in data.items()}



__all__ = ["DATASET", "METHOD", "REPOSITORY", "Mention", "dataset_cues", "dataset_lexicon", "expand_shapes", "gate_of",
           "in_dataset_lexicon", "is_stopped", "lower_hashes", "not_entity_shape", "not_entity_shapes", "proposal_words",
           "required_words", "shapes", "stop_keys"]
