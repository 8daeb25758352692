"""Walks along the graph: lineage, descendants and the path between two nodes.

This module never imports spaCy.
"""
from __future__ import annotations

from collections import deque

import networkx as nx

from ..graph import RELATIONS
from ..lookup import label as _label
from ..lookup import node_type as _type
from .base import LINEAGE, _edges, _result, find_node


def _walk(G, name, reverse, depth):
    """Breadth-first over LINEAGE edges; each node once, so cycles end."""
    if depth is not None and depth < 0:
        raise ValueError("depth must be None or >= 0")
    source = find_node(G, name)
    order = {r: i for i, r in enumerate(LINEAGE)}
    seen, queue, results = {source}, deque([(source, 0)]), []
    while queue:
        n, dist = queue.popleft()
        if depth is not None and dist >= depth:
            continue
        hops = {}
        for other, d in _edges(G, n, reverse):
            if d.get("relation") in order and other not in seen:
                hops.setdefault(other, []).append(d)
        ranked = {o: min((d["relation"] for d in ds), key=order.get) for o, ds in hops.items()}
        for other in sorted(hops, key=lambda o: (order[ranked[o]], _label(G, o).lower(), o)):
            seen.add(other)
            rel = ranked[other]
            datas = [d for d in hops[other] if d["relation"] == rel]
            how = sorted({str(d["derivation"]) for d in datas if d.get("derivation")})
            results.append(_result(G, other, rel, dist + 1, datas, parent=n, direction="in" if reverse else "out",
                                   derivation="/".join(how) or None))
            queue.append((other, dist + 1))
    return results


def lineage(G, name, depth=None) -> list:
    """What ``name`` comes from: the teachers, bases and datasets it was distilled from,
    built on or (pre)trained / fine-tuned on, transitively, nearest first.

    Each node appears once (cycles are safe); when several relations join a node to its
    parent, the first in :data:`LINEAGE` order is reported.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A graph from :func:`load` or :func:`kg.build_graph`.
    name : str
        A node id, label or alias, ignoring case, spaces and hyphens (:func:`find_node`).
    depth : int, optional
        The most hops to follow (default: no limit).

    Returns
    -------
    list of Result
        One row a node reached, breadth first: ``name``, the ``relation`` from ``parent``,
        ``depth`` and the ``evidence`` (paper and sentence) of each edge behind the hop.

    Raises
    ------
    NodeNotFound
        When no node has that name (``suggestions`` holds close ones), or several do.
    ValueError
        When ``depth`` is negative.

    Examples
    --------
    >>> import kg, networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_edge("method:tinybert", "method:bert", relation="distills_from", paper="P1")
    0
    >>> G.add_edge("method:bert", "dataset:bookcorpus", relation="pretrained_on", paper="P2")
    0
    >>> [(r.name, r.relation, r.depth) for r in kg.lineage(G, "TinyBERT")]
    [('bert', 'distills_from', 1), ('bookcorpus', 'pretrained_on', 2)]
    >>> [r.name for r in kg.lineage(G, "TinyBERT", depth=1)]
    ['bert']
    """
    return _walk(G, name, False, depth)


def descendants(G, name, depth=None) -> list:
    """What was built on, distilled from or trained on ``name``, transitively: the reverse
    of :func:`lineage`.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A graph from :func:`load` or :func:`kg.build_graph`.
    name : str
        A node id, label or alias, ignoring case, spaces and hyphens (:func:`find_node`).
    depth : int, optional
        The most hops to follow (default: no limit).

    Returns
    -------
    list of Result
        As :func:`lineage`, with ``direction`` "in": each edge points from ``name`` to ``parent``.

    Raises
    ------
    NodeNotFound
        When no node has that name (``suggestions`` holds close ones), or several do.
    ValueError
        When ``depth`` is negative.

    Examples
    --------
    >>> import kg, networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_edge("method:tinybert", "method:bert", relation="distills_from")
    0
    >>> [(r.name, r.relation, r.direction) for r in kg.descendants(G, "bert")]
    [('tinybert', 'distills_from', 'in')]
    """
    return _walk(G, name, True, depth)


def path(G, a, b) -> list:
    """The shortest chain of edges joining ``a`` to ``b``, ignoring edge direction.

    Paper nodes are used as intermediate hops only when no chain avoids them (a chain
    through a paper says only that both were mentioned there).

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A graph from :func:`load` or :func:`kg.build_graph`.
    a, b : str
        The two ends, each a node id, label or alias (:func:`find_node`).

    Returns
    -------
    list of Result
        One row a hop, from ``parent`` to ``name``; ``direction`` "in" means the edge points
        from ``name`` back to ``parent``.

    Raises
    ------
    NodeNotFound
        When no node has that name (``suggestions`` holds close ones), or several do.
    networkx.NetworkXNoPath
        When nothing joins them.

    Examples
    --------
    >>> import kg, networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_edge("method:tinybert", "method:bert", relation="distills_from")
    0
    >>> G.add_edge("method:distilbert", "method:bert", relation="distills_from")
    0
    >>> [(r.parent, r.relation, r.direction, r.name) for r in kg.path(G, "TinyBERT", "DistilBERT")]
    [('method:tinybert', 'distills_from', 'out', 'bert'), ('method:bert', 'distills_from', 'in', 'distilbert')]
    """
    s, t = find_node(G, a), find_node(G, b)
    U = G.to_undirected(as_view=True)
    hops = nx.subgraph_view(U, filter_node=lambda n: n in (s, t) or _type(G, n) != "paper")
    try:
        nodes = nx.shortest_path(hops, s, t)
    except nx.NetworkXNoPath:
        try:
            nodes = nx.shortest_path(U, s, t)
        except nx.NetworkXNoPath:
            raise nx.NetworkXNoPath(f"no path between '{_label(G, s)}' and '{_label(G, t)}'") from None
    order = {r: i for i, r in enumerate(RELATIONS)}
    rows = []
    for i, (u, v) in enumerate(zip(nodes, nodes[1:]), 1):
        edges = [("out", d) for d in G.get_edge_data(u, v, default={}).values()]
        edges += [("in", d) for d in G.get_edge_data(v, u, default={}).values()]
        rel, way = min(((d.get("relation", ""), w) for w, d in edges), key=lambda x: (order.get(x[0], 99), x))
        rows.append(_result(G, v, rel, i, [d for w, d in edges if w == way and d.get("relation", "") == rel],
                            parent=u, direction=way))
    return rows
