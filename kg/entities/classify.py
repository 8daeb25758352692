"""Typing a name (method or dataset) by cue, shape and lexicon; list shorthand; lists share a type."""
from __future__ import annotations

import re
from functools import lru_cache

from spacy.tokens import Doc, Span

from ..resolve import canonical_key
from .data import (DATASET, METHOD, REPOSITORY, Mention, dataset_cues, in_dataset_lexicon,
                   proposal_words)
from .lexicon import GENERATED, known_source, known_type

#: signals strong enough to outvote a paper's other mentions of the same name
STRONG = {"cue_after", "shape", "lexicon", "name_word", "cue_method_after", "lexicon_method", "cue_described",
          "lexicon_generated", "cue_such_as"}
#: a strong signal that a list's other members may still overrule: a catalogue's name is often
#: another thing's too ("such as LLaVA and Chameleon": the model, not the graph dataset)
_CATALOGUE = "lexicon_generated"


def classify(span: Span) -> tuple[str, str]:
    """Method or dataset, with the signal that decided it (see ``dataset_cues.json``)."""
    cues = dataset_cues()
    text = span.text
    doc = span.doc
    words = {w.lower() for w in re.split(r"[\s\-]+", text)}
    first = re.split(r"[\s\-]+", text)[0].lower()
    if words & cues["name_words"] and len(words) > 1 and not (first in cues["name_words"] and len(words) > 2):
        return DATASET, "name_word"  # "NATS-Bench", "Visual Task Adaptation Benchmark", not "Dataset Distillation with ..."
    nxt = doc[span.end].lower_ if span.end < len(doc) else ""
    nxt2 = doc[span.end + 1].lower_ if span.end + 1 < len(doc) else ""
    # "COCO train", "GLUE and test sets"; not "from RoBERTa and train on SQuAD" (a verb after the conjunction)
    if nxt in cues["after"] or (nxt in {"-", "and", ","} and nxt2 in cues["after"]
                                and not doc[span.end + 1].tag_.startswith("VB")):
        return DATASET, "cue_after"
    if nxt in cues["method_after"]:
        return METHOD, "cue_method_after"
    listed = _listed_as(span, cues)
    if listed is not None:
        return listed, "cue_such_as"
    if re.search(cues["shape"], text):
        return DATASET, "shape"
    if in_dataset_lexicon(text):
        return DATASET, "lexicon"
    known = known_type(text)
    if known is not None:
        if known_source(text) == GENERATED:
            return known, _CATALOGUE
        return known, "lexicon" if known == DATASET else "lexicon_method"
    base = text
    for _ in range(2):  # a known name with its size or version: "BERT-large", "Llama-2-7B"
        base = re.sub(r"[-\s][^-\s]+$", "", base)
        known = known_type(base) if base != text and len(base) > 1 else None
        if known is not None:
            return known, "lexicon" if known == DATASET else "lexicon_method"
    variant = re.match(cues["variant_suffix"], text)
    base = variant and next(g for g in variant.groups() if g)
    if variant and (in_dataset_lexicon(base) or known_type(base) == DATASET):
        return DATASET, "lexicon"  # "Cityscapes-C", "ImageNet-Sketch"
    # "we create SPRIGHT, the first large scale dataset": a dataset word in apposition
    root = span.root
    if root.head.lower_ in proposal_words()["naming_words"] and root.head.head.lower_ in cues["after"]:
        return DATASET, "cue_named"  # "a large-scale dataset, termed NWPU-RESISC45"
    first = root  # "2 test benchmarks (Cola and CREPE)": a list's later member is apposed through the first
    while first.dep_ == "conj" and first.head is not first:
        first = first.head
    appos = [t for t in root.children if t.dep_ == "appos"] + ([first.head] if first.dep_ == "appos" else [])
    if any(t.lower_ in cues["after"] and t.tag_.startswith("NN") for t in appos):
        return DATASET, "cue_appos"
    what = _described_as(span, cues)
    if what is not None:
        return what, "cue_described"
    # "trained / evaluated / experiments on X": the head of the preposition says it
    prev = doc[span.start - 1] if span.start > 0 else None
    if prev is not None and prev.lower_ == "for" and prev.head.lower_ in _RESULT_HEADS:
        return DATASET, "cue_on"  # "7.06 mAP for NuImages"
    if prev is not None and prev.lower_ in {"on", "in", "across"}:
        head = prev.head
        if head.lower_ in cues["on_heads"] or head.head.lower_ in cues["on_heads"]:
            return DATASET, "cue_on"
    return METHOD, "default"


