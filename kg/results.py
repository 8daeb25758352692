"""Results: the numbers an abstract reports for a method on a dataset (the record's ``results``).

A result is ``{"method", "dataset", "metric", "value", "unit", "delta", "over"?}`` with its
sentence: "BiT achieves 87.5% top-1 accuracy on ILSVRC-2012" gives a level (``delta`` false),
"surpassing EfficientNet by 2.4%" a margin (``delta`` true, ``over`` EfficientNet). Only
sentences that hold a digit and a dataset are read; :mod:`kg.numbers` finds their result numbers
in the text, and this module says whose they are and where they were measured:

* the method is the nearest one named before the number in its clause that is not a baseline
  ("than B", "surpassing B") nor a tool ("with a ResNet-50 backbone"); "we", "our model" stand for
  the paper's own method; "For X, ... we get N", "B (N%)", "N achieved by B" and "N for B" name it;
* the dataset is one written just before the number ("COCO with 58.0%"), else the one after it (before
  the next number), else the nearest before it; a dataset something was pre-trained on is not one;
* lists distribute: "N1 and N2 on D1 and D2, respectively" pairs them in order, as do methods
  ("the error of A and B is reduced by N1 and N2, respectively"); one number before coordinated
  datasets ("69% on ImageNet and CIFAR") holds for each;
* a margin's ``over`` is the nearest baseline in its clause.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np
from spacy.attrs import ENT_TYPE, LOWER, SENT_START, TAG
from spacy.tokens import Doc

from .metrics import _key as metric_key, lexicon
from .nlp import doc_text
from .numbers import DETERMINERS, Number, numbers_in, pieces, runs, rx as number_rx, words
from .clauses import is_negated, refers_to_self, self_references, speaks_of_prior_work
from .scope import named_as_training_data
from .result_lists import COORDINATED, METHOD, listed_methods, listed_overs, segment

__all__ = ["Result", "ResultFinder", "result_rows"]

DATASET, SELF = "dataset", "self"
COMPARED = {"outperforms", "compared_with"}  # relations whose tail is a baseline


@dataclass(frozen=True)
class Result:
    method: str
    dataset: str
    metric: str
    value: float
    unit: str | None
    delta: bool
    over: str
    sent_start: int
    sent_end: int

    def as_dict(self) -> dict:
        out = {"method": self.method, "dataset": self.dataset, "metric": self.metric, "value": self.value,
               "unit": self.unit, "delta": self.delta}
        return {**out, "over": self.over} if self.over else out


@dataclass
class _Mention:
    start: int  # offsets in the piece of sentence read
    end: int
    type: str  # METHOD, DATASET or SELF
    names: tuple
    role: str = ""  # "compared" (a baseline), "used" (a backbone or tool), "note" (a setting in brackets), "training", "topic" or ""
    verbs: int = 0  # verbs before it in the sentence: coordination does not cross a verb


@lru_cache(maxsize=None)
def _self_hashes(strings) -> frozenset:
    """Hashes of the words that may stand for the paper's own method ("we", "our model")."""
    refs = self_references()
    return frozenset(strings.add(w) for w in refs["pronouns"] | refs["nouns"])


