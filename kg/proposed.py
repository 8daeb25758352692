"""Techniques a paper names in plain words where it proposes them.

Shape rules find coined names ("HorNet", "QLoRA"); a technique named in plain, often lower-case,
words ("we propose vector-quantized knowledge distillation", "a training scheme, named ensemble
bootstrapping", "classifier guidance: a simple method for ...") is found here, from where the
authors propose it (``kg/patterns/proposed_names.json``):

* a bare noun phrase after a proposal verb whose subject is the authors ("we propose X",
  "this paper presents X"), and one joined to it by "and";
* a noun phrase after a naming word ("named X", "we call our approach X");
* a bare noun phrase apposed to "a / an ... method / technique / loss ..." in a sentence where
  the authors speak ("X: a simple method for ...", "X, a lightweight alternative to ...");
* a noun phrase after "a / an" and a proposal verb, when the abstract repeats its words later
  ("we introduce a quality-driven contrastive loss ... the quality-driven contrastive loss"): the
  words repeated are the name.

A phrase is a name only when one of its words is not generic (``generic``: "a simple framework"
is not a name) and the whole is no generic family (``not_entities.txt``). The names found are
mentions of rule ``ctx_proposed``: the paper introduces them.
"""
from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
from spacy.attrs import LOWER
from spacy.strings import hash_string
from spacy.tokens import Doc, Span

from .entities import DATASET, METHOD, Mention, is_stopped
from .nlp import doc_text
from .patterns import read_json

RULE = "ctx_proposed"
#: the rule of a later mention of a name proposed in plain words
REPEAT_RULE = "proposed_repeat"
#: tags of the words a noun phrase is made of; its last word is a noun
_NP_TAGS = frozenset({"NN", "NNS", "NNP", "NNPS", "JJ", "JJR", "VBN", "VBG", "HYPH", "CD", "FW", "ADD", "XX"})
_NOUN_TAGS = frozenset({"NN", "NNS", "NNP", "NNPS", "VBG", "FW"})


@lru_cache(maxsize=None)
def words() -> dict:
    data = read_json("proposed_names.json")
    return {k: frozenset(w.lower() for w in v) for k, v in data.items() if k != "examples"}


#: the word lists whose words start one of proposed_names' readings
_TRIGGERS = ("verbs", "naming", "call_verbs", "definition_nouns", "enumerators")


@lru_cache(maxsize=None)
def _hashes(*lists: str) -> np.ndarray:
    """The spaCy LOWER hashes of the words of the named ``words()`` lists, to find them in a Doc's array."""
    return np.array(sorted({hash_string(x) for k in lists for x in words()[k]}), dtype=np.uint64)


def proposed_names(doc: Doc) -> list:
    """Mentions of the techniques ``doc`` proposes in plain words (:func:`merge_mentions` adds those
    no other mention overlaps; a mention inside one is replaced)."""
    w = words()
    lowers = doc.to_array(LOWER)
    if not np.isin(lowers, _hashes("verbs", "naming", "call_verbs", "definition_nouns")).any():
        return []
    spans = []
    named = set()  # spans a naming verb gives: one capitalised word is a name there ("we name Guanaco")
    for i in np.flatnonzero(np.isin(lowers, _hashes(*_TRIGGERS))).tolist():  # only the words a branch reads
        tok = doc[i]
        low = tok.lower_
        if low in w["verbs"] and tok.tag_.startswith("VB") and _authors_subject(tok):
            first = _run_after(doc, tok.i + 1)
            if first is None:
                continue
            if doc[tok.i + 1].lower_ in {"a", "an"}:
                spans.extend(_repeated(doc, first))
            elif doc[tok.i + 1].tag_ not in {"DT", "PRP$", "CD"}:
                # a plural is a description ("learnable biases"), unless an acronym is defined for it
                runs = [first, *_joined(doc, first)]
                if len(runs) > 1 and runs[-1].end < len(doc) and doc[runs[-1].end].text == "(":
                    continue  # "Colors See, Colors Ignore (CSCI)": one name, the acronym's
                spans.extend(s for s in runs if s.root.tag_ != "NNS" or s.end < len(doc) and doc[s.end].text == "(")
        elif low in w["naming"] and tok.i > 1 and _authors_speak(tok.sent) and doc[tok.i - 1].text != "-":
            before = doc[tok.i - 2] if doc[tok.i - 1].text == "," else doc[tok.i - 1]
            run = _run_after(doc, tok.i + 1, bare=True)
            if run is not None and before.lower_ not in w["not_kinds"]:
                spans.append(run)
        elif low in w["call_verbs"] and tok.tag_.startswith("VB") and any(c.lower_ == "we" for c in tok.children):
            i = tok.i + 1
            while i < len(doc) and doc[i].lower_ in w["call_objects"]:
                i += 1
            # "our best model family, which we name Guanaco" (not "a research direction, which we name ...")
            relative = tok.i > 1 and doc[tok.i - 2].lower_ in {"which", "that"} and not any(
                t.lower_ in w["not_kinds"] for t in doc[max(tok.i - 5, 0):tok.i - 2])
            if (i > tok.i + 1 or relative) and doc[i - 1].lower_ not in w["not_kinds"]:
                run = _run_after(doc, i, bare=True)
                if run is not None and (len(run) > 1 or run[0].is_title or _defined_after(run)):
                    named.add((run.start, run.end))
                    spans.append(run)
        elif low in w["definition_nouns"] and tok.tag_ == "NN":
            spans.extend(_defined(doc, tok))
        elif low in w["enumerators"] and tok.i > 0 and doc[tok.i - 1].text == "(" and _enumerates(tok.sent):
            spans.extend(_item(doc, tok.i + 2 if tok.i + 1 < len(doc) and doc[tok.i + 1].text == ")" else tok.i + 1))
    out, seen = [], set()
    for span in spans:
        if span is None or (span.start, span.end) in seen or _described_then_named(span) \
                or not (_is_name(span) or (span.start, span.end) in named and span[0].is_title):
            continue
        seen.add((span.start, span.end))
        # proposed as a technique: a method, unless named as data ("UniMM-Chat dataset")
        etype, why = (DATASET, "name_word") if span[-1].lower_ in w["data_nouns"] else (METHOD, "proposed")
        if len(span) > 1 and span[-1].lower_ in w["kind_suffixes"] and span[-2].text[:1].isupper():
            span = span[:-1]  # "Muffin framework" names Muffin
        out.append(Mention(span.start, span.end, span.text, etype, RULE, "", why))
    return out


