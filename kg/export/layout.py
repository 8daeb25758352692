"""Node positions for the HTML view, computed once in Python so the page draws at once.

The largest connected component is laid out with ForceAtlas2
(:func:`networkx.forceatlas2_layout`, networkx >= 3.5) on the undirected simple graph behind
the multigraph, with a fixed seed and nodes and edges fed in sorted order, so the same graph
always gets the same positions. The other components are laid out on their own
(ForceAtlas2, or rings around their best-connected node when they have at most
:data:`SMALL` nodes), scaled to the same edge length and packed in rows beneath it, isolated
nodes last as a grid. (Left to ForceAtlas2, repulsion flings them to a far ring and squeezes
the main component into the middle.)

ForceAtlas2 in networkx is dense: every iteration costs O(n²) time and memory. To keep a
page of a few thousand nodes quick to write, the iteration count shrinks as the graph grows
(:data:`BUDGET` pair-iterations, between :data:`MIN_ITER` and :data:`MAX_ITER`), and only the
:data:`MAX_CORE` best-connected nodes of a component go through ForceAtlas2; every other node
is then placed beside its neighbours already placed, one breadth-first ring at a time.

Positions are scaled to a square a few thousand pixels wide (growing with the square root
of the node count) and rounded to whole pixels.
"""
from __future__ import annotations

import math

import networkx as nx

SEED = 7
MAX_CORE = 800
BUDGET = 40_000_000
MIN_ITER = 15
MAX_ITER = 100
SMALL = 12
#: ForceAtlas2 options: a scaling ratio of 8 (networkx's default is 2) spreads the
#: best-connected nodes apart, so the page's first view is not one clump.
FA2 = {"scaling_ratio": 8.0}
_GOLDEN = math.pi * (3 - math.sqrt(5))


def layout(G: nx.Graph, *, seed: int = SEED) -> dict:
    """Deterministic pixel positions ``{node: (x, y)}`` for every node of ``G``.

    Parameters
    ----------
    G : networkx.Graph
        Any graph; direction and parallel edges are ignored. Not modified.
    seed : int
        Seed of the ForceAtlas2 start positions.

    Returns
    -------
    dict
        Node to ``(x, y)`` integer pixels, centred on the origin.

    Examples
    --------
    >>> G = nx.MultiDiGraph([("a", "b"), ("b", "c"), ("b", "c")])
    >>> G.add_node("lonely")
    >>> pos = layout(G)
    >>> sorted(pos) == sorted(G) and pos == layout(G)
    True
    >>> all(isinstance(c, int) for xy in pos.values() for c in xy)
    True
    >>> layout(nx.Graph()), layout(nx.path_graph(1))
    ({}, {0: (0, 0)})
    """
    U = _simple(G)
    if len(U) <= 1:
        return {n: (0, 0) for n in U}
    pos = _place(U, seed)
    return _to_pixels(pos, len(U))


