"""Node-link JSON (``networkx.node_link_data``): exactly the data of the GraphML file.

Both writers start from :func:`kg.export.graphml.graphml_ready`, so ``graph.json`` and
``graph.graphml`` hold the same node ids, edge keys, attribute names, values and types
(lists joined with "|", ``None`` dropped, one type per attribute). Nodes are sorted by id
and edges by key; the file is written atomically and ends with a newline.
"""
from __future__ import annotations

import json

import networkx as nx

from . import atomic_write
from .graphml import graphml_ready, natural_key


def to_json_data(G: nx.Graph) -> dict:
    """Node-link data of the normalised graph, nodes sorted by id and edges by key.

    >>> G = nx.MultiDiGraph()
    >>> G.add_edge("a", "b", key="e0", relation="based_on")
    'e0'
    >>> d = to_json_data(G)
    >>> [n["id"] for n in d["nodes"]], d["edges"][0]["key"], d["edges"][0]["relation"]
    (['a', 'b'], 'e0', 'based_on')
    """
    data = nx.node_link_data(graphml_ready(G), edges="edges")
    data["nodes"] = sorted(data["nodes"], key=lambda n: natural_key(n["id"]))
    data["edges"] = sorted(data["edges"], key=lambda e: natural_key(e["key"]))
    return data


def write_json(G: nx.Graph, path) -> None:
    """Write ``G`` as node-link JSON to ``path``, atomically."""
    data = to_json_data(G)
    with atomic_write(path) as f:  # streamed: the whole text is never held in memory
        json.dump(data, f, ensure_ascii=False, indent=1, sort_keys=True)
        f.write("\n")


def read_json(path) -> nx.MultiDiGraph:
    """Read a graph written by :func:`write_json`."""
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    return nx.node_link_graph(data, directed=True, multigraph=True, edges="edges")
