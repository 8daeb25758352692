"""The rules as data, and the one loader that reads them.

Every file of this folder is read through the functions below, each file once per process
(the results are cached and shared: treat them as read-only). Three formats:

JSON Lines (``*.jsonl``), one pattern per line, blank lines skipped (:func:`read_jsonl`).
Every entry has an ``id`` (unique across the files), a ``pattern`` and ``examples``, the
test sentences that the tests run through the real parser:

* ``entity_shapes.jsonl``: spaCy ``Matcher`` patterns over one name's tokens, matched by
  :mod:`kg.seqmatch`; ``label``; examples ``[sentence, [names found]]``.
* ``entity_context.jsonl``: naming phrases ("dubbed X", "we call this method X"), spaCy
  ``Matcher`` patterns; examples as above.
* ``relations.jsonl``: spaCy ``DependencyMatcher`` patterns followed from their trigger
  word (:mod:`kg.treematch`), with the ``relation`` they state; examples
  ``[sentence, head, tail]``, optional ``title_examples`` likewise; optional ``head`` (how the
  head is found), ``derivation`` (how a ``based_on`` head was made: a string, or a map from
  trigger word to derivation with ``*`` the default), ``reverse``, ``keep_relation``,
  ``object_of`` (the verbs that may govern a trigger standing as an object),
  ``not_sentence_initial``, ``fronted`` (the match's ``prep`` node opens the sentence), ``weak`` (an ``introduces`` cue that yields to a method the title
  names), ``note``
  (the general wording a rare pattern stands for), ``role``, ``title_only`` (see
  :mod:`kg.relations`).
* ``relations_surface.jsonl``: spaCy ``Matcher`` patterns over entity tokens, the fall-back
  when the parse misses; ``relation``, examples ``[sentence, head, tail]``, optional ``title``.

* ``not_entity_shapes.jsonl``: names that are not entities by their shape (metrics with their
  subscripts, language pairs, bit widths, tasks); ``pattern`` is a regular expression over
  the whole name, examples are names it stops, ``sentence`` a sentence that holds them.

Any string ``"$NAME"`` inside a pattern stands for the regular expression ``NAME`` of
``shapes.json`` (:func:`expand_shapes`).

Word lists (``*.txt``), one entry per line (:func:`read_words`): surrounding whitespace is
stripped, blank lines and lines starting with ``#`` are skipped. Some lists add a rule of
their own, stated in the file's header: a trailing ``*`` names a prefix (``datasets.txt``,
``not_entities.txt``), ``kind:word`` sorts the words (``self_reference.txt``), ``A = B = C``
names one thing (``synonyms.txt``, read by :mod:`kg.resolve`). The lists:
``comparatives.txt``, ``datasets.txt``, ``eval_cues.txt``, ``hedges.txt``, ``methods.txt``,
``not_entities.txt``, ``self_reference.txt``, ``synonyms.txt``, ``whole_words.txt`` (hyphenated words the tokenizer
keeps whole).

Tables (``*.tsv``), tab-separated rows, ``#`` comment lines skipped (:func:`read_table`):
``lexicon.tsv``, the known model and dataset names (name, type, source) that
``scripts/build_lexicon.py`` generates from the catalogues of maintained packages, with their
versions and licences in its header.

JSON objects (``*.json``), one object a file (:func:`read_json`): keys starting with ``_``
are comments (``_doc`` explains the others) and are dropped. ``comparison_words.json`` (which way a comparison with "than" goes), ``dataset_cues.json`` (what types
a name as a dataset), ``proposal.json`` (how authors name their contribution),
``proposed_names.json`` (techniques named in plain words where they are proposed, read by :mod:`kg.proposed`; examples ``[sentence, [names]]``),
``lineage.json`` (the openers and pointing phrases of "Based on the operation, we construct X", read by :mod:`kg.bases`),
``scope.json`` (the words that say what a sentence claims about a dataset, read by :mod:`kg.scope`),
``shapes.json`` (named token regexes), ``title.json`` (title prefixes), ``metrics.json`` (the
metrics results are reported in: written forms, the name they are grouped under, whether higher
or lower is better, an example sentence each; and the word lists that tell a result number from a
speed, size or cost figure, read by :mod:`kg.numbers` and :mod:`kg.results`).

This module never imports spaCy.

>>> read_json("title.json")["dataset_nouns"][:2]
['dataset', 'benchmark']
>>> "fails" in read_words("hedges.txt")
True
>>> "outperforms" in {p["relation"] for p in read_jsonl("relations_surface.jsonl")}
True
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

#: The folder of the pattern files.
FOLDER = Path(__file__).parent


def path(name: str) -> Path:
    """The path of the pattern file ``name`` (for example ``"relations.jsonl"``)."""
    return FOLDER / name


@lru_cache(maxsize=None)
def read_jsonl(name: str) -> tuple:
    """The entries of a JSON Lines pattern file, one dict a non-blank line, in file order."""
    return tuple(json.loads(line) for line in path(name).read_text(encoding="utf-8").splitlines() if line.strip())


@lru_cache(maxsize=None)
def read_words(name: str) -> tuple:
    """The entries of a word list: stripped lines, blank lines and ``#`` comments left out."""
    return tuple(ln.strip() for ln in path(name).read_text(encoding="utf-8").splitlines()
                 if ln.strip() and not ln.lstrip().startswith("#"))


@lru_cache(maxsize=None)
def read_table(name: str) -> tuple:
    """The rows of a tab-separated table, each a tuple of its fields; ``#`` lines and blank lines left out."""
    return tuple(tuple(ln.split("\t")) for ln in path(name).read_text(encoding="utf-8").splitlines()
                 if ln.strip() and not ln.startswith("#"))


@lru_cache(maxsize=None)
def read_json(name: str) -> dict:
    """The keys of a JSON pattern object, without the comment keys (those starting with ``_``)."""
    data = json.loads(path(name).read_text(encoding="utf-8"))
    return {k: v for k, v in data.items() if not k.startswith("_")}


def shapes() -> dict:
    """The named token regexes of ``shapes.json``."""
    return read_json("shapes.json")


def expand_shapes(obj):
    """A copy of a pattern with each ``"$NAME"`` string replaced by the regex ``NAME`` of ``shapes.json``.

    >>> expand_shapes([{"TEXT": {"REGEX": "$VERSION"}}, {"LOWER": "$other"}])[1]
    {'LOWER': '$other'}
    """
    if isinstance(obj, dict):
        return {k: expand_shapes(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [expand_shapes(v) for v in obj]
    if isinstance(obj, str) and obj.startswith("$") and obj[1:] in shapes():
        return shapes()[obj[1:]]
    return obj
