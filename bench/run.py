"""Benchmark kg against spaCy parsing the same texts alone (the floor).

Every measured command runs as a child process; for each the harness records wall time,
the peak RSS of the largest single process (``ru_maxrss`` from ``wait4``) and the peak
summed RSS of the child's process tree (psutil, sampled every 0.1 s), and the sizes of
the files it wrote. Results are appended to ``bench/results/results.jsonl`` and printed
as a Markdown table.

    python bench/run.py --sizes 1000 10000                  # make corpora, run every step
    python bench/run.py --sizes 100000 --steps floor,build2,rebuild2
    python bench/run.py --bundled                           # the bundled corpus: floor vs kg extract
    python bench/run.py --sweep-batch 1000                  # nlp.pipe batch sizes, in one process
    python bench/run.py --sweep-processes 100,200,400,800   # one vs two processes on small inputs
    python bench/run.py --sweep-env 1000                    # worker BLAS/OpenMP threads: 1 vs inherited

Steps: ``floor`` (spaCy alone, one process), ``extract1`` (kg extract, one process, no
cache), ``build1`` (kg build, one process, no cache), ``build2`` (kg build, two
processes, a fresh cache), ``rebuild2`` (the same build again: everything from the cache),
``dask2`` (kg build --engine dask, two workers, no cache); ``floor64`` is the floor with
kg's batch size instead of spaCy's default. After ``build2``: ``reexport2`` is ``rebuild2``
without the build stamp (every record from the cache, the graph files written again) and
``update2`` builds a corpus with 1% more papers (those parsed, the rest from the cache).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: The kg source tree measured (--kg-root): a frozen copy keeps rule edits made by others
#: during a long run from invalidating the cache between two steps.
KG_ROOT = ROOT
RESULTS = ROOT / "bench" / "results"
PY = sys.executable
STEPS = ("floor", "extract1", "build1", "build2", "rebuild2")
EXCLUDE = ["ner", "lemmatizer", "attribute_ruler", "senter"]


# ---------------------------------------------------------------------------
# the floor: spaCy alone

FLOOR = r"""
import json, sys, time
t0 = time.perf_counter()
import spacy
sys.path.insert(0, {root!r})
from kg import read as readers
from kg import nlp as kg_nlp
texts = [p.abstract for p in readers.unique_papers(readers.read_papers({inputs!r}))]
t1 = time.perf_counter()
nlp = spacy.load(kg_nlp.default_model(), exclude={exclude!r})
t2 = time.perf_counter()
n = sum(1 for _ in nlp.pipe(texts, **({{"batch_size": {batch}}} if {batch} else {{}})))
t3 = time.perf_counter()
print(json.dumps({{"papers": n, "words": sum(len(t.split()) for t in texts), "pipes": nlp.pipe_names,
                  "batch_size": nlp.batch_size, "read_s": t1 - t0, "load_s": t2 - t1, "parse_s": t3 - t2}}))
