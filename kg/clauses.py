"""Reading one clause of a parsed, entity-merged Doc: its subject, its coordinated entities, whether
it is negated or hedged, whether it speaks of prior work, and which words stand for the paper itself.

The dependency labels these rules walk are named sets (ClearNLP labels, as spaCy's English models
use them), so a rule says which family of arcs it follows rather than repeating label lists.
"""
from __future__ import annotations

from functools import lru_cache

from spacy.tokens import Token

from .patterns import read_json, read_words

#: the subject of a clause: active, passive, clausal
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj"})
#: arcs from a word up to the clause whose subject it shares: participles, infinitives, coordinated
#: verbs, prepositional attachments, modifiers
CLIMB_DEPS = frozenset({"conj", "xcomp", "advcl", "ccomp", "pcomp", "prep", "pobj", "dobj", "acomp", "attr",
                        "npadvmod", "amod", "nmod", "compound", "appos", "oprd", "agent", "dep", "advmod",
                        "acl", "relcl"})
#: an object, or a member listed beside one: "we propose a variant of Y", "outperforms A and variants of B"
OBJECT_DEPS = frozenset({"dobj", "pobj", "conj"})
#: arcs that list another member of the same group: "A, B and C", "X, a new model"
COORD_DEPS = frozenset({"conj", "appos"})
#: a participle or relative clause that modifies a noun: "ResNet pretrained on X", "X, which ..."
NOUN_CLAUSE_DEPS = frozenset({"acl", "relcl"})
#: a modifier inside a noun phrase: "the ImageNet-pretrained ResNet", "the BEiT v2 model"
NOUN_MODIFIER_DEPS = frozenset({"amod", "compound", "nmod", "appos", "npadvmod"})
#: arcs from a preposition, participle or clause up to the verb that governs it
VERB_CLIMB_DEPS = frozenset({"prep", "pobj", "pcomp", "advcl", "xcomp", "conj"})
#: prepositions that open a list of examples: "methods such as A", "baselines including B"
EXAMPLE_PREPS = frozenset({"like", "including"})
RELATIVE_PRONOUNS = frozenset({"which", "that", "who"})


def _wordlist(name: str) -> frozenset:
    return frozenset(w.lower() for w in read_words(name))


@lru_cache(maxsize=None)
def hedges() -> frozenset:
    return _wordlist("hedges.txt")


@lru_cache(maxsize=None)
def eval_cues() -> frozenset:
    return _wordlist("eval_cues.txt")


@lru_cache(maxsize=None)
def comparatives() -> tuple:
    return tuple(sorted(_wordlist("comparatives.txt")))


@lru_cache(maxsize=None)
def self_references() -> dict:
    """Words of ``self_reference.txt`` by kind (pronouns, nouns, markers, cues, background)."""
    words = read_words("self_reference.txt")
    kinds = {}
    for w in words:
        kind, _, word = w.partition(":")
        kinds.setdefault(kind + "s" if not kind.endswith("s") else kind, set()).add(word.lower())
    return {k: frozenset(kinds.get(k, ())) for k in ("pronouns", "nouns", "markers", "cues", "backgrounds", "knowns")}


def is_negated(trigger: Token) -> bool:
    """True when the trigger, or the verb it depends on, is negated or hedged."""
    for tok in (trigger, trigger.head):
        if has_negation(tok):
            return True  # "does not outperform", "may outperform"
        if tok.lower_ in hedges():
            return True
        if tok is tok.head:
            break
    return False


def has_negation(tok: Token) -> bool:
    """A "not" or a hedging auxiliary ("may", "might") hangs on the word."""
    return any(c.dep_ == "neg" or c.dep_ == "aux" and c.lower_ in hedges() for c in tok.children)


def under_without(tok: Token) -> bool:
    """A word inside a "without" phrase: "without seeing any images in COCO during pre-training"."""
    return any(a.lower_ == "without" for a in tok.ancestors)


def span_negated(span) -> bool:
    """A negation or hedge anywhere in a surface match ("X does not beat Y")."""
    return any(t.dep_ == "neg" or t.lower_ in hedges() for t in span)


#: a subject naming other people's work: "these works", "such methods", "many approaches"
OTHERS_DETS = frozenset({"these", "those", "such", "other", "many", "most", "some", "several"})
OTHERS_NOUNS = frozenset({"works", "methods", "approaches", "models", "techniques", "algorithms", "studies", "papers"})


def _others_work(subj: Token) -> bool:
    """"these works", "such methods" (also when the parser reads "these" as the subject of a verb "works")."""
    if subj.lower_ in OTHERS_NOUNS:
        return any(d.lower_ in OTHERS_DETS for d in subj.children)
    nxt = subj.doc[subj.i + 1] if subj.i + 1 < len(subj.doc) else subj
    return subj.lower_ in OTHERS_DETS and nxt.lower_ in OTHERS_NOUNS


