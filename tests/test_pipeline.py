"""The streaming pipeline: order, the cache, process counts; real-model builds on a small corpus."""
import itertools
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg import cache, engines, pipeline
from kg import read as readers
from kg.cli import cli
from kg.read import Paper
from kg.pipeline import BuildOptions, extract_records

OUTPUTS = ("extractions.jsonl", "graph.graphml", "graph.json", "graph.html")


def fake_record(p: Paper) -> dict:
    return {"id": p.id, "title": p.title, "source": p.location, "date": p.date, "authors": p.authors,
            "entities": [{"name": p.abstract.split()[0], "type": "method", "aliases": []}], "relations": []}


@pytest.fixture
def parsed(monkeypatch):
    """Replace parsing by a fake; the list collects the abstracts each task was given."""
    seen = []

    def fake_batch(model, batch_size, papers):
        seen.append([p.abstract for p in papers])
        return [fake_record(p) for p in papers]

    monkeypatch.setattr(engines, "extract_batch", fake_batch)
    return seen


def papers(n, start=0, text="Net{i} is a model."):
    return [Paper(title=f"Paper {i}", abstract=text.format(i=i), source="s.jsonl", line=i + 1)
            for i in range(start, start + n)]


def test_records_come_in_input_order(parsed):
    recs = list(extract_records(papers(50), BuildOptions(n_process=1, batch_size=4)))
    assert [r["title"] for r in recs] == [f"Paper {i}" for i in range(50)]
    assert len(parsed) == 7  # tasks of 2 batches of 4


def test_small_inputs_stay_in_one_process(parsed):
    stats = {}
    list(extract_records(papers(10), BuildOptions(n_process=2), stats=stats))
    assert stats["engine"] == "1 process" and stats["parsed"] == 10


def test_records_stream(parsed):
    """The first records come before the input ends (it never does here)."""
    endless = (p for i in itertools.count() for p in papers(1, start=i))
    first = list(itertools.islice(extract_records(endless, BuildOptions(n_process=1, batch_size=8)), 20))
    assert [r["title"] for r in first] == [f"Paper {i}" for i in range(20)]


def test_rebuild_parses_only_new_or_changed_text(parsed, tmp_path):
    opts = BuildOptions(n_process=1, batch_size=4, cache_dir=tmp_path)
    first = list(extract_records(papers(30), opts))
    parsed.clear()
    changed = papers(30)
    changed[5].abstract = "Changed5 is new."
    changed += papers(2, start=30)
    stats = {}
    again = list(extract_records(changed, opts, stats=stats))
    assert sorted(a for batch in parsed for a in batch) == ["Changed5 is new.", "Net30 is a model.", "Net31 is a model."]
    assert stats == {"parsed": 3, "cached": 29, "engine": "1 process"}
    assert again[:5] == first[:5] and again[6:30] == first[6:]
    assert again[5]["entities"][0]["name"] == "Changed5"


def test_unchanged_rebuild_starts_no_engine(parsed, tmp_path, monkeypatch):
    opts = BuildOptions(n_process=1, cache_dir=tmp_path)
    list(extract_records(papers(20), opts))
    monkeypatch.setattr(engines, "make_engine", lambda *a, **k: pytest.fail("engine started"))
    stats = {}
    list(extract_records(papers(20), opts, stats=stats))
    assert stats["cached"] == 20 and stats["engine"] == "none"


def test_cached_records_take_the_new_metadata(parsed, tmp_path):
    opts = BuildOptions(n_process=1, cache_dir=tmp_path)
    list(extract_records(papers(3), opts))
    moved = papers(3)
    for p in moved:
        p.source, p.date = "moved.jsonl", "2022-02-02"
    parsed.clear()
    recs = list(extract_records(moved, opts))
    assert not parsed
    assert recs == [fake_record(p) for p in moved]


def test_a_rule_edit_misses_the_cache(parsed, tmp_path, monkeypatch):
    opts = BuildOptions(n_process=1, cache_dir=tmp_path)
    list(extract_records(papers(3), opts))
    monkeypatch.setattr(cache, "rules_hash", lambda root=None: "edited")
    parsed.clear()
    list(extract_records(papers(3), opts))
    assert len(parsed) == 1 and len(parsed[0]) == 3


def test_a_corrupt_cache_is_a_warning(parsed, tmp_path):
    (tmp_path / cache.FILENAME).write_bytes(b"\0garbage" * 64)
    report = readers.Report()
    recs = list(extract_records(papers(3), BuildOptions(n_process=1, cache_dir=tmp_path), report))
    assert len(recs) == 3
    assert any("rebuilt" in m for m in report.messages())


