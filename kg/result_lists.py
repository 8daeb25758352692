"""Lists in a results sentence: which of several listed methods or baselines each of several listed
numbers belongs to ("the error of A and B is reduced by N1 and N2, respectively", "N1 and N2 more
accurate than A and B"), read from the text of one piece of a sentence (:mod:`kg.results`).
"""
from __future__ import annotations

import re

METHOD = "method"
#: the text between two coordinated names: "A, B and C", "A / B"
COORDINATED = re.compile(r"^(?:\s|,|/|and\b|or\b|as well as\b|the\b)*$", re.I)


def segment(stext: str, a: int) -> tuple:
    """The clause around position ``a``: between semicolons or colons."""
    lo = max(stext.rfind(";", 0, a), stext.rfind(":", 0, a)) + 1
    hi = min([i for i in (stext.find(";", a), stext.find(":", a)) if i >= 0] or [len(stext)])
    return lo, hi


def listed_overs(stext: str, numbers: list, groups: list, mentions: list) -> dict:
    """"1.9%, 1.3% and 3.6% higher accuracy than A, B and C": number index -> baseline, in order."""
    out = {}
    for run in (r for r in groups if len(r) > 1 and all(numbers[i].delta for i in r)):
        lo, hi = segment(stext, numbers[run[0]].start)
        lists: list = [[]]
        for m in (m for m in mentions if m.type == METHOD and lo <= m.start < hi):
            # (a bracket between two names is a note on the first: "MobileNetv3 (CNN-based) and DeIT")
            if lists[-1] and COORDINATED.match(re.sub(r"\([^()]*\)", "", stext[lists[-1][-1].end:m.start])):
                lists[-1].append(m)
            else:
                lists.append([m] if m.role == "compared" else [])
        match = next((ms for ms in lists if len(ms) == len(run)), None)
        if match:
            out.update({i: m.names[0] for i, m in zip(run, match)})
    return out


def listed_methods(stext: str, numbers: list, groups: list, mentions: list) -> dict:
    """"the error of A, B and C is reduced by N1, N2 and N3, respectively": number index -> method."""
    if "respectively" not in stext.lower():
        return {}
    out = {}
    for run in groups:
        if len(run) < 2:
            continue
        lo, _ = segment(stext, numbers[run[0]].start)
        group: list = []
        for m in mentions:
            if m.type != METHOD or m.role == "compared" or not lo <= m.start < numbers[run[0]].start:
                continue
            if group and COORDINATED.match(stext[group[-1].end:m.start]):
                group.append(m)
            else:
                group = [m]
        if len(group) == len(run):
            out.update({i: m.names[0] for i, m in zip(run, group)})
    return out
