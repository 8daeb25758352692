"""kg: knowledge graphs of methods, datasets and code repositories from ML paper abstracts.

Importing kg is cheap: spaCy is imported only by the extraction modules.
"""
__version__ = "0.1.0"
