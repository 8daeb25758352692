"""Readers for paper abstracts: listing pages, JSON Lines, JSON and CSV.

Every reader yields :class:`Paper` records with a cleaned title and abstract; character
offsets reported anywhere else in kg are offsets into ``Paper.abstract`` as stored here.

==========================  ==============================================================
:mod:`kg.read.paper`        :class:`Paper`, :class:`Report`, a paper's identity (``norm_title``)
:mod:`kg.read.files`        which files to read, each file's format, :func:`read_papers`
:mod:`kg.read.decode`       bytes to text: BOMs, UTF-16 without a BOM, binary files
:mod:`kg.read.text`         clean-up: LaTeX (``data/latex.json``), whitespace, invisible characters
:mod:`kg.read.listing`      listing pages (page furniture: ``data/furniture.txt``)
:mod:`kg.read.records`      JSON Lines, JSON arrays and CSV/TSV rows
:mod:`kg.read.limits`       cuts that bound what one record may cost downstream
:mod:`kg.read.dedupe`       one record per paper (:func:`distinct_papers`, :func:`unique_papers`)
==========================  ==============================================================

Error model
    Every problem goes to a :class:`Report` once, as ``path:line: reason``. A record, or a
    whole file, that cannot be read is *skipped* and the rest is still read; text that had
    to be repaired (undecodable bytes replaced, an over-long abstract cut) is kept, with a
    *warning*. Lines count from 1 and end at ``\\n`` (or at ``\\r`` in a file that has no
    ``\\n``); a problem with a whole file (binary, empty, unreadable) is at line 1.

Encodings
    UTF-8 with or without a BOM; UTF-16 and UTF-32 with a BOM; UTF-16 without a BOM when
    its NUL bytes give it away. Undecodable bytes become U+FFFD, with a warning naming the
    lines. A file with NUL bytes (in any other encoding) or that is mostly not text is
    binary, and skipped.

Limits, each applied with a warning
    :data:`MAX_ABSTRACT_CHARS` (abstracts are cut at a word boundary; spaCy's
    ``max_length`` is never raised), :data:`MAX_TITLE_CHARS` and :data:`MAX_WORD_CHARS`.

This package never imports spaCy.
"""
from __future__ import annotations

from .decode import sniff_encoding
from .dedupe import distinct_papers, unique_papers
from .files import bundled_corpus, iter_files, read_file, read_papers, scan
from .limits import MAX_ABSTRACT_CHARS, MAX_TITLE_CHARS, MAX_WORD_CHARS, apply_limits
from .listing import read_listing
from .paper import Paper, Report, norm_title, paper_id
from .records import paper_from_mapping, read_csv, read_jsonl
from .text import clean_text, split_lines

__all__ = ["MAX_ABSTRACT_CHARS", "MAX_TITLE_CHARS", "MAX_WORD_CHARS", "Paper", "Report", "apply_limits",
           "bundled_corpus", "clean_text", "distinct_papers", "iter_files", "norm_title", "paper_from_mapping",
           "paper_id", "read_csv", "read_file", "read_jsonl", "read_listing", "read_papers", "scan",
           "sniff_encoding", "split_lines", "unique_papers"]
