"""The summary printed at the end of ``kg build``."""
from __future__ import annotations

from rich.console import Console
from rich.table import Table



def print_summary(result, console: Console | None = None) -> None:
    console = console or Console(stderr=True)
    rep = result.report
    console.print(f"[bold]papers read[/]: {rep.papers} ({result.papers} distinct, "
                  f"{rep.duplicates} repeats merged) from {rep.files} file(s)")
    if rep.skipped:
        reasons = {}
        for _, why in rep.skipped:
            reasons[why] = reasons.get(why, 0) + 1
        console.print("[bold]skipped[/]: " + ", ".join(f"{n} {why}" for why, n in sorted(reasons.items())))
    s = result.summary
    if s is None:
        return
    t = Table(show_header=True, header_style="bold", box=None)
    t.add_column("nodes by type"); t.add_column("", justify="right")
    t.add_column("edges by relation"); t.add_column("", justify="right")
    nodes, edges = list(s["nodes"].items()), list(s["edges"].items())
    for i in range(max(len(nodes), len(edges))):
        a = nodes[i] if i < len(nodes) else ("", "")
        b = edges[i] if i < len(edges) else ("", "")
        t.add_row(a[0], str(a[1]), b[0], str(b[1]))
    console.print(t)
    for name, path in result.files.items():
        console.print(f"  {name:12} {path}")
    if result.up_to_date:
        console.print("  graph files up to date: same records and exporters as the last build")
