"""The extra fields an edge takes from its evidence sentence: the dataset a comparison was made
on, the margin a method wins by, the value a method reached on a dataset."""
from __future__ import annotations

import re

from spacy.tokens import Token

from .numbers import numbers_in
from .scope import named_as_training_data

_MARGIN = re.compile(r"(?:\bby\s+(?:up\s+to\s+|about\s+|over\s+|nearly\s+|around\s+)?|\+\s?)"
                     r"(\d+(?:\.\d+)?\s?(?:%|points?|pp|mAP|AP|mIoU|dB|BLEU)?)", re.I)
_VALUE = re.compile(r"(\d+(?:\.\d+)?\s?%)")
#: how far (characters) a value may stand from the dataset it is read for
VALUE_REACH = 40


def edge_extras(rel: str, sent, trigger: Token, tail: Token, names: dict) -> dict:
    """``dataset`` and ``margin`` of a comparison, ``value`` of an evaluation."""
    out = {}
    if rel in {"outperforms", "compared_with"}:
        # (not data a model learnt from: "outperforming ViT-L with pre-training on ImageNet-22K")
        ds = [t for t in sent if t.ent_type_ == "dataset" and t.i in names and not named_as_training_data(t)]
        after = [t for t in ds if t.i > trigger.i] or ds
        if after:
            out["dataset"] = names[after[0].i][0]
        m = _MARGIN.search(sent.text[trigger.idx - sent.start_char:])
        if m and rel == "outperforms":
            out["margin"] = m.group(1).replace(" ", "")
    elif rel == "evaluated_on":
        value = nearest_value(sent, tail)
        if value:
            out["value"] = value
    return out


def nearest_value(sent, dataset: Token) -> str:
    """The percentage written nearest the dataset, a level and not a margin ("97.7% on CIFAR-10 and 74.6% on ImageNet": 74.6%
    for ImageNet), when one stands within :data:`VALUE_REACH` characters of it. Where the sentence
    names several datasets, each owns the numbers on its side up to the next one: after it when the
    sentence writes a dataset before its first number ("on COCO with 58.0% PQ, Cityscapes with
    68.4% PQ": 68.4% for Cityscapes), before it otherwise; the nearest when its side holds no number
    (none when it holds one that is not a percentage: "an ImageNet-A accuracy of 61.6%, a COCO mAP of 57.1")."""
    text, at = sent.text, dataset.idx - sent.start_char
    end = at + len(dataset.text)
    values = list(_VALUE.finditer(text))
    starts = sorted(t.idx - sent.start_char for t in sent if t.ent_type_ == "dataset")
    if len(starts) > 1 and values:
        after = starts[0] < values[0].start()
        nxt = next((s for s in starts if s > at), len(text))
        prev = max((s for s in starts if s < at), default=-1)
        own = [m for m in values if (end <= m.start() < nxt if after else prev < m.start() and m.end() <= at)]
        side = text[end:nxt] if after else text[max(prev, 0):at]
        if not own and re.search(r"\d\.\d|\d\s(?!%)", side):
            return ""  # its own number is not a percentage ("a COCO mAP of 57.1"): not a neighbour's
        values = own or values
    best = None
    for m in values:
        gap = at - m.end() if m.end() <= at else m.start() - end if m.start() >= end else 0
        if gap <= VALUE_REACH and (best is None or gap < best[0]):
            best = (gap, m.group(1).replace(" ", ""), m.end())
    if best is None or not any(not n.delta and n.end == best[2] for n in numbers_in(text, [], [], cued=True)):
        return ""  # "+0.8%", "by 2.9%", "compared to 64.7%": a margin or another's figure, no level reached
    return best[1]
