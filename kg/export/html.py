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
import difflib
import functools
import hashlib
import html
import json
import math
import re
import unicodedata
from collections import Counter
from importlib import resources

import networkx as nx

from . import atomic_write
from .graphml import natural_key
from .layout import layout

VIS_JS = ("lib", "vis-9.1.2", "vis-network.min.js")
RELATIONS = ("introduces", "outperforms", "compared_with", "distills_from", "pretrained_on",
             "fine_tuned_on", "trained_on", "evaluated_on", "based_on", "has_code")
#: Legend groups: node type, or ``baseline`` for methods only ever compared against.
GROUPS = {
    "paper": {"label": "paper", "shape": "square", "color": "#b8c2cc", "border": "#52606d"},
    "method": {"label": "method", "shape": "dot", "color": "#4e79a7", "border": "#2c4a6e"},
    "baseline": {"label": "baseline method", "shape": "dot", "color": "#ffffff", "border": "#4e79a7",
                 "dashed": True},
    "dataset": {"label": "dataset", "shape": "diamond", "color": "#f28e2b", "border": "#a65a10"},
    "repository": {"label": "repository", "shape": "triangle", "color": "#59a14f", "border": "#356b2e"},
}
OTHER_GROUP = {"shape": "dot", "color": "#d3cdc9", "border": "#7b7069"}
RELATION_COLORS = {
    "introduces": "#1f77b4", "outperforms": "#d62728", "compared_with": "#e377c2",
    "distills_from": "#9467bd", "pretrained_on": "#8c564b", "fine_tuned_on": "#a5a617",
    "trained_on": "#17a2b8", "evaluated_on": "#ff7f0e", "based_on": "#2ca02c", "has_code": "#6b6b6b",
}
OTHER_RELATION = "#999999"
_DASHES = re.compile(r"[\s\-\u2010-\u2015_]+")
_PLACEHOLDER = re.compile(r"\{\{([A-Z_]+)\}\}")


class NodeNotFound(LookupError):
    """No node matches a name; ``matches`` holds close ones as ``"label (id)"`` strings."""

    def __init__(self, name: str, matches: list):
        self.name, self.matches = name, matches
        near = "; close matches: " + ", ".join(matches) if matches else " (no close matches)"
        super().__init__(f"no node matches {name!r}{near}")

    def __str__(self):
        return self.args[0]


def normalise(name) -> str:
    """Case-, space- and hyphen-insensitive form of a name.

    >>> normalise("ResNet 50"), normalise("resnet-50"), normalise("ViT_B/16")
    ('resnet50', 'resnet50', 'vitb/16')
    """
    return _DASHES.sub("", unicodedata.normalize("NFKC", str(name)).casefold())


def _names(n, d) -> set:
    names = {str(n), str(n).split(":", 1)[-1], d.get("label", ""), d.get("title", "")}
    names.update(_split(d.get("aliases")))
    return {normalise(x) for x in names if x}


def find_node(G: nx.Graph, name: str):
    """The node called ``name``: its id, label or any alias, compared by :func:`normalise`.

    An exact id wins; among several matches the best-connected (then smallest id) wins.
    Raises :class:`NodeNotFound` listing close matches otherwise.

    >>> G = nx.MultiDiGraph()
    >>> G.add_node("method:resnet50", label="ResNet-50", aliases="ResNet50|ResNet 50")
    >>> find_node(G, "resnet 50"), find_node(G, "RESNET-50")
    ('method:resnet50', 'method:resnet50')
    >>> find_node(G, "resnt-50")
    Traceback (most recent call last):
    kg.export.html.NodeNotFound: no node matches 'resnt-50'; close matches: ResNet-50 (method:resnet50)
    """
    if name in G:
        return name
    want = normalise(name)
    hits = [n for n, d in G.nodes(data=True) if want in _names(n, d)]
    if hits:
        return min(hits, key=lambda n: (-G.degree(n), str(n)))
    by_name: dict = {}
    for n, d in G.nodes(data=True):
        for x in _names(n, d):
            by_name.setdefault(x, set()).add(n)
    near = [x for x in sorted(by_name) if want and want in x][:5]
    near += difflib.get_close_matches(want, sorted(by_name), n=5, cutoff=0.6)
    nodes = list(dict.fromkeys(n for x in near for n in sorted(by_name[x], key=str)))[:5]
    raise NodeNotFound(name, [f"{G.nodes[n].get('label', n)} ({n})" for n in nodes])


