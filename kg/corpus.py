"""Readers for paper abstracts: listing pages, JSON Lines and CSV.

Every reader yields :class:`Paper` records with a cleaned title and abstract; character
offsets reported anywhere else in kg are offsets into ``Paper.abstract`` as stored here.

Error model
    Every problem goes to a :class:`Report` once, as ``path:line: reason``. A record, or a
    whole file, that cannot be read is *skipped* and the rest is still read; text that had
    to be repaired (undecodable bytes replaced, an over-long abstract cut) is kept, with a
    *warning*. Lines count from 1 and end at ``\\n`` (or at ``\\r`` in a file that has no
    ``\\n``); a problem with a whole file (binary, empty, unreadable) is at line 1.

Encodings
    UTF-8 with or without a BOM; UTF-16 and UTF-32 with a BOM; UTF-16 without a BOM when
    its NUL bytes give it away. Undecodable bytes become U+FFFD, with a warning naming the
    lines. A file with NUL bytes (in any other encoding) or that is mostly not text is
    binary, and skipped.

Limits, each applied with a warning
    :data:`MAX_ABSTRACT_CHARS` (abstracts are cut at a word boundary; spaCy's
    ``max_length`` is never raised), :data:`MAX_TITLE_CHARS` and :data:`MAX_WORD_CHARS`.

This module never imports spaCy.
"""
from __future__ import annotations

import csv
import email.utils
import hashlib
import io
import json
import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

#: Abstracts longer than this many characters are cut, at a word boundary and with a
#: warning, before parsing. arXiv caps abstracts at 1,920 characters; parsing time grows
#: faster than linearly with the length of a sentence, so the cap also bounds the time a
#: hostile record can take.
MAX_ABSTRACT_CHARS = 10_000
#: Titles longer than this are cut (with a warning); in a listing page a longer line is
#: an abstract, never a title.
MAX_TITLE_CHARS = 400
#: A run of more non-space characters than this is broken with a space every
#: MAX_WORD_CHARS characters (with a warning): no word or URL is that long, and spaCy's
#: tokenizer takes time quadratic in the length of a run of punctuation such as "((((".
MAX_WORD_CHARS = 500

SUFFIXES_JSONL = {".jsonl", ".ndjson", ".json"}
SUFFIXES_CSV = {".csv", ".tsv"}
SUFFIXES_TEXT = {".txt", ".md", ""}

#: Files whose presence together marks a directory as kg's own output, never read as input.
KG_OUTPUTS = ("graph.graphml", "extractions.jsonl")
#: Bytes looked at to tell text from binary and to guess a BOM-less encoding.
SNIFF_BYTES = 8192


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


# ---------------------------------------------------------------------------
# text clean-up

_LATEX_ACCENTS = {"'": "\u0301", "`": "\u0300", "^": "\u0302", '"': "\u0308", "~": "\u0303",
                  "=": "\u0304", ".": "\u0307", "c": "\u0327", "v": "\u030c", "u": "\u0306", "H": "\u030b",
                  "r": "\u030a", "k": "\u0328", "b": "\u0331", "d": "\u0323"}
