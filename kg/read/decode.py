"""Bytes to text: BOMs, UTF-16 without a BOM, undecodable bytes, binary files."""
from __future__ import annotations

from .paper import Report

#: Bytes looked at to tell text from binary and to guess a BOM-less encoding.
SNIFF_BYTES = 8192

_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
         (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
_ENCODING_NAMES = {"utf-8": "UTF-8", "utf-16-le": "UTF-16", "utf-16-be": "UTF-16",
                   "utf-32-le": "UTF-32", "utf-32-be": "UTF-32"}


def sniff_encoding(head: bytes) -> tuple[str | None, int]:
    """``(encoding, BOM length)`` of a file from its first bytes; encoding None: binary.

    >>> sniff_encoding("\\ufeffhi".encode("utf-16-le")), sniff_encoding("hi there".encode("utf-16-be"))
    (('utf-16-le', 2), ('utf-16-be', 0))
    >>> sniff_encoding(b"plain"), sniff_encoding(b"\\x89PNG\\r\\n\\x1a\\n\\x00\\x00")
    (('utf-8', 0), (None, 0))
    """
    for bom, enc in _BOMS:  # a BOM first: UTF-16 text is full of NUL bytes
        if head.startswith(bom):
            return enc, len(bom)
    if b"\x00" not in head:
        return "utf-8", 0
    # BOM-less UTF-16 of mostly Latin text: every other byte NUL, the others hardly ever
    n = len(head) // 2
    if n >= 2:
        even, odd = head[0:2 * n:2].count(0), head[1:2 * n:2].count(0)
        if odd >= 0.6 * n and even <= 0.05 * n:
            return "utf-16-le", 0
        if even >= 0.6 * n and odd <= 0.05 * n:
            return "utf-16-be", 0
    return None, 0


def text_encoding(head: bytes) -> tuple[str | None, int]:
    """:func:`sniff_encoding`, except that a few NUL bytes in what is otherwise text do not
    make a file binary: the record holding one is decided on its own (a JSON record with a
    raw NUL is invalid JSON and skipped, the rest are read).

    >>> text_encoding(b'{"title": "a\\x00"}\\n{"title": "b"}'), text_encoding(b"\\x00\\x01\\x02\\x03" * 8)
    (('utf-8', 0), (None, 0))
    """
    enc, bom = sniff_encoding(head)
    if enc is None and not mostly_binary(head.decode("utf-8", errors="replace")):
        return "utf-8", 0
    return enc, bom


def mostly_binary(text: str) -> bool:
    """True when the start of a decoded file is mostly replacement or control characters."""
    sample = text[:SNIFF_BYTES]
    bad = sum(1 for c in sample if c == "\ufffd" or (c < " " and c not in "\t\n\r\f\v"))
    return bad > max(8, 0.3 * len(sample))


def lines_note(lines: list) -> str:
    shown = ", ".join(str(n) for n in lines[:5])
    more = f" and {len(lines) - 5} more" if len(lines) > 5 else ""
    return f"line{'s' if len(lines) > 1 else ''} {shown}{more}"


def decode_bytes(data: bytes, path, report: Report | None) -> str | None:
    """Text of a file's bytes; None (and a skip) for a binary file.

    Undecodable bytes become U+FFFD with one warning naming the file and its lines.
    """
    enc, bom = text_encoding(data[:SNIFF_BYTES])
    if enc is None:
        if report is not None:
            report.skip(path, 1, "binary file (NUL bytes), not text")
        return None
    body = data[bom:]
    try:
        text = body.decode(enc)
    except UnicodeDecodeError as e:
        text = body.decode(enc, errors="replace")
        if mostly_binary(text):
            if report is not None:
                report.skip(path, 1, "binary file (mostly not text)")
            return None
        if report is not None:
            first = body[: e.start].decode(enc, errors="replace").count("\n") + 1
            bad = [n for n, ln in enumerate(text.split("\n"), 1) if "\ufffd" in ln and n >= first]
            report.warn(path, first, f"invalid {_ENCODING_NAMES[enc]} bytes replaced with U+FFFD "
                                     f"({lines_note(bad or [first])})")
        return text
    if mostly_binary(text):
        if report is not None:
            report.skip(path, 1, "binary file (mostly not text)")
        return None
    return text