def test_a_record_is_the_paper_as_read(parsed):
    """A later duplicate gives the first record its date (readers.unique_papers) after the
    first was yielded; records are made from a copy taken when the paper was read, so
    how far the pipeline reads ahead cannot change them."""
    dup = papers(1)[0]
    dup.date = "2001-01-01"
    stream = readers.unique_papers(papers(3) + [dup])
    recs = list(extract_records(stream, BuildOptions(n_process=1, batch_size=64)))
    assert [r["date"] for r in recs] == ["", "", ""]


def test_n_process_default_is_the_cores(monkeypatch, parsed):
    monkeypatch.setattr(pipeline, "MIN_PAPERS_FOR_PROCESSES", 0)
    made = {}

    def fake_engine(kind, model, batch, n, scheduler=None):
        made["n"] = n
        return engines.InProcess(model, batch)

    monkeypatch.setattr(engines, "make_engine", fake_engine)
    monkeypatch.setattr(pipeline, "default_processes", lambda: 7)
    list(extract_records(papers(3), BuildOptions()))
    assert made["n"] == 7


# ---------------------------------------------------------------------------
# jobs and the CLI, with the fake parser

def write_jsonl(path: Path, ps) -> Path:
    path.write_text("".join(json.dumps({"title": p.title, "abstract": p.abstract}) + "\n" for p in ps))
    return path


def test_extract_writes_jsonl(parsed, tmp_path):
    src = write_jsonl(tmp_path / "in.jsonl", papers(5))
    r = pipeline.extract_to_file([src], tmp_path / "out.jsonl", BuildOptions(n_process=1))
    lines = (tmp_path / "out.jsonl").read_text().splitlines()
    assert r.papers == 5 and [json.loads(x)["title"] for x in lines] == [f"Paper {i}" for i in range(5)]


def test_build_with_no_papers_writes_nothing(parsed, tmp_path):
    src = tmp_path / "empty.jsonl"
    src.write_text('{"title": "no abstract"}\n')
    r = pipeline.build_outputs([src], tmp_path / "out", BuildOptions(n_process=1))
    assert r.papers == 0 and r.graph is None
    assert not (tmp_path / "out" / "extractions.jsonl").exists()


def test_cli_cache_options(parsed, tmp_path):
    src = write_jsonl(tmp_path / "in.jsonl", papers(4))
    run = lambda *a: CliRunner().invoke(cli, ["build", str(src), "-q", "--n-process", "1", *a])  # noqa: E731
    assert run("-o", str(tmp_path / "a")).exit_code == 0
    assert (tmp_path / "a" / ".cache" / cache.FILENAME).exists()
    assert run("-o", str(tmp_path / "b"), "--no-cache").exit_code == 0
    assert not (tmp_path / "b" / ".cache").exists()
    assert run("-o", str(tmp_path / "c"), "--cache", str(tmp_path / "elsewhere")).exit_code == 0
    assert (tmp_path / "elsewhere" / cache.FILENAME).exists() and not (tmp_path / "c" / ".cache").exists()


def test_cli_says_what_was_parsed(parsed, tmp_path):
    src = write_jsonl(tmp_path / "in.jsonl", papers(4))
    args = ["extract", str(src), "-o", str(tmp_path / "x.jsonl"), "--n-process", "1", "--cache", str(tmp_path / "c")]
    CliRunner().invoke(cli, args)
    r = CliRunner().invoke(cli, args)
    assert r.exit_code == 0 and "0 papers parsed, 4 from the cache" in r.output


def test_cli_scheduler_needs_dask(tmp_path):
    r = CliRunner().invoke(cli, ["build", "-o", str(tmp_path), "--scheduler", "tcp://x:1"])
    assert r.exit_code == 2 and "--engine dask" in r.output


# ---------------------------------------------------------------------------
# the real model

def small_corpus(tmp_path, n=24) -> Path:
    ps = list(itertools.islice(readers.unique_papers(readers.read_papers([])), n))
    return write_jsonl(tmp_path / "small.jsonl", ps)


def build(src, out, **kw) -> dict:
    r = pipeline.build_outputs([src], out, BuildOptions(**kw))
    assert r.papers > 0
    return {name: (out / name).read_bytes() for name in OUTPUTS}


@pytest.mark.model
def test_cache_and_processes_do_not_change_output(tmp_path, monkeypatch):
    src = small_corpus(tmp_path)
    fresh = build(src, tmp_path / "fresh", n_process=1)
    cached = build(src, tmp_path / "c1", n_process=1, cache_dir=tmp_path / "cache")
    recached = build(src, tmp_path / "c2", n_process=1, cache_dir=tmp_path / "cache")
    monkeypatch.setattr(pipeline, "MIN_PAPERS_FOR_PROCESSES", 0)
    two = build(src, tmp_path / "two", n_process=2, batch_size=4)
    assert fresh == cached == recached == two


