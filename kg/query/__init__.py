"""Questions over the graph: where a method comes from, what it beats, how two things connect.

Every function takes the graph first and a *name*: a node id, label or alias, matched
ignoring case, spaces and hyphens (:func:`find_node`). Answers are :class:`Result` rows;
each row is one hop from the node ``parent`` to the node ``name`` over an edge
``relation``, with ``direction`` "out" when the edge points from ``parent`` to ``name``
and "in" when it points back, and the ``evidence`` (paper title and sentence) of every
edge behind the hop. ``Result.to_dict()`` is the JSON form.

Comparisons: an ``outperforms`` edge points from the winner to the loser, so
:func:`outperforms` (whom X beats) follows out-edges and :func:`beaten_by` (who beats X)
follows in-edges.

==============================  ==========================================================
:mod:`kg.query.base`            :class:`Result`, :func:`load`, :func:`find_node`
:mod:`kg.query.walks`           :func:`lineage`, :func:`descendants`, :func:`path`
:mod:`kg.query.comparisons`     :func:`outperforms`, :func:`beaten_by`, :func:`compare`
:mod:`kg.query.nodes`           :func:`node_info`, :func:`node_card`, :func:`search`, :func:`stats`
:mod:`kg.query.leaderboard`     :func:`leaderboard`, :func:`leaderboard_metrics`, :func:`conflicts`
==============================  ==========================================================

This package never imports spaCy; a graph written by ``kg build`` is read back by :func:`load`.
"""

from .base import GRAPH_SUFFIXES, LINEAGE, AmbiguousName, NameIndex, NodeNotFound, Result, find_node, load
from .comparisons import beaten_by, compare, outperforms
from .leaderboard import Conflict, Entry, conflicts, leaderboard, leaderboard_metrics
from .nodes import node_card, node_info, search, stats
from .walks import descendants, lineage, path

__all__ = ["GRAPH_SUFFIXES", "LINEAGE", "AmbiguousName", "Conflict", "Entry", "NameIndex", "NodeNotFound", "Result",
           "beaten_by", "compare", "conflicts", "descendants", "find_node", "leaderboard", "leaderboard_metrics",
           "lineage", "load", "node_card", "node_info", "outperforms", "path", "search", "stats"]
