"""Hand-built parsed Docs for rule tests: no statistical model, so results do not move with it."""
import spacy
from spacy.tokens import Doc, Span

VOCAB = spacy.blank("en").vocab  # lexical attributes (lower_, is_punct) without a model


def make(words, heads, deps, tags=None, ents=None):
    """A Doc with the given parse; ``ents`` is a list of (token index, label) one-token entities."""
    doc = Doc(VOCAB, words=words, heads=heads, deps=deps, tags=tags or ["NN"] * len(words))
    if ents:
        doc.ents = [Span(doc, i, i + 1, label=label) for i, label in ents]
    return doc
