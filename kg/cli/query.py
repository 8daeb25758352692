"""``kg query ...`` and ``kg stats``: thin wrappers over :mod:`kg.query`."""
from __future__ import annotations

from pathlib import Path

import click

from .common import ask, cli, console, graph_path, load_graph, plain, printable


def _query_options(fn):
    fn = click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")(fn)
    return click.option("-g", "--graph", "graph_file", default="outputs/graph.graphml", show_default=True,
                        type=click.Path(path_type=Path), callback=graph_path,
                        help="Graph file written by `kg build` (.graphml or .json).")(fn)



def _emit(as_json: bool, query: str, node, results, render) -> None:
    if as_json:
        rows = [r.to_dict() if hasattr(r, "to_dict") else r for r in results]
        click.echo(_json({"query": query, "node": node, "results": rows}))
    else:
        console().print(render())


def _json(obj) -> str:
    """JSON text for a terminal: the characters JSON leaves raw but a terminal would obey
    (C1 controls, bidirectional controls, line separators) written as escapes too."""
    import json
    import re

    return re.sub(r"[\x7f-\x9f\u2028-\u202e\u2066-\u2069]", lambda m: f"\\u{ord(m.group()):04x}",
                  json.dumps(obj, ensure_ascii=False, indent=2))


def _evidence_text(evidence, limit=1):
    from rich.text import Text

    text = Text()
    for ev in evidence[:limit]:
        text.append(f"“{printable(ev['sentence'], None)}”")
        text.append(f" — {printable(ev['paper'])}", style="dim")
    if len(evidence) > limit:
        text.append(f" (+{len(evidence) - limit} more)", style="dim")
    return text


def _table(title, columns, rows):
    from rich.table import Table

    title = plain(title)  # as wide as its title, so that a long name is not wrapped inside it
    table = Table(title=title, title_justify="left", header_style="bold", show_lines=False,
                  min_width=len(title))
    for col in columns:
        table.add_column(col, overflow="fold")
    for row in rows:
        table.add_row(*(plain(c) if isinstance(c, str) else c for c in row))
    if not rows:
        table.caption = "no results"
    return table


def _tree(node, results, upstream: bool):
    from rich.text import Text
    from rich.tree import Tree

    root = Tree(Text.assemble((printable(node["name"]), "bold"), f" ({printable(node['type'])})"))
    branches = {node["id"]: root}
    for r in results:  # breadth-first: a parent always comes before its children
        rel = f"{r.relation} ({r.derivation})" if r.derivation else r.relation
        arrow = f"─{printable(rel)}→ " if upstream else f"←{printable(rel)}─ "
        label = Text.assemble(arrow, (printable(r.name), "bold"), f" ({printable(r.type)})")
        if r.evidence:
            label.append("\n")
            label.append_text(_evidence_text(r.evidence))
        branches[r.id] = branches[r.parent].add(label)
    return root


@cli.group("query")
def query_group():
    """Ask the graph: lineage, descendants, comparisons, paths, one node, name search.

    NAME is a node id, label or alias, matched ignoring case, spaces and hyphens.
    Every subcommand prints a table (or a tree) or, with --json, an object
    {"query", "node", "results": [{"name", "type", "relation", "depth", "evidence"}]}.
    An unknown NAME ends with "no node named ..." and the closest names, exit 1.

    \b
    kg query outperforms X   the methods X outperforms (X wins)
    kg query beaten-by X     the methods that outperform X (X loses)
    kg query leaderboard D   the methods ranked by the numbers reported on dataset D
    """


def _walk_command(command, name, graph_file, depth, as_json, fn, upstream):
    from .. import query as q

    G = load_graph(graph_file)
    node = ask(q.node_info, G, name)
    results = ask(fn, G, node["id"], depth=depth)
    _emit(as_json, command, node, results, lambda: _tree(node, results, upstream))


