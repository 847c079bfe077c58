"""Where a text's markup lies: HTML or XML tags and URLs, whose words are not prose
(:func:`markup_spans`), and how many of a text's first words start inside them
(:func:`markup_counts`, :func:`counts_in`).
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from ..text import Tokens

#: Markup and addresses: an HTML or XML tag with its attributes, or a URL. Their words are not
#: prose, and the same tag or link is crawled into unrelated pages (an ad network's banner, a
#: crawler's rewritten links): what two texts share there is not evidence of a copy.
_MARKUP = re.compile(r"<[!/?a-z][^<>]*>|(?:\b(?:https?|ftp)://|\bwww\.)[^\s<>\"']+", re.IGNORECASE)


@lru_cache(maxsize=16)
def markup_spans(text: str) -> npt.NDArray[np.int64]:
    """Where the markup of ``text`` lies, ``(n, 2)`` character ranges (remembered: a document
    is judged beside each of its partners in turn): the matches of ``_MARKUP`` in order, each
    looked for only where one can start (:func:`_markup_starts`), then on from its end, as
    ``finditer`` finds them (tried at every character, the pattern costs ~30 µs a kilobyte)."""
    found: list[tuple[int, int]] = []
    end = 0
    for start in _markup_starts(text):
        if start >= end and (match := _MARKUP.match(text, start)) is not None:
            found.append(match.span())
            end = match.end()
    return np.array(found, dtype=np.int64).reshape(-1, 2) if found else _NO_SPANS


def _markup_starts(text: str) -> list[int]:
    """Every place a match of ``_MARKUP`` can start, sorted: each ``<``; 5, 4 and 3 characters
    before each ``://`` (``https``, ``http``, ``ftp``); one before each ``ww.`` in any case (the
    ``www.`` it ends). Substring searches, which run at memory speed."""
    starts = _found(text, "<", (0,)) + _found(text, "://", (5, 4, 3))
    for dots in ("ww.", "WW.", "wW.", "Ww."):
        starts += _found(text, dots, (1,))
    return sorted(set(starts))


def _found(text: str, needle: str, back: tuple[int, ...]) -> list[int]:
    """``back`` characters before each place of ``needle`` in ``text`` (those inside it)."""
    out: list[int] = []
    at = text.find(needle)
    while at >= 0:
        out.extend(at - b for b in back if at >= b)
        at = text.find(needle, at + 1)
    return out


_NO_SPANS = np.empty((0, 2), dtype=np.int64)
_NO_SPANS.setflags(write=False)


def markup_counts(text: str, tokens: Tokens) -> npt.NDArray[np.int64] | None:
    """For each ``k``, how many of the first ``k`` words of ``text`` start inside markup (a tag
    or a URL); ``None`` when the text holds none."""
    spans = markup_spans(text)
    if not len(spans):
        return None
    return counts_in(spans, np.asarray(tokens.starts, dtype=np.int64))


def counts_in(spans: npt.NDArray[np.int64], starts: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """For each ``k``, how many of the first ``k`` words (``starts``: their first characters)
    start inside one of ``spans`` (sorted character ranges that do not overlap)."""
    at = np.searchsorted(spans[:, 0], starts, side="right") - 1
    inside = (at >= 0) & (starts < spans[at.clip(min=0), 1])
    return np.concatenate(([0], np.cumsum(inside, dtype=np.int64)))
