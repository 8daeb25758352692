"""The extraction cache: keys, the rules hash, exact restores, and a cache that cannot break a build."""
import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from kg import cache
from kg.cache import ExtractionCache
from kg.read import Paper

KG = Path(cache.__file__).parent


def paper(title="MEAL V2: Boosting", abstract="We propose MEAL V2.", **kw):
    kw.setdefault("source", "a.txt")
    return Paper(title=title, abstract=abstract, **kw)


#: Cached text parts of the shape a record has (a row of another shape is a miss).
PART_A = {"title": "A", "entities": [{"name": "BERT", "type": "method"}], "relations": []}
PART_B = {"title": "B", "entities": [], "relations": [{"head": "X", "relation": "outperforms", "tail": "Y"}]}


def record(p: Paper, **extra) -> dict:
    """A record shaped like Extractor.record's."""
    rec = {"id": p.id, "title": p.title, "source": p.location, "date": p.date, "authors": p.authors,
           "entities": [{"name": "MEAL V2", "type": "method", "aliases": []}], "relations": []}
    if p.attrs.get("url"):
        rec["url"] = p.attrs["url"]
    rec.update(extra)
    return rec


@pytest.fixture
def kg_copy(tmp_path):
    """The package's sources, in a scratch directory."""
    root = tmp_path / "kg"
    shutil.copytree(KG, root, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "data"))
    return root


# ---------------------------------------------------------------------------
# keys

def test_rules_hash_is_stable(kg_copy):
    assert cache.rules_hash(kg_copy) == cache.rules_hash(kg_copy)


@pytest.mark.parametrize("name", ["patterns/relations.jsonl", "patterns/new_list.txt", "patterns/__init__.py",
                                  "extract.py", "relations.py", "entities.py", "seqmatch.py", "treematch.py",
                                  "resolve.py", "nlp.py"])
def test_rules_hash_changes_with_any_rule_file(kg_copy, name):
    before = cache.rules_hash(kg_copy)
    with open(kg_copy / name, "a", encoding="utf-8") as f:
        f.write("\n")
    assert cache.rules_hash(kg_copy) != before


@pytest.mark.parametrize("name", ["query.py", "graph.py", "export/html.py", "cli.py", "__init__.py"])
def test_rules_hash_ignores_code_extraction_does_not_run(kg_copy, name):
    before = cache.rules_hash(kg_copy)
    with open(kg_copy / name, "a", encoding="utf-8") as f:
        f.write("\n")
    assert cache.rules_hash(kg_copy) == before


@pytest.mark.parametrize("statement", ["from .split_out import f", "from . import split_out",
                                       "import kg.split_out", "from kg.split_out import f"])
def test_a_module_split_out_of_an_extraction_module_joins_the_rules_hash(kg_copy, statement):
    """A new module is counted because an extraction module imports it (here inside a function,
    as a lazy import), not because it is listed anywhere."""
    (kg_copy / "split_out.py").write_text("def f():\n    return 1\n", encoding="utf-8")
    before = cache.rules_hash(kg_copy)
    assert kg_copy / "split_out.py" not in cache.extraction_modules(kg_copy)
    with open(kg_copy / "relations.py", "a", encoding="utf-8") as f:
        f.write(f"\n\ndef _lazy():\n    {statement}\n")
    assert kg_copy / "split_out.py" in cache.extraction_modules(kg_copy)
    with_split = cache.rules_hash(kg_copy)
    assert with_split != before
    (kg_copy / "split_out.py").write_text("def f():\n    return 2\n", encoding="utf-8")
    assert cache.rules_hash(kg_copy) != with_split


