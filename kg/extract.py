"""One paper's extraction record from its parsed abstract: entities, then relations.

The record is what ``kg extract`` writes, one JSON object per paper::

    {"title", "id", "source", "date", "entities": [{"name", "type", "aliases"}],
     "relations": [{"head", "relation", "tail", "sentence", "start", "end", "rule", ...}]}

``start``/``end`` are character offsets of the evidence sentence in the cleaned abstract; a
relation read from the title has ``section`` "title" and offsets into the title.
"""
from __future__ import annotations

import dataclasses
import re
from collections import Counter

from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from .clauses import beats_compared_set, described_as_known, others_have_shown, speaks_of_prior_work
from .dedupe import first_of_each, relation_keys
from .entities import (DATASET, METHOD, REPOSITORY, STRONG, EntityFinder, Mention, dataset_name_word, expand_name,
                       in_dataset_lexicon, in_proposal, is_stopped)
from .nlp import doc_text
from .patterns import read_json
from .bases import (evidence as _evidence, first_sentence_with as _first_sentence_with, paper_bases,
                    title_based_mentions)
from .paper_method import (described_known, family_variants, fill_main, main_method, title_phrase_method,
                           title_version, trained_not_made, unannounced)
from .proposed import merge_mentions, proposed_names, with_repeats
from .relations import RelationFinder
from .results import ResultFinder, result_rows
from .scope import made_not_measured
from .resolve import canonical_key, is_acronym, resolution_key as _key

_TITLE = read_json("title.json")
_GLUED = re.compile(read_json("shapes.json")["GLUED_NAME"])
#: quote marks a span can carry from its text ('functional Token Resonance Imaging'): not part of a name
_QUOTES = "'\"‘’“”"
#: prepositions that name something as what a contribution is set against ("the benefits of X")
_COMPARED_PREPS = frozenset({"of", "than", "over", "from", "like", "unlike", "against", "as"})
_TITLE_DATASET = re.compile(r"^(?:(?:a|an|the)\s+)?(?:[\w-]+\s+){0,4}?(?:%s)\b(?!\s+(?:%s)\b)"
                            % ("|".join(_TITLE["dataset_nouns"]), "|".join(_TITLE["dataset_work"])), re.I)


