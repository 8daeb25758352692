"""The one de-duplication rule of kg: a thing is known by one or more keys, and the first
thing met under a key stands for every later thing that shares any of its keys.

Papers are known by their normalised title and their arXiv id (:mod:`kg.read.dedupe`);
relations by ``(head, relation, tail)``, where a relation joining a thing to itself has no
key and is dropped (extraction, and the graph once names are resolved to nodes).

>>> list(first_of_each(["a", "b", "A", "c"], lambda s: (s.lower(),)))
['a', 'b', 'c']
>>> relation_keys("BERT", "based_on", "BERT"), relation_keys("A", "outperforms", "B")
((), (('A', 'outperforms', 'B'),))
"""
from __future__ import annotations

from typing import Callable, Hashable, Iterable, Iterator, Sequence


class Groups:
    """Things joined into groups by shared keys, numbered in the order first met."""

    def __init__(self):
        self.index: dict = {}
        self.size = 0

    def add(self, keys: Sequence[Hashable]) -> tuple[int, bool]:
        """The group of a thing with these keys, and whether the group is new."""
        g = next((self.index[k] for k in keys if k in self.index), None)
        new = g is None
        if new:
            g = self.size
            self.size += 1
        for k in keys:
            self.index.setdefault(k, g)
        return g, new

    def first(self, keys: Sequence[Hashable]) -> bool:
        """True for the first thing of its group; False for a repeat or a thing with no key."""
        return bool(keys) and self.add(keys)[1]


def first_of_each(items: Iterable, keys: Callable[[object], Sequence[Hashable]]) -> Iterator:
    """``items`` in order, repeats (and items without keys) left out."""
    groups = Groups()
    return (item for item in items if groups.first(keys(item)))


def relation_keys(head, relation: str, tail) -> tuple:
    """The keys of a relation: none for one that joins a thing to itself."""
    return () if head == tail else ((head, relation, tail),)