@lru_cache(maxsize=None)
def _rx() -> dict:
    lx = lexicon()
    return {
        "comparison": re.compile(r"(?:^|\W)(?:%s)\s+%s$" % (words(lx["comparison_before"]), DETERMINERS), re.I),
        "role_before": re.compile(r"(?:^|\W)(?:%s)\s+%s$" % (words(lx["role_before"]), DETERMINERS), re.I),
        "role_after": re.compile(r"^\s?(?:[\w-]+\s)?(?:%s)\b" % words(lx["role_after"]), re.I),
        "topic": re.compile(r"(?:^|[;:,]\s*)for\s+%s$" % DETERMINERS, re.I),
        "and": re.compile(r"\b(?:and|or)\s+%s$" % DETERMINERS, re.I),
        "coordinated": COORDINATED,
        "training": re.compile(r"\b(?:pre-?train\w*|trained|training)\s+(?:only\s+)?(?:on|with|using)\s+(?:the\s+)?$",
                               re.I),
        "owner_after": re.compile(r"^\s?%%?\s*(?:[\w-]+\s+){0,3}?(?:(?:achieved|obtained|reported|reached|attained)\s+"
                                  r"by|for)\s+%s$" % DETERMINERS, re.I),
        "clause_end": re.compile(r",\s*(?:and|while|which|whereas|but|surpassing|outperforming)\b", re.I),
        "on_name": re.compile(r"\s?%?\s*(?:[\w@.\-]+\s+){0,3}?(?:on|in)\s+(?:the\s+)?([^\s,;.()]+)"),
        "fine_tuned": re.compile(r"\bfine-?tun\w*\b", re.I),  # fine-tuning data is where a model is measured
        "self_noun": re.compile(r"\b(?:method|model|approach|framework|system|network|variant)\s*$", re.I),
        "dataset_with": re.compile(r"^\s*(?:(?:val|validation|test|dev)\s+)?(?:set\s+|split\s+)?(?:with|:)\s*$"),
    }


class ResultFinder:
    """``finder(doc, names, main, relations)`` -> [Result] over a Doc whose entities are merged tokens.

    ``names`` maps an entity token's index to the names it stands for, ``main`` names the paper's
    own method (or the paper), ``relations`` are the paper's relations (their baselines are not
    the method a number belongs to).
    """

    def __call__(self, doc: Doc, names: dict, main: str, relations=()) -> list:
        text = doc_text(doc)
        out, seen = [], set()
        last = None  # (end, method) of the last piece of text that gave results
        # the sentences are read from arrays: only those holding a dataset and a digit are looked at
        arr = doc.to_array([SENT_START, ENT_TYPE, LOWER, TAG])
        strings = doc.vocab.strings
        dataset, verbs = strings.add(DATASET), {strings.add(t) for t in ("VB", "VBD", "VBG", "VBN", "VBP", "VBZ")}
        starts = [0] + [i for i in np.flatnonzero(arr[:, 0] == 1).tolist() if i > 0] + [len(doc)]
        for a, b in zip(starts, starts[1:]):
            if a >= b or not (arr[a:b, 1] == dataset).any():
                continue
            s_start, s_end = doc[a].idx, doc[b - 1].idx + len(doc[b - 1].text)
            if not any(c.isdigit() for c in text[s_start:s_end]) or not _claims(doc[a:b]):
                continue
            compared = {r.tail for r in relations if r.relation in COMPARED and r.sent_start == s_start}
            every = self._mentions(doc, text, a, b, arr, names, verbs, compared, main)
            for s0, s1 in pieces(text, s_start, s_end):
                ms = [replace(m, start=m.start - s0, end=m.end - s0) for m in every if s0 <= m.start and m.end <= s1]
                if not any(m.type == DATASET for m in ms):
                    continue
                stext = text[s0:s1]
                named = [(m.start, m.end) for m in ms if m.type != SELF]
                numbers = numbers_in(stext, named, named)
                if not numbers:
                    continue
                carry = last[1] if last and last[0] >= s0 - 2 else None
                found = list(self._attach(stext, numbers, ms, main, carry))
                for method, dataset_name, n, over in found:
                    r = Result(method, dataset_name, n.metric, n.value, n.unit, n.delta, over if n.delta else "",
                               s0, s1)
                    if (r.method, r.dataset, r.value, r.delta) not in seen and r.method != r.dataset:
                        seen.add((r.method, r.dataset, r.value, r.delta))
                        out.append(r)
                if found:
                    last = (s1, found[-1][0])
        return out

    @staticmethod
    def _mentions(doc, text: str, a: int, b: int, arr, names: dict, verb_tags: set, compared: set,
                  main: str = "") -> list:
        """Methods, datasets and words for the paper's own method in tokens a..b, with their offsets in the text.
        A part of the paper's method ("VATT's vision Transformer") stands for the method itself."""
        out, forms = [], lexicon()["forms"]
        self_words = _self_hashes(doc.vocab.strings)
        verbs = np.cumsum(np.isin(arr[a:b, 3], list(verb_tags))).tolist()
        for i in range(a, b):
            if not arr[i, 1] and arr[i, 2] not in self_words:
                continue
            tok = doc[i]
            start, n_verbs = tok.idx, verbs[i - a]
            if tok.ent_type_ == METHOD and main and _part_of(tok, names, main):
                out.append(_Mention(start, start + len(tok.text), SELF, (), verbs=n_verbs))
            elif tok.ent_type_ in (METHOD, DATASET) and i in names and metric_key(tok.text) not in forms:
                m = _Mention(start, start + len(tok.text), tok.ent_type_, tuple(names[i]), verbs=n_verbs)
                if tok.ent_type_ == METHOD and compared.intersection(m.names):
                    m.role = "compared"
                if tok.ent_type_ == DATASET and _training(tok, text[doc[a].idx:start]):
                    m.role = "training"  # "pretrained on JFT-300M": not where the number was measured
                out.append(m)
            elif not tok.ent_type_ and refers_to_self(tok):
                out.append(_Mention(start, start + len(tok.text), SELF, (), verbs=n_verbs))
        return out

    def _attach(self, stext: str, numbers: list, mentions: list, main: str, carry: str | None):
        _roles(stext, mentions)
        groups = runs(stext, numbers)
        datasets = _datasets(stext, numbers, groups, mentions)
        methods = listed_methods(stext, numbers, groups, mentions)
        overs = listed_overs(stext, numbers, groups, mentions)
        for i, (n, ds) in enumerate(zip(numbers, datasets)):
            if ds is None:
                continue  # a figure given for something else ("Flowers (98.8%)", "1.8% (91.9% vs. 90.1%)")
            method = methods.get(i) or _method(stext, n, mentions, main, carry)
            over = (overs.get(i) or _over(stext, n, mentions)) if n.delta else ""
            for d in ds:
                yield method, d, n, over


