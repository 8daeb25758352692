"""Who a relation is about: the head of a match, read from the clause around its trigger word.

The subject of the trigger's clause is the usual head (:func:`subject_names`), where "we", "our
method" and "the proposed X" stand for the method the paper introduces (:data:`MAIN`, filled in
once the paper's own method is known), a "For X," opening the stretch of the sentence names it
("For YOLO-Nano, we get ..."), and a "which" clause is about what the clause before it is about;
the other ways a pattern names its head (the noun a trigger modifies, the object of its verb, the
name a phrase attaches to) are the functions below, chosen by the pattern's ``head`` mode in
:mod:`kg.relations`.
"""
from __future__ import annotations

from spacy.tokens import Token

from .patterns import read_json
from .clauses import (SUBJECT_DEPS, clause_subject, conjuncts, governing_verb, preceding_list, refers_to_self,
                      self_references, subject_of)

MAIN = "\x00main"  # stands for the method the paper introduces until it is known
#: a verb whose object is compared with the object of its "with" / "to": "compare X with Y"
COMPARE_VERBS = frozenset({"compare", "compares", "compared", "comparing"})
#: verbs by which the authors test models, theirs or others': "we evaluate 9 off-the-shelf detectors on D"
TESTING_VERBS = frozenset({"evaluate", "evaluated", "test", "tested", "benchmark", "benchmarked", "assess", "assessed"})
#: relations that compare two methods
COMPARISONS = frozenset({"outperforms", "compared_with"})


def subject_names(meta, trigger, names, tail=None):
    """The head is the trigger clause's subject: a name, an apposed or inner name, or the paper's method."""
    if meta["relation"] == "compared_with" and trigger.lower_ in COMPARE_VERBS:
        obj = object_entity(trigger, names)
        if obj is not None and obj != tail:  # "(studies were performed) to compare X with Y": X is compared
            return list(names[obj.i])
    subj = subject_of(trigger)
    if subj is not None and meta["relation"] in COMPARISONS and _which_clause(subj, trigger):
        # "X achieves 79% with 1.6 ms latency, which runs as fast as B": "which" stands for what the
        # clause before it is about, not the unnamed noun the parser hung it on
        subj = subject_of(subj) or subj
    if subj is None:
        # no subject: "Experiments on X show ..." speaks of the paper's own work
        return [MAIN] if meta["relation"] == "evaluated_on" else []
    owner = possessor(subj, names)
    if owner is not None:  # "VATT's vision Transformer outperforms B": VATT does
        return [names[owner.i][0]]
    if subj.i in names:
        return [n for t in conjuncts(subj, subj.ent_type_) for n in names.get(t.i, ())]
    named = named_subject(subj, names)
    if named is not None and named != MAIN:
        return [named]
    fronted = fronted_for(trigger, names) if subj.lower_ == "we" else None
    if fronted is not None:  # "For YOLO-Nano, we get 25.3% AP, surpassing B"
        return list(names[fronted.i])
    if refers_to_self(subj) or _ours(subj):
        # "we compare X with Y", "we pre-train X on D": the object X is the head
        obj = object_entity(governing_verb(trigger), names)
        if obj is not None and obj != tail and subj.lower_ == "we" and meta["relation"] not in {"introduces", "evaluated_on"}:
            return list(names[obj.i])
        return [MAIN]  # "we use ViT as the backbone": the object is the tail, the head is ours
    return [MAIN] if meta["relation"] == "evaluated_on" and subj.lower_ in self_references()["nouns"] else []


def _which_clause(noun: Token, trigger: Token) -> bool:
    """Whether the trigger stands in a "which" clause modifying ``noun``, an unnamed word of another's."""
    if noun.ent_type_ or refers_to_self(noun) or _ours(noun):
        return False
    return any(c.dep_ == "relcl" and (c == trigger or c in trigger.ancestors)
               and any(x.dep_ in SUBJECT_DEPS and x.lower_ == "which" for x in c.children) for c in noun.children)


