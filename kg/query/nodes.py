"""One node's facts and card, name search, and whole-graph counts.

This module never imports spaCy.
"""
from __future__ import annotations

import unicodedata
from collections import Counter

from ..graph import RELATIONS
from ..lookup import canonical_key
from ..lookup import forms as _forms
from ..lookup import label as _label
from ..lookup import node_type as _type
from .base import _edges, _result, find_node


def papers_of(attrs: dict) -> int:
    """A node's ``papers`` count; 0 when a graph file holds something else there ("many", 2.5e400).

    >>> papers_of({"papers": "3"}), papers_of({"papers": "many"}), papers_of({})
    (3, 0, 0)
    """
    try:
        return int(attrs.get("papers") or 0)
    except (TypeError, ValueError, OverflowError):
        return 0


def node_info(G, name) -> dict:
    """Id, name, type, aliases, paper count and first date of one node.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A graph from :func:`load` or :func:`kg.build_graph`.
    name : str
        A node id, label or alias, ignoring case, spaces and hyphens (:func:`find_node`).

    Returns
    -------
    dict
        ``id``, ``name``, ``type``, ``aliases`` (list), ``papers`` (int), ``first_seen``
        (the earliest known date of a paper naming it, or "").

    Raises
    ------
    NodeNotFound
        When no node has that name (``suggestions`` holds close ones), or several do.

    Examples
    --------
    >>> import kg, networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("method:vit", type="method", label="ViT", aliases="Vision Transformer", papers=2)
    >>> info = kg.node_info(G, "vision transformer")
    >>> info["name"], info["aliases"], info["papers"]
    ('ViT', ['Vision Transformer'], 2)
    """
    n = find_node(G, name)
    d = G.nodes[n]
    return {"id": n, "name": _label(G, n), "type": _type(G, n),
            "aliases": [a for a in str(d.get("aliases") or "").split("|") if a],
            "papers": papers_of(d), "first_seen": d.get("first_seen") or ""}


def node_card(G, name) -> dict:
    """Everything about one node: :func:`node_info`, its papers, repositories and edges.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A graph from :func:`load` or :func:`kg.build_graph`.
    name : str
        A node id, label or alias, ignoring case, spaces and hyphens (:func:`find_node`).

    Returns
    -------
    dict
        :func:`node_info`'s keys, and ``papers`` (the titles of its papers), ``repositories``
        (its own URL, or those of the papers introducing it) and ``edges`` (every edge in and
        out, as :meth:`Result.to_dict` dicts with evidence).

    Raises
    ------
    NodeNotFound
        When no node has that name (``suggestions`` holds close ones), or several do.

    Examples
    --------
    >>> import kg, networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("paper:p1", type="paper", title="MEAL V2")
    >>> G.add_node("method:meal v2", type="method", label="MEAL V2", paper_ids="paper:p1")
    >>> G.add_edge("paper:p1", "method:meal v2", relation="introduces", paper="MEAL V2")
    0
    >>> G.add_edge("paper:p1", "https://github.com/szq0214/MEAL-V2", relation="has_code")
    0
    >>> card = kg.node_card(G, "meal-v2")
    >>> card["papers"], card["repositories"], [e["relation"] for e in card["edges"]]
    (['MEAL V2'], ['https://github.com/szq0214/MEAL-V2'], ['introduces'])
    """
    n = find_node(G, name)
    card = node_info(G, n)
    pids = [p for p in str(G.nodes[n].get("paper_ids") or "").split("|") if p in G]
    card["papers"] = [G.nodes[p].get("title") or _label(G, p) for p in pids]
    sources = [n] + [u for u, _, d in G.in_edges(n, data=True)
                     if d.get("relation") == "introduces" and _type(G, u) == "paper"]
    repos = [v for s in sources for _, v, d in G.out_edges(s, data=True) if d.get("relation") == "has_code"]
    if _type(G, n) == "repository":
        repos.insert(0, G.nodes[n].get("url") or n)
    card["repositories"] = list(dict.fromkeys(repos))
    order = {r: i for i, r in enumerate(RELATIONS)}
    groups = {}
    for way, reverse in (("out", False), ("in", True)):
        for other, d in _edges(G, n, reverse):
            groups.setdefault((way, other, d.get("relation", ""), d.get("dataset"), d.get("margin")), []).append(d)
    ordered = sorted(groups, key=lambda g: (g[0] != "out", order.get(g[2], 99), _label(G, g[1]).lower(),
                                            g[1], str(g[3] or ""), str(g[4] or "")))
    card["edges"] = [_result(G, o, rel, 1, groups[(w, o, rel, ds, m)], parent=n, direction=w,
                             dataset=ds, margin=m).to_dict() for w, o, rel, ds, m in ordered]
    return card


