"""The knowledge graph: a ``networkx.MultiDiGraph`` with provenance on every edge.

Nodes
    ``paper:<id>`` for papers and ``<type>:<canonical key>`` for methods and datasets; a
    repository's id is its normalised URL. Attributes: ``type``, ``label``, ``aliases``
    ("|"-joined), ``papers`` (count), ``paper_ids`` ("|"-joined paper node ids),
    ``first_seen`` (earliest known paper date or ""), and for papers ``title``, ``source``,
    ``date``; for repositories ``url``. ``baseline`` is True on methods that only ever appear
    as the object of a comparison.
Edges
    One edge per (paper, head, relation, tail), keyed by a stable id ``e<n>``. Attributes:
    ``relation``, ``paper`` (title), ``paper_id``, ``sentence``, ``start``, ``end``, ``rule``,
    and where known ``dataset``, ``margin`` (as written), and on ``based_on`` edges ``derivation``
    (how the head was made from the tail: fine-tune, distill, prune, quantize, adapter,
    continued-pretraining, extend, backbone, variant).
Results
    A reported number (the record's ``results``) is an ``evaluated_on`` edge from the method to
    the dataset with ``metric`` (as written), ``metric_name`` (grouped, :mod:`kg.metrics`),
    ``value`` (a float) and ``unit`` ("%" when written so), its sentence as evidence: the first
    result fills the paper's ``evaluated_on`` edge, every further one is an edge of its own. A
    margin over a named baseline rides on the paper's ``outperforms`` edge to that baseline
    (made when the relations lacked it), with ``dataset``; a margin over no named baseline stays
    in the record only.

Values are strings, numbers or booleans only, so that every GraphML reader takes them.
This module never imports spaCy.
"""
from __future__ import annotations

from collections import Counter
from typing import Iterable

import networkx as nx

from .dedupe import Groups, relation_keys
from .metrics import metric_name
from .resolve import Resolver, coined_names

RELATIONS = ("introduces", "outperforms", "compared_with", "distills_from", "pretrained_on",
             "fine_tuned_on", "trained_on", "evaluated_on", "based_on", "has_code")
NODE_TYPES = ("paper", "method", "dataset", "repository")
COMPARISON = {"outperforms", "compared_with"}
EDGE_EXTRAS = ("dataset", "margin", "derivation")


def paper_node(record: dict) -> str:
    return f"paper:{record['id']}"


def build_graph(records: Iterable[dict]) -> nx.MultiDiGraph:
    """The knowledge graph of a set of extraction records.

    Records with the same paper id are one paper. Entities are resolved across papers
    (:mod:`kg.resolve`); every relation becomes an edge carrying its evidence.

    Parameters
    ----------
    records : iterable of dict
        Extraction records, as :func:`kg.extract_records` yields them and ``kg extract``
        writes them: ``id``, ``title``, ``entities`` (``name``, ``type``, ``aliases``) and
        ``relations`` (``head``, ``relation``, ``tail``, and the evidence ``sentence``,
        ``start``, ``end``, ``rule``); ``source``, ``date``, ``authors`` and ``url`` when known.
        A relation whose head or tail is the paper's title starts or ends at the paper node.

    Returns
    -------
    networkx.MultiDiGraph
        Nodes and edges as the module notes describe; the same records give the same graph.

    Raises
    ------
    KeyError
        When a record has no ``id`` or ``title``.

    Examples
    --------
    >>> import kg
    >>> rec = {"id": "p1", "title": "T", "source": "a.txt:1", "date": "2020-01-02",
    ...        "entities": [{"name": "A", "type": "method", "aliases": []},
    ...                     {"name": "B-1", "type": "method", "aliases": ["B1"]}],
    ...        "relations": [{"head": "A", "relation": "outperforms", "tail": "B1",
    ...                       "sentence": "A beats B1.", "start": 0, "end": 11, "rule": "r"}]}
    >>> G = kg.build_graph([rec])
    >>> sorted(G.nodes)
    ['method:a', 'method:b1', 'paper:p1']
    >>> [(u, v, d["relation"], d["paper"]) for u, v, d in G.edges(data=True)]
    [('method:a', 'method:b1', 'outperforms', 'T')]
    >>> G.nodes["method:b1"]["baseline"]
    True
    """
    records = _merge_records(records)
    resolver = Resolver()
    for rec in records:
        resolver.add(rec["id"], rec.get("entities", []), coined_names(rec))
    resolver.resolve()

    G = nx.MultiDiGraph()
    dates = {}
    for rec in records:
        pid = paper_node(rec)
        dates[rec["id"]] = rec.get("date") or ""
        G.add_node(pid, **_clean({
            "type": "paper", "label": rec["title"], "title": rec["title"],
            "source": "|".join(rec.get("sources") or [rec.get("source", "")]),
            "date": rec.get("date") or "", "authors": rec.get("authors") or "",
            "url": rec.get("url") or "", "papers": 1, "paper_ids": pid, "aliases": "",
            "first_seen": rec.get("date") or "",
        }))
    for nid, node in sorted(resolver.nodes.items()):
        known = sorted(d for d in (dates.get(p, "") for p in node.papers) if d)
        attrs = {"type": node.type, "label": node.label, "aliases": "|".join(node.aliases),
                 "papers": len(node.papers), "paper_ids": "|".join(f"paper:{p}" for p in node.papers),
                 "first_seen": known[0] if known else ""}
        if node.type == "repository":
            attrs["url"] = node.label
        G.add_node(nid, **attrs)

    edges = []
    for rec in records:
        pid = paper_node(rec)
        seen = Groups()
        for r in rec.get("relations", []):
            if r.get("relation") not in RELATIONS:
                continue
            u = pid if r["head"] == rec["title"] else resolver.node_of(rec["id"], r["head"])
            v = pid if r["tail"] == rec["title"] else resolver.node_of(rec["id"], r["tail"])
            if u is None or v is None or not seen.first(relation_keys(u, r["relation"], v)):
                continue
            attrs = {"relation": r["relation"], "paper": rec["title"], "paper_id": pid,
                     "sentence": r.get("sentence", ""), "start": int(r.get("start", 0)),
                     "end": int(r.get("end", 0)), "rule": r.get("rule", "")}
            for k in EDGE_EXTRAS:
                if r.get(k) not in (None, ""):
                    extra = r[k]
                    if k == "dataset":
                        extra = G.nodes[resolver.node_of(rec["id"], extra)]["label"] \
                            if resolver.node_of(rec["id"], extra) else extra
                    attrs[k] = extra
            edges.append((u, v, attrs))
        edges += _result_edges(rec, pid, lambda name: pid if name == rec["title"] else resolver.node_of(rec["id"], name),
                               {(u, a["relation"], v): a for u, v, a in edges if a["paper_id"] == pid}, G)
    edges.sort(key=lambda e: (e[0], e[1], e[2]["relation"], e[2]["paper_id"], e[2]["start"]))
    for i, (u, v, attrs) in enumerate(edges):
        G.add_edge(u, v, key=f"e{i}", **attrs)
    mark_baselines(G)
    return G


