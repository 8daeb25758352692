"""A seeded random sample of a built graph's edges, to read and judge by hand.

    python bench/sample_edges.py outputs/graph.json                  # 100 edges, seed 0
    python bench/sample_edges.py out/graph.graphml -n 50 --seed 3 --relations based_on,distills_from
    python bench/sample_edges.py outputs/graph.json --json > sample.jsonl

Each line: the number, head -relation-> tail, the rule and extras (derivation, dataset, margin),
then the evidence sentence and the paper. The same graph, seed and size give the same sample.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kg.query import load  # noqa: E402


def edges(G, relations=None, exclude=("has_code",)) -> list:
    """Every edge as a dict, in a stable order (by edge key), filtered by relation."""
    out = []
    for u, v, k, d in sorted(G.edges(keys=True, data=True), key=lambda e: (str(e[2]), str(e[0]), str(e[1]))):
        rel = d.get("relation", "")
        if (relations and rel not in relations) or rel in exclude:
            continue
        out.append({"key": str(k), "head": G.nodes[u].get("label", u), "relation": rel,
                    "tail": G.nodes[v].get("label", v), "rule": d.get("rule", ""), "paper": d.get("paper", ""),
                    "sentence": d.get("sentence", ""),
                    **{x: d[x] for x in ("derivation", "dataset", "margin", "value") if d.get(x) not in (None, "")}})
    return out


def sample(G, n=100, seed=0, relations=None, exclude=("has_code",)) -> list:
    pool = edges(G, relations, exclude)
    return random.Random(seed).sample(pool, min(n, len(pool)))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("graph", type=Path, help="graph.json or graph.graphml")
    ap.add_argument("-n", type=int, default=100, help="edges to draw (default 100)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--relations", default="", help="only these relations (comma-separated)")
    ap.add_argument("--include-code", action="store_true", help="draw has_code edges too")
    ap.add_argument("--json", action="store_true", help="one JSON object a line")
    args = ap.parse_args(argv)
    G = load(args.graph)
    rels = set(filter(None, args.relations.split(",")))
    picked = sample(G, args.n, args.seed, rels or None, () if args.include_code else ("has_code",))
    for i, e in enumerate(picked, 1):
        if args.json:
            print(json.dumps(e, ensure_ascii=False))
            continue
        extra = " ".join(f"{k}={e[k]}" for k in ("derivation", "dataset", "margin", "value") if k in e)
        print(f"{i:3d}. {e['head']} -{e['relation']}-> {e['tail']}   [{e['rule']}] {extra}".rstrip())
        print(f"     \"{e['sentence']}\"")
        print(f"     ({e['paper']})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