def _claims(sent) -> bool:
    """Whether a sentence states the paper's own results: not one about earlier work ("Recent
    methods reach 80% on D", "X has achieved ..."), nor a negated or hedged one ("may reach")."""
    return not speaks_of_prior_work(sent) and not is_negated(sent.root)


def _training(tok, before: str) -> bool:
    """A dataset named as training data ("pre-trained on D", "D-pretrained"); data a model is
    fine-tuned on is where it is measured ("After fine-tuned on COCO, X achieves 60.8 AP")."""
    r = _rx()
    if r["training"].search(before):
        return True
    return named_as_training_data(tok) and not r["fine_tuned"].search(before)


def _part_of(tok, names: dict, main: str) -> bool:
    """A method named as a part of the paper's own one: "VATT's vision Transformer"."""
    return any(c.dep_ == "poss" and main in names.get(c.i, ()) for c in tok.children)


def _roles(stext: str, mentions: list) -> None:
    """Mark each method a baseline, a tool, the topic of its clause or none of these."""
    r = _rx()
    prev, compared = None, [m for m in mentions if m.role == "compared"]
    for m in mentions:
        if m.type == METHOD and not m.role:
            before = stext[:m.start]
            opened = before.rfind("(")
            if r["comparison"].search(before):
                m.role = "compared"
            elif prev is not None and prev.type == METHOD and prev.role in ("compared", "used") \
                    and r["coordinated"].match(stext[prev.end:m.start]):
                m.role = prev.role  # "outperforms A, B and C", "with ResNet-18/ResNet-50"
            elif r["and"].search(before) and any(c.role == "compared" and c.verbs == m.verbs for c in compared):
                m.role = "compared"  # "A outperformed B on D1 by 2.1% and C on D2 by 1%"
            elif r["topic"].search(before):
                m.role = "topic"  # "For YOLOv3, ..., we boost it to 47.3% AP"
            elif r["role_before"].search(before) or r["role_after"].match(stext[m.end:]):
                m.role = "used"  # "with a ResNet-50 backbone", "we evaluate X with ResNet-18"
            elif opened > before.rfind(")") and not r["self_noun"].search(before[:opened]) \
                    and not any(o.end == len(before[:opened].rstrip()) for o in mentions):
                m.role = "note"  # "COCO object detection (FPN / C4)": a setting noted, never whose number it is
            if m.role == "compared":
                compared.append(m)
        prev = m if m.type != SELF else prev


