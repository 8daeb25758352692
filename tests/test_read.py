"""Readers (listing pages, JSON Lines, CSV), text clean-up, encodings, limits, repeats.

No spaCy here: the readers never import it.
"""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kg import read as readers
from kg.read import Paper, Report, clean_text, distinct_papers, norm_title, read_papers

DATA = Path(__file__).parent / "data" / "readers"


def read(path, *, report=None):
    report = report if report is not None else Report()
    return list(read_papers([path], report)), report


def write(tmp_path, name, content, encoding="utf-8"):
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_bytes(content.encode(encoding))
    return path


def locations(report):
    return [loc for loc, _ in report.skipped], [loc for loc, _ in report.warnings]


# ---------------------------------------------------------------------------
# listing pages

def test_listing_page_titles_abstracts_and_metadata():
    papers, report = read(DATA / "listing.txt")
    assert [p.title for p in papers] == [
        "MEAL V2: Boosting Vanilla ResNet-50 to 80%+ Top-1 Accuracy on ImageNet without Tricks",  # "Subscribe" glued on
        "Selfie: Self-supervised Pretraining for Image Embedding",
        "Training data-efficient image transformers & distillation through attention",
        "Subscribed Attention: A Title That Starts With Furniture Words",  # a word that starts like furniture
    ]
    meal, selfie, deit, subscribed = papers
    assert meal.abstract.startswith("We introduce a simple yet effective distillation framework")
    assert meal.abstract.endswith("https://github.com/szq0214/MEAL-V2.")
    assert (meal.authors, meal.date, meal.line) == ("2", "2020-09-17", 5)  # "• 2 authors", "Sep 17, 2020 2" (upvotes)
    assert (deit.authors, deit.date) == ("6", "2020-12-23")
    assert selfie.date == ""  # "Oct 14 3" has no year: a page date, not the paper's
    assert subscribed.abstract.startswith("We show that a word which merely begins with Subscribe is kept.")
    # no furniture and no affiliation line ("GD-ML AMAP-ML") became a paper or a problem
    text = " ".join(p.title + " " + p.abstract for p in papers)
    for furniture in ("Daily Papers", "trending papers", "research community", "GD-ML"):
        assert furniture not in text
    assert report.skipped == [] and report.warnings == []
    assert report.files == 1 and report.papers == 4


def test_listing_bundled_corpus_reads_cleanly():
    report = Report()
    papers = list(read_papers([], report))
    assert len(papers) > 500 and report.files == 5
    assert report.skipped == [] and report.warnings == []
    assert all(p.source.endswith(".txt") and "/" not in p.source for p in papers)  # bundled files by name
    assert not any(p.title.startswith(("Subscribe", "Get trending", "Daily Papers")) for p in papers)


def test_listing_orphan_lines_are_reported_with_their_line(tmp_path):
    page = ("A Title Without Its Abstract\n"
            "Another Title\n"
            "This abstract has a title. It is long enough to be an abstract line, surely more than "
            "one hundred and twenty characters.\n"
            "\n"
            "This second abstract has no title line above it. It too runs well past the one hundred and "
            "twenty characters an abstract needs.\n"
            "A Last Title\n")
    papers, report = read(write(tmp_path, "page.txt", page))
    assert [p.title for p in papers] == ["Another Title"]
    assert report.skipped == [(f"{tmp_path}/page.txt:1", "title without an abstract"),
                              (f"{tmp_path}/page.txt:5", "abstract without a title line"),
                              (f"{tmp_path}/page.txt:6", "title without an abstract")]


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_listing_line_numbers_for_any_newline(tmp_path, newline):
    lines = ["Daily Papers", "", "First Paper", "First abstract, which ends with a full stop.",
             "Second Paper", "Second abstract, also ending with a full stop."]
    papers, _ = read(write(tmp_path, "page.txt", newline.join(lines)))
    assert [(p.title, p.line) for p in papers] == [("First Paper", 3), ("Second Paper", 5)]


