"""What a sentence claims about a dataset: whether a dataset a results sentence names is one the
method is evaluated on, or training data, data the paper makes, the subject the sentence is about,
a qualifier of a model noun, or under a negated or hedged verb.
"""
from __future__ import annotations

from spacy.tokens import Token

from .clauses import NOUN_MODIFIER_DEPS, SUBJECT_DEPS, eval_cues, has_negation, hedges, refers_to_self
from .patterns import read_json


#: the word lists of ``scope.json`` (its ``_doc`` says what each is for)
_WORDS = {k: frozenset(v) for k, v in read_json("scope.json").items()}
#: words that make a dataset below them training data: "models trained on D", "pre-training on D"
TRAINING_WORDS = _WORDS["training_words"]
#: arcs climbed from a dataset up to the word that says what it is for
DATA_CLIMB_DEPS = frozenset({"pobj", "prep", "conj", "appos", "compound", "nmod", "amod", "npadvmod"})


#: words that make the noun they modify a pre-trained thing: "pre-training models on D"
PRETRAINING_WORDS = _WORDS["pretraining_words"]
#: nouns for data that "training" makes training data: "a constant training dataset of pairs from D"
DATA_NOUNS = _WORDS["data_nouns"]


def named_as_training_data(dataset: Token) -> bool:
    """Whether a dataset is named as what something was trained on ("models trained on other
    datasets such as LAION-2B", "pre-training on YFCC15M", "supervised pre-training models on D",
    "ImageNet-1k pretrained backbones", "a training dataset of pairs from D"), not where it was evaluated."""
    doc = dataset.doc
    if dataset.i + 1 < len(doc) and doc[dataset.i + 1].lower_ in PRETRAINING_WORDS:
        return True  # "D pretrained", read from the words: the parse of "D-pretrained X" varies
    tok = dataset
    for _ in range(6):
        if tok.dep_ not in DATA_CLIMB_DEPS or tok.head is tok:
            return False
        tok = tok.head
        if tok.lower_ in TRAINING_WORDS or _trained_noun(tok):
            return True
    return False


def _trained_noun(tok: Token) -> bool:
    """A noun a pre-training word modifies ("pre-training models"), or data "training" modifies."""
    return any(c.dep_ in NOUN_MODIFIER_DEPS and (c.lower_ in PRETRAINING_WORDS or c.lower_ == "training"
                                                  and tok.lower_ in DATA_NOUNS) for c in tok.children)


#: verbs whose object is a thing the sentence makes, not one it evaluates on: "we create a new dataset, D"
MAKING_VERBS = _WORDS["making_verbs"]


#: participles that name the noun they follow: "a dataset, termed D"
NAMING_WORDS = _WORDS["naming_words"]
#: verbs that take data in as material: "we leverage a noisy dataset ... in D", "By exploiting D, we ..."
DATA_USE_VERBS = _WORDS["data_use_verbs"]