def _bracket(stext: str, n: Number, mentions: list):
    """For a number in brackets: the entity the brackets follow, "detail" after another number, else None."""
    opened = stext.rfind("(", 0, n.start)
    if opened < 0 or stext.rfind(")", 0, n.start) > opened:
        return None
    head = stext[:opened].rstrip()
    owner = [m for m in mentions if m.type != SELF and m.end == len(head)]
    if owner:
        return owner[-1]
    last = head.split()[-1] if head.split() else ""
    if re.fullmatch(r"[\d.,%]+", last) or last[:1].isupper():
        return "detail"
    return None


def _method(stext: str, n: Number, mentions: list, main: str, carry: str | None) -> str:
    lo, hi = segment(stext, n.start)
    owner = _bracket(stext, n, mentions)
    if isinstance(owner, _Mention) and owner.type == METHOD:
        return owner.names[0]  # "MobileNetV2 (1.6 ms, 74.7% top-1)"
    after = [m for m in mentions if m.type == METHOD and n.end <= m.start < hi]
    if after and _rx()["owner_after"].match(stext[n.end:after[0].start]):
        return after[0].names[0]  # "82.0% achieved by EVA-E", "0.6% for Inception-ResNet-v2"
    before = [m for m in mentions if m.type in (METHOD, SELF) and lo <= m.start and m.end <= n.start
              and m.role != "compared"]
    plain = [m for m in before if m.role in ("", "topic")]
    # (a backbone is not whose number it is: "... using a ResNet-50 backbone network, which are 2.6 AP better")
    pick = plain[-1] if plain else next((m for m in reversed(before) if m.role != "note"
                                         and not (m.role == "used" and _rx()["role_after"].match(stext[m.end:]))), None)
    if pick is not None and pick.type == SELF:
        topic = [m for m in plain if m.role == "topic"]
        if topic and not any(m.type == METHOD and m.start > topic[-1].start for m in plain):
            pick = topic[-1]  # "For YOLO-Nano ..., we get 25.3% AP"
    if pick is None:  # "X attains 83.6%; it can still secure 82.4%": the sentence's earlier method
        pick = next((m for m in reversed(mentions) if m.type in (METHOD, SELF) and m.end <= lo and m.role == ""), None)
    if pick is None:
        return carry or main
    return main if pick.type == SELF else pick.names[0]


def _over(stext: str, n: Number, mentions: list) -> str:
    """The baseline a margin is measured against: the nearest compared method in the clause."""
    lo, hi = segment(stext, n.start)
    compared = [m for m in mentions if m.type == METHOD and m.role == "compared" and lo <= m.start < hi]
    before = [m for m in compared if m.end <= n.start]
    after = [m for m in compared if m.start >= n.end]
    pick = before[-1] if before else (after[0] if after else None)
    return pick.names[0] if pick else ""


