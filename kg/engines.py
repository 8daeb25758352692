"""Where papers are parsed and extracted: this process, local worker processes, or Dask.

Every engine runs the same task, :func:`extract_batch`: a list of papers in, their
extraction records out (plain dicts, never Docs). ``submit(papers)`` returns a future
whose ``result()`` is that list; the pipeline keeps a few tasks in flight
(:attr:`Engine.window`) and reads the results in submission order, so the output never
depends on which engine or how many workers made it.

``local``
    One process (:class:`InProcess`) or a pool of ``n_process`` spawned worker processes
    (:class:`ProcessPool`). Workers start with ``OPENBLAS_NUM_THREADS``,
    ``OMP_NUM_THREADS`` and ``MKL_NUM_THREADS`` set to 1: several BLAS thread pools on
    two cores make parsing slower, not faster.
``dask``
    A ``distributed`` cluster (:class:`DaskEngine`): a ``LocalCluster`` of ``n_process``
    single-threaded worker processes, or an existing scheduler named by address. Each
    worker thread loads the model once and keeps it (:func:`worker_extractor`). Needs
    ``pip install kg[dask]``.
"""
from __future__ import annotations

import contextlib
import os
import signal
import threading

#: Environment a parsing process starts with: one BLAS/OpenMP thread each.
WORKER_ENV = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
#: Texts per ``nlp.pipe`` batch inside a task (measured in bench/README.md: 32-256 are within noise).
DEFAULT_BATCH_SIZE = 64
#: Seconds to wait for an existing Dask scheduler to answer.
SCHEDULER_TIMEOUT = 30

_local = threading.local()


class EngineError(RuntimeError):
    """An engine that cannot start: Dask missing, a scheduler that does not answer."""


def dask_missing() -> str | None:
    """Why ``--engine dask`` cannot run here, or None when it can."""
    import importlib.util

    if importlib.util.find_spec("distributed") is None:
        return "--engine dask needs Dask: pip install 'kg[dask]' (or pip install 'dask[distributed]')"
    return None


def worker_extractor(model: str):
    """``(nlp, Extractor)`` for ``model``, loaded once per thread and kept."""
    cached = getattr(_local, "models", None)
    if cached is None:
        cached = _local.models = {}
    if model not in cached:
        from . import nlp as nlp_mod
        from .extract import Extractor

        nlp = nlp_mod.load(model)
        cached[model] = (nlp, Extractor(nlp))
    return cached[model]


def extract_batch(model: str, batch_size: int, papers: list) -> list[dict]:
    """Extraction records of ``papers``, in order: the one task every engine runs."""
    nlp, extractor = worker_extractor(model)
    docs = nlp.pipe((p.abstract for p in papers), batch_size=batch_size)
    return [extractor.record(doc, p) for doc, p in zip(docs, papers)]


def _init_worker(model: str, parent: int | None = None) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    if parent is not None:
        die_with_parent(parent)
    worker_extractor(model)


#: Seconds between two looks of a worker at whether its parent is still there.
PARENT_POLL = 0.5


def die_with_parent(parent: int) -> None:
    """End this process as soon as process ``parent`` ends, however it ends (SIGKILL, the
    OOM killer): on Linux the kernel sends SIGKILL (``prctl(PR_SET_PDEATHSIG)``); everywhere
    a daemon thread checks every :data:`PARENT_POLL` seconds that the parent is still this
    process's parent. Without it, workers blocked on their task queue outlive a killed build
    for minutes, and so does the resource tracker that waits for them."""
    import sys
    import time

    if sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1: PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass

    def watch():
        while os.getppid() == parent:
            time.sleep(PARENT_POLL)
        os._exit(1)

    if os.getppid() != parent:  # gone before the signal was asked for
        os._exit(1)
    threading.Thread(target=watch, name="kg-parent-watch", daemon=True).start()


