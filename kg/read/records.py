"""JSON Lines, JSON and CSV files: one paper per object or row."""
from __future__ import annotations

import csv
import email.utils
import io
import json
import re
from typing import Iterator

from .limits import precut
from .paper import Paper, Report
from .text import clean_text, split_lines

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
    cuts: dict = {}
    title = clean_text(precut(_as_text(rec.get("title")), "title", cuts))
    abstract = clean_text(precut(_as_text(rec.get("abstract")) or _as_text(rec.get("summary")), "abstract", cuts))
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
                 date=_date(rec), authors=_authors(rec.get("authors")), attrs=attrs, raw_chars=cuts)


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

