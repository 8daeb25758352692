"""Known names: the curated lexicons (``datasets.txt``, ``methods.txt``) and the generated one
(``lexicon.tsv``, from the model and dataset catalogues of maintained packages), found in a
text in any spelling ("densenet121" = "DenseNet-121", "wav2vec 2.0" = "Wav2Vec2").

The names are indexed by :func:`kg.resolve.lexicon_key`; a text is read once, token by token,
extending a key while it is the prefix of a known one (a trie held as a set of prefixes), so
the cost does not grow with the size of the lexicon.
"""
from __future__ import annotations

import re
from functools import lru_cache

from spacy.tokens import Doc

from ..resolve import lexicon_key
from ..patterns import read_table, read_words
from .data import DATASET, METHOD, dataset_cues

CURATED, GENERATED = "curated", "generated"

#: tokens that carry on a known model's name: sizes and versions ("Llama 2 13B", "Mistral 7B")
_SIZE = re.compile(r"^(?:\d+(?:\.\d+)?[BMK]|[vV]\d+(?:\.\d+)*|\d\.\d+|XX?L|[Bb]ase|[Ll]arge|[Ss]mall|[Tt]iny|[Hh]uge|"
                   r"[Gg]iant|[Mm]edium|[Mm]ini|[Nn]ano|[Ii]nstruct|[Cc]hat)$")
_VERSION_DIGIT = re.compile(r"^[1-9]$")
#: a year after a dataset's name ("VOC 2007", "COCO 2017"; a number such as "Atari 2600" too)
_YEAR = re.compile(r"^(?:19|20)\d\d$")
#: what a hyphen joins to a known name as part of it: a size ("Swin-L"), version or variant
_HYPHEN_PART = {METHOD: re.compile(r"^(?:[SMLBTHG]|Ti|[A-Za-z]{1,2}/\d+|[A-Za-z]{0,2}\d+(?:\.\d+)?[A-Za-z]{0,2}|[Bb]ase|[Ll]arge|[Ss]mall|"
                                   r"[Tt]iny|[Hh]uge|[Gg]iant|XX?L|[Ii]nstruct|[Cc]hat|v\d+(?:\.\d+)?)$"),
                DATASET: re.compile(r"^(?:\d+[kKM]?|[vV]\d+(?:\.\d+)?)$")}
#: what a bare number after a name is when it is not the name's version
_NOT_VERSION_AFTER = {"%", "percent", "x", "×", "times", "points", "pp", "layers", "-", "–", ".", "/"}


@lru_cache(maxsize=None)
def known_names() -> dict:
    """lexicon key -> (type, source, whether the name's capitals are part of it); a curated
    entry outranks a generated one."""
    table = {}
    for name, etype, _source in read_table("lexicon.tsv"):
        table.setdefault(lexicon_key(name), (etype, GENERATED, _mixed_case(name)))
    for etype, fname in ((DATASET, "datasets.txt"), (METHOD, "methods.txt")):
        for w in read_words(fname):
            w = w.rstrip("*")
            table[lexicon_key(w)] = (etype, CURATED, _mixed_case(w))
            if w.lower().startswith("the "):  # "The Pile" is also "the Pile", trimmed to "Pile"
                table[lexicon_key(w[4:])] = (etype, CURATED, _mixed_case(w))
    return table


def _mixed_case(name: str) -> bool:
    """A short name whose capitals are part of it (CoLA, ReCoRD, BoolQ): "Cola" is another word.

    >>> _mixed_case("CoLA"), _mixed_case("ReCoRD"), _mixed_case("PubMed"), _mixed_case("ImageNet")
    (True, True, False, False)
    """
    letters = [c for c in name if c.isalpha()]
    return len(letters) <= 6 and (sum(c.isupper() for c in letters) >= 3 or letters[-1:] != [] and letters[-1].isupper()
                                  and sum(c.isupper() for c in letters) >= 2)


@lru_cache(maxsize=None)
def _prefixes() -> frozenset:
    return frozenset(k[:i] for k in known_names() for i in range(1, len(k) + 1))


def known_type(name: str) -> str | None:
    """The lexicon's type of a name, or None.

    >>> known_type("densenet121"), known_type("BoolQ"), known_type("ResNet-5000")
    ('method', 'dataset', None)
    """
    hit = known_names().get(lexicon_key(name))
    return hit[0] if hit else None


def known_source(name: str) -> str | None:
    """Where the lexicon knows a name from: :data:`CURATED`, :data:`GENERATED` or None."""
    hit = known_names().get(lexicon_key(name))
    return hit[1] if hit else None


@lru_cache(maxsize=65536)
def _token_key(text: str) -> str:
    return lexicon_key(text) if text.strip() else ""


