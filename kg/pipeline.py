"""read -> nlp -> extract -> resolve -> graph -> export, as one streaming job.

Papers stream from the readers through ``nlp.pipe`` (each abstract parsed once); each Doc is
turned into a plain extraction record at once and dropped, so memory grows with the
records (the graph), never with Docs.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from . import corpus
from .export import atomic_write


@dataclass
class BuildOptions:
    model: str | None = None
    n_process: int | None = 1
    batch_size: int | None = None
    cache_dir: Path | None = None
    engine: str = "local"
    scheduler: str | None = None
    progress: bool = False


@dataclass
class BuildResult:
    report: corpus.Report
    papers: int = 0
    out_dir: Path | None = None
    files: dict = field(default_factory=dict)
    graph: object = None


def extract_records(papers: Iterable[corpus.Paper], opts: BuildOptions) -> Iterator[dict]:
    """Extraction records, in input order, for distinct papers."""
    from .extract import Extractor
    from . import nlp as nlp_mod

    nlp = nlp_mod.load(opts.model)
    extractor = Extractor(nlp)
    batch = opts.batch_size or 64
    n_process = opts.n_process or 1
    if n_process > 1:
        for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ.setdefault(var, "1")
    stream = ((p.abstract, p) for p in papers)
    for doc, paper in nlp.pipe(stream, as_tuples=True, batch_size=batch, n_process=n_process):
        yield extractor.record(doc, paper)


def _read(inputs, report):
    return corpus.unique_papers(corpus.read_papers(inputs, report), report)


def extract_to_file(inputs: list, out_file: Path, opts: BuildOptions) -> BuildResult:
    report = corpus.Report()
    n = 0
    with atomic_write(out_file) as f:
        for rec in extract_records(_read(inputs, report), opts):
            f.write(json.dumps(rec, ensure_ascii=False, sort_keys=True) + "\n")
            n += 1
    return BuildResult(report=report, papers=n)


def build_outputs(inputs: list, out_dir: Path, opts: BuildOptions) -> BuildResult:
    """Read, extract and write the four output files into ``out_dir``."""
    from .export.graphml import write_graphml
    from .export.html import write_html
    from .export.json import write_json
    from .graph import build_graph

    report = corpus.Report()
    out_dir = Path(out_dir)
    records = list(extract_records(_read(inputs, report), opts))
    result = BuildResult(report=report, papers=len(records), out_dir=out_dir)
    if not records:
        return result
    G = build_graph(records)
    files = {"extractions": out_dir / "extractions.jsonl", "graphml": out_dir / "graph.graphml",
             "json": out_dir / "graph.json", "html": out_dir / "graph.html"}
    with atomic_write(files["extractions"]) as f:
        for rec in records:
            f.write(json.dumps(rec, ensure_ascii=False, sort_keys=True) + "\n")
    write_graphml(G, files["graphml"])
    write_json(G, files["json"])
    write_html(G, files["html"])
    result.files, result.graph = files, G
    return result
