"""Acronym definitions "Long Form (LF)" (Schwartz & Hearst 2003)."""
from __future__ import annotations

import bisect
import re

import numpy
from spacy.attrs import ORTH
from spacy.tokens import Doc

def _short_form_ok(text: str) -> bool:
    return (1 < len(text) <= 12 and any(c.isupper() for c in text) and text[0].isalnum()
            and len(text.split()) <= 2 and not text.isdigit())


def find_long_form(short: str, words: list) -> int | None:
    """Index into ``words`` where the long form of ``short`` starts, or None.

    Schwartz & Hearst: walk the short form's characters from the end, each matched in the
    candidate text from the end; the first character must start a word.

    >>> find_long_form("ViT", ["the", "Vision", "Transformer"])
    1
    >>> find_long_form("KAPT", ["Knowledge-Aware", "Prompt", "Tuning"])
    0
    """
    k = _scan(short, words)
    by_initials = _initials_start(short, words)
    if k is not None and by_initials is not None and by_initials < k:
        return by_initials
    return k


_FUNCTION_WORDS = {"of", "for", "and", "the", "a", "an", "in", "on", "with", "to", "-", "‐", "–"}


def _initials_start(short: str, words: list) -> int | None:
    """Start of the shortest tail of ``words`` whose content words' initials spell ``short``
    ("proximal policy optimization" for PPO, where the character scan stops at "policy");
    used only to lengthen a long form the character scan found.

    >>> _initials_start("PPO", ["the", "proximal", "policy", "optimization"])
    1
    """
    upper = [c.lower() for c in short if c.isupper()]
    letters = upper if len(upper) >= 2 else [c.lower() for c in short if c.isalpha()]
    if len(letters) < 2:
        return None
    initials = []
    for k in range(len(words) - 1, -1, -1):
        w = words[k]
        if w.lower() in _FUNCTION_WORDS:
            continue
        if not w[:1].isalpha():
            return None
        initials.insert(0, w[0].lower())
        if initials == letters[-len(initials):] and len(initials) == len(letters):
            return k
        if initials != letters[-len(initials):] or len(initials) > len(letters):
            return None
    return None


def _scan(short: str, words: list) -> int | None:
    text = " ".join(words)
    s = [c.lower() for c in short if c.isalpha()]
    if not s:
        return None
    si, ti = len(s) - 1, len(text) - 1
    while si >= 0:
        c = s[si]
        while ti >= 0 and (text[ti].lower() != c or (si == 0 and ti > 0 and text[ti - 1].isalnum())):
            ti -= 1
        if ti < 0:
            return None
        si -= 1
        ti -= 1
    start_char = ti + 1
    # the word that holds start_char
    pos = 0
    for i, w in enumerate(words):
        if pos <= start_char < pos + len(w) + 1:
            return i
        pos += len(w) + 1
    return None


def find_abbreviations(doc: Doc, text: str | None = None):
    """(long span, short span) pairs for "Long Form (SF)" in the text (``text``: ``doc.text``)."""
    if "(" not in (doc.text if text is None else text):
        return
    starts = [sent.start for sent in doc.sents]
    # the "(" tokens, found in the token array (iterating a Doc makes a Token object per token)
    for i in numpy.flatnonzero(doc.to_array(ORTH) == doc.vocab.strings["("]).tolist():
        tok = doc[i]
        if tok.i + 2 >= len(doc):
            continue
        sent_start = starts[bisect.bisect_right(starts, tok.i) - 1]
        close = next((t.i for t in doc[tok.i + 1: tok.i + 5] if t.text == ")"), None)
        if close is None:
            continue
        short = doc[tok.i + 1: close]
        short_text = short.text
        if " " in short_text and not re.match(r"^\S+ (?:for short|in short)$", short_text):
            cut = short_text.split(";")[0].split(",")[0].strip()
            if not _short_form_ok(cut):
                continue
            if not (cut == short_text and len(short) == 2 and short[1].text[:1].isupper()):
                short = doc[tok.i + 1: tok.i + 2]  # "GC ViT" stays whole; "SRP; ours" is "SRP"
            short_text = short.text
        if not _short_form_ok(short_text):
            continue
        n_chars = sum(c.isalnum() for c in short_text)
        max_words = min(n_chars + 5, n_chars * 2)
        lo = max(sent_start, tok.i - max_words)
        window = [t for t in doc[lo: tok.i]]
        # stop at punctuation that cannot be inside a long form
        cut = max((j + 1 for j, t in enumerate(window) if t.text in {",", ";", ":", "(", ")", "."}), default=0)
        window = window[cut:]
        if not window:
            continue
        words = [t.text for t in window]
        k = find_long_form(short_text, words)
        if k is None:
            continue
        long_span = _whole_compound(doc[window[k].i: tok.i], sent_start)
        # a Title-Case long form takes the capitalised words just before it ("Vision Transformer in ...")
        for _ in range(2):
            prev = doc[long_span.start - 1] if long_span.start > sent_start else None
            if (prev is None or not long_span[0].text[:1].isupper() or not prev.text[:1].isupper()
                    or not prev.is_alpha or prev.is_sent_start or prev.tag_ not in {"NNP", "NN", "JJ", "NNPS"}):
                break
            long_span = doc[long_span.start - 1: long_span.end]
        long_span = _whole_compound(long_span, sent_start)  # "Text-to-Text Transfer Transformer (T5)"
        # strip leading function words and determiners (not the inside of a compound: "Tokens-To-Token")
        while len(long_span) > 1 and long_span[0].tag_ in {"DT", "IN", "CC", "PRP$", "TO"} \
                and not (long_span[1].text in _HYPHENS and not long_span[0].whitespace_):
            long_span = long_span[1:]
        if long_span.text.lower() == short_text.lower() or len(long_span.text) <= len(short_text):
            continue
        if not _one_letter_long_form_ok(short_text, long_span.text):
            continue
        yield long_span, short



_HYPHENS = {"-", "–", "‐"}


def _one_letter_long_form_ok(short: str, long: str) -> bool:
    """A short form of one letter and a number (S4, T5) stands for several words with that
    initial ("Sequence State Space", "Text-to-Text Transfer Transformer"), never for one ("Scan (S6)").

    >>> _one_letter_long_form_ok("S4", "Sequence State Space"), _one_letter_long_form_ok("S6", "Scan")
    (True, False)
    """
    letters = [c.lower() for c in short if c.isalpha()]
    if len(letters) != 1:
        return True
    words = [w for w in re.split(r"[\s\-‐–]+", long) if w and w.lower() not in _FUNCTION_WORDS]
    return len(words) >= 2 and all(w[0].lower() == letters[0] for w in words)


def _whole_compound(span, sent_start: int):
    """A long form that starts inside a hyphenated compound takes the compound's first words:
    "Tokens-To-Token Vision Transformer (T2T-ViT)", not "To-Token Vision Transformer"."""
    doc = span.doc
    start = span.start
    while (start - 2 >= sent_start and doc[start - 1].text in _HYPHENS and not doc[start - 1].whitespace_
           and not doc[start - 2].whitespace_ and doc[start - 2].is_alpha):
        start -= 2
    while start < span.end - 1 and doc[start].text in _HYPHENS:
        start += 1
    return doc[start:span.end]