def find_known(doc: Doc, max_tokens: int = 6):
    """(start, end, type) of the known names in a Doc, longest at each start, whole spans
    (a model's size and version, a dataset's year are part of its name).

    A name written in lower case is taken when it holds a digit ("densenet121") or is a dataset
    of several words ("the pile"); a lone lower-case word is left out ("places", "swag"), and so
    is a capitalised word opening a sentence unless the tagger calls it a proper noun.
    """
    table, prefixes = known_names(), _prefixes()
    words = [t.text for t in doc]
    keys = [_token_key(w) for w in words]
    n = len(doc)
    i = 0
    while i < n:
        if not keys[i] or keys[i][0] not in prefixes or not words[i][:1].isalnum() or _glued(doc, i):
            i += 1
            continue
        acc, best = "", None
        for j in range(i, min(n, i + max_tokens)):
            if not keys[j]:  # a hyphen inside a name ("R-CNN") adds nothing to the key
                if words[j] in _JOINERS and not _spaced(doc, j):
                    continue
                break
            acc += keys[j]
            k = lexicon_key(acc)
            if k in table and (j + 1 == n or not _glued(doc, j + 1)):
                best = (j + 1, table[k])
            if acc not in prefixes and k not in prefixes:
                break
        if best is None or not _as_written(doc, i, best[0], best[1]):
            i += 1
            continue
        end, (etype, *_) = best
        yield i, _extend(doc, end, etype), etype
        i = end


_JOINERS = {"-", "–", "‐", "_"}


def _spaced(doc: Doc, j: int) -> bool:
    return bool(doc[j].whitespace_) and bool(doc[j - 1].whitespace_)


def _glued(doc: Doc, i: int) -> bool:
    """Token ``i`` continues the word before it ("770M" split into "770", "M")."""
    return i > 0 and not doc[i - 1].whitespace_ and doc[i - 1].text[-1:].isalnum() and doc[i].text[:1].isalnum()


def _as_written(doc: Doc, start: int, end: int, hit) -> bool:
    span = doc[start:end]
    text = span.text
    if not any(c.isupper() for c in text):  # lower case: a digit in it, or a dataset of several words
        content = [t for t in span if t.is_alpha]
        return any(c.isdigit() for c in text) or (hit[0] == DATASET and len(content) > 1
                                                  and not any(t.is_stop for t in content[1:]))
    if hit[2] and sum(c.isupper() for c in text) < 2:
        return False  # "Cola", "Record" are not CoLA, ReCoRD
    if any(c.isdigit() for c in text) or sum(t.is_alpha for t in doc[start:end]) > 1:
        return True
    tok = doc[start]
    if end - start == 1 and hit[1] == GENERATED and text[1:].islower() and _in_capitalised_run(doc, start):
        return False  # a catalogue's plain word inside a longer name: "Twins" of "Barlow Twins"
    if end - start == 1 and tok.is_sent_start and text[1:].islower():
        return tok.tag_ == "NNP" or hit[1] == CURATED and not tok.is_stop
    return True


def _in_capitalised_run(doc: Doc, i: int) -> bool:
    """Token ``i`` stands next to another capitalised word of the same phrase (not one opening
    the sentence): "Barlow Twins", "Inception Transformer"."""
    prev = doc[i - 1] if i > 0 else None
    nxt = doc[i + 1] if i + 1 < len(doc) else None
    return (prev is not None and prev.is_alpha and prev.text[:1].isupper() and not prev.is_sent_start
            and prev.whitespace_ != "") or (nxt is not None and nxt.is_alpha and nxt.text[:1].isupper()
                                            and doc[i].whitespace_ != "")


def _extend(doc: Doc, end: int, etype: str) -> int:
    """The end of a known name with the size / version / year tokens that follow it."""
    n = len(doc)
    for _ in range(2):
        if end >= n:
            break
        nxt = doc[end].text
        if nxt.endswith(".") and len(nxt) > 1 and (end + 1 == n or doc[end + 1].is_sent_start):
            nxt = nxt[:-1]  # "Llama 2 7B." ends a sentence in one token
        if nxt in _JOINERS and end + 1 < n and not doc[end - 1].whitespace_ and not doc[end].whitespace_:
            part = doc[end + 1].text  # "ViT-g/14", "Llama-2-7B", "Cityscapes-C"
            if (_HYPHEN_PART[etype].match(part) and not (etype == DATASET and _YEAR.match(part))
                    or etype == DATASET and re.match(dataset_cues()["variant_suffix"], "x-" + part)):
                end += 2
                continue
            break
        after = doc[end + 1].lower_ if end + 1 < n else ""
        if etype == METHOD and (_SIZE.match(nxt) or _VERSION_DIGIT.match(nxt) and after not in _NOT_VERSION_AFTER):
            end += 1
        elif etype == DATASET and (_YEAR.match(nxt) or re.match(r"^[vV]\d+(?:\.\d+)*$", nxt)
                                   or nxt in dataset_cues()["name_tails"]
                                   or re.match(r"^\d{3,4}$", nxt) and after not in _NOT_VERSION_AFTER):
            end += 1
        else:
            break
    return end

