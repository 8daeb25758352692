"""`kg query ...` and `kg stats` through click's CliRunner, on a graph file built without spaCy."""
import json

import pytest
from click.testing import CliRunner

from kg.cli import cli, query_group
from kg.export.graphml import write_graphml
from kg.export.json import write_json
from kg.graph import build_graph

try:  # the same records as the library tests, whether or not tests/ is a package
    from .test_query import RECORDS
except ImportError:
    from test_query import RECORDS


@pytest.fixture(scope="module")
def graph_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("graph") / "graph.graphml"
    write_graphml(build_graph(RECORDS), path)
    return str(path)


def run(*args):
    return CliRunner().invoke(cli, list(args))


def ask(graph_file, *args, as_json=False):
    result = run(*args, "--graph", graph_file, *(["--json"] if as_json else []))
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout) if as_json else result.stdout


def test_every_query_subcommand_has_help():
    assert set(query_group.commands) == {"lineage", "descendants", "outperforms", "beaten-by", "path", "show",
                                         "compare", "search", "leaderboard", "conflicts"}
    for name, command in query_group.commands.items():
        assert command.help and len(command.help) > 20, name
        result = run("query", name, "--help")
        assert result.exit_code == 0 and "--graph" in result.output and "--json" in result.output
    assert cli.commands["stats"].help


def test_query_help_says_which_way_outperforms_reads():
    out = run("query", "--help").output
    assert "the methods X outperforms" in out and "the methods that outperform X" in out
    assert "NAME is the winner" in run("query", "outperforms", "--help").output
    assert "NAME is the loser" in run("query", "beaten-by", "--help").output


def test_lineage_tree(graph_file):
    out = ask(graph_file, "query", "lineage", "distil-bert")
    assert out.splitlines()[0] == "DistilBERT (method)"
    assert "─distills_from→ BERT (method)" in out and "─pretrained_on→ BooksCorpus (dataset)" in out
    assert "We distill BERT into DistilBERT." in out


def test_lineage_json_and_depth(graph_file):
    data = ask(graph_file, "query", "lineage", "DistilBERT", "--depth", "1", as_json=True)
    assert data["query"] == "lineage" and data["node"]["id"] == "method:distilbert"
    assert [(r["name"], r["type"], r["relation"], r["depth"]) for r in data["results"]] == [
        ("BERT", "method", "distills_from", 1)]
    assert data["results"][0]["evidence"] == [{"paper": "DistilBERT, a distilled version of BERT",
                                               "sentence": "We distill BERT into DistilBERT."}]
    assert run("query", "lineage", "BERT", "--depth", "-1", "--graph", graph_file).exit_code == 2


def test_lineage_cycle(graph_file):
    data = ask(graph_file, "query", "lineage", "gamma", as_json=True)
    assert [(r["name"], r["depth"]) for r in data["results"]] == [("Beta", 1), ("Alpha", 2)]


def test_descendants(graph_file):
    out = ask(graph_file, "query", "descendants", "BooksCorpus")
    assert "←pretrained_on─ BERT" in out and "←distills_from─ TinyBERT" in out
    data = ask(graph_file, "query", "descendants", "BooksCorpus", as_json=True)
    assert [r["name"] for r in data["results"]] == ["BERT", "DistilBERT", "TinyBERT"]


def test_outperforms_and_beaten_by(graph_file):
    out = ask(graph_file, "query", "outperforms", "TinyBERT")
    assert "TinyBERT outperforms" in out and "DistilBERT" in out and "2.1 points" in out
    data = ask(graph_file, "query", "outperforms", "TinyBERT", as_json=True)
    assert data["query"] == "outperforms"
    assert [(r["name"], r.get("dataset"), r.get("margin")) for r in data["results"]] == [
        ("DistilBERT", "GLUE", "2.1 points"), ("ELMo", "SQuAD", None)]
    data = ask(graph_file, "query", "beaten-by", "ELMo", "--dataset", "glue", as_json=True)
    assert data["query"] == "beaten-by" and [r["name"] for r in data["results"]] == ["DistilBERT"]
    out = ask(graph_file, "query", "beaten-by", "ELMo")
    assert "ELMo is outperformed by" in out and "TinyBERT" in out


def test_empty_result_table(graph_file):
    assert "no results" in ask(graph_file, "query", "beaten-by", "TinyBERT")


def test_path(graph_file):
    data = ask(graph_file, "query", "path", "TinyBERT", "BooksCorpus", as_json=True)
    assert data["node"]["id"] == "method:tinybert" and data["node"]["target"]["id"] == "dataset:bookscorpus"
    assert [(r["relation"], r["name"]) for r in data["results"]] == [("distills_from", "BERT"),
                                                                     ("pretrained_on", "BooksCorpus")]
    out = ask(graph_file, "query", "path", "BooksCorpus", "TinyBERT")
    rows = [line for line in out.splitlines() if "│ 1 " in line or "│ 2 " in line]
    # the table reads head -relation-> tail whatever the walking direction
    assert "BERT" in rows[0] and "pretrained_on" in rows[0] and "BooksCorpus" in rows[0]
    assert "TinyBERT" in rows[1] and "distills_from" in rows[1]


def test_path_not_found(graph_file):
    result = run("query", "path", "Alpha", "BERT", "--graph", graph_file)
    assert result.exit_code == 1 and result.stderr.strip() == "kg: no path between 'Alpha' and 'BERT'"


