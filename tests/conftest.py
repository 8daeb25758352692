import pytest


@pytest.fixture(scope="session")
def nlp():
    from kg import nlp as nlp_mod

    return nlp_mod.load()


@pytest.fixture(scope="session")
def extractor(nlp):
    from kg.extract import Extractor

    return Extractor(nlp)
