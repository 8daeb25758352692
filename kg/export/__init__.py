"""Writers for the graph files: GraphML, node-link JSON and the interactive HTML page.

Writers never print, never change the caller's graph, and write atomically: the file is
written under a temporary name in the target directory and renamed into place, so an
interrupted write never replaces a good file with half of one. Inside
:func:`replace_together` the renames wait for the end of the block, so a set of files
(``kg build``'s four) is replaced all together or not at all.
"""
from __future__ import annotations

import contextlib
import contextvars
import errno
import os
import signal
import stat
import tempfile
import threading
from pathlib import Path

# the (temporary, target) pairs of the replace_together block in force, if any
_pending: contextvars.ContextVar = contextvars.ContextVar("kg_pending_replacements", default=None)


def _mode_for(path: Path) -> int:
    """Permissions for a new ``path``: those of the file it replaces, else 0o666 less the umask
    (``mkstemp`` makes its files 0o600)."""
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


@contextlib.contextmanager
def atomic_write(path, mode="w", encoding="utf-8"):
    """Open a temporary file beside ``path``; rename it over ``path`` only on success."""
    path = Path(path)
    make_dir(path.parent)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as e:
        raise _about(e, path, None) from None
    try:
        if hasattr(os, "fchmod"):
            os.fchmod(fd, _mode_for(path))
        with os.fdopen(fd, mode, encoding=None if "b" in mode else encoding,
                       newline=None if "b" in mode else "\n") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        pending = _pending.get()
        if pending is None:
            os.replace(tmp, path)
        else:
            pending.append((tmp, path))
    except BaseException as e:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(e, OSError) and (e.filename == tmp or (e.filename is None and e.errno in _WRITE_ERRORS)):
            raise _about(e, path, tmp) from None
        raise


#: Errors of writing a file that name no file (a full disk, a quota, an I/O error).
_WRITE_ERRORS = {errno.ENOSPC, errno.EDQUOT, errno.EIO, errno.EFBIG}


def _about(e: OSError, path: Path, tmp) -> OSError:
    """``e`` naming the file the user asked for, never the temporary file written first."""
    return type(e)(e.errno, e.strerror or str(e), str(path))


def make_dir(directory) -> None:
    """Make ``directory`` and its parents; a file on the way is named as the problem."""
    directory = Path(directory)
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise NotADirectoryError(errno.ENOTDIR, "not a directory", str(_file_on_the_way(directory))) from None


def _file_on_the_way(directory: Path) -> Path:
    """The nearest ancestor of ``directory`` (or itself) that exists and is not a directory."""
    for p in [directory, *directory.parents]:
        if p.exists() or p.is_symlink():
            return p if not p.is_dir() else directory
    return directory


@contextlib.contextmanager
def replace_together():
    """Files written with :func:`atomic_write` in this block replace their targets together
    at its end -- or, when the block ends with an error or an interrupt, not at all.

    Ctrl-C and SIGTERM are held while the files are renamed and delivered after, so no
    signal leaves some files new and others old. A nested block joins the outer one.
    """
    if _pending.get() is not None:
        yield
        return
    pending: list = []
    token = _pending.set(pending)
    try:
        yield
    except BaseException:
        _discard(pending)
        raise
    finally:
        _pending.reset(token)
    with _signals_held():
        try:
            while pending:
                tmp, path = pending[0]
                os.replace(tmp, path)
                pending.pop(0)
        finally:
            _discard(pending)


def _discard(pending: list) -> None:
    for tmp, _ in pending:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
    pending.clear()


@contextlib.contextmanager
def _signals_held():
    """SIGINT and SIGTERM wait until the end of the block (main thread only), then go to
    the handlers that were in force."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    got: list = []
    saved = {}
    for signum in (signal.SIGINT, getattr(signal, "SIGTERM", None)):
        if signum is None:
            continue
        try:
            saved[signum] = signal.signal(signum, lambda n, _frame: got.append(n))
        except (ValueError, OSError):
            pass
    try:
        yield
    finally:
        for signum, handler in saved.items():
            signal.signal(signum, handler if handler is not None else signal.SIG_DFL)
        if got:
            handler = saved.get(got[0])
            if callable(handler):
                handler(got[0], None)
            elif handler in (signal.SIG_DFL, None):
                signal.raise_signal(got[0])
