"""read -> nlp -> extract -> resolve -> graph -> export, as one streaming job.

Papers stream from the readers in chunks. For each chunk the extraction cache
(:mod:`kg.cache`) answers what it can; the rest go to an engine (:mod:`kg.engines`) that
parses each abstract once with ``nlp.pipe`` and turns each Doc into a plain record at
once. Records come back in input order and are kept only for the graph (memory grows
with the graph, never with Docs or with the input); a build then reads the abstracts once
more for the names the corpus defines (:mod:`kg.corpus`) and writes ``extractions.jsonl``.

How many processes: ``n_process`` (default: the machine's cores) for the local engine,
but one when fewer than :data:`MIN_PAPERS_FOR_PROCESSES` papers need parsing among the
first :data:`LOOKAHEAD` read -- starting workers and loading the model in each costs
more than it saves on small jobs (bench/README.md has the measurements).
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import sys
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .export import atomic_write, replace_together
from .outdir import claim
from .read import Paper, Report, distinct_papers

#: Below this many papers to parse, the local engine stays in one process: on two cores,
#: two processes tie with one at 100 papers and win from 200 on (bench/README.md).
MIN_PAPERS_FOR_PROCESSES = 150
#: Papers read ahead to decide how many processes to start.
LOOKAHEAD = 5000
#: Papers per task, in ``nlp.pipe`` batches.
BATCHES_PER_TASK = 2


@dataclass
class BuildOptions:
    """How :func:`extract_records` and the builds parse; every field defaults to kg's choice."""

    #: spaCy model name or path; None: :func:`kg.nlp.default_model`.
    model: str | None = None
    #: Parsing processes (local engine) or Dask workers; None or < 1: the machine's cores.
    n_process: int | None = None
    batch_size: int | None = None
    #: Extraction cache directory; None: no cache.
    cache_dir: Path | None = None
    engine: str = "local"
    scheduler: str | None = None
    #: Called when another job holds the output directory, before waiting for it (:mod:`kg.outdir`).
    on_wait: Callable[[], None] | None = None


@dataclass
class BuildResult:
    report: Report
    papers: int = 0
    out_dir: Path | None = None
    files: dict = field(default_factory=dict)
    #: The graph built; None when nothing was read, or when the graph files were up to date.
    graph: object = None
    #: Node counts by type and edge counts by relation (:func:`kg.graph.summary`).
    summary: dict | None = None
    #: True when the graph files were left as they were: same records, same exporters.
    up_to_date: bool = False
    #: ``parsed``, ``cached`` (paper counts), ``engine`` (what ran), ``seconds``.
    stats: dict = field(default_factory=dict)


@dataclass
class _Chunk:
    papers: list
    keys: list
    cached: dict  # key -> cached text part
    todo: list  # papers to parse
    future: object = None


def default_processes() -> int:
    return os.cpu_count() or 1


def extract_records(papers: Iterable[Paper], opts: BuildOptions | None = None,
                    report: Report | None = None, stats: dict | None = None) -> Iterator[dict]:
    """Extraction records, in input order, one per paper of ``papers``, as they are read: the
    one step of kg that parses (and imports spaCy); an endless input yields as it goes.

    Parameters
    ----------
    papers : iterable of Paper
        From :func:`kg.read_papers`, or made with :class:`kg.Paper`.
    opts : BuildOptions, optional
        Model, processes, batch size, cache directory and engine (default: the default
        model, the machine's cores -- one process below :data:`MIN_PAPERS_FOR_PROCESSES`
        papers to parse -- and no cache).
    report : Report, optional
        Receives cache problems (a cache that cannot be used is set aside, never fatal).
    stats : dict, optional
        Filled as the stream is read: ``parsed`` and ``cached`` paper counts, ``engine``.

    Yields
    ------
    dict
        The record of one paper: ``id``, ``title``, ``entities``, ``relations`` and the
        paper's metadata, the JSON objects ``kg extract`` writes one a line.

    Raises
    ------
    kg.nlp.ModelNotFound
        When the spaCy model is not installed.
    kg.engines.EngineError
        When a parsing worker fails.

    Examples
    --------
    >>> import kg
    >>> paper = kg.Paper(title="TinyBERT: Distilling BERT for Natural Language Understanding",
    ...                  abstract="We propose TinyBERT, which outperforms BERT-Small on GLUE.", source="-")
    >>> rec = next(kg.extract_records([paper]))
    >>> [(e["name"], e["type"]) for e in rec["entities"]]
    [('TinyBERT', 'method'), ('BERT-Small', 'method'), ('GLUE', 'dataset')]
    >>> sorted((r["head"], r["relation"], r["tail"]) for r in rec["relations"])[:2]
    [('TinyBERT', 'evaluated_on', 'GLUE'), ('TinyBERT', 'outperforms', 'BERT-Small')]
    """
    opts = opts if opts is not None else BuildOptions()
    from . import engines
    from . import nlp as nlp_mod

    report = report if report is not None else Report()
    stats = stats if stats is not None else {}
    stats.update(parsed=0, cached=0, engine="none")
    model = opts.model or nlp_mod.default_model()
    batch = opts.batch_size or engines.DEFAULT_BATCH_SIZE
    n_process = opts.n_process if opts.n_process and opts.n_process > 0 else default_processes()
    cache = _open_cache(opts, model, report)
    chunks = _chunks(papers, batch * BATCHES_PER_TASK, cache)

    # read ahead to see how much there is to parse before starting any worker
    head, to_parse, seen = [], 0, 0
    for c in chunks:
        head.append(c)
        to_parse += len(c.todo)
        seen += len(c.papers)
        if to_parse >= MIN_PAPERS_FOR_PROCESSES or seen >= LOOKAHEAD:
            break
    if opts.engine == "local" and to_parse < MIN_PAPERS_FOR_PROCESSES:
        n_process = 1

    engine = None
    pending: deque[_Chunk] = deque()
    in_flight = 0
    try:
        for c in _chain(head, chunks):
            if c.todo:
                if engine is None:  # started at the first paper to parse, never for a cached rebuild
                    engine = engines.make_engine(opts.engine, model, batch, n_process, opts.scheduler)
                    stats["engine"] = engine.name
                c.future = engine.submit(c.todo)
                in_flight += 1
            pending.append(c)
            while pending and (in_flight > engine_window(engine) or len(pending) > 64 + engine_window(engine)):
                done = pending.popleft()
                in_flight -= done.future is not None
                yield from _finish(done, cache, stats)
        while pending:
            yield from _finish(pending.popleft(), cache, stats)
    finally:
        if engine is not None:
            engine.close()
        if cache is not None:
            cache.close()


