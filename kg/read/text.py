"""Text clean-up: plain text from scraped or LaTeX-flavoured strings, and lines of a text.

The LaTeX commands understood, and what each becomes, are data: ``data/latex.json``.
"""
from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

_LATEX = json.loads((Path(__file__).parent / "data" / "latex.json").read_text(encoding="utf-8"))
_LATEX_ACCENTS = _LATEX["accents"]
_LATEX_SYMBOLS = _LATEX["symbols"]
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
# soft hyphen, zero-width space and word joiner, stray BOMs, bidirectional overrides
_INVISIBLE = re.compile(r"[\u00ad\u200b\u2060\ufeff\u202a-\u202e\u2066-\u2069]")
_WS = re.compile(r"\s+")
# a LaTeX tie (unbreakable space) before a bracket: "Low Rank Adapters~(LoRA)"
_TIE = re.compile(r"(?<=\w)~(?=\()")
_LATEX_LINEBREAK = re.compile(r"\\\\")
_LATEX_DROP = re.compile(r"\\(?:cite[a-z]*|[a-z]*ref|label)\*?\s*(?:\[[^\[\]]*\]\s*)?\{[^{}]*\}")
_LATEX_HREF = re.compile(r"\\href\s*\{([^{}]*)\}\s*\{([^{}]*)\}")
_LATEX_FRAC = re.compile(r"\\[dt]?frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}")
_STYLE_CMD = re.compile(
    r"\\(?:textbf|textit|textsl|textsc|texttt|textrm|textsf|textup|textnormal|text|emph|underline|url|"
    r"mathrm|mathbf|mathit|mathcal|mathbb|mathsf|mathtt|mathfrak|mathscr|boldsymbol|bm|operatorname|"
    r"mbox|hbox|sqrt|tilde|widetilde|hat|widehat|bar|overline|vec|dot|ddot)\*?\s*\{([^{}]*)\}")
_DOTLESS = re.compile(r"\{?\\([ij])(?![A-Za-z])\}?")
_ACCENT = re.compile(r"\\([`'^\"~=.])\s*(?:\{\s*([A-Za-z])\s*\}|([A-Za-z]))"
                     r"|\\([cvuHrkbd])(?:\s*\{\s*([A-Za-z])\s*\}|\s+([A-Za-z])(?![A-Za-z]))")
_MATH = re.compile(r"\$\$?([^$]{0,200}?)\$\$?")
_MATH_DELIM = re.compile(r"\\[()\[\]]")
_SYMBOL_CMD = re.compile(r"\\([A-Za-z]+|[%&_#${},;:! ])")
_SCRIPT_GROUP = re.compile(r"([_^])\{([^{}]*)\}")
_STRAY_BACKSLASH = re.compile(r"\\")
_DOLLAR = "\ue000"  # a private-use stand-in for "\\$" while math is read


def _accent(m: re.Match) -> str:
    mark = m.group(1) or m.group(4)
    letter = m.group(2) or m.group(3) or m.group(5) or m.group(6)
    return unicodedata.normalize("NFC", letter + _LATEX_ACCENTS[mark])


def _latex_to_text(s: str) -> str:
    """Plain text from LaTeX markup as arXiv abstracts carry it.

    Every pattern here is linear: a group never spans its own delimiter.
    """
    if "\\" not in s and "$" not in s:
        return s
    s = _LATEX_LINEBREAK.sub(" ", s).replace("\\$", _DOLLAR)  # an escaped $ is no math delimiter
    s = _LATEX_HREF.sub(r"\2 (\1)", s)
    s = _LATEX_DROP.sub("", s)  # \cite{...}, \ref{...}, \label{...}
    s = _LATEX_FRAC.sub(r"\1/\2", s)
    for _ in range(3):  # nested \textbf{\emph{x}}
        s2 = _STYLE_CMD.sub(r"\1", s)
        if s2 == s:
            break
        s = s2
    s = _DOTLESS.sub(r"\1", s)  # \'{\i} -> í
    s = _ACCENT.sub(_accent, s)
    s = _MATH.sub(lambda m: m.group(1), s)
    s = _MATH_DELIM.sub("", s)  # \( \) \[ \]
    s = _SYMBOL_CMD.sub(lambda m: _LATEX_SYMBOLS.get(m.group(1), ""), s)
    s = _SCRIPT_GROUP.sub(r"\1\2", s)  # 10^{-3} -> 10^-3
    s = s.replace("{", "").replace("}", "")
    return _STRAY_BACKSLASH.sub("", s).replace(_DOLLAR, "$")


def clean_text(s) -> str:
    """Plain text from a scraped or LaTeX-flavoured string, whitespace normalised.

    >>> clean_text("Fr\\\\'echet  distance of 3.5\\\\% with $\\\\ell_2$ and \\\\textbf{bold}")
    'Fréchet distance of 3.5% with ℓ_2 and bold'
    >>> clean_text("Title\\n  continued\\u00a0here\\u200b ")
    'Title continued here'
    """
    if not s:
        return ""
    s = unicodedata.normalize("NFC", str(s))
    s = _SURROGATE.sub("\ufffd", s)
    s = _CONTROL.sub(" ", s)
    s = _INVISIBLE.sub("", s)
    s = _TIE.sub(" ", _latex_to_text(s))
    return _WS.sub(" ", s).strip()


def split_lines(text: str) -> list:
    """Lines of a text: split at ``\\n`` only (a ``\\r`` before it dropped), or at ``\\r`` in
    a file that has no ``\\n``. Form feeds, U+2028 and the like stay inside their line, so
    line numbers are the ones an editor shows.

    >>> split_lines("a\\r\\nb\\u2028c\\n"), split_lines("a\\rb")
    (['a', 'b\\u2028c', ''], ['a', 'b'])
    """
    if "\n" not in text and "\r" in text:
        return text.split("\r")
    return [ln[:-1] if ln.endswith("\r") else ln for ln in text.split("\n")]

