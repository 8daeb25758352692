"""Fixed-length token patterns whose tests are mostly on the token's text, each word tested once.

The shape patterns of ``entity_shapes.jsonl`` are spaCy ``Matcher`` patterns, in its JSON
format, and :class:`SequenceMatcher` gives the same matches in the same order as spaCy's
``Matcher`` (``tests/test_seqmatch.py`` compares the two on parsed abstracts). spaCy's
``Matcher`` calls a Python predicate for every ``REGEX`` or ``IN`` test of every pattern at
every token of every text, which made it the slowest part of finding entities; here the tests
on a token's text are run once per distinct word and kept as a bit mask (the vocabulary is
the cache), a pattern's possible starts are found with one array operation, and only there are
the other tokens and the tests on tags and sentence starts looked at.

Supported, per token: ``TEXT``/``ORTH`` and ``LOWER`` (a string, or ``{"IN": [...]}``,
``{"NOT_IN": [...]}``, ``{"REGEX": "..."}``), ``TAG`` (a string or ``{"IN": [...]}``),
``IS_SENT_START`` and ``SPACY`` (booleans). No ``OP``: every pattern has a fixed length.
Anything else is refused when the pattern is added, with the pattern's name.
"""
from __future__ import annotations

import re

import numpy
from spacy.attrs import ORTH
from spacy.tokens import Doc

_TEXT_KEYS = {"TEXT": "text", "ORTH": "text", "LOWER": "lower"}
#: Distinct words whose masks are kept; past this the cache starts again (it is only a cache).
MAX_WORDS = 500_000


class SequenceMatcher:
    """``add(key, pattern)`` like spaCy's Matcher (no ``OP``); call it on a Doc."""

    def __init__(self, vocab):
        self.vocab = vocab
        self.tests = []  # (kind, argument) per distinct text test; bit i of a word's mask is test i
        self._test_bits = {}
        self.patterns = []  # (key, [(mask of text tests, other tests)] per token)
        self._masks = {}  # ORTH hash -> mask

    def add(self, key: str, pattern: list) -> None:
        if not pattern:
            raise ValueError(f"pattern {key}: empty")
        tokens = []
        for n, spec in enumerate(pattern):
            mask, other = 0, []
            for attr, value in spec.items():
                where = f"pattern {key}, token {n}"
                if attr in _TEXT_KEYS:
                    for test in _text_tests(_TEXT_KEYS[attr], value, where):
                        mask |= 1 << self._bit(test)
                elif attr == "TAG":
                    tags = value["IN"] if isinstance(value, dict) and set(value) == {"IN"} else [value]
                    if not all(isinstance(t, str) for t in tags):
                        raise ValueError(f"{where}: TAG must be a string or an IN list")
                    other.append(("tag_", frozenset(tags)))
                elif attr in {"IS_SENT_START", "SPACY"} and isinstance(value, bool):
                    other.append((attr, value))
                else:
                    raise ValueError(f"{where}: {attr}={value!r} is not supported here "
                                     "(TEXT/ORTH/LOWER tests, TAG, IS_SENT_START, SPACY; no OP)")
            tokens.append((mask, tuple(other)))
        self.patterns.append((key, tokens))
        self._masks.clear()  # new tests: every word is tested again

    def _bit(self, test: tuple) -> int:
        if test not in self._test_bits:
            self._test_bits[test] = len(self.tests)
            self.tests.append(test)
        return self._test_bits[test]

    def _mask(self, orth: int) -> int:
        text = self.vocab.strings[orth]
        lower = text.lower()
        mask = 0
        for bit, (kind, field, arg) in enumerate(self.tests):
            value = text if field == "text" else lower
            if kind == "eq":
                ok = value == arg
            elif kind == "in":
                ok = value in arg
            elif kind == "not_in":
                ok = value not in arg
            else:
                ok = arg.search(value) is not None
            if ok:
                mask |= 1 << bit
        return mask

    def __call__(self, doc: Doc) -> list:
        """``(key, start, end)`` for every match, in spaCy Matcher's order (by end, then start, then pattern)."""
        n = len(doc)
        if not n or not self.patterns:
            return []
        if len(self._masks) > MAX_WORDS:
            self._masks.clear()
        masks_of = self._masks
        orths = doc.to_array(ORTH).tolist()
        masks = []
        for h in orths:
            m = masks_of.get(h)
            if m is None:
                m = masks_of[h] = self._mask(h)
            masks.append(m)
        arr = numpy.array(masks, dtype=object) if len(self.tests) > 62 else numpy.array(masks, dtype=numpy.int64)
        found = []
        for p, (key, tokens) in enumerate(self.patterns):
            length = len(tokens)
            first = tokens[0][0]
            starts = numpy.flatnonzero((arr[: n - length + 1] & first) == first).tolist() if n >= length else []
            for start in starts:
                if all((masks[start + j] & mask) == mask and _fits(doc[start + j], other)
                       for j, (mask, other) in enumerate(tokens)):
                    found.append((start + length, start, p, key))
        found.sort(key=lambda x: (x[0], x[1], x[2]))
        return [(key, start, end) for end, start, _, key in found]


def _text_tests(field: str, value, where: str) -> list:
    if isinstance(value, str):
        return [("eq", field, value)]
    if isinstance(value, dict):
        out = []
        for op, arg in value.items():
            if op == "IN":
                out.append(("in", field, frozenset(arg)))
            elif op == "NOT_IN":
                out.append(("not_in", field, frozenset(arg)))
            elif op == "REGEX":
                out.append(("regex", field, re.compile(arg)))
            else:
                raise ValueError(f"{where}: {op!r} is not supported (IN, NOT_IN, REGEX)")
        return out
    raise ValueError(f"{where}: {value!r} must be a string or an IN / NOT_IN / REGEX test")


def _fits(tok, other: tuple) -> bool:
    for attr, value in other:
        if attr == "tag_":
            if tok.tag_ not in value:
                return False
        elif attr == "IS_SENT_START":
            if bool(tok.is_sent_start) is not value:
                return False
        elif attr == "SPACY":
            if bool(tok.whitespace_) is not value:
                return False
    return True
