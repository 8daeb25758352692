"""Which numbers in a sentence are results, read from its text (no parse needed).

A number is a result when it is a percentage, stands next to a metric ("57.8 PQ", "an FID of
2.27"), is a signed or point margin ("+4.6 on MLVU", "0.52pp"), or continues a list of results
("4.59 on D2, and 7.72 on D3"). It is not when it is a speed, size or cost figure ("5x faster",
"51% fewer parameters", "reducing latency by 15%"), a range ("9%-19%", "between 95% and 100%"),
a bound ("over 80%", "within 0.4%"), a compared figure ("91.9% vs. 90.1%") or part of a name
("96k", "ResNet-50"); "up to" is kept only for a level a method reaches ("achieves up to 82.5%"),
never for a gain. A margin (``delta``) is said by "by", "+", "improvement of", "N% higher/better".
The word lists are data: ``kg/patterns/metrics.json``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .metrics import lexicon

__all__ = ["Number", "numbers_in"]

# adjectives and determiners between a cue word and the name it governs ("than the strong X")
DETERMINERS = (r"(?:(?:the|a|an|strong|previous|prior|current|recent|popular|original|vanilla|standard|its|their|"
               r"competitive|leading|best|state-of-the-art|sota|widely|used|same|similar|baseline)\s+)*")


@dataclass
class Number:
    start: int  # offsets in the sentence's text
    end: int
    value: float
    unit: str | None
    metric: str
    delta: bool
    signal: bool  # the number says itself whether it is a level or a margin


def words(ws) -> str:
    return "|".join(re.escape(w) for w in sorted(ws, key=len, reverse=True))


@lru_cache(maxsize=None)
def rx() -> dict:
    """The regular expressions, built once from the word lists."""
    lx = lexicon()
    forms = words(f for m in lx["metrics"] for f in m["forms"])
    stop = r"(?:on|in|for|with|and|or|of|at|to|by|the|a|an|while|than|over|compared|which|from|%s)" % words(
        lx["delta_after"])
    return {
        "num": re.compile(r"(?:(?<![\w.\-|])|(?<=approx))(\+\s?)?(\d+(?:\.\d+)?)(?:\s?(%|\\%|percent\b))?(?![\d|])"),
        "metric_after": re.compile(r"^\s?(?:dB\s+)?((?:(?!%s\b)[\w-]+\s){0,2}?(?:%s))(?![\w@])" % (stop, forms), re.I),
        "metric_before": re.compile(r"\b(%s)(?:\s*\([^()]{0,40}\))?\s*(?:of|to|is|was|=|:|by|at)?\s*"
                                    r"(?:up to|about|approx\.?|around|nearly)?\s*$" % forms, re.I),
        "metric_any": re.compile(r"(?<![\w-])(%s)(?![\w@])" % forms, re.I),
        "top_k_error": re.compile(r"^\s*(?:(?:and|,|/)\s*[\d.]+\s?%?\s*top-\d\s+|\([^()]*\)\s*)err", re.I),
        "cost_after": re.compile(r"^\s?(?:(?:higher|lower|more|less|[a-z]+)\s)?(?:%s)(?![\w-])" % words(lx["cost_after"]),
                                 re.I),
        "cost_before": re.compile(r"\b(?:%s)\b[^.;:%%]{0,50}\bby\s*(?:up to\s*)?$" % words(lx["cost_before"]), re.I),
        "bound": re.compile(r"(?:^|[\s(])(?:%s)\s*$" % words(lx["bounds"]), re.I),
        "range_before": re.compile(r"(?:\d\s?%?\s?(?:-|–|—|to)|\bbetween\s+\S+\s+and)\s?$", re.I),
        "range_after": re.compile(r"^\s?%?\s?(?:-|–|—|to\s)\s?\d"),
        "condition": re.compile(r"(?:^|[,;:(]\s*)(?:for (?:example|instance),?\s*|e\.g\.,?\s*)?at\s+$", re.I),
        "up_to": re.compile(r"\bup\s+to\s*$", re.I),
        "level_up_to": re.compile(r"\b(?:%s)\s+up\s+to\s*$" % words(lx["level_verbs"]), re.I),
        "by": re.compile(r"\bby\s*(?:about|approx\.?|around|nearly|roughly|almost|only|an?\s+absolute|up to)?\s*$", re.I),
        "delta_before": re.compile(r"\b(?:%s)\s*(?:of\s*)?(?:about\s*|up to\s*)?\+?\s*$" % words(lx["delta_before"]),
                                   re.I),
        "delta_after": re.compile(r"^\s?(?:%s)\b" % words(lx["delta_after"]), re.I),
        "cue": re.compile(r"\b(?:%s)\b" % words(lx["result_cues"]), re.I),
        "points": re.compile(r"^\s?(?:points?|pp)\b", re.I),
        "list_gap": re.compile(r"^(?:\s|,|/|%|\(|\)|\x00|\b(?:and|or|on|in|for|at|the|its|validation|val|test|dev|set|"
                               r"split|data|dataset|datasets|benchmark)\b)*$", re.I),
        "list_end": re.compile(r"^\s?(?:[,.;:)/]|and\b|or\b|on\b|in\b|for\b|at\b|respectively\b|$)", re.I),
        "joined": re.compile(r"^\s*%%?\s*(?:(?:%s)\s*)?(?:/|,|and|or|,\s*and)\s*$" % forms, re.I),
        "more_accurate": re.compile(r"^\s?more\s+accurate\b", re.I),
        "versus_after": re.compile(r"^\s?%?\s*(?:vs\.?|v\.s\.|versus)(?!\w)", re.I),
        "glued": re.compile(r"^[A-Za-z]"),
    }


def numbers_in(stext: str, skip: list, gaps: list, cued: bool = False) -> list:
    """The result numbers of a sentence's text.

    ``skip`` holds (start, end) spans of names, whose digits are not numbers; ``gaps`` those of
    the names a list of results may run through ("2.97 on D1, 4.59 on D2"); ``cued``: the caller
    knows the sentence reports results, so a percentage needs no result word beside it.

    >>> [(n.value, n.unit, n.metric, n.delta) for n in numbers_in("X gets 85.5% top-1 accuracy, 2x faster.", [], [])]
    [(85.5, '%', 'top-1 accuracy', False)]
    >>> [(n.value, n.metric, n.delta) for n in numbers_in("X beats Y by 2.4% while using 30% fewer FLOPs.", [], [])]
    [(2.4, '', True)]
    """
    r = rx()
    cued = cued or bool(r["cue"].search(stext))
    out: list[Number] = []
    pending = blocked = None  # a bare number a following result may take into its list; a rejected "up to"
    for mt in r["num"].finditer(stext):
        a, b = mt.start(), mt.end()
        if any(s <= a < e for s, e in skip):
            continue
        before, after = stext[:a], stext[b:]
        sign, unit = bool(mt.group(1)), ("%" if mt.group(3) else None)
        metric, rest = "", after
        ma = r["metric_after"].match(after)
        if ma:
            metric, rest = ma.group(1), after[ma.end():]
        elif mb := r["metric_before"].search(before):
            metric = mb.group(1)
        if r["more_accurate"].match(after):
            metric = "accuracy"
        elif metric.lower() in ("top-1", "top-5") and r["top_k_error"].match(rest):
            metric += " error"  # "21.2% top-1 and 5.6% top-5 error"
        points = bool(r["points"].match(after))
        if (r["range_before"].search(before) or r["range_after"].match(after)
                or (r["bound"].search(before) and not r["by"].search(before)) or r["versus_after"].match(after)
                or (r["cost_after"].match(after) and not r["more_accurate"].match(after))
                or r["cost_before"].search(before) or r["condition"].search(before)
                or (r["glued"].match(after) and not unit and not ma and not points) or after[:1] == "%"):
            continue
        delta = sign or points or bool(r["by"].search(before) or r["delta_before"].search(before)
                                       or r["delta_after"].match(rest) or r["delta_after"].match(after)
                                       or r["more_accurate"].match(after))
        if blocked is not None and r["joined"].match(stext[blocked:a]) or \
                r["up_to"].search(before) and (delta or not r["level_up_to"].search(before)):
            blocked = b  # "improvements of up to 6.5% and 4.1%": the whole list is a bound
            continue
        blocked = None
        n = Number(a, b, float(mt.group(2)), unit, metric.lower(), delta, delta or bool(metric))
        prev = out[-1] if out else None
        listed = prev is not None and _listed(stext, prev, n, gaps)
        if not (unit or metric or sign or points):
            # a bare number is a result only as an item of a list of results (and never a year)
            if not listed or len(mt.group(2)) == 4 and "." not in mt.group(2):
                pending = n if r["list_end"].match(after) else None
                continue
        elif not (metric or sign or cued):
            continue
        if pending is not None and r["joined"].match(stext[pending.end:a]):
            out.append(pending)  # "0.78 and 0.76 Spearman correlation"
        pending = None
        if listed and not n.signal:
            n.delta, n.metric = prev.delta, prev.metric
        out.append(n)
    for p, n in zip(out[::-1][1:], out[::-1]):
        # "2.8%/1.0% top-1 accuracy improvements": the first item takes what the list ends with
        if not p.signal and r["joined"].match(stext[p.end:n.start]):
            p.metric, p.delta, p.signal = n.metric, n.delta, n.signal
    for run in runs(stext, out):
        # "which are 2.6 AP, 0.8 / 1.0 mAP and 1.0 mIoU better than B": a list said to be better is of margins
        last = out[run[-1]]
        rest = stext[last.end:].lstrip()
        rest = rest[len(last.metric):] if rest.lower().startswith(last.metric) else rest
        if len(run) > 1 and last.delta and r["delta_after"].match(rest) and _COPULA.search(stext[:out[run[0]].start]):
            for i in run:
                out[i].delta = True
    for n in out:
        if not n.metric:
            n.metric = _metric_in_clause(stext, n.start)
    return out


_COPULA = re.compile(r"\b(?:is|are|was|were|being)\s+(?:about\s+|roughly\s+)?$", re.I)


def _listed(stext: str, prev: Number, n: Number, gaps: list) -> bool:
    """Whether ``n`` continues a list that ``prev`` opened ("2.97 on D1, 4.59 on D2")."""
    gap = stext[prev.end:n.start]
    for s, e in sorted(gaps, reverse=True):
        if prev.end <= s and e <= n.start:
            gap = gap[:s - prev.end] + "\x00" + gap[e - prev.end:]
    return bool(rx()["list_gap"].match(gap)) and bool(rx()["list_end"].match(stext[n.end:]))


def _metric_in_clause(stext: str, a: int) -> str:
    """The last metric named before position ``a`` in its clause ("the accuracy of X improves by 1.7%")."""
    clause = re.split(r"[;:]", stext[:a])[-1]
    found = list(rx()["metric_any"].finditer(clause))
    return found[-1].group(1).lower() if found else ""


def runs(stext: str, numbers: list) -> list:
    """Numbers joined into lists ("5.6%, 4.5%, 3.0% and 3.5%"), as lists of indices."""
    out = []
    for i, n in enumerate(numbers):
        if out and rx()["joined"].match(stext[numbers[i - 1].end:n.start]):
            out[-1].append(i)
        else:
            out.append([i])
    return out


_SENTENCE_END = re.compile(r"(\w*)[.!?](?=\s+[A-Z(])")
_ABBREVIATIONS = {"al", "vs", "eg", "ie", "cf", "fig", "approx", "resp", "no", "e.g", "i.e", "etc"}


def pieces(text: str, a: int, b: int):
    """A parsed sentence cut where the parser missed a full stop ("... ImageNet-1K. Our method ...")."""
    start = a
    for m in _SENTENCE_END.finditer(text, a, b):
        word = m.group(1)
        if word.lower() in _ABBREVIATIONS or (len(word) == 1 and word.isupper()):
            continue
        yield start, m.end()
        start = m.end() + 1
        while start < b and text[start].isspace():
            start += 1
    if start < b:
        yield start, b