def test_listing_line_numbers_ignore_unicode_line_separators(tmp_path):
    # U+2028, form feed and NEL are whitespace inside a line, not line ends: numbers match an editor's
    lines = ["First\u2028Paper", "First abstract\x0cwith a form feed\x85 ends here.", "Second Paper",
             "Second abstract ends here."]
    papers, _ = read(write(tmp_path, "page.txt", "\n".join(lines)))
    assert [(p.title, p.line) for p in papers] == [("First Paper", 1), ("Second Paper", 3)]
    assert papers[0].abstract == "First abstract with a form feed ends here."


# ---------------------------------------------------------------------------
# JSON Lines

def test_arxiv_snapshot_records_as_they_are():
    papers, report = read(DATA / "arxiv.jsonl")
    assert report.skipped == [] and report.warnings == []
    resnet, gans, old, meal = papers
    assert resnet.id == "arxiv:1512.03385"
    assert resnet.title == "Deep Residual Learning for Image Recognition"
    assert resnet.abstract.startswith("Deeper neural networks are more difficult to train. We present a residual "
                                      "learning framework")  # newlines and the leading spaces gone
    assert resnet.date == "2015-12-10"  # first version, not update_date
    assert resnet.authors == "Kaiming He, Xiangyu Zhang, Shaoqing Ren, Jian Sun"
    assert resnet.attrs == {"categories": "cs.CV"}  # nulls dropped
    # a title broken over two lines, LaTeX in the abstract
    assert gans.title == "GANs Trained by a Two Time-Scale Update Rule Converge to a Local Nash Equilibrium"
    assert '"Fréchet Inception Distance" (FID)' in gans.abstract
    assert "by 10% and reduces the ℓ_2 error of WGAN-GP on CIFAR-10." in gans.abstract
    assert "\\" not in gans.abstract and "$" not in gans.abstract and "\n" not in gans.abstract
    assert gans.authors.endswith("Bernhard Nessler, Sepp Hochreiter")
    assert gans.attrs["journal-ref"].startswith("Advances in Neural Information Processing Systems 30")
    assert gans.date == "2017-06-26"
    assert (old.id, old.authors, old.date) == ("arxiv:cs/0112017", "A. Author and B. Gödel", "2001-12-17")
    assert meal.id == "arxiv:2009.08453" and meal.location.endswith("arxiv.jsonl:4")


def test_jsonl_bad_lines_are_skipped_each_with_its_line(tmp_path):
    good = {"title": "Good", "abstract": "A good abstract."}
    lines = [json.dumps(good),
             '{"title": "broken", ',               # 2 invalid JSON
             "[1, 2]",                             # 3 not an object
             "null",                               # 4 not an object
             json.dumps({"abstract": "no title"}),  # 5
             json.dumps({"title": "No abstract"}),  # 6
             "",                                   # 7 blank lines are fine
             "1" * 5000,                           # 8 an integer too long for Python
             "[" * 100_000,                        # 9 nested too deeply
             json.dumps({"title": "  ", "abstract": "blank title"}),  # 10
             json.dumps({"title": "Last", "summary": "Summary stands in for the abstract."})]
    papers, report = read(write(tmp_path, "x.jsonl", "\n".join(lines) + "\n"))
    assert [p.title for p in papers] == ["Good", "Last"]
    name = f"{tmp_path}/x.jsonl"
    assert [loc for loc, _ in report.skipped] == [f"{name}:{n}" for n in (2, 3, 4, 5, 6, 8, 9, 10)]
    reasons = dict(report.skipped)
    assert reasons[f"{name}:2"].startswith("invalid JSON")
    assert reasons[f"{name}:3"] == "record is not a JSON object"
    assert reasons[f"{name}:5"] == "record has no title" and reasons[f"{name}:6"] == "record has no abstract"
    assert reasons[f"{name}:9"] == "invalid JSON (nested too deeply)"