def speaks_of_prior_work(sent) -> bool:
    """A sentence about earlier work: it states no claim of the paper, so it gives no edge to the
    paper's own method. Either a background word ("previous", "recent", "existing") is in the
    subject or opens the sentence, or the main verb is in the present perfect ("CLIP has shown ..."), and the
    subject is not the paper's own ("we have shown" is a claim)."""
    root = sent.root
    if any(refers_to_self(c) or any(refers_to_self(t) for t in c.subtree)
           for c in root.children if c.dep_ in SUBJECT_DEPS):
        return False
    words = self_references()["backgrounds"]
    # where a background word counts: the subject, the first word, "Among recent methods, ..."
    scope = [sent[0]] + [t for c in root.children if c.dep_ in SUBJECT_DEPS or c.lower_ == "among"
                         for t in c.subtree]
    if any(t.lower_ in words for t in scope):
        return True
    if any(c.dep_ in SUBJECT_DEPS and _others_work(c) for c in root.children):
        return True  # "these works present results on ...", "such methods achieve ..."
    return _present_perfect(root)


def others_have_shown(sent) -> bool:
    """A sentence whose main verb, in the present perfect, is not the authors' ("a new model, termed
    Mamba, has demonstrated ..."): a report of work that exists, even when its subject is called new
    (which :func:`speaks_of_prior_work` takes for the paper's own)."""
    subj = clause_subject(sent.root)
    authors = self_references()["pronouns"] | {"our"}
    return subj is not None and _present_perfect(sent.root) and not any(t.lower_ in authors for t in subj.subtree)


def _present_perfect(verb: Token) -> bool:
    return any(c.dep_ == "aux" and c.lower_ in {"has", "have"} for c in verb.children)


def clause_subject(verb: Token) -> Token | None:
    """The first subject among ``verb``'s children, or None."""
    return next((c for c in verb.children if c.dep_ in SUBJECT_DEPS), None)


def conjuncts(tok: Token, ent_type: str | None = None):
    """The token and every entity coordinated with it ("A, B and C", "such as A and B")."""
    out, stack, seen = [], [tok], set()
    while stack:
        t = stack.pop()
        if t.i in seen:
            continue
        seen.add(t.i)
        if t.ent_type_ and (ent_type is None or t.ent_type_ == ent_type):
            out.append(t)
        for c in t.children:
            if c.dep_ in COORD_DEPS or (c.dep_ == "prep" and c.lower_ in EXAMPLE_PREPS):
                stack.append(c)  # a listed or apposed member
            elif c.dep_ == "prep" and c.lower_ == "as" and any(x.lower_ == "such" for x in c.children):
                stack.append(c)  # "such as"
            elif t.dep_ == "prep" and c.dep_ == "pobj":
                stack.append(c)  # the object of "including" / "such as"
    return sorted(out, key=lambda t: t.i)


def hyphen_prefixed(trigger: Token, rel: str) -> str:
    """The prefix of "pre-trained" / "fine-tuned" (one token or split in three) decides the relation."""
    doc = trigger.doc
    prefix = ""
    if trigger.lower_.startswith(("pre", "fine")):  # kept whole: "pre-training", "finetuned"
        prefix = "pre" if trigger.lower_.startswith("pre") else "fine"
    elif trigger.i >= 2 and doc[trigger.i - 1].text in {"-", "–"}:
        prefix = doc[trigger.i - 2].lower_
    noun = trigger.head
    if not prefix and rel == "trained_on" and trigger.dep_ in NOUN_CLAUSE_DEPS and (
            noun.lower_.startswith(("pretrained ", "pre-trained "))
            or any(c.dep_ == "amod" and c.lower_ in {"pretrained", "pre-trained"} for c in noun.children)):
        prefix = "pre"  # "pretrained networks (PANNs) trained on D": the training named is the pre-training
    if trigger.lower_ in {"tuned", "tuning"} and prefix != "pre":
        prefix = "fine"  # "instruction-tuned on D", "prompt tuning on D": a tuning of a trained model
    if prefix:
        if prefix == "pre" and rel in {"trained_on", "fine_tuned_on"}:
            return "pretrained_on"
        if prefix == "fine" and rel in {"trained_on", "pretrained_on"}:
            return "fine_tuned_on"
    return rel


