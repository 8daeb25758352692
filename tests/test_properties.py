"""Properties over arbitrary input (hypothesis).

* Readers: any text, any bytes and any JSON Lines raise nothing, and every non-blank JSON
  line is accounted for exactly once (a paper or a skip).
* Clean-up: any string comes out as one line of printable text, no doubled spaces.
* Extraction (model): any text raises nothing; every relation's sentence is the stretch of
  the cleaned abstract its offsets name (or the title, for ``section: "title"``).
* Graph: every entity node is linked to existing papers; GraphML always reads back.
"""
import json
import os
import tempfile
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from kg import read as readers
from kg.read import Report

# KG_PROPERTY_EXAMPLES=5000 for a long hunt; the defaults keep the suite quick
_N = int(os.environ.get("KG_PROPERTY_EXAMPLES", "0")) or None
QUICK = settings(max_examples=_N or 150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
MODEL = settings(max_examples=_N or 60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# text that looks like what the readers and rules look for, mixed with anything at all
WORDS = ["We", "propose", "ResNet-50", "ViT-B/16", "ImageNet", "ImageNet-1k", "CIFAR-10", "outperforms",
         "compared", "with", "to", "pretrained", "pre-trained", "fine-tuned", "on", "distills", "from",
         "teacher", "student", "based", "built", "upon", "by", "2.1%", "than", "higher", "accuracy", "our",
         "method", "model", "the", "a", "Vision", "Transformer", "(ViT)", "(", ")", ",", ".", ";", ":", "-",
         "and", "MEAL", "V2", "code", "is", "available", "at", "https://github.com/a/b.", "http://x.org/y)",
         "javascript:alert(1)", "<script>", "\\textbf{X}", "$\\ell_2$", "Fr\\'echet", "\\%", "•", "·",
         "Apr 2, 2024 3", "5 authors", "Subscribe", "\n", "\t", "\u00a0", "\u2028", "\ufeff", "e\u0301"]
wordy = st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=12)), max_size=60).map(" ".join)
any_text = st.one_of(st.text(), wordy)

json_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), any_text)
json_values = st.recursive(json_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)), max_leaves=12)
KEYS = ["title", "abstract", "summary", "id", "authors", "date", "published", "versions", "update_date", "url",
        "categories", "doi"]
records = st.dictionaries(st.one_of(st.sampled_from(KEYS), st.text(max_size=8)), json_values, max_size=8)
json_lines = st.one_of(
    records.map(json.dumps),
    records.map(lambda r: json.dumps(r, ensure_ascii=False)),
    json_values.map(json.dumps),
    st.text().filter(lambda s: "\n" not in s),  # anything at all, as a line
)


@QUICK
@given(any_text)
def test_any_text_through_every_reader(text):
    for read in (lambda r: readers.read_listing(text, "x.txt", r),
                 lambda r: readers.read_jsonl(text, "x.jsonl", r),
                 lambda r: readers.read_csv(text, "x.csv", r),
                 lambda r: readers.read_csv(text, "x.tsv", r)):
        for p in read(Report()):
            assert p.title and p.abstract
            assert p.title == readers.clean_text(p.title) and p.abstract == readers.clean_text(p.abstract)