def test_jsonl_values_of_other_types(tmp_path):
    recs = [{"title": 2024, "abstract": ["First part.", "Second part."], "authors": ["A. One", "B. Two"],
             "id": "my-1", "date": "2024-03-05T10:00:00Z"},
            {"title": "Object abstract", "abstract": {"text": "nested"}},
            {"title": "Parsed authors", "abstract": "Text.", "authors": [["Last", "First", ""], ["Solo"]],
             "url": "https://example.org/paper", "date": "not a date"}]
    papers, report = read(write(tmp_path, "x.jsonl", "\n".join(json.dumps(r) for r in recs)))
    first, parsed = papers
    assert (first.title, first.abstract, first.authors) == ("2024", "First part. Second part.", "A. One; B. Two")
    assert (first.id, first.date) == ("my-1", "2024-03-05")
    assert report.skipped == [(f"{tmp_path}/x.jsonl:2", "record has no abstract")]
    assert parsed.authors == "First Last; Solo" and parsed.attrs["url"] == "https://example.org/paper"
    assert parsed.date == ""


def test_jsonl_only_http_urls_are_kept(tmp_path):
    recs = [{"title": f"T{i}", "abstract": "A.", "url": url}
            for i, url in enumerate(["javascript:alert(1)", "data:text/html,<script>alert(1)</script>",
                                     'https://ok.example/a"onmouseover="x', "https://ok.example/paper"])]
    papers, _ = read(write(tmp_path, "x.jsonl", "\n".join(json.dumps(r) for r in recs)))
    assert [p.attrs.get("url") for p in papers] == [None, None, None, "https://ok.example/paper"]


def test_jsonl_line_separators_inside_strings_do_not_split_records(tmp_path):
    rec = {"title": "Separated\u2028Title", "abstract": "One\u2029two\x85three\x0cfour."}
    line = json.dumps(rec, ensure_ascii=False)  # U+2028 and U+2029 written raw, as JSON allows
    papers, report = read(write(tmp_path, "x.jsonl", line + "\n" + line.replace("Title", "Again") + "\n"))
    assert [(p.title, p.line) for p in papers] == [("Separated Title", 1), ("Separated Again", 2)]
    assert papers[0].abstract == "One two three four." and report.skipped == []


def test_json_array_file(tmp_path):
    text = '[\n  {"title": "One", "abstract": "First."},\n  {"title": "Two"},\n  {"title": "Three", "abstract": "Third."}\n]\n'
    papers, report = read(write(tmp_path, "x.json", text))
    assert [(p.title, p.line) for p in papers] == [("One", 2), ("Three", 4)]
    assert report.skipped == [(f"{tmp_path}/x.json:3", "record has no abstract")]


def test_jsonl_recognised_by_content_whatever_the_suffix(tmp_path):
    papers, _ = read(write(tmp_path, "records.txt", '{"title": "T", "abstract": "A."}\n'))
    assert [p.title for p in papers] == ["T"]


# ---------------------------------------------------------------------------
# CSV

def test_csv_fixture():
    papers, report = read(DATA / "papers.csv")
    assert [(p.title, p.line) for p in papers] == [("A CSV Paper, With a Comma", 2), ("Third CSV Paper", 5)]
    first, third = papers
    assert first.abstract == 'We propose CsvNet. It spans two lines, and has "quotes".'
    assert first.date == "2021-05-04" and first.attrs["url"] == "https://github.com/a/csvnet"
    assert "url" not in third.attrs  # javascript: is no link
    # the row after a two-line row is reported at its own first line
    assert report.skipped == [(f"{DATA}/papers.csv:4", "record has no abstract")]


@pytest.mark.parametrize("name, text", [
    ("x.tsv", "title\tabstract\nTab Paper\tTab abstract.\n"),
    ("x.csv", "TITLE ; Summary\nSemicolon Paper;Semicolon abstract.\n"),
    ("x.csv", "\ufeffTitle,Abstract\r\nBOM Paper,\"Windows, with CRLF.\"\r\n"),
])
def test_csv_dialects(tmp_path, name, text):
    papers, report = read(write(tmp_path, name, text))
    assert len(papers) == 1 and papers[0].abstract.endswith(".") and report.skipped == []