"""


def machine() -> dict:
    cpu = ""
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = 0
    try:
        for line in open("/proc/meminfo"):
            if line.startswith("MemTotal"):
                ram = int(line.split()[1]) // 1024
    except OSError:
        pass
    import spacy

    return {"nproc": os.cpu_count(), "cpu": cpu, "ram_mb": ram, "python": platform.python_version(),
            "spacy": spacy.__version__}


# ---------------------------------------------------------------------------
# running and measuring a child

def measure(cmd: list[str], outputs: list[Path] = ()) -> dict:
    """Run ``cmd``; wall time, peak RSS (largest process and whole tree), output sizes."""
    import psutil

    env = dict(os.environ, PYTHONPATH=str(KG_ROOT))
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, cwd=KG_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak_tree = [0]
    done = threading.Event()

    def sample():
        try:
            root = psutil.Process(proc.pid)
        except psutil.Error:
            return
        while not done.is_set():
            try:
                procs = [root] + root.children(recursive=True)
                total = 0
                for p in procs:
                    try:
                        total += p.memory_info().rss
                    except psutil.Error:
                        pass
                peak_tree[0] = max(peak_tree[0], total)
            except psutil.Error:
                pass
            done.wait(0.1)

    t = threading.Thread(target=sample, daemon=True)
    t.start()
    out_chunks, err_chunks = [], []
    readers = [threading.Thread(target=lambda s=s, b=b: b.append(s.read()), daemon=True)
               for s, b in ((proc.stdout, out_chunks), (proc.stderr, err_chunks))]
    for r in readers:
        r.start()
    _, status, ru = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    done.set()
    for r in readers:
        r.join()
    t.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    res = {"cmd": " ".join(str(c) for c in cmd), "rc": proc.returncode, "wall_s": round(wall, 2),
           "maxrss_mb": round(ru.ru_maxrss / 1024), "tree_peak_mb": round(peak_tree[0] / 2**20),
           "stdout": "".join(out_chunks)[-2000:], "stderr": "".join(err_chunks)[-2000:]}
    sizes = {}
    for p in outputs:
        p = Path(p)
        if p.is_file():
            sizes[p.name] = p.stat().st_size
        elif p.is_dir():
            for f in sorted(p.iterdir()):
                if f.is_file():
                    sizes[f.name] = f.stat().st_size
    res["outputs"] = sizes
    if proc.returncode:
        print(f"bench: FAILED ({proc.returncode}): {res['cmd']}\n{res['stderr']}", file=sys.stderr)
    return res


def kg(*args) -> list[str]:
    return [PY, "-m", "kg", *map(str, args)]


def corpus_file(n: int) -> Path:
    path = RESULTS / f"corpus-{n}.jsonl"
    if not path.exists():
        subprocess.run([PY, str(ROOT / "bench" / "make_corpus.py"), str(n), "-o", str(path)], check=True)
    return path


def count(inputs: list[str]) -> tuple[int, int]:
    """Distinct papers and words of their abstracts, as kg reads them."""
    from kg.read import distinct_papers as read

    papers = words = 0
    for p in read(inputs):
        papers += 1
        words += len(p.abstract.split())
    return papers, words


def run_steps(label: str, inputs: list[str], steps: list[str], log, size: int = 0) -> list[dict]:
    work = RESULTS / f"run-{label}"
    rows = []
    floor = None
    papers, words = count(inputs)
    for step in steps:
        if step.startswith("floor"):  # floor: nlp.pipe's default batch size; floor64: batch_size=64
            code = FLOOR.format(root=str(KG_ROOT), inputs=inputs, exclude=EXCLUDE, batch=int(step[5:] or 0))
            r = measure([PY, "-c", code])
            floor = json.loads(r["stdout"].strip().splitlines()[-1]) if r["rc"] == 0 else None
            r["floor"] = floor
        elif step == "extract1":
            out = work / "extract1.jsonl"
            r = measure(kg("extract", *inputs, "-o", out, "-q", "--no-cache", "--n-process", 1), [out])
        elif step == "build1":
            out = work / "build1"
            r = measure(kg("build", *inputs, "-o", out, "-q", "--no-cache", "--n-process", 1), [out])
        elif step in ("build2", "rebuild2", "reexport2"):
            out = work / "build2"
            if step == "build2":
                shutil.rmtree(out, ignore_errors=True)
            if step == "reexport2":  # no build stamp: every record from the cache, graph files written again
                (out / ".cache" / "builds.json").unlink(missing_ok=True)
            r = measure(kg("build", *inputs, "-o", out, "-q", "--n-process", 2), [out])
        elif step == "update2":  # 1% more papers than build2's corpus: those are parsed, the rest cached
            out = work / "build2"
            more = [str(corpus_file(size + max(1, size // 100)))] if size else inputs
            r = measure(kg("build", *more, "-o", out, "-q", "--n-process", 2), [out])
        elif step == "dask2":
            out = work / "dask2"
            r = measure(kg("build", *inputs, "-o", out, "-q", "--no-cache", "--engine", "dask",
                           "--n-process", 2), [out])
        else:
            raise SystemExit(f"unknown step {step}")
        r.update(label=label, step=step, time=time.strftime("%Y-%m-%d %H:%M:%S"), papers=papers, words=words,
                 kg_root=str(KG_ROOT))
        rows.append(r)
        log.write(json.dumps(r) + "\n")
        log.flush()
        print(f"bench: {label} {step}: {r['wall_s']} s, maxrss {r['maxrss_mb']} MB, tree {r['tree_peak_mb']} MB",
              file=sys.stderr, flush=True)
    return rows


def table(rows: list[dict]) -> str:
    out = ["| corpus | step | papers/s | words/s | wall s | vs floor | peak RSS MB (largest / tree) | outputs |",
           "|---|---|---:|---:|---:|---:|---:|---|"]
    floors = {}  # label -> the latest floor row before this one
    for r in rows:
        if r["step"] == "floor" and r["rc"] == 0:
            floors[r["label"]] = r
        papers, words = r.get("papers"), r.get("words")
        pps = f"{papers / r['wall_s']:.1f}" if papers else ""
        wps = f"{words / r['wall_s']:,.0f}" if words else ""
        f = floors.get(r["label"])
        ratio = f"{f['wall_s'] / r['wall_s']:.2f}" if f and r["step"] != "floor" else ""
        outs = ", ".join(f"{k} {v / 2**20:.1f} MB" for k, v in r.get("outputs", {}).items() if not k.startswith("."))
        out.append(f"| {r['label']} | {r['step']} | {pps} | {wps} | {r['wall_s']} | {ratio} | "
                   f"{r['maxrss_mb']} / {r['tree_peak_mb']} | {outs} |")
    return "\n".join(out)


# ---------------------------------------------------------------------------
# sweeps (in one process)

SWEEP_BATCH = r"""
import json, sys, time
sys.path.insert(0, {root!r})
from kg import read as readers
from kg import engines
from kg.nlp import default_model
papers = list(readers.unique_papers(readers.read_papers({inputs!r})))
model = default_model()
nlp, ex = engines.worker_extractor(model)  # loaded once, outside the timing
out = {{}}
for _ in range(2):  # two rounds, interleaved; the best of each
    for bs in {sizes!r}:
        t = time.perf_counter()
        for _ in nlp.pipe((p.abstract for p in papers), batch_size=bs):
            pass
        parse = time.perf_counter() - t
        t = time.perf_counter()
        engines.extract_batch(model, bs, papers)
        kg = time.perf_counter() - t
        best = out.setdefault(bs, {{"parse_pps": 0, "kg_pps": 0}})
        best["parse_pps"] = round(max(best["parse_pps"], len(papers) / parse), 1)
        best["kg_pps"] = round(max(best["kg_pps"], len(papers) / kg), 1)
