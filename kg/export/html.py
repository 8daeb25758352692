"""The interactive HTML view: one self-contained page that draws the graph with vis-network.

The page is our template (``templates/graph.html``, ``graph.css``, ``graph.js``) with three
things inlined when it is written: the graph data as JSON, our script, and the standalone
vis-network build that ships with the installed pyvis package (``pyvis/lib/vis-9.1.2``; its
source is not copied into kg). pyvis's own page generator is not used: in 0.3.2 it loads
Bootstrap from a CDN even with ``cdn_resources="in_line"``, its local pages are blank offline,
a title containing "href" is shown as HTML, and its select menu writes ids unescaped.

So the page opens by double-click with no network: no request leaves it, and a
Content-Security-Policy allows only its own two scripts (by hash), inline styles and
``data:`` images. Graph data sits in ``<script type="application/json" id="kg-data">`` with
``<``, ``>``, ``&``, U+2028 and U+2029 escaped, and reaches the DOM through ``textContent``
and checked ``href`` properties only (only http(s) URLs become links).

Positions are computed here (:func:`kg.export.layout.layout`) and physics is off at load,
so even large graphs draw at once. The same graph and options give byte-identical pages.
Writers never print and never change the caller's graph.
"""
from __future__ import annotations

import base64
import functools
import hashlib
import html
import json
import re
from importlib import resources
from pathlib import Path

import networkx as nx

from .. import query
from ..lookup import NameIndex
from ..lookup import label as node_label
from ..query import LINEAGE
from . import atomic_write
from .page_data import GROUPS, RELATION_COLORS, RELATIONS, page_data, select_nodes  # noqa: F401 (public here)

VIS_JS = ("lib", "vis-9.1.2", "vis-network.min.js")
#: Nodes a page draws by default: the best-connected, when a graph has more. A graph of the
#: bundled corpus (about 1,800 nodes) is drawn whole; one of 10,000 papers (about 24,000
#: nodes, 7,000 of them without an edge) would take 25 s to write, 23 MB and 6 s to draw.
PAGE_MAX_NODES = 3000
_PLACEHOLDER = re.compile(r"\{\{([A-Z_]+)\}\}")


def script_json(data) -> str:
    """JSON safe inside a ``<script>`` element: ``</script>`` or ``<!--`` cannot end it.

    >>> script_json({"t": "</script><b>&\u2028"})
    '{"t":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026\\\\u2028"}'
    """
    return "".join(script_json_parts(data))


_SCRIPT_UNSAFE = re.compile("[<>&\u2028\u2029\ud800-\udfff]")
_SCRIPT_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def _script_safe(text: str) -> str:
    return _SCRIPT_UNSAFE.sub(lambda m: _SCRIPT_ESCAPES.get(m.group(0), "\ufffd"), text)


def script_json_parts(data: dict, per_part: int = 2000):
    """:func:`script_json` in pieces: the top-level lists a few thousand items at a time.

    The pieces join to exactly ``json.dumps(data, sort_keys=True, separators=(",", ":"))``
    (escaped); each item is encoded by ``json.dumps`` (the C encoder), so a page of 100,000
    papers is written without holding its whole text.
    """
    dumps = functools.partial(json.dumps, ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                              allow_nan=False)
    if not isinstance(data, dict) or not all(isinstance(k, str) for k in data):
        yield _script_safe(dumps(data))
        return
    yield "{"
    for i, key in enumerate(sorted(data)):
        value = data[key]
        head = ("," if i else "") + dumps(key) + ":"
        if not isinstance(value, list):
            yield _script_safe(head + dumps(value))
            continue
        yield head + "["
        for j in range(0, len(value), per_part):
            chunk = ",".join(dumps(v) for v in value[j:j + per_part])
            yield _script_safe(("," if j else "") + chunk)
        yield "]"
    yield "}"


@functools.lru_cache(maxsize=None)
def _asset(name: str) -> str:
    if name == "vis":
        path = resources.files("pyvis").joinpath(*VIS_JS)
        if not path.is_file():
            raise FileNotFoundError(f"vis-network not found in the pyvis package ({'/'.join(VIS_JS)})")
    else:
        path = resources.files(__package__).joinpath("templates", name)
    text = path.read_text(encoding="utf-8")
    if name.endswith(".js") or name == "vis":
        if "</script" in text.lower() or "<!--" in text:
            raise ValueError(f"{name} cannot be inlined in a <script> element")
    return text


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def render_html(G: nx.Graph, **options) -> str:
    """The page for ``G`` as a string (options as for :func:`write_html`)."""
    return "".join(_page(G, **options)[1])


def page_path(graph_file, label: str | None = None, kind: str = "focus") -> Path:
    """Default file name of a page: ``GRAPH.html``, or ``GRAPH-NAME.html`` for the
    neighbourhood of the node ``label`` (``GRAPH-lineage-NAME.html`` for its lineage).

    >>> str(page_path("out/graph.graphml")), str(page_path("out/graph.json", "ResNet-50"))
    ('out/graph.html', 'out/graph-resnet-50.html')
    >>> str(page_path("g.graphml", "TinyBERT", kind="lineage"))
    'g-lineage-tinybert.html'
    """
    graph_file = Path(graph_file)
    if label is None:
        return graph_file.with_name(f"{graph_file.stem}.html")
    slug = re.sub(r"[^a-z0-9]+", "-", str(label).lower()).strip("-") or kind
    middle = "lineage-" if kind == "lineage" else ""
    return graph_file.with_name(f"{graph_file.stem}-{middle}{slug}.html")


