"""What ``kg build`` and ``kg extract`` show on a terminal: a progress bar while papers are
extracted, and the summary at the end of a build."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from rich.console import Console
from rich.table import Table
from rich.text import Text

from .common import console as make_console
from .common import plain, printable


def print_summary(result, console: Console | None = None) -> None:
    console = console or make_console(stderr=True)
    rep = result.report
    console.print(Text.assemble(("papers read", "bold"), f": {rep.papers} ({result.papers} distinct, "
                                f"{rep.duplicates} repeats merged) from {rep.files} file(s)"))
    if rep.skipped:
        reasons = {}
        for _, why in rep.skipped:
            reasons[why] = reasons.get(why, 0) + 1
        console.print(Text.assemble(("skipped", "bold"), ": " + printable(
            ", ".join(f"{n} {why}" for why, n in sorted(reasons.items())), limit=None)))
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
        t.add_row(plain(a[0]), str(a[1]), plain(b[0]), str(b[1]))
    console.print(t)
    for name, path in result.files.items():
        console.print(plain(f"  {name:12} {printable(path)}"))
    if result.up_to_date:
        console.print("  graph files up to date: same records and exporters as the last build")


class _Quiet:
    def __enter__(self) -> Callable[[], None]:
        return lambda: None

    def __exit__(self, *exc):
        return False


def progress(show: bool, inputs: list):
    """A context manager giving an ``advance()`` callable: a transient progress bar on a
    terminal's stderr with papers/s and, when the inputs can be counted first, an ETA."""
    if not show:
        return _Quiet()
    console = Console(stderr=True)
    if not console.is_terminal:
        return _Quiet()
    return _Bar(console, count_papers(inputs))


def count_papers(inputs: list) -> int | None:
    """Distinct papers of ``inputs`` (a reading pass without parsing), or None when the
    inputs cannot be read twice (a pipe)."""
    from ..read import Report, bundled_corpus, distinct_papers

    paths = list(inputs) or [bundled_corpus()]
    if not all(Path(p).is_file() or Path(p).is_dir() for p in paths):
        return None
    return sum(1 for _ in distinct_papers(inputs, Report()))


class _Bar:
    def __init__(self, console, total):
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, ProgressColumn, TextColumn, TimeElapsedColumn
        from rich.text import Text

        class Rate(ProgressColumn):
            """Papers/s since the start and the time left at that rate: records arrive a task
            at a time, so rates over short windows jump about."""

            def render(self, task):
                if not task.completed or not task.elapsed:
                    return Text("- papers/s", style="progress.data.speed")
                rate = task.completed / task.elapsed
                text = f"{rate:,.1f} papers/s"
                if task.total:
                    left = max(0, task.total - task.completed) / rate
                    text += f", eta {int(left // 3600)}:{int(left % 3600 // 60):02d}:{int(left % 60):02d}"
                return Text(text, style="progress.data.speed")

        self.progress = Progress(TextColumn("extracting"), BarColumn(), MofNCompleteColumn(), Rate(),
                                 TimeElapsedColumn(), console=console, transient=True)
        self.total = total

    def __enter__(self):
        self.progress.start()
        task = self.progress.add_task("extracting", total=self.total)
        update = self.progress.update
        return lambda: update(task, advance=1)

    def __exit__(self, *exc):
        self.progress.stop()
        return False