_LATEX_SYMBOLS = {
    # Greek
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "varepsilon": "ε", "zeta": "ζ",
    "eta": "η", "theta": "θ", "vartheta": "θ", "iota": "ι", "kappa": "κ", "lambda": "λ", "mu": "μ", "nu": "ν",
    "xi": "ξ", "pi": "π", "rho": "ρ", "sigma": "σ", "tau": "τ", "upsilon": "υ", "phi": "φ", "varphi": "φ",
    "chi": "χ", "psi": "ψ", "omega": "ω", "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ",
    "Pi": "Π", "Sigma": "Σ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω",
    # symbols and relations
    "ell": "ℓ", "times": "×", "cdot": "·", "sim": "~", "approx": "≈", "leq": "≤", "geq": "≥", "le": "≤",
    "ge": "≥", "neq": "≠", "ne": "≠", "ll": "≪", "gg": "≫", "pm": "±", "mp": "∓", "infty": "∞", "propto": "∝",
    "rightarrow": "→", "to": "→", "leftarrow": "←", "Rightarrow": "⇒", "Leftarrow": "⇐", "mapsto": "↦",
    "in": "∈", "notin": "∉", "subset": "⊂", "subseteq": "⊆", "cup": "∪", "cap": "∩", "forall": "∀",
    "exists": "∃", "partial": "∂", "nabla": "∇", "sum": "∑", "prod": "∏", "int": "∫", "emptyset": "∅",
    "circ": "∘", "ast": "*", "star": "⋆", "div": "÷", "prime": "′", "dagger": "†", "top": "⊤", "mid": "|",
    "vert": "|", "ldots": "…", "dots": "…", "cdots": "⋯", "degree": "°", "textdegree": "°",
    # functions keep their names
    "log": "log", "ln": "ln", "exp": "exp", "max": "max", "min": "min", "arg": "arg", "sin": "sin",
    "cos": "cos", "tanh": "tanh", "det": "det", "lim": "lim", "sup": "sup", "inf": "inf", "Pr": "Pr",
    # letters
    "i": "i", "j": "j", "o": "ø", "O": "Ø", "ss": "ß", "ae": "æ", "AE": "Æ", "oe": "œ", "OE": "Œ",
    "aa": "å", "AA": "Å", "l": "ł", "L": "Ł",
    # text-mode escapes and spacing
    "%": "%", "&": "&", "_": "_", "#": "#", "$": "$", "{": "{", "}": "}", "textasciitilde": "~",
    "textendash": "–", "textemdash": "—", "textquoteright": "’", "textbackslash": "\\",
    "quad": " ", "qquad": " ", "newline": " ", "par": " ", ",": " ", ";": " ", ":": " ", " ": " ", "!": "",
}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
# soft hyphen, zero-width space and word joiner, stray BOMs, bidirectional overrides
_INVISIBLE = re.compile(r"[\u00ad\u200b\u2060\ufeff\u202a-\u202e\u2066-\u2069]")
_WS = re.compile(r"\s+")
_LATEX_LINEBREAK = re.compile(r"\\\\")
_LATEX_DROP = re.compile(r"\\(?:cite[a-z]*|[a-z]*ref|label)\*?\s*(?:\[[^\[\]]*\]\s*)?\{[^{}]*\}")
_LATEX_HREF = re.compile(r"\\href\s*\{([^{}]*)\}\s*\{([^{}]*)\}")
_LATEX_FRAC = re.compile(r"\\[dt]?frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}")
_STYLE_CMD = re.compile(
    r"\\(?:textbf|textit|textsl|textsc|texttt|textrm|textsf|textup|textnormal|text|emph|underline|url|"
    r"mathrm|mathbf|mathit|mathcal|mathbb|mathsf|mathtt|mathfrak|mathscr|boldsymbol|bm|operatorname|"
    r"mbox|hbox|sqrt|tilde|widetilde|hat|widehat|bar|overline|vec|dot|ddot)\*?\s*\{([^{}]*)\}")
_DOTLESS = re.compile(r"\{?\\([ij])(?![A-Za-z])\}?")
_ACCENT = re.compile(r"\\([`'^\"~=.])\s*(?:\{\s*([A-Za-z])\s*\}|([A-Za-z]))"
                     r"|\\([cvuHrkbd])(?:\s*\{\s*([A-Za-z])\s*\}|\s+([A-Za-z])(?![A-Za-z]))")
_MATH = re.compile(r"\$\$?([^$]{0,200}?)\$\$?")
_MATH_DELIM = re.compile(r"\\[()\[\]]")
_SYMBOL_CMD = re.compile(r"\\([A-Za-z]+|[%&_#${},;:! ])")
_SCRIPT_GROUP = re.compile(r"([_^])\{([^{}]*)\}")
_STRAY_BACKSLASH = re.compile(r"\\")
_DOLLAR = "\ue000"  # a private-use stand-in for "\\$" while math is read


