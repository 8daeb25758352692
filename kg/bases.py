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

from spacy.tokens import Doc

from .patterns import read_json
from .resolve import canonical_key

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
    out = []
    for sent in doc.sents:
        methods = [t for t in sent if t.i in names and t.ent_type_ == "method"]
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
