"""Listing pages: a title line, an abstract line, optional author and date lines.

The page furniture dropped (``Subscribe``, ``Daily Papers``, ...) is data: ``data/furniture.txt``.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Iterator

from .limits import MAX_TITLE_CHARS, precut
from .paper import Paper, Report
from .text import clean_text, split_lines

_FURNITURE = [ln for ln in (Path(__file__).parent / "data" / "furniture.txt").read_text(encoding="utf-8").splitlines()
              if ln.strip() and not ln.startswith("#")]
_FURNITURE_NORM = {re.sub(r"\s+", "", f).lower() for f in _FURNITURE}
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_DATE = re.compile(rf"^{_MONTH}\s+\d{{1,2}}(?:,\s*(\d{{4}}))?(?:\s+\d+)?$")  # optional upvote count
_AUTHORS = re.compile(r"^[•·*\-]?\s*(\d+)\s+authors?$", re.I)
_MONTHS = {m: i for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)}
_SENTENCE_END = re.compile(r"[.!?](?:\s|$)")


def _parse_date(s: str) -> str:
    m = re.match(r"^([A-Za-z]+)\.?\s+(\d{1,2})(?:,\s*(\d{4}))?", s.strip())
    if not m:
        return ""
    mon = _MONTHS.get(m.group(1)[:3].lower())
    if not mon:
        return ""
    if m.group(3):
        return f"{m.group(3)}-{mon:02d}-{int(m.group(2)):02d}"
    return ""  # a date with no year is a page date, not a paper date


def _strip_furniture_prefix(line: str) -> str:
    """Remove page furniture glued to the start of a line ("SubscribeMEAL V2: ...").

    Only where the glued text does not go on as one word: "Subscribed Attention" stays.

    >>> _strip_furniture_prefix("SubscribeMEAL V2: Boosting"), _strip_furniture_prefix("Subscribed Attention")
    ('MEAL V2: Boosting', 'Subscribed Attention')
    """
    changed = True
    while changed:
        changed = False
        for f in _FURNITURE:
            if line.startswith(f) and len(line) > len(f) and not line[len(f)].islower():
                line = line[len(f):].lstrip()
                changed = True
    return line


def _is_meta(line: str) -> bool:
    return bool(line in {"·", "•", "new", "New"} or _DATE.match(line) or _AUTHORS.match(line))


def _looks_like_abstract(line: str) -> bool:
    return len(line) > MAX_TITLE_CHARS or (len(line) >= 120 and len(_SENTENCE_END.findall(line)) >= 2)


def read_listing(text: str, path: str, report: Report) -> Iterator[Paper]:
    """Papers of a listing page: title line, abstract line, optional author/date lines.

    Page furniture ("Subscribe", "Daily Papers", ...) is dropped, also when glued to the
    first title. "• 5 authors", "·" and "Apr 2, 2024 3" (date, upvotes) after an abstract
    belong to its paper; a line between an abstract and its "·"/date line is an
    affiliation ("GD-ML AMAP-ML"), not a title.
    """
    title, title_line, title_has_authors = None, 0, False
    last: Paper | None = None
    for n, raw in enumerate(split_lines(text), 1):
        cuts: dict = {}
        line = clean_text(precut(raw, "abstract", cuts))
        if not line:
            continue
        if re.sub(r"\s+", "", line).lower() in _FURNITURE_NORM:
            continue
        line = _strip_furniture_prefix(line)
        if _is_meta(line):
            authors = _AUTHORS.match(line)
            if title is not None and authors:
                title_has_authors = True
            elif title is not None and last is not None and not title_has_authors and title_line > last.line:
                title = None  # an affiliation line, printed between an abstract and its date
            if title is None and last is not None:
                if authors:
                    last.authors = authors.group(1)
                elif _DATE.match(line) and not last.date:
                    last.date = _parse_date(line)
            continue
        if title is None:
            if _looks_like_abstract(line):
                report.skip(path, n, "abstract without a title line")
                continue
            title, title_line, title_has_authors = line, n, False
            continue
        if not _looks_like_abstract(line) and len(line) < 120 and not line.endswith("."):
            report.skip(path, title_line, "title without an abstract")
            title, title_line, title_has_authors = line, n, False
            continue
        if last is not None:
            yield last
        last = Paper(title=title, abstract=line, source=path, line=title_line, raw_chars=cuts)
        title = None
    if title is not None:
        report.skip(path, title_line, "title without an abstract")
    if last is not None:
        yield last

