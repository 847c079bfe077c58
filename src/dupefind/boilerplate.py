"""Boilerplate: lines and sentences shared verbatim by many documents are not evidence.

The rule, in full: a segment (a line, or a sentence within a line) of two or more words that
occurs in at least ``min_docs`` documents is *common*. In each document the common segments
are set aside, unless together they make up half or more of its words: then they are what the
document is about (a press release syndicated to many sites), not furniture around it, and
they are kept. Counting needs one small hash per segment, never the texts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from .text import HashedWords, mix64, powers

Keys = npt.NDArray[np.uint64]

#: Common segments stay in a document when they are at least this share of its words.
CONTENT_SHARE = 0.5


@dataclass(frozen=True, slots=True)
class Commons:
    """The hashes of the segments found in at least ``min_docs`` documents."""

    keys: Keys = field(default_factory=lambda: np.empty(0, dtype=np.uint64))
    """Sorted unique segment hashes."""

    def __contains__(self, key: int) -> bool:
        index = int(np.searchsorted(self.keys, np.uint64(key)))
        return index < len(self.keys) and int(self.keys[index]) == key


def segment_keys(words: HashedWords) -> Keys:
    """The sorted unique hashes of a document's segments of two or more words."""
    return segment_key_sets(words)[0]


def segment_key_sets(words: HashedWords) -> tuple[Keys, npt.NDArray[np.intp]]:
    """:func:`segment_keys` of each text of ``words`` at once: the sets one after the other,
    and the index where each begins."""
    keys, lengths = _segment_hashes(words)
    text = words.text_of_word()[words.segment_starts]
    long_enough = lengths >= 2
    keys, text = keys[long_enough], text[long_enough]
    order = np.lexsort((keys, text))
    keys, text = keys[order], text[order]
    fresh = np.ones(len(keys), dtype=bool)
    fresh[1:] = (keys[1:] != keys[:-1]) | (text[1:] != text[:-1])
    return keys[fresh], np.searchsorted(text[fresh], np.arange(len(words.text_starts)))


def find_commons(per_document: Iterable[Keys], *, min_docs: int) -> Commons:
    """The segments that occur in at least ``min_docs`` of the documents."""
    counter = SegmentCounter()
    for keys in per_document:
        counter.add(keys)
    return counter.commons(min_docs=min_docs)


class SegmentCounter:
    """Counts in how many documents each segment occurs, a batch of documents at a time.

    Holds 8 bytes per segment of each document (the keys, filed on 16 shelves by their top
    four bits) and counts one shelf at a time at the end, so counting takes little more memory
    than the keys themselves.
    """

    def __init__(self) -> None:
        self._shelves: list[list[Keys]] = [[] for _ in range(16)]

    def add(self, keys: Keys) -> None:
        """The segment keys of some documents, each document's keys unique."""
        shelf = (keys >> np.uint64(60)).astype(np.intp)
        order = np.argsort(shelf, kind="stable")
        bounds = np.searchsorted(shelf[order], np.arange(17))
        for index in range(16):
            if bounds[index + 1] > bounds[index]:
                self._shelves[index].append(keys[order[bounds[index] : bounds[index + 1]]])

    def commons(self, *, min_docs: int) -> Commons:
        """The segments counted in at least ``min_docs`` documents (the counts are let go)."""
        found: list[Keys] = []
        for index, arrays in enumerate(self._shelves):
            if arrays:
                keys = np.concatenate(arrays)
                self._shelves[index] = []
                keys.sort()
                starts = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))
                counts = np.diff(starts, append=len(keys))
                found.append(keys[starts[counts >= min_docs]])
        return Commons(np.concatenate(found) if found else np.empty(0, dtype=np.uint64))


def boilerplate_mask(words: HashedWords, commons: Commons) -> npt.NDArray[np.bool_]:
    """``True`` for each word that belongs to boilerplate and is not evidence."""
    if len(commons.keys) == 0 or len(words) == 0:
        return np.zeros(len(words), dtype=bool)
    keys, lengths = _segment_hashes(words)
    found = np.searchsorted(commons.keys, keys).clip(max=len(commons.keys) - 1)
    mask = np.repeat((commons.keys[found] == keys) & (lengths >= 2), lengths)
    if mask.sum() >= CONTENT_SHARE * len(words):
        mask[:] = False
    return mask


def _segment_hashes(words: HashedWords) -> tuple[Keys, npt.NDArray[np.intp]]:
    """A hash of each segment's word sequence, and its length in words."""
    starts = words.segment_starts
    if len(starts) == 0:
        return np.empty(0, dtype=np.uint64), np.empty(0, dtype=np.intp)
    lengths = np.diff(starts, append=len(words))
    position = np.arange(len(words)) - np.repeat(starts, lengths)
    with np.errstate(over="ignore"):
        sums = np.add.reduceat(words.hashes * powers(int(lengths.max()))[position], starts)
        return mix64(sums + lengths.astype(np.uint64)), lengths
