"""GraphML for Gephi, Cytoscape, yEd, igraph and networkx.

Limits: attribute values must be str, int, float or bool (lists are joined with "|", None
is dropped); characters XML 1.0 forbids are removed; each key has one declared type.
"""
from __future__ import annotations

import re

import networkx as nx

from . import atomic_write

_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _value(v):
    if isinstance(v, bool) or isinstance(v, (int, float)):
        return v
    if isinstance(v, (list, tuple, set)):
        v = "|".join(str(x) for x in v)
    return _XML_BAD.sub("", str(v))


def graphml_ready(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of G whose ids and attribute values every GraphML reader takes."""
    H = nx.MultiDiGraph()
    for n, d in sorted(G.nodes(data=True), key=lambda x: x[0]):
        H.add_node(_value(n), **{k: _value(v) for k, v in sorted(d.items()) if v is not None})
    for u, v, k, d in sorted(G.edges(keys=True, data=True), key=lambda x: str(x[2])):
        H.add_edge(_value(u), _value(v), key=_value(k), **{a: _value(b) for a, b in sorted(d.items()) if b is not None})
    return H


def write_graphml(G: nx.MultiDiGraph, path) -> None:
    H = graphml_ready(G)
    with atomic_write(path, mode="wb") as f:
        nx.write_graphml_xml(H, f, edge_id_from_attribute=None, named_key_ids=True)


def read_graphml(path) -> nx.MultiDiGraph:
    G = nx.read_graphml(path, force_multigraph=True)
    return nx.MultiDiGraph(G)
