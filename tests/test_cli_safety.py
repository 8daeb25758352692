"""What the commands refuse or survive: an output that would destroy an input, two builds into
one directory, write errors, interrupts, odd graph attributes and left-over temporary files.
Each ends with one line on stderr and a documented exit status, never a traceback."""
import os
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
