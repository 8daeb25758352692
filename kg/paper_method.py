"""The paper's own method, resolved once per paper.

Every self-reference a rule meets ("we", "our method", "the proposed X", "this model", "the
resulting model") is written :data:`kg.relations.MAIN` while a paper is read; once its proposals
are known, :func:`main_method` names the method it introduces and :func:`fill_main` puts that name
in place. The evidence, strongest first:

1. the title's prefix, "X: ...", when it names a method;
2. a naming sentence, "we call / name / dub the resulting model X" (``intro_name_as``), also when it
   follows the sentence that describes the making;
3. "we propose / introduce / present X", "X, a new ..." (the first method the paper introduces);
4. "our X", "X (ours)": a method the authors call theirs;
5. a name defined where the authors describe their contribution ("... called X").

With none of these the paper itself (its title) is the head.
"""
from __future__ import annotations

import dataclasses
import re

from spacy.tokens import Doc

from .clauses import self_references
from .entities import METHOD, known_type
from .proposed import RULE as PLAIN_RULE
from .relations import MAIN
from .resolve import SIZE_LETTERS, canonical_key, is_acronym

#: rules whose ``introduces`` relation names the paper's method outright
NAMING_RULES = ("intro_name_as",)
#: words that add a contribution to the paper's main one
ADDING_WORDS = frozenset({"also", "additionally", "moreover", "furthermore", "besides"})


def main_method(title_method: str | None, found: list, intro_names: list, doc: Doc, names: dict,
                type_of, title: str = "", title_phrase: str | None = None) -> str | None:
    """The name of the method the paper introduces (see the module's docstring), or None.

    ``found``: the relations read so far; ``intro_names``: (name, rule, sentence) triples defined in
    proposal sentences; ``type_of``: a name's entity type in this paper. A technique named in plain
    words (:mod:`kg.proposed`) is the paper's method only where no coined name is, and not where the
    authors add it to something else ("we also propose a stochastic duration predictor").
    ``title_phrase``: a method named by the title's phrase (:func:`title_phrase_method`), the paper's
    method where no proposal sentence names a coined one.
    """
    if title_method:
        return title_method
    plain = {n for n, rule, _ in intro_names if rule == PLAIN_RULE}
    # a technique in plain words heads the paper's results only where the title names it too
    added = {n for n, rule, sent in intro_names
             if rule == PLAIN_RULE and (_adds(sent) or not _in_title(n, title))}
    intros = sorted((r for r in found if r.relation == "introduces" and type_of(r.tail) == METHOD
                     and r.tail not in added), key=lambda r: r.tail in plain)
    named = next((r.tail for r in intros if r.rule in NAMING_RULES), None)
    if named:
        return named
    if intros and intros[0].tail not in plain:
        # a name a naming phrase gives earlier ("we propose a ... approach, namely SiT") comes first
        named_first = min(((sent.start_char, n) for n, rule, sent in intro_names if rule.startswith("ctx_")
                           and n not in plain and type_of(n) == METHOD), default=None)
        if named_first is not None and named_first[0] < intros[0].sent_start:
            return named_first[1]
        return intros[0].tail
    if title_phrase:
        return title_phrase
    ours = _owned(doc, names)
    if ours:
        return ours
    # a naming phrase ("... called X") before an acronym's long form
    ranked = sorted((nr for nr in intro_names if nr[0] not in added), key=lambda nr: (nr[0] in plain, not nr[1].startswith("ctx_")))
    return next((n for n, _, _ in ranked if type_of(n) == METHOD), None)


#: where a title's leading phrase ends ("Vector-quantized Image Modeling with ...") and after which
#: it names how its result is reached ("... Transferability by Grassmann Class Representation")
_TITLE_BREAK = re.compile(r":\s|\s(?:for|with|via|through|by|using|in|on|to|from|towards?|beyond)\s", re.I)
_TITLE_MEANS = re.compile(r"\s(?:via|through|by|using|with)\s", re.I)