def _accent(m: re.Match) -> str:
    mark = m.group(1) or m.group(4)
    letter = m.group(2) or m.group(3) or m.group(5) or m.group(6)
    return unicodedata.normalize("NFC", letter + _LATEX_ACCENTS[mark])


def _latex_to_text(s: str) -> str:
    """Plain text from LaTeX markup as arXiv abstracts carry it.

    Every pattern here is linear: a group never spans its own delimiter.
    """
    if "\\" not in s and "$" not in s:
        return s
    s = _LATEX_LINEBREAK.sub(" ", s).replace("\\$", _DOLLAR)  # an escaped $ is no math delimiter
    s = _LATEX_HREF.sub(r"\2 (\1)", s)
    s = _LATEX_DROP.sub("", s)  # \cite{...}, \ref{...}, \label{...}
    s = _LATEX_FRAC.sub(r"\1/\2", s)
    for _ in range(3):  # nested \textbf{\emph{x}}
        s2 = _STYLE_CMD.sub(r"\1", s)
        if s2 == s:
            break
        s = s2
    s = _DOTLESS.sub(r"\1", s)  # \'{\i} -> í
    s = _ACCENT.sub(_accent, s)
    s = _MATH.sub(lambda m: m.group(1), s)
    s = _MATH_DELIM.sub("", s)  # \( \) \[ \]
    s = _SYMBOL_CMD.sub(lambda m: _LATEX_SYMBOLS.get(m.group(1), ""), s)
    s = _SCRIPT_GROUP.sub(r"\1\2", s)  # 10^{-3} -> 10^-3
    s = s.replace("{", "").replace("}", "")
    return _STRAY_BACKSLASH.sub("", s).replace(_DOLLAR, "$")


def clean_text(s) -> str:
    """Plain text from a scraped or LaTeX-flavoured string, whitespace normalised.

    >>> clean_text("Fr\\\\'echet  distance of 3.5\\\\% with $\\\\ell_2$ and \\\\textbf{bold}")
    'Fréchet distance of 3.5% with ℓ_2 and bold'
    >>> clean_text("Title\\n  continued\\u00a0here\\u200b ")
    'Title continued here'
    """
    if not s:
        return ""
    s = unicodedata.normalize("NFC", str(s))
    s = _SURROGATE.sub("\ufffd", s)
    s = _CONTROL.sub(" ", s)
    s = _INVISIBLE.sub("", s)
    s = _latex_to_text(s)
    return _WS.sub(" ", s).strip()


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


# ---------------------------------------------------------------------------
# decoding

