"""Entity mentions over a parsed Doc: methods, datasets and repositories.

Signals, each from a data file in ``kg/patterns``:

* name shapes (``entity_shapes.jsonl``, regexes in ``shapes.json``): CamelCase and mixed-case
  coinages, acronyms, names with versions, sizes and variants;
* acronym definitions "Long Form (LF)" (Schwartz & Hearst 2003, the algorithm scispacy's
  AbbreviationDetector implements), which also give multi-word and lower-case names;
* naming phrases (``entity_context.jsonl``): "we propose X", "dubbed X", "called X", ...;
* dataset cues (``dataset_cues.json``) and a lexicon of known datasets (``datasets.txt``) to
  tell datasets from methods; names that are not entities (``not_entities.txt``).

Functions here are generators or pure functions over ``Doc``/``Span``; :class:`EntityFinder`
wires the matchers to them.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

import numpy
from spacy.attrs import LOWER, ORTH
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from .patterns import expand_shapes, read_json, read_jsonl, read_words, shapes
from .resolve import canonical_key
from .seqmatch import SequenceMatcher

METHOD, DATASET, REPOSITORY = "method", "dataset", "repository"


@dataclass(frozen=True)
class Mention:
    """One entity mention: token span in the Doc, text as written, type and the rule."""

    start: int
    end: int
    text: str
    type: str
    rule: str
    long_form: str = ""  # set on an acronym defined in the text: the long form it stands for
    signal: str = ""  # what decided the type (see classify)


# ---------------------------------------------------------------------------
# word gates and data files (each file read by kg.patterns)

def required_words(pattern: list) -> frozenset | None:
    """Words one of which a text must hold for a Matcher pattern to match: those of its first
    token that is not optional and names its words (``LOWER``); None when it has none.

    >>> sorted(required_words([{"ENT_TYPE": "method"}, {"LOWER": "a", "OP": "?"}, {"LOWER": {"IN": ["x", "y"]}}]))
    ['x', 'y']
    """
    for tok in pattern:
        op = str(tok.get("OP", ""))
        if op in {"?", "*", "!"} or op.startswith(("{0", "{,")):
            continue
        words = tok.get("LOWER")
        if isinstance(words, str):
            return frozenset([words])
        if isinstance(words, dict) and set(words) == {"IN"}:
            return frozenset(words["IN"])
    return None


def gate_of(patterns: list, vocab) -> frozenset | None:
    """Hashes of the words a text must hold one of for any of ``patterns`` to match (None: no such set)."""
    words = set()
    for pattern in patterns:
        required = required_words(pattern)
        if required is None:
            return None
        words |= required
    return frozenset(vocab.strings.add(w) for w in words)


def lower_hashes(doc: Doc) -> frozenset:
    """The LOWER hashes of a Doc's tokens."""
    return frozenset(doc.to_array(LOWER).tolist())


@lru_cache(maxsize=None)
def stop_keys() -> tuple:
    """Exact keys and key prefixes (lines ending in "*") of ``not_entities.txt``."""
    words = read_words("not_entities.txt")
    return (frozenset(canonical_key(w) for w in words if not w.endswith("*")),
            tuple(canonical_key(w[:-1]) for w in words if w.endswith("*")))


@lru_cache(maxsize=None)
def lexicon_names() -> dict:
    """Exact names of the dataset and method lexicons, for the PhraseMatcher."""
    return {DATASET: [w for w in read_words("datasets.txt") if not w.endswith("*")],
            METHOD: list(read_words("methods.txt"))}


@lru_cache(maxsize=None)
def dataset_lexicon() -> tuple:
    exact, prefixes = set(), []
    for w in read_words("datasets.txt"):
        if w.endswith("*"):
            prefixes.append(canonical_key(w[:-1]))
        else:
            exact.add(canonical_key(w))
    return frozenset(exact), tuple(sorted(prefixes))


@lru_cache(maxsize=None)
def dataset_cues() -> dict:
    data = read_json("dataset_cues.json")
    return {k: (frozenset(v) if isinstance(v, list) else v) for k, v in data.items()}