def title_phrase_method(title: str, entities: list) -> str | None:
    """A method whose acronym the abstract defines for the title's leading phrase, or for the
    phrase that ends the title after "via / by / through / using / with": the paper's method
    ("Vector-quantized Image Modeling (VIM)" of "Vector-quantized Image Modeling with Improved
    VQGAN"). An acronym the abstract defines for a phrase the title only holds inside a longer
    one ("Randomized Smoothing" of "... via Dual Randomized Smoothing") is not.

    >>> title_phrase_method("Vector-quantized Image Modeling with Improved VQGAN",
    ...                     [{"name": "Vector-quantized Image Modeling", "type": "method", "aliases": ["VIM"]}])
    'Vector-quantized Image Modeling'
    >>> title_phrase_method("Certified Robustness via Dual Randomized Smoothing",
    ...                     [{"name": "Randomized Smoothing", "type": "method", "aliases": ["RS"]}])
    """
    lead = _TITLE_BREAK.split(title, maxsplit=1)[0]
    means = _TITLE_MEANS.split(title)
    phrases = {canonical_key(lead)} | ({canonical_key(means[-1])} if len(means) > 1 else set())
    for e in entities:
        if e["type"] == METHOD and any(is_acronym(a) for a in e["aliases"]) and canonical_key(e["name"]) in phrases:
            return e["name"]
    return None


def _in_title(name: str, title: str) -> bool:
    """The title holds the name (a plural "s" aside): "... through Network Slimming"."""
    key, tkey = canonical_key(name), canonical_key(title)
    return bool(key) and (key in tkey or key.endswith("s") and key[:-1] in tkey)


def _adds(sent) -> bool:
    """A sentence that adds a contribution to the paper's main one: "we also propose ..."."""
    return any(t.lower_ in ADDING_WORDS for t in sent) or "in addition" in sent.text.lower()


def _owned(doc: Doc, names: dict) -> str | None:
    """A method the authors call theirs: "our X" (a possessive on the name) or "X (ours)"."""
    markers = self_references()["markers"]
    for i, ns in sorted(names.items()):
        tok = doc[i]
        if tok.ent_type_ != METHOD:
            continue
        # the possessive right before the name, or before an adjective and the name ("our largest X")
        if any(c.dep_ == "poss" and c.lower_ in markers and (c.i == i - 1 or c.i == i - 2 and doc[i - 1].tag_.startswith("JJ"))
               for c in tok.children):
            return ns[0]
        after = doc[i + 1:i + 4]
        if len(after) == 3 and after[0].text == "(" and after[1].lower_ == "ours" and after[2].text == ")":
            return ns[0]
    return None


def unannounced(main: str, found: list) -> bool:
    """The paper's method, found as "our X" with no proposal sentence, is introduced by the paper,
    unless the lexicon knows it as an earlier model ("our ViT-B" of a paper that trains one)."""
    return not known_model(main) and not any(r.relation == "introduces" and r.tail == main for r in found)


def described_known(found: list) -> list:
    """``found`` without the known models a proposal sentence only uses to describe the new one it
    names: "we propose an MPC-friendly ViT, dubbed MPCViT" introduces MPCViT, not ViT; "a new architecture, named
    CvT, that improves Vision Transformer (ViT)" introduces CvT, not ViT."""
    new: dict = {}
    for r in found:
        if r.relation == "introduces" and not r.section and not known_model(r.tail):
            new.setdefault(r.sent_start, set()).add(r.tail)
    return [r for r in found if not (r.relation == "introduces" and r.rule.startswith(("intro_", "abbreviation_long"))
                                     and not r.section
                                     and known_model(r.tail) and new.get(r.sent_start, set()) - {r.tail})]


def known_model(name: str) -> bool:
    """The lexicon knows the name, or its family with a size or version ("ViT-B" of ViT)."""
    base, known = name, known_type(name)
    for _ in range(2):
        base = re.sub(r"[-\s][^-\s]+$", "", base)
        known = known or (known_type(base) if len(base) > 1 else None)
    return known is not None


#: rules reading "our X model" as the paper's method: not where X is a known model the paper trains
OWNED_RULES = frozenset({"intro_our_appos"})


def trained_not_made(r) -> bool:
    """An "introduces" read from "our finetuned T5 model": the paper trains a known model, it does not
    introduce one."""
    return r.relation == "introduces" and r.rule in OWNED_RULES and known_model(r.tail)