class Extractor:
    """Holds the matchers built once per vocabulary; ``record(doc, paper)`` is pure: it reads the
    caller's Doc and merges entity mentions into single tokens in a copy of it."""

    def __init__(self, nlp):
        self.entities = EntityFinder(nlp.vocab)
        self.relations = RelationFinder(nlp.vocab)
        self.results = ResultFinder()
        self.make_doc = nlp.make_doc

    def record(self, doc: Doc, paper) -> dict:
        mentions = _unglued(list(self.entities(doc)))
        plain = proposed_names(doc) + title_based_mentions(doc, paper.title)
        mentions = with_repeats(doc, merge_mentions(mentions, plain))
        ents = EntityTable()
        for m in mentions:
            ents.add(m)
        ents.rename_title_named(paper.title)
        title_name, title_type = self.title_name(paper.title, ents, doc_text(doc))
        if title_name:
            ents.add_name(title_name, (title_type, title_type == DATASET))
        # a name's type is the paper's verdict on it, not one mention's
        mentions = [m if m.type == REPOSITORY else ents.typed(m) for m in mentions]
        doc, spans = self._merge(doc, mentions)
        names = {span.start: ents.names_of(m.text) for span, m in spans}
        found = []
        if title_name:
            sent = _first_sentence_with(doc, title_name)
            name = ents.display(ents.name_of(title_name), paper.title)
            found.append(_evidence(paper.title, "introduces", name, sent, "title_prefix", paper.title))
        intro = _proposed(spans)
        for span, m in intro:
            name = ents.display(ents.name_of(m.text), paper.title)
            found.append(_evidence(paper.title, "introduces", name, span.sent, m.rule, paper.title))
        # one pass: the paper's own method is known only once the proposals are read, so the
        # relations name it by a placeholder that is filled in afterwards
        read = [r for r in self.relations(doc, paper.title, names) if not trained_not_made(r)]
        title_method = ents.name_of(title_name) if title_name and title_type == METHOD else None
        if title_method:  # a weak cue ("X, a new ...") names another method than the title's: background
            read = [r for r in read if r.rule not in self.relations.weak_rules or r.tail == title_method]
        main = main_method(title_method, read, [(ents.name_of(m.text), m.rule, span.sent) for span, m in intro], doc, names,
                           ents.type_of, paper.title, title_phrase_method(paper.title, ents.entities()))
        main = title_version(main, paper.title, ents.entities())  # "Searching for MobileNetV3"
        # a relation of the paper's method to itself says nothing ("the next generation of MobileNets")
        filled = [r for r in fill_main(read, main or paper.title) if r.head != r.tail]
        found = made_not_measured(described_known(found + _compared_set_wins(filled, main or paper.title, doc)))
        if main and unannounced(main, found):  # "our Video LDM"
            found.append(_evidence(paper.title, "introduces", main, _first_sentence_with(doc, main), "own_method",
                                   paper.title))
        titled = self.title_relations(paper.title, ents)
        if main:  # what the paper's method is made from, read across its sentences and from its name
            found += paper_bases(doc, names, main, found, titled, ents.entities(), paper.title)
        found += titled
        for head, variant in family_variants([(r.head, r.relation, r.tail) for r in found], ents.entities()):
            found.append(_evidence(head, "introduces", variant, _first_sentence_with(doc, variant), "family_variant",
                                   paper.title))
        for span, m in spans:
            if m.type == REPOSITORY:
                found.append(_evidence(paper.title, "has_code", m.text, span.sent, "url", paper.title))
        text = doc_text(doc)
        display = lambda name: ents.display(name, paper.title)  # noqa: E731
        relations = [rec for rec in (r.as_record(paper.title if r.section else text, display) for r in found)
                     if rec["head"] != rec["tail"]]  # two names of one thing ("MobileNet" of "MobileNets")
        results = result_rows(self.results(doc, names, main or paper.title, [r for r in found if not r.section]),
                              display, text)
        return {
            "id": paper.id, "title": paper.title, "source": paper.location, "date": paper.date,
            "authors": paper.authors, **({"url": paper.attrs["url"]} if paper.attrs.get("url") else {}),
            "entities": ents.entities(), "relations": _dedupe(relations), "results": results,
        }

    def title_relations(self, title: str, ents: "EntityTable") -> list:
        """Relations a title states ("DistilBERT, a distilled version of BERT"), read from its tokens."""
        if not self.relations.title_may_match(title):
            return []
        tdoc = self.make_doc(title)
        mentions = [m for m in self.entities.match(tdoc, parsed=False) if m.type != REPOSITORY]
        if len(mentions) < 2:
            return []
        mentions = [ents.typed(m) for m in mentions]
        tdoc, spans = self._merge(tdoc, mentions)
        names = {span.start: ents.names_of(m.text) for span, m in spans}
        out = list(self.relations.title_relations(tdoc, names))
        for r in out:
            for name in (r.head, r.tail):
                if ents.type_of(name) is None:
                    ents.add_name(name, (METHOD, False))
        return out

    def title_name(self, title: str, ents: "EntityTable", text: str | None = None):
        """The name a title announces before its colon ("MEAL V2: Boosting ..."), and its type.

        A prefix of several ordinary words ("Sparse then Prune", "Federated Reconnaissance") is
        a name only where the abstract (``text``) writes it as one: with its capitals inside a
        sentence, or as an entity (an acronym's long form, a naming phrase). A one-word prefix in lower
        case is a name where the abstract repeats it and it is coined ("torchdistill: ...")."""
        head, sep, rest = title.partition(":")
        name, rest = head.strip(), rest.strip()
        if not sep or not name or len(name) > 80 or not rest or not title[len(head) + 1:][:1].isspace():
            return None, None
        name = re.sub(r"^(?:the|a|an)\s+", "", name, flags=re.I)
        words = name.split()
        suffix = ""
        if len(words) > 1 and words[-1].lower() in _TITLE["strip_suffixes"]:
            name, suffix = " ".join(words[:-1]), words[-1].lower()
        paren = re.match(r"^(.*?)\s*\(([^()]+)\)$", name)
        words = name.split()
        if paren:
            long, short = paren.group(1), paren.group(2)
            if not long.strip():
                name = short.strip()  # "(ViT): ..." names only the short form; no entity without a name
            elif not is_stopped(short):
                ents.add_name(long, None, aliases=[short])
                name = long
        elif len(words) > 3 or "," in name or not (any(c.isupper() for c in name) or _repeated_word(name, text or "")) \
                or words[0].lower().endswith("ing") \
                or any(w.lower() in _TITLE["phrase_words"] for w in words):
            return None, None  # "Re-assessing ImageNet: ..." is a phrase, not a name
        elif len(words) > 1 and not any(_name_shaped(w) for w in words):
            return None, None
        elif text is not None and _plain_phrase(name) and not _written_as_name(name, text, ents):
            return None, None
        if is_stopped(name):
            return None, None
        lead = re.match(r"^(?:an?|the)\s+(\S+)(?:\s+(\S+))?", rest, re.I)
        if (suffix in _TITLE["dataset_nouns"] or _TITLE_DATASET.match(rest) or dataset_name_word(name)
                or (lead and any(w and in_dataset_lexicon(w) for w in lead.groups()))):
            return name, DATASET  # "SlideImages: A Dataset for ...", "PASS: An ImageNet replacement"
        return name, ents.type_of(name) or METHOD

    @staticmethod
    def _merge(doc: Doc, mentions: list):
        """A copy of ``doc`` with every mention merged into one token, and (span, mention) pairs on it."""
        doc = doc.copy()
        spans = filter_spans([Span(doc, m.start, m.end, label=m.type) for m in mentions])
        by_pos = {(m.start, m.end): m for m in mentions}
        offsets = [(s.start_char, s.end_char, by_pos[(s.start, s.end)]) for s in spans]
        doc.ents = spans
        with doc.retokenize() as retok:
            for s in spans:
                if len(s) > 1:
                    retok.merge(s)
        out = []
        for a, b, m in offsets:
            span = doc.char_span(a, b)
            if span is not None:
                out.append((span, m))
        return doc, out