_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
         (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
_ENCODING_NAMES = {"utf-8": "UTF-8", "utf-16-le": "UTF-16", "utf-16-be": "UTF-16",
                   "utf-32-le": "UTF-32", "utf-32-be": "UTF-32"}


def sniff_encoding(head: bytes) -> tuple[str | None, int]:
    """``(encoding, BOM length)`` of a file from its first bytes; encoding None: binary.

    >>> sniff_encoding("\\ufeffhi".encode("utf-16-le")), sniff_encoding("hi there".encode("utf-16-be"))
    (('utf-16-le', 2), ('utf-16-be', 0))
    >>> sniff_encoding(b"plain"), sniff_encoding(b"\\x89PNG\\r\\n\\x1a\\n\\x00\\x00")
    (('utf-8', 0), (None, 0))
    """
    for bom, enc in _BOMS:  # a BOM first: UTF-16 text is full of NUL bytes
        if head.startswith(bom):
            return enc, len(bom)
    if b"\x00" not in head:
        return "utf-8", 0
    # BOM-less UTF-16 of mostly Latin text: every other byte NUL, the others hardly ever
    n = len(head) // 2
    if n >= 2:
        even, odd = head[0:2 * n:2].count(0), head[1:2 * n:2].count(0)
        if odd >= 0.6 * n and even <= 0.05 * n:
            return "utf-16-le", 0
        if even >= 0.6 * n and odd <= 0.05 * n:
            return "utf-16-be", 0
    return None, 0


def _mostly_binary(text: str) -> bool:
    """True when the start of a decoded file is mostly replacement or control characters."""
    sample = text[:SNIFF_BYTES]
    bad = sum(1 for c in sample if c == "\ufffd" or (c < " " and c not in "\t\n\r\f\v"))
    return bad > max(8, 0.3 * len(sample))


def _lines_note(lines: list) -> str:
    shown = ", ".join(str(n) for n in lines[:5])
    more = f" and {len(lines) - 5} more" if len(lines) > 5 else ""
    return f"line{'s' if len(lines) > 1 else ''} {shown}{more}"


def decode_bytes(data: bytes, path, report: Report | None) -> str | None:
    """Text of a file's bytes; None (and a skip) for a binary file.

    Undecodable bytes become U+FFFD with one warning naming the file and its lines.
    """
    enc, bom = sniff_encoding(data[:SNIFF_BYTES])
    if enc is None:
        if report is not None:
            report.skip(path, 1, "binary file (NUL bytes), not text")
        return None
    body = data[bom:]
    try:
        text = body.decode(enc)
    except UnicodeDecodeError as e:
        text = body.decode(enc, errors="replace")
        if _mostly_binary(text):
            if report is not None:
                report.skip(path, 1, "binary file (mostly not text)")
            return None
        if report is not None:
            first = body[: e.start].decode(enc, errors="replace").count("\n") + 1
            bad = [n for n, ln in enumerate(text.split("\n"), 1) if "\ufffd" in ln and n >= first]
            report.warn(path, first, f"invalid {_ENCODING_NAMES[enc]} bytes replaced with U+FFFD "
                                     f"({_lines_note(bad or [first])})")
        return text
    if _mostly_binary(text):
        if report is not None:
            report.skip(path, 1, "binary file (mostly not text)")
        return None
    return text


def split_lines(text: str) -> list:
    """Lines of a text: split at ``\\n`` only (a ``\\r`` before it dropped), or at ``\\r`` in
    a file that has no ``\\n``. Form feeds, U+2028 and the like stay inside their line, so
    line numbers are the ones an editor shows.

    >>> split_lines("a\\r\\nb\\u2028c\\n"), split_lines("a\\rb")
    (['a', 'b\\u2028c', ''], ['a', 'b'])
    """
    if "\n" not in text and "\r" in text:
        return text.split("\r")
    return [ln[:-1] if ln.endswith("\r") else ln for ln in text.split("\n")]


# ---------------------------------------------------------------------------
# listing pages

_FURNITURE = [
    "Get trending papers in your email inbox once a day!",
    "Get trending papers in your email inbox!",
    "Subscribe",
    "Daily Papers",
    "by AK and the research community",
    "byAK and the research community",
]
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
        line = clean_text(raw)
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
        last = Paper(title=title, abstract=line, source=path, line=title_line)
        title = None
    if title is not None:
        report.skip(path, title_line, "title without an abstract")
    if last is not None:
        yield last


# ---------------------------------------------------------------------------
# JSON Lines and CSV

_KEEP = ("categories", "doi", "journal-ref", "venue")
_ARXIV_ID = re.compile(r"^(?:arxiv:)?(\d{4}\.\d{4,5}|[a-z][a-z\-]*(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?$", re.I)
_ISO_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?!\d)")
_HTTP_URL = re.compile(r"^https?://[^\s<>\"'`]+$", re.I)


def _as_text(v) -> str:
    """A JSON value as text: strings as they are, numbers written out, lists of them joined;
    objects and anything else count as missing."""
    if isinstance(v, str):
        return v
    if isinstance(v, bool) or v is None:
        return ""
    if isinstance(v, (int, float)):
        return str(v)
    if isinstance(v, list):
        return " ".join(x if isinstance(x, str) else str(x) for x in v
                        if isinstance(x, (str, int, float)) and not isinstance(x, bool))
    return ""


