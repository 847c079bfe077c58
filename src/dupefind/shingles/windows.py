"""Windowed shingles: the shingle-id sets of a text's overlapping windows of words (``content``:
the stems of its content words only; ``words``: every word), as sets or as the pieces the
windows are cut into, each shingle hashed once."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from ..jit import kernel
from ..text import _BASE_U64, HashedWords, WordHashes, _mix64
from .common import _STOPWORD_TABLE, ShingleIds, _in_table

#: The salt of each family's windowed shingles (apart from the whole-text schemes' salts).
_WINDOW_SALT = {"content": 0x27D4EB2F165667C5, "words": 0x94D049BB133111EB}


def _terms(words: HashedWords, family: str) -> WordHashes:
    """What a family's shingles are made of: the stems of the words for ``content`` (a reworded
    text keeps its content words' stems more often than the words: "argued" for "argues"), the
    words themselves otherwise."""
    if family != "content":
        return words.hashes
    if words.stems is None:
        raise ValueError("content shingles need the words' stems (hash_texts makes them)")
    return words.stems


def window_sets(words: HashedWords, *, family: str, ngram: int, window: int,
                stride: int) -> tuple[ShingleIds, npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """The shingle-id sets of each text's windows: ``content`` (n-grams of the stems of the words
    that are not function words) or ``words`` (n-grams of every word), over windows of ``window`` such
    words starting every ``stride`` (the last window ends with the text; a text of at most
    ``window`` such words, or ``window`` 0, is one set). Returns the sets one after the other
    (each in text order, a shingle repeated inside a window kept each time: a MinHash does not
    see repeats, and sorting every window cost more than the rest of its first pass), the index
    where each set begins, and the text each belongs to; every text has at least one set
    (empty when it has fewer than ``ngram`` such words)."""
    if family not in _WINDOW_SALT:
        raise ValueError(f"no windowed shingles for family {family!r}")
    return _window_sets(words.hashes, _terms(words, family), words.text_starts, _STOPWORD_TABLE, content=family == "content",
                        ngram=ngram, window=window, stride=max(1, stride), salt=np.uint64(_WINDOW_SALT[family]))


@kernel(nogil=True, inline="always")
def _text_grams(hashes: WordHashes, terms: WordHashes, begin: int, end: int, stopword_table: WordHashes,
                content: bool, ngram: int, salt: np.uint64, chosen: WordHashes,
                grams_of: npt.NDArray[np.uint32]) -> int:  # pragma: no cover - compiled
    """The ids of a text's ``ngram``-grams of ``terms`` (of its content words only when
    ``content``: those whose word hash is not a function word's) into ``grams_of``, in text
    order; returns how many words were kept (``chosen`` holds their terms)."""
    count = 0
    for k in range(begin, end):
        if not content or not _in_table(stopword_table, hashes[k]):
            chosen[count] = terms[k]
            count += 1
    for k in range(max(count - ngram + 1, 0)):
        acc = salt
        for offset in range(ngram):
            acc = acc * _BASE_U64 + chosen[k + offset]
        acc = _mix64(acc)
        grams_of[k] = np.uint32(acc ^ (acc >> np.uint64(32)))
    return count


@kernel(nogil=True)
def _window_sets(hashes: WordHashes, terms: WordHashes, text_starts: npt.NDArray[np.intp], stopword_table: WordHashes, *,
                 content: bool, ngram: int, window: int, stride: int,
                 salt: np.uint64) -> tuple[ShingleIds, npt.NDArray[np.intp], npt.NDArray[np.intp]]:  # pragma: no cover - compiled
    """:func:`window_sets`, text by text."""
    copies = 1 if window <= 0 else (window + stride - 1) // stride + 1
    ids = np.empty(len(hashes) * copies + 1, dtype=np.uint32)
    set_starts = np.empty(len(hashes) + len(text_starts) + 1, dtype=np.intp)
    owners = np.empty(len(hashes) + len(text_starts) + 1, dtype=np.intp)
    chosen = np.empty(len(hashes), dtype=np.uint64)
    grams_of = np.empty(len(hashes), dtype=np.uint32)
    window_starts = np.empty(len(hashes) + 1, dtype=np.intp)
    window_stops = np.empty(len(hashes) + 1, dtype=np.intp)
    found = 0
    sets = 0
    for text in range(len(text_starts)):
        begin = text_starts[text]
        end = text_starts[text + 1] if text + 1 < len(text_starts) else len(hashes)
        count = _text_grams(hashes, terms, begin, end, stopword_table, content, ngram, salt, chosen, grams_of)
        for w in range(_text_windows(count, ngram, window, stride, window_starts, window_stops)):
            start, stop = window_starts[w], window_stops[w]
            set_starts[sets] = found
            owners[sets] = text
            sets += 1
            # in text order, repeats kept: a MinHash ignores them, a sort costs
            ids[found : found + stop - start] = grams_of[start:stop]
            found += stop - start
    return ids[:found].copy(), set_starts[:sets].copy(), owners[:sets].copy()


@kernel(nogil=True, inline="always")
def _text_windows(count: int, ngram: int, window: int, stride: int, starts: npt.NDArray[np.intp],
                  stops: npt.NDArray[np.intp]) -> int:  # pragma: no cover - compiled
    """The windows of a text of ``count`` chosen words: each one's first and one past its last
    ``ngram``-gram into ``starts`` and ``stops`` (both ascending; empty, ``stop == start``, for
    a text of fewer than ``ngram`` words); returns how many. A window starts every ``stride``
    words, the last ends with the text (``window`` 0: the whole text is one)."""
    grams = max(count - ngram + 1, 0)
    windows = 0
    start = 0
    while True:
        last = window <= 0 or start + window >= count
        starts[windows] = start
        stops[windows] = max(grams if last else start + window - ngram + 1, start)
        windows += 1
        if last:
            return windows
        start = min(start + stride, count - window)


def window_pieces(words: HashedWords, *, family: str, ngram: int, window: int,
                  stride: int) -> tuple[ShingleIds, npt.NDArray[np.intp], npt.NDArray[np.intp], npt.NDArray[np.intp],
                                        npt.NDArray[np.intp]]:
    """The windows of :func:`window_sets` with each shingle given once: overlapping windows are
    cut where any window begins or ends, into *pieces* that lie one after the other, and a window
    is a run of consecutive pieces (so its MinHash is the least of theirs, and each shingle is
    hashed once, not once per window holding it). Returns the pieces' shingle ids one after the
    other (each text's, in text order), the index where each piece begins, and for each window
    (in :func:`window_sets`' order) its first piece, the piece after its last, and its text."""
    if family not in _WINDOW_SALT:
        raise ValueError(f"no windowed shingles for family {family!r}")
    return _window_pieces(words.hashes, _terms(words, family), words.text_starts, _STOPWORD_TABLE, content=family == "content",
                          ngram=ngram, window=window, stride=max(1, stride), salt=np.uint64(_WINDOW_SALT[family]))


@kernel(nogil=True)
def _window_pieces(hashes: WordHashes, terms: WordHashes, text_starts: npt.NDArray[np.intp], stopword_table: WordHashes, *,
                   content: bool, ngram: int, window: int, stride: int,
                   salt: np.uint64) -> tuple[ShingleIds, npt.NDArray[np.intp], npt.NDArray[np.intp],
                                             npt.NDArray[np.intp], npt.NDArray[np.intp]]:  # pragma: no cover - compiled
    """:func:`window_pieces`, text by text: each text's windows (:func:`_text_windows`), then
    the text's shingles cut at every window's start and end."""
    ids = np.empty(len(hashes) + 1, dtype=np.uint32)
    piece_starts = np.empty(2 * (len(hashes) + len(text_starts)) + 1, dtype=np.intp)
    firsts = np.empty(len(hashes) + len(text_starts) + 1, dtype=np.intp)
    ends = np.empty(len(hashes) + len(text_starts) + 1, dtype=np.intp)
    owners = np.empty(len(hashes) + len(text_starts) + 1, dtype=np.intp)
    chosen = np.empty(len(hashes), dtype=np.uint64)
    grams_of = np.empty(len(hashes), dtype=np.uint32)
    window_starts = np.empty(len(hashes) + 1, dtype=np.intp)
    window_stops = np.empty(len(hashes) + 1, dtype=np.intp)
    cuts = np.empty(2 * len(hashes) + 2, dtype=np.intp)
    found = 0
    pieces = 0
    sets = 0
    for text in range(len(text_starts)):
        begin = text_starts[text]
        end = text_starts[text + 1] if text + 1 < len(text_starts) else len(hashes)
        count = _text_grams(hashes, terms, begin, end, stopword_table, content, ngram, salt, chosen, grams_of)
        windows = _text_windows(count, ngram, window, stride, window_starts, window_stops)
        # Cut at every start and stop (both ascending): merge them, each cut once.
        n_cuts = 0
        i = j = 0
        while i < windows or j < windows:
            if j >= windows or (i < windows and window_starts[i] <= window_stops[j]):
                value = window_starts[i]
                i += 1
            else:
                value = window_stops[j]
                j += 1
            if n_cuts == 0 or cuts[n_cuts - 1] != value:
                cuts[n_cuts] = value
                n_cuts += 1
        first_piece = pieces
        for c in range(n_cuts - 1):
            piece_starts[pieces] = found
            pieces += 1
            length = cuts[c + 1] - cuts[c]
            ids[found : found + length] = grams_of[cuts[c] : cuts[c + 1]]
            found += length
        c = 0
        for w in range(windows):
            while cuts[c] != window_starts[w]:
                c += 1
            k = c
            while cuts[k] != window_stops[w]:
                k += 1
            firsts[sets] = first_piece + c
            ends[sets] = first_piece + k
            owners[sets] = text
            sets += 1
    return (ids[:found].copy(), piece_starts[:pieces].copy(), firsts[:sets].copy(), ends[:sets].copy(),
            owners[:sets].copy())