def with_repeats(doc: Doc, mentions: list) -> list:
    """``mentions`` with the later mentions of each name proposed in plain words ("Using our proposed
    efficient additive attention, we build ..."): the same words, as whole words, where no other
    mention stands, after the place the name was proposed (rule ``REPEAT_RULE``)."""
    mentions = _whole_names(doc, mentions)
    plain = [m for m in mentions if m.rule == RULE and m.text[:1].islower() and (" " in m.text or "-" in m.text)]
    if not plain:
        return mentions
    taken = {i for m in mentions for i in range(m.start, m.end)}
    out = []
    for m in plain:
        for span in written_at(doc, m.text.lower(), doc[m.end - 1].idx, lower=True):
            if taken.isdisjoint(range(span.start, span.end)):
                out.append(Mention(span.start, span.end, span.text, m.type, REPEAT_RULE, "", "repeated"))
                taken.update(range(span.start, span.end))
    return sorted(mentions + out, key=lambda m: (m.start, m.end))


def _whole_names(doc: Doc, mentions: list) -> list:
    """``mentions`` where a name of several words in capitals is written again whole ("Mask DINO"), but
    found there only in part ("DINO"): the part gives way to the whole name."""
    names = {m.text: m for m in mentions if m.type == METHOD and " " in m.text and m.text[:1].isupper()}
    if not names:
        return mentions
    out = list(mentions)
    for name, m in names.items():
        for span in written_at(doc, name, doc[m.end - 1].idx):
            inside = [x for x in out if span.start <= x.start and x.end <= span.end]
            crossing = [x for x in out if x.start < span.end and span.start < x.end and x not in inside]
            if inside and not crossing and all((x.start, x.end) != (span.start, span.end) for x in inside):
                out = [x for x in out if x not in inside]
                out.append(Mention(span.start, span.end, span.text, m.type, REPEAT_RULE, "", "repeated"))
    return sorted(out, key=lambda x: (x.start, x.end))


def written_at(doc: Doc, key: str, start: int = 0, lower: bool = False):
    """The spans of ``doc`` where ``key`` is written as whole words (whole tokens, no letter or digit
    glued on either side: "attentions" is no mention of "attention"), from character ``start`` on;
    the text is lower-cased first when ``lower``."""
    text = doc_text(doc).lower() if lower else doc_text(doc)
    at = text.find(key, start)
    while at >= 0:
        end = at + len(key)
        span = doc.char_span(at, end)
        if span is not None and (at == 0 or not text[at - 1].isalnum()) and not text[end:end + 1].isalnum():
            yield span
        at = text.find(key, end)


