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
    """Write ``G`` as node-link JSON to ``path``, atomically.

    The file is :func:`to_json_data`: networkx's node-link layout (``nodes``, ``edges``, each
    edge with its ``key``), the values of :func:`kg.export.graphml.graphml_ready`, keys sorted.

    Parameters
    ----------
    G : networkx.Graph
        The graph (see :mod:`kg.graph`); not modified.
    path : str or pathlib.Path
        The file to write (replaced whole, or left as it was).

    Returns
    -------
    None

    Raises
    ------
    ValueError
        When a value cannot be written.
    OSError
        When the file cannot be written.

    Examples
    --------
    >>> import json, kg, tempfile, pathlib
    >>> G = kg.build_graph([{"id": "p1", "title": "TinyBERT: Distilling BERT", "entities": [
    ...     {"name": "TinyBERT", "type": "method"}, {"name": "BERT", "type": "method"}],
    ...     "relations": [{"head": "TinyBERT", "relation": "distills_from", "tail": "BERT"}]}])
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     kg.write_json(G, pathlib.Path(folder) / "graph.json")
    ...     data = json.loads((pathlib.Path(folder) / "graph.json").read_text())
    ...     H = kg.load(pathlib.Path(folder) / "graph.json")
    >>> [(e["source"], e["relation"], e["target"]) for e in data["edges"]]
    [('method:tinybert', 'distills_from', 'method:bert')]
    >>> H.nodes["method:bert"]["label"]
    'BERT'
    """
    data = to_json_data(G)
    with atomic_write(path) as f:  # streamed: the whole text is never held in memory
        json.dump(data, f, ensure_ascii=False, indent=1, sort_keys=True)
        f.write("\n")


def read_json(path) -> nx.MultiDiGraph:
    """Read a graph written by :func:`write_json`."""
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    return nx.node_link_graph(data, directed=True, multigraph=True, edges="edges")
