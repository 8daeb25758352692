"""Relations over a parsed Doc whose entity mentions are merged into single tokens.

Patterns live in ``kg/patterns/relations.jsonl``: each is a DependencyMatcher pattern (matched
from its trigger word by :class:`kg.treematch.TreeMatcher`) whose nodes are named ``trigger``
(the word that carries the relation), ``tail`` and optionally ``head``, plus the relation it
gives, how its head is found (``head``) and, for ``based_on``, how the head was made from the
tail (``derivation``: fine-tune, distill, prune, quantize, adapter, continued-pretraining, extend,
backbone, variant):

* ``"head": "node"`` - the pattern names the head;
* ``"head": "paper"`` - the paper itself (``introduces``);
* ``"head": "governor"`` - the named noun the trigger modifies ("a CLIP-based retriever");
* ``"head": "holder"`` - the named noun the trigger's phrase attaches to ("YOLOv4 with a Y
  backbone"), else the clause's subject;
* ``"head": "object"`` - the object of the trigger's verb ("we distill a student, X, from Y");
* ``"head": "respectively"`` - "A and B serve as the teacher and student, respectively": the two
  names coordinated as the verb's object or subject pair with the two roles in order;
* ``"head": "clause"`` (surface patterns) - the subject of the clause of the match's first word;
* no ``head`` - the clause's subject (:func:`kg.clauses.subject_of`), where "we", "our method" and
  "the proposed X" stand for the method the paper introduces.

How each mode reads its head is :mod:`kg.heads`.

``"reverse": true`` swaps the two ends ("X trails Y": Y outperforms X). Coordination
distributes (:func:`kg.clauses.conjuncts`). Negated or hedged triggers give nothing, and a
sentence about prior work gives no edge to the paper's own method (:mod:`kg.clauses`).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

from spacy.attrs import ENT_TYPE, LOWER
from spacy.matcher import Matcher
from spacy.tokens import Doc, Token

from .clauses import (NOUN_CLAUSE_DEPS, OBJECT_DEPS, SUBJECT_DEPS, clause_says_who_wins, clause_subject,
                      comparison_way, conjuncts, described_as_known, eval_cues, following_list, governing_verb,
                      hyphen_prefixed, is_negated, names_a_kind, refers_to_self, self_references, span_negated,
                      speaks_of_prior_work, subject_of, under_without)
from .clauses import comparatives, hedges  # noqa: F401  (the word lists, for callers of this module)
from .dedupe import first_of_each, relation_keys
from .scope import NAMING_WORDS, not_evaluated_on
from .entities import gate_of
from .extras import edge_extras
from .heads import (MAIN, data_heads, fronted_for, governor_names, holder, improved_model, method_before,
                    named_subject, object_entity, others_evaluated, subject_names)
from .patterns import expand_shapes, read_jsonl
from .treematch import TreeMatcher

PAPER = "PAPER"
#: relations that say what data a model learnt from
DATA_RELATIONS = frozenset({"pretrained_on", "fine_tuned_on", "trained_on"})
#: the extra fields an edge may carry, in record order
EXTRAS = ("dataset", "margin", "value", "derivation")



@dataclass(frozen=True)
class Relation:
    """One relation with its evidence: the only place a relation record is built."""

    head: str
    relation: str
    tail: str
    sent_start: int  # character offsets of the evidence sentence in the text it was read from
    sent_end: int
    rule: str
    dataset: str = ""
    margin: str = ""
    value: str = ""
    derivation: str = ""
    section: str = ""  # "title" when read from the title

    def as_record(self, text: str, display=lambda name: name) -> dict:
        """The record ``kg extract`` writes; ``text`` is what the offsets index, ``display`` names an end."""
        out = {"head": display(self.head), "relation": self.relation, "tail": display(self.tail),
               "sentence": text[self.sent_start:self.sent_end], "start": self.sent_start, "end": self.sent_end,
               "rule": self.rule}
        out.update((k, v) for k, v in asdict(self).items() if k in EXTRAS and v)
        if self.section:
            out["section"] = self.section
        return out


def in_title(head: str, relation: str, tail: str, title: str, rule: str) -> Relation:
    """A relation whose evidence is the paper's title."""
    return Relation(head, relation, tail, 0, len(title), rule, section="title")


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
        self.surface_ids = frozenset(p["id"] for p in surface)
        #: rules whose "introduces" yields to a method the title names ("CLIP, a new approach, ...")
        self.weak_rules = frozenset(pid for pid, m in self.meta.items() if m.get("weak"))

    def __call__(self, doc: Doc, paper: str, names: dict):
        """Relations of a merged Doc; the paper's own method is named :data:`MAIN` (filled in later).

        ``names`` maps an entity token's index to the names it stands for; ``paper`` is the paper's title.
        """
        arr = doc.to_array([ENT_TYPE, LOWER])
        sents = [s for s in doc.sents if arr[s.start:s.end, 0].any()]
        prior = {s.start for s in sents if speaks_of_prior_work(s)}
        found = [*self._dependency_relations(doc, sents, arr, paper, names),
                 *self._surface_relations(doc, arr, paper, names)]
        for sent in sents:
            found.extend(self._evaluations(sent, paper, names))
        # a dataset named as training data in a sentence is not also evaluated on there, unless an
        # evaluation pattern says so ("we train X and attain 84% on D"); where the training phrase
        # was read from the surface, the parse misplaced it and an evaluation read from it is void
        data = {(r.sent_start, r.tail): r.rule in self.surface_ids for r in found if r.relation in DATA_RELATIONS}
        found = [r for r in found if r.relation != "evaluated_on" or (r.sent_start, r.tail) not in data
                 or r.rule != "eval_sentence" and not data[(r.sent_start, r.tail)]]
        starts = {s.start_char: s.start for s in sents}
        claims = (rel for rel in found  # a relation of the paper's method in a sentence on prior work is no claim
                  if not (rel.head in (MAIN, paper) and starts.get(rel.sent_start) in prior))
        yield from first_of_each(claims, lambda rel: relation_keys(rel.head, rel.relation, rel.tail))

    # -- stage 1: dependency patterns over the sentences holding a trigger word and an entity
    def _dependency_relations(self, doc, sents, arr, paper, names):
        matches = set()
        for sent in sents:
            rows = arr[sent.start:sent.end]
            # a relation needs two ends: two entities, or one and a word for the paper's own work
            n_ents = int((rows[:, 0] != 0).sum())
            lowers = rows[:, 1].tolist()
            if (n_ents >= 2 or not self.self_hashes.isdisjoint(lowers)) and not self.trigger_hashes.isdisjoint(lowers):
                matches.update(self.matcher(sent, lowers))
        for pid, token_ids in sorted(matches, key=lambda m: (m[1][0], m[0], m[1])):
            meta = self.meta[pid]
            nodes = {n["RIGHT_ID"]: doc[i] for n, i in zip(meta["pattern"], token_ids)}
            trigger = nodes["trigger"]
            if is_negated(trigger) or not _in_place(meta, trigger, nodes) or _prior_work_modified(nodes.values()):
                continue
            pair = _role_pair(trigger) if meta["relation"] == "distills_from" else []
            if pair or meta.get("head") == "respectively":
                # "A and B serve as the teacher and student, respectively": the two names pair with the roles
                if len(pair) == 2 and pair[1].i in names and meta.get("head") == "respectively":
                    yield from self._emit(meta, pid, trigger, list(names[pair[1].i]), pair[:1], names)
                continue
            tail_tok = nodes["tail"]
            tails = conjuncts(tail_tok, tail_tok.ent_type_ or "method")
            if meta["relation"] in DATA_RELATIONS:  # "on A, B, and C datasets": the parse hangs C on the noun
                tails = sorted({t.i: t for t in tails + following_list(tail_tok)}.values(), key=lambda t: t.i)
            heads = self._heads(meta, nodes, trigger, paper, names)
            yield from self._emit(meta, pid, trigger, heads, tails, names)

    # -- stage 2: surface patterns, where the parser mis-tags the trigger
    def _surface_relations(self, doc, arr, paper, names):
        if self.surface_gate is not None and self.surface_gate.isdisjoint(arr[:, 1].tolist()):
            return
        roles = {}  # (sentence start, role) -> [(pattern id, entity token)]: "student A ... teacher B"
        for match_id, s, e in self.surface(doc):
            pid = self.vocab.strings[match_id]
            meta = self.meta[pid]
            if meta.get("role"):
                roles.setdefault((doc[s].sent.start, meta["role"]), []).append((pid, doc[e - 1]))
                continue
            if meta.get("title_only"):
                continue
            span = doc[s:e]
            words = self.surface_triggers[pid]
            trigger = next((t for t in span if t.lower_ in words), span[1])
            if is_negated(trigger) or span_negated(span) or under_without(span[0]):
                continue
            ents = [t for t in span if t.ent_type_]
            if meta.get("head") == "subject":  # "... for ImageNet-1K fine-tuning": the clause's subject
                subj = subject_of(span[0])
                heads = self._heads(meta, {}, span[0], paper, names) if subj is not None else []
                if subj is None and span[0].dep_ not in SUBJECT_DEPS and any(  # a parse that loses the clause:
                        refers_to_self(t) for t in span.sent if t.dep_ in _SELF_DEPS):  # "our detector, named X, ..."
                    heads = [MAIN]
                tails, trigger = [span[0]], span[-1]
            elif meta.get("head") == "last":  # "BERT-to-TinyBERT distillation": the tail comes first
                heads, tails = list(names.get(ents[-1].i, ())), [ents[0]]
            elif meta.get("head") == "own":  # "the proposed method ... over the original MTT": ours, if the clause is
                subj = subject_of(span[-1])  # (and not under a verb of comparison: "we match the original X")
                mine = subj is not None and refers_to_self(subj) and not any(
                    a.lower_ in meta.get("not_under", ()) for a in span[0].ancestors)
                heads, tails = ([MAIN] if mine else []), [ents[-1]]
            elif meta.get("head") == "paper":  # "we propose a ... attack, QuScore, which ...": the paper's
                heads, tails = [paper], [ents[-1]]
            elif meta.get("head") == "holder":  # "DINO ... with a Y backbone": the method written before, else the subject
                held = method_before(span[0])
                heads = list(names.get(held.i, ())) if held is not None else subject_names(meta, span[0], names)
                tails = [ents[-1]]
            elif meta.get("head") == "clause":  # "X runs 83% faster than Y": the subject of the first word's clause
                trigger = span[0]
                heads = subject_names(meta, trigger, names)
                tails = following_list(ents[-1])
            else:
                heads = [MAIN] if refers_to_self(span[0]) else list(names.get(span[0].i, ()))
                tails = following_list(ents[-1])
            yield from self._emit(meta, pid, trigger, heads, tails, names)
        for (sent_start, role), students in sorted(roles.items()):
            if role != "student":
                continue
            for pid, student in students:
                for tpid, teacher in roles.get((sent_start, "teacher"), ()):
                    meta = {**self.meta[pid], "relation": "distills_from"}
                    yield from self._emit(meta, f"{pid}+{tpid}", student, list(names.get(student.i, ())),
                                          [teacher], names)

    def title_may_match(self, title: str) -> bool:
        """Cheap check before a title is tokenised: does it hold a word a title pattern needs?"""
        words = set(title.lower().replace(",", " ").split())
        return any(not words.isdisjoint(self.surface_triggers[pid]) for pid, m in self.meta.items()
                   if m.get("title"))

    def title_relations(self, doc: Doc, names: dict):
        """Relations read from a tokenised title: surface patterns marked "title"."""
        title = doc.text
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
                            yield in_title(h, meta["relation"], tname, title, pid)

    def _emit(self, meta, rule, trigger, heads, tails, names):
        sent = trigger.sent
        rel = hyphen_prefixed(trigger, meta["relation"])
        if rel == "compared_with" and not meta.get("keep_relation") and clause_says_who_wins(trigger):
            rel, rule = "outperforms", rule + "+comparative"
        reverse = meta.get("reverse", False)
        if rel == "outperforms":
            way = comparison_way(trigger)
            if way == "costs":  # "fewer parameters than B": a cost, not a win
                rel, rule = "compared_with", rule + "+cost"
            elif way == "less":  # "lower accuracy than B": B wins
                reverse, rule = not reverse, rule + "+less"
        derivation = meta.get("derivation", "") if rel == "based_on" else ""
        if isinstance(derivation, dict):  # the trigger word says how: {"pruned": "prune", ...}
            derivation = derivation.get(trigger.lower_, derivation.get("*", ""))
        if rel == "introduces":  # "proposing U-Net-like architectures", "we release popular models, A and B"
            tails = [t for t in tails if not names_a_kind(t) and not described_as_known(t)]
        if rel in {"outperforms", "compared_with"}:
            # not a kind ("ViT-based models") nor a bracketed backbone or size of another tail: "DFN (ViT-H)"
            tails = [t for t in tails if not names_a_kind(t)
                     and not (t.dep_ == "appos" and t.doc[t.i - 1].text == "(" and t.head in tails)]
        elif rel == "based_on":  # not what a bracket after a base spells out: "extends DINO (DETR with ...)"
            tails = [t for t in tails if not (t.dep_ == "appos" and t.doc[t.i - 1].text == "(" and t.head in tails)]
        for t in tails:  # an edge's dataset, margin and value come from its tail's place in the sentence
            extras = edge_extras(rel, sent, trigger, t, names)
            for h in heads:
                for tname in names.get(t.i, ()):
                    a, b = (tname, h) if reverse else (h, tname)
                    if a != b:
                        yield Relation(a, rel, b, sent.start_char, sent.end_char, rule, derivation=derivation, **extras)

    # -- stage 3: sentences that report results: every dataset named is evaluated on
    def _evaluations(self, sent, paper, names):
        cues = eval_cues()
        # (a cue in a clause set against prior work says nothing of the paper: "Unlike existing works that
        # improve performance ...")
        trigger = next((t for t in sent if t.lower_ in cues and not any(a.lower_ == "unlike" for a in t.ancestors)),
                       None)
        if trigger is None:
            return
        datasets = [t for t in sent if t.ent_type_ == "dataset" and t.i in names]
        if not datasets:
            return
        root = sent.root
        subj = subject_of(trigger) if trigger.dep_ != "ROOT" or any(c.dep_ in SUBJECT_DEPS for c in trigger.children) else None
        subj = subj or clause_subject(root)
        head = MAIN
        if subj is not None and subj.lower_ in cues:  # "Results on D ... show that SHRP achieves ...": SHRP's
            subj = next((s for c in subj.head.children if c.dep_ == "ccomp" for s in c.children
                         if s.dep_ in SUBJECT_DEPS and (s.ent_type_ == "method" and s.i in names or refers_to_self(s))),
                        subj)
        if subj is not None:
            if subj.ent_type_ == "dataset" or others_evaluated(subj, names):
                return  # the sentence is about the dataset itself, or evaluates other people's models
            # a method named only in a clause on the subject is not what is measured: "The VMamba model,
            # which incorporates the Mamba mechanism ..., establishes the state of the art on D"
            # (not the clause that holds the evaluation, nor a naming one: "a method - named BASIC - that achieves")
            hung = {t.i for c in subj.children if c.dep_ in NOUN_CLAUSE_DEPS and c.lower_ not in NAMING_WORDS
                    and not c.left_edge.i <= trigger.i <= c.right_edge.i for t in c.subtree}
            inside = [t for t in subj.subtree if t.ent_type_ == "method" and t.i in names]
            head = named_subject(subj, names) or next((names[t.i][0] for t in inside if t.i not in hung), MAIN)
            if head == MAIN and inside and not refers_to_self(subj) and all(t.i in hung for t in inside):
                return
        for d in datasets:
            if is_negated(d.head) or not_evaluated_on(d, subj):
                continue
            fronted = fronted_for(d, names) if head == MAIN and subj is not None and subj.lower_ == "we" else None
            who = names[fronted.i][0] if fronted is not None else head
            extras = edge_extras("evaluated_on", sent, trigger, d, names)
            for dname in names[d.i]:
                yield Relation(who, "evaluated_on", dname, sent.start_char, sent.end_char, "eval_sentence", **extras)

    def _heads(self, meta, nodes, trigger, paper, names):
        """The names a match's head stands for, by the pattern's ``head`` mode."""
        mode = meta.get("head") or "subject"
        if mode == "paper":
            return [paper]
        if mode == "node":
            node = nodes["head"]
            if not node.ent_type_ and node.lower_ in _STUDENT_WORDS:  # "into a ViT-S student"
                node = next((c for c in node.children if c.dep_ in {"compound", "nmod", "amod"} and c.i in names), node)
            return [n for t in conjuncts(node) for n in names.get(t.i, ())]
        if mode == "governor":
            return governor_names(trigger, names)
        if mode == "object":
            obj = object_entity(governing_verb(trigger), names)
            if obj is not None:
                return list(names[obj.i])
        if mode == "holder":
            held = holder(trigger)
            if held is not None and held.i in names:
                return list(names[held.i])
        if meta["relation"] in DATA_RELATIONS:
            return data_heads(meta, trigger, names, nodes)
        if meta["relation"] == "distills_from" and trigger.head.lower_ in {"with", "as"}:
            student = improved_model(governing_verb(trigger), nodes["tail"], names)
            if student is not None:  # "boosting the accuracy of ResNet18 with a ResNet-34 teacher"
                return list(names[student.i])
        return subject_names(meta, trigger, names, nodes.get("tail"))