def not_evaluated_on(dataset: Token, subj: Token | None) -> bool:
    """A dataset a sentence that reports results names without evaluating on it: training data
    (:func:`named_as_training_data`), the object of a making verb ("we create a new dataset, D"),
    inside a subject about the data itself ("Point clouds in D contain ...", "our dataset D enables
    us to train ...") or under a negated or hedged verb ("datasets such as D may not be necessary"), a
    difficulty ("having difficulty scaling to D"), a verb that takes data in ("by exploiting D"), a clause
    that concedes ("Though ViTs have shown great potential in D classification, ...") or data a model is taken
    from (:func:`_moved_from`)."""
    if named_as_training_data(dataset) or _names_a_model(dataset) or _moved_from(dataset):
        return True
    if dataset.dep_ == "nsubj" and not any(c.dep_ in SUBJECT_DEPS and c != dataset for c in dataset.head.children):
        return True  # "DFN-5B enables us to train ...": about the data (one of two subjects is a misparse)
    tok = dataset
    while (tok.dep_ in NOUN_MODIFIER_DEPS | {"conj", "oprd"} or tok.dep_ == "acl" and tok.lower_ in NAMING_WORDS) \
            and tok.head is not tok:
        tok = tok.head  # "a new dataset, D", "a large-scale dataset, termed D"
    if tok.dep_ == "dobj" and tok.head.lower_ in MAKING_VERBS:
        return True
    phrase = _phrase(subj) if subj is not None else ()
    if subj is not None and subj.lower_ not in eval_cues() and dataset in phrase and not any(
            t.ent_type_ == "method" or refers_to_self(t) or _possessed(t) for t in phrase):
        return True
    above = list(dataset.ancestors)
    if any(c.dep_ == "mark" and c.lower_ in CONCESSIVE for a in above for c in a.children):
        return True  # "Though ViTs have shown great potential in ImageNet classification, ...": a concession
    # (a hedge word, not a preposition: "without degradation on D" is still measured on D)
    if any(a.lower_ in hedges() and a.dep_ != "prep" or a.lower_ in DATA_USE_VERBS for a in above):
        return True  # "having difficulty scaling to D", "By exploiting the D dataset, we ..."
    verb = next((a for a in above if a.tag_.startswith("VB")), None)
    return verb is not None and has_negation(verb)


def made_not_measured(found: list) -> list:
    """``found`` without the evaluations a results-sentence reading gives a dataset the same sentence
    introduces: "we propose a large-scale benchmark ..., which we name as DIOR" makes DIOR, it reports
    no evaluation on it."""
    made = {(r.sent_start, r.tail) for r in found if r.relation == "introduces" and not r.section}
    return [r for r in found if not (r.relation == "evaluated_on" and r.rule == "eval_sentence"
                                     and (r.sent_start, r.tail) in made)]


def _moved_from(dataset: Token) -> bool:
    """Data a model is taken from, not measured on: the source of a transfer ("from GTA5 to Cityscapes")
    or a count of items drawn from it ("we validate our approach on 96 million images from YFCC100M"); or data
    set against other data ("the distinctiveness between D1 and D2")."""
    doc, i = dataset.doc, dataset.i
    first = dataset
    while first.dep_ in {"conj", "compound"} and first.head is not first:
        first = first.head
    if first.dep_ == "pobj" and first.head.lower_ == "between":
        return True  # "the distinctiveness between the MAMe dataset and the ImageNet dataset": data compared
    if i == 0 or doc[i - 1].lower_ != "from":
        return False
    if i + 2 < len(doc) and doc[i + 1].lower_ == "to" and doc[i + 2].ent_type_ == "dataset":
        return True
    # read from the words: "from" is often hung on another noun ("our approach on 96 million images from D")
    return any(t.lower_ in _LARGE or t.text[:-1].replace(".", "").isdigit() and t.text[-1] in "MB"
               for t in doc[max(i - 4, dataset.sent.start):i - 1])


#: words that open a clause conceding what others have done: "Though recently ViTs have shown ..."
CONCESSIVE = _WORDS["concessive"]
#: counts of items that size a training set, not a test set
_LARGE = _WORDS["large_counts"]


def _names_a_model(dataset: Token) -> bool:
    """The dataset only qualifies a model noun ("C is an ImageNet or Places classification network")."""
    tok = dataset
    while tok.dep_ in {"compound", "nmod", "amod", "conj"} and tok.head.i > tok.i:
        tok = tok.head
    return tok is not dataset and tok.lower_ in read_json("dataset_cues.json")["method_after"]


def _phrase(noun: Token) -> list:
    """A noun and what modifies it, without the clauses and appositions hung on it ("targets, which
    match B on D": the clause is not part of "targets")."""
    out, stack = [], [noun]
    while stack:
        t = stack.pop()
        out.append(t)
        stack.extend(c for c in t.children if c.dep_ not in {"relcl", "acl", "advcl", "ccomp", "appos"})
    return out


def _possessed(tok: Token) -> bool:
    return tok.dep_ == "poss" and tok.lower_ == "our" and tok.head.lower_ not in DATA_NOUNS