def fill_main(found: list, main: str) -> list:
    """The placeholder replaced by the paper's method (repeats are dropped later)."""
    return [dataclasses.replace(r, head=main if r.head == MAIN else r.head, tail=main if r.tail == MAIN else r.tail)
            for r in found]


#: a size or version suffix that makes a variant of a family's name: "-L", "-B0", "-XL/2", "-R50", "-Large"
_VARIANT = re.compile(r"(?:-(?:[A-Z]{1,3}\d{0,3}|[A-Z]?\d{1,3}|Ti|%s)(?:/\d+\+?)?){1,2}"
                      % "|".join(w.capitalize() for w in [*SIZE_LETTERS, "medium"]))


def family_variants(found: list, entities: list) -> list:
    """(head, variant) pairs: the size variants of a method the paper introduces are introduced with it
    ("we propose SegFormer ... SegFormer-B0 ... SegFormer-B5"); a variant is written as the family's
    name (or its acronym) and a size suffix.

    >>> family_variants([("P", "introduces", "SegFormer")],
    ...                 [{"name": "SegFormer", "type": "method", "aliases": []},
    ...                  {"name": "SegFormer-B0", "type": "method", "aliases": []},
    ...                  {"name": "SegFormer-like", "type": "method", "aliases": []}])
    [('P', 'SegFormer-B0')]
    """
    methods = [e for e in entities if e["type"] == METHOD]
    by_name = {e["name"]: e for e in methods}
    introduced = {}
    for head, relation, tail in found:
        if relation == "introduces" and tail in by_name:
            introduced.setdefault(tail, head)
    out = []
    for name, head in introduced.items():
        forms = (name, *by_name[name]["aliases"])
        # a plural acronym names the family by its singular: "DiTs" of DiT-XL/2
        family = [f for f in (*forms, *(f[:-1] for f in forms if re.fullmatch(r"[A-Z][A-Za-z0-9]*[A-Z]s", f)))
                  if len(f) >= 3]
        for e in methods:
            if e["name"] in introduced or any(p == e["name"] for _, p in out):
                continue
            if any(e["name"].startswith(f) and _VARIANT.fullmatch(e["name"][len(f):]) for f in family):
                out.append((head, e["name"]))
    return out


#: what a later version adds after its base's name: "YOLOX", "ParCNetV2", "TalkNet 2", "Grad-CAM++"
_NEXT = re.compile(r"[- ]?(?:[vV]?\d+(?:\.\d+)?|X|\+\+)")

#: a name that can be another's part: an acronym or a coined name (a capital or digit after its first letter)
_COINED = re.compile(r"^\w[\w-]*?[A-Z0-9][\w-]*$")


def name_bases(main: str, entities: list) -> list:
    """Methods the paper's method is named after, so built on: its name is theirs with a word or a
    letter before it ("Eigen-CAM" of CAM, "QLoRA" of LoRA, "Mask DINO" of DINO), or a version after it
    ("YOLOX" of YOLO, "ParCNetV2" of ParCNet); a common noun ("Transformer") is not such a base, nor
    the first part of a compound name ("STAN" of "Mug-STAN", which the paper may name itself).

    >>> name_bases("Eigen-CAM", [{"name": "CAM", "type": "method", "aliases": []},
    ...                          {"name": "Transformer", "type": "method", "aliases": []}])
    ['CAM']
    >>> name_bases("SBCFormer", [{"name": "SBC", "type": "method", "aliases": []}])
    []
    >>> name_bases("QLoRA", [{"name": "Low Rank Adapters", "type": "method", "aliases": ["LoRA"]}])
    ['Low Rank Adapters']
    """
    out = []
    for e in entities:
        base = e["name"]
        forms = [base, *e["aliases"]]  # "QLoRA" of "Low Rank Adapters (LoRA)": the acronym is the coined form
        if e["type"] != METHOD or base == main or len(base) < 2 or not any(_COINED.match(f) for f in forms):
            continue
        if any(f == main for f in forms):
            continue
        if any((main.endswith(f) and len(main) > len(f)) or (main.startswith(f) and _NEXT.fullmatch(main[len(f):]))
               for f in forms if _COINED.match(f) and (len(f) >= 3 or any(c.isdigit() for c in f))):
            out.append(base)
    return out
