"""Nothing lost, nothing injected: hostile and adversarial input, atomic and deterministic outputs.

* adversarial strings (50k characters of "a-", "$", "\\", "(", ...) through the readers and
  through extraction, each under a time bound, and every regular expression of kg on the
  longest input it can be given;
* HTML/JS payloads in titles, abstracts and URLs: only http(s) URLs become repositories,
  and graph.html never holds a payload outside its escaped data;
* outputs replaced all together or not at all, also when a build is interrupted by Ctrl-C
  or SIGTERM; the same input gives byte-identical outputs.
"""
import importlib
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from kg import read as readers
from kg.read import Report, read_papers

ROOT = Path(__file__).resolve().parents[1]
OUTPUTS = ("extractions.jsonl", "graph.graphml", "graph.json", "graph.html")

N = 50_000
ADVERSARIAL = {
    "a-": "a-" * (N // 2),
    "dollars": "$" * N,
    "backslashes": "\\" * N,
    "parens": "(" * N,
    "closing": ")" * N,
    "colons": ":" * N,
    "braces": "{" * N,
    "long token": "a" * N,
    "camel token": "aA" * (N // 2 - 1) + "#!",
    "capitals token": "A" * (N - 2) + "#!",
    "hyphen runs": "A-" * (N // 2 - 1) + "--",
    "long url": "see https://github.com/" + "a/" * (N // 2 - 20) + " for code",
    "url of dots": "http://" + "a." * (N // 2 - 10),
    "latex commands": "\\textbf{" * (N // 8),
    "latex cites": "\\cite[" * (N // 6),
    "chain after a claim": "ResNet-50 outperforms ViT-B on ImageNet " + "[" * N,
    "accents": "\\'" * (N // 2),
    "math": "$x$ " * (N // 4),
    "spaces": "a" + " " * N + "b",
    "sentences": "ResNet-50 outperforms ViT (ViT) on ImageNet by 2%. " * (N // 52),
    "open parens in words": "We propose ResNet-50 (" * (N // 22),
    "digits": "1." * (N // 2) + "x",
    "html": "<script>alert(1)</script>" * (N // 25),
}
READ_BOUND = 3.0  # seconds per adversarial input through a reader (they take milliseconds)
EXTRACT_BOUND = 10.0  # seconds per adversarial abstract through spaCy and extraction (most take 1-3 s)
REGEX_BOUND = 1.0


def _timed(fn):
    t = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t


def _as_files(tmp_path, name, text):
    """The adversarial text as a listing page, a JSON Lines record and a CSV row."""
    slug = re.sub(r"\W+", "_", name)
    listing = tmp_path / f"{slug}.txt"
    listing.write_text(f"Title {name}\n{text}\n{text}\n", encoding="utf-8")
    jsonl = tmp_path / f"{slug}.jsonl"
    jsonl.write_text(json.dumps({"title": text, "abstract": text, "authors": text, "date": text, "url": text}) + "\n"
                     + text + "\n", encoding="utf-8")
    csv = tmp_path / f"{slug}.csv"
    quoted = text.replace('"', '""')
    csv.write_text(f'title,abstract\n"{quoted}","{quoted}"\n{text},{text}\n', encoding="utf-8")
    return [listing, jsonl, csv]


@pytest.mark.parametrize("name", list(ADVERSARIAL))
def test_adversarial_text_through_the_readers(tmp_path, name):
    for path in _as_files(tmp_path, name, ADVERSARIAL[name]):
        report = Report()
        papers, seconds = _timed(lambda: list(read_papers([path], report)))
        assert seconds < READ_BOUND, f"{path.name}: {seconds:.1f} s"
        for p in papers:  # whatever was read is within the limits
            assert len(p.abstract) <= readers.MAX_ABSTRACT_CHARS and len(p.title) <= readers.MAX_TITLE_CHARS
            assert max((len(w) for w in p.abstract.split()), default=0) <= readers.MAX_WORD_CHARS


def _kg_patterns():
    """Every module-level regular expression of kg's reading and extraction modules, and
    the token shapes of kg/patterns/shapes.json."""
    import pkgutil

    from kg import entities, extract, patterns, relations, resolve

    read_modules = [importlib.import_module(f"kg.read.{m.name}") for m in pkgutil.iter_modules(readers.__path__)]
    assert len(read_modules) >= 8
    out = [(f"{m.__name__}.{k}", v) for m in (*read_modules, entities, relations, extract, resolve)
           for k, v in vars(m).items() if isinstance(v, re.Pattern)]
    out += [(f"shapes.json {k}", re.compile(v)) for k, v in patterns.shapes().items()]
    return out


def _limited(text):
    """What text becomes before anything but the readers sees it: cleaned, cut, broken up."""
    p = readers.Paper(title=readers.clean_text(text), abstract=readers.clean_text(text), source="x")
    return readers.apply_limits(p, Report())


@pytest.mark.parametrize("name, pattern", _kg_patterns(), ids=lambda x: x if isinstance(x, str) else "")
def test_no_regex_backtracks_on_the_longest_input_it_can_get(name, pattern):
    for adv_name, text in ADVERSARIAL.items():
        if name.startswith("kg.read."):
            inputs = [text]  # the readers see raw text of any length
        else:  # the rest sees cleaned, limited text: whole abstracts, titles, and single words
            p = _limited(text)
            inputs = [p.abstract, p.title, *sorted(set(p.abstract.split()), key=len)[-3:]]
        for s in inputs:
            _, seconds = _timed(lambda: (pattern.search(s), pattern.match(s), sum(1 for _ in pattern.finditer(s))))
            assert seconds < REGEX_BOUND, f"{name} on {adv_name!r} ({len(s)} chars): {seconds:.1f} s"


# "[[[[..." parses as one chain thousands of tokens deep: spaCy's DependencyMatcher, which walks
# every matched token's ancestors (time = tokens x depth), took 19 s for this abstract over the
# whole Doc; kg.treematch follows the parse only from trigger words, in sentences with an entity.
@pytest.mark.model
@pytest.mark.parametrize("name", list(ADVERSARIAL))
def test_adversarial_abstracts_through_extraction(tmp_path, nlp, extractor, name):
    """The path a record takes: reader (clean-up, limits), spaCy, then extraction."""
    text = ADVERSARIAL[name]
    path = tmp_path / "x.jsonl"
    path.write_text(json.dumps({"title": f"{name}: {text}", "abstract": f"We propose X. {text}"}) + "\n")
    (paper,) = read_papers([path], Report())
    rec, seconds = _timed(lambda: extractor.record(nlp(paper.abstract), paper))
    assert rec["title"] == paper.title
    assert seconds < EXTRACT_BOUND, f"{seconds:.1f} s"


# ---------------------------------------------------------------------------
# hostile text

HOSTILE_URLS = [
    ("javascript:alert(1)", None),
    ("data:text/html,<script>alert(1)</script>", None),
    ("<img src=x onerror=alert(1)>", None),
    ("vbscript:msgbox(1)", None),
    ('https://evil.example/x"onmouseover="alert(1)', "https://evil.example/x"),
    ("https://evil.example/<script>alert(1)</script>", "https://evil.example"),
    ("https://github.com/a/b'><script>", "https://github.com/a/b"),
    ("HTTPS://GitHub.com/A/B.git).", "HTTPS://GitHub.com/A/B"),
    ("ftp://files.example/pub/model", None),
    ("file:///etc/passwd", None),
]


@pytest.mark.parametrize("text, url", HOSTILE_URLS)
def test_only_http_urls_become_repositories(text, url):
    import spacy

    from kg.entities import find_urls

    doc = spacy.blank("en")(f"Code is at {text} now.")
    found = [m.text for m in find_urls(doc)]
    assert found == ([url] if url else [])
    for u in found:
        assert re.match(r"^https?://[^\s<>\"'`]+$", u, re.I)


PAYLOADS = {
    "title": 'Evil<script>alert("t")</script> Net: <img src=x onerror=alert(1)> "quoted\' title',
    "abstract": ('We propose EvilNet</script><script>alert(2)</script>. EvilNet outperforms ResNet-50 on '
                 'ImageNet. Code: javascript:alert(3) and https://github.com/evil/net"onmouseover="alert(4) '
                 'and <img src=x onerror=alert(5)> and <a href="javascript:alert(6)">x</a>.'),
}


@pytest.mark.model
def test_hostile_text_in_the_built_graph(tmp_path):
    from click.testing import CliRunner

    from kg.cli import cli
    from kg.export.graphml import read_graphml
    from kg.export.json import read_json

    src = tmp_path / "hostile.jsonl"
    src.write_text(json.dumps({**PAYLOADS, "url": "javascript:alert(7)"}) + "\n"
                   + json.dumps({"title": "A Plain Paper", "abstract": "We propose PlainNet. It beats EvilNet.",
                                 "url": "https://arxiv.org/abs/1234.5678"}) + "\n")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", str(src), "-o", str(out), "-q", "--no-cache"])
    assert result.exit_code == 0, result.output
    page = (out / "graph.html").read_text(encoding="utf-8")
    for raw in ("<script>alert", "<img src=x onerror", "</script><script>", 'onmouseover="alert'):
        assert raw not in page
    G = read_json(out / "graph.json")
    # nothing lost: the payload is kept as text, exactly as cleaned
    titles = {d["title"] for _, d in G.nodes(data=True) if d["type"] == "paper"}
    assert readers.clean_text(PAYLOADS["title"]) in titles
    # nothing injected: only http(s) URLs, none with a quote or bracket
    for n, d in G.nodes(data=True):
        if d["type"] == "repository":
            assert re.match(r"^https?://[^\s<>\"'`]+$", d["url"], re.I), d["url"]
        assert not str(d.get("url", "")).lower().startswith(("javascript:", "data:"))
    assert "https://github.com/evil/net" in {d.get("url") for _, d in G.nodes(data=True)}
    read_graphml(out / "graph.graphml")  # well-formed XML whatever the text


# ---------------------------------------------------------------------------
# atomic outputs

def _snapshot(d: Path) -> dict:
    return {p.name: p.read_bytes() for p in sorted(d.iterdir()) if p.is_file()}


def test_replace_together_all_or_nothing(tmp_path):
    from kg.export import atomic_write, replace_together

    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text("old")
    with pytest.raises(RuntimeError):
        with replace_together():
            with atomic_write(tmp_path / "a.txt") as f:
                f.write("new")
            assert (tmp_path / "a.txt").read_text() == "old"  # waits for the block
            raise RuntimeError("fails before b.txt is written")
    assert _snapshot(tmp_path) == {"a.txt": b"old", "b.txt": b"old"}  # and no temporary file is left
    with replace_together():
        for name in ("a.txt", "b.txt"):
            with atomic_write(tmp_path / name) as f:
                f.write("new")
    assert _snapshot(tmp_path) == {"a.txt": b"new", "b.txt": b"new"}


def test_atomic_write_cleans_up_and_keeps_permissions(tmp_path):
    from kg.export import atomic_write

    target = tmp_path / "out.txt"
    with pytest.raises(KeyboardInterrupt):
        with atomic_write(target) as f:
            f.write("half")
            raise KeyboardInterrupt
    assert list(tmp_path.iterdir()) == []
    with atomic_write(target) as f:
        f.write("x")
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask  # not mkstemp's 0o600
    target.chmod(0o640)
    with atomic_write(target) as f:
        f.write("y")
    assert target.stat().st_mode & 0o777 == 0o640


def test_signal_during_the_renames_waits_until_all_files_are_in_place(tmp_path, monkeypatch):
    import kg.export as export

    real_replace = os.replace
    calls = []

    def replace_and_interrupt(src, dst):
        if not calls:
            # Ctrl-C right after the first rename starts, sent to this thread: a signal sent to the
            # process may land on a worker thread and reach Python only some bytecodes later
            signal.pthread_kill(threading.get_ident(), signal.SIGINT)
        calls.append(dst)
        real_replace(src, dst)

    monkeypatch.setattr(export.os, "replace", replace_and_interrupt)
    with pytest.raises(KeyboardInterrupt):
        with export.replace_together():
            for name in ("a.txt", "b.txt", "c.txt"):
                with export.atomic_write(tmp_path / name) as f:
                    f.write("new")
    assert _snapshot(tmp_path) == {"a.txt": b"new", "b.txt": b"new", "c.txt": b"new"}
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def _kg(*args, env=None, **kwargs):
    env = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-m", "kg", *args], cwd=ROOT, capture_output=True, text=True,
                          env=env, timeout=300, **kwargs)


@pytest.fixture(scope="module")
def small_build(tmp_path_factory):
    """Outputs of a build of a small corpus, and the corpus."""
    d = tmp_path_factory.mktemp("small")
    src = d / "small.txt"
    lines = (readers.bundled_corpus() / "004_e31ba6b3cdb23aab.txt").read_text(encoding="utf-8").splitlines()
    src.write_text("\n".join(lines[:60]) + "\n", encoding="utf-8")
    return src


@pytest.mark.model
@pytest.mark.parametrize("signum, options", [(signal.SIGTERM, []), (signal.SIGINT, ["--n-process", "1"])],
                         ids=["SIGTERM", "SIGINT"])
def test_interrupted_build_leaves_earlier_outputs_intact(tmp_path, small_build, signum, options):
    out = tmp_path / "out"
    first = _kg("build", str(small_build), "-o", str(out), "-q", "--no-cache")
    assert first.returncode == 0, first.stderr
    before = _snapshot(out)
    assert set(before) == set(OUTPUTS)

    # the bundled corpus takes well over ten seconds to parse: interrupt it in the middle
    proc = subprocess.Popen([sys.executable, "-m", "kg", "build", "-o", str(out), "--no-cache", *options],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    time.sleep(4)
    assert proc.poll() is None, "the build ended before it could be interrupted"
    proc.send_signal(signum)
    _, err = proc.communicate(timeout=120)

    assert proc.returncode == 128 + signum, err
    assert "Traceback" not in err
    assert err.strip().splitlines()[-1] == "kg: interrupted; output files are replaced only when a run completes"
    assert _snapshot(out) == before  # byte-identical, and no temporary file left beside them
    assert not [p for p in out.rglob("*.tmp")]


@pytest.mark.model
def test_same_input_gives_byte_identical_outputs(tmp_path, small_build):
    src = [str(small_build), str(ROOT / "tests" / "data" / "readers")]
    for run, seed in (("a", "1"), ("b", "2")):  # different hash seeds: set order must not leak out
        result = _kg("build", *src, "-o", str(tmp_path / run), "-q", env={"PYTHONHASHSEED": seed})
        assert result.returncode == 0, result.stderr
    a, b = _snapshot(tmp_path / "a"), _snapshot(tmp_path / "b")
    assert set(a) == set(OUTPUTS)
    for name in OUTPUTS:
        assert a[name] == b[name], name