def test_csv_without_the_columns_is_skipped_once(tmp_path):
    papers, report = read(write(tmp_path, "x.csv", "name,text\na,b\nc,d\n"))
    assert papers == [] and report.skipped == [(f"{tmp_path}/x.csv:1", "CSV header has no 'title' and 'abstract' columns")]


def test_csv_huge_field_and_extra_fields(tmp_path):
    big = "word " * 40_000  # 200k characters: more than csv's default field limit
    text = f'title,abstract\nBig,"{big}"\nExtra,"Extra abstract.",surplus\nAfter,After abstract.\n'
    papers, report = read(write(tmp_path, "x.csv", text))
    assert [p.title for p in papers] == ["Big", "Extra", "After"]
    assert len(papers[0].abstract) <= readers.MAX_ABSTRACT_CHARS
    assert (f"{tmp_path}/x.csv:3", "1 field(s) more than the header names; ignored") in report.warnings


# ---------------------------------------------------------------------------
# encodings and file-level problems

ENCODINGS = {
    "utf-8": lambda s: s.encode("utf-8"),
    "utf-8 BOM": lambda s: s.encode("utf-8-sig"),
    "utf-16 LE BOM": lambda s: b"\xff\xfe" + s.encode("utf-16-le"),
    "utf-16 BE BOM": lambda s: b"\xfe\xff" + s.encode("utf-16-be"),
    "utf-32 BOM": lambda s: s.encode("utf-32"),
    "utf-16 LE, no BOM": lambda s: s.encode("utf-16-le"),
    "utf-16 BE, no BOM": lambda s: s.encode("utf-16-be"),
}
PAGE = "Café Networks: Über Fréchet\nWe propose CaféNet — it beats ResNet-50 by 2% on ImageNet.\n"
JSONL = json.dumps({"title": "Café Networks: Über Fréchet", "abstract": "We propose CaféNet — ok."}, ensure_ascii=False) + "\n"


@pytest.mark.parametrize("encoding", list(ENCODINGS))
@pytest.mark.parametrize("name, text", [("page.txt", PAGE), ("x.jsonl", JSONL)])
def test_encodings(tmp_path, encoding, name, text):
    papers, report = read(write(tmp_path, name, ENCODINGS[encoding](text)))
    assert [p.title for p in papers] == ["Café Networks: Über Fréchet"]
    assert papers[0].abstract.startswith("We propose CaféNet —")
    assert report.skipped == [] and report.warnings == []


@pytest.mark.parametrize("name, text", [
    ("page.txt", b"Good Title\nGood abstract.\nCaf\xe9 Title\nAn abstract with a bad \xff byte.\n"),
    ("x.jsonl", b'{"title": "Good Title", "abstract": "Good abstract."}\n'
                b'{"title": "Caf\xe9 Title", "abstract": "An abstract with a bad \xff byte."}\n'),
])
def test_invalid_utf8_is_replaced_with_a_warning_naming_file_and_line(tmp_path, name, text):
    papers, report = read(write(tmp_path, name, text))
    assert [p.title for p in papers] == ["Good Title", "Caf\ufffd Title"]
    assert papers[1].abstract == "An abstract with a bad \ufffd byte."
    assert report.skipped == []
    assert report.warnings == [(f"{tmp_path}/{name}:" + ("3" if name == "page.txt" else "2"),
                                "invalid UTF-8 bytes replaced with U+FFFD (" + ("lines 3, 4)" if name == "page.txt" else "line 2)"))]


def test_invalid_utf16_is_replaced_with_a_warning(tmp_path):
    data = b"\xff\xfe" + "T1\nAbstract one.\nT2\nAbstract two.\n".encode("utf-16-le") + b"\x00\xd8"  # lone surrogate
    papers, report = read(write(tmp_path, "page.txt", data))
    assert [p.title for p in papers] == ["T1", "T2"]
    assert report.warnings and report.warnings[0][1].startswith("invalid UTF-16 bytes replaced")


