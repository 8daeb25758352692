"""Relations over a parsed Doc whose entity mentions are merged into single tokens.

Patterns live in ``kg/patterns/relations.jsonl``: each is a DependencyMatcher pattern (matched
from its trigger word by :class:`kg.treematch.TreeMatcher`) whose nodes are named ``trigger``
(the word that carries the relation), ``tail`` and optionally ``head``, plus the relation it
gives and how its head is found:

* ``"head": "node"`` - the pattern names the head;
* ``"head": "paper"`` - the paper itself (``introduces``);
* no ``head`` - the clause's subject (:func:`subject_of`), where "we", "our method" and
  "the proposed X" stand for the method the paper introduces.

Coordination distributes (:func:`conjuncts`): "outperforms A and B" gives two edges.
Negated or hedged triggers ("does not outperform", "fails to surpass") give nothing.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from spacy.matcher import Matcher
from spacy.attrs import ENT_TYPE, LOWER
from spacy.tokens import Doc, Token

from .dedupe import first_of_each, relation_keys
from .entities import gate_of
from .patterns import expand_shapes, read_jsonl, read_words
from .treematch import TreeMatcher

SUBJECT_DEPS = {"nsubj", "nsubjpass", "csubj"}
# clauses whose subject is their governor's: participles, infinitives, coordinated verbs
CLIMB_DEPS = {"conj", "xcomp", "advcl", "ccomp", "pcomp", "prep", "pobj", "dobj", "acomp", "attr",
              "npadvmod", "amod", "nmod", "compound", "appos", "oprd", "agent", "dep", "advmod", "acl", "relcl"}
PAPER = "PAPER"

_MARGIN = re.compile(r"(?:\bby\s+(?:up\s+to\s+|about\s+|over\s+|nearly\s+|around\s+)?|\+\s?)(\d+(?:\.\d+)?\s?(?:%|points?|pp|mAP|AP|mIoU|dB|BLEU)?)", re.I)
_VALUE = re.compile(r"(\d+(?:\.\d+)?\s?%)")


@dataclass(frozen=True)
class Relation:
    head: str
    relation: str
    tail: str
    sent_start: int  # character offsets of the sentence in doc.text
    sent_end: int
    rule: str
    dataset: str = ""
    margin: str = ""
    value: str = ""


@lru_cache(maxsize=None)
def hedges() -> frozenset:
    return frozenset(read_words("hedges.txt"))


@lru_cache(maxsize=None)
def eval_cues() -> frozenset:
    return frozenset(w.lower() for w in read_words("eval_cues.txt"))


@lru_cache(maxsize=None)
def comparatives() -> tuple:
    return tuple(w.lower() for w in read_words("comparatives.txt"))


@lru_cache(maxsize=None)
def self_references() -> dict:
    words = read_words("self_reference.txt")
    return {"pronouns": frozenset(w.split(":", 1)[1] for w in words if w.startswith("pronoun:")),
            "nouns": frozenset(w.split(":", 1)[1] for w in words if w.startswith("noun:")),
            "markers": frozenset(w.split(":", 1)[1] for w in words if w.startswith("marker:")),
            "cues": frozenset(w.split(":", 1)[1] for w in words if w.startswith("cue:"))}


def is_negated(trigger: Token) -> bool:
    """True when the trigger, or the verb it depends on, is negated or hedged."""
    for tok in (trigger, trigger.head):
        if any(c.dep_ == "neg" for c in tok.children):
            return True
        if tok.lower_ in hedges():
            return True
        if tok is tok.head:
            break
    return False


def span_negated(span) -> bool:
    """A negation or hedge anywhere in a surface match ("X does not beat Y")."""
    return any(t.dep_ == "neg" or t.lower_ in hedges() for t in span)


def conjuncts(tok: Token, ent_type: str | None = None):
    """The token and every entity coordinated with it ("A, B and C")."""
    out, stack, seen = [], [tok], set()
    while stack:
        t = stack.pop()
        if t.i in seen:
            continue
        seen.add(t.i)
        if t.ent_type_ and (ent_type is None or t.ent_type_ == ent_type):
            out.append(t)
        for c in t.children:
            if c.dep_ in {"conj", "appos"} or (c.dep_ == "prep" and c.lower_ in {"like", "including"}):
                stack.append(c)
            elif c.dep_ == "prep" and c.lower_ == "as" and any(x.lower_ == "such" for x in c.children):
                stack.append(c)
            elif t.dep_ == "prep" and c.dep_ == "pobj":
                stack.append(c)
    return sorted(out, key=lambda t: t.i)


def hyphen_prefixed(trigger: Token, rel: str) -> str:
    """"pre-trained" and "fine-tuned" split into three tokens: the prefix decides the relation."""
    doc = trigger.doc
    if trigger.i >= 2 and doc[trigger.i - 1].text in {"-", "–"}:
        prefix = doc[trigger.i - 2].lower_
        if prefix == "pre" and rel in {"trained_on", "fine_tuned_on"}:
            return "pretrained_on"
        if prefix == "fine" and rel in {"trained_on", "pretrained_on"}:
            return "fine_tuned_on"
    return rel


def has_comparative(sent) -> bool:
    """Whether a sentence says who wins ("more accurate", "higher", "better")."""
    text = " " + " ".join(t.lower_ for t in sent) + " "
    return any(f" {w} " in text for w in comparatives())


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


def subject_of(trigger: Token) -> Token | None:
    """The subject the trigger's clause is about, climbing through participles and conjuncts."""
    tok = trigger
    for _ in range(8):
        subj = [c for c in tok.children if c.dep_ in SUBJECT_DEPS]
        if subj:
            s = subj[0]
            if s.lower_ in {"which", "that", "who"} and tok.dep_ == "relcl":
                return tok.head
            return s
        if tok.dep_ in {"acl", "relcl"}:
            # "ResNet-50 pretrained on ImageNet": the noun it modifies is the subject, and a
            # modified common noun ("models trained on X") is none
            return tok.head if tok.head.ent_type_ else None
        if tok.dep_ in {"amod", "compound"} and tok.head.ent_type_:
            return tok.head  # "the ImageNet-pretrained ResNet"
        if tok.dep_ not in CLIMB_DEPS or tok.head is tok:
            return None
        tok = tok.head
    return None