def _name_shaped(word: str) -> bool:
    return bool(re.search(r"[a-z][A-Z]|[A-Z]{2}|\d", word)) or bool(re.match(r"^[A-Z][a-z]+$", word))


def _repeated_word(name: str, text: str) -> bool:
    """A coined lower-case word (a digit in it, eight letters or more, or a repository's name) that the
    text repeats as written ("torchdistill", "wav2vec"); not an English word such as "beyond"."""
    if " " in name or len(name) < 4:
        return False
    found = [m.start() for m in re.finditer(r"(?<![\w-])%s(?![\w-])" % re.escape(name), text)]
    return bool(found) and (len(name) >= 8 or any(c.isdigit() for c in name)
                            or any(text.rfind("/", 0, i) > text.rfind(" ", 0, i) for i in found))


def _unglued(mentions: list) -> list:
    """A name glued to the word before it by a lost space ("learningTaCo" where the text also
    writes "TaCo") is that name. A lost space is a one-off: a glued form written twice is a name
    of its own ("sharpDARTS" beside "DARTS"), and so is one whose first word coins names
    ("miniImageNet", ``GLUED_NAME`` in ``shapes.json``)."""
    texts = Counter(m.text for m in mentions)
    out = []
    for m in mentions:
        glued = _GLUED.fullmatch(m.text) if texts[m.text] == 1 else None
        out.append(dataclasses.replace(m, text=glued.group(1)) if glued and glued.group(1) in texts else m)
    return out


def _plain_phrase(name: str) -> bool:
    """Several ordinary words: no capital inside a word, no digit ("Sparse then Prune")."""
    return len(name.split()) > 1 and all(re.fullmatch(r"[A-Z]?[a-z]+", w) for w in re.split(r"[\s\-]+", name))


def _written_as_name(name: str, text: str, ents: "EntityTable") -> bool:
    """The abstract names ``name``: an entity of it, or its capitals after a sentence's first word."""
    if _key(name) in ents.by_key:
        return True
    return any(m.start() > 0 and text[:m.start()].rstrip()[-1:] not in {".", "!", "?", ""}
               for m in re.finditer(re.escape(name), text))


def _proposed(spans: list) -> list:
    """Names a paper introduces by defining them: a naming phrase ("... called X"), and an acronym
    defined in a sentence where the authors propose something, unless it is named as the object
    of a comparison ("which we call PPO, have some of the benefits of trust region policy
    optimization (TRPO)": PPO only)."""
    out = []
    for span, m in spans:
        words = {t.lower_ for t in span.sent}
        if "they" in words and not words & {"we", "our"} or described_as_known(span[0]):
            continue  # "... which they dubbed X": someone else's naming; "a recently proposed method called X"
        if m.rule.startswith("ctx_"):
            if not speaks_of_prior_work(span.sent) and not others_have_shown(span.sent):  # "a model, termed X, has shown"
                out.append((span, m))
        elif m.rule == "abbreviation_long" and in_proposal(span):
            tok = span[0]
            while tok.dep_ == "conj" and tok.head is not tok:  # "models like A and B (SD)": the list's head
                tok = tok.head
            if not (tok.dep_ == "pobj" and tok.head.lower_ in _COMPARED_PREPS):
                out.append((span, m))
    return out