def _authors(v) -> str:
    if isinstance(v, list):  # ["A. Author", ...] or [["Last", "First", ""], ...]
        names = []
        for a in v:
            if isinstance(a, list):
                parts = [x for x in a if isinstance(x, str) and x]
                names.append(" ".join(parts[1:2] + parts[:1] + parts[2:]))
            else:
                names.append(_as_text(a))
        return clean_text("; ".join(n for n in names if n))
    return clean_text(_as_text(v))


def _date(rec: dict) -> str:
    """ISO date (or year, or year-month) of a record: its own date, else the date of its
    first arXiv version, else its last update."""
    candidates = [rec.get("date"), rec.get("published")]
    versions = rec.get("versions")
    if isinstance(versions, list) and versions and isinstance(versions[0], dict):
        candidates.append(versions[0].get("created"))
    candidates.append(rec.get("update_date"))
    for v in candidates:
        if not isinstance(v, str) or not v.strip():
            continue
        v = v.strip()
        m = _ISO_DATE.match(v)
        if m:
            return "-".join(g for g in m.groups() if g)
        try:  # "Mon, 2 Apr 2007 19:18:42 GMT"
            return email.utils.parsedate_to_datetime(v).date().isoformat()
        except (TypeError, ValueError, IndexError, OverflowError):
            continue
    return ""


def paper_from_mapping(rec: dict, path: str, line: int, report: Report) -> Paper | None:
    """A paper from a JSON object or CSV row: ``title`` and ``abstract`` (or ``summary``),
    optional ``id``, ``authors``, ``date``/``published``/``versions``/``update_date``,
    ``url``; arXiv metadata snapshot records are read as they are."""
    if not isinstance(rec, dict):
        report.skip(path, line, "record is not a JSON object")
        return None
    title = clean_text(_as_text(rec.get("title")))
    abstract = clean_text(_as_text(rec.get("abstract")) or _as_text(rec.get("summary")))
    if not title:
        report.skip(path, line, "record has no title")
        return None
    if not abstract:
        report.skip(path, line, "record has no abstract")
        return None
    attrs = {}
    for k in _KEEP:
        v = clean_text(_as_text(rec.get(k)))
        if v:
            attrs[k] = v
    url = _as_text(rec.get("url")).strip()
    if url and _HTTP_URL.match(url):  # only http(s) links are kept: no javascript: or data:
        attrs["url"] = url
    rid = _as_text(rec.get("id")).strip()
    m = _ARXIV_ID.match(rid)
    pid = f"arxiv:{m.group(1)}" if m else clean_text(rid)
    return Paper(title=title, abstract=abstract, source=path, line=line, id=pid,
                 date=_date(rec), authors=_authors(rec.get("authors")), attrs=attrs)


def _json_error(e: Exception) -> str:
    if isinstance(e, json.JSONDecodeError):
        return f"invalid JSON ({e.msg}, column {e.colno})"
    if isinstance(e, RecursionError):
        return "invalid JSON (nested too deeply)"
    return f"invalid JSON ({e})"


def read_jsonl(text_or_lines, path: str, report: Report) -> Iterator[Paper]:
    """Papers of JSON Lines: one object per line; blank lines are allowed.

    ``text_or_lines`` is the text, or ``(line number, line)`` pairs. A text that is one JSON
    document -- an array of objects (``[{...}, {...}]``) or one object over several lines --
    is read too.
    """
    if isinstance(text_or_lines, str):
        whole = _one_document(text_or_lines)
        if isinstance(whole, list):
            yield from _read_json_array(text_or_lines, path, report)
            return
        if isinstance(whole, dict) and "\n" in text_or_lines.strip():
            first = text_or_lines[:len(text_or_lines) - len(text_or_lines.lstrip())].count("\n") + 1
            p = paper_from_mapping(whole, path, first, report)
            if p is not None:
                yield p
            return
        lines = enumerate(split_lines(text_or_lines), 1)
    else:
        lines = text_or_lines
    for n, line in lines:
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except (ValueError, RecursionError) as e:  # ValueError: also huge integers
            report.skip(path, n, _json_error(e))
            continue
        p = paper_from_mapping(rec, path, n, report)
        if p is not None:
            yield p


