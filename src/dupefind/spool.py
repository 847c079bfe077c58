"""The first pass's hashed words, kept on disk for the documents a view sketches again.

A view without boilerplate (:mod:`dupefind.resketch`) sketches again, once every document has
been read, the documents that hold a common segment: on news, half of them. Reading and hashing
their texts again cost as much as sketching them (measured in benchmarks/RESULTS.md). So each
first-pass task writes the word and stem hashes it has made (16 bytes a word, with where each text and
segment begins) to a file of its own in a temporary folder, and the documents are sketched
again from there. Nothing is held in memory: the files live on disk until the first pass ends.
A task that cannot write its file (a full disk) leaves its documents to be read again.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Sequence

import numpy as np

from .text import HashedWords

_HEADER = 3  # words, segments, texts (then the word hashes, the stem hashes, the segments and the texts)


def keep_words(words: HashedWords, folder: str) -> str:
    """Write ``words`` (one task's) to a new file in ``folder``; its path, or "" when it could
    not be written (the caller then reads the texts again)."""
    if words.stems is None:
        raise ValueError("the words kept for sketching again need their stems (hash_texts makes them)")
    try:
        fd, path = tempfile.mkstemp(dir=folder, prefix="words-", suffix=".u64")
    except OSError:
        return ""
    header = np.array([len(words.hashes), len(words.segment_starts), len(words.text_starts)], dtype=np.uint64)
    try:
        with os.fdopen(fd, "wb") as out:
            for part in (header, words.hashes, words.stems, words.segment_starts, words.text_starts):
                out.write(np.ascontiguousarray(part).astype(np.uint64, copy=False).tobytes())
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(path)
        return ""
    return path


def kept_words(path: str, texts: Sequence[int]) -> HashedWords:
    """The words of the texts ``texts`` (their places in the task, ascending) of a file
    :func:`keep_words` wrote, as :func:`~dupefind.text.hash_texts` made them of those texts
    alone. Raises ``OSError`` or ``ValueError`` when the file is gone or cut short."""
    values = np.fromfile(path, dtype=np.uint64)
    if len(values) < _HEADER:
        raise ValueError(f"{path}: cut short")
    words, segments, count = (int(v) for v in values[:_HEADER])
    if len(values) != _HEADER + 2 * words + segments + count:
        raise ValueError(f"{path}: cut short")
    hashes = values[_HEADER : _HEADER + words]
    stems = values[_HEADER + words : _HEADER + 2 * words]
    segment_starts = values[_HEADER + 2 * words : _HEADER + 2 * words + segments].astype(np.intp)
    text_starts = values[_HEADER + 2 * words + segments :].astype(np.intp)
    ends = np.append(text_starts[1:], words)
    chosen = np.asarray(texts, dtype=np.intp)
    begins, finishes = text_starts[chosen], ends[chosen]
    lengths = finishes - begins
    new_starts = (np.cumsum(lengths) - lengths).astype(np.intp)
    picked = np.repeat(begins - new_starts, lengths) + np.arange(int(lengths.sum()), dtype=np.intp)
    # A segment belongs to the text it begins in; it is kept when that text is.
    segment_text = np.searchsorted(text_starts, segment_starts, side="right") - 1
    wanted = np.zeros(count, dtype=bool)
    wanted[chosen] = True
    where = np.full(count, -1, dtype=np.intp)
    where[chosen] = np.arange(len(chosen), dtype=np.intp)
    mine = wanted[segment_text] & (segment_starts < ends[segment_text])
    shift = new_starts[where[segment_text[mine]]] - text_starts[segment_text[mine]]
    return HashedWords(hashes[picked].copy(), (segment_starts[mine] + shift).astype(np.intp), new_starts,
                       stems[picked].copy())
