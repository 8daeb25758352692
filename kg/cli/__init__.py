"""Command line: thin wrappers over the library (``kg build``, ``kg extract``, ...).

Exit status: 0 when the work was done (warnings allowed); 1 when nothing could be read, a
``--strict`` run met a record it would skip, or an output could not be written; 2 for
usage errors; 130 (Ctrl-C) or 143 (SIGTERM) when interrupted. Each problem with the
inputs goes to stderr as one line, ``kg: path:line: reason``; no traceback for any of these.
"""
from __future__ import annotations

from . import build, html, query  # noqa: F401  (each module adds its commands to the group)
from .common import cli, main
from .query import query_group

__all__ = ["cli", "main", "query_group"]
