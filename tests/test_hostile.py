"""Hostile text from data stays text: names, titles and search strings holding rich markup,
emoji codes, escape sequences or bidirectional controls reach the terminal as visible, inert
text through every command, and never as a traceback."""
import re

import networkx as nx
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.cli import cli
from kg.cli.common import printable
from kg.export.json import write_json
from kg.graph import build_graph
from kg.query import load

PIECES = ["Net", "a", " ", "-", "[", "]", "/", "=", "[link=https://evil.example]", "[/link]", "[/]", "[bold]",
          "[red]", ":smile:", "\x1b[2J", "\x1b]0;owned\x07", "\x9b31m", "\r", "\x08", "\u202e", "\u2028", "\x00"]
hostile = st.lists(st.sampled_from(PIECES), min_size=1, max_size=8).map(lambda p: "Net" + "".join(p))
RAW = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028-\u202e\u2066-\u2069]")


def graph_of(name: str, title: str) -> nx.MultiDiGraph:
    return build_graph([{"id": "p1", "title": title, "entities": [
        {"name": name, "type": "method"}, {"name": "BERT", "type": "method"}, {"name": "GLUE", "type": "dataset"}],
        "relations": [{"head": name, "relation": "outperforms", "tail": "BERT", "sentence": f"{name} beats BERT ({title}).",
                       "dataset": "GLUE"},
                      {"head": name, "relation": "distills_from", "tail": "BERT", "sentence": f"{name} from BERT."},
                      {"head": name, "relation": "evaluated_on", "tail": "GLUE", "sentence": f"{name} on GLUE."}]}])


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], env={"COLUMNS": "10000"})


def check(result, *shown):
    out = result.stdout + result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code in (0, 1), out
    assert "Traceback" not in out
    assert not RAW.search(out.replace("\n", "").replace("\t", "")), repr(out)
    for s in shown:  # nothing of the name was read as markup or emoji
        assert printable(s) in out, (s, out)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=hostile, title=hostile)
def test_hostile_names_and_titles_print_as_visible_text_through_every_command(tmp_path, name, title):
    path = tmp_path / "graph.json"
    write_json(graph_of(name, title), path)
    G = load(path)  # as the commands see it
    node = next(n for n, d in G.nodes(data=True) if d.get("type") == "method" and d.get("label") != "BERT")
    label = G.nodes[node]["label"]
    g = ["--graph", path]
    check(run("query", "show", node, *g), label)
    check(run("query", "lineage", node, *g), label)
    check(run("query", "outperforms", node, *g), label)
    check(run("query", "beaten-by", "BERT", *g), label)
    check(run("query", "descendants", "BERT", *g), label)
    check(run("query", "compare", "GLUE", *g), label)
    check(run("query", "path", node, "GLUE", *g), label)
    check(run("query", "search", "net", *g), label)
    check(run("query", "leaderboard", "GLUE", *g))
    check(run("query", "conflicts", *g))
    check(run("query", "search", name, *g))
    check(run("stats", *g), label)
    for sub in ("show", "search", "lineage"):
        check(run("query", sub, node, *g, "--json"))
    check(run("stats", *g, "--json"))
    check(run("query", "show", name + "zzz", *g))  # unknown: "no node named ..., did you mean"
    check(run("html", path, "--focus", name + "zzz"))
    check(run("html", path, "-o", tmp_path / (title[:20].replace("\x00", "").replace("/", "") + ".html")))


def test_a_long_name_in_a_table_title_stays_on_one_line(tmp_path):
    name = "NetNet" + "[link=https://evil.example]" * 3
    path = tmp_path / "graph.json"
    write_json(build_graph([{"id": "p1", "title": "T", "entities": [
        {"name": name, "type": "method"}, {"name": "B", "type": "method"}],
        "relations": [{"head": name, "relation": "outperforms", "tail": "B", "sentence": "It wins."}]}]), path)
    result = run("query", "outperforms", name, "--graph", path)
    assert result.exit_code == 0 and printable(name) in result.stdout, result.stdout


def test_markup_in_a_title_is_not_a_link_and_does_not_crash(tmp_path):
    title = "[link=https://evil.example]click[/link] and [/] \x1b]0;owned\x07"
    path = tmp_path / "graph.json"
    write_json(graph_of("EvilNet", title), path)
    result = run("stats", "--graph", path)
    check(result, "[link=https://evil.example]click[/link] and [/]")


def test_a_long_name_in_an_error_is_shortened_and_visible(tmp_path):
    path = tmp_path / "graph.json"
    write_json(graph_of("EvilNet", "T"), path)
    result = run("query", "show", "\x1b[2J" + "x" * 100_000, "--graph", path)
    assert result.exit_code == 1
    line, = result.stderr.splitlines()
    assert len(line) < 2000 and line.startswith("kg: ") and "\\x1b[2J" in line and "more characters" in line


def test_a_long_control_character_file_name_in_an_error_is_shortened_and_visible(tmp_path):
    result = run("stats", "--graph", tmp_path / ("\x1b[31m" + "y" * 200 + ".json"))
    line, = result.stderr.splitlines()
    assert result.exit_code == 1 and "\x1b" not in line and "\\x1b[31m" in line and len(line) < 600