def merge_mentions(mentions: list, found: list) -> list:
    """``mentions`` with the names of ``found`` added where they overlap none; a name in capitals
    ("Mixed Barlow Twins") takes the place of a mention inside it ("Barlow Twins"), one in plain
    words ("datasets CIFAR10-B", "Chameleon dataset") gives way to it."""
    kept = list(mentions)
    for f in found:
        inside = [m for m in kept if f.start <= m.start and m.end <= f.end]
        crossing = [m for m in kept if m.start < f.end and f.start < m.end and m not in inside]
        if crossing or any((m.start, m.end) == (f.start, f.end) for m in inside) or inside and not all(x[:1].isupper() or x[:1].isdigit() for x in f.text.split()):
            continue
        kept = [m for m in kept if m not in inside] + [f]
    return sorted(kept, key=lambda m: (m.start, m.end))


def _authors_subject(verb) -> bool:
    """The verb's subject (or that of the verb it is coordinated with or subordinate to) is "we" or
    "this paper / work"."""
    w = words()
    tok = verb
    for _ in range(3):
        for c in tok.children:
            if c.dep_ in {"nsubj", "nsubjpass"}:
                if c.lower_ in w["subjects"]:
                    return True
                if c.lower_ in w["subject_nouns"] and any(d.lower_ in {"this", "our"} for d in c.children):
                    return True
                return False
        # "we design X to process Y, and propose Z": through a coordinated or subordinate verb
        if tok.dep_ not in {"conj", "advcl", "xcomp"} or tok.head is tok:
            return False
        tok = tok.head
    return False


def _enumerates(sent) -> bool:
    """A sentence listing what the paper contributes: a proposal verb, or a word such as "innovations"."""
    w = words()
    return any(t.lower_ in w["verbs"] or t.lower_ in w["contribution_words"] for t in sent)


def _item(doc: Doc, start: int) -> list:
    """The bare noun phrase an enumerated item starts with, where the item says what it is for or
    what it is ("(b) double quantization to reduce ...", "(a) X, a new data type"); not a clause
    ("(1) weight decay can be weakened") or a title ("(1) Task A: ...")."""
    if start >= len(doc) or doc[start].tag_ in {"DT", "PRP$", "PRP", "CD"}:
        return []
    run = _run_after(doc, start, bare=True)
    if run is None or run.end + 1 >= len(doc) or any(t.lower_ in words()["not_kinds"] for t in run):
        return []
    after, then = doc[run.end], doc[run.end + 1]
    if after.lower_ == "to" and then.tag_ == "VB" or _defined_after(run) or after.text == "(":
        return [run]
    return []


def _authors_speak(sent) -> bool:
    return any(t.lower_ in {"we", "our"} or t.lower_ in words()["subject_nouns"] for t in sent)


def _word_spans(doc: Doc, start: int) -> tuple:
    """(start, end) token ranges of the whitespace-delimited words from ``start`` on, while they are
    noun-phrase words ("vector-quantized" is one word of three tokens), and the word that ended them."""
    out = []
    i = start
    stop = words()["stop_words"]
    while i < len(doc) and len(out) < 7:
        j = i
        while j < len(doc) - 1 and not doc[j].whitespace_ and (doc[j + 1].tag_ == "HYPH" or doc[j].tag_ == "HYPH"
                                                               or doc[j + 1].text in {"-", "/"}):
            j += 1
        toks = doc[i:j + 1]
        word = toks.text.lower()
        if (word in stop or word.rsplit("-", 1)[-1] in stop or toks[0].is_punct
                or not all(t.tag_ in _NP_TAGS or t.text in {"-", "/"} or t.is_alpha and t.tag_ in {"IN", "RB"} and j > i
                           or t.tag_ == "VBD" and t.dep_ == "amod"  # "paged optimizers", tagged as a verb
                           for t in toks)):
            return out, word
        out.append((i, j + 1))
        i = j + 1
    return out, ""


def _run_after(doc: Doc, start: int, bare: bool = False) -> Span | None:
    """The noun phrase that starts at ``start`` (after "a / an" and words such as "novel"), ending
    with a noun; None when there is none, or when it is a description ("a meta-learning based
    approach", "several new architectures", "learning X")."""
    w = words()
    if start < len(doc) and doc[start].lower_ in {"a", "an"} and not bare:
        start += 1
    while start < len(doc) and doc[start].lower_ in w["skip_words"]:
        start += 1
    runs, ended = _word_spans(doc, start)
    if ended == "based" or ended.endswith("-based"):
        return None
    while runs and doc[runs[-1][1] - 1].tag_ not in _NOUN_TAGS:
        runs.pop()
    if not runs:
        return None
    span = doc[runs[0][0]:runs[-1][1]]
    if span[0].lower_ in w["quantifiers"] or span[0].tag_ == "VBG" and span[0].is_lower:
        return None
    return span