def _datasets(stext: str, numbers: list, groups: list, mentions: list) -> list:
    """For each number, the datasets it was measured on (None: the number is not a result)."""
    r = _rx()
    datasets = [m for m in mentions if m.type == DATASET]
    measured = [d for d in datasets if d.role != "training"]
    owned = []
    for i, n in enumerate(numbers):
        _, hi = segment(stext, n.start)
        stop = min(numbers[i + 1].start if i + 1 < len(numbers) else len(stext), hi)
        cut = r["clause_end"].search(stext, n.end, stop)
        stop = cut.start() if cut else stop
        before = [d for d in measured if d.end <= n.start]
        if before and r["dataset_with"].match(stext[before[-1].end:n.start]):
            mine = [before[-1]]  # written before its number: "COCO val set with 58.0% PQ, Cityscapes ..."
        else:
            mine = [d for d in measured if n.end <= d.start and d.end <= stop]
        group = mine[:1]
        for d in mine[1:]:
            if not r["coordinated"].match(stext[group[-1].end:d.start]):
                break
            group.append(d)
        owner = _bracket(stext, n, mentions)
        if owner == "detail" or not group and owner is None and _elsewhere(stext, n, mentions):
            owned.append(None)  # "Flowers (98.8%)", "0.99 bpc on enwik8": measured on a dataset we do not know
        else:
            owned.append([owner] if getattr(owner, "type", "") == DATASET else group)
    out = [[d.names[0] for d in g] if g is not None else None for g in owned]
    respectively = "respectively" in stext.lower()
    for run in groups:  # "53.9 box AP and 46.4 mask AP on COCO", "82.9/84.8 on Kinetics-400/600": the run's data
        last = owned[run[-1]]
        if len(run) < 2 or not last or any(owned[i] or owned[i] is None for i in run[:-1]):
            continue
        listed = [name for d in last for name in d.names]
        if len(listed) == len(run):
            for i, name in zip(run, listed):
                out[i] = [name]
        elif len(listed) == 1:
            for i in run[:-1]:
                out[i] = listed[:]
    for run in groups:
        if not respectively or len(run) < 2 or any(owned[i] for i in run[:-1]):
            continue
        k, first = len(run), numbers[run[0]].start
        levels = [j for j in range(run[0]) if not numbers[j].delta and out[j]]
        earlier = list(dict.fromkeys(d.names[0] for d in measured if d.end <= first))
        if len(owned[run[-1]] or ()) == k:  # "N1 and N2 on D1 and D2, respectively"
            for i, d in zip(run, owned[run[-1]]):
                out[i] = [d.names[0]]
        elif not owned[run[-1]] and all(numbers[i].delta for i in run) and len(levels) == k:
            for i, j in zip(run, levels):  # "A on D1, B on D2, surpassing X by +a, +b, respectively"
                out[i] = out[j][:1]
                numbers[i].metric = numbers[i].metric or numbers[j].metric
        elif not owned[run[-1]] and len(earlier) == k:  # "on D1 and D2, X gets N1 and N2, respectively"
            for i, d in zip(run, earlier):
                out[i] = [d]
    for i, n in enumerate(numbers):
        if out[i] == []:
            prior = [d for d in measured if d.end <= n.start]
            cut = r["clause_end"].search(stext, n.end)
            later = [d for d in measured if n.end <= d.start and (cut is None or d.end <= cut.start())]
            pick = prior[-1] if prior else (later[0] if later else None)
            out[i] = [pick.names[0]] if pick else None
    return out


def _elsewhere(stext: str, n: Number, mentions: list) -> bool:
    """Whether the number is said to be measured "on" a name that is not one of the paper's datasets."""
    m = _rx()["on_name"].match(stext, n.end)
    if not m or any(o.start == m.end() for o in mentions):
        return False
    word = m.group(1)
    return (word[:1].isupper() or bool(re.search(r"[A-Za-z]\d|\d[A-Za-z]", word))) \
        and not number_rx()["metric_any"].match(word)


def result_rows(results: list, display, text: str) -> list:
    """The record's ``results``: names as the record shows them, each with its sentence."""
    out = []
    for r in results:
        row = r.as_dict()
        row["method"], row["dataset"] = display(r.method), display(r.dataset)
        if r.over:
            row["over"] = display(r.over)
        out.append({**row, "sentence": text[r.sent_start:r.sent_end], "start": r.sent_start, "end": r.sent_end})
    return out