@query_group.command("lineage")
@click.argument("name")
@click.option("--depth", type=click.IntRange(min=0), default=None, help="Follow at most this many hops.")
@_query_options
def query_lineage(name, depth, graph_file, as_json):
    """Where NAME comes from: what it was distilled from, based on, pre-trained,
    fine-tuned or trained on, transitively (a tree, nearest first)."""
    from ..query import lineage as fn

    _walk_command("lineage", name, graph_file, depth, as_json, fn, upstream=True)


@query_group.command("descendants")
@click.argument("name")
@click.option("--depth", type=click.IntRange(min=0), default=None, help="Follow at most this many hops.")
@_query_options
def query_descendants(name, depth, graph_file, as_json):
    """What was built on NAME: distilled from it, based on it or trained on it, transitively."""
    from ..query import descendants as fn

    _walk_command("descendants", name, graph_file, depth, as_json, fn, upstream=False)


def _comparison_command(command, name, dataset, graph_file, as_json, fn, title):
    from .. import query as q

    G = load_graph(graph_file)
    node = ask(q.node_info, G, name)
    results = ask(fn, G, node["id"], dataset=dataset)
    rows = [(r.name, str(r.dataset or ""), str(r.margin or ""), _evidence_text(r.evidence)) for r in results]
    _emit(as_json, command, node, results,
          lambda: _table(title.format(node["name"]), ["method", "dataset", "margin", "evidence"], rows))


@query_group.command("outperforms")
@click.argument("name")
@click.option("--dataset", default=None, help="Only comparisons on this dataset.")
@_query_options
def query_outperforms(name, dataset, graph_file, as_json):
    """The methods NAME outperforms (NAME is the winner), with dataset and margin."""
    from ..query import outperforms as fn

    _comparison_command("outperforms", name, dataset, graph_file, as_json, fn, "{} outperforms")


@query_group.command("beaten-by")
@click.argument("name")
@click.option("--dataset", default=None, help="Only comparisons on this dataset.")
@_query_options
def query_beaten_by(name, dataset, graph_file, as_json):
    """The methods that outperform NAME (NAME is the loser), with dataset and margin."""
    from ..query import beaten_by as fn

    _comparison_command("beaten-by", name, dataset, graph_file, as_json, fn, "{} is outperformed by")


@query_group.command("path")
@click.argument("source")
@click.argument("target")
@_query_options
def query_path(source, target, graph_file, as_json):
    """The shortest chain of relations joining SOURCE and TARGET (either direction;
    through a paper only when nothing else joins them)."""
    from .. import query as q

    G = load_graph(graph_file)
    node, other = ask(q.node_info, G, source), ask(q.node_info, G, target)
    results = ask(q.path, G, node["id"], other["id"])
    names = {node["id"]: node["name"], **{r.id: r.name for r in results}}
    rows = [(str(r.depth), *((names[r.parent], r.relation, r.name) if r.direction == "out"
                             else (r.name, r.relation, names[r.parent])), _evidence_text(r.evidence))
            for r in results]
    _emit(as_json, "path", {**node, "target": other}, results,
          lambda: _table(f"{node['name']} … {other['name']}", ["#", "head", "relation", "tail", "evidence"], rows))


@query_group.command("show")
@click.argument("name")
@_query_options
def query_show(name, graph_file, as_json):
    """Everything about NAME: type, aliases, papers, repositories and every edge with evidence."""
    from rich.console import Group
    from rich.text import Text

    from .. import query as q

    G = load_graph(graph_file)
    card = ask(q.node_card, G, name)
    edges = card.pop("edges")
    facts = [("id", card["id"]), ("type", card["type"]), ("aliases", ", ".join(card["aliases"])),
             ("first seen", card["first_seen"]), *(("paper", t) for t in card["papers"]),
             *(("code", u) for u in card["repositories"])]
    head = Text.assemble((printable(card["name"]), "bold"), *(f"\n  {k}: {printable(v)}" for k, v in facts if v))
    rows = [("→" if e["direction"] == "out" else "←", e["relation"], f"{e['name']} ({e['type']})",
             " ".join(str(e[k]) for k in ("dataset", "margin") if e.get(k) is not None),
             _evidence_text(e["evidence"])) for e in edges]
    _emit(as_json, "show", card, edges,
          lambda: Group(head, _table("edges", ["", "relation", "other", "dataset", "evidence"], rows)))