_DATA_NOUN = frozenset({"dataset", "benchmark", "corpus", "database"})
_DATA_NOUNS = _DATA_NOUN | {"datasets", "benchmarks", "corpora"}
#: what "for X" hangs on when X is where a result was measured
_RESULT_HEADS = frozenset({"%", "map", "ap", "miou", "accuracy", "accuracies", "error", "top-1", "bleu", "f1"})
_NAMING = frozenset({"called", "named", "dubbed", "termed", "coined", "as", "call", "name"})
_NP_TAGS = frozenset({"DT", "JJ", "JJR", "JJS", "RB", "RBS", "VBN", "HYPH", ",", "CD", "NN", "NNS", "NNP"})


def dataset_name_word(name: str) -> bool:
    """A name of several words with a dataset's word after its first ("CNN Filter DB", "NATS-Bench").

    >>> dataset_name_word("CNN Filter DB"), dataset_name_word("Dataset Distillation"), dataset_name_word("DBNet")
    (True, False, False)
    """
    words = [w.lower() for w in re.split(r"[\s\-]+", name) if w]
    return len(words) > 1 and bool(set(words[1:]) & dataset_cues()["name_words"])


def _described_as(span: Span, cues: dict) -> str | None:
    """The type the words around a name give it: the noun of an apposition ("SPRIGHT, the first
    large scale dataset"), a data noun just before it ("the dataset DFN-2B"), or the nearest
    dataset or model noun before a naming word ("a point cloud dataset is derived, called MVPNet")."""
    doc = span.doc
    end = span.end
    if end + 1 < len(doc) and doc[end].text == ",":
        for j in range(end + 1, min(len(doc), end + 10)):
            tok = doc[j]
            if tok.tag_ not in _NP_TAGS:
                break
            if tok.tag_.startswith("NN") and not (j + 1 < len(doc) and doc[j + 1].tag_.startswith("NN")):
                if tok.lower_ in _DATA_NOUNS:
                    return DATASET
                break  # the apposition's head noun is another word
    start = span.start
    if (start > 1 and doc[start - 1].text == "," and doc[start - 2].lower_ in _DATA_NOUN
            and end < len(doc) and doc[end].text == ","):
        return DATASET  # "the first dataset, Kenya104K, ..." (not "On the X dataset, Y achieves")
    if start and doc[start - 1].lower_ in _DATA_NOUN:
        return DATASET
    if start > 1 and doc[start - 1].text == ":" and doc[start - 2].lower_ in _DATA_NOUNS:
        return DATASET  # "three new benchmarks: HiAML, Inception and Two-Path"
    named = start and doc[start - 1].lower_ in _NAMING and (doc[start - 1].lower_ != "as" or start > 1
                                                           and doc[start - 2].lower_ in _NAMING)
    if named:  # "which we name as DIOR", not "such as SPINN"
        for j in range(start - 2, max(span.sent.start, start - 16) - 1, -1):
            tok = doc[j]  # the nearest noun heading a phrase, not inside a prepositional one
            if tok.tag_.startswith("NN") and tok.dep_ != "pobj" and not doc[j + 1].tag_.startswith("NN"):
                return DATASET if tok.lower_ in _DATA_NOUNS else None
    return None


