"""Comparisons: whom a method beats, who beats it, and the methods compared on a dataset.

An ``outperforms`` edge points from the winner to the loser, so :func:`outperforms` (whom X
beats) follows out-edges and :func:`beaten_by` (who beats X) follows in-edges. This module
never imports spaCy.
"""
from __future__ import annotations

from ..lookup import forms as _forms
from ..lookup import label as _label
from ..resolve import canonical_key
from .base import _edges, _result, find_node


def _dataset_keys(G, dataset):
    """Canonical keys that name ``dataset`` (its node's label and aliases when known)."""
    keys = {canonical_key(str(dataset))}
    try:
        n = find_node(G, dataset)
    except LookupError:
        return keys
    return keys | {canonical_key(f) for f, rank in _forms(G, n) if rank < 2}


def _comparisons(G, name, dataset, reverse):
    n = find_node(G, name)
    keys = None if dataset is None else _dataset_keys(G, dataset)
    groups = {}
    for other, d in _edges(G, n, reverse):
        if d.get("relation") != "outperforms":
            continue
        if keys is not None and canonical_key(str(d.get("dataset") or "")) not in keys:
            continue
        groups.setdefault((other, d.get("dataset"), d.get("margin")), []).append(d)
    ordered = sorted(groups, key=lambda g: (_label(G, g[0]).lower(), g[0], str(g[1] or ""), str(g[2] or "")))
    return [_result(G, o, "outperforms", 1, groups[(o, ds, m)], parent=n, direction="in" if reverse else "out",
                    dataset=ds, margin=m) for o, ds, m in ordered]


def outperforms(G, name, dataset=None) -> list:
    """The methods ``name`` outperforms (its ``outperforms`` out-edges).

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A graph from :func:`load` or :func:`kg.build_graph`.
    name : str
        A node id, label or alias, ignoring case, spaces and hyphens (:func:`find_node`).
    dataset : str, optional
        Keep only the comparisons stated on this dataset (any of its names).

    Returns
    -------
    list of Result
        One row per beaten method, dataset and margin, by name; ``dataset`` and ``margin``
        are set where the sentence gave them.

    Raises
    ------
    NodeNotFound
        When no node has that name (``suggestions`` holds close ones), or several do.

    Examples
    --------
    >>> import kg, networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_edge("method:a", "method:b", relation="outperforms", dataset="ImageNet", margin="2%")
    0
    >>> [(r.name, r.dataset, r.margin) for r in kg.outperforms(G, "A", dataset="imagenet")]
    [('b', 'ImageNet', '2%')]
    >>> kg.outperforms(G, "A", dataset="COCO")
    []
    """
    return _comparisons(G, name, dataset, False)


def beaten_by(G, name, dataset=None) -> list:
    """The methods that outperform ``name`` (its ``outperforms`` in-edges); see :func:`outperforms`.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A graph from :func:`load` or :func:`kg.build_graph`.
    name : str
        A node id, label or alias, ignoring case, spaces and hyphens (:func:`find_node`).
    dataset : str, optional
        Keep only the comparisons stated on this dataset (any of its names).

    Returns
    -------
    list of Result
        One row per winning method, dataset and margin, by name, ``direction`` "in".

    Raises
    ------
    NodeNotFound
        When no node has that name (``suggestions`` holds close ones), or several do.

    Examples
    --------
    >>> import kg, networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_edge("method:a", "method:b", relation="outperforms")
    0
    >>> [r.name for r in kg.beaten_by(G, "B")]
    ['a']
    """
    return _comparisons(G, name, dataset, True)


def compare(G, dataset) -> list:
    """The methods evaluated on ``dataset`` or outperforming something on it.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A graph from :func:`load` or :func:`kg.build_graph`.
    dataset : str
        A node id, label or alias (:func:`find_node`).

    Returns
    -------
    list of Result
        One row a method: ``relation`` "evaluated_on" (an ``evaluated_on`` edge to the dataset)
        or "outperforms" (only ``outperforms`` edges whose ``dataset`` names it), ``beats``
        the methods it outperforms there. Most wins first, then by name.

    Raises
    ------
    NodeNotFound
        When no node has that name (``suggestions`` holds close ones), or several do.

    Examples
    --------
    >>> import kg, networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_edge("method:a", "dataset:cifar10", relation="evaluated_on")
    0
    >>> G.add_edge("method:b", "method:a", relation="outperforms", dataset="CIFAR-10")
    0
    >>> [(r.name, r.relation, r.beats) for r in kg.compare(G, "CIFAR-10")]
    [('b', 'outperforms', ['a']), ('a', 'evaluated_on', [])]
    """
    ds = find_node(G, dataset)
    keys = {canonical_key(f) for f, rank in _forms(G, ds) if rank < 2}
    rows = {}
    for u, _, d in G.in_edges(ds, data=True):
        if d.get("relation") == "evaluated_on":
            rows.setdefault(u, ([], {}))[0].append(d)
    for u, v, d in G.edges(data=True):
        if d.get("relation") == "outperforms" and canonical_key(str(d.get("dataset") or "")) in keys:
            rows.setdefault(u, ([], {}))[1].setdefault(v, []).append(d)
    results = [_result(G, u, "evaluated_on" if ev else "outperforms", 1, ev + [d for ds_ in wins.values() for d in ds_],
                       parent=ds, direction="in", dataset=_label(G, ds),
                       beats=sorted((_label(G, v) for v in wins), key=str.lower))
               for u, (ev, wins) in rows.items()]
    return sorted(results, key=lambda r: (-len(r.beats), r.name.lower(), r.id))