def iterations(n: int) -> int:
    """ForceAtlas2 iterations for ``n`` nodes: fewer as the O(n²) step grows.

    >>> iterations(100), iterations(800), iterations(5000)
    (100, 62, 15)
    """
    return max(MIN_ITER, min(MAX_ITER, BUDGET // max(1, n * n)))


def _simple(G: nx.Graph) -> nx.Graph:
    """Undirected simple graph with sorted nodes and edges (insertion order fixes the result)."""
    U = nx.Graph()
    U.add_nodes_from(sorted(G, key=str))
    U.add_edges_from(sorted({tuple(sorted((u, v), key=str)) for u, v in G.edges() if u != v},
                            key=lambda e: (str(e[0]), str(e[1]))))
    return U


def _place(U: nx.Graph, seed: int) -> dict:
    """Float positions: the largest component, then the others packed in rows beneath it.

    The rows are as wide as the main component, or wider when the packed components would
    otherwise make a tall column: about the side of a square holding everything.
    """
    comps = sorted((sorted(c, key=str) for c in nx.connected_components(U)),
                   key=lambda c: (-len(c), str(c[0])))
    pos = _component(U.subgraph(comps[0]), seed)
    step = _edge_length(U.subgraph(comps[0]), pos)
    gap = 0.6 * step
    boxes = []
    for c in comps[1:]:
        sub = _component(U.subgraph(c), seed)
        k = step / _edge_length(U.subgraph(c), sub)
        bx, by = min(p[0] for p in sub.values()), min(p[1] for p in sub.values())
        sub = {v: ((px - bx) * k, (py - by) * k) for v, (px, py) in sub.items()}
        boxes.append((sub, max(p[0] for p in sub.values()), max(p[1] for p in sub.values())))
    xs, ys = [x for x, _ in pos.values()], [y for _, y in pos.values()]
    area = (max(xs) - min(xs)) * (max(ys) - min(ys)) + sum((w + gap) * (h + gap) for _, w, h in boxes)
    left, width = min(xs), max(max(xs) - min(xs), math.sqrt(area), 10 * step)
    x, y, row = left, max(ys) + 1.5 * step, 0.0
    for sub, w, h in boxes:
        if x > left and x + w > left + width:
            x, y, row = left, y + row + gap, 0.0
        for v, (px, py) in sub.items():
            pos[v] = (x + px, y + py)
        x, row = x + w + gap, max(row, h)
    return pos


def _component(C: nx.Graph, seed: int) -> dict:
    """Positions for one connected component."""
    C = _simple(C)  # a subgraph view iterates its nodes in hash order; this one is sorted
    n = len(C)
    if n == 1:
        return {next(iter(C)): (0.0, 0.0)}
    if n <= SMALL:
        # rings around the best-connected node, one per hop: stars and small trees read well
        order = list(C)
        hub = min(order, key=lambda v: (-C.degree(v), order.index(v)))
        rings: dict = {}
        for v, d in nx.single_source_shortest_path_length(C, hub).items():
            rings.setdefault(d, []).append(v)
        pos = {}
        for d, ring in rings.items():
            ring.sort(key=str)
            for i, v in enumerate(ring):
                a = 2 * math.pi * i / len(ring) + math.pi / 2 + 0.4 * d
                pos[v] = (d * math.cos(a), d * math.sin(a)) if d else (0.0, 0.0)
        return pos
    if n <= MAX_CORE:
        core = list(C)
    else:
        core = sorted(C, key=lambda v: (-C.degree(v), str(v)))[:MAX_CORE]
        core.sort(key=str)
    K = _simple(C.subgraph(core))
    raw = nx.forceatlas2_layout(K, max_iter=iterations(len(K)), seed=seed, **FA2)
    pos = {v: (float(raw[v][0]), float(raw[v][1])) for v in core}
    _grow(C, pos, _edge_length(K, pos))
    return pos


def _edge_length(C: nx.Graph, pos: dict) -> float:
    """Median edge length of the placed core (1.0 when it has no edges)."""
    lengths = sorted(math.dist(pos[u], pos[v]) for u, v in C.edges())
    if not lengths:
        return 1.0
    return lengths[len(lengths) // 2] or 1.0


def _grow(U: nx.Graph, pos: dict, step: float) -> None:
    """Place nodes next to their placed neighbours, one breadth-first ring at a time."""
    children: dict = {}
    frontier = sorted({w for v in pos for w in U[v] if w not in pos}, key=str)
    while frontier:
        for v in frontier:
            placed = sorted((w for w in U[v] if w in pos), key=str)
            anchor = max(placed, key=lambda w: U.degree(w))
            k = children.get(anchor, 0)
            children[anchor] = k + 1
            cx = sum(pos[w][0] for w in placed) / len(placed)
            cy = sum(pos[w][1] for w in placed) / len(placed)
            r = step * (0.6 + 0.25 * math.sqrt(k))
            pos[v] = (cx + r * math.cos(k * _GOLDEN), cy + r * math.sin(k * _GOLDEN))
        frontier = sorted({w for v in frontier for w in U[v] if w not in pos}, key=str)


def _to_pixels(pos: dict, n: int) -> dict:
    """Centre, scale to a square ``extent`` pixels wide and round to integers."""
    extent = min(8000.0, max(600.0, 120.0 * math.sqrt(n)))
    xs = [x for x, _ in pos.values()]
    ys = [y for _, y in pos.values()]
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
    k = extent / span
    return {v: (int(round((x - cx) * k)), int(round((y - cy) * k))) for v, (x, y) in pos.items()}