def select_nodes(G: nx.Graph, *, focus=None, depth: int = 1, max_nodes: int | None = None) -> list:
    """Nodes to draw: all, or those within ``depth`` hops of ``focus`` (either direction);
    then at most ``max_nodes`` of them, the best-connected first (``focus`` always kept).

    >>> G = nx.MultiDiGraph([("a", "b"), ("b", "c"), ("c", "d"), ("b", "e")])
    >>> select_nodes(G, focus="c", depth=1), select_nodes(G, max_nodes=2)
    (['b', 'c', 'd'], ['b', 'c'])
    """
    if depth < 0 or (max_nodes is not None and max_nodes < 1):
        raise ValueError("depth must be >= 0 and max_nodes >= 1")
    nodes = list(G)
    if focus is not None:
        nodes = list(nx.single_source_shortest_path_length(G.to_undirected(as_view=True), focus,
                                                           cutoff=depth))
    if max_nodes is not None and len(nodes) > max_nodes:
        H = G.subgraph(nodes)
        ranked = sorted(nodes, key=lambda n: (n != focus, -H.degree(n), str(n)))
        nodes = ranked[:max_nodes]
    return sorted(nodes, key=lambda n: natural_key(str(n)))


def _split(v) -> list:
    if v is None or v == "":
        return []
    if isinstance(v, (list, tuple, set, frozenset)):
        return sorted(str(x) for x in v) if isinstance(v, (set, frozenset)) else [str(x) for x in v]
    return [x for x in str(v).split("|") if x]


def _val(v):
    """A JSON value JSON.parse takes (no NaN/Infinity, no objects)."""
    if v is None or isinstance(v, (bool, int, str)):
        return v
    if isinstance(v, float):
        return v if math.isfinite(v) else str(v)
    return "|".join(_split(v)) if isinstance(v, (list, tuple, set, frozenset)) else str(v)


def _group(d: dict) -> str:
    t = str(d.get("type", "other"))
    return "baseline" if t == "method" and d.get("baseline") is True else t


def page_data(G: nx.Graph, *, full: nx.Graph | None = None, focus=None, title: str = "kg graph") -> dict:
    """Everything the page draws, as JSON-ready data (``G`` is the drawn graph, not changed).

    ``full`` (default ``G``) is where paper titles are looked up for the side panel, so a
    neighbourhood page still names every paper its nodes come from.
    """
    full = G if full is None else full
    nodes, edges = _node_records(G), _edge_records(G)
    papers = {}
    for e in edges:                      # the edge's own title, for a paper not in ``full``
        title = e.pop("paper", None)
        if title is not None:
            papers.setdefault(e["paper_id"], {"id": e["paper_id"], "title": str(title)})
    for p in sorted({p for r in nodes for p in r["paper_ids"]} | {e["paper_id"] for e in edges if "paper_id" in e}):
        if p in full:
            d = full.nodes[p]
            papers[p] = {"id": p, "title": str(d.get("title") or d.get("label") or p)}
            papers[p].update({k: _val(d[k]) for k in ("date", "url") if d.get(k) not in (None, "")})
    groups = Counter(r["group"] for r in nodes)
    rels = Counter(e["relation"] for e in edges)
    return {
        "title": title, "focus": None if focus is None else str(focus), "nodes": nodes, "edges": edges,
        "papers": [papers[p] for p in sorted(papers)],
        "groups": [{"group": g, "count": groups[g], **GROUPS.get(g, {"label": g, **OTHER_GROUP})}
                   for g in sorted(groups, key=lambda g: _rank(g, tuple(GROUPS)))],
        "relations": [{"relation": r, "count": rels[r], "color": RELATION_COLORS.get(r, OTHER_RELATION)}
                      for r in sorted(rels, key=lambda r: _rank(r, RELATIONS))],
    }


def _rank(name: str, known: tuple) -> tuple:
    """Known names in their fixed order, then the others alphabetically."""
    return (0, known.index(name), "") if name in known else (1, 0, name)