def engine_window(engine) -> int:
    return engine.window if engine is not None else 1


def _chain(head, rest):
    yield from head
    yield from rest


def _open_cache(opts: BuildOptions, model: str, report: Report):
    if opts.cache_dir is None:
        return None
    from . import cache as cache_mod
    from .nlp import model_id_of

    return cache_mod.ExtractionCache(opts.cache_dir, cache_mod.context(model_id_of(model)),
                                     warn=lambda path, msg: report.warn(path, 0, msg))


def _chunks(papers: Iterable[Paper], size: int, cache) -> Iterator[_Chunk]:
    """Papers in chunks of ``size``, each looked up in the cache."""
    from . import cache as cache_mod

    buf = []
    for p in papers:
        # a copy as the paper is now: readers may still change the original (a later
        # duplicate adds its date), and records must not depend on when they are made
        buf.append(dataclasses.replace(p, attrs=dict(p.attrs)))
        if len(buf) >= size:
            yield _lookup(buf, cache, cache_mod)
            buf = []
    if buf:
        yield _lookup(buf, cache, cache_mod)


def _lookup(papers: list, cache, cache_mod) -> _Chunk:
    if cache is None or not cache.enabled:
        return _Chunk(papers, [None] * len(papers), {}, papers)
    keys = [cache_mod.paper_key(cache.ctx, p) for p in papers]
    cached = cache.get_many(keys)
    return _Chunk(papers, keys, cached, [p for p, k in zip(papers, keys) if k not in cached])


def _finish(chunk: _Chunk, cache, stats: dict) -> Iterator[dict]:
    from . import cache as cache_mod

    fresh = iter(chunk.future.result() if chunk.future is not None else ())
    store = []
    for p, k in zip(chunk.papers, chunk.keys):
        if k is not None and k in chunk.cached:
            stats["cached"] += 1
            yield _with_sources(cache_mod.restore(chunk.cached[k], p), p)
            continue
        rec = next(fresh)
        stats["parsed"] += 1
        if k is not None:
            part = cache_mod.text_part(rec, p)
            if part is not None:
                store.append((k, part))
        yield _with_sources(rec, p)
    if cache is not None and store:
        cache.put_many(store)


# ---------------------------------------------------------------------------
# jobs

def _with_sources(rec: dict, paper: Paper) -> dict:
    """A record of a paper found in more than one place lists them all (``sources``)."""
    sources = paper.attrs.get("sources") or []
    if len(sources) > 1:
        rec["sources"] = list(sources)
    return rec


def _read(inputs, report):
    return distinct_papers(inputs, report)


def _compact(rec: dict) -> dict:
    """``rec`` holding one object per distinct string: names, types, relation and rule names
    are interned and a sentence given by several relations is kept once. The values are
    unchanged; a 100K-paper build holds about 20% less for its graph."""
    intern = sys.intern
    for e in rec.get("entities", ()):
        for k in ("name", "type"):
            if isinstance(e.get(k), str):
                e[k] = intern(e[k])
        if isinstance(e.get("aliases"), list):
            e["aliases"] = [intern(a) if isinstance(a, str) else a for a in e["aliases"]]
    sentences: dict = {}
    for r in rec.get("relations", ()):
        for k in ("head", "relation", "tail", "rule"):
            if isinstance(r.get(k), str):
                r[k] = intern(r[k])
        if isinstance(r.get("sentence"), str):
            r["sentence"] = sentences.setdefault(r["sentence"], r["sentence"])
    return rec