def _one_document(text: str):
    """The JSON value a whole text holds when it starts like an array or an object and is
    one JSON document, else None."""
    if not text.lstrip().startswith(("[", "{")):
        return None
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return None


def _read_json_array(text: str, path: str, report: Report) -> Iterator[Paper]:
    """Papers of a text that is one JSON array, each reported at the line it starts on."""
    dec = json.JSONDecoder()
    pos = len(text) - len(text.lstrip()) + 1  # after "["
    ws = re.compile(r"[\s,]*")
    while True:
        pos = ws.match(text, pos).end()
        if pos >= len(text) or text[pos] == "]":
            return
        line = text.count("\n", 0, pos) + 1
        try:
            rec, pos = dec.raw_decode(text, pos)
        except (ValueError, RecursionError) as e:
            report.skip(path, line, _json_error(e) + "; rest of the file not read")
            return
        p = paper_from_mapping(rec, path, line, report)
        if p is not None:
            yield p


def _csv_delimiter(header: str, path: str) -> str:
    if path.lower().endswith(".tsv"):
        return "\t"
    counts = {d: header.count(d) for d in (",", ";", "\t")}
    return max(counts, key=lambda d: (counts[d], d == ","))


def read_csv(text: str, path: str, report: Report) -> Iterator[Paper]:
    """Papers of a CSV (or TSV) file whose header names ``title`` and ``abstract`` columns
    (any case; ``summary`` for ``abstract``). Delimiter: tab for .tsv, else the commonest of
    ``,``, ``;`` and tab in the header line. A problem is reported at the row's first line."""
    header = split_lines(text)[0]
    # a long abstract is not an error: let fields be as long as the file (the cut comes later)
    csv.field_size_limit(max(csv.field_size_limit(), min(len(text) + 1, 2**31 - 1)))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_csv_delimiter(header, path))
    try:
        fields = [(f or "").strip().lower() for f in next(reader)]
    except (csv.Error, StopIteration) as e:
        report.skip(path, 1, f"CSV error ({e})")
        return
    if "title" not in fields or not {"abstract", "summary"} & set(fields):
        report.skip(path, 1, "CSV header has no 'title' and 'abstract' columns")
        return
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as e:
            report.skip(path, start, f"CSV error ({e})")
            if reader.line_num < start:  # no progress: give up on the file
                return
            continue
        if not any(c.strip() for c in row):
            continue
        if len(row) > len(fields):
            report.warn(path, start, f"{len(row) - len(fields)} field(s) more than the header names; ignored")
        rec = {}
        for k, v in zip(fields, row):
            rec.setdefault(k, v)
        p = paper_from_mapping(rec, path, start, report)
        if p is not None:
            yield p


# ---------------------------------------------------------------------------
# files and directories

def _display(path: Path) -> str:
    """A path as text that every output can hold (undecodable file-name bytes as U+FFFD)."""
    return os.fsencode(path).decode("utf-8", "replace")


def iter_files(inputs: Iterable, report: Report | None = None) -> Iterator[Path]:
    """Files named, and files below directories named, in sorted order, each once.

    Below a directory, hidden files and hidden directories (``.cache``, ``.git``) are left
    out, and so are kg's own output directories (holding both ``graph.graphml`` and
    ``extractions.jsonl``: ``kg build data -o data/out`` twice must not read its own graph),
    with a warning; a file named twice (or named and inside a directory named) is read once.
    """
    seen = set()
    for item in inputs:
        p = Path(item)
        if p.is_dir():
            found = []

            def unreadable(err, _report=report):
                if _report is not None:
                    _report.skip(_display(Path(err.filename or p)), 1, f"cannot read directory ({err.strerror})")

            for root, dirs, names in os.walk(p, onerror=unreadable):
                if set(KG_OUTPUTS) <= set(names):
                    if report is not None:
                        report.warn(_display(Path(root)), 1, "a kg output directory, not read")
                    dirs[:] = []
                    continue
                dirs[:] = [d for d in dirs if not d.startswith(".")]
                found.extend(Path(root) / n for n in names if not n.startswith("."))
            candidates = sorted(f for f in found if f.is_file())
        else:
            candidates = [p]
        for f in candidates:
            key = os.path.realpath(f)
            if key in seen:
                continue
            seen.add(key)
            yield f


