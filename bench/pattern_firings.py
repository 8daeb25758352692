"""Where each relation and entity pattern fires: the abstracts of the bundled corpus and of both dev sets.

    python bench/pattern_firings.py                 # writes tests/data/pattern_firings.json
    python bench/pattern_firings.py --show based_on # the abstracts and sentences of one pattern

The file maps every pattern id of ``kg/patterns/relations*.jsonl`` to the sorted list of
``"<set>:<title>"`` where a relation with that rule was extracted (``rule`` split on "+").
``tests/test_patterns.py`` reads it: a pattern firing on fewer than three abstracts must carry a
``note`` in its entry naming the general wording it stands for (or be widened or removed).
The entity patterns (``entity_shapes.jsonl``, ``entity_context.jsonl``, ``not_entity_shapes.jsonl``)
go to ``tests/data/entity_pattern_firings.json`` the same way: a mention's rule, or the not-entity
shape that stops a candidate name; each must fire on at least one abstract.
Run it again after changing a pattern or the entity rules.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kg.read import Report, read_papers  # noqa: E402
from kg.extract import Extractor  # noqa: E402
from kg.nlp import load  # noqa: E402
from kg.patterns import read_jsonl  # noqa: E402
from kg.entities import find_abbreviations, not_entity_shape  # noqa: E402

SETS = {"seeds": None, "dev": ROOT / "tests" / "data" / "gold" / "dev.txt",
        "dev-wide": ROOT / "tests" / "data" / "gold" / "dev-wide.txt"}
OUT = ROOT / "tests" / "data" / "pattern_firings.json"
ENTITY_OUT = ROOT / "tests" / "data" / "entity_pattern_firings.json"
#: the entity pattern files: name shapes and naming phrases (a mention's rule), and the shapes of
#: names that are no entities (a candidate name they stop)
ENTITY_FILES = ("entity_shapes.jsonl", "entity_context.jsonl", "not_entity_shapes.jsonl")


def pattern_ids() -> list:
    return [p["id"] for name in ("relations.jsonl", "relations_surface.jsonl") for p in read_jsonl(name)]


def entity_pattern_ids() -> list:
    return [p["id"] for name in ENTITY_FILES for p in read_jsonl(name)]


def entity_firings(extractor, doc) -> set:
    """(pattern id, text) of the entity patterns that fire on a parsed abstract: the rule of each
    mention found, and the not-entity shape of each candidate name (one the entity rules stopped,
    a shape match, an acronym's long form) that stops it."""
    finder = extractor.entities
    stopped = []
    finder.on_stop = stopped.append
    try:
        out = {(m.rule, m.text) for m in finder(doc)}
    finally:
        finder.on_stop = None
    texts = stopped + [doc[s:e].text for _, s, e in finder.shape_matcher(doc)]
    texts += [long.text for long, _ in find_abbreviations(doc)]
    for text in texts:
        rid = not_entity_shape(text.strip())
        if rid is not None:
            out.add((rid, text))
    return out


def firings(sets: dict) -> tuple[dict, dict]:
    """{pattern id: sorted abstracts} and {pattern id: [(abstract, sentence)]}."""
    nlp = load()
    extractor = Extractor(nlp)
    fired = {pid: set() for pid in pattern_ids() + entity_pattern_ids()}
    where = {pid: [] for pid in fired}
    for set_name, path in sets.items():
        papers = list(read_papers([path] if path else [], Report()))  # none: the bundled corpus
        for doc, paper in zip(nlp.pipe((p.abstract for p in papers), batch_size=64), papers):
            for rule, text in sorted(entity_firings(extractor, doc)):
                if rule in fired:
                    key = f"{set_name}:{paper.title}"
                    fired[rule].add(key)
                    where[rule].append((key, text))
            for r in extractor.record(doc, paper)["relations"]:
                for rule in r["rule"].split("+"):
                    if rule in fired:
                        key = f"{set_name}:{paper.title}"
                        fired[rule].add(key)
                        where[rule].append((key, f"{r['head']} -{r['relation']}-> {r['tail']} :: {r['sentence']}"))
    return {pid: sorted(v) for pid, v in fired.items()}, where


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=Path, default=None, help="the bundled corpus (default: the package's)")
    ap.add_argument("--show", default=None, help="print where these patterns (comma-separated) fire instead of writing the file")
    args = ap.parse_args(argv)
    sets = dict(SETS)
    if args.seeds:
        sets["seeds"] = args.seeds
    fired, where = firings(sets)
    if args.show:
        for pid in args.show.split(","):
            for key, line in where[pid]:
                print(pid, "|", key[:80], "\n    ", line[:300])
        return 0
    entity_ids = set(entity_pattern_ids())
    for path, keep in ((OUT, lambda pid: pid not in entity_ids), (ENTITY_OUT, lambda pid: pid in entity_ids)):
        part = {pid: keys for pid, keys in fired.items() if keep(pid)}
        path.write_text(json.dumps(part, indent=1, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
    for pid, keys in sorted(fired.items(), key=lambda kv: len(kv[1])):
        print(f"{len(keys):4d}  {pid}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
