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

import re

from spacy.matcher import Matcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from ..resolve import canonical_key
from ..seqmatch import SequenceMatcher
from .acronyms import find_abbreviations, find_long_form
from .classify import (STRONG, classify, dataset_name_word, expand_name, harmonise_lists, in_proposal)
from ..nlp import doc_text
from ..patterns import read_json, read_jsonl
from .data import (DATASET, METHOD, REPOSITORY, Mention, dataset_cues, expand_shapes, gate_of, in_dataset_lexicon,
                   is_stopped, lower_hashes, not_entity_shape, not_entity_shapes, proposal_words, required_words, shapes)
from .lexicon import find_known, known_type
from .urls import find_urls, normalize_url, repo_of

# ---------------------------------------------------------------------------
# the component

class EntityFinder:
    """Wires the shape, lexicon and context matchers of ``kg/patterns`` to the functions above."""

    def __init__(self, vocab):
        self.shape_matcher = SequenceMatcher(vocab)
        self.context_matcher = Matcher(vocab)
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
        self.vocab = vocab
        #: called with each candidate name the not-entity rules stop (bench/pattern_firings.py)
        self.on_stop = None

    def __call__(self, doc: Doc) -> list:
        return list(self.match(doc))

    def match(self, doc: Doc, parsed: bool = True):
        """Entity mentions of a Doc, without overlaps (the longest span wins).

        On an unparsed Doc (a title, tokenised only) only shapes, lexicons and URLs apply.
        """
        spans = []  # (span, rule, long form)
        text = doc_text(doc)
        urls = list(find_urls(doc, text))
        url_tokens = {i for m in urls for i in range(m.start, m.end)}
        for rule, s, e in (self.shape_matcher if parsed else self.title_matcher)(doc):
            spans.append((doc[s:e], rule, ""))
        for s, e, etype in find_known(doc):
            spans.append((doc[s:e], "lexicon_" + etype, ""))
        generic = set()  # acronyms this text defines as something generic ("data augmentation (DA)")
        for long_span, short in (find_abbreviations(doc, text) if parsed else ()):
            if ((not_entity_shape(long_span.text) in _SPELLED
                 or re.match(shapes()["DESCRIBED_LONG_FORM"], long_span.text))
                    and not is_stopped(short.text) and not is_stopped(long_span.text.lower())):
                # ALBEF (ALign ... BEfore Fusing), RTSM (a reverse version of TSM): the short form is
                # the name, the long one spells out its letters or describes it (and is not a task)
                spans.append((short, "abbreviation_short", ""))
                generic.update(range(long_span.start, long_span.end))
                continue
            if (is_stopped(long_span.text) or long_span.text.islower() and not in_proposal(long_span)
                    and not _named_after(short.text, text)
                    or long_span[-1].lower_ in read_json("proposed_names.json")["concept_heads"]  # "Scene Graph Knowledge"
                    or re.search(shapes()["PLURAL_ACRONYM"], short.text)):  # "Latent Diffusion Models (LDMs)"
                generic.add(canonical_key(short.text))
                # no name inside a generic long form: "Post" of "Post-training Quantization"
                generic.update(range(long_span.start, long_span.end))
                continue
            if is_stopped(short.text):
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
        parts = [part for s in kept for part in _pair_parts(s)]
        paired = {(p.start, p.end) for p in parts} - {(s.start, s.end) for s in kept}
        for span in sorted(parts, key=lambda s: s.start):
            if url_tokens.intersection(range(span.start, span.end)):
                continue
            rule, lf = info.get((span.start, span.end), ("shape_token", ""))
            span = _trim(span)
            if span is None:
                continue
            if (span.end < len(doc) and doc[span.end].text in {"+", "++"} and not span[-1].whitespace_
                    and span[-1].text[-1:].isalnum() and (span.end + 1 == len(doc) or not doc[span.end + 1].is_alpha
                                                          or doc[span.end].whitespace_)):
                span = doc[span.start:span.end + 1]  # "EVA-02-CLIP-E/14+", "Grad-CAM++"
            if (span.end < len(doc) and span[-1].like_num and not span[-1].whitespace_
                    and doc[span.end].text in {"K", "k", "M", "B"}):
                span = doc[span.start:span.end + 1]  # "ImageNet 1K": the tokenizer split the size off
            if (span.start, span.end) not in paired and _cut_compound(doc, span) and known_type(span.text) is None:
                continue
            if (len(span) > 1 and span[-1].like_num and span.end < len(doc)
                    and doc[span.end].lower_ in {"%", "x", "×", "percent", "times"}):
                span = span[:-1]  # "ImageNet 1%", "ImageNet 32 x 32": the number is not a version
            text = span.text.rstrip(".,;:")
            if (span.end < len(doc) and doc[span.end].lower_ in dataset_cues()["metric_after"]
                    and not in_dataset_lexicon(text) and known_type(text) != DATASET):
                continue  # "a CLIPIQA score", "the Inception Score": a metric ("GLUE score" is GLUE's)
            if span.end < len(doc) and doc[span.end].lower_ in dataset_cues()["organisation_after"]:
                continue  # "achieved by NLNDE team": a team
            if is_stopped(text) or canonical_key(text) in generic or generic.issuperset(range(span.start, span.end)):
                if self.on_stop is not None:
                    self.on_stop(text)
                continue
            if len(span) > 1 and span[-1].like_num and is_stopped(span[:-1].text):
                continue  # "IPC 20", "Top-1 5": a stopped word with its number
            if len(span) == 1 and text.isalpha() and text.islower() and known_type(text) is None:
                continue  # one lower-case word is a common noun ("this instance of ...")
            if _enumerator(doc, span) or _after_citation_key(doc, span):
                continue
            etype, why = classify(span)
            if why in _NAME_ONLY and _letter_digit(text):
                continue  # "COCO detection (FPN / C4)": a stage, unless the sentence says "C4 dataset"
            yield Mention(span.start, span.end, text, etype, rule, lf, why)