@query_group.command("compare")
@click.argument("dataset")
@_query_options
def query_compare(dataset, graph_file, as_json):
    """The methods evaluated on DATASET, and whom each outperforms there."""
    from .. import query as q

    G = load_graph(graph_file)
    node = ask(q.node_info, G, dataset)
    results = ask(q.compare, G, node["id"])
    rows = [(r.name, r.relation, ", ".join(r.beats), _evidence_text(r.evidence)) for r in results]
    _emit(as_json, "compare", node, results,
          lambda: _table(f"methods on {node['name']}", ["method", "relation", "outperforms", "evidence"], rows))


@query_group.command("leaderboard")
@click.argument("dataset")
@click.option("--metric", default=None, help="Rank by this metric (default: the one reported most on DATASET).")
@_query_options
def query_leaderboard(dataset, metric, graph_file, as_json):
    """The methods reported on DATASET ranked by their value for one metric (best first;
    lower is better for error rates, FID, WER, perplexity), one row per method and paper."""
    from .. import query as q

    G = load_graph(graph_file)
    node = ask(q.node_info, G, dataset)
    results = ask(q.leaderboard, G, node["id"], metric=metric)
    name = results[0].metric_name if results else (metric or "")
    rows = [(str(r.rank), r.name, f"{r.value:g}{r.unit}", r.metric, _evidence_text([r.to_dict()])) for r in results]
    _emit(as_json, "leaderboard", {**node, "metric": name}, results,
          lambda: _table(f"{node['name']} leaderboard: {name or 'no metric named'}",
                         ["#", "method", "value", "metric", "evidence"], rows))


@query_group.command("conflicts")
@_query_options
def query_conflicts(graph_file, as_json):
    """Pairs where one paper says A outperforms B and another says B outperforms A (on the
    same dataset when both name one), with both sentences."""
    from .. import query as q

    results = q.conflicts(load_graph(graph_file))
    rows = [(r.a, r.b, r.dataset, _evidence_text(r.a_wins), _evidence_text(r.b_wins)) for r in results]
    _emit(as_json, "conflicts", None, results,
          lambda: _table("conflicting claims", ["A", "B", "dataset", "A outperforms B", "B outperforms A"], rows))


@query_group.command("search")
@click.argument("text")
@click.option("--type", "node_type", type=click.Choice(["method", "dataset", "repository", "paper"]),
              default=None, help="Only nodes of this type.")
@_query_options
def query_search(text, node_type, graph_file, as_json):
    """Nodes whose name or an alias contains TEXT (ignoring case, spaces and hyphens)."""
    from ..query import search

    G = load_graph(graph_file)
    results = search(G, text, type=node_type)
    rows = [(r["name"], r["type"], str(r["papers"]), r["id"]) for r in results]
    _emit(as_json, "search", None, results, lambda: _table(f"nodes matching {text!r}", ["name", "type", "papers", "id"], rows))


@cli.command("stats")
@_query_options
def stats_command(graph_file, as_json):
    """Counts by node type and relation, the most connected entities and the papers with
    the most relations."""
    from rich.console import Group

    from ..query import stats as fn

    s = fn(load_graph(graph_file))
    if as_json:
        click.echo(_json(s))
        return

    counts = [(k, str(v)) for k, v in s["types"].items()] + [("", "")] + [(k, str(v)) for k, v in s["relations"].items()]
    console().print(Group(
        _table(f"{s['nodes']} nodes, {s['edges']} edges", ["type / relation", "count"], counts),
        _table("most connected", ["name", "type", "edges", "papers"],
               [(e["name"], e["type"], str(e["degree"]), str(e["papers"])) for e in s["top_entities"]]),
        _table("papers with the most relations", ["title", "relations"],
               [(p["title"], str(p["relations"])) for p in s["top_papers"]])))