def _dumps(rec: dict) -> str:
    return json.dumps(rec, ensure_ascii=False, sort_keys=True) + "\n"


class _NoRecords(Exception):
    pass


def default_cache_dir(out_dir) -> Path:
    """The extraction cache of a build into ``out_dir`` when none is named: ``out_dir/.cache``
    (hidden, so that a later build reading ``out_dir``'s parent never reads it)."""
    return Path(out_dir) / ".cache"


def extract_to_file(inputs: list, out_file: Path, opts: BuildOptions,
                    on_record: Callable[[], None] = lambda: None) -> BuildResult:
    """Write one extraction record per distinct paper of ``inputs`` to ``out_file`` (JSON Lines);
    ``on_record()`` is called after each record is written (a progress display, say)."""
    report = Report()
    stats: dict = {}
    n = 0
    t0 = time.perf_counter()
    try:
        with claim(Path(out_file).parent, [Path(out_file).name], opts.on_wait), atomic_write(out_file) as f:
            for rec in extract_records(_read(inputs, report), opts, report, stats):
                f.write(_dumps(rec))
                n += 1
                on_record()
            if not n:
                raise _NoRecords  # leave any earlier file in place
    except _NoRecords:
        pass
    stats["seconds"] = time.perf_counter() - t0
    return BuildResult(report=report, papers=n, stats=stats)


def build_outputs(inputs: list, out_dir: Path, opts: BuildOptions,
                  on_record: Callable[[], None] = lambda: None) -> BuildResult:
    """Read, extract and write the four output files into ``out_dir``; ``on_record()`` is
    called after each extraction record is written.

    Nothing is written when no paper could be read. The four files replace earlier ones
    together, when all are written: an error or interrupt before that leaves every earlier
    file as it was.

    With a cache directory, the build also leaves a stamp there (:func:`kg.cache.write_build`):
    a digest of the records and of the code that draws the graph files from them, and each
    graph file's size and modification time. A build whose digest and files match the stamp
    leaves the graph files as they are (``up_to_date``): they are what it would write.
    """
    with claim(out_dir, OUTPUT_NAMES.values(), opts.on_wait):  # one build per directory at a time
        with replace_together():
            result, stamp = _build_outputs(inputs, out_dir, opts, on_record)
        if stamp is not None:
            from . import cache as cache_mod

            stamp["files"] = cache_mod.files_state(result.files[k] for k in GRAPH_FILES)
            cache_mod.write_build(opts.cache_dir, result.out_dir, stamp,
                                  warn=lambda path, msg: result.report.warn(path, 0, msg))
    return result


#: The files of a build, by kind.
OUTPUT_NAMES = {"extractions": "extractions.jsonl", "graphml": "graph.graphml", "json": "graph.json", "html": "graph.html"}
#: The files drawn from the graph (``extractions.jsonl`` is written by every build).
GRAPH_FILES = ("graphml", "json", "html")


def _build_outputs(inputs: list, out_dir: Path, opts: BuildOptions, on_record) -> tuple:
    from . import cache as cache_mod
    from .corpus import second_pass
    from .export.graphml import write_graphml
    from .export.html import write_html
    from .export.json import write_json
    from .graph import build_graph, summary

    report = Report()
    out_dir = Path(out_dir)
    files = {k: out_dir / name for k, name in OUTPUT_NAMES.items()}
    stats: dict = {}
    records = []
    digest = hashlib.sha256(cache_mod.outputs_hash().encode()) if opts.cache_dir is not None else None
    t0 = time.perf_counter()
    for rec in extract_records(_read(inputs, report), opts, report, stats):
        records.append(_compact(rec))
        on_record()
    if records:  # none: any earlier extractions.jsonl stays in place
        # the second pass: names the corpus defines, found in every other paper (kg.corpus)
        second_pass(records, ((p.id, p.abstract) for p in _read(inputs, Report())))
        with atomic_write(files["extractions"]) as f:
            for rec in records:
                line = _dumps(rec)
                f.write(line)
                if digest is not None:
                    digest.update(line.encode("utf-8", "surrogatepass"))
    result = BuildResult(report=report, papers=len(records), out_dir=out_dir, stats=stats)
    stamp = None
    if records:
        result.files = files
        prior = cache_mod.read_build(opts.cache_dir, out_dir) if digest is not None else None
        if (prior is not None and prior.get("digest") == digest.hexdigest() and isinstance(prior.get("summary"), dict)
                and prior.get("files") == cache_mod.files_state(files[k] for k in GRAPH_FILES)):
            result.summary, result.up_to_date = prior["summary"], True
        else:
            G = build_graph(records)
            del records
            write_graphml(G, files["graphml"])
            write_json(G, files["json"])
            write_html(G, files["html"])
            result.graph, result.summary = G, summary(G)
            if digest is not None:
                stamp = {"digest": digest.hexdigest(), "summary": result.summary}
    stats["seconds"] = time.perf_counter() - t0
    return result, stamp
