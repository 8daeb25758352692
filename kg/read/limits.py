"""Limits on what one record may hold, each applied with a warning: they bound the time and
memory a hostile record can take downstream."""
from __future__ import annotations

import re

from .paper import Paper, Report

#: Abstracts longer than this many characters are cut, at a word boundary and with a
#: warning, before parsing. arXiv caps abstracts at 1,920 characters; parsing time grows
#: faster than linearly with the length of a sentence, so the cap also bounds the time a
#: hostile record can take.
MAX_ABSTRACT_CHARS = 10_000
#: Titles longer than this are cut (with a warning); in a listing page a longer line is
#: an abstract, never a title.
MAX_TITLE_CHARS = 400
#: A run of more non-space characters than this is broken with a space every
#: MAX_WORD_CHARS characters (with a warning): no word or URL is that long, and spaCy's
#: tokenizer takes time quadratic in the length of a run of punctuation such as "((((".
MAX_WORD_CHARS = 500

#: Raw text longer than this is cut before it is cleaned (with the warning of the limit it
#: passes): cleaning costs memory many times the length of the text, and what lies past this
#: point would be cut after cleaning anyway.
MAX_RAW_CHARS = 4 * MAX_ABSTRACT_CHARS
#: A JSON Lines record longer than this many bytes is skipped unread, so that memory stays
#: bounded whatever the input.
MAX_RECORD_BYTES = 32 * 2**20


def precut(raw: str, name: str, cuts: dict) -> str:
    """``raw`` cut to :data:`MAX_RAW_CHARS`, its length noted in ``cuts[name]`` when cut."""
    if len(raw) <= MAX_RAW_CHARS:
        return raw
    cuts[name] = len(raw)
    return raw[:MAX_RAW_CHARS]


_LONG_WORD = re.compile(r"\S{%d}" % (MAX_WORD_CHARS + 1))


def _cut(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, at a space when one is near the end."""
    if len(text) <= limit:
        return text
    i = text.rfind(" ", 0, limit + 1)
    return text[: i if i >= limit * 0.8 else limit].rstrip()


def _break_long_words(text: str) -> str:
    # the search costs at most len(text) * MAX_WORD_CHARS steps: it runs on text already cut
    if not _LONG_WORD.search(text):
        return text
    out, pos = [], 0
    for m in re.finditer(r"\S+", text):
        if m.end() - m.start() > MAX_WORD_CHARS:
            w = m.group(0)
            out.append(text[pos:m.start()])
            out.append(" ".join(w[i:i + MAX_WORD_CHARS] for i in range(0, len(w), MAX_WORD_CHARS)))
            pos = m.end()
    return "".join(out) + text[pos:] if out else text


def apply_limits(p: Paper, report: Report) -> Paper:
    """Cut an over-long title or abstract and break up over-long words, with a warning each."""
    if len(p.title) > MAX_TITLE_CHARS or "title" in p.raw_chars:
        was = p.raw_chars.get("title", len(p.title))
        report.warn(p.source, p.line, f"title cut to {MAX_TITLE_CHARS} characters (was {was})")
        p.title = _cut(p.title, MAX_TITLE_CHARS)
    text = p.abstract
    if len(text) > MAX_ABSTRACT_CHARS or "abstract" in p.raw_chars:
        was = p.raw_chars.get("abstract", len(text))
        report.warn(p.source, p.line, f"abstract cut to {MAX_ABSTRACT_CHARS} characters (was {was})")
        text = _cut(text, MAX_ABSTRACT_CHARS)
    broken = _break_long_words(text)
    if broken is not text:
        report.warn(p.source, p.line, f"words longer than {MAX_WORD_CHARS} characters broken up")
        text = _cut(broken, MAX_ABSTRACT_CHARS)
    p.abstract = text
    return p