def _listed_as(span: Span, cues: dict) -> str | None:
    """The kind a list names its members as: "models ... such as LLaVA and Chameleon",
    "datasets including X and Y" (the noun the list hangs on, or the noun that one is of)."""
    tok = span.root
    while tok.dep_ in {"conj", "appos"} and tok.head is not tok:
        tok = tok.head
    prep = tok.head
    if tok.dep_ != "pobj" or not (prep.lower_ in {"including", "like"} or prep.lower_ == "as" and prep.i
                                  and prep.doc[prep.i - 1].lower_ == "such"):
        return None
    head = prep.head
    for _ in range(3):
        if head.lower_ in _DATA_NOUNS:
            return DATASET
        if head.lower_ in cues["method_after"]:
            return METHOD
        if head.tag_.startswith("VB") or head.head is head:
            return None
        head = head.head
    return None


def expand_name(name: str) -> list:
    """Slash and list shorthand: one name per thing named.

    >>> expand_name("CIFAR-10/100"), expand_name("CIFAR10/100-C"), expand_name("ImageNet-C/R/A")
    (['CIFAR-10', 'CIFAR-100'], ['CIFAR10-C', 'CIFAR100-C'], ['ImageNet-C', 'ImageNet-R', 'ImageNet-A'])
    >>> expand_name("ViT-B/16"), expand_name("SQuAD v1.1/v2.0"), expand_name("ImageNet-1K/21K")
    (['ViT-B/16'], ['SQuAD v1.1', 'SQuAD v2.0'], ['ImageNet-1K', 'ImageNet-21K'])
    """
    m = re.match(r"^(.*?[A-Za-z\-])(\d+)((?:/\d+)+)(.*)$", name) or re.match(r"^(.*?-)(\d+[KkM])((?:/\d+[KkM])+)()$", name)
    if m:
        nums = [m.group(2)] + m.group(3).split("/")[1:]
        return [m.group(1) + n + m.group(4) for n in nums]
    m = re.match(r"^(.*-)([A-Z])((?:/[A-Z])+)$", name)
    if m and len(m.group(1)) > 2:
        return [m.group(1) + x for x in [m.group(2)] + m.group(3).split("/")[1:]]
    m = re.match(r"^(.*\s)(v\d+(?:\.\d+)*)((?:/v\d+(?:\.\d+)*)+)$", name)
    if m:
        return [m.group(1) + x for x in [m.group(2)] + m.group(3).split("/")[1:]]
    return [name]


def coordination_group(tok) -> list:
    """Every token coordinated with ``tok`` ("A, B and C"), ``tok`` included."""
    first = tok
    while first.dep_ in {"conj", "appos"} and first.head is not first:
        first = first.head  # "on CIFAR-10/100, UrbanCars and ...": an apposition is a list's member too
    group, stack = [], [first]
    while stack:
        t = stack.pop()
        group.append(t)
        stack.extend(c for c in t.children if c.dep_ in {"conj", "appos"})
    return group


def harmonise_lists(doc: Doc, mentions: list) -> list:
    """Names coordinated in one list share a type: "Cityscapes, ACDC, and NYUv2 datasets".

    A mention typed only by default takes the type that the strong signals of its list
    agree on.
    """
    by_tok = {i: k for k, m in enumerate(mentions) for i in range(m.start, m.end)}
    out = list(mentions)
    for k, m in enumerate(mentions):
        if m.signal in STRONG and m.signal != _CATALOGUE or m.type == REPOSITORY:
            continue
        root = doc[m.start:m.end].root
        others = {by_tok[t.i] for t in coordination_group(root) if t.i in by_tok and by_tok[t.i] != k}
        strong = {mentions[j].type for j in others if mentions[j].signal in STRONG - {_CATALOGUE}}
        if not strong and m.signal != _CATALOGUE:  # else what context says of the others ("on BUSI, GlaS, ...")
            strong = {mentions[j].type for j in others if mentions[j].signal not in {"default", "list"}}
        if len(strong) == 1 and m.type not in strong:
            out[k] = Mention(m.start, m.end, m.text, strong.pop(), m.rule, m.long_form, "list")
    return out



def in_proposal(span: Span) -> bool:
    """A span inside a sentence where the authors name their own contribution."""
    words = {t.lower_ for t in span.sent}
    return not words.isdisjoint(proposal_words()["verbs"]) and not words.isdisjoint(proposal_words()["authors"])

