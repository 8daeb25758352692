"""Questions over the graph: where a method comes from, what it beats, how two things connect.

Every function takes the graph first and a *name*: a node id, label or alias, matched
ignoring case, spaces and hyphens (:func:`find_node`). Answers are :class:`Result` rows;
each row is one hop from the node ``parent`` to the node ``name`` over an edge
``relation``, with ``direction`` "out" when the edge points from ``parent`` to ``name``
and "in" when it points back, and the ``evidence`` (paper title and sentence) of every
edge behind the hop. ``Result.to_dict()`` is the JSON form.

Comparisons: an ``outperforms`` edge points from the winner to the loser, so
:func:`outperforms` (whom X beats) follows out-edges and :func:`beaten_by` (who beats X)
follows in-edges.

This module never imports spaCy; a graph written by ``kg build`` is read back by :func:`load`.
"""
from __future__ import annotations

from collections import Counter, deque
from dataclasses import asdict, dataclass, field
from pathlib import Path

import networkx as nx

from .graph import RELATIONS
from .lookup import AmbiguousName, NameIndex, NodeNotFound  # noqa: F401 (public here)
from .lookup import forms as _forms
from .lookup import label as _label
from .lookup import node_type as _type
from .resolve import canonical_key

LINEAGE = ("distills_from", "pretrained_on", "fine_tuned_on", "trained_on", "based_on")
"""Relations followed by :func:`lineage` (out-edges) and :func:`descendants` (in-edges)."""
GRAPH_SUFFIXES = (".graphml", ".json")


@dataclass
class Result:
    """One hop of an answer; ``to_dict()`` drops the fields that are None."""

    name: str
    type: str
    relation: str
    depth: int
    evidence: list = field(default_factory=list)
    id: str = ""
    parent: str | None = None
    direction: str = "out"
    dataset: str | None = None
    margin: object = None
    beats: list | None = None
    derivation: str | None = None  # how a based_on head was made from its base ("fine-tune", ...)

    def to_dict(self) -> dict:
        return {k: v for k, v in asdict(self).items() if v is not None}


def load(path) -> nx.MultiDiGraph:
    """Read ``graph.graphml`` or ``graph.json`` (chosen by suffix) into a MultiDiGraph.

    >>> load("missing.graphml")
    Traceback (most recent call last):
    FileNotFoundError: no graph file at missing.graphml
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in GRAPH_SUFFIXES:
        raise ValueError(f"cannot read {path}: expected a .graphml or .json graph file")
    if not path.is_file():
        raise FileNotFoundError(f"no graph file at {path}")
    if suffix == ".graphml":
        from .export.graphml import read_graphml
        return read_graphml(path)
    from .export.json import read_json
    return read_json(path)


def find_node(G, name) -> str:
    """Id of the node called ``name``: its id, label or any alias, ignoring case, spaces
    and hyphens. A label wins over another node's alias, and a method, dataset or
    repository over a paper of the same title. The one lookup of kg: the command line and
    the page (``kg html --focus``, its search box) answer through it (see :mod:`kg.lookup`;
    for many names, build a :class:`kg.lookup.NameIndex` once).

    Raises :class:`NodeNotFound` (with suggestions), or its subclass :class:`AmbiguousName`
    when several nodes share the name.

    >>> G = nx.MultiDiGraph()
    >>> G.add_node("method:resnet50", type="method", label="ResNet-50", aliases="ResNet50")
    >>> find_node(G, "resnet 50")
    'method:resnet50'
    >>> find_node(G, "ResNet-5O")
    Traceback (most recent call last):
    kg.lookup.NodeNotFound: no node named 'ResNet-5O'; did you mean: ResNet-50?
    """
    return NameIndex(G).find(name)


def _evidence(datas) -> list:
    out = []
    for d in datas:
        ev = {"paper": d.get("paper", ""), "sentence": d.get("sentence", "")}
        if ev not in out:
            out.append(ev)
    return out


def _result(G, n, relation, depth, datas, **extra) -> Result:
    return Result(name=_label(G, n), type=_type(G, n), relation=relation, depth=depth,
                  evidence=_evidence(datas), id=n, **extra)


def _edges(G, n, reverse):
    """(other end, edge data) of n's out-edges, or in-edges when ``reverse``."""
    if reverse:
        return ((u, d) for u, _, d in G.in_edges(n, data=True))
    return ((v, d) for _, v, d in G.out_edges(n, data=True))


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
    parent, the first in :data:`LINEAGE` order is reported. ``depth`` limits the hops.

    >>> G = nx.MultiDiGraph()
    >>> G.add_edge("method:tinybert", "method:bert", relation="distills_from", paper="P1")
    0
    >>> G.add_edge("method:bert", "dataset:bookcorpus", relation="pretrained_on", paper="P2")
    0
    >>> [(r.name, r.relation, r.depth) for r in lineage(G, "TinyBERT")]
    [('bert', 'distills_from', 1), ('bookcorpus', 'pretrained_on', 2)]
    >>> [r.name for r in lineage(G, "TinyBERT", depth=1)]
    ['bert']
    """
    return _walk(G, name, False, depth)


def descendants(G, name, depth=None) -> list:
    """What was built on, distilled from or trained on ``name``, transitively (the reverse
    of :func:`lineage`).

    >>> G = nx.MultiDiGraph()
    >>> G.add_edge("method:tinybert", "method:bert", relation="distills_from")
    0
    >>> [(r.name, r.relation, r.direction) for r in descendants(G, "bert")]
    [('tinybert', 'distills_from', 'in')]
    """
    return _walk(G, name, True, depth)


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
    """The methods ``name`` outperforms (its ``outperforms`` out-edges), with the dataset
    and margin where the sentence gave them; ``dataset`` keeps only edges on that dataset.

    >>> G = nx.MultiDiGraph()
    >>> G.add_edge("method:a", "method:b", relation="outperforms", dataset="ImageNet", margin="2%")
    0
    >>> [(r.name, r.dataset, r.margin) for r in outperforms(G, "A", dataset="imagenet")]
    [('b', 'ImageNet', '2%')]
    >>> outperforms(G, "A", dataset="COCO")
    []
    """
    return _comparisons(G, name, dataset, False)


def beaten_by(G, name, dataset=None) -> list:
    """The methods that outperform ``name`` (its ``outperforms`` in-edges); see :func:`outperforms`.

    >>> G = nx.MultiDiGraph()
    >>> G.add_edge("method:a", "method:b", relation="outperforms")
    0
    >>> [r.name for r in beaten_by(G, "B")]
    ['a']
    """
    return _comparisons(G, name, dataset, True)


def path(G, a, b) -> list:
    """The shortest chain of edges joining ``a`` to ``b``, ignoring edge direction.

    Paper nodes are used as intermediate hops only when no chain avoids them (a chain
    through a paper says only that both were mentioned there). Each row is one hop, from
    ``parent`` to ``name``; ``direction`` "in" means the edge points from ``name`` back to
    ``parent``. Raises ``networkx.NetworkXNoPath`` when nothing joins them.

    >>> G = nx.MultiDiGraph()
    >>> G.add_edge("method:tinybert", "method:bert", relation="distills_from")
    0
    >>> G.add_edge("method:distilbert", "method:bert", relation="distills_from")
    0
    >>> [(r.parent, r.relation, r.direction, r.name) for r in path(G, "TinyBERT", "DistilBERT")]
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


