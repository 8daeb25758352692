"""The one name lookup: which node a user means by a name (used by the CLI, the page and the
Python API alike, through :func:`kg.query.find_node`).

A node answers to its label (rank 0), its aliases (rank 1) and its id, with or without the
``type:`` prefix (rank 2), compared by :func:`kg.resolve.canonical_key` (case, spaces,
hyphens and underscores ignored). A label wins over another node's alias, and a method,
dataset or repository over a paper of the same title. An unknown or ambiguous name raises
:class:`NodeNotFound`, whose ``suggestions`` name the close or competing nodes.

This module never imports spaCy.
"""
from __future__ import annotations

import difflib
import unicodedata

import networkx as nx

from .graph import NODE_TYPES
from .resolve import canonical_key as _canonical_key


class NodeNotFound(nx.NodeNotFound, LookupError):
    """No single node has this name; ``suggestions`` holds the closest names.

    Its subclass :class:`AmbiguousName` is raised when several nodes share the name.
    """

    def __init__(self, name: str, suggestions=(), message: str | None = None):
        self.name, self.suggestions = name, list(suggestions)
        hint = f"; did you mean: {', '.join(self.suggestions)}?" if self.suggestions else ""
        super().__init__(message or f"no node named '{name}'{hint}")


class AmbiguousName(NodeNotFound):
    """Several nodes share this name (as an alias); ``candidates`` holds their ids and
    ``suggestions`` their names as ``"label (id)"``."""

    def __init__(self, name: str, candidates, labels):
        self.candidates = list(candidates)
        named = [f"{label} ({c})" for c, label in zip(self.candidates, labels)]
        super().__init__(name, named, f"'{name}' could mean: " + ", ".join(named) + "; give the node id")


def canonical_key(name: str) -> str:
    """:func:`kg.resolve.canonical_key` of ``name`` with compatibility forms folded first, so
    that fullwidth ``ＢＥＲＴ`` is ``BERT`` for every lookup."""
    return _canonical_key(unicodedata.normalize("NFKC", name))


def label(G, n) -> str:
    """The name shown for node ``n``: its label, else its title, else its id without prefix."""
    d = G.nodes[n]
    prefix, _, rest = str(n).partition(":")
    return str(d.get("label") or d.get("title") or (rest if prefix in NODE_TYPES else n))


def node_type(G, n) -> str:
    prefix = str(n).partition(":")[0]
    return G.nodes[n].get("type") or (prefix if prefix in NODE_TYPES else "")


def forms(G, n):
    """(name, rank) pairs a node answers to: rank 0 its label, 1 an alias, 2 its id."""
    yield label(G, n), 0
    for alias in str(G.nodes[n].get("aliases") or "").split("|"):
        if alias:
            yield alias, 1
    n = str(n)
    yield n, 2
    prefix, _, rest = n.partition(":")
    if prefix in NODE_TYPES:
        yield rest, 2
    elif "://" in n:
        yield n.split("://", 1)[1], 2


class NameIndex:
    """Every name of a graph's nodes by canonical key, built once for many lookups.

    ``index.find(name)`` is :func:`kg.query.find_node` without a pass over the graph; a
    page uses it to resolve its focus and to give its search box the same answers. Build
    it again after the graph changes.
    """

    def __init__(self, G):
        self.G = G
        self.by_key: dict = {}      # key -> ([label holders], [alias/id holders])
        self.known: dict = {}       # key -> a name to suggest (labels first)
        for n in G:
            for form, rank in forms(G, n):
                k = canonical_key(form)
                slot = self.by_key.setdefault(k, (set(), set()))
                slot[0 if rank == 0 else 1].add(n)
                if rank < 2 and (rank == 0 or k not in self.known):
                    self.known[k] = form

    def find(self, name) -> str:
        G = self.G
        if name in G:
            return name
        for found in self.by_key.get(canonical_key(str(name)), ()):
            entities = {n for n in found if node_type(G, n) != "paper"}
            if len(found) > 1 and len(entities) == 1:  # a method beats a paper titled with its name
                found = entities
            if len(found) == 1:
                return next(iter(found))
            if found:
                ids = sorted(found)
                raise AmbiguousName(str(name), ids, [label(G, n) for n in ids])
        key = canonical_key(str(name))
        close = difflib.get_close_matches(key, list(self.known), n=3, cutoff=0.6)
        close += sorted((k for k in self.known if key and key in k and k not in close), key=len)
        raise NodeNotFound(str(name), [self.known[k] for k in close[:3]])
