"""`kg build` / `kg extract` error model and exit status.

0: a graph was built (warnings and skipped records reported on stderr, one line each);
1: nothing could be read, --strict met a record it would skip, or an output cannot be
written; 2: usage errors. No traceback reaches the user in any of these.
"""
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).parent / "data" / "readers"
OUTPUTS = ("extractions.jsonl", "graph.graphml", "graph.json", "graph.html")
LISTING_TITLES = {
    "MEAL V2: Boosting Vanilla ResNet-50 to 80%+ Top-1 Accuracy on ImageNet without Tricks",
    "Selfie: Self-supervised Pretraining for Image Embedding",
    "Training data-efficient image transformers & distillation through attention",
    "Subscribed Attention: A Title That Starts With Furniture Words",
}


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def outputs(d: Path) -> dict:
    return {name: (d / name).read_bytes() for name in OUTPUTS if (d / name).exists()}


def earlier_outputs(d: Path) -> Path:
    """An output directory holding an earlier build's files (placeholder texts)."""
    d.mkdir()
    for name in OUTPUTS:
        (d / name).write_text(f"earlier {name}")
    return d


def titles(out: Path) -> list:
    return [json.loads(line)["title"] for line in (out / "extractions.jsonl").read_text(encoding="utf-8").splitlines()]


@pytest.fixture
def mixed(tmp_path):
    """A directory of one good listing page and four bad files."""
    d = tmp_path / "in"
    d.mkdir()
    shutil.copy(DATA / "listing.txt", d / "a_listing.txt")
    (d / "b_empty.txt").write_bytes(b"")
    (d / "c_blob.bin").write_bytes(b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 8)
    (d / "d_latin1.txt").write_bytes(b"Caf\xe9 Networks\nWe propose Caf\xe9Net, which beats ResNet-50 on ImageNet.\n")
    (d / "e_papers.jsonl").write_text(
        json.dumps({"title": "A JSON Paper", "abstract": "We introduce JNet. JNet outperforms ResNet-50 on CIFAR-10."})
        + '\n{"title": "broken", "abstract": \n'
        + json.dumps({"title": "Third Line Paper", "abstract": "The third line is read too."}) + "\n")
    return d


@pytest.mark.model
def test_mixed_directory_good_papers_arrive_bad_files_named_with_their_line(mixed, tmp_path):
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "kg", "build", str(mixed), "-o", str(out)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    err = proc.stderr
    assert "Traceback" not in err
    assert f"kg: {mixed}/b_empty.txt:1: empty file (skipped)\n" in err
    assert f"kg: {mixed}/c_blob.bin:1: binary file (NUL bytes), not text (skipped)\n" in err
    assert f"kg: {mixed}/d_latin1.txt:1: invalid UTF-8 bytes replaced with U+FFFD (lines 1, 2)\n" in err
    assert f"kg: {mixed}/e_papers.jsonl:2: invalid JSON (" in err
    for name in ("b_empty", "c_blob", "d_latin1", "e_papers"):  # each bad file once
        assert err.count(f"{mixed}/{name}") == 1, name
    assert "a_listing" not in err
    assert "kg: 3 records skipped, 1 warning" in err
    assert set(titles(out)) == LISTING_TITLES | {"Caf\ufffd Networks", "A JSON Paper", "Third Line Paper"}
    assert set(outputs(out)) == set(OUTPUTS) and not list(out.glob("*.tmp")) and not list(out.glob(".*.tmp"))


def test_nothing_readable_exits_1_and_leaves_earlier_outputs(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "empty.txt").write_bytes(b"")
    (d / "blob.bin").write_bytes(b"\x00" * 100)
    out = earlier_outputs(tmp_path / "out")
    before = outputs(out)
    result = run("build", d, "-o", out, "--no-cache")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[:3] == [f"kg: {d}/blob.bin:1: binary file (NUL bytes), not text (skipped)",
                         f"kg: {d}/empty.txt:1: empty file (skipped)",
                         "kg: 2 records skipped"]
    assert lines[-1] == "kg: no papers could be read" and "Traceback" not in result.stderr
    assert outputs(out) == before


@pytest.mark.parametrize("args, message", [
    (["build", "no/such/input"], "does not exist"),
    (["build", "--no-such-option"], "No such option"),
    (["build", "--n-process", "many"], "is not a valid integer"),
    (["extract", str(DATA / "listing.txt")], "Missing option '-o'"),
])
def test_usage_errors_exit_2(args, message):
    result = run(*args)
    assert result.exit_code == 2 and message in result.stderr
    assert "Traceback" not in result.output


def test_output_directory_that_is_a_file_is_a_usage_error(tmp_path):
    target = tmp_path / "file"
    target.write_text("x")
    result = run("build", DATA / "listing.txt", "-o", target)
    assert result.exit_code == 2 and "is a file" in result.stderr
    result = run("extract", DATA / "listing.txt", "-o", tmp_path)
    assert result.exit_code == 2 and "is a directory" in result.stderr