#: not-entity shapes of a long form that spells out its acronym's letters ("ALign ... BEfore Fusing")
_SPELLED = frozenset({"odd_case", "spelled_acronym_word"})
#: type signals that come from the name alone, not from the sentence
_NAME_ONLY = frozenset({"default", "list", "lexicon", "lexicon_method", "lexicon_generated"})


def _named_after(short: str, text: str) -> bool:
    """Whether a coined name in ``text`` is the acronym with a capitalised word before it ("Eigen-CAM"
    and "Grad-CAM" of "class activation map (CAM)"): what the acronym stands for is a method then.

    >>> _named_after("CAM", "class activation map (CAM) ... The proposed Eigen-CAM computes ...")
    True
    >>> _named_after("DA", "data augmentation (DA) helps DA-based training")
    False
    """
    return re.search(r"(?<![\w-])[A-Z][A-Za-z0-9]*-%s(?![\w-])" % re.escape(short), text) is not None


def _enumerator(doc: Doc, span: Span) -> bool:
    """A list item's label opening a sentence or following a colon: "three solutions: (S1) Rational
    basis. ... (S3) Variance-preserving initialization" ("(S4)" after a long form is a name)."""
    s, e = span.start, span.end
    if len(span) != 1 or not re.match(r"^[A-Z]\d{1,2}$", span.text) or s == 0 or e >= len(doc):
        return False
    if doc[s - 1].text != "(" or doc[e].text != ")":
        return False
    return s - 1 == doc[s - 1].sent.start or s > 1 and doc[s - 2].text in {":", ";"}


