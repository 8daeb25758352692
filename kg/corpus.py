"""The second pass over a build: names the corpus itself defines, found in every other paper.

A paper that coins a name ("wav2vec 2.0: A Framework ...", "we call it TinyBERT", "Global
Context Vision Transformer (GC ViT)") makes it a known name for the whole build: every other
paper that writes it, in any case or spelling ("wav2vec 2.0" = "Wav2Vec2"), mentions it too,
even where its own rules did not find it (a coined name written in lower case, a long form
without its acronym).

Which names: what a paper introduces (its ``introduces`` tails) and the long forms of the
acronyms it defines, when the name has a coined shape -- a capital inside a word or a digit
("TinyBERT", "wav2vec 2.0", "ViT-22B") -- or is an acronym's long form of several capitalised
words ("Flat Trajectory Distillation"). Bare acronyms and single ordinary words ("AMD",
"Selfie") are left out: in another paper they are as likely to be something else.

How: the extraction records of the first pass are kept (never re-parsed); the abstracts are
read again, and each is matched against one regular expression per name, written over the
name's :func:`kg.resolve.lexicon_key` with a separator allowed between any two characters.
A gate keeps it cheap: only names whose first word's first characters start some word of
the abstract are tried. The result depends only on the records and the texts: deterministic,
and the same whether the records came from the cache or from parsing, in one process or two.

This module never imports spaCy.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from typing import Iterable

from .resolve import canonical_key, is_acronym, lexicon_key, resolution_key

#: how many first characters of a key gate its pattern
_GATE = 5
_WORD = re.compile(r"[a-z0-9]+")
#: a name going on past the match: a hyphen and a capital or digit ("ConvNeXt-T"; not "-based")
_GOES_ON = re.compile(r"[-‐][A-Z0-9]")
_JOINED = re.compile(r"(?<=[a-z0-9])[-_‐/.](?=[a-z0-9])")
_COINED = re.compile(r"[a-z][A-Z]|\d|[A-Z]{2}[a-z]")


def defined_names(records: Iterable[dict]) -> dict:
    """lexicon key -> (name, type) of the names the records' papers define with confidence.

    >>> recs = [{"entities": [{"name": "wav2vec 2.0", "type": "method", "aliases": []}],
    ...          "relations": [{"relation": "introduces", "tail": "wav2vec 2.0", "rule": "title_prefix"}]}]
    >>> defined_names(recs)
    {'wav2vec2': ('wav2vec 2.0', 'method')}
    """
    votes: dict[str, Counter] = defaultdict(Counter)
    for rec in records:
        types = {}
        for e in rec.get("entities", ()):
            for f in [e.get("name", ""), *e.get("aliases", ())]:
                types[canonical_key(f)] = e.get("type")
        names = [r.get("tail", "") for r in rec.get("relations", ()) if r.get("relation") == "introduces"]
        # an acronym's definition: its long form
        names += [e["name"] for e in rec.get("entities", ()) if any(is_acronym(a) for a in e.get("aliases", ()))]
        for name in names:
            etype = types.get(canonical_key(name))
            if etype in ("method", "dataset") and _confident(name):
                votes[lexicon_key(name)][(name, etype)] += 1
    return {k: max(c.items(), key=lambda kv: (kv[1], kv[0]))[0] for k, c in sorted(votes.items())}


def _confident(name: str) -> bool:
    """A coined shape, or a long form of several capitalised words.

    >>> [_confident(n) for n in ("TinyBERT", "wav2vec 2.0", "Flat Trajectory Distillation", "AMD", "Selfie",
    ...                          "explicit knowledge")]
    [True, True, True, False, False, False]
    """
    key = lexicon_key(name)
    if len(key) < 4 or is_acronym(name):
        return False
    if _COINED.search(name):
        return True
    words = [w for w in re.split(r"[\s\-]+", name) if len(w) > 3]
    return len(name.split()) >= 2 and len(words) >= 2 and all(w[:1].isupper() for w in words)


def _letters(text: str) -> str:
    return re.sub(r"[\s\-_‐]+", "", text)


def _pattern(key: str) -> re.Pattern:
    """A key's characters with an optional separator between any two, a version's ".0"
    optional, whole words only (not inside "Diffusion-RWKV" or "Zorblax-20"); matched on the
    lower-cased text, its literal first character first (the engine scans for it)."""
    rest = "".join(r"[\s\-_]?" + re.escape(c) for c in key[1:])
    if key[-1:].isdigit():
        rest += r"(?:\.0)?"
    return re.compile(re.escape(key[0]) + r"(?<![a-z0-9].)(?<![a-z0-9][-‐].)" + rest + r"(?![a-z0-9])(?!\.\d)")


def _gate(name: str) -> str:
    """The first characters of a name's first word: a text must have a word starting so."""
    return _WORD.findall(name.lower())[0][:_GATE]


def _lower(text: str) -> str:
    """``text`` lower-cased, character for character (offsets kept)."""
    low = text.lower()
    return low if len(low) == len(text) else "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


class CorpusNames:
    """The defined names of a build, indexed for finding them in a text."""

    def __init__(self, names: dict):
        self.names = names
        self.by_start: dict[str, list] = defaultdict(list)
        self.patterns = {}
        for key, (name, _t) in names.items():
            self.by_start[_gate(name)].append(key)
            self.patterns[key] = _pattern(key)
        self.lengths = sorted({len(g) for g in self.by_start})
        # a name with a digit is found in any case ("wav2vec 2.0", "WAV2VEC2"); one without, only
        # with its own capitals ("TinyBERT", "Tiny-BERT"; "vision transformer" is a family, not
        # the "Vision Transformer" a paper defined)
        self.exact = {k: _letters(n) for k, (n, _t) in names.items() if not re.search(r"\d", n)}

    def find(self, text: str) -> list:
        """(surface, key) of the defined names a text writes, in text order."""
        low = _lower(text)
        words = set(_WORD.findall(low)) | set(_WORD.findall(_JOINED.sub("", low)))
        starts = {w[:k] for w in words for k in self.lengths} & self.by_start.keys()
        found = []
        for s in sorted(starts):
            for key in self.by_start[s]:
                for m in self.patterns[key].finditer(low):
                    surface = text[m.start():m.end()]
                    if _GOES_ON.match(text, m.end()):
                        continue  # "ConvNeXt" of "ConvNeXt-T"
                    if key not in self.exact or _letters(surface) == self.exact[key]:
                        found.append((m.start(), surface, key))
        return [(surface, key) for _, surface, key in sorted(found)]


def second_pass(records: list, texts: Iterable) -> int:
    """Adds to each record the defined names of the build (:func:`defined_names`) its text writes
    and its entities lack; ``texts`` gives (paper id, abstract) in any order. Returns how many
    entities were added."""
    index = CorpusNames(defined_names(records))
    if not index.names:
        return 0
    by_id = {rec["id"]: rec for rec in records}
    added = 0
    for pid, text in texts:
        rec = by_id.get(pid)
        if rec is None:
            continue
        have = {resolution_key(f) for e in rec.get("entities", ()) for f in [e["name"], *e.get("aliases", ())]}
        longer = [canonical_key(f) for e in rec.get("entities", ()) for f in [e["name"], *e.get("aliases", ())]]
        for surface, key in index.find(text):
            name, etype = index.names[key]
            ck = canonical_key(surface)
            if resolution_key(surface) in have or resolution_key(name) in have or any(ck in f for f in longer):
                continue
            rec.setdefault("entities", []).append({"name": surface, "type": etype, "aliases": []})
            have.add(resolution_key(surface))
            longer.append(ck)
            added += 1
    return added
