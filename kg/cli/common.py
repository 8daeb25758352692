"""What every command shares: the ``kg`` group, running a job, loading a graph, asking it."""
from __future__ import annotations

import os
import re
import signal
import sys
from pathlib import Path

import click


class _Terminated(KeyboardInterrupt):
    """SIGTERM, ending a job the way Ctrl-C does."""


def _interrupted(signum, frame):
    raise _Terminated(signum)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kg")
def cli():
    """kg: knowledge graphs of methods, datasets and code from ML paper abstracts."""


#: Characters never written to a terminal as they are: C0 and C1 controls (escape sequences,
#: carriage return, bell), line and paragraph separators, bidirectional controls, invisible marks.
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")
#: Longest text from data echoed whole in one message; longer text keeps its two ends.
MAX_SHOWN = 300


def printable(text, limit: int | None = MAX_SHOWN) -> str:
    """``text`` as one visible line: unprintable characters written as escapes (``\\x1b``,
    ``\\u202e``), and, past ``limit`` characters, its middle left out.

    >>> printable("a\\x1b[2Jb\\u202e"), printable("x" * 50, limit=10)
    ('a\\\\x1b[2Jb\\\\u202e', 'xxxxx…[40 more characters]…xxxxx')
    """
    s = _UNPRINTABLE.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 256
                         else f"\\u{ord(m.group()):04x}", str(text))
    if limit is not None and len(s) > limit:
        half = limit // 2
        s = f"{s[:half]}…[{len(s) - 2 * half} more characters]…{s[-half:]}"
    return s


def plain(text, limit: int | None = None):
    """Data as a rich ``Text``: never read as markup, unprintable characters made visible."""
    from rich.text import Text

    return Text(printable(text, limit))


def console(stderr: bool = False):
    """A rich console that reads no markup, emoji codes or highlighting into what it prints."""
    from rich.console import Console

    return Console(stderr=stderr, markup=False, emoji=False, highlight=False)


def error(message) -> None:
    """``kg: message`` on stderr, one visible line."""
    click.echo(f"kg: {printable(message, limit=4 * MAX_SHOWN)}", err=True)


def same_file(a, b) -> bool:
    """True when paths ``a`` and ``b`` name one file (through links too)."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.realpath(a) == os.path.realpath(b)


def refuse_overwrite(outputs, inputs) -> None:
    """Exit 2 with one line when an output file is, or would replace, one of ``inputs``."""
    for out in outputs:
        for f in inputs:
            if same_file(out, f):
                error(f"{printable(out)} is an input: writing it would destroy it (choose another output)")
                sys.exit(2)


def graph_path(ctx, param, value: Path) -> Path:
    from ..query import GRAPH_SUFFIXES

    if value.suffix.lower() not in GRAPH_SUFFIXES:
        raise click.BadParameter(f"{printable(value)}: expected a {' or '.join(GRAPH_SUFFIXES)} file")
    return value


def load_graph(path: Path):
    from ..query import load

    try:
        return load(path)
    except FileNotFoundError:
        error(f"no graph file at {printable(path)} (run `kg build` first, or pass --graph)")
    except Exception as e:  # a damaged or foreign file: one line, no traceback
        error(f"cannot read {printable(path)}: {e}")
    sys.exit(1)


def ask(fn, *args, **kwargs):
    """Run a query; an unknown or ambiguous name or a missing path ends with one line, exit 1."""
    import networkx as nx

    try:
        return fn(*args, **kwargs)
    except (LookupError, nx.NetworkXNoPath, nx.NodeNotFound) as e:
        error(e)
        sys.exit(1)


def run_job(fn):
    """Run a job; Ctrl-C and SIGTERM end it with a one-line message and no traceback (exit
    130 or 143), and so does a file that cannot be written (exit 1). Outputs are written
    atomically, so an interrupted run leaves earlier ones as they were."""
    from ..nlp import ModelNotFound

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
        error(e)
        sys.exit(2)
    except OSError as e:
        where = f"{printable(e.filename)}: " if e.filename else ""
        error(where + (e.strerror or str(e)))
        sys.exit(1)
    finally:
        signal.signal(signal.SIGTERM, old)
        if old_int is not None:
            signal.signal(signal.SIGINT, old_int)


def main(argv=None):
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    cli.main(args=argv, prog_name="kg")
