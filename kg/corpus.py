"""Readers for paper abstracts: listing pages, JSON Lines and CSV.

Every reader yields :class:`Paper` records with a cleaned title and abstract; character
offsets reported anywhere else in kg are offsets into ``Paper.abstract`` as stored here.
A record that cannot be read is reported to a :class:`Report` as ``path:line: reason`` and
skipped; the rest of the file is still read.

This module never imports spaCy.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

#: Abstracts longer than this many characters are cut (with a warning) before parsing.
MAX_ABSTRACT_CHARS = 20_000
#: Titles longer than this are not titles (a listing line that long is an abstract).
MAX_TITLE_CHARS = 400

SUFFIXES_JSONL = {".jsonl", ".ndjson", ".json"}
SUFFIXES_CSV = {".csv", ".tsv"}
SUFFIXES_TEXT = {".txt", ".md", ""}


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
    """Collects problems met while reading: one entry per skipped record or warning."""

    skipped: list = field(default_factory=list)  # (location, reason)
    warnings: list = field(default_factory=list)  # (location, reason)
    files: int = 0
    papers: int = 0
    duplicates: int = 0

    def skip(self, path, line, reason):
        self.skipped.append((f"{path}:{line}", reason))

    def warn(self, path, line, reason):
        self.warnings.append((f"{path}:{line}", reason))

    def messages(self):
        for loc, reason in self.skipped:
            yield f"{loc}: {reason} (skipped)"
        for loc, reason in self.warnings:
            yield f"{loc}: {reason}"


# ---------------------------------------------------------------------------
# text clean-up

_LATEX_ACCENTS = {"'": "\u0301", "`": "\u0300", "^": "\u0302", '"': "\u0308", "~": "\u0303",
                  "=": "\u0304", ".": "\u0307", "c": "\u0327", "v": "\u030c", "u": "\u0306", "H": "\u030b"}
_LATEX_SYMBOLS = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "varepsilon": "ε",
    "lambda": "λ", "mu": "μ", "sigma": "σ", "tau": "τ", "theta": "θ", "pi": "π", "phi": "φ",
    "ell": "ℓ", "times": "×", "cdot": "·", "sim": "~", "approx": "≈", "leq": "≤", "geq": "≥",
    "le": "≤", "ge": "≥", "pm": "±", "infty": "∞", "rightarrow": "→", "to": "→", "%": "%",
    "&": "&", "_": "_", "#": "#", "$": "$", "{": "{", "}": "}", "textasciitilde": "~",
}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
_WS = re.compile(r"\s+")
_ACCENT = re.compile(r"\\([`'^\"~=.cvuH])\s*\{?([A-Za-z])\}?")
_STYLE_CMD = re.compile(r"\\(?:textbf|textit|emph|texttt|mathrm|mathbf|mathit|mathcal|mathbb|text|textsc|underline|url|operatorname|boldsymbol)\s*\{([^{}]*)\}")
_SYMBOL_CMD = re.compile(r"\\([A-Za-z]+|[%&_#${}])")
_MATH = re.compile(r"\$\$?([^$]{0,200}?)\$\$?")


def _latex_to_text(s: str) -> str:
    if "\\" not in s and "$" not in s:
        return s
    for _ in range(3):  # nested \textbf{\emph{x}}
        s2 = _STYLE_CMD.sub(r"\1", s)
        if s2 == s:
            break
        s = s2
    s = _ACCENT.sub(lambda m: unicodedata.normalize("NFC", m.group(2) + _LATEX_ACCENTS[m.group(1)]), s)
    s = _MATH.sub(lambda m: m.group(1), s)
    s = _SYMBOL_CMD.sub(lambda m: _LATEX_SYMBOLS.get(m.group(1), m.group(1) if len(m.group(1)) == 1 else ""), s)
    # what is left of math: braces and sub/superscript markers around short groups
    s = re.sub(r"[_^]\{([^{}]*)\}", r"\1", s)
    s = s.replace("{", "").replace("}", "")
    return s


def clean_text(s: str) -> str:
    """Plain text from a scraped or LaTeX-flavoured string.

    >>> clean_text("Fr\\\\'echet  distance of 3.5\\\\% with $\\\\ell_2$ and \\\\textbf{bold}")
    'Fréchet distance of 3.5% with ℓ_2 and bold'
    """
    if not s:
        return ""
    s = unicodedata.normalize("NFC", str(s))
    s = _CONTROL.sub(" ", s)
    s = _latex_to_text(s)
    s = s.replace("\u00a0", " ").replace("\u200b", "")
    return _WS.sub(" ", s).strip()


def norm_title(title: str) -> str:
    """Key under which two titles count as the same paper.

    >>> norm_title("MEAL V2: Boosting  Vanilla ResNet-50") == norm_title("meal v2 - boosting vanilla resnet 50")
    True
    """
    s = unicodedata.normalize("NFKD", title.lower())
    return re.sub(r"[^0-9a-z]+", "", s)


def paper_id(title: str) -> str:
    return "p" + hashlib.sha1(norm_title(title).encode("utf-8")).hexdigest()[:12]


# ---------------------------------------------------------------------------
# decoding

def decode_bytes(data: bytes, path, report: Report | None) -> str | None:
    """Text of a file's bytes; None (and a skip) for a binary file."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    sample = data[:8192]
    if b"\x00" in sample:
        if report is not None:
            report.skip(path, 1, "binary file (NUL bytes), not text")
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        text = data.decode("utf-8", errors="replace")
        if report is not None:
            line = data[: e.start].count(b"\n") + 1
            report.warn(path, line, "invalid UTF-8 bytes replaced with U+FFFD")
        return text


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
    """Remove page furniture glued to the start of a line ("SubscribeMEAL V2: ...")."""
    changed = True
    while changed:
        changed = False
        for f in _FURNITURE:
            if line.startswith(f) and len(line) > len(f):
                line = line[len(f):].lstrip()
                changed = True
    return line


