"""``kg html``: the interactive page of a graph file."""
from __future__ import annotations

from pathlib import Path

import click

from .common import ask, cli, graph_path, load_graph, printable, refuse_overwrite, run_job


@cli.command()
@click.argument("graph_file", metavar="GRAPH", type=click.Path(path_type=Path), callback=graph_path)
@click.option("-o", "--out", "out_file", type=click.Path(path_type=Path), default=None,
              help="HTML file (default: GRAPH with .html, GRAPH-NAME.html with --focus, GRAPH-lineage-NAME.html with --lineage).")
@click.option("--focus", metavar="NAME", default=None, help="Draw only the neighbourhood of this node (id, label or alias).")
@click.option("--depth", type=click.IntRange(min=0), default=1, show_default=True, help="Hops from --focus, either direction.")
@click.option("--lineage", metavar="NAME", default=None,
              help="Draw this node's ancestors and descendants (distills_from, based_on, pretrained_on, "
                   "fine_tuned_on, trained_on) as a left-to-right hierarchy.")
@click.option("--max-nodes", type=click.IntRange(min=0), default=3000, show_default=True,
              help="Keep the N best-connected nodes (0: all).")
@click.option("--title", default=None, help="Page title (default: 'kg graph', or the node's name).")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing on success.")
def html(graph_file, out_file, focus, depth, lineage, max_nodes, title, quiet):
    """Write the interactive page for GRAPH (graph.graphml or graph.json): one HTML file
    that opens offline."""
    from ..export.html import page_path, write_html
    from ..query import NameIndex

    if focus is not None and lineage is not None:
        raise click.UsageError("give --focus or --lineage, not both")
    G = load_graph(graph_file)
    name = lineage if lineage is not None else focus
    node = ask(NameIndex(G).find, name) if name is not None else None
    if out_file is None:
        label = None if node is None else str(G.nodes[node].get("label") or node)
        out_file = page_path(graph_file, label, kind="lineage" if lineage is not None else "focus")
    refuse_overwrite([out_file], [graph_file])
    drawn = run_job(lambda: write_html(G, out_file, max_nodes=max_nodes or None, title=title, depth=depth,
                                       **({"lineage": node} if lineage is not None else {"focus": node})))
    if not quiet:
        click.echo(f"kg: {drawn['nodes']} nodes, {drawn['edges']} edges -> {printable(out_file)}", err=True)