def is_stopped(name: str) -> bool:
    """Generic families, metrics, hardware, organisations... (``not_entities.txt``).

    >>> is_stopped("CNNs"), is_stopped("top-1"), is_stopped("A100"), is_stopped("ResNet-50")
    (True, True, True, False)
    >>> is_stopped("IPCs"), is_stopped("iPhone 14"), is_stopped("MobileNets")
    (True, True, False)
    """
    k = canonical_key(name)
    stops, prefixes = stop_keys()
    return (k in stops or (k.endswith("s") and k[:-1] in stops) or len(k) < 2 or k.isdigit()
            or k.startswith(prefixes) or bool(re.search(shapes()["PLURAL_ACRONYM"], name.strip())))


def in_dataset_lexicon(name: str) -> bool:
    """
    >>> in_dataset_lexicon("ImageNet-21k"), in_dataset_lexicon("ResNet-50")
    (True, False)
    """
    k = canonical_key(name).rstrip("+")
    exact, prefixes = dataset_lexicon()
    return k in exact or k.startswith(prefixes)


# ---------------------------------------------------------------------------
# repositories

_URL = re.compile(r"https?://[^\s<>\"'()\[\]{}]+", re.I)
_URL_TAIL = ".,;:!?)]}'\"*"


def normalize_url(url: str) -> str:
    """Repository URL as a node: trailing punctuation, ``.git`` and ``/`` dropped.

    >>> normalize_url("https://github.com/szq0214/MEAL-V2.git).")
    'https://github.com/szq0214/MEAL-V2'
    """
    url = url.rstrip(_URL_TAIL)
    for _ in range(2):
        if url.endswith(".git"):
            url = url[:-4]
        url = url.rstrip("/").rstrip(_URL_TAIL)
    return url


def repo_of(url: str) -> str:
    """The repository a URL belongs to: ``/tree/...`` and ``/blob/...`` paths grouped under it.

    >>> repo_of("https://github.com/a/b/tree/main/x")
    'https://github.com/a/b'
    """
    m = re.match(r"(https?://(?:www\.)?(?:github\.com|gitlab\.com|bitbucket\.org)/[^/]+/[^/]+)/(?:tree|blob|-)/", url, re.I)
    return m.group(1) if m else url


def find_urls(doc: Doc, text: str | None = None):
    """Repository mentions: every http(s) URL in the text (``text``: ``doc.text``, if the caller has it)."""
    for m in _URL.finditer(doc.text if text is None else text):
        url = normalize_url(m.group(0))
        if len(url) < 12:
            continue
        span = doc.char_span(m.start(), m.start() + len(url), alignment_mode="expand")
        if span is not None:
            yield Mention(span.start, span.end, url, REPOSITORY, "url")


# ---------------------------------------------------------------------------
# acronym definitions (Schwartz & Hearst 2003)

def _short_form_ok(text: str) -> bool:
    return (1 < len(text) <= 12 and any(c.isupper() for c in text) and text[0].isalnum()
            and len(text.split()) <= 2 and not text.isdigit())


def find_long_form(short: str, words: list) -> int | None:
    """Index into ``words`` where the long form of ``short`` starts, or None.

    Schwartz & Hearst: walk the short form's characters from the end, each matched in the
    candidate text from the end; the first character must start a word.

    >>> find_long_form("ViT", ["the", "Vision", "Transformer"])
    1
    >>> find_long_form("KAPT", ["Knowledge-Aware", "Prompt", "Tuning"])
    0
    """
    text = " ".join(words)
    s = [c.lower() for c in short if c.isalpha()]
    if not s:
        return None
    si, ti = len(s) - 1, len(text) - 1
    while si >= 0:
        c = s[si]
        while ti >= 0 and (text[ti].lower() != c or (si == 0 and ti > 0 and text[ti - 1].isalnum())):
            ti -= 1
        if ti < 0:
            return None
        si -= 1
        ti -= 1
    start_char = ti + 1
    # the word that holds start_char
    pos = 0
    for i, w in enumerate(words):
        if pos <= start_char < pos + len(w) + 1:
            return i
        pos += len(w) + 1
    return None