def _joined(doc: Doc, first: Span) -> list:
    """Bare noun phrases joined to ``first`` by "and" or a comma ("we propose A and B")."""
    out = []
    i = first.end
    while i + 1 < len(doc) and doc[i].lower_ in {"and", ","}:
        j = i + 1
        if doc[j].lower_ == "and":
            j += 1
        if j >= len(doc) or doc[j].tag_ in {"DT", "PRP$", "CD"} or doc[j].tag_.startswith("VB") and doc[j].tag_ not in {"VBG", "VBN"}:
            break
        run = _run_after(doc, j, bare=True)
        if run is None:
            break
        out.append(run)
        i = run.end
    return out


def _defined(doc: Doc, noun) -> list:
    """"X: a simple method for ...", "X, a lightweight alternative to ...": the bare X before the
    noun's "a / an" and a comma or colon, in a sentence where the authors speak."""
    sent = noun.sent
    if not _authors_speak(sent):
        return []
    i = noun.i - 1
    while i > sent.start and (doc[i].tag_ in {"JJ", "JJR", "JJS", "RB", "HYPH", "VBN", "NN"} or doc[i].text == ","):
        i -= 1
    if doc[i].lower_ not in {"a", "an"} or i - 1 <= sent.start or doc[i - 1].text not in {",", ":"}:
        return []
    end = i - 1
    start = end
    while start > sent.start and (doc[start - 1].tag_ in _NP_TAGS and doc[start - 1].tag_ != "CD"
                                  and not doc[start - 1].is_punct
                                  or doc[start - 1].text in {"-", "/"} and not doc[start - 1].whitespace_):
        start -= 1
    if start == end or start > sent.start and doc[start - 1].tag_ in {"DT", "PRP$"}:
        return []  # "the prefix, a ...", "our method, a ..."
    span = doc[start:end]
    if span[0].lower_ in words()["skip_words"] or span[-1].tag_ not in _NOUN_TAGS \
            or span[0].tag_ == "VBG" and span[0].is_lower:
        return []  # "by adapting Treemaps, a well-known technique"
    return [span]


def _repeated(doc: Doc, first: Span) -> list:
    """The longest run of at least two of ``first``'s words that the abstract repeats after its
    sentence ("our proposed efficient additive attention" of "a novel efficient additive attention
    mechanism"): the name those words make."""
    toks = [t.lower_ for t in first]
    generic = words()["generic"]
    later = doc[first.sent.end:]
    if not len(later):
        return []
    text = " " + " ".join(t.lower_ for t in later) + " "
    for n in range(len(toks), 1, -1):
        for a in range(0, len(toks) - n + 1):
            part = first[a:a + n]
            if part[-1].tag_ not in _NOUN_TAGS or part[0].is_punct or part[-1].is_punct:
                continue
            rest = toks[a + n:]  # the name ends the phrase, or stops before its generic head noun
            if rest and not (len(rest) == 1 and rest[0] in generic):
                continue
            if " %s " % " ".join(toks[a:a + n]) in text and len(_plain_words(part)) >= 2:
                return [part]
    return []


def _described_then_named(span: Span) -> bool:
    """The phrase describes what a naming word then names: "a combined scaling method - named
    BASIC -" names BASIC, not "combined scaling"."""
    doc, i = span.doc, span.end
    while i < len(doc) and i < span.end + 3 and (doc[i].lower_ in words()["generic"] or doc[i].text in {"-", "–", ",", "("}):
        i += 1
    return i < len(doc) and doc[i].lower_ in words()["naming"] and i + 1 < len(doc) and not doc[i + 1].is_lower


def _plain_words(span: Span) -> list:
    return [x for x in re.split(r"\s+", span.text.lower()) if x]


def _is_name(span: Span) -> bool:
    """A phrase is a name when a word of it is not generic and it is not a generic family; a coined
    hyphenated word that the sentence defines ("contrastive-tuning, a simple method ...") is one too."""
    generic = words()["generic"]
    ws = _plain_words(span)
    if not ws or is_stopped(span.text):
        return False
    if len(ws) == 1 and "-" not in ws[0] or ws[-1] in words()["concept_heads"]:
        return False
    if len(span) > 1 and not span[-1].is_lower and is_stopped(span[-1].text) and span[:-1].text.islower():
        return False  # a generic family with plain words before it: "weight-sharing NAS", "generative AI"
    if len(ws) == 1 and ws[0] not in generic and _defined_after(span):
        return True
    return any(x not in generic and not all(p in generic for p in re.split(r"[-/]", x) if p) for x in ws)


def _defined_after(span: Span) -> bool:
    """The span is followed by its definition: ", a ..." or ": a ..."."""
    doc = span.doc
    return span.end + 1 < len(doc) and doc[span.end].text in {",", ":"} and doc[span.end + 1].lower_ in {"a", "an"}
