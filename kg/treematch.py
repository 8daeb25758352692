"""Dependency patterns matched outward from their trigger word.

The patterns are spaCy ``DependencyMatcher`` patterns, in its JSON format: a list of nodes, the
first (the anchor) with ``RIGHT_ID`` and ``RIGHT_ATTRS``, every other with ``LEFT_ID``,
``REL_OP``, ``RIGHT_ID`` and ``RIGHT_ATTRS``. They give the same matches as spaCy's
``DependencyMatcher`` (``tests/test_treematch.py`` compares the two on parsed abstracts), found
another way: spaCy's matcher runs a token ``Matcher`` with every node of every pattern over
every token of the text and looks up the ancestors of each token that fits some node, which was
the slowest part of extraction; here only the tokens whose lower-cased text is one of an anchor's
words are looked at, and the rest of a pattern is followed along the parse from there.

So the anchor must name its words (``"LOWER": "than"`` or ``"LOWER": {"IN": [...]}``). Node
attributes: ``LOWER``, ``ORTH``/``TEXT``, ``DEP``, ``ENT_TYPE``, ``TAG``, ``POS``, ``LEMMA``,
``NORM``, each a string or ``{"IN": [...]}`` / ``{"NOT_IN": [...]}``. Operators: ``>`` (child),
``<`` (head), ``>>`` (descendant), ``<<`` (ancestor), ``.`` (next token), ``;`` (previous
token). Anything else is refused when the pattern is added, with the pattern's name.
"""
from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Span, Token

ATTRS = {"LOWER": "lower_", "ORTH": "text", "TEXT": "text", "DEP": "dep_", "ENT_TYPE": "ent_type_",
         "TAG": "tag_", "POS": "pos_", "LEMMA": "lemma_", "NORM": "norm_"}


def _children(tok: Token, sent: Span):
    return tok.children


def _head(tok: Token, sent: Span):
    head = tok.head
    return () if head.i == tok.i else (head,)


def _descendants(tok: Token, sent: Span):
    return (t for t in tok.subtree if t.i != tok.i)


def _ancestors(tok: Token, sent: Span):
    return tok.ancestors


def _next(tok: Token, sent: Span):
    return (tok.doc[tok.i + 1],) if tok.i + 1 < sent.end else ()


def _previous(tok: Token, sent: Span):
    return (tok.doc[tok.i - 1],) if tok.i - 1 >= sent.start else ()


OPS = {">": _children, "<": _head, ">>": _descendants, "<<": _ancestors, ".": _next, ";": _previous}


@dataclass(frozen=True)
class Node:
    name: str
    left: int  # index of the node it hangs from (-1 for the anchor)
    op: str
    checks: tuple  # (token attribute, values, True for IN / False for NOT_IN)

    def fits(self, tok: Token) -> bool:
        for attr, values, inside in self.checks:
            if (getattr(tok, attr) in values) is not inside:
                return False
        return True


def _checks(attrs: dict, where: str) -> tuple:
    out = []
    for key, value in attrs.items():
        if key not in ATTRS:
            raise ValueError(f"{where}: attribute {key!r} is not supported (use one of {', '.join(ATTRS)})")
        if isinstance(value, dict):
            for op, arg in value.items():
                if op not in {"IN", "NOT_IN"}:
                    raise ValueError(f"{where}: {key} {op!r} is not supported (use a string, IN or NOT_IN)")
                out.append((ATTRS[key], frozenset(arg), op == "IN"))
        elif isinstance(value, str):
            out.append((ATTRS[key], frozenset([value]), True))
        else:
            raise ValueError(f"{where}: {key} must be a string or an IN / NOT_IN list, not {value!r}")
    return tuple(out)


def compile_pattern(key: str, pattern: list) -> tuple:
    """The nodes of one DependencyMatcher pattern, checked; the anchor's words."""
    if not pattern or "LEFT_ID" in pattern[0] or "RIGHT_ID" not in pattern[0]:
        raise ValueError(f"pattern {key}: the first node must be the anchor (RIGHT_ID, no LEFT_ID)")
    index = {}
    nodes = []
    for n, node in enumerate(pattern):
        where = f"pattern {key}, node {node.get('RIGHT_ID', n)}"
        name = node.get("RIGHT_ID")
        if not name or name in index:
            raise ValueError(f"{where}: RIGHT_ID missing or repeated")
        attrs = node.get("RIGHT_ATTRS", {})
        if n == 0:
            left, op = -1, ""
        else:
            if node.get("LEFT_ID") not in index:
                raise ValueError(f"{where}: LEFT_ID {node.get('LEFT_ID')!r} is not an earlier node")
            if node.get("REL_OP") not in OPS:
                raise ValueError(f"{where}: REL_OP {node.get('REL_OP')!r} is not supported (use one of {' '.join(OPS)})")
            left, op = index[node["LEFT_ID"]], node["REL_OP"]
        index[name] = n
        nodes.append(Node(name, left, op, _checks(attrs, where)))
    words = pattern[0].get("RIGHT_ATTRS", {}).get("LOWER")
    words = words.get("IN") if isinstance(words, dict) else [words] if isinstance(words, str) else None
    if not words:
        raise ValueError(f"pattern {key}: the anchor needs its words (LOWER: a word or IN: [words])")
    return tuple(nodes), tuple(words)


class TreeMatcher:
    """``add(key, pattern)`` like spaCy's DependencyMatcher; call it on a sentence."""

    def __init__(self, vocab):
        self.vocab = vocab
        self.by_anchor = {}  # hash of an anchor word -> [(key, nodes)]
        self.names = {}  # key -> node names, in pattern order

    def add(self, key: str, pattern: list) -> None:
        nodes, words = compile_pattern(key, pattern)
        self.names[key] = tuple(n.name for n in nodes)
        for w in dict.fromkeys(words):
            self.by_anchor.setdefault(self.vocab.strings.add(w), []).append((key, nodes))

    @property
    def anchor_hashes(self) -> frozenset:
        return frozenset(self.by_anchor)

    def __call__(self, sent: Span, lowers: list | None = None):
        """``(key, token indices in node order)`` for every match in ``sent``.

        ``lowers``: the sentence's LOWER hashes, when the caller has them already.
        """
        doc = sent.doc
        if lowers is None:
            lowers = [t.lower for t in sent]
        out = []
        for offset, h in enumerate(lowers):
            entries = self.by_anchor.get(h)
            if not entries:
                continue
            anchor = doc[sent.start + offset]
            for key, nodes in entries:
                if nodes[0].fits(anchor):
                    for toks in _expand(nodes, [anchor], sent):
                        out.append((key, tuple(t.i for t in toks)))
        return out


def _expand(nodes: tuple, bound: list, sent: Span):
    """Every way to bind the remaining nodes, given the first ``len(bound)``."""
    if len(bound) == len(nodes):
        yield list(bound)
        return
    node = nodes[len(bound)]
    for tok in OPS[node.op](bound[node.left], sent):
        if sent.start <= tok.i < sent.end and node.fits(tok):
            bound.append(tok)
            yield from _expand(nodes, bound, sent)
            bound.pop()