def comparison_way(trigger: Token) -> str:
    """Which way "than" compares (``comparison_words.json``): "more" (the subject wins: "higher
    accuracy than B", "lower error than B"), "less" (B wins: "lower accuracy than B") or "costs"
    ("fewer parameters than B": neither). A trigger other than "than" reads "more"."""
    doc = trigger.doc
    than = trigger if trigger.lower_ == "than" else next(
        (t for t in doc[trigger.i + 1:trigger.i + 3] if t.lower_ == "than"), None)
    if than is None or than.i == 0:
        return "more"
    words = read_json("comparison_words.json")
    # the comparative: the word before "than", the one "than" hangs from, or that one's modifier
    # ("lower accuracy than B")
    near = (doc[than.i - 1], than.head, *(c for c in than.head.children if c.dep_ in {"amod", "advmod"}))
    if any(t.lower_ in words["costs"] for t in near):
        return "costs"  # "more parameters than B", "8x larger in FLOPs than B"
    comp = next((t for t in near if t.lower_ in words["less"] or t.lower_ in words["bigger"]), None)
    if comp is None:
        return "more"
    # the measured noun: the one the comparative modifies, or the next word, or "larger in N"
    noun = comp.head if comp.dep_ == "amod" else doc[comp.i + 1] if comp.i + 1 < len(doc) else comp
    measured = {noun.lower_} | {w for c in noun.children if c.dep_ == "compound" for w in (c.lower_, f"{c.lower_} {noun.lower_}")}
    measured |= {g.lower_ for c in comp.children if c.dep_ == "prep" and c.lower_ == "in" for g in c.children}
    if not measured.isdisjoint(words["costs"]):
        return "costs"
    if comp.lower_ in words["bigger"]:  # "3x larger than B" is a size; "larger gains than B" a win
        bare = noun is comp or noun.lower_ == "than" or noun.like_num or noun.text[:1].isdigit()
        return "costs" if bare else "more"
    return "more" if not measured.isdisjoint(words["lower_is_better"]) else "less"


def names_a_kind(tok: Token) -> bool:
    """A name used for a kind of model, not the model: "ViT-based networks", "DETR-like models"."""
    doc = tok.doc
    nxt = doc[tok.i + 1:tok.i + 3]
    return len(nxt) == 2 and nxt[0].text in {"-", "–"} and nxt[1].lower_ in {"based", "like", "style", "family"}


#: arcs from a name up to the noun it names ("a method called X", "models, A and B", "X (Y)")
_NAMED_BY_DEPS = frozenset({"appos", "conj", "oprd", "attr", "acl", "dobj", "npadvmod"})


def described_as_known(tok: Token) -> bool:
    """A name, or the noun that it names, said to be earlier or standard work: "a recently proposed method
    called Grad-CAM", "the original Vision Transformer (ViT)", "popular models, A and B"."""
    refs = self_references()
    words = refs["backgrounds"] | refs["knowns"]
    node = tok
    for _ in range(4):
        for c in (() if node.tag_.startswith("VB") else node.children):  # (a verb's "Recently, we ..." is no mark)
            if c.dep_ in {"amod", "advmod"} and (c.lower_ in words or any(
                    g.dep_ == "advmod" and g.lower_ in words for g in c.children)):
                return True
        if node.i > 0 and node.doc[node.i - 1].lower_ in words:
            return True
        if node.dep_ not in _NAMED_BY_DEPS or node.head is node:
            return False
        node = node.head
    return False


def has_comparative(span) -> bool:
    """Whether a sentence (or any span) says who wins ("more accurate", "higher", "better")."""
    text = " " + " ".join(t.lower_ for t in span) + " "
    return any(f" {w} " in text for w in comparatives())


def clause_says_who_wins(trigger: Token) -> bool:
    """Whether the clause of a comparison says who wins: the subtree of the verb it hangs from,
    and of the clause that verb subordinates to ("is more accurate while reducing latency compared
    to B"), but not of a coordinated clause ("runs faster than A and shows a trade-off compared to B")."""
    verb = trigger.head  # "compared" is itself a participle: start from what it hangs from
    while not verb.tag_.startswith("VB") and verb.head is not verb:
        verb = verb.head
    clauses = [verb] + ([verb.head] if verb.dep_ in {"advcl", "xcomp", "pcomp"} else [])
    doc = trigger.doc
    return any(has_comparative(doc[c.left_edge.i:c.right_edge.i + 1]) for c in clauses)


def beats_compared_set(sent) -> bool:
    """A sentence claiming a win over every method compared: "outperforms all compared methods",
    "12% improvement over the best method among the methods compared" (``comparison_words.json``)."""
    words = read_json("comparison_words.json")
    lowers = [t.lower_ for t in sent]
    if "compared" not in lowers or not any(w in words["wins"] for w in lowers) or span_negated(sent):
        return False
    nouns = words["set_nouns"]
    return any(w == "compared" and any(x in nouns for x in lowers[max(0, i - 2):i + 3]) for i, w in enumerate(lowers))