@pytest.mark.parametrize("name, data, reason", [
    ("empty.txt", b"", "empty file"),
    ("blank.jsonl", b"\n  \n\t\n", "empty file"),
    ("blank.txt", "\ufeff \n".encode("utf-8"), "empty file"),
    ("image.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "binary file (NUL bytes), not text"),
    ("data.jsonl", b"\x00\x01\x02" * 100, "binary file (NUL bytes), not text"),
    ("noise.txt", bytes(range(128, 256)) * 40, "binary file (mostly not text)"),
    ("noise.jsonl", bytes(range(128, 256)) * 40, "binary file (mostly not text)"),
    ("furniture.txt", b"Subscribe\nDaily Papers\n", "no papers found in this file"),
])
def test_bad_files_are_skipped_once_at_line_1(tmp_path, name, data, reason):
    papers, report = read(write(tmp_path, name, data))
    assert papers == [] and report.skipped == [(f"{tmp_path}/{name}:1", reason)] and report.warnings == []


def test_missing_and_special_files_are_reported_not_raised(tmp_path):
    report = Report()
    assert list(read_papers([tmp_path / "missing.txt"], report)) == []
    assert report.skipped[0][0] == f"{tmp_path}/missing.txt:1" and "cannot read file" in report.skipped[0][1]


def test_sniff_encoding():
    assert readers.sniff_encoding(b"\xff\xfe\x00\x00abcd")[0] == "utf-32-le"  # not mistaken for UTF-16
    assert readers.sniff_encoding("plain text".encode("utf-16-le")) == ("utf-16-le", 0)
    assert readers.sniff_encoding(b"\x00\x01\x02\x03") == (None, 0)


# ---------------------------------------------------------------------------
# the error model

def test_report_lists_each_problem_once_in_order():
    r = Report()
    r.skip("a.jsonl", 2, "invalid JSON")
    r.warn("b.txt", 1, "bytes replaced")
    r.skip("a.jsonl", 2, "invalid JSON")
    r.skip("a.jsonl", 7, "record has no title")
    assert list(r.messages()) == ["a.jsonl:2: invalid JSON (skipped)", "b.txt:1: bytes replaced",
                                  "a.jsonl:7: record has no title (skipped)"]
    assert r.tally() == "2 records skipped, 1 warning" and Report().tally() == ""


def test_directory_reading_order_hidden_entries_and_repeats(tmp_path):
    for rel in ("b/2.txt", "a.txt", ".hidden.txt", ".cache/x.txt", "b/.git/y.txt"):
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"Title {rel}\nAbstract of {rel}.\n")
    report = Report()
    papers = list(read_papers([tmp_path, tmp_path / "a.txt"], report))  # a.txt named twice
    assert [p.title for p in papers] == ["Title a.txt", "Title b/2.txt"]
    assert report.files == 2 and report.skipped == []


def test_kg_output_directories_are_not_read_as_input(tmp_path):
    (tmp_path / "paper.txt").write_text("A Paper\nIts abstract.\n")
    out = tmp_path / "out"
    out.mkdir()
    (out / "extractions.jsonl").write_text('{"title": "A Paper", "entities": []}\n')
    (out / "graph.graphml").write_text('<?xml version="1.0"?>\n<graphml>\n<data key="d1">' + "Text. " * 40 + "</data>\n")
    report = Report()
    papers = list(read_papers([tmp_path], report))
    assert [p.title for p in papers] == ["A Paper"] and report.skipped == []
    assert report.warnings == [(f"{out}:1", "a kg output directory, not read")]
    assert len(list(read_papers([out / "extractions.jsonl"], Report()))) == 0  # named, a file is still read


# ---------------------------------------------------------------------------
# text clean-up

