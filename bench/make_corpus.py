"""A synthetic corpus of any size, resampled from kg's bundled abstracts.

Paper ``i`` is bundled abstract ``i mod B`` (B distinct bundled papers) in variant
``v = i div B``. Variant 0 is the abstract as bundled; in every other variant each name in
the title and abstract (a word with an inner capital or a digit: ImageNet, ResNet-50, BERT)
is, consistently within that abstract,

* kept, with probability 0.5 - popular names still meet across papers;
* given a suffix from a small pool (ResNet-50-Lite, BERT-XL), 0.3 - recurring variants;
* replaced by a made-up CamelCase name (ZorvexNet, KaluFormer), 0.2 - new entities,

so entity resolution has real work at every size. Titles get " (study v)" so that no two
papers are the same paper. The output is JSON Lines (id, title, abstract, date), the same
for the same size and seed.

    python bench/make_corpus.py 10000 -o bench/results/corpus-10000.jsonl
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kg import read as readers  # noqa: E402

SUFFIXES = ["Lite", "XL", "Pro", "v2", "v3", "Tiny", "Base", "Large", "Plus", "Max"]
HEADS = ["Ka", "Lo", "Mi", "Ra", "Tu", "Zor", "Qi", "Den", "Sol", "Vex", "Bri", "Nym", "Ori", "Pex", "Ulu"]
MIDS = ["lu", "van", "ter", "rix", "mo", "sa", "den", "qua"]
TAILS = ["Net", "Former", "GAN", "BERT", "Seg", "Flow", "Mix", "CLIP", "Bench", "QA"]

_WORD = re.compile(r"(?<![\w-])[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*(?![\w-])")
_NAME = re.compile(r"[a-z][A-Z]|[A-Z]{2}|[A-Za-z]\d|\d[A-Za-z]")


def names_in(text: str) -> list[str]:
    """Name-shaped words of a text, longest first."""
    return sorted({w for w in _WORD.findall(text) if _NAME.search(w)}, key=lambda w: (-len(w), w))


def variant_map(names: list[str], rng: random.Random) -> dict[str, str]:
    out = {}
    for name in names:
        r = rng.random()
        if r < 0.5:
            continue
        if r < 0.8:
            out[name] = f"{name}-{rng.choice(SUFFIXES)}"
        else:
            out[name] = rng.choice(HEADS) + rng.choice(MIDS) + rng.choice(TAILS)
    return out


def apply(text: str, mapping: dict[str, str]) -> str:
    if not mapping:
        return text
    return _WORD.sub(lambda m: mapping.get(m.group(0), m.group(0)), text)


def bundled() -> list[readers.Paper]:
    return list(readers.unique_papers(readers.read_papers([readers.bundled_corpus()])))


def synthetic(n: int, seed: int = 0):
    """``n`` papers as dicts, resampled from the bundled abstracts."""
    base = bundled()
    for i in range(n):
        p = base[i % len(base)]
        v = i // len(base)
        title, abstract = p.title, p.abstract
        if v:
            rng = random.Random(f"{seed}:{i}")
            mapping = variant_map(names_in(title + " " + abstract), rng)
            title = f"{apply(title, mapping)} (study {v})"
            abstract = apply(abstract, mapping)
        yield {"id": f"syn{i:06d}", "title": title, "abstract": abstract, "date": p.date or "2024-01-01"}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("n", type=int, help="papers")
    ap.add_argument("-o", "--out", type=Path, required=True, help="JSON Lines file to write")
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args(argv)
    a.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = a.out.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8") as f:
        for rec in synthetic(a.n, a.seed):
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    tmp.replace(a.out)


if __name__ == "__main__":
    main()