def _stream_lines(f, bom: int, name: str, report: Report) -> Iterator[tuple[int, str]]:
    """``(number, text)`` of a UTF-8 file's lines, read one at a time."""
    f.seek(bom)
    bad = []
    for n, raw in enumerate(f, 1):
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:
            line = raw.decode("utf-8", errors="replace")
            bad.append(n)
        yield n, line.rstrip("\r\n")
    if bad:
        report.warn(name, bad[0], f"invalid UTF-8 bytes replaced with U+FFFD ({_lines_note(bad)})")


def read_file(path: Path, report: Report, display: str | None = None) -> Iterator[Paper]:
    """Papers of one file, its format told by its suffix (.jsonl/.ndjson/.json, .csv/.tsv,
    anything else a listing page; a file of another suffix that starts with "{" is JSON
    Lines). JSON Lines in UTF-8 (.jsonl, .ndjson) are streamed, so a file of any size can
    be read; a .json file may also be one JSON array or object."""
    name = display or _display(path)
    path = Path(path)
    if path.exists() and not path.is_file():
        report.skip(name, 1, "not a regular file")
        return
    try:
        f = open(path, "rb")
    except OSError as e:
        report.skip(name, 1, f"cannot read file ({e.strerror or e})")
        return
    skipped_before = len(report.skipped)
    found = 0
    with f:
        try:
            head = f.read(SNIFF_BYTES)
        except OSError as e:
            report.skip(name, 1, f"cannot read file ({e.strerror or e})")
            return
        report.files += 1
        suffix = path.suffix.lower()
        enc, bom = sniff_encoding(head)
        start = head[bom:bom + 256].decode(enc or "utf-8", errors="replace").lstrip() if enc else ""
        jsonl = suffix in SUFFIXES_JSONL or (suffix not in SUFFIXES_CSV and start.startswith("{"))
        if jsonl and enc == "utf-8" and suffix != ".json" and not start.startswith("["):
            if not start.strip() and not any(ln.strip() for ln in f):
                report.skip(name, 1, "empty file")
                return
            if _mostly_binary(head[bom:].decode("utf-8", errors="replace")):
                report.skip(name, 1, "binary file (mostly not text)")
                return
            papers = read_jsonl(_stream_lines(f, bom, name, report), name, report)
        else:
            try:
                data = head + f.read()
            except OSError as e:
                report.skip(name, 1, f"cannot read file ({e.strerror or e})")
                return
            text = decode_bytes(data, name, report)
            if text is None:
                return
            if not text.strip():
                report.skip(name, 1, "empty file")
                return
            if jsonl:
                papers = read_jsonl(text, name, report)
            elif suffix in SUFFIXES_CSV:
                papers = read_csv(text, name, report)
            else:
                papers = read_listing(text, name, report)
        for p in papers:
            found += 1
            yield p
    if not found and len(report.skipped) == skipped_before:
        report.skip(name, 1, "no papers found in this file")


def bundled_corpus() -> Path:
    """Folder of the sample listing pages shipped with kg."""
    return Path(__file__).parent / "data" / "seeds"


_LONG_WORD = re.compile(r"\S{%d}" % (MAX_WORD_CHARS + 1))