def test_a_subpackage_module_and_its_package_join_the_rules_hash(kg_copy):
    (kg_copy / "rules").mkdir()
    (kg_copy / "rules" / "__init__.py").write_text("", encoding="utf-8")
    (kg_copy / "rules" / "heads.py").write_text("from ..resolve import canonical_key\n", encoding="utf-8")
    with open(kg_copy / "extract.py", "a", encoding="utf-8") as f:
        f.write("\nfrom .rules.heads import canonical_key as _k\n")
    found = {p.relative_to(kg_copy).as_posix() for p in cache.extraction_modules(kg_copy)}
    assert {"rules/__init__.py", "rules/heads.py", "resolve.py"} <= found


@pytest.mark.model
def test_every_kg_module_a_real_extraction_loads_is_in_the_rules_hash():
    """Run one extraction in a fresh interpreter and list the kg modules it loaded beyond what
    reading a paper needs: each must be one the rules hash reads."""
    script = """
import sys
import kg, kg.read
before = set(sys.modules)
from kg import nlp
from kg.extract import Extractor
model = nlp.load()
paper = kg.read.Paper(title="MEAL V2: Boosting ResNet-50", abstract="We propose MEAL V2, which outperforms ResNet-50 on ImageNet. Code: https://github.com/a/b.", source="t")
Extractor(model).record(model(paper.title + ". " + paper.abstract), paper)
for name in sorted(set(sys.modules) - before):
    if name.split(".")[0] == "kg" and getattr(sys.modules[name], "__file__", None):
        print(sys.modules[name].__file__)
"""
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    loaded = {Path(line).resolve() for line in out.split()}
    assert Path(KG / "relations.py").resolve() in loaded  # the script did run extraction
    assert loaded <= {p.resolve() for p in cache.extraction_modules()}, loaded


@pytest.mark.parametrize("name", ["export/html.py", "export/templates/graph.js", "export/new.py", "graph.py",
                                  "pipeline.py"])
def test_outputs_hash_changes_with_the_code_that_draws_the_graph_files(tmp_path, name):
    root = tmp_path / "kg"
    shutil.copytree(KG / "export", root / "export", ignore=shutil.ignore_patterns("__pycache__"))
    for m in cache.GRAPH_MODULES:
        shutil.copy(KG / m, root / m)
    before = cache.outputs_hash(root)
    assert cache.outputs_hash(root) == before
    with open(root / name, "a", encoding="utf-8") as f:
        f.write("\n")
    assert cache.outputs_hash(root) != before


def test_rules_hash_changes_when_a_pattern_file_is_renamed(kg_copy):
    before = cache.rules_hash(kg_copy)
    (kg_copy / "patterns" / "hedges.txt").rename(kg_copy / "patterns" / "hedges2.txt")
    assert cache.rules_hash(kg_copy) != before


def test_key_is_the_text_under_a_context():
    a = paper()
    assert cache.paper_key("c", a) == cache.paper_key("c", paper(source="b.txt", line=9, date="2020-01-01"))
    assert cache.paper_key("c", a) != cache.paper_key("d", a)
    assert cache.paper_key("c", a) != cache.paper_key("c", paper(abstract="We propose MEAL V3."))
    assert cache.paper_key("c", a) != cache.paper_key("c", paper(title="MEAL V3: Boosting"))
    # title and abstract are kept apart: moving text from one to the other is another key
    assert cache.paper_key("c", paper(title="A B", abstract="C")) != cache.paper_key("c", paper(title="A", abstract="B C"))


def test_context_names_model_and_rules():
    ctx = cache.context("en_core_web_sm-3.8.0", "abc")
    assert "en_core_web_sm-3.8.0" in ctx and "abc" in ctx
    assert cache.context("en_core_web_sm-3.7.1", "abc") != ctx


# ---------------------------------------------------------------------------
# exact restores

@pytest.mark.parametrize("kw", [{}, {"attrs": {"url": "https://x.org/p"}, "date": "2021-02-03", "authors": "3"}])
def test_restore_gives_the_fresh_record(kw):
    p = paper(**kw)
    rec = record(p)
    part = cache.text_part(rec, p)
    assert not set(part) & set(cache.PAPER_FIELDS)
    assert cache.restore(part, p) == rec
    # the same text under other metadata: the metadata is the new paper's
    q = paper(source="elsewhere.jsonl", line=7, date="1999-01-01", attrs={"url": "https://y.org"})
    assert cache.restore(part, q) == record(q)


