"""kg: knowledge graphs of methods, datasets and code repositories from ML paper abstracts.

The public API, one stage a line::

    papers = kg.read_papers(["abstracts.jsonl"])       # read   (kg.read)
    records = kg.extract_records(papers)               # parse and extract (kg.pipeline; spaCy)
    G = kg.build_graph(records)                        # resolve and build (kg.graph)
    kg.write_graphml(G, "graph.graphml")               # export (kg.export: also write_json, write_html)
    G = kg.load("graph.graphml")                       # read a graph back
    kg.lineage(G, "TinyBERT")                          # ask (kg.query)

Importing kg is cheap: each name is imported from its module on first use (PEP 562), and
only :func:`extract_records` imports spaCy. Reading, building, writing and asking never do.

>>> import kg
>>> G = kg.build_graph([{"id": "p1", "title": "TinyBERT: Distilling BERT", "entities": [
...     {"name": "TinyBERT", "type": "method"}, {"name": "BERT", "type": "method"}],
...     "relations": [{"head": "TinyBERT", "relation": "distills_from", "tail": "BERT"}]}])
>>> [(r.relation, r.name) for r in kg.lineage(G, "tinybert")]
[('distills_from', 'BERT')]
"""
from __future__ import annotations

import importlib

__version__ = "0.1.0"

#: Where each public name lives.
_EXPORTS = {
    "Paper": "read", "read_papers": "read",
    "extract_records": "pipeline", "BuildOptions": "pipeline",
    "build_graph": "graph",
    "write_graphml": "export.graphml", "write_json": "export.json", "write_html": "export.html",
    "load": "query", "find_node": "query", "NodeNotFound": "query", "AmbiguousName": "query",
    "lineage": "query", "descendants": "query", "outperforms": "query", "beaten_by": "query",
    "path": "query", "compare": "query", "node_info": "query", "node_card": "query",
    "search": "query", "stats": "query", "leaderboard": "query", "conflicts": "query",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'kg' has no attribute '{name}'")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value  # the next access does not come here
    return value


def __dir__() -> list:
    return sorted(set(globals()) | set(__all__))
