"""Node-link JSON (``networkx.node_link_data``), the same data as the GraphML file."""
from __future__ import annotations

import json

import networkx as nx

from . import atomic_write


def to_json_data(G: nx.MultiDiGraph) -> dict:
    data = nx.node_link_data(G, edges="edges")
    data["nodes"] = sorted(data["nodes"], key=lambda n: n["id"])
    data["edges"] = sorted(data["edges"], key=lambda e: (e["source"], e["target"], str(e.get("key"))))
    return data


def write_json(G: nx.MultiDiGraph, path) -> None:
    with atomic_write(path) as f:
        json.dump(to_json_data(G), f, ensure_ascii=False, indent=1, sort_keys=True)
        f.write("\n")


def read_json(path) -> nx.MultiDiGraph:
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    return nx.node_link_graph(data, directed=True, multigraph=True, edges="edges")
