"""What the terminal is given of a text: every character that could act on the terminal, hide
text or reorder it written as a visible escape instead (:func:`visible`).

Escaped (``\\x1b``, ``\\u202e``, ``\\U000e0041``, as Python's ``backslashreplace`` writes them):

- control characters (category Cc) but newline and tab; a carriage return only when alone
  (a ``\\r\\n`` line end stays: Rich prints it as a line end, and Windows files hold thousands);
- format characters (Cf): the bidirectional embeddings, overrides and isolates
  (U+202A–U+202E, U+2066–U+2069) and marks (U+200E, U+200F, U+061C) that reorder how a line
  is shown ("Trojan Source"), the zero-width space, word joiner and invisible operators, U+FEFF,
  the soft hyphen (inserted between letters it hides a change from the eye), the tag characters
  (U+E0000–U+E007F, which can carry hidden ASCII);
- line and paragraph separators (U+2028, U+2029), which terminals do not show as line ends;
- private-use characters (Co: some terminals give them a meaning, e.g. kitty's image
  placeholder U+10EEEE), unassigned code points and noncharacters (Cn: what a future Unicode
  makes of them is unknown; "unassigned" is as of the running Python's Unicode tables), and
  lone surrogates (Cs).

One exception: the zero-width joiner and non-joiner (U+200D, U+200C) stay when both their
neighbours are non-ASCII letters, marks or symbols: Persian and Indic words and emoji sequences
(👩‍💻) need them there, and there they cannot reorder anything. Anywhere else they are escaped.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

# The escape-worthy characters of plain ASCII text: C0 controls but tab and newline, DEL, and a
# carriage return that does not end a CRLF line.
_ASCII = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|\r(?!\n)")
_ESCAPED = frozenset({"Cc", "Cf", "Cn", "Co", "Cs", "Zl", "Zp"})
_JOINERS = frozenset({"\u200c", "\u200d"})
_JOINED = frozenset({"L", "M", "S"})  # letters, marks (variation selectors too), symbols (emoji)
_KEPT = frozenset({"\t", "\n", "\r"})  # the carriage return has its own rule in the pattern


def visible(text: str) -> str:
    """``text`` with every character listed in this module's docstring written as a visible
    escape: what an article, an id or a message holds is shown, never acted on by the terminal.
    Text without such characters is returned as it is."""
    return _visible(text, 0, len(text))


#: What :func:`visible_name` escapes besides what :func:`visible` does.
_NAME_BREAKS = str.maketrans({"\n": "\\n", "\t": "\\t", "\r": "\\r"})


def visible_name(text: str) -> str:
    """:func:`visible` for a name (an id, a path) that is shown on one line: tabs and line ends
    escaped too (a newline in a file name split a table row in two, and a tab, counted as one
    cell, was printed as up to eight)."""
    return visible(text).translate(_NAME_BREAKS)


def visible_part(text: str, start: int, end: int) -> str:
    """:func:`visible` of ``text[start:end]``, a joiner at either edge judged by its neighbour
    in the whole ``text`` (as it would be in ``visible(text)``)."""
    return _visible(text, max(0, start), max(0, min(end, len(text))))


def _visible(text: str, start: int, end: int) -> str:
    pattern = _ASCII if text.isascii() else _pattern()
    pieces: list[str] = []
    cursor = start
    for match in pattern.finditer(text, start, end):
        where = match.start()
        char = match.group()
        if (char in _JOINERS and _joining(text, where)) or (char >= _ASTRAL and not _escaped(char)):
            continue
        pieces.append(text[cursor:where])
        pieces.append(_escape(char))
        cursor = match.end()
    if not pieces:
        return text if start == 0 and end == len(text) else text[start:end]
    pieces.append(text[cursor:end])
    return "".join(pieces)


def _joining(text: str, where: int) -> bool:
    """Whether the joiner at ``where`` sits between two non-ASCII letters, marks or symbols."""
    if where == 0 or where + 1 >= len(text):
        return False
    before, after = text[where - 1], text[where + 1]
    return (not before.isascii() and not after.isascii()
            and unicodedata.category(before)[0] in _JOINED and unicodedata.category(after)[0] in _JOINED)


def _escape(char: str) -> str:
    point = ord(char)
    if char == "\r":
        return "\\r"
    if point < 0x100:
        return f"\\x{point:02x}"
    return f"\\u{point:04x}" if point < 0x10000 else f"\\U{point:08x}"


@cache
def _pattern() -> re.Pattern[str]:
    """The pattern for any text, built once from the Unicode tables of the first plane (~20 ms,
    so only when a text that is not plain ASCII is first shown; ``re`` tests a class within the
    first plane as a bitmap). A character beyond the first plane is matched whatever it is and
    judged on its own (:func:`_escaped`): a class of those planes' escaped runs took ~0.2 s to
    build, for characters most texts never hold."""
    return re.compile(f"[{_class(_ranges(0, 0x10000))}]|\r(?!\n)|[{_ASTRAL}-\U0010ffff]")


#: The first character beyond the first plane (the Basic Multilingual Plane).
_ASTRAL = "\U00010000"


def _escaped(char: str) -> bool:
    """Whether ``char`` is one this module's docstring lists (the rule :func:`_pattern` holds)."""
    return char not in _KEPT and unicodedata.category(char) in _ESCAPED


def _ranges(low: int, high: int) -> list[tuple[int, int]]:
    """The runs of escaped code points in ``[low, high)``, as (first, last) pairs."""
    runs: list[tuple[int, int]] = []
    start = -1
    for point in range(low, high):
        escaped = _escaped(chr(point))
        if escaped and start < 0:
            start = point
        elif not escaped and start >= 0:
            runs.append((start, point - 1))
            start = -1
    if start >= 0:
        runs.append((start, high - 1))
    return runs


def _class(runs: list[tuple[int, int]]) -> str:
    return "".join(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in runs)
