"""``kg html``: the interactive page of a graph file."""
from __future__ import annotations

from pathlib import Path

import click

from .common import ask, cli, graph_path, load_graph


@cli.command()
@click.argument("graph_file", metavar="GRAPH", type=click.Path(path_type=Path), callback=graph_path)
@click.option("-o", "--out", "out_file", type=click.Path(path_type=Path), default=None,
              help="HTML file (default: GRAPH with .html, or GRAPH-NAME.html with --focus).")
@click.option("--focus", metavar="NAME", default=None, help="Draw only the neighbourhood of this node (id, label or alias).")
@click.option("--depth", type=click.IntRange(min=0), default=1, show_default=True, help="Hops from --focus, either direction.")
@click.option("--max-nodes", type=click.IntRange(min=1), default=None, help="Keep the N best-connected nodes.")
@click.option("--title", default=None, help="Page title (default: 'kg graph', or the focus node's name).")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing on success.")
def html(graph_file, out_file, focus, depth, max_nodes, title, quiet):
    """Write the interactive page for GRAPH (graph.graphml or graph.json): one HTML file
    that opens offline."""
    import re

    from ..export.html import find_node, select_nodes, write_html

    G = load_graph(graph_file)
    node = ask(find_node, G, focus) if focus is not None else None
    label = str(G.nodes[node].get("label") or node) if node is not None else None
    if out_file is None:
        slug = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-") if label else ""
        out_file = graph_file.with_name(f"{graph_file.stem}-{slug or 'focus'}.html" if label else f"{graph_file.stem}.html")
    title = title or (f"kg graph: {label}" if label else "kg graph")
    write_html(G, out_file, focus=node, depth=depth, max_nodes=max_nodes, title=title)
    if not quiet:
        shown = G.subgraph(select_nodes(G, focus=node, depth=depth, max_nodes=max_nodes))
        click.echo(f"kg: {shown.number_of_nodes()} nodes, {shown.number_of_edges()} edges -> {out_file}", err=True)

