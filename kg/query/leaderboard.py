"""Leaderboards and conflicting claims, from the numbers abstracts report.

A result is an ``evaluated_on`` edge that carries a ``value`` (see :mod:`kg.graph`):
:func:`leaderboard` ranks the methods reported on one dataset by one metric, and
:func:`conflicts` finds pairs of methods that two papers rank in opposite orders. Metric names
are grouped and ranked by :mod:`kg.metrics` (higher is better, except error rates, FID, WER,
perplexity and the like). This module never imports spaCy.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass

from ..lookup import label as _label
from ..metrics import higher_is_better, metric_name
from ..resolve import canonical_key
from .base import find_node

__all__ = ["Entry", "Conflict", "leaderboard", "leaderboard_metrics", "conflicts"]


@dataclass
class Entry:
    """One row of a leaderboard: a method's best reported value in one paper."""

    rank: int
    name: str
    id: str
    value: float
    unit: str
    metric: str  # as the paper wrote it
    metric_name: str  # the name rows are grouped by
    paper: str
    paper_id: str
    sentence: str

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Conflict:
    """Two methods that two papers rank in opposite orders, with both claims."""

    a: str
    b: str
    dataset: str
    a_wins: list  # evidence ({"paper", "sentence"}) that a outperforms b
    b_wins: list

    def to_dict(self) -> dict:
        return asdict(self)


def _results(G, dataset_node):
    for u, _, d in G.in_edges(dataset_node, data=True):
        if d.get("relation") == "evaluated_on" and isinstance(d.get("value"), (int, float)):
            yield u, d


def leaderboard_metrics(G, dataset) -> list:
    """The metrics reported on ``dataset``, most reported first: ``[(metric name, count)]``."""
    n = find_node(G, dataset)
    counts = Counter(d.get("metric_name") or metric_name(d.get("metric", "")) for _, d in _results(G, n))
    return sorted(counts.items(), key=lambda kv: (not kv[0], -kv[1], kv[0]))


def leaderboard(G, dataset, metric=None) -> list:
    """Methods ranked by the value reported for them on ``dataset``.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A graph from :func:`kg.load` or :func:`kg.build_graph`.
    dataset : str
        The dataset's id, label or alias (:func:`kg.find_node`).
    metric : str, optional
        The metric to rank by, in any written form ("top-1 acc.", "AP_box"); by default the one
        reported most often on the dataset (a named one before an unnamed one).

    Returns
    -------
    list of Entry
        One row per method and paper (its best value there), best first, ties by name; the
        best is the highest value, or the lowest for metrics where lower is better.

    Raises
    ------
    NodeNotFound
        When no node has the dataset's name.

    Examples
    --------
    >>> import kg, networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("dataset:d", type="dataset", label="D")
    >>> for m, v in (("A", 80.1), ("B", 84.0)):
    ...     G.add_node("method:" + m, type="method", label=m)
    ...     _ = G.add_edge("method:" + m, "dataset:d", relation="evaluated_on", value=v, metric="top-1 acc.",
    ...                unit="%", paper="P" + m, paper_id="paper:" + m, sentence=f"{m} gets {v}% top-1 acc. on D.")
    >>> [(e.rank, e.name, e.value, e.metric_name) for e in kg.leaderboard(G, "D")]
    [(1, 'B', 84.0, 'top-1 accuracy'), (2, 'A', 80.1, 'top-1 accuracy')]
    """
    n = find_node(G, dataset)
    if metric is None:
        ranked = leaderboard_metrics(G, n)
        name = ranked[0][0] if ranked else ""
    else:
        name = metric_name(metric)
    higher = higher_is_better(name)
    best: dict = {}
    for u, d in _results(G, n):
        if (d.get("metric_name") or metric_name(d.get("metric", ""))) != name:
            continue
        key = (u, d.get("paper_id", ""))
        value = float(d["value"])
        old = best.get(key)
        if old is None or (value > old[0] if higher else value < old[0]):
            best[key] = (value, d)
    rows = sorted(best.items(), key=lambda kv: (-kv[1][0] if higher else kv[1][0], _label(G, kv[0][0]).lower(),
                                                kv[0][0], kv[0][1]))
    return [Entry(rank=i, name=_label(G, u), id=u, value=v, unit=str(d.get("unit") or ""),
                  metric=str(d.get("metric") or ""), metric_name=name, paper=str(d.get("paper", "")),
                  paper_id=pid, sentence=str(d.get("sentence", "")))
            for i, ((u, pid), (v, d)) in enumerate(rows, 1)]


def conflicts(G) -> list:
    """Pairs of methods where one paper says A outperforms B and another says B outperforms A.

    Claims on two different named datasets do not conflict; a claim with no dataset conflicts
    with any. Claims from one paper never conflict with each other.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A graph from :func:`kg.load` or :func:`kg.build_graph`.

    Returns
    -------
    list of Conflict
        Sorted by the two names; ``dataset`` is the dataset both claims name ("" when not both do).

    Examples
    --------
    >>> import kg, networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> _ = G.add_edge("method:a", "method:b", relation="outperforms", paper="P1", paper_id="paper:1", sentence="A beats B.")
    >>> _ = G.add_edge("method:b", "method:a", relation="outperforms", paper="P2", paper_id="paper:2", sentence="B beats A.")
    >>> [(c.a, c.b, c.a_wins[0]["paper"], c.b_wins[0]["paper"]) for c in kg.conflicts(G)]
    [('a', 'b', 'P1', 'P2')]
    """
    claims: dict = {}
    for u, v, d in G.edges(data=True):
        if d.get("relation") == "outperforms" and u != v:
            claims.setdefault((u, v), []).append(d)
    out = []
    for (u, v), wins in claims.items():
        losses = claims.get((v, u))
        if not losses or (_label(G, u).lower(), u) > (_label(G, v).lower(), v):
            continue
        pairs = [(w, loss) for w in wins for loss in losses if w.get("paper_id") != loss.get("paper_id")
                 and _same_dataset(w.get("dataset"), loss.get("dataset"))]
        for dataset in sorted({_both(w.get("dataset"), loss.get("dataset")) for w, loss in pairs}):
            keep = [(w, loss) for w, loss in pairs if _both(w.get("dataset"), loss.get("dataset")) == dataset]
            out.append(Conflict(a=_label(G, u), b=_label(G, v), dataset=dataset,
                                a_wins=_evidence(w for w, _ in keep), b_wins=_evidence(loss for _, loss in keep)))
    return sorted(out, key=lambda c: (c.a.lower(), c.b.lower(), c.dataset))


def _same_dataset(a, b) -> bool:
    return not a or not b or canonical_key(str(a)) == canonical_key(str(b))


def _both(a, b) -> str:
    return str(a or b or "") if a and b else ""


def _evidence(datas) -> list:
    out = []
    for d in datas:
        ev = {"paper": str(d.get("paper", "")), "sentence": str(d.get("sentence", ""))}
        if ev not in out:
            out.append(ev)
    return out
