"""Repository mentions: http(s) URLs in the text, normalised."""
from __future__ import annotations

import re

from spacy.tokens import Doc

from .data import REPOSITORY, Mention


_URL = re.compile(r"https?://[^\s<>\"'()\[\]{}]+", re.I)
_URL_TAIL = ".,;:!?)]}'\"*"


def normalize_url(url: str) -> str:
    """Repository URL as a node: trailing punctuation, ``.git`` and ``/`` dropped.

    >>> normalize_url("https://github.com/szq0214/MEAL-V2.git).")
    'https://github.com/szq0214/MEAL-V2'
    """
    url = url.rstrip(_URL_TAIL)
    for _ in range(2):
        if url.endswith(".git"):
            url = url[:-4]
        url = url.rstrip("/").rstrip(_URL_TAIL)
    return url


def repo_of(url: str) -> str:
    """The repository a URL belongs to: ``/tree/...`` and ``/blob/...`` paths grouped under it.

    >>> repo_of("https://github.com/a/b/tree/main/x")
    'https://github.com/a/b'
    """
    m = re.match(r"(https?://(?:www\.)?(?:github\.com|gitlab\.com|bitbucket\.org)/[^/]+/[^/]+)/(?:tree|blob|-)/", url, re.I)
    return m.group(1) if m else url


def find_urls(doc: Doc, text: str | None = None):
    """Repository mentions: every http(s) URL in the text (``text``: ``doc.text``, if the caller has it)."""
    for m in _URL.finditer(doc.text if text is None else text):
        url = normalize_url(m.group(0))
        if len(url) < 12:
            continue
        span = doc.char_span(m.start(), m.start() + len(url), alignment_mode="expand")
        if span is not None:
            yield Mention(span.start, span.end, url, REPOSITORY, "url")