@QUICK
@given(st.binary(max_size=3000), st.sampled_from([".txt", ".jsonl", ".json", ".csv", ".tsv", ".md", ""]),
       st.sampled_from([b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xff\xfe\x00\x00"]))
def test_any_bytes_through_read_papers(data, suffix, bom):
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / f"input{suffix}"
        path.write_bytes(bom + data)
        report = Report()
        papers = list(readers.read_papers([path], report))
    assert report.papers == len(papers)
    for p in papers:
        assert len(p.abstract) <= readers.MAX_ABSTRACT_CHARS and len(p.title) <= readers.MAX_TITLE_CHARS
    if not papers:  # a file that gave nothing says why
        assert report.skipped


@QUICK
@given(st.lists(json_lines, min_size=1, max_size=8))
def test_every_jsonl_line_is_a_paper_or_a_skip(lines):
    text = "\n".join(lines) + "\n"
    whole = readers.records._one_document(text)
    assume(not isinstance(whole, list) and not (isinstance(whole, dict) and "\n" in text.strip()))
    report = Report()
    papers = list(readers.read_jsonl(text, "x.jsonl", report))
    nonblank = [n for n, ln in enumerate(text.split("\n"), 1) if ln.strip()]
    skipped = [int(loc.rsplit(":", 1)[1]) for loc, _ in report.skipped]
    assert sorted([p.line for p in papers] + skipped) == nonblank  # each line once: nothing lost


@QUICK
@given(st.lists(json_lines, min_size=1, max_size=5))
def test_jsonl_files_stream_like_text(lines):
    """The streamed reader (a UTF-8 file) and the text reader agree."""
    text = "\n".join(lines) + "\n"
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "x.jsonl"
        path.write_bytes(text.encode("utf-8", "surrogatepass"))
        streamed = [(p.line, p.title, p.abstract) for p in readers.read_file(path, Report(), "x.jsonl")]
    assume(not any(0xD800 <= ord(c) <= 0xDFFF for c in text))  # raw surrogates are not UTF-8
    whole = readers.records._one_document(text)
    assume(not (isinstance(whole, dict) and "\n" in text.strip()))  # one object over lines: not JSON Lines
    whole = [(p.line, p.title, p.abstract) for p in readers.read_jsonl(text, "x.jsonl", Report())]
    assert streamed == whole


@QUICK
@given(any_text)
def test_clean_text_is_one_line_of_printable_text(text):
    out = readers.clean_text(text)
    assert out == out.strip() and "  " not in out
    assert not any(unicodedata.category(c) in ("Cc", "Cs") for c in out)
    assert not any(c.isspace() and c != " " for c in out)
    assert readers.clean_text(out) == readers.clean_text(readers.clean_text(out))  # settles after one more pass


# ---------------------------------------------------------------------------
# extraction and the graph

def _paper(title: str, abstract: str, n: int = 0) -> readers.Paper:
    """A paper as the readers would give it: cleaned and limited."""
    p = readers.Paper(title=readers.clean_text(title) or f"Untitled {n}", abstract=readers.clean_text(abstract),
                     source="prop.jsonl", line=n + 1)
    return readers.apply_limits(p, Report())


def _check_record(rec: dict, paper: readers.Paper) -> None:
    assert rec["title"] == paper.title and rec["id"] == paper.id
    for e in rec["entities"]:
        assert e["name"] and e["type"] in ("method", "dataset", "repository")
        if e["type"] == "repository":
            assert e["name"].lower().startswith(("http://", "https://"))
    for r in rec["relations"]:
        if r.get("section") == "title":
            assert r["sentence"] == paper.title
        else:
            assert r["sentence"] and r["sentence"] in paper.abstract
            assert paper.abstract[r["start"]:r["end"]] == r["sentence"]


@pytest.mark.model
@MODEL
@given(title=any_text, abstract=any_text)
def test_extraction_of_any_text(nlp, extractor, title, abstract):
    paper = _paper(title, abstract)
    rec = extractor.record(nlp(paper.abstract), paper)
    _check_record(rec, paper)


@pytest.mark.model
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(wordy, wordy), min_size=1, max_size=4))
def test_graph_links_every_entity_to_papers_and_reads_back_from_graphml(nlp, extractor, texts):
    from kg.export.graphml import read_graphml, write_graphml
    from kg.graph import build_graph

    papers = [_paper(t, a, n) for n, (t, a) in enumerate(texts)]
    records = []
    for p in papers:
        rec = extractor.record(nlp(p.abstract), p)
        _check_record(rec, p)
        records.append(rec)
    G = build_graph(records)
    paper_nodes = {n for n, d in G.nodes(data=True) if d["type"] == "paper"}
    assert paper_nodes == {f"paper:{p.id}" for p in papers}
    for n, d in G.nodes(data=True):
        if d["type"] != "paper":
            linked = d["paper_ids"].split("|")
            assert linked and set(linked) <= paper_nodes, n
    by_node = {}
    for p in papers:  # a repeated title is one paper: the graph keeps the first record (graph._merge_records)
        by_node.setdefault(f"paper:{p.id}", p)
    for u, v, d in G.edges(data=True):
        paper = by_node[d["paper_id"]]  # every edge names an existing paper...
        assert d["sentence"] == paper.title or d["sentence"] in paper.abstract  # ...and its evidence is there
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "g.graphml"
        write_graphml(G, path)
        H = read_graphml(path)
    assert set(H.nodes) == set(G.nodes) and H.number_of_edges() == G.number_of_edges()
    for n, d in G.nodes(data=True):
        assert H.nodes[n]["type"] == d["type"] and H.nodes[n]["label"] == d["label"]