@pytest.mark.parametrize("raw, clean", [
    (r"3.5\% better", "3.5% better"),
    (r"Fr\'echet distance", "Fréchet distance"),
    (r"Fr{\'e}chet and G\"{o}del and \c{c}a and Erd\H{o}s and \v{S}ir", "Fréchet and Gödel and ça and Erdős and Šir"),
    (r"na\"ive and \'{\i}", "naïve and í"),
    (r"the $\ell_2$ norm", "the ℓ_2 norm"),
    (r"\textbf{x} and \emph{y} and \textbf{\textit{z}}", "x and y and z"),
    (r"$\mathcal{O}(n \log n)$ time", "O(n log n) time"),
    (r"$\alpha$-blending with $\lambda=0.5$ and $10^{-3}$", "α-blending with λ=0.5 and 10^-3"),
    (r"\cdot and \varepsilon stay symbols", "· and ε stay symbols"),
    (r"as shown~\cite{he2016} in Fig.~\ref{fig:1}", "as shown~ in Fig.~"),
    (r"code: \url{https://github.com/a/b}", "code: https://github.com/a/b"),
    (r"\href{https://github.com/a/b}{our code}", "our code (https://github.com/a/b)"),
    (r"costs \$5 and \$10", "costs $5 and $10"),
    (r"\frac{1}{2} of it", "1/2 of it"),
    (r"line\\break", "line break"),
    ("no latex: {braces} stay", "no latex: {braces} stay"),
    ("into Low Rank Adapters~(LoRA), about ~3x", "into Low Rank Adapters (LoRA), about ~3x"),  # a tie before "("
])
def test_latex_clean_up(raw, clean):
    assert clean_text(raw) == clean


@pytest.mark.parametrize("raw, clean", [
    ("  Deeper\n  networks\tare\r\nharder.  ", "Deeper networks are harder."),
    ("non\u00a0breaking\u2003space\u3000here", "non breaking space here"),
    ("zero\u200bwidth soft\u00adhyphen and stray\ufeffBOM", "zerowidth softhyphen and strayBOM"),
    ("control\x00chars\x07and\x1bescape", "control chars and escape"),
    ("bidi \u202eevil\u202c override", "bidi evil override"),
    ("lone \ud800 surrogate", "lone \ufffd surrogate"),
    ("e\u0301 composed", "é composed"),
    ("", ""),
])
def test_whitespace_and_invisible_characters(raw, clean):
    assert clean_text(raw) == clean


def test_norm_title_keys():
    assert norm_title("MEAL V2: Boosting Vanilla ResNet-50") == norm_title("meal-v2 boosting vanilla RESNET 50")
    assert norm_title("Fréchet") == norm_title("Frechet")
    assert norm_title("深度学习") != norm_title("机器学习")  # non-Latin titles do not all collapse to one key
    assert norm_title("???") != norm_title("!!!")


# ---------------------------------------------------------------------------
# limits

def test_over_long_abstract_is_cut_at_a_word_boundary_with_a_warning(tmp_path):
    abstract = "word " * 5000 + "end."
    papers, report = read(write(tmp_path, "x.jsonl", json.dumps({"title": "Long", "abstract": abstract})))
    text = papers[0].abstract
    assert len(text) <= readers.MAX_ABSTRACT_CHARS and text.endswith("word")
    assert report.warnings == [(f"{tmp_path}/x.jsonl:1",
                                f"abstract cut to {readers.MAX_ABSTRACT_CHARS} characters (was {len(abstract) - 0})")]


def test_over_long_title_and_words(tmp_path):
    rec = {"title": "T " * 400, "abstract": "See " + "(" * 2000 + " and " + "x" * 1200 + "."}
    papers, report = read(write(tmp_path, "x.jsonl", json.dumps(rec)))
    p = papers[0]
    assert len(p.title) <= readers.MAX_TITLE_CHARS
    assert max(len(w) for w in p.abstract.split()) == readers.MAX_WORD_CHARS
    assert p.abstract.replace(" ", "") == rec["abstract"].replace(" ", "")  # broken up, nothing dropped
    assert [why.split(" (")[0] for _, why in report.warnings] == [
        f"title cut to {readers.MAX_TITLE_CHARS} characters",
        f"words longer than {readers.MAX_WORD_CHARS} characters broken up"]