def _result_edges(rec: dict, pid: str, node_of, existing: dict, G) -> list:
    """Edges for a record's results; the paper's own evaluated_on / outperforms edge takes the first."""
    out = []
    for r in rec.get("results") or []:
        try:
            value = float(r["value"])
        except (KeyError, TypeError, ValueError):
            continue
        u, d = node_of(r.get("method")), node_of(r.get("dataset"))
        v = node_of(r["over"]) if r.get("delta") and r.get("over") else d
        if u is None or v is None or d is None or u == v or (r.get("delta") and not r.get("over")):
            continue
        relation = "outperforms" if r.get("delta") else "evaluated_on"
        result = {"metric": r.get("metric") or "", "metric_name": metric_name(r.get("metric") or ""), "value": value,
                  **({"unit": r["unit"]} if r.get("unit") else {})}
        if relation == "outperforms":
            result["dataset"] = G.nodes[d]["label"]
        edge = existing.get((u, relation, v))
        if edge is not None and "value" not in edge:
            edge.update(result)  # the paper's own edge carries its first number
            if relation == "evaluated_on":
                edge.update(sentence=r.get("sentence", ""), start=int(r.get("start", 0)), end=int(r.get("end", 0)))
            continue
        attrs = {"relation": relation, "paper": rec["title"], "paper_id": pid, "sentence": r.get("sentence", ""),
                 "start": int(r.get("start", 0)), "end": int(r.get("end", 0)), "rule": "result", **result}
        existing.setdefault((u, relation, v), attrs)
        out.append((u, v, attrs))
    return out


def mark_baselines(G: nx.MultiDiGraph) -> None:
    """Set ``baseline`` on methods: True when only ever the object of a comparison."""
    for n, d in G.nodes(data=True):
        if d.get("type") != "method":
            continue
        as_tail = any(e["relation"] in COMPARISON for _, _, e in G.in_edges(n, data=True))
        as_head = any(e["relation"] in COMPARISON for _, _, e in G.out_edges(n, data=True))
        introduced = any(e["relation"] == "introduces" for _, _, e in G.in_edges(n, data=True))
        d["baseline"] = bool(as_tail and not as_head and not introduced)


def _merge_records(records: Iterable[dict]) -> list:
    """One record per paper id; a repeat adds its sources to the first."""
    by_id: dict[str, dict] = {}
    for rec in records:
        first = by_id.get(rec["id"])
        if first is None:
            rec = dict(rec)
            rec["sources"] = list(rec.get("sources") or [rec.get("source", "")])
            by_id[rec["id"]] = rec
        else:
            for s in rec.get("sources") or [rec.get("source", "")]:
                if s not in first["sources"]:
                    first["sources"].append(s)
            if not first.get("date") and rec.get("date"):
                first["date"] = rec["date"]
    return [by_id[k] for k in sorted(by_id)]


def _clean(attrs: dict) -> dict:
    return {k: v for k, v in attrs.items() if v is not None}


def summary(G: nx.MultiDiGraph) -> dict:
    """Counts of nodes by type and edges by relation."""
    return {"nodes": dict(sorted(Counter(d["type"] for _, d in G.nodes(data=True)).items())),
            "edges": dict(sorted(Counter(d["relation"] for _, _, d in G.edges(data=True)).items()))}