def named_subject(subj: Token, names: dict) -> str | None:
    """The name a subject phrase gives: itself, an apposition ("our model, X-B5, ..."), a name inside
    it ("the BEiT v2 model"), :data:`MAIN` for a self-reference, else None."""
    owner = possessor(subj, names)
    if owner is not None:  # "VATT's vision Transformer achieves ...": a part of VATT stands for it
        return names[owner.i][0]
    if subj.ent_type_ == "method" and subj.i in names:
        return names[subj.i][0]
    appos = [c for c in subj.children if c.dep_ == "appos" and c.ent_type_ == "method" and c.i in names]
    if appos:  # "our searched model, BossNet-T, achieves ..."
        return names[appos[0].i][0]
    inner = [c for c in subj.children if c.i in names and c.ent_type_ == "method"
             and c.dep_ in {"compound", "nmod", "amod", "appos"}]
    if inner:  # "the BEiT v2 model", "our largest DiT-XL/2 models"
        return names[inner[0].i][0]
    if refers_to_self(subj):
        return MAIN
    if any(refers_to_self(t) for t in subj.subtree):
        return MAIN
    if _ours(subj):
        return MAIN
    return None


def possessor(subj: Token, names: dict) -> Token | None:
    """The named method a subject belongs to: "VATT's vision Transformer" -> VATT."""
    return next((c for c in subj.children if c.dep_ == "poss" and c.ent_type_ == "method" and c.i in names), None)


def _ours(subj: Token) -> bool:
    """"our dense retriever outperforms B": a subject the authors possess, however the parser split the phrase."""
    return any(c.dep_ == "poss" and c.lower_ == "our" for c in subj.children)


def fronted_for(tok: Token, names: dict) -> Token | None:
    """"For YOLO-Nano, we get 25.3% AP, surpassing B; for YOLOX-L, we ...": the method named by a
    "for" that opens the stretch of the sentence holding ``tok`` (from its start, or the last ";" / ":"
    before ``tok``), read from the words since the parser often hangs "for" on another clause."""
    sent = tok.sent
    start = next((t.i + 1 for t in reversed(sent[:tok.i - sent.start]) if t.text in {";", ":"}), sent.start)
    if start + 1 < tok.i and tok.doc[start].lower_ == "for":
        named = tok.doc[start + 1]
        if named.ent_type_ == "method" and named.i in names:
            return named
    return None


def governor_names(trigger: Token, names: dict) -> list:
    """"a CLIP-based retriever": the noun "based" modifies, when named (or named beside it)."""
    gov = trigger.head
    while gov.dep_ in {"amod", "compound", "npadvmod"} and not gov.ent_type_ and gov.head is not gov:
        gov = gov.head
    if gov.i in names:
        return list(names[gov.i])
    named = [c for c in gov.children if c.dep_ in {"appos", "acl"} and c.i in names]
    named += [g for c in gov.children if c.dep_ == "acl" for g in c.children if g.i in names]
    if not named and gov.dep_ == "appos" and gov.head.i in names:
        named = [gov.head]  # "X, a Y-based detector"
    return [n for t in named[:1] for n in names[t.i]]


def object_entity(verb: Token, names: dict) -> Token | None:
    """The named direct object of a verb, or the name apposed to it ("a small student, X")."""
    for c in verb.children:
        if c.dep_ != "dobj":
            continue
        if c.ent_type_ == "method" and c.i in names:
            return c
        appos = [a for a in c.children if a.dep_ == "appos" and a.ent_type_ == "method" and a.i in names]
        if appos:
            return appos[0]
    return None


def holder(trigger: Token) -> Token | None:
    """The noun a trigger's prepositional phrase attaches to: "YOLOv4 with a Y backbone" -> YOLOv4."""
    prep = trigger.head
    if trigger.dep_ == "pobj" and prep.dep_ == "prep":
        if prep.head.ent_type_ == "method":
            return prep.head
        return method_before(prep)  # "on YOLOv4 with a Y backbone", the phrase hung on the verb
    return None


def method_before(tok: Token) -> Token | None:
    """The named method written right before ``tok`` ("YOLOv4 with ..."), if any."""
    before = tok.doc[tok.i - 1] if tok.i > tok.sent.start else None
    return before if before is not None and before.ent_type_ == "method" else None


#: the nouns a list of model names modifies ("ResNet18 and ResNet34 models"), what a verb improves of a
#: model ("boosting the accuracy of X"), the verbs of a purpose clause that name what a training makes
#: ("to obtain X"): ``data_heads`` of ``lineage.json``
_WORDS = {k: frozenset(v) for k, v in read_json("lineage.json")["data_heads"].items()}
MODEL_NOUNS, SCORE_NOUNS, PURPOSE_VERBS = _WORDS["model_nouns"], _WORDS["score_nouns"], _WORDS["purpose_verbs"]