def search(G, text, type=None) -> list:
    """Nodes whose label or an alias contains ``text``.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A graph from :func:`load` or :func:`kg.build_graph`.
    text : str
        Compared ignoring case, and again ignoring case, spaces and hyphens.
    type : str, optional
        Keep only nodes of this type ("paper", "method", "dataset" or "repository").

    Returns
    -------
    list of dict
        :func:`node_info` of each node found, most papers first, then by name.

    Examples
    --------
    >>> import kg, networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("method:resnet50", type="method", label="ResNet-50", papers=3)
    >>> G.add_node("method:resnet18", type="method", label="ResNet-18", papers=1)
    >>> [r["name"] for r in kg.search(G, "resnet")]
    ['ResNet-50', 'ResNet-18']
    >>> kg.search(G, "resnet", type="dataset")
    []
    """
    low, key = unicodedata.normalize("NFKC", str(text)).strip().lower(), canonical_key(str(text))
    if not any(c.isalnum() for c in low):
        return []  # nothing to look for: not every node
    found = []
    for n in G:
        if type is not None and _type(G, n) != type:
            continue
        if any(low in f.lower() or key in canonical_key(f) for f, rank in _forms(G, n) if rank < 2):
            found.append(node_info(G, n))
    return sorted(found, key=lambda r: (-r["papers"], r["name"].lower(), r["id"]))


def stats(G, top=10) -> dict:
    """Counts of nodes and edges, and the best-connected entities and papers.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A graph from :func:`load` or :func:`kg.build_graph`.
    top : int
        How many entities and papers to list.

    Returns
    -------
    dict
        ``nodes`` and ``edges`` (counts), ``types`` (nodes by type), ``relations`` (edges by
        relation), ``top_entities`` (the entities with the most edges, papers excluded,
        parallel edges counted) and ``top_papers`` (the papers stating the most relations).

    Examples
    --------
    >>> import kg, networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_edge("method:a", "method:b", relation="outperforms", paper_id="paper:p1", paper="P1")
    0
    >>> s = kg.stats(G)
    >>> s["relations"], [e["name"] for e in s["top_entities"]], s["top_papers"]
    ({'outperforms': 1}, ['a', 'b'], [{'id': 'paper:p1', 'title': 'P1', 'relations': 1}])
    """
    per_paper, titles = Counter(), {}
    for *_, d in G.edges(data=True):
        if d.get("paper_id"):
            per_paper[d["paper_id"]] += 1
            titles.setdefault(d["paper_id"], d.get("paper", ""))
    entities = sorted((n for n in G if _type(G, n) != "paper"), key=lambda n: (-G.degree(n), _label(G, n).lower(), n))
    return {
        "nodes": G.number_of_nodes(), "edges": G.number_of_edges(),
        "types": dict(sorted(Counter(_type(G, n) for n in G).items())),
        "relations": dict(sorted(Counter(d.get("relation", "") for *_, d in G.edges(data=True)).items())),
        "top_entities": [{"id": n, "name": _label(G, n), "type": _type(G, n), "degree": G.degree(n),
                          "papers": papers_of(G.nodes[n])} for n in entities[:top]],
        "top_papers": [{"id": p, "title": (G.nodes[p].get("title") if p in G else None) or titles[p], "relations": c}
                       for p, c in sorted(per_paper.items(), key=lambda kv: (-kv[1], kv[0]))[:top]],
    }
