"""The extraction cache: what a paper's text gave, so that a rebuild parses only new text.

One SQLite file (``extractions.sqlite`` in the cache directory, WAL mode) with one table::

    records(key TEXT PRIMARY KEY, context TEXT, value TEXT)

``key`` hashes the cache *context* with the paper's cleaned title and abstract; the context
(:func:`context`) names the spaCy model and version and hashes every file of
``kg/patterns/`` and every module of ``kg/`` that extraction imports (:func:`extraction_modules`,
found by reading the import statements, so a module split out of another is counted without
being listed anywhere), so editing a rule or upgrading the model misses every entry, and the stale rows are deleted when the cache is next opened.
``value`` is the record as JSON *without* the fields that come from the paper's metadata
rather than its text (:data:`PAPER_FIELDS`); :func:`restore` puts the current paper's
values back, so a cached record is the record a fresh parse would give, byte for byte.

A cache that cannot be used (a corrupt file, a read-only directory, a locked database) is
reported once and set aside, never fatal: a corrupt file is deleted and rebuilt, any other
failure turns the cache off for the rest of the run. This module never imports spaCy.
"""
from __future__ import annotations

import ast
import hashlib
import json
import os
import sqlite3
from pathlib import Path
from typing import Callable, Iterable

#: Record fields taken from the paper's metadata, not its text: never cached, always patched in.
PAPER_FIELDS = ("id", "source", "date", "authors", "url")
#: Where extraction starts: the model loader and the record maker. With every module of ``kg/`` they
#: import, directly or not, and ``kg/patterns/*`` they make the rules hash (:func:`rules_hash`).
EXTRACTION_ENTRIES = ("nlp.py", "extract.py")
#: What turns extraction records into the graph files: with the export templates and the versions of
#: networkx (layout) and pyvis (vis-network) they make the outputs hash (:func:`outputs_hash`).
GRAPH_MODULES = ("dedupe.py", "graph.py", "resolve.py", "pipeline.py", "metrics.py")
FILENAME = "extractions.sqlite"
#: Bumped when the layout of a cached value changes.
SCHEMA = 1

_KG = Path(__file__).parent


def rules_hash(root: Path = _KG) -> str:
    """SHA-256 over the names and bytes of every pattern file and extraction module."""
    return _files_hash(root, sorted(set(_tree(root / "patterns")) | set(extraction_modules(root))))


def extraction_modules(root: Path = _KG, entries: Iterable[str] = EXTRACTION_ENTRIES) -> list:
    """The files of the package at ``root`` that extraction runs: the ``entries`` and every module
    of the package they import, directly or not, at module level or inside a function.

    The import statements are read (:mod:`ast`), not run, so this never imports spaCy. A package's
    ``__init__.py`` counts when one of its modules is imported, except the top package's own (the
    public API, which extraction does not use).

    >>> names = {p.relative_to(_KG).as_posix() for p in extraction_modules()}
    >>> "relations.py" in names, "patterns/__init__.py" in names, "query.py" in names
    (True, True, False)
    """
    root = Path(root)
    seen, todo = set(), [root / e for e in entries]
    while todo:
        path = todo.pop()
        if path in seen or not path.is_file():
            continue
        seen.add(path)
        todo.extend(_imported(root, path))
    return sorted(seen)


def _imported(root: Path, path: Path) -> list:
    """The files of the package at ``root`` that the module ``path`` imports."""
    package = path.relative_to(root).parent.parts  # the module's package, relative to the top package
    out = []
    for node in ast.walk(ast.parse(path.read_bytes(), filename=str(path))):
        if isinstance(node, ast.Import):
            names = [a.name.split(".") for a in node.names]
            out += [f for n in names if n[0] == root.name for f in _module_files(root, n[1:])]
        elif isinstance(node, ast.ImportFrom):
            module = node.module.split(".") if node.module else []
            if node.level and node.level - 1 <= len(package):  # from .x / from ..x
                base = list(package[:len(package) - node.level + 1]) + module
            elif not node.level and module[:1] == [root.name]:  # from kg.x
                base = module[1:]
            else:
                continue
            out += _module_files(root, base)
            for a in node.names:  # "from . import x": x may be a module
                out += _module_files(root, base + [a.name]) if a.name != "*" else []
    return out


def _module_files(root: Path, parts: list) -> list:
    """The file of the module ``parts`` of the package at ``root`` (if it has one), with the
    ``__init__.py`` of each package on the way below the top one."""
    out = [root.joinpath(*parts[:i], "__init__.py") for i in range(1, len(parts))]
    target = root.joinpath(*parts)
    out += [target.with_suffix(".py"), target / "__init__.py"] if parts else []
    return [p for p in out if p.is_file()]


