"""What the page draws, as JSON-ready data: the nodes with positions and legend groups, the
edges with their evidence, the papers, the legend, and the names the search box answers.

This module never imports spaCy and never changes the graph it is given.
"""
from __future__ import annotations

import math
from collections import Counter

import networkx as nx

from ..lookup import AmbiguousName, NameIndex, NodeNotFound, forms
from ..query import LINEAGE
from ..query.leaderboard import leaderboard, leaderboard_metrics
from ..resolve import canonical_key
from .graphml import natural_key
from .layout import layout

RELATIONS = ("introduces", "outperforms", "compared_with", "distills_from", "pretrained_on",
             "fine_tuned_on", "trained_on", "evaluated_on", "based_on", "has_code")
#: Legend groups: node type, or ``baseline`` for methods only ever compared against.
GROUPS = {
    "paper": {"label": "paper", "shape": "square", "color": "#b8c2cc", "border": "#52606d"},
    "method": {"label": "method", "shape": "dot", "color": "#4e79a7", "border": "#2c4a6e"},
    "baseline": {"label": "baseline method", "shape": "dot", "color": "#ffffff", "border": "#4e79a7",
                 "dashed": True},
    "dataset": {"label": "dataset", "shape": "diamond", "color": "#f28e2b", "border": "#a65a10"},
    "repository": {"label": "repository", "shape": "triangle", "color": "#59a14f", "border": "#356b2e"},
}
OTHER_GROUP = {"shape": "dot", "color": "#d3cdc9", "border": "#7b7069"}
RELATION_COLORS = {
    "introduces": "#1f77b4", "outperforms": "#d62728", "compared_with": "#e377c2",
    "distills_from": "#9467bd", "pretrained_on": "#8c564b", "fine_tuned_on": "#a5a617",
    "trained_on": "#17a2b8", "evaluated_on": "#ff7f0e", "based_on": "#2ca02c", "has_code": "#6b6b6b",
}
OTHER_RELATION = "#999999"


def select_nodes(G: nx.Graph, *, focus=None, depth: int = 1, max_nodes: int | None = None) -> list:
    """Nodes to draw: all, or those within ``depth`` hops of ``focus`` (either direction);
    then at most ``max_nodes`` of them, the best-connected first (``focus`` always kept).

    >>> G = nx.MultiDiGraph([("a", "b"), ("b", "c"), ("c", "d"), ("b", "e")])
    >>> select_nodes(G, focus="c", depth=1), select_nodes(G, max_nodes=2)
    (['b', 'c', 'd'], ['b', 'c'])
    """
    if depth < 0 or (max_nodes is not None and max_nodes < 1):
        raise ValueError("depth must be >= 0 and max_nodes >= 1")
    nodes = list(G)
    if focus is not None:
        nodes = list(nx.single_source_shortest_path_length(G.to_undirected(as_view=True), focus,
                                                           cutoff=depth))
    if max_nodes is not None and len(nodes) > max_nodes:
        H = G.subgraph(nodes)
        ranked = sorted(nodes, key=lambda n: (n != focus, -H.degree(n), str(n)))
        nodes = ranked[:max_nodes]
    return sorted(nodes, key=lambda n: natural_key(str(n)))


def _split(v) -> list:
    if v is None or v == "":
        return []
    if isinstance(v, (list, tuple, set, frozenset)):
        return sorted(str(x) for x in v) if isinstance(v, (set, frozenset)) else [str(x) for x in v]
    return [x for x in str(v).split("|") if x]


def _val(v):
    """A JSON value JSON.parse takes (no NaN/Infinity, no objects)."""
    if v is None or isinstance(v, (bool, int, str)):
        return v
    if isinstance(v, float):
        return v if math.isfinite(v) else str(v)
    return "|".join(_split(v)) if isinstance(v, (list, tuple, set, frozenset)) else str(v)


def _group(d: dict) -> str:
    t = str(d.get("type", "other"))
    return "baseline" if t == "method" and d.get("baseline") is True else t


