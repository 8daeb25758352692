"""Files and directories: which files to read, each file's format, the papers of them all."""
from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Iterable, Iterator

from .decode import SNIFF_BYTES, decode_bytes, lines_note, mostly_binary, text_encoding
from .limits import MAX_RECORD_BYTES, apply_limits
from .listing import read_listing
from .paper import Paper, Report
from .records import read_csv, read_jsonl

SUFFIXES_JSONL = {".jsonl", ".ndjson", ".json"}
SUFFIXES_CSV = {".csv", ".tsv"}
SUFFIXES_TEXT = {".txt", ".md", ""}

#: Files whose presence together marks a directory as kg's own output, never read as input.
KG_OUTPUTS = ("graph.graphml", "extractions.jsonl")


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
                for d in sorted(dirs):
                    if (Path(root) / d).is_symlink():  # os.walk does not follow it
                        _not_read(report, Path(root) / d, "a link to a directory, not followed")
                found.extend(Path(root) / n for n in names if not n.startswith("."))
            candidates = []
            for f in sorted(found):
                if f.is_file():
                    candidates.append(f)
                else:
                    _not_read(report, f, _kind_of(f))
        else:
            candidates = [p]
        for f in candidates:
            key = os.path.realpath(f)
            if key in seen:
                continue
            seen.add(key)
            yield f


def _not_read(report: Report | None, path: Path, reason: str) -> None:
    if report is not None:
        report.skip(_display(path), 1, reason)


def _kind_of(path: Path) -> str:
    """Why an entry of a directory that is not a regular file is not read."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return "a broken link, not read" if path.is_symlink() else "cannot be read"
    if stat.S_ISFIFO(mode):
        return "a FIFO, not a regular file: not read"
    if stat.S_ISSOCK(mode):
        return "a socket, not a regular file: not read"
    return "not a regular file: not read"


def _stream_lines(f, bom: int, name: str, report: Report) -> Iterator[tuple[int, str]]:
    """``(number, text)`` of a UTF-8 file's lines, read one at a time; a line longer than
    :data:`MAX_RECORD_BYTES` is skipped unread, so memory stays bounded."""
    f.seek(bom)
    bad = []
    n = 0
    while True:
        raw = f.readline(MAX_RECORD_BYTES + 1)
        if not raw:
            break
        n += 1
        if len(raw) > MAX_RECORD_BYTES and not raw.endswith(b"\n"):
            while raw and not raw.endswith(b"\n"):  # the rest of the line, a piece at a time
                raw = f.readline(2**20)
            report.skip(name, n, f"record longer than {MAX_RECORD_BYTES // 2**20} MiB, not read")
            continue
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:
            line = raw.decode("utf-8", errors="replace")
            bad.append(n)
        yield n, line.rstrip("\r\n")
    if bad:
        report.warn(name, bad[0], f"invalid UTF-8 bytes replaced with U+FFFD ({lines_note(bad)})")


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
        enc, bom = text_encoding(head)
        start = head[bom:bom + 256].decode(enc or "utf-8", errors="replace").lstrip() if enc else ""
        jsonl = suffix in SUFFIXES_JSONL or (suffix not in SUFFIXES_CSV and start.startswith("{"))
        if jsonl and enc == "utf-8" and suffix != ".json" and not start.startswith("["):
            if not start.strip() and not any(ln.strip() for ln in f):
                report.skip(name, 1, "empty file")
                return
            if mostly_binary(head[bom:].decode("utf-8", errors="replace")):
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
    return Path(__file__).parent.parent / "data" / "seeds"


def read_papers(inputs: Iterable, report: Report | None = None) -> Iterator[Paper]:
    """Papers from files and directories, read one at a time.

    Each file's format is told by its suffix (:func:`read_file`); limits are applied
    (:func:`apply_limits`). Repeats are not removed: see :func:`distinct_papers`.

    Parameters
    ----------
    inputs : iterable of str or pathlib.Path
        Files and directories (read recursively, in sorted order); empty: the bundled corpus.
    report : Report, optional
        Receives every problem, once: a record or file that cannot be read is skipped
        into it (never raised), text that had to be repaired is kept with a warning.

    Yields
    ------
    Paper
        Title and abstract cleaned, ``source`` and ``line`` where the record was read.

    Examples
    --------
    >>> import json, kg, pathlib, tempfile
    >>> from kg.read import Report
    >>> report = Report()
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     data = pathlib.Path(folder) / "papers.jsonl"
    ...     _ = data.write_text(json.dumps({"title": "TinyBERT", "abstract": "We  propose TinyBERT."})
    ...                         + "\\n" + json.dumps({"title": "No abstract"}) + "\\n")
    ...     papers = list(kg.read_papers([data], report))
    >>> [(p.title, p.abstract, p.line) for p in papers]
    [('TinyBERT', 'We propose TinyBERT.', 1)]
    >>> [reason for _, reason in report.skipped]
    ['record has no abstract']
    """
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