class RelationFinder:
    """Dependency patterns (``relations.jsonl``) and surface patterns (``relations_surface.jsonl``)."""

    def __init__(self, vocab):
        self.surface = Matcher(vocab)
        self.meta = {}
        # a sentence is matched only when it holds an entity and a trigger word of some pattern
        self.matcher = TreeMatcher(vocab)
        for p in read_jsonl("relations.jsonl"):
            self.meta[p["id"]] = p
            self.matcher.add(p["id"], expand_shapes(p["pattern"]))
        self.trigger_hashes = self.matcher.anchor_hashes
        refs = self_references()
        self.self_hashes = frozenset(vocab.strings.add(w) for w in refs["pronouns"] | refs["markers"] | refs["cues"])
        self.surface_triggers = {}  # pattern id -> the words of its first word-list token
        surface = read_jsonl("relations_surface.jsonl")
        # the surface patterns are run only on texts that hold one of the words each requires
        self.surface_gate = gate_of([p["pattern"] for p in surface], vocab)
        for p in surface:
            self.surface.add(p["id"], [p["pattern"]], greedy="LONGEST")
            self.meta[p["id"]] = p
            lists = [t["LOWER"]["IN"] for t in p["pattern"] if isinstance(t.get("LOWER"), dict) and "IN" in t["LOWER"]]
            self.surface_triggers[p["id"]] = frozenset(lists[0] if lists else ())
        self.vocab = vocab

    def __call__(self, doc: Doc, main: str | None, paper: str, names: dict):
        """Relations of a merged Doc.

        ``names`` maps an entity token's index to the names it stands for; ``main`` is the name of the method
        the paper introduces (or None) and ``paper`` the paper's title.
        """
        yield from first_of_each(self._candidates(doc, main, paper, names),
                                 lambda rel: relation_keys(rel.head, rel.relation, rel.tail))

    def _candidates(self, doc, main, paper, names):
        # 1. dependency patterns, over the sentences that hold a trigger word and an entity
        matches = set()
        sents = [s for s in doc.sents]
        arr = doc.to_array([ENT_TYPE, LOWER])
        for sent in sents:
            rows = arr[sent.start:sent.end]
            if not rows[:, 0].any():
                continue
            # a relation needs two ends: two entities, or one and a word for the paper's own work
            n_ents = int((rows[:, 0] != 0).sum())
            lowers = rows[:, 1].tolist()
            if (n_ents >= 2 or not self.self_hashes.isdisjoint(lowers)) and not self.trigger_hashes.isdisjoint(lowers):
                matches.update(self.matcher(sent, lowers))
        for pid, token_ids in sorted(matches, key=lambda m: (m[1][0], m[0], m[1])):
            meta = self.meta[pid]
            nodes = {n["RIGHT_ID"]: doc[i] for n, i in zip(meta["pattern"], token_ids)}
            trigger = nodes["trigger"]
            if is_negated(trigger):
                continue
            tail_tok = nodes["tail"]
            tails = conjuncts(tail_tok, tail_tok.ent_type_)
            heads = self._heads(meta, nodes, trigger, main, paper, names)
            yield from self._emit(meta["relation"], pid, trigger, heads, tails, names)
        # 2. surface patterns, where the parser mis-tags the trigger
        roles = {}  # (sentence start, role) -> [(pattern id, entity token)]: "student A ... teacher B"
        gated = self.surface_gate is not None and self.surface_gate.isdisjoint(arr[:, 1].tolist())
        for match_id, s, e in (() if gated else self.surface(doc)):
            pid = self.vocab.strings[match_id]
            if self.meta[pid].get("role"):
                roles.setdefault((doc[s].sent.start, self.meta[pid]["role"]), []).append((pid, doc[e - 1]))
                continue
            if self.meta[pid].get("title_only"):
                continue
            span = doc[s:e]
            words = self.surface_triggers[pid]
            trigger = next((t for t in span if t.lower_ in words), span[1])
            if is_negated(trigger) or span_negated(span):
                continue
            meta = self.meta[pid]
            if meta.get("head") == "subject":  # "... for ImageNet-1K fine-tuning": the clause's subject
                subj = subject_of(span[0])
                heads = self._heads(meta, {}, span[0], main, paper, names) if subj is not None else []
                tails = [span[0]]
                trigger = span[-1]
            else:
                heads = list(names.get(span[0].i, ()))
                if refers_to_self(span[0]):
                    heads = [main or paper]
                tails = following_list(next(t for t in reversed(span) if t.ent_type_))
            yield from self._emit(meta["relation"], pid, trigger, heads, tails, names)
        for (sent_start, role), students in sorted(roles.items()):
            if role != "student":
                continue
            for pid, student in students:
                for tpid, teacher in roles.get((sent_start, "teacher"), ()):
                    heads = list(names.get(student.i, ()))
                    yield from self._emit("distills_from", f"{pid}+{tpid}", student, heads, [teacher], names)
        # 3. sentences that report results: every dataset named is evaluated on
        for sent in sents:
            if arr[sent.start:sent.end, 0].any():
                yield from self._evaluations(sent, main, paper, names)

    def title_may_match(self, title: str) -> bool:
        """Cheap check before a title is tokenised: does it hold a word a title pattern needs?"""
        words = set(title.lower().replace(",", " ").split())
        return any(not words.isdisjoint(self.surface_triggers[pid]) for pid, m in self.meta.items()
                   if m.get("title"))

    def title_relations(self, doc: Doc, names: dict):
        """(head, relation, tail, rule) from a tokenised title: surface patterns marked "title"."""
        for match_id, s, e in self.surface(doc):
            pid = self.vocab.strings[match_id]
            meta = self.meta[pid]
            span = doc[s:e]
            if not meta.get("title") or span_negated(span):
                continue
            for h in names.get(span[0].i, ()):
                for t in following_list(next(t for t in reversed(span) if t.ent_type_)):
                    for tname in names.get(t.i, ()):
                        if h != tname:
                            yield h, meta["relation"], tname, pid

    def _emit(self, rel, rule, trigger, heads, tails, names):
        sent = trigger.sent
        rel = hyphen_prefixed(trigger, rel)
        if rel == "compared_with" and has_comparative(sent):
            rel, rule = "outperforms", rule + "+comparative"
        for h in heads:
            for t in tails:
                for tname in names.get(t.i, ()):
                    if h != tname:
                        yield Relation(h, rel, tname, sent.start_char, sent.end_char, rule,
                                       **_extras(rel, sent, trigger, t, names))

    def _evaluations(self, sent, main, paper, names):
        cues = eval_cues()
        trigger = next((t for t in sent if t.lower_ in cues), None)
        if trigger is None:
            return
        datasets = [t for t in sent if t.ent_type_ == "dataset" and t.i in names]
        if not datasets:
            return
        head = None
        root = sent.root
        subj = subject_of(trigger) if trigger.dep_ != "ROOT" or any(c.dep_ in SUBJECT_DEPS for c in trigger.children) else None
        subj = subj or next((c for c in root.children if c.dep_ in SUBJECT_DEPS), None)
        if subj is not None:
            inside = [t for t in subj.subtree if t.ent_type_ == "method" and t.i in names]
            if subj.ent_type_ == "method" and subj.i in names:
                head = names[subj.i][0]
            elif refers_to_self(subj) or any(refers_to_self(t) for t in subj.subtree):
                head = main or paper
            elif inside:
                head = names[inside[0].i][0]
            elif subj.ent_type_ == "dataset":
                return  # the sentence is about the dataset itself
        if head is None:
            head = main or paper
        for d in datasets:
            if is_negated(d.head):
                continue
            for dname in names[d.i]:
                yield Relation(head, "evaluated_on", dname, sent.start_char, sent.end_char, "eval_sentence",
                               **_extras("evaluated_on", sent, trigger, d, names))

    def _heads(self, meta, nodes, trigger, main, paper, names):
        mode = meta.get("head")
        if mode == "subject":
            mode = None
        if mode == "paper":
            return [paper]
        if mode == "governor":  # "a CLIP-based retriever": the noun "based" modifies, when named
            gov = trigger.head
            while gov.dep_ in {"amod", "compound", "npadvmod"} and not gov.ent_type_ and gov.head is not gov:
                gov = gov.head
            if gov.i in names:
                return list(names[gov.i])
            named = [c for c in gov.children if c.dep_ in {"appos", "acl"} and c.i in names]
            named += [g for c in gov.children if c.dep_ == "acl" for g in c.children if g.i in names]
            return [n for t in named[:1] for n in names[t.i]]
        if mode == "node":
            return [n for t in conjuncts(nodes["head"]) for n in names.get(t.i, ())]
        subj = subject_of(trigger)
        if subj is None:
            # no subject: "Experiments on X show ..." speaks of the paper's own work
            return [main or paper] if meta["relation"] == "evaluated_on" else []
        if subj.i in names:
            return [n for t in conjuncts(subj, subj.ent_type_) for n in names.get(t.i, ())]
        appos = [c for c in subj.children if c.dep_ == "appos" and c.i in names]
        if appos:  # "our searched model, BossNet-T, achieves ..."
            return list(names[appos[0].i])
        if refers_to_self(subj):
            # "we compare X with Y", "we train X with Y as the teacher": X is the head
            verb = trigger if trigger.pos_ == "VERB" or trigger.tag_.startswith("VB") else trigger.head
            while verb.dep_ in {"prep", "pobj", "pcomp", "advcl", "xcomp", "conj"} and not verb.tag_.startswith("VB") \
                    and verb.head is not verb:
                verb = verb.head
            obj = [c for c in verb.children if c.dep_ == "dobj" and c.ent_type_ == "method" and c.i in names]
            if obj and subj.lower_ == "we" and meta["relation"] not in {"introduces", "evaluated_on"}:
                return list(names[obj[0].i])
            return [main or paper]
        # "the BEiT v2 model": an entity inside the subject phrase
        inner = [c for c in subj.children if c.i in names and c.dep_ in {"compound", "nmod", "amod", "appos"}]
        if inner:
            return list(names[inner[0].i])
        return [main or paper] if meta["relation"] == "evaluated_on" and subj.lower_ in self_references()["nouns"] else []


def refers_to_self(tok: Token) -> bool:
    """'we', 'our method', 'the proposed approach', 'this model' stand for the paper's method."""
    refs = self_references()
    if tok.lower_ in refs["pronouns"]:
        return True
    if tok.lower_ in refs["nouns"]:
        return any(c.lower_ in refs["markers"] for c in tok.children)
    return False


def _extras(rel: str, sent, trigger: Token, tail: Token, names: dict) -> dict:
    out = {}
    if rel in {"outperforms", "compared_with"}:
        ds = [t for t in sent if t.ent_type_ == "dataset" and t.i in names]
        after = [t for t in ds if t.i > trigger.i] or ds
        if after:
            out["dataset"] = names[after[0].i][0]
        m = _MARGIN.search(sent.text[trigger.idx - sent.start_char:])
        if m and rel == "outperforms":
            out["margin"] = m.group(1).replace(" ", "")
    elif rel == "evaluated_on":
        m = _VALUE.search(sent.text)
        if m:
            out["value"] = m.group(1).replace(" ", "")
    return out
