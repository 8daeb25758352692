"""Lineage read across sentences of one paper, once its own method is known.

* :func:`antecedent_bases` - "We present the Recursive Gated Convolution (g^nConv) ... Based on the
  operation, we construct ... HorNet": a sentence opened by "Based on / Building upon / With" and a
  phrase that points back ("the operation", "this module", "the shared backbone") builds the
  paper's method on the component the paper introduced and named in the sentence before.
  The wording is data: ``kg/patterns/lineage.json``.
* :func:`resulting_bases` - "We apply it to ResNet-50 ... We name the resulting network family
  PokeBNN", "We fine-tune Llama 2 on ... We call the resulting model X": the making sentence before
  the one naming "the resulting" model gives its bases, with the derivation the verb states.
* :func:`name_base_sentence` - the evidence for a base read from the method's name ("TinyCLIP"
  of CLIP): the first sentence naming both, else the first naming the method (where it is introduced).
"""
from __future__ import annotations

import dataclasses
import re

from spacy.tokens import Doc

from .entities import METHOD, Mention, is_stopped
from .paper_method import name_bases
from .patterns import read_json
from .proposed import words, written_at
from .relations import Relation, in_title
from .resolve import canonical_key

#: a title's technique in capitals before "-based": "Microbial Genetic Algorithm-based Black-box Attack ..."
_TITLE_BASED = re.compile(r"(?:^|:\s+)((?:[A-Z][a-z]+\s){1,4}[A-Z][a-z]+)-[Bb]ased\b")
TITLE_BASED_RULE = "title_based"

RULE = "based_on_antecedent"


def _words() -> dict:
    data = read_json("lineage.json")
    return {"openers": [tuple(o) for o in data["openers"]], "determiners": frozenset(data["determiners"]),
            "nouns": frozenset(data["component_nouns"]), "subjects": frozenset(data["subjects"])}


def _points_back(sent, words) -> bool:
    """Whether the sentence opens with an opener, a pointing phrase without a name, a comma and "we"."""
    toks = list(sent)
    lowers = [t.lower_ for t in toks]
    opener = next((o for o in words["openers"] if tuple(lowers[:len(o)]) == o), None)
    if opener is None:
        return False
    rest = toks[len(opener):]
    comma = next((i for i, t in enumerate(rest[:7]) if t.text == ","), None)
    if comma is None or comma < 2 or comma + 1 >= len(rest):
        return False
    phrase = rest[:comma]
    return (phrase[0].lower_ in words["determiners"] and phrase[-1].lower_ in words["nouns"]
            and not any(t.ent_type_ for t in phrase) and rest[comma + 1].lower_ in words["subjects"])


def antecedent_bases(doc: Doc, names: dict, main: str, introduced: set) -> list:
    """(component name, sentence) pairs: the paper's method ``main`` is built on a component it
    introduced (``introduced``: canonical keys of the names the paper introduces) and named in the
    sentence before one that points back to it."""
    words = _words()
    sents = list(doc.sents)
    main_key = canonical_key(main)
    out = []
    for prev, sent in zip(sents, sents[1:]):
        if not _points_back(sent, words):
            continue
        part = _last_introduced(prev, names, main_key, introduced)
        if part is not None:
            out.append((names[part.i][0], sent))
    return out


def name_base_sentence(doc: Doc, names: dict, main: str, base: str, fallback):
    """The evidence for "``main`` is based on ``base``" read from the name: the first sentence that
    names both as methods, else the first naming ``main`` (where it is introduced), else ``fallback``."""
    main_key, base_key = canonical_key(main), canonical_key(base)
    first_main = None
    for sent in doc.sents:
        keys = {canonical_key(n) for t in sent if t.i in names and t.ent_type_ == "method" for n in names[t.i]}
        if main_key in keys:
            if base_key in keys:
                return sent
            first_main = first_main or sent
    return first_main if first_main is not None else fallback


MAKING_RULE = "based_on_resulting"


def resulting_bases(doc: Doc, names: dict, main: str, introduced: set) -> list:
    """(base name, evidence span, derivation) triples: "We apply it to ResNet-50 ... We name the
    resulting network family PokeBNN" - a sentence naming "the resulting" model ``main`` after one
    where the authors made it (``making_verbs``): the named objects of the making verb and of its
    "to / on" phrase, and "it" / "this" standing for the component the paper introduced just before."""
    data = read_json("lineage.json")
    verbs, naming = data["making_verbs"], frozenset(data["naming_verbs"])
    sents = list(doc.sents)
    main_key = canonical_key(main)
    out = []
    for k in range(1, len(sents)):
        prev, sent = sents[k - 1], sents[k]
        if not any(t.lower_ == "resulting" for t in sent) or not any(t.lower_ in naming for t in sent) \
                or main_key not in {canonical_key(n) for t in sent if t.i in names for n in names[t.i]}:
            continue
        for verb in (t for t in prev if t.lower_ in verbs and any(c.lower_ == "we" for c in t.children)):
            objs = [c for c in verb.children if c.dep_ in {"dobj", "npadvmod"}]  # "we fine-tune Llama 2" (npadvmod)
            objs += [g for c in verb.children if c.dep_ == "prep" and c.lower_ in {"to", "on"} for g in c.children
                     if g.dep_ == "pobj"]
            for obj in objs:
                first = prev  # the evidence runs from the sentence naming the base to the naming one
                if obj.lower_ in {"it", "this"} and k >= 2:
                    first, obj = sents[k - 2], _last_introduced(sents[k - 2], names, main_key, introduced)
                if obj is not None and obj.i in names and obj.ent_type_ == "method":
                    out.append((names[obj.i][0], doc[first.start:sent.end], verbs[verb.lower_]))
    return out