print(json.dumps(out))
"""

SWEEP_PROC = r"""
import json, sys, time
sys.path.insert(0, {root!r})
from kg import pipeline
pipeline.MIN_PAPERS_FOR_PROCESSES = 0
if {no_env}:
    from kg import engines
    engines.WORKER_ENV = {{}}
t = time.perf_counter()
r = pipeline.extract_to_file({inputs!r}, {out!r}, pipeline.BuildOptions(n_process={n}))
print(json.dumps({{"papers": r.papers, "seconds": time.perf_counter() - t, "engine": r.stats["engine"]}}))
"""


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="*", default=[])
    ap.add_argument("--bundled", action="store_true", help="floor vs kg extract on the bundled corpus")
    ap.add_argument("--steps", default=",".join(STEPS))
    ap.add_argument("--repeat", type=int, default=1, help="repeat the steps (interleaved) this many times")
    ap.add_argument("--sweep-batch", type=int, default=0, metavar="N", help="batch-size sweep over N papers")
    ap.add_argument("--sweep-processes", default="", metavar="N,N,..", help="1 vs 2 processes on small inputs")
    ap.add_argument("--sweep-env", type=int, default=0, metavar="N",
                    help="two processes on N papers with and without the one-thread BLAS/OpenMP settings")
    ap.add_argument("--kg-root", type=Path, default=None,
                    help="measure the kg package under this directory, e.g. a `git archive HEAD` copy")
    a = ap.parse_args(argv)
    global KG_ROOT
    KG_ROOT = (a.kg_root or ROOT).resolve()
    sys.path.insert(0, str(KG_ROOT))
    RESULTS.mkdir(parents=True, exist_ok=True)
    print("machine:", json.dumps(machine()), "kg:", KG_ROOT, file=sys.stderr)
    rows = []
    with open(RESULTS / "results.jsonl", "a", encoding="utf-8") as log:
        for _ in range(a.repeat):
            if a.bundled:
                from kg.read import bundled_corpus

                rows += run_steps("bundled", [str(bundled_corpus())], a.steps.split(","), log)
            for n in a.sizes:
                rows += run_steps(f"{n // 1000}K" if n >= 1000 else str(n), [str(corpus_file(n))],
                                  a.steps.split(","), log, size=n)
    if rows:
        print(table(rows))
    if a.sweep_batch:
        code = SWEEP_BATCH.format(root=str(KG_ROOT), inputs=[str(corpus_file(a.sweep_batch))],
                                  sizes=[8, 16, 32, 64, 128, 256, 1000])
        r = measure([PY, "-c", code])
        print("batch size sweep (papers/s):", r["stdout"] or r["stderr"])
    if a.sweep_processes:
        for n in map(int, a.sweep_processes.split(",")):
            src = corpus_file(n)
            for procs in (1, 2):
                code = SWEEP_PROC.format(root=str(KG_ROOT), inputs=[str(src)], out=str(RESULTS / "sweep.jsonl"),
                                         n=procs, no_env=False)
                r = measure([PY, "-c", code])
                print(f"{n} papers, {procs} process(es): wall {r['wall_s']} s {r['stdout'].strip()}", flush=True)
    if a.sweep_env:
        src = corpus_file(a.sweep_env)
        for no_env in (False, True, False, True):
            code = SWEEP_PROC.format(root=str(KG_ROOT), inputs=[str(src)], out=str(RESULTS / "sweep.jsonl"),
                                     n=2, no_env=no_env)
            r = measure([PY, "-c", code])
            env = "inherited BLAS/OpenMP settings" if no_env else "OPENBLAS/OMP/MKL_NUM_THREADS=1"
            print(f"{a.sweep_env} papers, 2 processes, {env}: wall {r['wall_s']} s {r['stdout'].strip()}", flush=True)


if __name__ == "__main__":
    main()