def _after_citation_key(doc: Doc, span: Span) -> bool:
    """A word in a list of bibliography keys left in the text: "tasks bordes2014semantic,RetrievalQA"."""
    s = span.start
    return (s > 1 and doc[s - 1].text == "," and not doc[s - 1].whitespace_ and not doc[s - 2].whitespace_
            and re.match(r"^[a-z]+(?:19|20)\d\d[a-z]*$", doc[s - 2].text) is not None)


def _letter_digit(text: str) -> bool:
    """The shape of a backbone stage or level (C4, P5), which a few known names share (C4 the corpus)."""
    return any(rid == "letter_digit" and rx.search(text) for rid, rx in not_entity_shapes())


def _pair_parts(span: Span) -> list:
    """A span written as two names joined by "-to-" ("BERT-to-TinyBERT" distillation) is two names."""
    words = [t.lower_ for t in span]
    for k in range(2, len(span) - 2):
        if words[k] == "to" and span[k - 1].text in _HYPHENS and span[k + 1].text in _HYPHENS \
                and not any(t.whitespace_ for t in span[k - 2:k + 1]) \
                and _name_shaped(span[:k - 1].text) and _name_shaped(span[k + 2:].text):
            return [span[:k - 1], span[k + 2:]]
    return [span]


def _name_shaped(text: str) -> bool:
    """Two capitals or a digit: "BERT", "TinyBERT", "ResNet-50" (not "Text" of "Text-to-Text")."""
    return sum(c.isupper() for c in text) >= 2 or any(c.isdigit() for c in text)


def _cut_compound(doc: Doc, span: Span) -> bool:
    """A span cut out of a longer hyphenated compound: "Path NAS" of "Single-Path NAS", "Leave-One"
    of "Leave-One-Out" (a compound going on with a lower-case word, "BERT-based", is not cut)."""
    s, e = span.start, span.end
    if s >= 2 and doc[s - 1].text in _HYPHENS and not doc[s - 2].whitespace_ and not doc[s - 1].whitespace_ \
            and doc[s - 2].text[-1:].isalnum():
        return True
    if not (e + 1 < len(doc) and doc[e].text in _HYPHENS and not doc[e - 1].whitespace_ and not doc[e].whitespace_):
        return False
    if (doc[e + 1].text in _GLUE_WORDS and e + 2 < len(doc) and doc[e + 2].text in _HYPHENS
            and not doc[e + 1].whitespace_):
        return True  # "Fused-Multiply" of "Fused-Multiply-and-Accumulate"
    # going on with a capital ("Leave-One-Out"), or a plain word after a plain word ("Multi-modal")
    return doc[e + 1].text[:1].isupper() or len(span) == 1 and span.text.istitle() and doc[e + 1].is_lower


_HYPHENS = {"-", "–", "‐"}
#: lower-case words inside a hyphenated compound ("Multiply-and-Accumulate", "State-of-the-Art")
_GLUE_WORDS = {"and", "or", "of", "the", "to", "in", "for", "by"}


def _trim(span: Span) -> Span | None:
    """Drop leading/trailing punctuation, possessives and determiners from a name span."""
    while len(span) and (span[-1].is_punct and span[-1].text not in {"+", "++"} or span[-1].tag_ == "POS"
                         or span[-1].text in {"+", "++"} and len(span) > 1 and span[-2].whitespace_):
        span = span[:-1]  # a "+" is kept glued to the name ("Grad-CAM++"), not after a space ("ResNet-50 + SE")
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
            and not (doc[start - 1].lower_ in proposal_words()["naming_words"] and doc[start - 1].is_lower):
        start -= 1  # a capitalised naming word is inside the name ("called Noise As Targets")
    name = _trim(doc[start:end])
    if name is not None and name[-1].lower_ in _GLUE_WORDS | {"as", "with", "on", "at"}:
        return None  # "Noise As" of "Noise As Targets": a name ends on no function word
    if name is not None and name.text.islower() and name[-1].lower_ in read_json("proposed_names.json")["concept_heads"]:
        return None  # "we call it explicit knowledge": a concept, not a technique
    return name