def page_data(G: nx.Graph, *, full: nx.Graph | None = None, focus=None, title: str = "kg graph",
              index: NameIndex | None = None, lineage: bool = False) -> dict:
    """Everything the page draws, as JSON-ready data (``G`` is the drawn graph, not changed).

    ``full`` (default ``G``) is where paper titles are looked up for the side panel, so a
    neighbourhood page still names every paper its nodes come from. ``names`` maps the
    canonical key of every name of a drawn node to the node :func:`kg.query.find_node`
    gives for it in ``full`` (a list of ids when the name is ambiguous): the page's search
    box answers from it. ``lineage`` opens the page on the lineage of ``focus``.
    """
    full = G if full is None else full
    index = NameIndex(full) if index is None else index
    nodes, edges = _node_records(G), _edge_records(G)
    papers = {}
    for e in edges:                      # the edge's own title, for a paper not in ``full``
        stated_in = e.pop("paper", None)
        if stated_in is not None:
            papers.setdefault(e["paper_id"], {"id": e["paper_id"], "title": str(stated_in)})
    for p in sorted({p for r in nodes for p in r["paper_ids"]} | {e["paper_id"] for e in edges if "paper_id" in e}):
        if p in full:
            d = full.nodes[p]
            papers[p] = {"id": p, "title": str(d.get("title") or d.get("label") or p)}
            papers[p].update({k: _val(d[k]) for k in ("date", "url") if d.get(k) not in (None, "")})
    groups = Counter(r["group"] for r in nodes)
    rels = Counter(e["relation"] for e in edges)
    return {
        "title": title, "focus": None if focus is None else str(focus), "nodes": nodes, "edges": edges,
        "lineage": bool(lineage and focus is not None), "lineage_relations": list(LINEAGE),
        "names": _names(G, index), "main": _main_component(G),
        "total": {"nodes": full.number_of_nodes(), "edges": full.number_of_edges()},
        "papers": [papers[p] for p in sorted(papers)],
        "groups": [{"group": g, "count": groups[g], **GROUPS.get(g, {"label": g, **OTHER_GROUP})}
                   for g in sorted(groups, key=lambda g: _rank(g, tuple(GROUPS)))],
        "relations": [{"relation": r, "count": rels[r], "color": RELATION_COLORS.get(r, OTHER_RELATION)}
                      for r in sorted(rels, key=lambda r: _rank(r, RELATIONS))],
        "leaderboards": _leaderboards(G),
    }


def _leaderboards(G: nx.Graph, limit: int = 50) -> dict:
    """Dataset node id -> its leaderboard (:func:`kg.query.leaderboard`) by the metric reported most."""
    out = {}
    for n in sorted((n for n, d in G.nodes(data=True) if d.get("type") == "dataset"), key=str):
        if not leaderboard_metrics(G, n):
            continue
        rows = leaderboard(G, n)
        if rows:
            out[str(n)] = {"metric": rows[0].metric_name, "count": len(rows),
                           "rows": [{"rank": r.rank, "id": r.id, "name": r.name, "value": r.value, "unit": r.unit,
                                     "metric": r.metric, "paper_id": r.paper_id, "sentence": r.sentence}
                                    for r in rows[:limit]]}
    return out


def _names(G: nx.Graph, index: NameIndex) -> dict:
    """Canonical key -> node id (or sorted candidate ids) for every name of a drawn node."""
    out = {}
    for n in sorted(G, key=str):
        for form, _ in forms(G, n):
            key = canonical_key(form)
            if key in out:
                continue
            try:
                out[key] = str(index.find(form))
            except AmbiguousName as e:
                out[key] = e.candidates
            except NodeNotFound:
                continue
    return out


def _main_component(G: nx.Graph) -> list:
    """Ids of the largest connected component (ties: the one with the smallest id): the
    page opens zoomed on it."""
    if not len(G):
        return []
    comps = nx.connected_components(G.to_undirected(as_view=True))
    return sorted(min(comps, key=lambda c: (-len(c), min(str(n) for n in c))), key=str)


def _rank(name: str, known: tuple) -> tuple:
    """Known names in their fixed order, then the others alphabetically."""
    return (0, known.index(name), "") if name in known else (1, 0, name)


def _node_records(G: nx.Graph) -> list:
    """One record per node, sorted by id: position, size by degree, legend group, details."""
    pos = layout(G)
    out = []
    for n in sorted(G, key=lambda x: natural_key(str(x))):
        d = G.nodes[n]
        label = str(d.get("label") or d.get("title") or n)
        deg = G.degree(n)
        rec = {"id": str(n), "label": label, "type": str(d.get("type", "other")), "group": _group(d),
               "x": pos[n][0], "y": pos[n][1], "degree": deg, "size": int(min(36, 6 + 3 * math.sqrt(deg))),
               "short": label if len(label) <= 40 else label[:38].rstrip() + "…",
               "aliases": _split(d.get("aliases")), "paper_ids": _split(d.get("paper_ids"))}
        for k in ("papers", "baseline", "url", "first_seen", "title", "date", "source", "authors"):
            if d.get(k) not in (None, ""):
                rec[k] = _val(d[k])
        out.append(rec)
    return out


def _edge_records(G: nx.Graph) -> list:
    """One record per edge, sorted by key; parallel edges get alternating curves."""
    if G.is_multigraph():
        keyed = G.edges(keys=True, data=True)
    else:
        keyed = ((u, v, None, d) for u, v, d in G.edges(data=True))
    out, pairs = [], Counter()
    for i, (u, v, k, d) in enumerate(sorted(keyed, key=lambda e: (natural_key(str(e[2])), str(e[0]), str(e[1])))):
        pair = tuple(sorted((str(u), str(v))))
        j = pairs[pair]
        pairs[pair] += 1
        curve = 0 if j == 0 else round(0.15 * ((j + 1) // 2), 2) * (1 if j % 2 else -1)
        rec = {"id": i, "key": str(i if k is None else k), "from": str(u), "to": str(v),
               "relation": str(d.get("relation", "")), "curve": curve if pair[0] == str(u) else -curve}
        for a in ("paper_id", "sentence", "rule", "dataset", "margin", "value", "metric", "unit", "derivation", "paper"):
            if d.get(a) not in (None, ""):
                rec[a] = _val(d[a])
        if "paper_id" not in rec:
            rec.pop("paper", None)
        out.append(rec)
    return out