def _compared_set_wins(relations: list, main: str, doc: Doc) -> list:
    """The paper's method compared with named methods, and said to beat every method compared
    (:func:`kg.clauses.beats_compared_set`) in a sentence of its own: those comparisons are wins."""
    if not any(r.relation == "compared_with" and r.head == main for r in relations):
        return relations
    if not any(beats_compared_set(s) and not speaks_of_prior_work(s) for s in doc.sents):
        return relations
    return [dataclasses.replace(r, relation="outperforms", rule=r.rule + "+compared_set")
            if r.relation == "compared_with" and r.head == main else r for r in relations]


def _dedupe(relations: list) -> list:
    """Each relation once; a comparison whose winner another sentence names is that win, not a ``compared_with``."""
    wins = {pair for r in relations if r["relation"] == "outperforms" for pair in ((r["head"], r["tail"]), (r["tail"], r["head"]))}
    kept = (r for r in relations if r["relation"] != "compared_with" or (r["head"], r["tail"]) not in wins)
    return list(first_of_each(kept, lambda r: relation_keys(r["head"], r["relation"], r["tail"])))


class EntityTable:
    """A paper's entities keyed as :func:`kg.resolve.resolution_key` keys names across papers
    (sizes as letters, true synonyms, "ConvNeX-T" apart from "ConvNeXt"); acronym definitions
    join two names.

    A mention written as shorthand for several things ("CIFAR-10/100") is several entities.
    """

    def __init__(self):
        self.by_key: dict[str, dict] = {}
        self.order: list[str] = []

    def add(self, m: Mention) -> None:
        vote = (m.type, m.signal in STRONG)
        if m.long_form:
            self.add_name(m.long_form, vote, aliases=[m.text])
            return
        for name in expand_name(m.text):
            self.add_name(name, vote)

    def add_name(self, name: str, vote, aliases=()) -> None:
        """Add a name (and aliases); ``vote`` is (type, strong) or a bare type or None."""
        if isinstance(vote, str):
            vote = (vote, True)
        name, aliases = name.strip(_QUOTES) or name, [a.strip(_QUOTES) or a for a in aliases]
        keys = [_key(name)] + [_key(a) for a in aliases]
        entry = next((self.by_key[k] for k in keys if k in self.by_key), None)
        if entry is None:
            entry = {"name": name, "forms": [], "votes": []}
            self.order.append(keys[0])
        for form in [name, *aliases]:
            if form not in entry["forms"]:
                entry["forms"].append(form)
        if vote:
            entry["votes"].append(vote)
        if aliases and is_acronym(entry["name"]) and not is_acronym(name):
            entry["name"] = name  # the long form is the fullest name
        for k in keys:
            self.by_key[k] = entry

    def rename_title_named(self, title: str) -> None:
        """A method named as the paper's title ("Decoupled Knowledge Distillation (DKD)") goes by its
        shortest other form, so that its relations are not read as the paper's own."""
        e = self.by_key.get(_key(title))
        if e is not None and len(e["forms"]) > 1:
            e["name"] = min((f for f in e["forms"] if _key(f) != _key(title)), key=len)

    def names_of(self, text: str) -> list:
        """Entity names a mention's text stands for (several for "CIFAR-10/100")."""
        out = []
        for part in expand_name(text):
            e = self.by_key.get(_key(part))
            out.append(e["name"] if e else part)
        return out

    def display(self, name: str, title: str) -> str:
        """The form a relation names an entity by: its name, unless the title ends with it
        (a name that ends the title reads as the paper itself), then its shortest alias."""
        e = self.by_key.get(_key(name))
        if e is None or name == title or not canonical_key(title).endswith(canonical_key(name)):
            return name
        return min(e["forms"], key=len)

    def name_of(self, text: str) -> str:
        return self.names_of(text)[0]

    def typed(self, m: Mention) -> Mention:
        """``m`` with the paper's verdict on its type (its own where the paper has none)."""
        return dataclasses.replace(m, type=self.type_of(m.text) or m.type)

    def type_of(self, text: str) -> str | None:
        e = self.by_key.get(_key(expand_name(text)[0]))
        return _vote(e["votes"]) if e and e["votes"] else None

    def entities(self) -> list:
        out, seen = [], set()
        for k in self.order:
            e = self.by_key[k]
            if id(e) in seen:
                continue
            seen.add(id(e))
            out.append({"name": e["name"], "type": _vote(e["votes"]) or METHOD,
                        "aliases": [f for f in e["forms"] if f != e["name"]]})
        return out


def _vote(votes: list) -> str | None:
    """Type of an entity from its mentions: strong signals first, then the majority."""
    if not votes:
        return None
    types = [t for t, _ in votes]
    if REPOSITORY in types:
        return REPOSITORY
    strong = [t for t, st in votes if st]
    pool = strong or types
    return DATASET if pool.count(DATASET) * 2 >= len(pool) and DATASET in pool else METHOD