# ---------------------------------------------------------------------------
# one paper per title

def test_repeats_across_formats_are_one_paper_with_every_source():
    report = Report()
    papers = list(distinct_papers([DATA], report))
    titles = [p.title for p in papers]
    assert len(titles) == len(set(titles)) == 9
    meal = next(p for p in papers if p.title.startswith("MEAL V2"))
    assert meal.attrs["sources"] == [f"{DATA}/arxiv.jsonl:4", f"{DATA}/listing.txt:5"]
    assert meal.id == "arxiv:2009.08453" and meal.date == "2020-09-17"
    assert report.duplicates == 1 and report.papers == 10


def test_repeat_gives_its_date_and_sources_before_the_paper_is_yielded(tmp_path):
    write(tmp_path, "a.txt", "Same Paper\nFirst copy, no date.\n")
    write(tmp_path, "b.jsonl", json.dumps({"title": "same  paper", "abstract": "Second copy.", "date": "2021-02-03"}))
    write(tmp_path, "c.jsonl", json.dumps({"title": "SAME PAPER!", "abstract": "Third copy."}))
    seen = []
    for p in distinct_papers([tmp_path]):
        seen.append((p.title, p.date, list(p.attrs["sources"])))  # as the consumer sees it, mid-stream
    assert seen == [("Same Paper", "2021-02-03", [f"{tmp_path}/a.txt:1", f"{tmp_path}/b.jsonl:1", f"{tmp_path}/c.jsonl:1"])]


def test_same_arxiv_id_is_one_paper_and_clashing_other_ids_are_kept_apart(tmp_path):
    recs = [{"id": "2101.00001", "title": "Old Title", "abstract": "A."},
            {"id": "2101.00001v2", "title": "Revised Title", "abstract": "B."},  # same paper, new title
            {"id": "7", "title": "Paper Seven", "abstract": "C."},
            {"id": "7", "title": "Another Paper", "abstract": "D."}]  # a different paper reusing id 7
    report = Report()
    papers = list(distinct_papers([write(tmp_path, "x.jsonl", "\n".join(json.dumps(r) for r in recs))], report))
    assert [(p.title, p.id) for p in papers] == [("Old Title", "arxiv:2101.00001"), ("Paper Seven", "7"),
                                                 ("Another Paper", readers.paper_id("Another Paper"))]
    assert report.duplicates == 1
    assert report.warnings == [(f"{tmp_path}/x.jsonl:4", f"id '7' already names another paper; this one is "
                                                         f"{readers.paper_id('Another Paper')}")]


def test_unique_papers_streams_with_the_same_rule():
    papers = [Paper("A Title", "x", "a", 1), Paper("a title!", "y", "b", 2, date="2020"),
              Paper("Other", "z", "c", 3, id="arxiv:1234.5678"), Paper("Renamed", "w", "d", 4, id="arxiv:1234.5678")]
    report = Report()
    out = list(readers.unique_papers(papers, report))
    assert [p.title for p in out] == ["A Title", "Other"]
    assert out[0].attrs["sources"] == ["a:1", "b:2"] and out[0].date == "2020" and report.duplicates == 2


def test_graph_paper_node_lists_every_source():
    from kg.graph import build_graph

    rec = {"id": "p1", "title": "T", "source": "a.txt:1", "sources": ["a.txt:1", "b.jsonl:4"], "date": "",
           "entities": [], "relations": []}
    again = dict(rec, source="c.csv:2", sources=None, date="2020-01-01")
    G = build_graph([rec, again])
    assert G.nodes["paper:p1"]["source"] == "a.txt:1|b.jsonl:4|c.csv:2"
    assert G.nodes["paper:p1"]["date"] == "2020-01-01"


