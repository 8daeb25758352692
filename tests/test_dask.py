"""The Dask engine: the same output as the local engine, on a two-worker LocalCluster.

The cluster here runs its two workers as threads of the test process
(``processes=False``, one thread each) and is reached through ``--scheduler``'s code path:
starting two worker processes that each import spaCy would triple the test's time.
Each worker thread loads the model once (``kg.engines.worker_extractor`` is per thread).
``kg build --engine dask`` itself starts a LocalCluster of worker *processes*; the bench
runs that and compares its four files with the local build's (bench/README.md).
"""
import itertools
import json

import pytest
from click.testing import CliRunner

from kg import read as readers
from kg import engines, pipeline
from kg.cli import cli
from kg.pipeline import BuildOptions

distributed = pytest.importorskip("distributed")

OUTPUTS = ("extractions.jsonl", "graph.graphml", "graph.json", "graph.html")


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None, silence_logs=40) as c:
        yield c


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    ps = list(itertools.islice(readers.unique_papers(readers.read_papers([])), 30))
    path = tmp_path_factory.mktemp("dask") / "small.jsonl"
    path.write_text("".join(json.dumps({"title": p.title, "abstract": p.abstract}) + "\n" for p in ps))
    return path


def outputs(out):
    return {name: (out / name).read_bytes() for name in OUTPUTS}


@pytest.mark.model
def test_dask_output_equals_local(cluster, small, tmp_path):
    local = pipeline.build_outputs([small], tmp_path / "local", BuildOptions(n_process=1))
    # small tasks, so that both workers get some and results come back out of order
    dask = pipeline.build_outputs([small], tmp_path / "dask",
                                  BuildOptions(engine="dask", scheduler=cluster.scheduler_address, batch_size=2))
    assert dask.stats["parsed"] == local.papers == 30
    assert dask.stats["engine"] == "dask: 2 worker threads"
    assert outputs(tmp_path / "dask") == outputs(tmp_path / "local")


@pytest.mark.model
def test_dask_with_the_cache(cluster, small, tmp_path):
    opts = BuildOptions(engine="dask", scheduler=cluster.scheduler_address, cache_dir=tmp_path / "cache")
    first = pipeline.build_outputs([small], tmp_path / "a", opts)
    again = pipeline.build_outputs([small], tmp_path / "b", opts)
    assert again.stats == {**again.stats, "parsed": 0, "cached": 30, "engine": "none"}
    assert first.stats["parsed"] == 30
    assert outputs(tmp_path / "a") == outputs(tmp_path / "b")


def test_missing_dask_is_a_usage_error(monkeypatch, tmp_path):
    monkeypatch.setattr(engines, "dask_missing", lambda: "--engine dask needs Dask: pip install 'kg[dask]'")
    r = CliRunner().invoke(cli, ["build", "-o", str(tmp_path), "--engine", "dask"])
    assert r.exit_code == 2 and "pip install 'kg[dask]'" in r.output


def test_an_unreachable_scheduler_is_one_line(tmp_path, small, monkeypatch):
    monkeypatch.setattr(engines, "SCHEDULER_TIMEOUT", 1)
    r = CliRunner().invoke(cli, ["extract", str(small), "-o", str(tmp_path / "x.jsonl"), "--engine", "dask",
                                 "--scheduler", "tcp://127.0.0.1:9", "-q"])
    assert r.exit_code == 1
    assert "cannot connect to the Dask scheduler at tcp://127.0.0.1:9" in r.output
    assert "Traceback" not in r.output