def find_abbreviations(doc: Doc, text: str | None = None):
    """(long span, short span) pairs for "Long Form (SF)" in the text (``text``: ``doc.text``)."""
    if "(" not in (doc.text if text is None else text):
        return
    starts = [sent.start for sent in doc.sents]
    # the "(" tokens, found in the token array (iterating a Doc makes a Token object per token)
    for i in numpy.flatnonzero(doc.to_array(ORTH) == doc.vocab.strings["("]).tolist():
        tok = doc[i]
        if tok.i + 2 >= len(doc):
            continue
        sent_start = starts[bisect.bisect_right(starts, tok.i) - 1]
        close = next((t.i for t in doc[tok.i + 1: tok.i + 5] if t.text == ")"), None)
        if close is None:
            continue
        short = doc[tok.i + 1: close]
        short_text = short.text
        if " " in short_text and not re.match(r"^\S+ (?:for short|in short)$", short_text):
            short_text = short_text.split(";")[0].split(",")[0].strip()
            if not _short_form_ok(short_text):
                continue
            short = doc[tok.i + 1: tok.i + 2]
            short_text = short.text
        if not _short_form_ok(short_text):
            continue
        n_chars = sum(c.isalnum() for c in short_text)
        max_words = min(n_chars + 5, n_chars * 2)
        lo = max(sent_start, tok.i - max_words)
        window = [t for t in doc[lo: tok.i]]
        # stop at punctuation that cannot be inside a long form
        cut = max((j + 1 for j, t in enumerate(window) if t.text in {",", ";", ":", "(", ")", "."}), default=0)
        window = window[cut:]
        if not window:
            continue
        words = [t.text for t in window]
        k = find_long_form(short_text, words)
        if k is None:
            continue
        long_span = doc[window[k].i: tok.i]
        # a Title-Case long form takes the capitalised words just before it ("Vision Transformer in ...")
        for _ in range(2):
            prev = doc[long_span.start - 1] if long_span.start > sent_start else None
            if (prev is None or not long_span[0].text[:1].isupper() or not prev.text[:1].isupper()
                    or not prev.is_alpha or prev.is_sent_start or prev.tag_ not in {"NNP", "NN", "JJ", "NNPS"}):
                break
            long_span = doc[long_span.start - 1: long_span.end]
        # strip leading function words and determiners
        while len(long_span) > 1 and long_span[0].tag_ in {"DT", "IN", "CC", "PRP$", "TO"}:
            long_span = long_span[1:]
        if long_span.text.lower() == short_text.lower() or len(long_span.text) <= len(short_text):
            continue
        yield long_span, short


# ---------------------------------------------------------------------------
# typing

#: signals strong enough to outvote a paper's other mentions of the same name
STRONG = {"cue_after", "shape", "lexicon", "name_word", "cue_method_after", "lexicon_method"}


def classify(span: Span) -> tuple[str, str]:
    """Method or dataset, with the signal that decided it (see ``dataset_cues.json``)."""
    cues = dataset_cues()
    text = span.text
    doc = span.doc
    words = {w.lower() for w in re.split(r"[\s\-]+", text)}
    if words & cues["name_words"] and len(words) > 1:
        return DATASET, "name_word"  # "NATS-Bench", "Visual Task Adaptation Benchmark"
    nxt = doc[span.end].lower_ if span.end < len(doc) else ""
    nxt2 = doc[span.end + 1].lower_ if span.end + 1 < len(doc) else ""
    if nxt in cues["after"] or (nxt in {"-", "and", ","} and nxt2 in cues["after"]):
        return DATASET, "cue_after"
    if nxt in cues["method_after"]:
        return METHOD, "cue_method_after"
    if re.search(cues["shape"], text):
        return DATASET, "shape"
    if in_dataset_lexicon(text):
        return DATASET, "lexicon"
    if canonical_key(text) in method_lexicon():
        return METHOD, "lexicon_method"
    # "trained / evaluated / experiments on X": the head of the preposition says it
    prev = doc[span.start - 1] if span.start > 0 else None
    if prev is not None and prev.lower_ in {"on", "in", "across"}:
        head = prev.head
        if head.lower_ in cues["on_heads"] or head.head.lower_ in cues["on_heads"]:
            return DATASET, "cue_on"
    return METHOD, "default"


@lru_cache(maxsize=None)
def method_lexicon() -> frozenset:
    return frozenset(canonical_key(w) for w in lexicon_names()[METHOD])


