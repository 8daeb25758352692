"""GraphML for Gephi, Cytoscape, yEd, igraph, graphology and networkx.

The writer is our own (a few lines of XML) rather than ``networkx.write_graphml``, so that
every reader takes the file:

* Each key has **one** declared type: a key whose values mix int and float is ``double``,
  one that mixes numbers (or booleans) with strings is ``string``; booleans alone are
  ``boolean`` (written ``true``/``false``), integers ``int`` (``long`` beyond 32 bits).
  networkx would declare one key per (name, type) pair, and igraph refuses a file with two
  keys of one name for the same domain ("Duplicate attribute name found").
* A node key and an edge key may share a name (``attr.name``); their ``id`` differs
  (``n_<name>`` and ``e_<name>``), which igraph, graphology and networkx read as separate
  vertex and edge attributes.
* ``None`` is dropped, lists, tuples and sets are joined with ``"|"``, and characters XML 1.0
  forbids (most C0 controls, lone surrogates, U+FFFE/U+FFFF) are removed; a mapping value
  raises ``TypeError``.
* Edge ids are the multigraph edge keys (``e0``, ``e1``, ...), unique in the file as Gephi
  requires; a graph whose keys are not unique gets fresh ``e<n>`` ids.
* Every node has a ``label`` (its id when it had none), the column Gephi and Cytoscape show.
* Nodes are written sorted by id and edges by key, so the same graph gives the same bytes;
  the file is written atomically (:func:`kg.export.atomic_write`): a failed write leaves the
  previous file, never an empty or partial one.

Readers differ in small ways. networkx (:func:`read_graphml`) gives back the same types.
``igraph.Graph.Read_GraphML`` reads every ``int``/``long``/``double`` as a float, fills a
vertex or edge that lacks an attribute with ``NaN``, ``""`` or ``False``, and stores the
node ids in the vertex attribute ``id``; python-igraph 1.0's edge ``id`` attribute does not
hold the edge ids (it repeats vertex ids), so match igraph edges to ours by position: edges
are in the file's order. graphology-graphml keeps the edge ids as edge keys.
"""
from __future__ import annotations

import math
import numbers
import re
from collections.abc import Mapping
from xml.sax.saxutils import escape, quoteattr

import networkx as nx

from . import atomic_write

_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_KEY_ID_BAD = re.compile(r"[^\w.-]")
_HEAD = ('<?xml version="1.0" encoding="UTF-8"?>\n'
         '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
         'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
         'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
         'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n')


def natural_key(s) -> tuple:
    """Sort key that puts ``e2`` before ``e10``.

    >>> sorted(["e10", "e2", "e1"], key=natural_key)
    ['e1', 'e2', 'e10']
    """
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"(\d+)", str(s)))


def _scalar(v, name):
    """A value every reader takes: bool, int, float or str (None for 'drop it')."""
    if v is None:
        return None
    if isinstance(v, bool):
        return v
    if isinstance(v, numbers.Integral):
        return int(v)
    if isinstance(v, numbers.Real):
        return float(v)
    if isinstance(v, Mapping):
        raise TypeError(f"GraphML cannot hold the mapping in attribute {name!r}")
    if isinstance(v, (list, tuple, set, frozenset)):
        items = sorted(v, key=str) if isinstance(v, (set, frozenset)) else v
        v = "|".join(str(x) for x in items)
    return _XML_BAD.sub("", str(v))


def _unify(values: list):
    """The one Python type a key's values are written as (bool, int, float or str)."""
    kinds = {type(v) for v in values}
    if len(kinds) == 1:
        return kinds.pop()
    if kinds <= {int, float}:
        return float
    return str


def _as(kind, v):
    if kind is str and isinstance(v, bool):
        return "true" if v else "false"
    return kind(v)


def _clean_attrs(items, name_of):
    """Scalar values per attribute name, then one type per name."""
    rows = [{str(k): _scalar(v, k) for k, v in d.items()} for d in items]
    rows = [{k: v for k, v in r.items() if v is not None} for r in rows]
    by_name: dict = {}
    for r in rows:
        for k, v in r.items():
            by_name.setdefault(k, []).append(v)
    kinds = {k: _unify(vs) for k, vs in by_name.items()}
    return [{k: _as(kinds[k], v) for k, v in sorted(r.items())} for r in rows]


