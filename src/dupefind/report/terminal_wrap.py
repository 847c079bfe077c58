"""Text that wraps as Rich wraps it, except where it must not break: inside a change mark.

Without colour the words that differ read ``[-so-]`` and ``{+so+}``. Rich breaks a line at a
space, and folds a word longer than a line wherever it reaches the width; CJK text has no
spaces, so a whole paragraph is one such word and a mark could be cut (``[-公-`` at the end of
one line, ``]`` at the start of the next), which ``grep`` for the marks no longer finds.
:class:`Unbroken` keeps each mark glued to the character beside it: a line never ends inside it.
"""

from __future__ import annotations

import re
from collections.abc import Container

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.text import Text

#: A word as Rich's wrapping sees it: the spaces before it, it, and the spaces after it.
_WORD = re.compile(r"\s*\S+\s*")


class Unbroken:
    """``text`` whose spans in ``style`` are marked words (``marks[0]`` + words + ``marks[1]``),
    wrapped to the width it is given, never broken inside a mark or between a mark and the
    character beside it (unless such a run is wider than a line). Tabs are expanded first, as
    Rich expands them before it wraps (a tab counted as no cell would make a piece too wide,
    and Rich would break it again where it likes)."""

    def __init__(self, text: Text, *, style: str, marks: tuple[str, str]) -> None:
        self.text, self.style, self.marks = text, style, marks

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement.get(console, options, self.text)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        text = self.text.copy()
        text.expand_tabs(console.tab_size)
        glued = _glued(text, self.style, self.marks)
        pieces: list[Text] = []
        offset = 0
        for line in text.split("\n", allow_blank=True):
            inside = {at - offset for at in glued if offset < at < offset + len(line)}
            pieces.extend(line.divide(line_breaks(line.plain, options.max_width, inside)))
            offset += len(line) + 1
        yield Text("\n").join(pieces)


def unbroken(text: Text, *, style: str, marks: tuple[str, str]) -> Unbroken:
    """``text`` whose spans in ``style`` are marked words, each mark glued to the word beside it
    (:class:`Unbroken`)."""
    return Unbroken(text, style=style, marks=marks)


def _glued(text: Text, style: str, marks: tuple[str, str]) -> frozenset[int]:
    """The offsets of ``text`` no line may start at: inside each mark of a span in ``style``,
    and between the mark and the character beside it."""
    opening, closing = len(marks[0]), len(marks[1])
    glued: set[int] = set()
    for span in text.spans:
        if span.style == style:
            glued.update(range(span.start + 1, span.start + opening + 1))
            glued.update(range(span.end - closing, span.end))
    return frozenset(glued)


def line_breaks(line: str, width: int, glued: Container[int]) -> list[int]:
    """Where to break ``line`` (no newline in it) so that each piece fits ``width`` cells, as
    Rich does it (before a word that would pass the width; a word longer than a line on lines of
    its own, folded where it reaches the width), but never before an offset in ``glued``: a fold
    falls back to the nearest offset before it that is not glued."""
    breaks: list[int] = []
    used = 0  # cells on the line so far
    for match in _WORD.finditer(line):
        start, word = match.start(), match.group()
        size = cell_len(word.rstrip())
        if used + size <= width:
            used += cell_len(word)
        elif size > width:
            if start:
                breaks.append(start)
            at = start
            while cell_len(line[at:match.end()]) > width:
                at = _fold(line, at, width, glued)
                breaks.append(at)
            used = cell_len(line[at:match.end()])
        elif used and start:
            breaks.append(start)
            used = cell_len(word)
    return breaks


def _fold(line: str, at: int, width: int, glued: Container[int]) -> int:
    """Where the line from ``at`` is folded: as far as ``width`` cells reach, back to an offset
    that is not glued when there is one after ``at``."""
    cut, cells = at, 0
    while cut < len(line) and cells + cell_len(line[cut]) <= width:
        cells += cell_len(line[cut])
        cut += 1
    cut = max(cut, at + 1)  # (a character wider than the line alone on it)
    back = cut
    while back > at + 1 and back in glued:
        back -= 1
    return back if back not in glued else cut