def expand_name(name: str) -> list:
    """Slash and list shorthand: one name per thing named.

    >>> expand_name("CIFAR-10/100"), expand_name("CIFAR10/100-C"), expand_name("ImageNet-C/R/A")
    (['CIFAR-10', 'CIFAR-100'], ['CIFAR10-C', 'CIFAR100-C'], ['ImageNet-C', 'ImageNet-R', 'ImageNet-A'])
    >>> expand_name("ViT-B/16"), expand_name("SQuAD v1.1/v2.0")
    (['ViT-B/16'], ['SQuAD v1.1', 'SQuAD v2.0'])
    """
    m = re.match(r"^(.*?[A-Za-z\-])(\d+)((?:/\d+)+)(.*)$", name)
    if m:
        nums = [m.group(2)] + m.group(3).split("/")[1:]
        return [m.group(1) + n + m.group(4) for n in nums]
    m = re.match(r"^(.*-)([A-Z])((?:/[A-Z])+)$", name)
    if m and len(m.group(1)) > 2:
        return [m.group(1) + x for x in [m.group(2)] + m.group(3).split("/")[1:]]
    m = re.match(r"^(.*\s)(v\d+(?:\.\d+)*)((?:/v\d+(?:\.\d+)*)+)$", name)
    if m:
        return [m.group(1) + x for x in [m.group(2)] + m.group(3).split("/")[1:]]
    return [name]


# ---------------------------------------------------------------------------
# the component

class EntityFinder:
    """Wires the shape, lexicon and context matchers of ``kg/patterns`` to the functions above."""

    def __init__(self, vocab):
        self.shape_matcher = SequenceMatcher(vocab)
        self.context_matcher = Matcher(vocab)
        self.lexicon_matcher = PhraseMatcher(vocab, attr="ORTH")
        # titles are tokenised, not tagged: their matcher leaves out what needs the tagger
        self.title_matcher = SequenceMatcher(vocab)
        for p in read_jsonl("entity_shapes.jsonl"):
            self.shape_matcher.add(p["id"], expand_shapes(p["pattern"]))
            untagged = [{k: v for k, v in tok.items() if k not in {"TAG", "POS", "IS_SENT_START"}}
                        for tok in expand_shapes(p["pattern"])]
            self.title_matcher.add(p["id"], untagged)
        context = {p["id"]: expand_shapes(p["pattern"]) for p in read_jsonl("entity_context.jsonl")}
        for key, pattern in context.items():
            self.context_matcher.add(key, [pattern])
        # the context patterns are run only on texts that hold one of their cue words
        self.context_gate = gate_of(list(context.values()), vocab)
        make = tokenizer_for(vocab)
        for etype, names in lexicon_names().items():
            self.lexicon_matcher.add("lexicon_" + etype, [make(n) for n in names])
        self.vocab = vocab

    def __call__(self, doc: Doc) -> list:
        return list(self.match(doc))

    def match(self, doc: Doc, parsed: bool = True):
        """Entity mentions of a Doc, without overlaps (the longest span wins).

        On an unparsed Doc (a title, tokenised only) only shapes, lexicons and URLs apply.
        """
        spans = []  # (span, rule, long form)
        text = doc.text  # (a property that joins every token's text: read it once)
        urls = list(find_urls(doc, text))
        url_tokens = {i for m in urls for i in range(m.start, m.end)}
        for rule, s, e in (self.shape_matcher if parsed else self.title_matcher)(doc):
            spans.append((doc[s:e], rule, ""))
        for match_id, s, e in self.lexicon_matcher(doc):
            spans.append((doc[s:e], self.vocab.strings[match_id], ""))
        generic = set()  # acronyms this text defines as something generic ("data augmentation (DA)")
        for long_span, short in (find_abbreviations(doc, text) if parsed else ()):
            if is_stopped(short.text) or is_stopped(long_span.text):
                generic.add(canonical_key(short.text))
                continue
            if long_span.text.islower() and not in_proposal(long_span):
                generic.add(canonical_key(short.text))
                continue
            spans.append((long_span, "abbreviation_long", ""))
            spans.append((short, "abbreviation_short", long_span.text))
        gated = self.context_gate is not None and self.context_gate.isdisjoint(lower_hashes(doc))
        for match_id, s, e in (self.context_matcher(doc) if parsed and not gated else ()):
            name = _named_span(doc[s:e])
            if name is not None:
                spans.append((name, self.vocab.strings[match_id], ""))
        # the longest span wins; for one span, what an acronym definition says wins
        ranked = sorted(spans, key=lambda x: (x[0].start, -(x[0].end - x[0].start),
                                              not x[1].startswith(("abbreviation", "ctx_"))))
        kept = filter_spans([x[0] for x in ranked])
        info = {}
        for span, rule, lf in ranked:
            info.setdefault((span.start, span.end), (rule, lf))
        yield from urls
        typed = list(self._typed(doc, kept, info, url_tokens, generic))
        yield from harmonise_lists(doc, typed) if parsed else typed

    def _typed(self, doc, kept, info, url_tokens, generic):
        for span in sorted(kept, key=lambda s: s.start):
            if url_tokens.intersection(range(span.start, span.end)):
                continue
            rule, lf = info.get((span.start, span.end), ("shape_token", ""))
            span = _trim(span)
            if span is None:
                continue
            text = span.text.rstrip(".,;:")
            if is_stopped(text) or canonical_key(text) in generic:
                continue
            if rule == "lexicon_method":
                etype, why = METHOD, "lexicon_method"
            else:
                etype, why = classify(span)
            yield Mention(span.start, span.end, text, etype, rule, lf, why)