def _last_introduced(sent, names: dict, main_key: str, introduced: set):
    """The last method of a sentence that the paper introduces, other than its own method."""
    parts = [t for t in sent if t.i in names and t.ent_type_ == "method"
             and any(canonical_key(n) in introduced for n in names[t.i])
             and not any(canonical_key(n).startswith(main_key) for n in names[t.i])]
    return parts[-1] if parts else None


COMPONENT_RULE = "based_on_component"


def component_bases(doc: Doc, names: dict, main: str, introduced: set) -> list:
    """(part name, sentence) pairs: "we present TiC ... with MSA-Conv", "We build ZephyrNet by
    incorporating ZephyrConv": a sentence naming the paper's method ``main`` and a part the paper
    introduces (``introduced``: canonical keys) as the object of a linking preposition or verb
    (``component_links``), not a comparison ("compared with")."""
    data = read_json("lineage.json")
    preps, verbs = frozenset(data["component_links"]["prepositions"]), frozenset(data["component_links"]["verbs"])
    not_after = frozenset(data["not_after"])
    main_key = canonical_key(main)
    if not introduced - {main_key}:
        return []
    by_sent = {}  # the named methods of each sentence, from the entity tokens (not every token)
    for i in sorted(names):
        if doc[i].ent_type_ == "method":
            by_sent.setdefault(doc[i].sent.start, []).append(doc[i])
    out = []
    for methods in by_sent.values():
        sent = methods[0].sent
        if len(methods) < 2 or not any(canonical_key(n) == main_key for t in methods for n in names[t.i]):
            continue
        for part in methods:
            keys = {canonical_key(n) for n in names[part.i]}
            if main_key in keys or keys.isdisjoint(introduced) or any(main_key in k or k in main_key for k in keys):
                continue
            link = part.head
            if not (part.dep_ == "pobj" and link.lower_ in preps and link.head.lower_ not in not_after
                    or part.dep_ == "dobj" and link.lower_ in verbs):
                continue
            if any(canonical_key(n) == main_key for t in link.subtree if t.i in names for n in names[t.i]):
                continue  # the method inside the linked phrase: "with MSA-Conv in TiC"
            out.append((names[part.i][0], sent))
    return out


def paper_bases(doc: Doc, names: dict, main: str, found: list, titled: list, entities: list, title: str) -> list:
    """The ``based_on`` relations of the paper's method ``main`` read across sentences (the rules above)
    and from its name (:func:`kg.paper_method.name_bases`), given the relations ``found`` in the
    abstract and ``titled`` in the title."""
    introduced = {canonical_key(r.tail) for r in found if r.relation == "introduces"}
    out = [evidence(main, "based_on", part, sent, RULE, title)  # "Based on the operation, we ..."
           for part, sent in antecedent_bases(doc, names, main, introduced)]
    out += [evidence(main, "based_on", part, sent, COMPONENT_RULE, title)  # "we present X ... with Y"
            for part, sent in component_bases(doc, names, main, introduced)]
    out += [dataclasses.replace(evidence(main, "based_on", base, span, MAKING_RULE, title), derivation=how)
            for base, span, how in resulting_bases(doc, names, main, introduced)]  # "... the resulting model X"
    keys = {canonical_key(e["name"]): e["name"] for e in entities if e["type"] == METHOD}
    base = title_based(title)
    if base and canonical_key(base) in keys and canonical_key(base) != canonical_key(main):
        out.append(evidence(main, "based_on", keys[canonical_key(base)], first_sentence_with(doc, base),
                            TITLE_BASED_RULE, title))
    # a teacher the name repeats is a distillation's, already read ("TinyBERT" of BERT)
    linked = {r.tail for r in found + titled + out if r.head == main and r.relation in ("distills_from", "based_on")}
    for base in [b for b in name_bases(main, entities) if b not in linked]:
        sent = name_base_sentence(doc, names, main, base, first_sentence_with(doc, base))
        out.append(evidence(main, "based_on", base, sent, "name_base", title))
    return out


def evidence(head, relation, tail, sent, rule, title) -> Relation:
    """A relation whose evidence is a sentence of the abstract, or the title when ``sent`` is None."""
    if sent is None:
        return in_title(head, relation, tail, title, rule)
    return Relation(head, relation, tail, sent.start_char, sent.end_char, rule)


def first_sentence_with(doc: Doc, name: str):
    """The first sentence of ``doc`` that names ``name`` (its canonical key in the sentence's), or None."""
    key = canonical_key(name)
    for sent in doc.sents:
        if key and key in canonical_key(sent.text):
            return sent
    return None


def title_based(title: str) -> str | None:
    """The technique a title builds on, written in capitals before "-based", when it is a name: a word
    of it is not generic ("Microbial Genetic Algorithm", not "Large Language Model").

    >>> title_based("Microbial Genetic Algorithm-based Black-box Attack against Interpretable Systems")
    'Microbial Genetic Algorithm'
    >>> title_based("Large Language Model-based Agents"), title_based("Transformer-based Detection")
    (None, None)
    """
    m = _TITLE_BASED.search(title)
    if m is None or is_stopped(m.group(1)) or all(w.lower() in words()["generic"] for w in m.group(1).split()):
        return None
    return m.group(1)


def title_based_mentions(doc: Doc, title: str) -> list:
    """Mentions, in the abstract, of the technique the title builds on (:func:`title_based`), as
    written there ("by employing an effective microbial genetic algorithm")."""
    base = title_based(title)
    if base is None:
        return []
    return [Mention(span.start, span.end, span.text, METHOD, TITLE_BASED_RULE, "", "title")
            for span in written_at(doc, base.lower(), lower=True)]
