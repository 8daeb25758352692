"""Metric names as reported and as grouped: ``kg/patterns/metrics.json`` read without spaCy.

A result keeps its metric as the abstract writes it ("top-1 acc.", "AP_box"); leaderboards
group by the metric's name ("top-1 accuracy", "AP") and rank by its direction (higher or lower
is better). Graph, export and query use this module; it never imports spaCy.
"""
from __future__ import annotations

import re
from functools import lru_cache

from .patterns import read_json

__all__ = ["metric_name", "higher_is_better", "lexicon"]

@lru_cache(maxsize=None)
def lexicon() -> dict:
    """The data file, with ``forms``: every written form (lower-cased) -> the metric's entry."""
    data = read_json("metrics.json")
    forms = {}
    for m in data["metrics"]:
        for f in [m["name"], *m["forms"]]:
            forms.setdefault(_key(f), m)
    return {**data, "forms": forms}


def _key(text: str) -> str:
    return re.sub(r"[\s_\-.^{}]+", "", text.lower())


def metric_name(metric: str) -> str:
    """The name a written metric is grouped under; an unknown one stays as written (lower-cased).

    >>> metric_name("Top-1 Acc."), metric_name("AP_box"), metric_name("mean IoU"), metric_name("cider-d")
    ('top-1 accuracy', 'AP', 'mIoU', 'CIDEr')
    >>> metric_name("zero-shot top-1 accuracy"), metric_name("linear probing"), metric_name("")
    ('top-1 accuracy', 'linear probing', '')
    """
    m = _entry(metric)
    return m["name"] if m else (metric or "").strip().lower()


def _entry(metric: str):
    """The lexicon entry of a written metric: its exact form, else the longest form it ends with."""
    forms, key = lexicon()["forms"], _key(metric or "")
    if key in forms:
        return forms[key]
    ends = [f for f in forms if len(f) > 2 and key.endswith(f)]
    return forms[max(ends, key=len)] if ends else None


def higher_is_better(name: str) -> bool:
    """Whether a larger value is a better result for this metric (error rates, FID, WER: no).

    >>> higher_is_better("top-1 accuracy"), higher_is_better("FID"), higher_is_better("wer")
    (True, False, False)
    """
    m = _entry(name)
    return not m or m["better"] == "higher"