def _node_records(G: nx.Graph) -> list:
    """One record per node, sorted by id: position, size by degree, legend group, details."""
    pos = layout(G)
    out = []
    for n in sorted(G, key=lambda x: natural_key(str(x))):
        d = G.nodes[n]
        label = str(d.get("label") or d.get("title") or n)
        deg = G.degree(n)
        rec = {"id": str(n), "label": label, "type": str(d.get("type", "other")), "group": _group(d),
               "x": pos[n][0], "y": pos[n][1], "degree": deg, "size": int(min(60, 8 + 5 * math.sqrt(deg))),
               "short": label if len(label) <= 40 else label[:38].rstrip() + "…",
               "aliases": _split(d.get("aliases")), "paper_ids": _split(d.get("paper_ids"))}
        for k in ("papers", "baseline", "url", "first_seen", "title", "date", "source", "authors"):
            if d.get(k) not in (None, ""):
                rec[k] = _val(d[k])
        out.append(rec)
    return out


def _edge_records(G: nx.Graph) -> list:
    """One record per edge, sorted by key; parallel edges get alternating curves."""
    if G.is_multigraph():
        keyed = G.edges(keys=True, data=True)
    else:
        keyed = ((u, v, None, d) for u, v, d in G.edges(data=True))
    out, pairs = [], Counter()
    for i, (u, v, k, d) in enumerate(sorted(keyed, key=lambda e: (natural_key(str(e[2])), str(e[0]), str(e[1])))):
        pair = tuple(sorted((str(u), str(v))))
        j = pairs[pair]
        pairs[pair] += 1
        curve = 0 if j == 0 else round(0.15 * ((j + 1) // 2), 2) * (1 if j % 2 else -1)
        rec = {"id": i, "key": str(i if k is None else k), "from": str(u), "to": str(v),
               "relation": str(d.get("relation", "")), "curve": curve if pair[0] == str(u) else -curve}
        for a in ("paper_id", "sentence", "rule", "dataset", "margin", "value", "derivation", "paper"):
            if d.get(a) not in (None, ""):
                rec[a] = _val(d[a])
        if "paper_id" not in rec:
            rec.pop("paper", None)
        out.append(rec)
    return out


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


def render_html(G: nx.Graph, *, focus=None, depth: int = 1, max_nodes: int | None = None,
                title: str = "kg graph") -> str:
    """The page for ``G`` as a string (see :func:`write_html`)."""
    return "".join(_page(G, focus=focus, depth=depth, max_nodes=max_nodes, title=title))


def _page(G: nx.Graph, *, focus=None, depth: int = 1, max_nodes: int | None = None, title: str = "kg graph"):
    """The page in pieces: the template with its placeholders filled, the data streamed."""
    fid = None if focus is None else find_node(G, focus)
    H = G.subgraph(select_nodes(G, focus=fid, depth=depth, max_nodes=max_nodes))
    vis_js, app_js = _asset("vis"), _asset("graph.js")
    csp = ("default-src 'none'; script-src " + _sha256(vis_js) + " " + _sha256(app_js) +
           "; style-src 'unsafe-inline'; img-src data: blob:; font-src data:; connect-src 'none'; "
           "base-uri 'none'; form-action 'none'; frame-src 'none'; object-src 'none'")
    title = re.sub("[\ud800-\udfff]", "\ufffd", str(title))
    data = page_data(H, full=G, focus=fid, title=title)
    parts = {"TITLE": html.escape(title), "CSP": html.escape(csp), "STYLE": _asset("graph.css"),
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


def write_html(G: nx.Graph, path, *, focus=None, depth: int = 1, max_nodes: int | None = None,
               title: str = "kg graph") -> None:
    """Write the interactive page for ``G`` to ``path``, atomically.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The graph (see :mod:`kg.graph`); not modified.
    path : str or pathlib.Path
        The HTML file to write.
    focus : str, optional
        Draw only the neighbourhood of this node (id, label or alias; see :func:`find_node`).
    depth : int
        Hops from ``focus`` to include, following edges in either direction.
    max_nodes : int, optional
        Keep at most this many nodes, the best-connected.
    title : str
        Page title.

    Raises
    ------
    NodeNotFound
        When ``focus`` names no node.
    """
    page = _page(G, focus=focus, depth=depth, max_nodes=max_nodes, title=title)
    first = next(page)  # the node lookup and the page data are done before the file is opened
    with atomic_write(path) as f:
        f.write(first)
        f.writelines(page)
