"""kg: knowledge graphs of methods, datasets and code repositories from ML paper abstracts.

Importing kg is cheap: spaCy is imported only by the extraction modules.
"""
__version__ = "0.1.0"


def load(path):
    """Read ``graph.graphml`` or ``graph.json`` back into a ``networkx.MultiDiGraph``.

    The questions to ask it are in :mod:`kg.query`. Never imports spaCy.
    """
    from .query import load as _load

    return _load(path)