def following_list(tok: Token) -> list:
    """``tok`` and the entities listed right after it: "B, C and D" (surface fall-back)."""
    out = [tok]
    i = tok.i + 1
    doc = tok.doc
    while i + 1 < len(doc) and doc[i].text in {",", "and", "or"}:
        j = i + 1
        if doc[j].text in {"and", "or"}:
            j += 1
        if j < len(doc) and doc[j].ent_type_ == tok.ent_type_:
            out.append(doc[j])
            i = j + 1
        else:
            break
    return out


def preceding_list(tok: Token) -> list:
    """``tok`` and the entities listed right before it in its sentence: "A, B(,) and C" read back from C."""
    out = [tok]
    doc, start = tok.doc, tok.sent.start
    i = tok.i - 1
    while i > start and doc[i].text in {",", "and", "or"}:
        j = i - 1
        if doc[i].text in {"and", "or"} and doc[j].text == ",":
            j -= 1  # "A, B, and C"
        if j >= start and doc[j].ent_type_ == tok.ent_type_:
            out.insert(0, doc[j])
            i = j - 1
        else:
            break
    return out


def subject_of(trigger: Token) -> Token | None:
    """The subject the trigger's clause is about, climbing through participles and conjuncts."""
    tok = trigger
    for _ in range(8):
        # a number is no subject: "2x faster compared to B" is a misparse of a measure phrase
        subj = [c for c in tok.children if c.dep_ in SUBJECT_DEPS and not _measure(c)]
        if subj and not (subj[0].lower_ in RELATIVE_PRONOUNS and tok.dep_ in {"advcl", "ccomp"}):
            # (a "which" whose clause the parser hung as adverbial stands for what the sentence is about: climb)
            s = subj[0]
            if s.lower_ in RELATIVE_PRONOUNS and tok.dep_ == "relcl":
                noun = tok.head  # "X, which is built on Y": the noun the clause modifies
                if noun.dep_ == "attr" and not noun.ent_type_:
                    # "E5 is the first model that outperforms B": the subject the noun describes
                    return clause_subject(noun.head) or noun
                return _apposed_name(noun) or noun
            return s
        if tok.dep_ in NOUN_CLAUSE_DEPS:
            # "ResNet-50 pretrained on ImageNet": the noun it modifies is the subject, and a
            # modified common noun ("models trained on X") is none, unless it is the paper's own
            # or a name stands beside it ("networks (PANNs) trained on D")
            if tok.head.ent_type_ or refers_to_self(tok.head):
                return tok.head
            if tok.head.dep_ == "attr":  # "X is a student model distilled from Y": what the noun describes
                return clause_subject(tok.head.head) or _apposed_name(tok.head)
            return _apposed_name(tok.head)
        if tok.dep_ in {"amod", "compound"} and tok.head.ent_type_:
            return tok.head  # "the ImageNet-pretrained ResNet"
        if tok.dep_ not in CLIMB_DEPS or tok.head is tok:
            return None
        tok = tok.head
    return None


def _measure(tok: Token) -> bool:
    """A number or a multiple standing alone ("2x", "3.5", "10%"), not a named entity."""
    return not tok.ent_type_ and (tok.like_num or tok.text[:1].isdigit())


def _apposed_name(noun: Token) -> Token | None:
    """The name a common noun stands beside: "mT5, a variant of T5 that ..." (the noun is apposed
    to the name) or "audio networks (PANNs) trained on ..." (the name is apposed to the noun)."""
    if noun.ent_type_:
        return None
    if noun.dep_ == "appos" and noun.head.ent_type_:
        return noun.head
    return next((c for c in noun.children if c.dep_ == "appos" and c.ent_type_), None)


def governing_verb(trigger: Token) -> Token:
    """The verb a trigger word hangs from: "we train X with Y as the teacher" -> train."""
    verb = trigger if trigger.pos_ == "VERB" or trigger.tag_.startswith("VB") else trigger.head
    while verb.dep_ in VERB_CLIMB_DEPS and not verb.tag_.startswith("VB") and verb.head is not verb:
        verb = verb.head
    return verb


def refers_to_self(tok: Token) -> bool:
    """'we', 'our method', 'the proposed approach', 'this model' stand for the paper's method."""
    refs = self_references()
    if tok.lower_ in refs["pronouns"]:
        return True
    if tok.lower_ in refs["nouns"]:
        return any(c.lower_ in refs["markers"] for c in tok.children)
    return False
