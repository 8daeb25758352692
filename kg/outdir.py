"""An output directory, claimed by one job at a time.

Two builds writing into one directory at once could leave a build stamp that records one
build's digest against the other's files. :func:`claim` locks the directory itself (``flock``
on the directory, so no lock file is left in it) for the length of a job: a second job waits
for the first. Holding the lock, the job also removes the temporary files a killed job left
beside its outputs (``.NAME.*.tmp``, see :func:`kg.export.atomic_write`): no other job can
be writing them.
"""
from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Callable, Iterable

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: no lock
    fcntl = None


@contextlib.contextmanager
def claim(directory, names: Iterable[str] = (), on_wait: Callable[[], None] | None = None):
    """Hold ``directory``'s lock (waiting for another job to end, after calling ``on_wait()``)
    and remove left-over temporary files of the outputs ``names``."""
    from .export import make_dir

    directory = Path(directory)
    make_dir(directory)
    fd = os.open(directory, os.O_RDONLY)
    try:
        if fcntl is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if on_wait is not None:
                    on_wait()
                fcntl.flock(fd, fcntl.LOCK_EX)
        remove_leftovers(directory, names)
        yield
    finally:
        os.close(fd)  # and the lock with it


def remove_leftovers(directory: Path, names: Iterable[str]) -> list:
    """Remove the temporary files :func:`kg.export.atomic_write` leaves when its process is
    killed (``.NAME.<random>.tmp``); the paths removed."""
    removed = []
    for name in names:
        for tmp in directory.glob(f".{_glob_escape(name)}.*.tmp"):
            with contextlib.suppress(OSError):
                os.unlink(tmp)
                removed.append(tmp)
    return removed


def _glob_escape(name: str) -> str:
    return "".join(f"[{c}]" if c in "*?[" else c for c in name)
