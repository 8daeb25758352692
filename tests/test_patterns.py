"""The pattern loader reads every file of kg/patterns; every pattern-file entry has a test
sentence, and the sentence fires it (real parser)."""
import json
import re
from pathlib import Path

import pytest

import kg.patterns
from kg.read import Paper
from kg.patterns import read_json, read_jsonl, read_table, read_words
from kg.resolve import canonical_key

RELATION_ENTRIES = read_jsonl("relations.jsonl") + read_jsonl("relations_surface.jsonl")
ENTITY_ENTRIES = read_jsonl("entity_shapes.jsonl") + read_jsonl("entity_context.jsonl")


PATTERN_FILES = sorted(p.name for p in kg.patterns.FOLDER.iterdir() if p.is_file() and not p.name.endswith(".py"))
LOADERS = {".jsonl": read_jsonl, ".txt": read_words, ".json": read_json, ".tsv": read_table}


@pytest.mark.parametrize("name", PATTERN_FILES)
def test_every_pattern_file_has_its_format_stated_and_is_read_by_the_loader(name):
    assert f"``{name}``" in kg.patterns.__doc__, f"{name} is not described in kg/patterns/__init__.py"
    loader = LOADERS[Path(name).suffix]
    data = loader(name)
    assert data and loader(name) is data  # read once, then served from the cache
    if loader is read_words:
        assert all(w == w.strip() and not w.startswith("#") for w in data)
    if loader is read_json:
        assert not any(k.startswith("_") for k in data)
    if loader is read_jsonl:
        assert all(isinstance(p, dict) and p["id"] and p["pattern"] for p in data)


@pytest.mark.parametrize("name", PATTERN_FILES)
def test_pattern_files_refer_only_to_documents_the_project_holds(name):
    root = Path(kg.patterns.__file__).resolve().parents[2]
    for doc in re.findall(r"[\w-]+\.md\b", kg.patterns.path(name).read_text(encoding="utf-8")):
        assert (root / doc).is_file(), f"{name} refers to {doc}, which the project does not hold"


def test_every_entry_has_examples():
    for p in RELATION_ENTRIES:
        assert p.get("examples"), p["id"]
        # [sentence, head, tail] or, where the trigger's prefix decides the relation ("pre-trained"),
        # [sentence, head, tail, relation]
        assert all(len(ex) in (3, 4) for ex in p["examples"]), p["id"]
    for p in ENTITY_ENTRIES:
        assert p.get("examples"), p["id"]


def test_pattern_ids_are_unique():
    ids = [p["id"] for p in RELATION_ENTRIES + ENTITY_ENTRIES]
    assert len(ids) == len(set(ids))


@pytest.mark.model
@pytest.mark.parametrize("entry", RELATION_ENTRIES, ids=lambda p: p["id"])
def test_relation_example_fires(extractor, nlp, entry):
    for sentence, head, tail, *given in entry["examples"]:
        relation = given[0] if given else entry["relation"]
        paper = Paper(title="A paper about things", abstract=sentence, source="t")
        rec = extractor.record(nlp(sentence), paper)
        got = {(canonical_key(r["head"]) if r["head"] != paper.title else "PAPER", r["relation"], canonical_key(r["tail"]))
               for r in rec["relations"]}
        want = (canonical_key(head) if head != "PAPER" else "PAPER", relation, canonical_key(tail))
        assert want in got, f"{entry['id']}: {sentence!r} gave {sorted(got)}"
        assert any(entry["id"] in r["rule"].split("+") for r in rec["relations"] if r["relation"] == relation), \
            f"{entry['id']} did not fire on {sentence!r}: {[(r['rule'], r['tail']) for r in rec['relations']]}"


@pytest.mark.model
@pytest.mark.parametrize("entry", ENTITY_ENTRIES, ids=lambda p: p["id"])
def test_entity_example_fires(extractor, nlp, entry):
    for sentence, expected in entry["examples"]:
        mentions = extractor.entities(nlp(sentence))
        texts = {m.text for m in mentions}
        for name in expected:
            assert name in texts, f"{entry['id']}: {name!r} not found in {sentence!r}: {sorted(texts)}"
        assert any(m.rule == entry["id"] for m in mentions), \
            f"{entry['id']} did not fire on {sentence!r}: {[(m.text, m.rule) for m in mentions]}"


TITLE_ENTRIES = [p for p in RELATION_ENTRIES if p.get("title_examples")]


@pytest.mark.model
@pytest.mark.parametrize("entry", TITLE_ENTRIES, ids=lambda p: p["id"])
def test_title_example_fires(extractor, nlp, entry):
    for title, head, tail in entry["title_examples"]:
        paper = Paper(title=title, abstract="We study this model.", source="t")
        rec = extractor.record(nlp(paper.abstract), paper)
        got = {(r["head"], r["relation"], r["tail"], r.get("section")) for r in rec["relations"]}
        assert (head, entry["relation"], tail, "title") in got, got


@pytest.mark.model
@pytest.mark.parametrize("title, expected", [
    ("MEAL V2: Boosting Vanilla ResNet-50 to 80%+ Top-1 Accuracy", ("MEAL V2", "method")),
    ("The MAMe Dataset: On the relevance of High Resolution", ("MAMe", "dataset")),
    ("SlideImages: A Dataset for Educational Image Classification", ("SlideImages", "dataset")),
    ("PASS: An ImageNet replacement for self-supervised pretraining", ("PASS", "dataset")),
    ("FYI: Flip Your Images for Dataset Distillation", ("FYI", "method")),
    ("DataDAM: Efficient Dataset Distillation with Attention Matching", ("DataDAM", "method")),
    ("Re-assessing ImageNet: How aligned is its single-label assumption?", (None, None)),
    ("Deep Learning for Case-Based Reasoning through Prototypes: A Neural Network", (None, None)),
])
def test_title_prefix_words(extractor, title, expected):
    """title.json: suffixes stripped from the name, dataset nouns in the rest of the title."""
    from kg.extract import EntityTable

    assert extractor.title_name(title, EntityTable()) == expected