@pytest.mark.model
def test_output_that_cannot_be_written_is_one_line_exit_1(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = run("build", DATA / "listing.txt", "-o", blocker / "sub", "-q", "--no-cache")
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines()[-1].startswith(f"kg: {blocker}")
    assert isinstance(result.exception, SystemExit)  # handled: no traceback


def test_strict_stops_before_parsing_and_writes_nothing(mixed, tmp_path):
    out = earlier_outputs(tmp_path / "out")
    before = outputs(out)
    result = run("build", mixed, "-o", out, "--strict")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[-1] == "kg: --strict: 3 record(s) would be skipped; nothing written"
    assert f"kg: {mixed}/e_papers.jsonl:2: invalid JSON" in result.stderr
    assert outputs(out) == before and not (out / ".cache").exists()

    target = tmp_path / "x.jsonl"
    target.write_text("earlier")
    result = run("extract", mixed, "-o", target, "--strict")
    assert result.exit_code == 1 and target.read_text() == "earlier"


@pytest.mark.model
def test_strict_with_clean_input_builds(tmp_path):
    out = tmp_path / "out"
    result = run("build", DATA / "listing.txt", DATA / "arxiv.jsonl", "-o", out, "--strict", "-q")
    assert result.exit_code == 0, result.output
    assert result.stderr == "" and set(outputs(out)) == set(OUTPUTS)


def test_strict_and_exit_status_are_documented():
    help_text = " ".join(run("build", "--help").output.split())
    assert "--strict" in help_text
    assert "before parsing or writing anything" in help_text and "earlier outputs in OUT stay as they were" in help_text
    assert "the graph is built from the rest (exit 0)" in help_text
    assert "earlier OUT file stays as it was" in " ".join(run("extract", "--help").output.split())
    import kg.cli

    for status in ("0 when", "1 when nothing could be read", "2 for usage errors", "130", "143"):
        assert status in " ".join(kg.cli.__doc__.split())


@pytest.mark.model
def test_quiet_still_reports_every_problem(mixed, tmp_path):
    result = run("build", mixed, "-o", tmp_path / "out", "-q", "--no-cache")
    assert result.exit_code == 0
    assert [ln.split(":")[0] for ln in result.stderr.splitlines()] == ["kg"] * 4  # the four problems, no summary


@pytest.mark.model
def test_extract_reports_like_build_and_keeps_an_earlier_file_when_nothing_is_read(mixed, tmp_path):
    target = tmp_path / "x.jsonl"
    result = run("extract", mixed, "-o", target, "-q")
    assert result.exit_code == 0
    assert len(result.stderr.splitlines()) == 4
    assert len(target.read_text(encoding="utf-8").splitlines()) == 7

    empty = tmp_path / "empty.txt"
    empty.write_text("")
    result = run("extract", empty, "-o", target, "-q")
    assert result.exit_code == 1 and "no papers could be read" in result.stderr
    assert len(target.read_text(encoding="utf-8").splitlines()) == 7  # the earlier file is still there


@pytest.mark.model
def test_repeats_across_formats_are_one_paper_listing_both_sources(tmp_path):
    out = tmp_path / "out"
    result = run("build", DATA, "-o", out, "-q", "--no-cache")
    assert result.exit_code == 0, result.output
    recs = [json.loads(line) for line in (out / "extractions.jsonl").read_text(encoding="utf-8").splitlines()]
    meal = [r for r in recs if r["title"].startswith("MEAL V2")]
    assert len(meal) == 1 and len(recs) == 9
    assert meal[0]["sources"] == [f"{DATA}/arxiv.jsonl:4", f"{DATA}/listing.txt:5"]
    graph = json.loads((out / "graph.json").read_text(encoding="utf-8"))
    node = next(n for n in graph["nodes"] if n["id"] == "paper:arxiv:2009.08453")
    assert node["source"] == f"{DATA}/arxiv.jsonl:4|{DATA}/listing.txt:5" and node["date"] == "2020-09-17"


def test_control_characters_in_file_names_stay_on_one_line(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "bad\nname\x1b[31m.txt").write_bytes(b"")
    result = run("build", d, "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == f"kg: {d}/bad\\x0aname\\x1b[31m.txt:1: empty file (skipped)"


def test_interrupt_inside_the_cli_is_one_line_and_restores_the_handlers(monkeypatch, tmp_path):
    import signal

    import kg.pipeline

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(kg.pipeline, "build_outputs", interrupted)
    before = signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)
    result = run("build", DATA / "listing.txt", "-o", tmp_path / "out")
    assert result.exit_code == 130
    assert result.stderr == "kg: interrupted; output files are replaced only when a run completes\n"
    assert (signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)) == before
    assert not (tmp_path / "out").exists()