def coordination_group(tok) -> list:
    """Every token coordinated with ``tok`` ("A, B and C"), ``tok`` included."""
    first = tok
    while first.dep_ == "conj" and first.head is not first:
        first = first.head
    group, stack = [], [first]
    while stack:
        t = stack.pop()
        group.append(t)
        stack.extend(c for c in t.children if c.dep_ in {"conj", "appos"})
    return group


def harmonise_lists(doc: Doc, mentions: list) -> list:
    """Names coordinated in one list share a type: "Cityscapes, ACDC, and NYUv2 datasets".

    A mention typed only by default takes the type that the strong signals of its list
    agree on.
    """
    by_tok = {i: k for k, m in enumerate(mentions) for i in range(m.start, m.end)}
    out = list(mentions)
    for k, m in enumerate(mentions):
        if m.signal in STRONG or m.type == REPOSITORY:
            continue
        root = doc[m.start:m.end].root
        others = {by_tok[t.i] for t in coordination_group(root) if t.i in by_tok and by_tok[t.i] != k}
        strong = {mentions[j].type for j in others if mentions[j].signal in STRONG}
        if len(strong) == 1 and m.type not in strong:
            out[k] = Mention(m.start, m.end, m.text, strong.pop(), m.rule, m.long_form, "list")
    return out


def tokenizer_for(vocab):
    """A function making a tokenised (unparsed) Doc with the vocabulary's tokenizer rules."""
    from spacy.lang.en import English

    nlp = English(vocab=vocab)
    return nlp.make_doc


@lru_cache(maxsize=None)
def proposal_words() -> dict:
    """The word sets of ``proposal.json``."""
    data = read_json("proposal.json")
    return {k: frozenset(v) for k, v in data.items()}


def in_proposal(span: Span) -> bool:
    """A span inside a sentence where the authors name their own contribution."""
    words = {t.lower_ for t in span.sent}
    return not words.isdisjoint(proposal_words()["verbs"]) and not words.isdisjoint(proposal_words()["authors"])


def _trim(span: Span) -> Span | None:
    """Drop leading/trailing punctuation, possessives and determiners from a name span."""
    while len(span) and (span[-1].is_punct and span[-1].text not in {"+", "++"} or span[-1].tag_ == "POS"):
        span = span[:-1]
    while len(span) and (span[0].is_punct or span[0].tag_ in {"DT", "PRP$"}):
        span = span[1:]
    if not len(span) or not any(c.isalpha() for c in span.text):
        return None
    return span


def _named_span(span: Span) -> Span | None:
    """The name that a naming phrase introduces: the words after the naming words."""
    doc = span.doc
    end = span.end
    start = end - 1
    while start > span.start and (not doc[start - 1].is_punct or doc[start - 1].text in {"-", "–"}) \
            and doc[start - 1].lower_ not in proposal_words()["naming_words"]:
        start -= 1
    return _trim(doc[start:end])