@pytest.mark.model
@pytest.mark.parametrize("cue", sorted(w.split(":", 1)[1] for w in read_words("self_reference.txt")
                                       if w.startswith("cue:")))
def test_self_reference_cues_open_a_sentence_with_one_entity(extractor, nlp, cue):
    """A sentence naming one entity is read for relations when it holds a cue word (self_reference.txt)."""
    sentence = f"PokeBNN, a {cue} binary network, is accurate."
    paper = Paper(title="A paper about things", abstract=sentence, source="t")
    rec = extractor.record(nlp(sentence), paper)
    assert [(r["relation"], r["tail"], r["rule"]) for r in rec["relations"]] == \
        [("introduces", "PokeBNN", "intro_novel_appos")]


FIRINGS = json.loads((Path(__file__).parent / "data" / "pattern_firings.json").read_text(encoding="utf-8"))


def test_firings_list_every_relation_pattern():
    # bench/pattern_firings.py writes where each pattern fires on the bundled corpus and both dev
    # sets; a pattern added without running it again fails here
    ids = {p["id"] for p in RELATION_ENTRIES}
    assert ids == set(FIRINGS), f"run bench/pattern_firings.py: {sorted(ids ^ set(FIRINGS))}"
    for pid, where in FIRINGS.items():
        assert all(w.split(":", 1)[0] in {"seeds", "dev", "dev-wide"} for w in where), pid


@pytest.mark.parametrize("entry", RELATION_ENTRIES, ids=lambda p: p["id"])
def test_rare_pattern_names_its_general_wording(entry):
    # a pattern firing on fewer than three abstracts besides its own examples is widened, removed,
    # or states in a note the general wording it stands for ("is outperformed by" stays)
    where = FIRINGS.get(entry["id"], [])
    if len(where) < 3:
        note = entry.get("note", "")
        assert len(note.split()) >= 3, f"{entry['id']} fires on {len(where)} abstracts and has no note"


NOT_ENTITY_SHAPES = read_jsonl("not_entity_shapes.jsonl")


@pytest.mark.parametrize("entry", NOT_ENTITY_SHAPES, ids=lambda p: p["id"])
def test_not_entity_shape_examples(entry):
    """not_entity_shapes.jsonl: every example has the shape, and names of entities do not."""
    from kg.entities import is_stopped, not_entity_shape

    for ex in entry["examples"]:
        assert not_entity_shape(ex) == entry["id"] and is_stopped(ex), ex
    for name in ["ResNet-50", "DeiT", "fastText", "BERT-base", "wav2vec 2.0", "Faster R-CNN", "APNet", "NF4",
                 "Decoupled Knowledge Distillation", "Llama 2 13B", "WMT14", "E5"]:
        assert not_entity_shape(name) is None, (entry["id"], name)


@pytest.mark.model
@pytest.mark.parametrize("entry", NOT_ENTITY_SHAPES, ids=lambda p: p["id"])
def test_not_entity_shape_sentence(extractor, nlp, entry):
    """The entry's sentence names none of its examples as an entity."""
    found = {canonical_key(m.text) for m in extractor.entities(nlp(entry["sentence"]))}
    shaped = {canonical_key(w) for w in entry["examples"]}
    assert entry["sentence"] and not found & shaped, (entry["id"], found)


def test_lexicon_file_parses():
    """lexicon.tsv: its header names each source with version and licence; rows are name, type, source."""
    header = [ln for ln in kg.patterns.path("lexicon.tsv").read_text(encoding="utf-8").splitlines() if ln.startswith("#")]
    rows = read_table("lexicon.tsv")
    for source in ("transformers", "timm", "torchvision", "tensorflow-datasets"):
        assert any(source in h and re.search(r"\d+\.\d+.*\((?:Apache-2\.0|BSD-3-Clause)\)", h) for h in header), source
    assert len(rows) > 1000 and all(len(r) == 3 and r[1] in {"method", "dataset"} and r[0].strip() for r in rows)
    names = {canonical_key(r[0]): r[1] for r in rows}
    assert names["librispeech"] == "dataset" and names["wav2vec2"] == "method"


ENTITY_FIRINGS = json.loads((Path(__file__).parent / "data" / "entity_pattern_firings.json").read_text(encoding="utf-8"))
ENTITY_PATTERNS = ENTITY_ENTRIES + NOT_ENTITY_SHAPES


def test_entity_firings_list_every_entity_pattern():
    # bench/pattern_firings.py writes where each entity pattern fires (a mention's rule, or the
    # not-entity shape that stops a candidate name); a pattern added without running it again fails here
    ids = {p["id"] for p in ENTITY_PATTERNS}
    assert ids == set(ENTITY_FIRINGS), f"run bench/pattern_firings.py: {sorted(ids ^ set(ENTITY_FIRINGS))}"
    for pid, where in ENTITY_FIRINGS.items():
        assert all(w.split(":", 1)[0] in {"seeds", "dev", "dev-wide"} for w in where), pid


@pytest.mark.parametrize("entry", ENTITY_PATTERNS, ids=lambda p: p["id"])
def test_entity_pattern_fires_on_an_abstract(entry):
    # an entity pattern that fires on no abstract of the bundled corpus or the dev sets (its test
    # sentence aside) is fit to its example: widen it or remove it
    assert ENTITY_FIRINGS.get(entry["id"]), f"{entry['id']} fires on no abstract"