def drawn_graph(G: nx.Graph, *, focus=None, depth: int = 1, max_nodes: int | None = PAGE_MAX_NODES, lineage=None,
                index: NameIndex | None = None):
    """What a page draws: ``(H, node)``, the subgraph and the node the page is about.

    ``focus`` draws the neighbourhood of a node; ``lineage`` draws a node with its
    ancestors and descendants through the :data:`kg.query.LINEAGE` relations (the nodes
    :func:`kg.query.lineage` and :func:`kg.query.descendants` answer) and only those edges.
    Names are looked up with :func:`kg.query.find_node` (raising its
    :class:`~kg.lookup.NodeNotFound`).
    """
    if focus is not None and lineage is not None:
        raise ValueError("give focus or lineage, not both")
    name = focus if lineage is None else lineage
    node = None if name is None else (index or NameIndex(G)).find(name)
    if lineage is None:
        return G.subgraph(select_nodes(G, focus=node, depth=depth, max_nodes=max_nodes)), node
    keep = {node} | {r.id for r in query.lineage(G, node)} | {r.id for r in query.descendants(G, node)}
    H = G.subgraph(keep)
    if H.is_multigraph():
        return nx.subgraph_view(H, filter_edge=lambda u, v, k: H[u][v][k].get("relation") in LINEAGE), node
    return nx.subgraph_view(H, filter_edge=lambda u, v: H[u][v].get("relation") in LINEAGE), node


def _page(G: nx.Graph, *, focus=None, depth: int = 1, max_nodes: int | None = PAGE_MAX_NODES, lineage=None,
          title: str | None = None):
    """``(summary, pieces)``: what the page draws, and the page text in pieces (the data
    streamed). The lookup and the page data are done before the first piece."""
    index = NameIndex(G)
    H, node = drawn_graph(G, focus=focus, depth=depth, max_nodes=max_nodes, lineage=lineage, index=index)
    if title is None:
        label = None if node is None else node_label(G, node)
        title = "kg graph" if label is None else f"kg {'lineage' if lineage is not None else 'graph'}: {label}"
    title = re.sub("[\ud800-\udfff]", "\ufffd", str(title))
    data = page_data(H, full=G, focus=node, title=title, index=index, lineage=lineage is not None)
    summary = {"nodes": H.number_of_nodes(), "edges": H.number_of_edges(), "node": node, "title": title}
    return summary, _pieces(data)


def _pieces(data: dict):
    vis_js, app_js = _asset("vis"), _asset("graph.js")
    csp = ("default-src 'none'; script-src " + _sha256(vis_js) + " " + _sha256(app_js) +
           "; style-src 'unsafe-inline'; img-src data: blob:; font-src data:; connect-src 'none'; "
           "base-uri 'none'; form-action 'none'; frame-src 'none'; object-src 'none'")
    parts = {"TITLE": html.escape(data["title"]), "CSP": html.escape(csp), "STYLE": _asset("graph.css"),
             "VIS_JS": vis_js, "APP_JS": app_js}
    template, at = _asset("graph.html"), 0
    for m in _PLACEHOLDER.finditer(template):
        yield template[at:m.start()]
        if m.group(1) == "DATA":
            yield from script_json_parts(data)
        else:
            yield parts[m.group(1)]
        at = m.end()
    yield template[at:]


def write_html(G: nx.Graph, path, *, focus=None, depth: int = 1, max_nodes: int | None = PAGE_MAX_NODES, lineage=None,
               title: str | None = None) -> dict:
    """Write the interactive page for ``G`` to ``path``, atomically.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The graph (see :mod:`kg.graph`); not modified.
    path : str or pathlib.Path
        The HTML file to write (:func:`page_path` gives the usual name).
    focus : str, optional
        Draw only the neighbourhood of this node (id, label or alias, as
        :func:`kg.query.find_node` reads it).
    depth : int
        Hops from ``focus`` to include, following edges in either direction.
    max_nodes : int or None
        Keep at most this many nodes, the best-connected (default :data:`PAGE_MAX_NODES`);
        None draws every node.
    lineage : str, optional
        Draw this node's lineage instead: its ancestors and descendants through
        :data:`kg.query.LINEAGE`, as a left-to-right hierarchy.
    title : str, optional
        Page title (default "kg graph", or "kg graph: NAME" / "kg lineage: NAME").

    Returns
    -------
    dict
        What the page draws: ``nodes`` and ``edges`` (counts), ``node`` (the focus or
        lineage node id, or None) and ``title``.

    Raises
    ------
    kg.lookup.NodeNotFound
        When ``focus`` or ``lineage`` names no node, or several (:class:`~kg.lookup.AmbiguousName`).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("method:tinybert", type="method", label="TinyBERT")
    >>> G.add_edge("method:tinybert", "method:bert", relation="distills_from")
    0
    >>> G.add_edge("method:bert", "dataset:wiki", relation="evaluated_on")
    0
    >>> with tempfile.TemporaryDirectory() as d:
    ...     write_html(G, pathlib.Path(d) / "p.html", lineage="tinybert")
    {'nodes': 2, 'edges': 1, 'node': 'method:tinybert', 'title': 'kg lineage: TinyBERT'}
    """
    summary, pieces = _page(G, focus=focus, depth=depth, max_nodes=max_nodes, lineage=lineage, title=title)
    with atomic_write(path) as f:
        f.writelines(pieces)
    return summary