def _cut(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, at a space when one is near the end."""
    if len(text) <= limit:
        return text
    i = text.rfind(" ", 0, limit + 1)
    return text[: i if i >= limit * 0.8 else limit].rstrip()


def _break_long_words(text: str) -> str:
    # the search costs at most len(text) * MAX_WORD_CHARS steps: it runs on text already cut
    if not _LONG_WORD.search(text):
        return text
    out, pos = [], 0
    for m in re.finditer(r"\S+", text):
        if m.end() - m.start() > MAX_WORD_CHARS:
            w = m.group(0)
            out.append(text[pos:m.start()])
            out.append(" ".join(w[i:i + MAX_WORD_CHARS] for i in range(0, len(w), MAX_WORD_CHARS)))
            pos = m.end()
    return "".join(out) + text[pos:] if out else text


def apply_limits(p: Paper, report: Report) -> Paper:
    """Cut an over-long title or abstract and break up over-long words, with a warning each."""
    if len(p.title) > MAX_TITLE_CHARS:
        report.warn(p.source, p.line, f"title cut to {MAX_TITLE_CHARS} characters (was {len(p.title)})")
        p.title = _cut(p.title, MAX_TITLE_CHARS)
    text = p.abstract
    if len(text) > MAX_ABSTRACT_CHARS:
        report.warn(p.source, p.line, f"abstract cut to {MAX_ABSTRACT_CHARS} characters (was {len(text)})")
        text = _cut(text, MAX_ABSTRACT_CHARS)
    broken = _break_long_words(text)
    if broken is not text:
        report.warn(p.source, p.line, f"words longer than {MAX_WORD_CHARS} characters broken up")
        text = _cut(broken, MAX_ABSTRACT_CHARS)
    p.abstract = text
    return p


def read_papers(inputs: Iterable, report: Report | None = None) -> Iterator[Paper]:
    """Papers from files and directories (default: the bundled corpus), limits applied
    (:func:`apply_limits`), every problem in ``report``. Repeats are not removed: see
    :func:`distinct_papers`."""
    report = report if report is not None else Report()
    inputs = list(inputs) or [bundled_corpus()]
    bundled = bundled_corpus()
    for path in iter_files(inputs, report):
        display = path.name if path.parent == bundled else _display(path)
        for p in read_file(path, report, display):
            apply_limits(p, report)
            report.papers += 1
            yield p


def scan(inputs: Iterable) -> Report:
    """Read every paper of ``inputs`` and return the report (``kg build --strict`` checks
    it before parsing anything)."""
    report = Report()
    for _ in read_papers(inputs, report):
        pass
    return report


# ---------------------------------------------------------------------------
# one record per paper

def _identities(p: Paper) -> list:
    """What makes two records one paper: the normalised title, and an arXiv id."""
    keys = ["t:" + p.key]
    if p.id.startswith("arxiv:"):
        keys.append("a:" + p.id)
    return keys


class _Groups:
    """Records joined into papers, in the order first met."""

    def __init__(self):
        self.index: dict[str, int] = {}
        self.sources: list[list] = []
        self.dates: list[str] = []

    def add(self, p: Paper) -> tuple[int, bool]:
        """The paper's group number, and whether the group is new."""
        keys = _identities(p)
        g = next((self.index[k] for k in keys if k in self.index), None)
        new = g is None
        if new:
            g = len(self.sources)
            self.sources.append([])
            self.dates.append("")
        for k in keys:
            self.index.setdefault(k, g)
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
    first = _Groups()
    for p in read_papers(inputs, Report()):
        first.add(p)
    second = _Groups()
    done = set()
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
        done.add(g)
        yield p


def unique_papers(papers: Iterable[Paper], report: Report | None = None) -> Iterator[Paper]:
    """Drop repeats of a paper already seen (same rule as :func:`distinct_papers`), in one
    pass over any stream of papers; the first record gains the later sources.

    The first record is yielded at once (streaming); later sources are appended to its
    ``attrs['sources']`` list, which the caller reads after the stream is done.
    """
    seen: dict[str, Paper] = {}
    for p in papers:
        keys = _identities(p)
        first = next((seen[k] for k in keys if k in seen), None)
        if first is not None:
            first.attrs.setdefault("sources", [first.location]).append(p.location)
            if not first.date and p.date:
                first.date = p.date
            for k in keys:
                seen.setdefault(k, first)
            if report is not None:
                report.duplicates += 1
            continue
        for k in keys:
            seen[k] = p
        p.attrs.setdefault("sources", [p.location])
        yield p