def _is_meta(line: str) -> bool:
    return bool(line in {"·", "•", "new", "New"} or _DATE.match(line) or _AUTHORS.match(line))


def _looks_like_abstract(line: str) -> bool:
    return len(line) > MAX_TITLE_CHARS or (len(line) >= 120 and len(re.findall(r"[.!?](?:\s|$)", line)) >= 2)


def read_listing(text: str, path: str, report: Report) -> Iterator[Paper]:
    """Papers of a listing page: title line, abstract line, optional author/date lines."""
    title, title_line = None, 0
    last: Paper | None = None
    for n, raw in enumerate(text.splitlines(), 1):
        line = clean_text(raw)
        if not line:
            continue
        if re.sub(r"\s+", "", line).lower() in _FURNITURE_NORM:
            continue
        line = _strip_furniture_prefix(line)
        if _is_meta(line):
            if title is None and last is not None:
                m = _AUTHORS.match(line)
                if m:
                    last.authors = m.group(1)
                elif _DATE.match(line) and not last.date:
                    last.date = _parse_date(line)
            continue
        if title is None:
            if _looks_like_abstract(line):
                report.skip(path, n, "abstract without a title line")
                continue
            title, title_line = line, n
            continue
        if not _looks_like_abstract(line) and len(line) < 120 and not line.endswith("."):
            report.skip(path, title_line, "title without an abstract")
            title, title_line = line, n
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

_KEEP = ("url", "categories", "doi", "journal-ref", "venue")


def paper_from_mapping(rec: dict, path: str, line: int, report: Report) -> Paper | None:
    if not isinstance(rec, dict):
        report.skip(path, line, "record is not a JSON object")
        return None
    title = clean_text(rec.get("title") or "")
    abstract = clean_text(rec.get("abstract") or rec.get("summary") or "")
    if not title:
        report.skip(path, line, "record has no title")
        return None
    if not abstract:
        report.skip(path, line, "record has no abstract")
        return None
    authors = rec.get("authors") or ""
    if isinstance(authors, list):
        authors = "; ".join(" ".join(a) if isinstance(a, list) else str(a) for a in authors)
    date = str(rec.get("date") or rec.get("update_date") or rec.get("published") or "")
    attrs = {k: str(rec[k]) for k in _KEEP if rec.get(k) not in (None, "", [])}
    rid = str(rec.get("id") or "").strip()
    return Paper(title=title, abstract=abstract, source=path, line=line,
                 id=f"arxiv:{rid}" if rid and re.match(r"^\d{4}\.\d{4,5}|^[a-z\-]+/\d{7}", rid) else rid,
                 date=date[:10], authors=clean_text(str(authors)), attrs=attrs)