def graphml_ready(G: nx.Graph) -> nx.MultiDiGraph:
    """A normalised copy of ``G`` that GraphML and JSON hold exactly (``G`` is not changed).

    Ids become strings without forbidden characters, values become scalars with one type
    per attribute name, nodes get a ``label``, and edges get unique string keys.

    >>> G = nx.MultiDiGraph()
    >>> G.add_node("a", n=1, tags=["x", "y"], gone=None)
    >>> G.add_node("b", n=2.5)
    >>> H = graphml_ready(G)
    >>> dict(H.nodes["a"]), dict(H.nodes["b"])
    ({'label': 'a', 'n': 1.0, 'tags': 'x|y'}, {'label': 'b', 'n': 2.5})
    """
    H = nx.MultiDiGraph() if G.is_directed() else nx.MultiGraph()
    ids = {n: _XML_BAD.sub("", str(n)) for n in G}
    if len(set(ids.values())) != len(ids):
        raise ValueError("two node ids are equal once written as GraphML text")
    nodes = sorted(G.nodes(data=True), key=lambda x: natural_key(ids[x[0]]))
    attrs = _clean_attrs([d if d.get("label") not in (None, "") else {**d, "label": ids[n]}
                          for n, d in nodes], "node")
    for (n, _), d in zip(nodes, attrs):
        H.add_node(ids[n], **d)
    if G.is_multigraph():
        edges = list(G.edges(keys=True, data=True))
    else:
        edges = [(u, v, None, d) for u, v, d in G.edges(data=True)]
    keys = [_XML_BAD.sub("", str(k)) for _, _, k, _ in edges]
    if None in (k for _, _, k, _ in edges) or len(set(keys)) != len(keys):
        order = sorted(range(len(edges)), key=lambda i: (natural_key(ids[edges[i][0]]),
                                                          natural_key(ids[edges[i][1]]), str(edges[i][2])))
        keys = [""] * len(edges)
        for j, i in enumerate(order):
            keys[i] = f"e{j}"
    order = sorted(range(len(edges)), key=lambda i: natural_key(keys[i]))
    eattrs = _clean_attrs([edges[i][3] for i in order], "edge")
    for i, d in zip(order, eattrs):
        u, v = edges[i][0], edges[i][1]
        H.add_edge(ids[u], ids[v], key=keys[i], **d)
    H.graph.update(_clean_attrs([G.graph], "graph")[0])
    return H


def _type_name(values) -> str:
    v = values[0]
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, int):
        return "int" if all(-2**31 <= x < 2**31 for x in values) else "long"
    if isinstance(v, float):
        return "double"
    return "string"


def _text(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        if math.isnan(v):
            return "NaN"
        if math.isinf(v):
            return "INF" if v > 0 else "-INF"
        return repr(v)
    return escape(str(v)).replace("\r", "&#13;")


def _keys(prefix: str, dicts: list) -> dict:
    """``{attr name: (key id, GraphML type)}`` for one domain, in name order."""
    values: dict = {}
    for d in dicts:
        for k, v in d.items():
            values.setdefault(k, []).append(v)
    out, used = {}, set()
    for name in sorted(values):
        kid = f"{prefix}_{_KEY_ID_BAD.sub('_', name)}"
        while kid in used:
            kid += "_"
        used.add(kid)
        out[name] = (kid, _type_name(values[name]))
    return out


def graphml_text(G: nx.Graph) -> str:
    """The GraphML document for ``G`` as a string (see the module notes)."""
    return "".join(_document(graphml_ready(G)))


def _document(H: nx.Graph):
    """The GraphML document of a :func:`graphml_ready` graph, in pieces."""
    keys = {"graph": _keys("g", [H.graph]),
            "node": _keys("n", [d for _, d in H.nodes(data=True)]),
            "edge": _keys("e", [d for _, _, d in H.edges(data=True)])}
    yield _HEAD
    for domain in ("graph", "node", "edge"):
        for name, (kid, typ) in keys[domain].items():
            yield (f'  <key id={quoteattr(kid)} for="{domain}" attr.name={quoteattr(name)} '
                   f'attr.type="{typ}"/>\n')
    yield f'  <graph edgedefault="{"directed" if H.is_directed() else "undirected"}">\n'
    yield "".join(_data(H.graph, keys["graph"], "    "))
    for n, d in H.nodes(data=True):
        yield f"    <node id={quoteattr(n)}>\n" + "".join(_data(d, keys["node"], "      ")) + "    </node>\n"
    for u, v, k, d in sorted(H.edges(keys=True, data=True), key=lambda e: natural_key(e[2])):
        yield (f"    <edge id={quoteattr(k)} source={quoteattr(u)} target={quoteattr(v)}>\n"
               + "".join(_data(d, keys["edge"], "      ")) + "    </edge>\n")
    yield "  </graph>\n</graphml>\n"


def _data(d: dict, keys: dict, indent: str):
    for name, v in d.items():
        yield f'{indent}<data key={quoteattr(keys[name][0])}>{_text(v)}</data>\n'


def write_graphml(G: nx.Graph, path) -> None:
    """Write ``G`` as GraphML to ``path``, atomically (see the module notes).

    Every value is checked and converted (:func:`graphml_ready`) before the file is opened, so
    an unwritable value fails before anything touches the disk; the document is then written
    a node or an edge at a time, never held whole in memory.

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
        When a value cannot be written (see :func:`graphml_ready`).
    OSError
        When the file cannot be written.

    Examples
    --------
    >>> import kg, tempfile, pathlib
    >>> G = kg.build_graph([{"id": "p1", "title": "TinyBERT: Distilling BERT", "entities": [
    ...     {"name": "TinyBERT", "type": "method"}, {"name": "BERT", "type": "method"}],
    ...     "relations": [{"head": "TinyBERT", "relation": "distills_from", "tail": "BERT"}]}])
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     kg.write_graphml(G, pathlib.Path(folder) / "graph.graphml")
    ...     H = kg.load(pathlib.Path(folder) / "graph.graphml")
    >>> sorted(H.nodes) == sorted(G.nodes), H.number_of_edges()
    (True, 1)
    """
    H = graphml_ready(G)
    with atomic_write(path) as f:
        f.writelines(_document(H))


def read_graphml(path) -> nx.MultiDiGraph:
    """Read a graph written by :func:`write_graphml` (edge ids become edge keys)."""
    G = nx.read_graphml(path, force_multigraph=True)
    return G if isinstance(G, nx.MultiDiGraph) else nx.MultiDiGraph(G)
