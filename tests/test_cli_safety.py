"""What the commands refuse or survive: an output that would destroy an input, two builds into
one directory, write errors, interrupts, odd graph attributes and left-over temporary files.
Each ends with one line on stderr and a documented exit status, never a traceback."""
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.export.json import write_json
from kg.graph import build_graph

DATA = Path(__file__).parent / "data" / "readers"


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def one_line_exit(result, status):
    assert result.exit_code == status, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert len(result.stderr.splitlines()) == 1 and result.stderr.startswith("kg: "), result.stderr


@pytest.fixture
def jsonl(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_bytes((DATA / "arxiv.jsonl").read_bytes())
    return path


def test_extract_refuses_to_write_over_its_input(jsonl, tmp_path):
    before = jsonl.read_bytes()
    for out in (jsonl, tmp_path / "." / "in.jsonl"):
        one_line_exit(run("extract", jsonl, "-o", out, "-q"), 2)
    (tmp_path / "link.jsonl").symlink_to(jsonl)
    one_line_exit(run("extract", jsonl, "-o", tmp_path / "link.jsonl", "-q"), 2)
    one_line_exit(run("extract", tmp_path, "-o", jsonl, "-q"), 2)  # inside an input directory
    assert "is an input" in run("extract", jsonl, "-o", jsonl).stderr
    assert jsonl.read_bytes() == before


def test_build_refuses_an_output_directory_holding_a_named_input(jsonl, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "graph.json").write_bytes(jsonl.read_bytes())
    one_line_exit(run("build", out / "graph.json", "-o", out, "-q", "--no-cache"), 2)
    assert (out / "graph.json").read_bytes() == jsonl.read_bytes()


def test_html_refuses_to_write_over_its_graph(tmp_path):
    path = tmp_path / "g.json"
    write_json(build_graph([{"id": "p1", "title": "T", "entities": [{"name": "BERT", "type": "method"}],
                             "relations": []}]), path)
    before = path.read_bytes()
    one_line_exit(run("html", path, "-o", path), 2)
    assert path.read_bytes() == before


@pytest.mark.model
def test_a_second_build_into_one_directory_waits_for_the_first_and_says_so(tmp_path):
    from kg.outdir import claim

    out = tmp_path / "out"
    with claim(out):  # a first build holding the directory
        second = subprocess.Popen([sys.executable, "-m", "kg", "build", str(DATA / "listing.txt"), "-o", str(out),
                                   "--no-cache", "-q"], stderr=subprocess.PIPE, text=True)
        time.sleep(4)
        assert second.poll() is None and not (out / "graph.json").exists()
    _, stderr = second.communicate(timeout=120)
    assert second.returncode == 0, stderr
    assert stderr.startswith("kg: another kg job is writing into ") and "waiting" in stderr
    assert (out / "graph.json").exists()


@pytest.mark.model
def test_temporary_files_of_a_killed_run_are_removed_by_the_next(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    left = [out / ".graph.json.k1ll3d.tmp", out / ".extractions.jsonl.x_y.tmp"]
    other = out / ".notes.txt.keep.tmp"  # not an output of kg: left alone
    for p in (*left, other):
        p.write_text("half a file")
    assert run("build", DATA / "listing.txt", "-o", out, "--no-cache", "-q").exit_code == 0
    assert not any(p.exists() for p in left) and other.exists()
    stale = tmp_path / ".x.jsonl.abc.tmp"
    stale.write_text("half")
    assert run("extract", DATA / "listing.txt", "-o", tmp_path / "x.jsonl", "--no-cache", "-q").exit_code == 0
    assert not stale.exists()


def test_html_write_errors_and_interrupts_end_in_one_line(tmp_path, monkeypatch):
    import kg.export.html

    path = tmp_path / "g.json"
    write_json(build_graph([{"id": "p1", "title": "T", "entities": [{"name": "BERT", "type": "method"}],
                             "relations": []}]), path)
    result = run("html", path, "-o", "/proc/kg-test.html")
    one_line_exit(result, 1)
    assert ".tmp" not in result.stderr and "kg-test.html" in result.stderr
    result = run("html", path, "-o", path.parent / "g.json" / "x.html")  # a file where a directory should be
    one_line_exit(result, 1)
    assert result.stderr == f"kg: {path}: not a directory\n"

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(kg.export.html, "write_html", interrupted)
    one_line_exit(run("html", path, "-o", tmp_path / "page.html"), 130)


@pytest.mark.model
def test_a_full_disk_is_named_with_the_file_being_written(tmp_path, monkeypatch):
    import errno

    import kg.export

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(kg.export.os, "fsync", full)
    path = tmp_path / "g.json"
    result = run("extract", DATA / "arxiv.jsonl", "-o", path, "--no-cache", "-q")
    one_line_exit(result, 1)
    assert result.stderr == f"kg: {path}: No space left on device\n"
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("papers", ["many", "2.5", "1e999", "[1, 2]"])
def test_a_graph_whose_papers_attribute_is_not_an_integer_still_answers(tmp_path, papers):
    import networkx as nx

    G = build_graph([{"id": "p1", "title": "T", "entities": [{"name": "BERT", "type": "method"}],
                      "relations": []}])
    nx.set_node_attributes(G, papers, "papers")
    path = tmp_path / "g.json"
    write_json(G, path)
    for args in (["stats"], ["query", "search", "bert"], ["query", "show", "BERT"]):
        result = run(*args, "--graph", path)
        assert result.exit_code == 0 and result.exception is None, (args, result.output)
        assert "BERT" in result.stdout


@pytest.mark.model
@pytest.mark.parametrize("value", ['{"entities": 5}', '{"title": "T", "entities": [1], "relations": []}', '[1, 2]',
                                   '{"title": "T", "entities": [], "relations": [{"head": 1}]}'])
def test_cache_rows_of_the_wrong_shape_are_misses(tmp_path, value):
    import sqlite3

    from kg import cache

    out = tmp_path / "out"
    assert run("build", DATA / "listing.txt", "-o", out, "-q").exit_code == 0
    first = (out / "extractions.jsonl").read_bytes()
    with sqlite3.connect(out / ".cache" / cache.FILENAME) as db:
        assert db.execute("UPDATE records SET value = ?", (value,)).rowcount > 0
    result = run("build", DATA / "listing.txt", "-o", out, "-q")
    assert result.exit_code == 0 and result.exception is None, result.output
    assert (out / "extractions.jsonl").read_bytes() == first


def test_an_empty_or_punctuation_only_search_lists_nothing_and_fullwidth_names_are_found(tmp_path):
    path = tmp_path / "g.json"
    write_json(build_graph([{"id": "p1", "title": "T", "entities": [{"name": "BERT", "type": "method"},
                                                                   {"name": "GLUE", "type": "dataset"}],
                             "relations": []}]), path)
    for text in ("", "  ", "--", "?!"):
        result = run("query", "search", "--graph", path, "--json", "--", text)
        assert result.exit_code == 0 and '"results": []' in result.stdout, (text, result.output)
    assert '"id": "method:bert"' in run("query", "show", "ＢＥＲＴ", "--graph", path, "--json").stdout
    result = run("html", path, "--focus", "ＢＥＲＴ", "-o", tmp_path / "page.html")
    assert result.exit_code == 0, result.output