def read_jsonl(text: str, path: str, report: Report) -> Iterator[Paper]:
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as e:
            report.skip(path, n, f"invalid JSON ({e.msg})")
            continue
        p = paper_from_mapping(rec, path, n, report)
        if p is not None:
            yield p


def read_csv(text: str, path: str, report: Report) -> Iterator[Paper]:
    dialect = "excel-tab" if path.endswith(".tsv") else "excel"
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    fields = {(f or "").strip().lower() for f in reader.fieldnames or []}
    if not {"title", "abstract"} <= fields:
        report.skip(path, 1, "CSV header has no 'title' and 'abstract' columns")
        return
    try:
        for row in reader:
            rec = {(k or "").strip().lower(): v for k, v in row.items() if k is not None}
            p = paper_from_mapping(rec, path, reader.line_num, report)
            if p is not None:
                yield p
    except csv.Error as e:
        report.skip(path, reader.line_num, f"CSV error ({e})")


# ---------------------------------------------------------------------------
# files and directories

def iter_files(inputs: Iterable) -> Iterator[Path]:
    """Files named, and files below directories named, in sorted order."""
    for item in inputs:
        p = Path(item)
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if f.is_file() and not f.name.startswith("."):
                    yield f
        else:
            yield p


def read_file(path: Path, report: Report, display: str | None = None) -> Iterator[Paper]:
    name = display or str(path)
    try:
        data = path.read_bytes()
    except OSError as e:
        report.skip(name, 0, f"cannot read file ({e.strerror or e})")
        return
    report.files += 1
    text = decode_bytes(data, name, report)
    if text is None:
        return
    if not text.strip():
        report.skip(name, 1, "empty file")
        return
    suffix = path.suffix.lower()
    if suffix in SUFFIXES_JSONL or (suffix not in SUFFIXES_CSV and text.lstrip().startswith("{")):
        yield from read_jsonl(text, name, report)
    elif suffix in SUFFIXES_CSV:
        yield from read_csv(text, name, report)
    else:
        yield from read_listing(text, name, report)


def bundled_corpus() -> Path:
    """Folder of the sample listing pages shipped with kg."""
    return Path(__file__).parent / "data" / "seeds"


def read_papers(inputs: Iterable, report: Report | None = None) -> Iterator[Paper]:
    """Papers from files and directories, over-long abstracts cut, with problems in ``report``."""
    report = report if report is not None else Report()
    inputs = list(inputs) or [bundled_corpus()]
    for path in iter_files(inputs):
        display = path.name if path.parent == bundled_corpus() else str(path)
        for p in read_file(path, report, display):
            if len(p.abstract) > MAX_ABSTRACT_CHARS:
                report.warn(p.source, p.line, f"abstract cut to {MAX_ABSTRACT_CHARS} characters")
                p.abstract = p.abstract[:MAX_ABSTRACT_CHARS]
            report.papers += 1
            yield p


def unique_papers(papers: Iterable[Paper], report: Report | None = None) -> Iterator[Paper]:
    """Drop repeats of a title already seen; the first record gains the later sources.

    The first record is yielded at once (streaming); later sources are appended to its
    ``attrs['sources']`` list, which the caller reads after the stream is done.
    """
    seen: dict[str, Paper] = {}
    for p in papers:
        k = p.key
        if k in seen:
            first = seen[k]
            first.attrs.setdefault("sources", [first.location]).append(p.location)
            if not first.date and p.date:
                first.date = p.date
            if report is not None:
                report.duplicates += 1
            continue
        seen[k] = p
        p.attrs.setdefault("sources", [p.location])
        yield p