@pytest.mark.model
def test_records_are_the_extractors(tmp_path, nlp, extractor):
    """The pipeline's record of a paper is what Extractor.record gives for its parse."""
    ps = list(itertools.islice(readers.unique_papers(readers.read_papers([])), 5))
    recs = list(extract_records(ps, BuildOptions(n_process=1)))
    assert recs == [extractor.record(nlp(p.abstract), p) for p in ps]


@pytest.mark.model
def test_cli_build_end_to_end(tmp_path):
    src = small_corpus(tmp_path, 6)
    r = CliRunner().invoke(cli, ["build", str(src), "-o", str(tmp_path / "out"), "--n-process", "1"])
    assert r.exit_code == 0, r.output
    assert "6 papers parsed (1 process), 0 from the cache" in r.output
    r = CliRunner().invoke(cli, ["build", str(src), "-o", str(tmp_path / "out"), "--n-process", "1"])
    assert "0 papers parsed, 6 from the cache" in r.output


def test_records_kept_for_the_graph_share_strings_but_not_values():
    s1 = "".join(["A sentence", "."])
    s2 = "".join(["A sentence", "."])
    rec = {"entities": [{"name": "".join(["Res", "Net"]), "type": "method", "aliases": ["RN"]}, {"name": "X"}],
           "relations": [{"head": "a", "relation": "".join(["outper", "forms"]), "tail": "b", "sentence": s1},
                         {"head": "a", "relation": "outperforms", "tail": "c", "sentence": s2}]}
    before = json.dumps(rec, sort_keys=True)
    out = pipeline._compact(rec)
    assert json.dumps(out, sort_keys=True) == before
    assert out["relations"][0]["sentence"] is out["relations"][1]["sentence"]
    assert out["relations"][0]["relation"] is out["relations"][1]["relation"]
    assert out["entities"][1] == {"name": "X"}


# ---------------------------------------------------------------------------
# graph files left alone when a build would write them unchanged

GRAPH_FILES = ("graph.graphml", "graph.json", "graph.html")


def _state(out: Path) -> dict:
    return {n: ((out / n).read_bytes(), (out / n).stat().st_mtime_ns) for n in GRAPH_FILES}


def test_unchanged_build_leaves_graph_files_alone(parsed, tmp_path):
    src = write_jsonl(tmp_path / "in.jsonl", papers(6))
    out, opts = tmp_path / "out", BuildOptions(n_process=1, cache_dir=tmp_path / "c")
    first = pipeline.build_outputs([src], out, opts)
    before = _state(out)
    again = pipeline.build_outputs([src], out, opts)
    assert not first.up_to_date and first.graph is not None
    assert again.up_to_date and again.graph is None and again.summary == first.summary
    assert _state(out) == before  # same bytes, not even rewritten
    assert again.papers == 6 and (out / "extractions.jsonl").read_text().count("\n") == 6


@pytest.mark.parametrize("change", ["new paper", "edited file", "deleted file", "exporter code", "no cache"])
def test_changed_build_writes_graph_files_again(parsed, tmp_path, monkeypatch, change):
    src = write_jsonl(tmp_path / "in.jsonl", papers(6))
    out, opts = tmp_path / "out", BuildOptions(n_process=1, cache_dir=tmp_path / "c")
    pipeline.build_outputs([src], out, opts)
    good = {n: (out / n).read_bytes() for n in GRAPH_FILES}
    if change == "new paper":
        write_jsonl(src, papers(7))
    elif change == "edited file":
        (out / "graph.html").write_text("<p>edited</p>")
    elif change == "deleted file":
        (out / "graph.json").unlink()
    elif change == "exporter code":
        monkeypatch.setattr(cache, "outputs_hash", lambda: "other exporters")
    else:
        opts = BuildOptions(n_process=1)
    r = pipeline.build_outputs([src], out, opts)
    assert not r.up_to_date and r.graph is not None
    now = {n: (out / n).read_bytes() for n in GRAPH_FILES}
    if change == "new paper":
        assert b"Paper 6" in now["graph.json"] and b"Paper 6" not in good["graph.json"]
    else:
        assert now == good


def test_unreadable_stamp_means_a_full_build(parsed, tmp_path):
    src = write_jsonl(tmp_path / "in.jsonl", papers(3))
    out, opts = tmp_path / "out", BuildOptions(n_process=1, cache_dir=tmp_path / "c")
    pipeline.build_outputs([src], out, opts)
    (tmp_path / "c" / cache.BUILDS).write_text("{not json")
    r = pipeline.build_outputs([src], out, opts)
    assert not r.up_to_date and r.graph is not None
    assert pipeline.build_outputs([src], out, opts).up_to_date  # the stamp was written again
