"""What every question shares: the answer row, reading a graph file, the name lookup.

This module never imports spaCy.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

import networkx as nx

from ..lookup import AmbiguousName, NameIndex, NodeNotFound  # noqa: F401 (public here)
from ..lookup import label as _label
from ..lookup import node_type as _type

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
    """Read a graph file written by ``kg build`` or a writer of :mod:`kg.export`.

    Parameters
    ----------
    path : str or pathlib.Path
        ``graph.graphml`` or ``graph.json``; the suffix tells the format.

    Returns
    -------
    networkx.MultiDiGraph
        The graph, its edge ids as edge keys. Never imports spaCy.

    Raises
    ------
    ValueError
        When the suffix is neither ``.graphml`` nor ``.json``.
    FileNotFoundError
        When there is no file at ``path``.

    Examples
    --------
    >>> import kg
    >>> kg.load("missing.graphml")
    Traceback (most recent call last):
    FileNotFoundError: no graph file at missing.graphml
    >>> kg.load("graph.csv")
    Traceback (most recent call last):
    ValueError: cannot read graph.csv: expected a .graphml or .json graph file
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in GRAPH_SUFFIXES:
        raise ValueError(f"cannot read {path}: expected a .graphml or .json graph file")
    if not path.is_file():
        raise FileNotFoundError(f"no graph file at {path}")
    if suffix == ".graphml":
        from ..export.graphml import read_graphml
        return read_graphml(path)
    from ..export.json import read_json
    return read_json(path)


def find_node(G, name) -> str:
    """Id of the node called ``name``: the one name lookup of kg.

    A node answers to its id, label or any alias, ignoring case, spaces and hyphens. A label
    wins over another node's alias, and a method, dataset or repository over a paper of the
    same title. The command line and the page (``kg html --focus``, its search box) answer
    through it (see :mod:`kg.lookup`; for many names, build a :class:`kg.lookup.NameIndex` once).

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A graph from :func:`load` or :func:`kg.build_graph`.
    name : str
        A node id, label or alias.

    Returns
    -------
    str
        The node id.

    Raises
    ------
    NodeNotFound
        When no node has that name; ``suggestions`` holds the closest names.
    AmbiguousName
        (a :class:`NodeNotFound`) when several nodes share it; ``candidates`` holds their ids.

    Examples
    --------
    >>> import kg, networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("method:resnet50", type="method", label="ResNet-50", aliases="ResNet50")
    >>> kg.find_node(G, "resnet 50")
    'method:resnet50'
    >>> kg.find_node(G, "ResNet-5O")
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