@contextlib.contextmanager
def worker_env():
    """:data:`WORKER_ENV` in ``os.environ`` while workers are started (they inherit it)."""
    saved = {k: os.environ.get(k) for k in WORKER_ENV}
    os.environ.update(WORKER_ENV)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


class Engine:
    """Runs :func:`extract_batch` tasks; a context manager that shuts its workers down."""

    #: Tasks the pipeline keeps in flight.
    window = 1
    name = "engine"

    def __init__(self, model: str, batch_size: int = DEFAULT_BATCH_SIZE):
        self.model, self.batch_size = model, batch_size

    def submit(self, papers: list):  # pragma: no cover - interface
        raise NotImplementedError

    def close(self) -> None:
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class _Deferred:
    """A future computed in this process when its result is asked for."""

    def __init__(self, fn, *args):
        self.fn, self.args = fn, args

    def result(self):
        return self.fn(*self.args)


class InProcess(Engine):
    """Parse and extract in this process; the model is loaded at the first task."""

    name = "1 process"

    def submit(self, papers):
        return _Deferred(extract_batch, self.model, self.batch_size, papers)


class ProcessPool(Engine):
    """``n`` spawned worker processes, each with the model loaded once."""

    def __init__(self, model, batch_size=DEFAULT_BATCH_SIZE, n: int = 2):
        super().__init__(model, batch_size)
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        self.n = n
        self.window = 2 * n
        self.name = f"{n} processes"
        # spawned children read os.environ when they start, before they import numpy; the
        # pool may start a worker at any submit, so the variables stay set until close()
        self._env = contextlib.ExitStack()
        self._env.enter_context(worker_env())
        self.pool = ProcessPoolExecutor(max_workers=n, mp_context=multiprocessing.get_context("spawn"),
                                        initializer=_init_worker, initargs=(model, os.getpid()))

    def submit(self, papers):
        return self.pool.submit(extract_batch, self.model, self.batch_size, papers)

    def close(self):
        try:
            self.pool.shutdown(wait=True, cancel_futures=True)
        finally:
            self._env.close()


class DaskEngine(Engine):
    """Tasks on a Dask ``distributed`` cluster: a new LocalCluster, or ``scheduler``'s."""

    def __init__(self, model, batch_size=DEFAULT_BATCH_SIZE, n: int = 2, scheduler: str | None = None,
                 processes: bool = True):
        super().__init__(model, batch_size)
        if dask_missing():
            raise EngineError(dask_missing())
        from distributed import Client, LocalCluster

        self.cluster = None
        if scheduler:
            try:
                self.client = Client(scheduler, timeout=SCHEDULER_TIMEOUT)
            except (OSError, TimeoutError, ValueError) as e:
                raise EngineError(f"cannot connect to the Dask scheduler at {scheduler}: {e}") from None
        else:
            with worker_env():
                self.cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=processes,
                                            dashboard_address=None, silence_logs=40)
            self.client = Client(self.cluster)
        threads = sum(w.get("nthreads", 1) for w in self.client.scheduler_info()["workers"].values())
        self.window = 2 * max(1, threads)
        self.name = f"dask: {threads} worker threads"
        self._n = 0

    def submit(self, papers):
        self._n += 1
        return self.client.submit(extract_batch, self.model, self.batch_size, papers,
                                  key=f"kg-extract-{self._n}-{id(self)}", pure=False)

    def close(self):
        try:
            self.client.close()
        finally:
            if self.cluster is not None:
                self.cluster.close()


def make_engine(kind: str, model: str, batch_size: int, n_process: int, scheduler: str | None = None) -> Engine:
    """The engine for ``kind`` ("local" or "dask") with ``n_process`` workers."""
    if kind == "dask":
        return DaskEngine(model, batch_size, n=n_process, scheduler=scheduler)
    if kind != "local":
        raise ValueError(f"unknown engine {kind!r}")
    if n_process > 1:
        return ProcessPool(model, batch_size, n=n_process)
    return InProcess(model, batch_size)