def node_info(G, name) -> dict:
    """Id, name, type, aliases, paper count and first date of one node.

    >>> G = nx.MultiDiGraph()
    >>> G.add_node("method:vit", type="method", label="ViT", aliases="Vision Transformer", papers=2)
    >>> node_info(G, "vision transformer")["name"]
    'ViT'
    """
    n = find_node(G, name)
    d = G.nodes[n]
    return {"id": n, "name": _label(G, n), "type": _type(G, n),
            "aliases": [a for a in str(d.get("aliases") or "").split("|") if a],
            "papers": int(d.get("papers") or 0), "first_seen": d.get("first_seen") or ""}


def node_card(G, name) -> dict:
    """Everything about one node: :func:`node_info` plus the titles of its papers, its
    repositories (its own, or those of the papers introducing it) and, under ``edges``,
    every edge in and out as :class:`Result` dicts with evidence.

    >>> G = nx.MultiDiGraph()
    >>> G.add_node("paper:p1", type="paper", title="MEAL V2")
    >>> G.add_node("method:meal v2", type="method", label="MEAL V2", paper_ids="paper:p1")
    >>> G.add_edge("paper:p1", "method:meal v2", relation="introduces", paper="MEAL V2")
    0
    >>> G.add_edge("paper:p1", "https://github.com/szq0214/MEAL-V2", relation="has_code")
    0
    >>> card = node_card(G, "meal-v2")
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


def compare(G, dataset) -> list:
    """The methods evaluated on ``dataset`` (``evaluated_on`` in-edges) or outperforming
    something on it (``outperforms`` edges whose ``dataset`` names it); ``beats`` lists
    whom each outperforms there. Most wins first.

    >>> G = nx.MultiDiGraph()
    >>> G.add_edge("method:a", "dataset:cifar10", relation="evaluated_on")
    0
    >>> G.add_edge("method:b", "method:a", relation="outperforms", dataset="CIFAR-10")
    0
    >>> [(r.name, r.relation, r.beats) for r in compare(G, "CIFAR-10")]
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


def search(G, text, type=None) -> list:
    """Nodes whose label or an alias contains ``text`` (ignoring case, spaces and hyphens),
    optionally of one ``type``; most papers first.

    >>> G = nx.MultiDiGraph()
    >>> G.add_node("method:resnet50", type="method", label="ResNet-50", papers=3)
    >>> G.add_node("method:resnet18", type="method", label="ResNet-18", papers=1)
    >>> [r["name"] for r in search(G, "resnet")]
    ['ResNet-50', 'ResNet-18']
    """
    low, key = str(text).strip().lower(), canonical_key(str(text))
    found = []
    for n in G:
        if type is not None and _type(G, n) != type:
            continue
        if any(low in f.lower() or key in canonical_key(f) for f, rank in _forms(G, n) if rank < 2):
            found.append(node_info(G, n))
    return sorted(found, key=lambda r: (-r["papers"], r["name"].lower(), r["id"]))


def stats(G, top=10) -> dict:
    """Counts of nodes by type and edges by relation, the ``top`` entities with the most
    edges (papers excluded; parallel edges count) and the papers stating the most relations.

    >>> G = nx.MultiDiGraph()
    >>> G.add_edge("method:a", "method:b", relation="outperforms", paper_id="paper:p1", paper="P1")
    0
    >>> s = stats(G)
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
                          "papers": int(G.nodes[n].get("papers") or 0)} for n in entities[:top]],
        "top_papers": [{"id": p, "title": (G.nodes[p].get("title") if p in G else None) or titles[p], "relations": c}
                       for p, c in sorted(per_paper.items(), key=lambda kv: (-kv[1], kv[0]))[:top]],
    }