def test_a_record_with_unexpected_metadata_is_not_cached():
    p = paper()
    assert cache.text_part(record(p, source="somewhere else"), p) is None


def test_restore_is_byte_identical_through_json():
    p = paper(attrs={"url": "u"})
    rec = record(p, relations=[{"head": "MEAL V2", "relation": "outperforms", "tail": "ResNet-50",
                                "sentence": "Ünïcode – text.", "start": 0, "end": 15, "rule": "r"}])
    part = json.loads(json.dumps(cache.text_part(rec, p), ensure_ascii=False, sort_keys=True))
    dump = lambda r: json.dumps(r, ensure_ascii=False, sort_keys=True)  # noqa: E731
    assert dump(cache.restore(part, p)) == dump(rec)


# ---------------------------------------------------------------------------
# the SQLite file

def test_round_trip_in_wal_mode(tmp_path):
    with ExtractionCache(tmp_path, "ctx") as c:
        assert c.enabled
        c.put_many([("k1", PART_A), ("k2", PART_B)])
        assert c.get_many(["k1", "k2", "k3"]) == {"k1": PART_A, "k2": PART_B}
        assert (c.hits, c.misses) == (2, 1)
    db = sqlite3.connect(tmp_path / cache.FILENAME)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")] == ["records"]


def test_many_keys_in_one_lookup(tmp_path):
    with ExtractionCache(tmp_path, "ctx") as c:
        c.put_many((f"k{i}", {**PART_A, "title": str(i)}) for i in range(1200))
        got = c.get_many([f"k{i}" for i in range(1300)])
    assert len(got) == 1200 and got["k1199"] == {**PART_A, "title": "1199"}


def test_rows_of_other_rules_are_dropped_on_open(tmp_path):
    with ExtractionCache(tmp_path, "old") as c:
        c.put_many([("k", PART_A)])
    with ExtractionCache(tmp_path, "new") as c:
        assert c.get_many(["k"]) == {}
    with ExtractionCache(tmp_path, "old") as c:
        assert c.get_many(["k"]) == {}


def test_a_corrupt_file_is_reported_and_rebuilt(tmp_path):
    (tmp_path / cache.FILENAME).write_bytes(b"this is not a database" * 100)
    warnings = []
    with ExtractionCache(tmp_path, "ctx", warn=lambda path, msg: warnings.append(msg)) as c:
        assert c.enabled
        c.put_many([("k", PART_A)])
        assert c.get_many(["k"]) == {"k": PART_A}
    assert len(warnings) == 1 and "rebuilt" in warnings[0]


def test_a_foreign_table_layout_is_rebuilt(tmp_path):
    db = sqlite3.connect(tmp_path / cache.FILENAME)
    db.execute("CREATE TABLE records (key TEXT, blob BLOB)")
    db.commit()
    db.close()
    warnings = []
    with ExtractionCache(tmp_path, "ctx", warn=lambda path, msg: warnings.append(msg)) as c:
        c.put_many([("k", PART_A)])
        assert c.get_many(["k"]) == {"k": PART_A}
    assert warnings


def test_a_damaged_value_is_a_miss(tmp_path):
    with ExtractionCache(tmp_path, "ctx") as c:
        c.put_many([("k", PART_A)])
        c.db.execute("UPDATE records SET value = '{not json'")
        assert c.get_many(["k"]) == {}


def test_an_unusable_directory_turns_the_cache_off(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    warnings = []
    c = ExtractionCache(blocker / "cache", "ctx", warn=lambda path, msg: warnings.append(msg))
    assert not c.enabled and warnings
    c.put_many([("k", PART_A)])  # quietly nothing
    assert c.get_many(["k"]) == {}
    c.close()