def data_heads(meta, trigger, names, nodes):
    """Who learnt from the data: "ViT-L with pre-training on D" and "an INN (X) pretrained on D" (a
    participle written right after a name) are the name's, "A, B and C models trained on D" each
    listed name's; "those pre-trained with D" (an object of another verb) and a dataset ("D is used for
    pre-training X before fine-tuning on E") are nobody named; "we fine-tune Y on D to obtain X" is X's;
    else the clause's subject."""
    doc = trigger.doc
    held = None
    if trigger.dep_ in {"amod", "compound"} and trigger.head.ent_type_ == "method" and trigger.head.i in names:
        return list(names[trigger.head.i])  # "the ImageNet-22k pre-trained X"
    if trigger.dep_ == "pobj" and trigger.head.lower_ == "with":
        held = method_before(trigger.head)
        if held is None and trigger.head.i == trigger.sent.start:  # "With D pre-training, X achieves ..."
            held = clause_subject(trigger.head.head)
    elif trigger.lower_.endswith("ed") and trigger.i > trigger.sent.start:
        before = doc[trigger.i - 1]
        held = method_before(before if before.text == ")" else trigger)
        if held is None and trigger.dep_ == "acl" and trigger.head.i == before.i and before.lower_ in MODEL_NOUNS:
            held = method_before(before)
            if held is not None and held.i in names:
                return [n for t in preceding_list(held) for n in names.get(t.i, ())]
    if held is not None and held.i in names:
        return list(names[held.i])
    if trigger.dep_ == "dobj" and any(c.dep_ == "det" for c in trigger.children):
        return []
    made = made_model(governing_verb(trigger), names)
    if made is not None:  # "we fine-tune Y on D to obtain X": the data made X
        return list(names[made.i])
    subj = subject_of(trigger)
    if subj is not None and subj.ent_type_ == "dataset":
        return []
    return subject_names(meta, trigger, names, nodes.get("tail"))


def made_model(verb: Token, names: dict) -> Token | None:
    """The named model a training verb's purpose clause makes: "(fine-tune Y on D) to obtain X"."""
    for c in verb.children:
        if c.dep_ in {"xcomp", "advcl"} and c.lower_ in PURPOSE_VERBS and any(a.lower_ == "to" for a in c.children):
            obj = object_entity(c, names)
            if obj is not None:
                return obj
    return None


def improved_model(verb: Token, tail: Token, names: dict) -> Token | None:
    """The named model a verb trains or improves, read as the student beside a teacher phrase:
    "train X with Y as the teacher", "boost the accuracy of X with a Y teacher"."""
    # "use Y as a teacher to train X", "Using Y as the teacher, we distill X"
    verbs = [verb] + [c for c in verb.children if c.dep_ == "xcomp"] + ([verb.head] if verb.dep_ == "advcl" else [])
    for obj in (c for v in verbs for c in v.children if c.dep_ == "dobj"):
        if obj.ent_type_ == "method" and obj.i in names and obj.i != tail.i:
            return obj
        if obj.lower_ in SCORE_NOUNS:
            named = [p for c in obj.children if c.dep_ == "prep" and c.lower_ == "of" for p in c.children
                     if p.dep_ == "pobj" and p.ent_type_ == "method" and p.i in names and p.i != tail.i]
            if named:
                return named[0]
    return None


def others_evaluated(subj: Token, names: dict) -> bool:
    """"we evaluate 9 off-the-shelf detectors on D": the object of the authors' verb is other people's
    models (a model noun, not ours, naming nothing), so the evaluation is not of the paper's method."""
    if subj.lower_ != "we" or subj.head.lower_ not in TESTING_VERBS:
        return False
    obj = next((c for c in subj.head.children if c.dep_ == "dobj"), None)
    nouns = self_references()["nouns"]
    if obj is None or not (obj.lower_ in nouns or obj.lower_.endswith("s") and obj.lower_[:-1] in nouns) or obj.i in names:
        return False
    return not any(t.ent_type_ == "method" or refers_to_self(t) or _ours(t) for t in obj.subtree)