def test_a_nul_byte_costs_its_record_only_wherever_it_is(tmp_path):
    good = [json.dumps({"title": f"Paper {i}", "abstract": f"We study thing {i}."}) for i in range(3)]
    bad = '{"title": "Broken \x00 paper", "abstract": "Text."}'
    for where in (0, 2):  # in the first 8 KiB, and after them
        lines = good[:where] + [bad] + good[where:]
        if where:
            lines.insert(1, json.dumps({"title": "Padding", "abstract": "x " * 6000}))
        path = write(tmp_path, f"nul{where}.jsonl", "\n".join(lines) + "\n")
        papers, report = read(path)
        assert {p.title for p in papers} >= {"Paper 0", "Paper 1", "Paper 2"}
        assert [loc for loc, _ in report.skipped] == [f"{path}:{lines.index(bad) + 1}"]


def test_entries_of_a_directory_that_are_not_read_are_reported(tmp_path):
    data = tmp_path / "data"
    (data / "real").mkdir(parents=True)
    (data / "real" / "a.jsonl").write_text(json.dumps({"title": "A", "abstract": "We study A."}) + "\n")
    (data / "linked").symlink_to(data / "real", target_is_directory=True)
    (data / "dangling.jsonl").symlink_to(tmp_path / "nowhere.jsonl")
    os.mkfifo(data / "pipe.jsonl")
    (data / ".hidden").symlink_to(tmp_path / "nowhere")  # hidden: left out quietly, as before
    report = Report()
    papers = list(read_papers([data], report))
    assert [p.title for p in papers] == ["A"]
    assert report.skipped == [(f"{data / 'linked'}:1", "a link to a directory, not followed"),
                              (f"{data / 'dangling.jsonl'}:1", "a broken link, not read"),
                              (f"{data / 'pipe.jsonl'}:1", "a FIFO, not a regular file: not read")]


def _peak_mb(path) -> tuple:
    # VmHWM, this program's own peak (ru_maxrss would count the forking parent's memory too)
    code = ("import re, sys; from kg.read import Report, read_papers; r = Report(); "
            "ps = list(read_papers([sys.argv[1]], r)); "
            "hwm = int(re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1)); "
            "print(hwm // 1024, [len(p.abstract) for p in ps], list(r.messages()))")
    out = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True).stdout
    mb, rest = out.split(" ", 1)
    return int(mb), rest


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="reads the peak from /proc")
@pytest.mark.parametrize("suffix", [".jsonl", ".txt"])
def test_a_huge_abstract_is_cut_before_it_is_cleaned(tmp_path, suffix):
    words = "word \\alpha  $x$ " * (20 * 2**20 // 16)  # 20 MB of text that cleaning rewrites
    path = tmp_path / f"big{suffix}"
    if suffix == ".jsonl":
        path.write_text(json.dumps({"title": "Big", "abstract": words}) + "\n", encoding="utf-8")
    else:
        path.write_text(f"Big\n{words}\n", encoding="utf-8")
    mb, rest = _peak_mb(path)
    assert mb < 400, (mb, rest)
    assert f"abstract cut to {readers.MAX_ABSTRACT_CHARS} characters (was {len(words)})" in rest


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="reads the peak from /proc")
def test_a_record_line_past_the_limit_is_skipped_with_bounded_memory(tmp_path):
    path = tmp_path / "huge.jsonl"
    with open(path, "w", encoding="utf-8") as f:
        f.write(json.dumps({"title": "Small", "abstract": "We study small things."}) + "\n")
        f.write('{"title": "Huge", "abstract": "')
        chunk = "a " * 2**20
        for _ in range(50):  # a 100 MB line
            f.write(chunk)
        f.write('"}\n')
        f.write(json.dumps({"title": "After", "abstract": "We study later things."}) + "\n")
    mb, rest = _peak_mb(path)
    assert mb < 300, (mb, rest)
    assert "[22, 22]" in rest and "huge.jsonl:2: record longer than 32 MiB, not read (skipped)" in rest
