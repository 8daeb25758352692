"""Placeholder page writer, replaced by the interactive view."""
from __future__ import annotations

import html
import json

from . import atomic_write


def write_html(G, path) -> None:
    with atomic_write(path) as f:
        f.write("<!doctype html><meta charset=utf-8><title>kg graph</title><pre id=data></pre>"
                f"<p>{html.escape(str(G.number_of_nodes()))} nodes</p>")
