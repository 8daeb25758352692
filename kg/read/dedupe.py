"""One record per paper: two records are one paper when their titles have the same
:func:`~kg.read.paper.norm_title` or they carry the same arXiv id."""
from __future__ import annotations

from typing import Iterable, Iterator

from ..dedupe import Groups
from .files import read_papers
from .paper import Paper, Report, paper_id


def _identities(p: Paper) -> list:
    """What makes two records one paper: the normalised title, and an arXiv id."""
    keys = ["t:" + p.key]
    if p.id.startswith("arxiv:"):
        keys.append("a:" + p.id)
    return keys


class _Papers:
    """Records joined into papers, in the order first met: each paper's places and first date."""

    def __init__(self):
        self.groups = Groups()
        self.sources: list[list] = []
        self.dates: list[str] = []

    def add(self, p: Paper) -> tuple[int, bool]:
        """The paper's group number, and whether the group is new."""
        g, new = self.groups.add(_identities(p))
        if new:
            self.sources.append([])
            self.dates.append("")
        self.sources[g].append(p.location)
        if not self.dates[g] and p.date:
            self.dates[g] = p.date
        return g, new


def distinct_papers(inputs: Iterable, report: Report | None = None) -> Iterator[Paper]:
    """Papers of ``inputs``, each distinct paper once, as first met.

    Two records are one paper when their titles have the same :func:`norm_title` or they
    carry the same arXiv id. The inputs are read twice: a first pass finds the repeats, so
    that each paper comes out already knowing every place it was found
    (``attrs["sources"]``, ``path:line`` strings) and the first date any of them gave.
    ``report`` counts the repeats (``duplicates``); an id given by a record that names a
    different paper than the first record with that id is replaced by the title's id, with
    a warning.
    """
    report = report if report is not None else Report()
    inputs = list(inputs)
    first = _Papers()
    for p in read_papers(inputs, Report()):
        first.add(p)
    second = _Papers()
    ids: dict[str, int] = {}
    for p in read_papers(inputs, report):
        g, new = second.add(p)
        if not new:
            report.duplicates += 1
            continue
        known = g < len(first.sources) and first.sources[g][:1] == [p.location]
        p.attrs["sources"] = list(first.sources[g]) if known else [p.location]
        if not p.date and known and first.dates[g]:
            p.date = first.dates[g]
        if ids.get(p.id, g) != g:
            new_id = paper_id(p.title)
            report.warn(p.source, p.line, f"id {p.id!r} already names another paper; this one is {new_id}")
            p.id = new_id
        ids[p.id] = g
        yield p


def unique_papers(papers: Iterable[Paper], report: Report | None = None) -> Iterator[Paper]:
    """Drop repeats of a paper already seen (same rule as :func:`distinct_papers`), in one
    pass over any stream of papers; the first record gains the later sources.

    The first record is yielded at once (streaming); later sources are appended to its
    ``attrs['sources']`` list, which the caller reads after the stream is done.
    """
    groups, firsts = Groups(), []
    for p in papers:
        g, new = groups.add(_identities(p))
        if new:
            firsts.append(p)
            p.attrs.setdefault("sources", [p.location])
            yield p
            continue
        first = firsts[g]
        first.attrs.setdefault("sources", [first.location]).append(p.location)
        if not first.date and p.date:
            first.date = p.date
        if report is not None:
            report.duplicates += 1
