"""Lineage questions from the dev gold sets, asked of a graph built from their abstracts.

    python bench/lineage_questions.py                   # builds tests/data/gold/dev*.txt into a temporary dir
    python bench/lineage_questions.py --graph out/graph.json --verbose

Every gold ``based_on``, ``distills_from``, ``pretrained_on``, ``fine_tuned_on`` and ``trained_on``
relation (head H, tail T; a head of PAPER is the paper's title) gives two questions:
``kg query lineage H`` should list T, and ``kg query descendants T`` should list H. A name is
matched as the gold scorer matches it (lower case, letters and digits, "+" as "plus"), against
the gold entity's name and aliases. Prints how many of each kind are answered.
"""
from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kg.query import AmbiguousName, NodeNotFound, descendants, lineage, load  # noqa: E402

GOLD = ROOT / "tests" / "data" / "gold"
LINEAGE = ("based_on", "distills_from", "pretrained_on", "fine_tuned_on", "trained_on")


def norm(s) -> str:
    return re.sub(r"[^0-9a-z]+", "", str(s).lower().replace("+", "plus"))


def questions(gold_files) -> list:
    """(kind, asked name, accepted answers, relation, paper title) for each gold lineage relation."""
    out = []
    for path in gold_files:
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            g = json.loads(line)
            forms = {}
            for e in g["entities"]:
                names = [e["name"], *e.get("aliases", [])]
                for n in names:
                    forms[n] = names
            for r in g["relations"]:
                if r["relation"] not in LINEAGE:
                    continue
                head = g["title"] if r["head"] == "PAPER" else r["head"]
                heads, tails = forms.get(head, [head]), forms.get(r["tail"], [r["tail"]])
                out.append(("lineage", head, tails, r["relation"], g["title"]))
                out.append(("descendants", r["tail"], heads, r["relation"], g["title"]))
    return out


def answer(G, kind, name) -> list:
    fn = lineage if kind == "lineage" else descendants
    try:
        return [(r.name, r.relation) for r in fn(G, name)]
    except (NodeNotFound, AmbiguousName):
        return []


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--graph", type=Path, default=None, help="a built graph (default: build the dev sets)")
    ap.add_argument("--gold", nargs="*", type=Path, default=[GOLD / "dev.jsonl", GOLD / "dev-wide.jsonl"])
    ap.add_argument("--verbose", action="store_true", help="list every question and its answer")
    args = ap.parse_args(argv)
    graph = args.graph
    if graph is None:
        out = Path(tempfile.mkdtemp(prefix="kg-lineage-"))
        texts = [str(p.with_suffix(".txt")) for p in args.gold]
        subprocess.run([sys.executable, "-m", "kg", "build", "-o", str(out), "-q", "--no-cache", *texts], check=True)
        graph = out / "graph.json"
    G = load(graph)
    asked = questions(args.gold)
    score = {}
    for kind, name, accepted, rel, title in asked:
        got = answer(G, kind, name)
        keys = {norm(a) for a in accepted}
        hit = any(norm(n) in keys for n, _ in got)
        if not hit and kind == "descendants" and norm(name) and any(norm(n) == norm(title) for n, _ in got):
            hit = True
        ok, total = score.get(kind, (0, 0))
        score[kind] = (ok + hit, total + 1)
        if args.verbose:
            print(f"{'OK ' if hit else '-- '} {kind} {name!r} ({rel}) want {accepted[0]!r}: {[n for n, _ in got][:6]}")
    for kind in ("lineage", "descendants"):
        ok, total = score.get(kind, (0, 0))
        print(f"{kind}: {ok}/{total} answered")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
