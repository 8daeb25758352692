"""The public API of ``import kg``: light to import, every name where it says, and the walls
(readers, graph, export and query never import spaCy)."""
import importlib
import inspect
import pkgutil
import re
import subprocess
import sys

import pytest

import kg

#: Modules that must work where no spaCy model (or spaCy) is installed.
WALLED = ("kg.read", "kg.dedupe", "kg.graph", "kg.export", "kg.query", "kg.lookup", "kg.resolve", "kg.patterns",
          "kg.cache")


def run(code: str) -> str:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout


def test_import_kg_imports_no_library_and_no_kg_module():
    out = run("import sys, kg; print(sorted(m for m in sys.modules if m.split('.')[0] in "
              "{'kg', 'spacy', 'networkx', 'numpy', 'thinc'}))")
    assert out.strip() == "['kg']"


@pytest.mark.parametrize("name", kg.__all__)
def test_every_exported_name_is_its_module_s_object(name):
    module = importlib.import_module(f"kg.{kg._EXPORTS[name]}")
    assert getattr(kg, name) is getattr(module, name)
    assert name in dir(kg)


def test_an_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'Extractor'"):
        kg.Extractor  # noqa: B018
    assert not hasattr(kg, "nope")


def test_the_api_covers_every_stage():
    assert {"read_papers", "extract_records", "build_graph", "write_graphml", "write_json", "write_html", "load",
            "find_node", "lineage", "descendants", "outperforms", "beaten_by", "path", "compare", "node_card",
            "search", "stats"} <= set(kg.__all__)


def walled_modules() -> list:
    names = [m.name for m in pkgutil.walk_packages(kg.__path__, "kg.")]
    return sorted(n for n in names if n.startswith(WALLED) and n.split(".")[1] in {w.split(".")[1] for w in WALLED})


def test_walled_modules_are_found():
    found = walled_modules()
    assert {"kg.graph", "kg.query", "kg.export.graphml", "kg.export.json", "kg.export.html"} <= set(found)
    assert any(n.startswith("kg.read.") for n in found)


def test_walls_reading_building_writing_and_asking_never_import_spacy(tmp_path):
    """Every walled module imported, and the whole API but extraction used, in a fresh interpreter."""
    code = f"""
import importlib, itertools, sys
for name in {walled_modules()!r}:
    importlib.import_module(name)
import kg
papers = list(itertools.islice(kg.read_papers([]), 20))  # the bundled corpus
assert len(papers) == 20 and papers[0].title
G = kg.build_graph([{{"id": "p1", "title": "TinyBERT: Distilling BERT", "entities": [
    {{"name": "TinyBERT", "type": "method"}}, {{"name": "BERT", "type": "method"}},
    {{"name": "GLUE", "type": "dataset"}}],
    "relations": [{{"head": "TinyBERT", "relation": "distills_from", "tail": "BERT"}},
                  {{"head": "TinyBERT", "relation": "outperforms", "tail": "BERT", "dataset": "GLUE"}},
                  {{"head": "TinyBERT", "relation": "evaluated_on", "tail": "GLUE"}}]}}])
out = {str(tmp_path)!r}
kg.write_graphml(G, out + "/g.graphml"); kg.write_json(G, out + "/g.json")
kg.write_html(G, out + "/g.html", focus="TinyBERT")
for H in (kg.load(out + "/g.graphml"), kg.load(out + "/g.json")):
    assert kg.find_node(H, "tiny-bert") == "method:tinybert"
    assert [r.name for r in kg.lineage(H, "TinyBERT")] == ["BERT"]
    assert [r.name for r in kg.descendants(H, "BERT")] == ["TinyBERT"]
    assert [r.name for r in kg.outperforms(H, "TinyBERT")] == ["BERT"]
    assert [r.name for r in kg.beaten_by(H, "BERT")] == ["TinyBERT"]
    assert kg.path(H, "BERT", "GLUE") and kg.compare(H, "GLUE") and kg.search(H, "bert")
    assert kg.node_info(H, "GLUE")["type"] == "dataset" and kg.node_card(H, "BERT")["edges"]
    assert kg.stats(H)["nodes"] == 4
print(sorted(m for m in sys.modules if m.split(".")[0] in {{"spacy", "thinc"}}))
"""
    assert run(code).strip() == "[]"


@pytest.mark.model
def test_extract_records_is_the_one_entry_that_imports_spacy():
    out = run("import sys, kg\n"
              "p = kg.Paper(title='TinyBERT: Distilling BERT', abstract='We propose TinyBERT.', source='t')\n"
              "r = next(iter(kg.extract_records([p])))\n"
              "print('spacy' in sys.modules, [e['name'] for e in r['entities']])")
    assert out.strip() == "True ['TinyBERT']"


FUNCTIONS = [n for n in kg.__all__ if inspect.isfunction(getattr(kg, n))]


@pytest.mark.parametrize("name", FUNCTIONS)
def test_every_exported_function_has_a_numpydoc_docstring_with_examples(name):
    """The sections numpydoc names; the examples themselves run with the doctests of kg/."""
    doc = inspect.getdoc(getattr(kg, name))
    sections = {m.group(1) for m in re.finditer(r"^(\w+)\n-{3,}$", doc, re.M)}
    assert {"Parameters", "Examples"} <= sections and sections & {"Returns", "Yields"}, (name, sections)
    assert "\n>>> " in doc.split("Examples\n--------", 1)[1]


def test_the_exported_functions_are_many():
    assert len(FUNCTIONS) >= 18
