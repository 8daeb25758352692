"""A paper as the readers give it, its identity, and the report of what reading met."""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Iterator

_WS = re.compile(r"\s+")


@dataclass
class Paper:
    """One paper: cleaned title and abstract plus whatever metadata the source gave."""

    title: str
    abstract: str
    source: str
    line: int = 0
    id: str = ""
    date: str = ""
    authors: str = ""
    attrs: dict = field(default_factory=dict)
    #: Lengths of the fields a reader cut before cleaning (:data:`kg.read.limits.MAX_RAW_CHARS`).
    raw_chars: dict = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self):
        if not self.id:
            self.id = paper_id(self.title)

    @property
    def key(self) -> str:
        """Normalised title: two records with the same key are the same paper."""
        return norm_title(self.title)

    @property
    def location(self) -> str:
        return f"{self.source}:{self.line}"


@dataclass
class Report:
    """Problems met while reading, each once, in the order met.

    ``skipped`` holds ``(location, reason)`` for every record or file that was left out,
    ``warnings`` the same for text that was repaired and kept; ``files``, ``papers`` (records
    read) and ``duplicates`` (repeats of a paper already read) are counts.
    """

    skipped: list = field(default_factory=list)  # (location, reason)
    warnings: list = field(default_factory=list)  # (location, reason)
    files: int = 0
    papers: int = 0
    duplicates: int = 0
    events: list = field(default_factory=list, repr=False)  # (kind, location, reason), in order
    _seen: set = field(default_factory=set, repr=False)

    def _add(self, kind: str, path, line, reason: str) -> None:
        entry = (kind, f"{path}:{line}", reason)
        if entry in self._seen:
            return
        self._seen.add(entry)
        self.events.append(entry)
        (self.skipped if kind == "skip" else self.warnings).append(entry[1:])

    def skip(self, path, line, reason):
        """A record (or a whole file) at ``path:line`` was left out."""
        self._add("skip", path, line, reason)

    def warn(self, path, line, reason):
        """Text at ``path:line`` was repaired and kept."""
        self._add("warn", path, line, reason)

    def messages(self) -> Iterator[str]:
        """One line per problem, ``path:line: reason``, in the order they were met.

        >>> r = Report(); r.skip("a.jsonl", 2, "invalid JSON"); r.warn("b.txt", 1, "bytes replaced")
        >>> list(r.messages())
        ['a.jsonl:2: invalid JSON (skipped)', 'b.txt:1: bytes replaced']
        """
        for kind, loc, reason in self.events:
            yield f"{loc}: {reason} (skipped)" if kind == "skip" else f"{loc}: {reason}"

    def tally(self) -> str:
        """ "2 records skipped, 1 warning" (empty when there was no problem)."""
        parts = []
        if self.skipped:
            parts.append(f"{len(self.skipped)} record{'s' if len(self.skipped) != 1 else ''} skipped")
        if self.warnings:
            parts.append(f"{len(self.warnings)} warning{'s' if len(self.warnings) != 1 else ''}")
        return ", ".join(parts)


def norm_title(title: str) -> str:
    """Key under which two titles count as the same paper: letters and digits, case and
    accents ignored (a title of only punctuation keys as itself).

    >>> norm_title("MEAL V2: Boosting  Vanilla ResNet-50") == norm_title("meal v2 - boosting vanilla resnet 50")
    True
    >>> norm_title("Fréchet ΑΒΓ") == norm_title("frechet αβγ") != norm_title("Frechet")
    True
    """
    s = unicodedata.normalize("NFKD", title).casefold()
    key = "".join(c for c in s if c.isalnum())
    return key or _WS.sub(" ", s).strip()


def paper_id(title: str) -> str:
    return "p" + hashlib.sha1(norm_title(title).encode("utf-8", "surrogatepass")).hexdigest()[:12]