def outputs_hash(root: Path = _KG) -> str:
    """SHA-256 over the code and templates that turn records into the graph files, and the
    versions of the libraries they use."""
    from importlib.metadata import PackageNotFoundError, version

    h = hashlib.sha256(_files_hash(root, _tree(root / "export") + [root / m for m in GRAPH_MODULES]).encode())
    for dist in ("networkx", "pyvis"):
        try:
            h.update(f"\0{dist}={version(dist)}".encode())
        except PackageNotFoundError:
            h.update(f"\0{dist}=?".encode())
    return h.hexdigest()


def _tree(folder: Path) -> list:
    return sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts
                  and not p.name.endswith((".pyc", ".tmp")))


def _files_hash(root: Path, files: list) -> str:
    h = hashlib.sha256()
    for p in files:
        h.update(p.relative_to(root).as_posix().encode() + b"\0")
        try:
            h.update(p.read_bytes())
        except OSError:
            h.update(b"<missing>")
        h.update(b"\0")
    return h.hexdigest()


def context(model_id: str, rules: str | None = None) -> str:
    """What every cached value depends on besides the text: model, rules, value layout."""
    return f"{SCHEMA}:{model_id}:{rules or rules_hash()}"


def paper_key(ctx: str, paper) -> str:
    """Cache key of one paper: its cleaned title and abstract under a context."""
    h = hashlib.sha256(ctx.encode())
    h.update(b"\0" + paper.title.encode("utf-8", "surrogatepass") + b"\0" + paper.abstract.encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def paper_fields(paper) -> dict:
    """The record fields :func:`kg.extract.Extractor.record` takes from the paper's metadata."""
    out = {"id": paper.id, "source": paper.location, "date": paper.date, "authors": paper.authors}
    if paper.attrs.get("url"):
        out["url"] = paper.attrs["url"]
    return out


def text_part(record: dict, paper) -> dict | None:
    """The cacheable part of a fresh record, or None when it cannot be restored exactly.

    None means the record's metadata fields are not what :func:`paper_fields` would put
    back (the extractor changed how it fills them): such records are simply not cached.
    """
    meta = paper_fields(paper)
    if {k: record[k] for k in PAPER_FIELDS if k in record} != meta:
        return None
    return {k: v for k, v in record.items() if k not in PAPER_FIELDS}


def well_formed(part) -> bool:
    """True for a text part of the shape a record has: a title, a list of entities (objects
    with a string name and type) and a list of relations (objects with string head, relation
    and tail). Anything else read from the cache is treated as not cached.

    >>> well_formed({"title": "T", "entities": [{"name": "BERT", "type": "method"}], "relations": []})
    True
    >>> well_formed({"title": "T", "entities": 5, "relations": []}), well_formed([1])
    (False, False)
    """
    if not (isinstance(part, dict) and isinstance(part.get("title"), str)):
        return False
    entities, relations = part.get("entities"), part.get("relations")
    return (isinstance(entities, list) and isinstance(relations, list)
            and all(isinstance(e, dict) and isinstance(e.get("name"), str) and isinstance(e.get("type"), str)
                    for e in entities)
            and all(isinstance(r, dict) and all(isinstance(r.get(k), str) for k in ("head", "relation", "tail"))
                    for r in relations))


def restore(part: dict, paper) -> dict:
    """A full record from a cached text part and the current paper."""
    rec = dict(part)
    rec.update(paper_fields(paper))
    return rec


class ExtractionCache:
    """Per-paper extraction records in ``directory/extractions.sqlite``.

    ``warn(path, message)`` is called for every problem; after a problem other than a
    corrupt file the cache answers nothing and stores nothing.
    """

    def __init__(self, directory, ctx: str, warn: Callable[[str, str], None] | None = None):
        self.path = Path(directory) / FILENAME
        self.ctx = ctx
        self._warn = warn or (lambda path, msg: None)
        self.db: sqlite3.Connection | None = None
        self.hits = self.misses = 0
        try:
            self.db = self._open()
        except sqlite3.DatabaseError as e:
            if not self._is_corrupt(e):
                self._fail("cannot open extraction cache", e)
                return
            self._warn(str(self.path), f"extraction cache unreadable ({e}); deleted and rebuilt")
            self._delete()
            try:
                self.db = self._open()
            except (sqlite3.Error, OSError) as e2:
                self._fail("cannot rebuild extraction cache", e2)
        except OSError as e:
            self._fail("cannot open extraction cache", e)

    # -- opening

    def _open(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("CREATE TABLE IF NOT EXISTS records "
                       "(key TEXT PRIMARY KEY, context TEXT NOT NULL, value TEXT NOT NULL) WITHOUT ROWID")
            cols = [r[1] for r in db.execute("PRAGMA table_info(records)")]
            if cols != ["key", "context", "value"]:
                raise sqlite3.DatabaseError(f"unexpected columns {cols}")
            # rows written under other rules or another model can never be read again
            db.execute("DELETE FROM records WHERE context != ?", (self.ctx,))
        except BaseException:
            db.close()
            raise
        return db

    @staticmethod
    def _is_corrupt(e: Exception) -> bool:
        msg = str(e).lower()
        return not isinstance(e, sqlite3.OperationalError) or any(
            s in msg for s in ("not a database", "malformed", "unexpected columns", "corrupt", "no such column"))

    def _delete(self) -> None:
        for suffix in ("", "-wal", "-shm"):
            try:
                os.unlink(f"{self.path}{suffix}")
            except FileNotFoundError:
                pass
            except OSError as e:
                self._warn(f"{self.path}{suffix}", f"cannot delete ({e.strerror or e})")

    def _fail(self, what: str, e: Exception) -> None:
        self._warn(str(self.path), f"{what} ({e}); continuing without it")
        self.close()

    # -- use

    @property
    def enabled(self) -> bool:
        return self.db is not None

    def get_many(self, keys: list[str]) -> dict[str, dict]:
        """Cached text parts of those ``keys`` that are cached."""
        if self.db is None or not keys:
            return {}
        out = {}
        try:
            for i in range(0, len(keys), 500):
                part = keys[i:i + 500]
                rows = self.db.execute(
                    f"SELECT key, value FROM records WHERE key IN ({','.join('?' * len(part))})", part)
                for key, value in rows:
                    try:
                        rec = json.loads(value)
                    except ValueError:
                        continue  # a damaged value is a miss; it is overwritten below
                    if well_formed(rec):  # a row of another shape is a miss too
                        out[key] = rec
        except sqlite3.Error as e:
            self._fail("extraction cache read failed", e)
            return {}
        self.hits += len(out)
        self.misses += len(keys) - len(out)
        return out

    def put_many(self, items: Iterable[tuple[str, dict]]) -> None:
        """Store (key, text part) pairs."""
        if self.db is None:
            return
        rows = [(k, self.ctx, json.dumps(v, ensure_ascii=False, sort_keys=True)) for k, v in items]
        if not rows:
            return
        try:
            with self.db:  # one transaction per batch
                self.db.execute("BEGIN")
                self.db.executemany("INSERT OR REPLACE INTO records VALUES (?, ?, ?)", rows)
        except sqlite3.Error as e:
            self._fail("extraction cache write failed", e)

    def close(self) -> None:
        if self.db is not None:
            try:
                self.db.close()
            finally:
                self.db = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


# ---------------------------------------------------------------------------
# build stamps: when the graph files of an output directory are already what a build would write

BUILDS = "builds.json"


def files_state(paths) -> dict | None:
    """``{file name: [size, mtime_ns]}`` of ``paths``, or None when one is missing."""
    out = {}
    for p in paths:
        try:
            st = os.stat(p)
        except OSError:
            return None
        out[Path(p).name] = [st.st_size, st.st_mtime_ns]
    return out


def read_build(cache_dir: Path, out_dir: Path) -> dict | None:
    """The stamp the last build into ``out_dir`` left in ``cache_dir``, if any can be read."""
    try:
        builds = json.loads((Path(cache_dir) / BUILDS).read_text(encoding="utf-8"))
        stamp = builds.get(str(Path(out_dir).resolve()))
    except (OSError, ValueError, AttributeError):
        return None
    return stamp if isinstance(stamp, dict) else None


def write_build(cache_dir: Path, out_dir: Path, stamp: dict, warn: Callable[[Path, str], None] | None = None) -> None:
    """Record ``stamp`` for ``out_dir`` (atomically; a failure only means the next build writes again)."""
    from .export import atomic_write

    path = Path(cache_dir) / BUILDS
    try:
        try:
            builds = json.loads(path.read_text(encoding="utf-8"))
            builds = builds if isinstance(builds, dict) else {}
        except (OSError, ValueError):
            builds = {}
        builds[str(Path(out_dir).resolve())] = stamp
        with atomic_write(path) as f:
            json.dump(builds, f, sort_keys=True, indent=1)
    except OSError as e:
        if warn is not None:
            warn(path, f"build stamp not written ({e.strerror or e}); the next build writes the graph files again")