def test_show(graph_file):
    out = ask(graph_file, "query", "show", "DistilBERT")
    assert out.startswith("DistilBERT\n")
    for text in ("type: method", "paper: TinyBERT: Distilling BERT", "code: https://github.com/huggingface/transformers",
                 "distills_from", "GLUE 3.9 points"):
        assert text in out, text
    data = ask(graph_file, "query", "show", "DistilBERT", as_json=True)
    assert data["node"]["repositories"] == ["https://github.com/huggingface/transformers"]
    assert {(r["direction"], r["relation"], r["name"]) for r in data["results"]} >= {
        ("out", "distills_from", "BERT"), ("in", "outperforms", "TinyBERT")}


def test_compare(graph_file):
    out = ask(graph_file, "query", "compare", "GLUE")
    assert "methods on GLUE" in out and "TinyBERT" in out
    data = ask(graph_file, "query", "compare", "GLUE", as_json=True)
    assert [(r["name"], r["beats"]) for r in data["results"]] == [("DistilBERT", ["ELMo"]),
                                                                  ("TinyBERT", ["DistilBERT"])]


def test_search(graph_file):
    out = ask(graph_file, "query", "search", "bert", "--type", "method")
    assert "DistilBERT" in out and "method:tinybert" in out and "paper:" not in out
    data = ask(graph_file, "query", "search", "BERT", "--type", "method", as_json=True)
    assert data["query"] == "search" and data["node"] is None
    assert [(r["name"], r["papers"]) for r in data["results"]] == [("BERT", 3), ("DistilBERT", 2), ("TinyBERT", 1)]


def test_stats(graph_file):
    out = ask(graph_file, "stats")
    assert "21 nodes, 15 edges" in out and "most connected" in out and "papers with the most relations" in out
    data = json.loads(run("stats", "--graph", graph_file, "--json").stdout)
    assert data["types"]["method"] == 10 and data["relations"]["outperforms"] == 3
    assert data["top_papers"][0]["title"] == "DistilBERT, a distilled version of BERT"


def test_json_graph_file(tmp_path):
    path = tmp_path / "graph.json"
    write_json(build_graph(RECORDS), path)
    data = ask(str(path), "query", "lineage", "TinyBERT", as_json=True)
    assert data["results"][0]["name"] == "BERT"


def test_unknown_name(graph_file):
    result = run("query", "lineage", "TinyBRET", "--graph", graph_file)
    assert result.exit_code == 1
    assert result.stderr == "kg: no node named 'TinyBRET'; did you mean: TinyBERT?\n"
    assert "Traceback" not in result.output and result.stdout == ""


def test_ambiguous_name(graph_file):
    result = run("query", "show", "PEA", "--graph", graph_file)
    assert result.exit_code == 1 and "could mean: Parameter-Efficient Adapter" in result.stderr


@pytest.mark.parametrize("args", [["query", "lineage", "BERT"], ["query", "search", "x"], ["stats"]])
def test_missing_graph_file(tmp_path, args):
    missing = tmp_path / "outputs" / "graph.graphml"
    result = run(*args, "--graph", str(missing))
    assert result.exit_code == 1
    assert result.stderr == f"kg: no graph file at {missing} (run `kg build` first, or pass --graph)\n"


def test_default_graph_path(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("query", "show", "BERT")
    assert result.exit_code == 1 and "no graph file at outputs/graph.graphml" in result.stderr


def test_damaged_graph_file(tmp_path):
    bad = tmp_path / "graph.graphml"
    bad.write_text("<graphml><oops")
    result = run("stats", "--graph", str(bad))
    assert result.exit_code == 1 and result.stderr.startswith(f"kg: cannot read {bad}:")
    assert len(result.stderr.strip().splitlines()) == 1


def test_wrong_graph_suffix_is_a_usage_error(tmp_path):
    result = run("query", "lineage", "BERT", "--graph", str(tmp_path / "graph.csv"))
    assert result.exit_code == 2 and "expected a .graphml or .json file" in result.output


def test_leaderboard_and_conflicts(tmp_path):
    from test_leaderboard import RESULT_RECORDS

    path = str(tmp_path / "graph.graphml")
    write_graphml(build_graph(RESULT_RECORDS), path)
    out = ask(path, "query", "leaderboard", "imagenet")
    assert "top-1 accuracy" in out and out.index("CoAtNet") < out.index("ResNet-50") and "88.56%" in out
    got = ask(path, "query", "leaderboard", "ImageNet", "--metric", "top-1 acc.", as_json=True)
    assert got["node"]["metric"] == "top-1 accuracy"
    assert [(r["rank"], r["name"], r["value"]) for r in got["results"]] == [(1, "CoAtNet", 88.56), (2, "ResNet-50", 76.1)]
    assert all(r["paper"] and r["sentence"] for r in got["results"])
    assert ask(path, "query", "leaderboard", "ImageNet", "--metric", "FID", as_json=True)["results"] == []
    got = ask(path, "query", "conflicts", as_json=True)
    assert [(r["a"], r["b"], r["dataset"]) for r in got["results"]] == [("CoAtNet", "ResNet-50", "ImageNet")]
    assert "B outperforms A" in ask(path, "query", "conflicts")
