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


def printable(text: str) -> str:
    """One line of text: control characters (in a file name, say) written as escapes."""
    return re.sub(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]", lambda m: f"\\x{ord(m.group()):02x}"
                  if ord(m.group()) < 256 else f"\\u{ord(m.group()):04x}", text)


def graph_path(ctx, param, value: Path) -> Path:
    from ..query import GRAPH_SUFFIXES

    if value.suffix.lower() not in GRAPH_SUFFIXES:
        raise click.BadParameter(f"{value}: expected a {' or '.join(GRAPH_SUFFIXES)} file")
    return value


def load_graph(path: Path):
    from ..query import load

    try:
        return load(path)
    except FileNotFoundError:
        click.echo(f"kg: no graph file at {path} (run `kg build` first, or pass --graph)", err=True)
    except Exception as e:  # a damaged or foreign file: one line, no traceback
        click.echo(f"kg: cannot read {path}: {e}", err=True)
    sys.exit(1)


def ask(fn, *args, **kwargs):
    """Run a query; an unknown or ambiguous name or a missing path ends with one line, exit 1."""
    import networkx as nx

    try:
        return fn(*args, **kwargs)
    except (LookupError, nx.NetworkXNoPath, nx.NodeNotFound) as e:
        click.echo(f"kg: {e}", err=True)
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
        click.echo(f"kg: {e}", err=True)
        sys.exit(2)
    except OSError as e:
        where = f"{e.filename}: " if e.filename else ""
        click.echo(f"kg: {printable(where + (e.strerror or str(e)))}", err=True)
        sys.exit(1)
    finally:
        signal.signal(signal.SIGTERM, old)
        if old_int is not None:
            signal.signal(signal.SIGINT, old_int)


def main(argv=None):
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    cli.main(args=argv, prog_name="kg")