_STUDENT_WORDS = frozenset({"student", "students"})


def _role_pair(trigger: Token) -> list:
    """The names "A and B" of "(we use) A and B as the teacher and student, respectively", else []."""
    sent = trigger.sent
    if not any(c.dep_ == "conj" and c.lower_ in _STUDENT_WORDS for c in trigger.children) \
            or not any(t.lower_ == "respectively" for t in sent[trigger.i - sent.start:]):
        return []
    verb = governing_verb(trigger)
    named = [c for c in verb.children if c.dep_ == "dobj" and c.ent_type_ == "method"]
    subj = named[0] if named else clause_subject(verb)
    return conjuncts(subj, "method") if subj is not None else []


_SELF_DEPS = SUBJECT_DEPS | {"appos"}  # where a self-reference stands for a subject the parse lost


def _prior_work_modified(tokens) -> bool:
    """A matched word modified by a prior-work adverb: "the recently proposed BERT model"."""
    words = self_references()["backgrounds"]
    return any(c.dep_ == "advmod" and c.lower_ in words for t in tokens for c in t.children)


def _in_place(meta, trigger: Token, nodes: dict) -> bool:
    """A pattern's limits on where its trigger stands: ``not_sentence_initial`` ("Based on this
    finding, we ..." is a connective); ``fronted``, the ``prep`` node opens the sentence; ``object_of``, the verbs that may govern a trigger that is
    an object ("we propose a variant of Y", not "we outperform variants of Y")."""
    if meta.get("not_sentence_initial") and trigger.i == trigger.sent.start:
        return False
    if meta.get("fronted") and nodes["prep"].i != trigger.sent.start:  # "With the pre-trained Y model, X ..."
        return False
    verbs = meta.get("object_of")
    if verbs and trigger.dep_ in OBJECT_DEPS:
        tok = trigger
        while tok.dep_ in OBJECT_DEPS | {"prep", "appos"} and tok.head is not tok:
            tok = tok.head
        return tok.lower_ in verbs
    return True
