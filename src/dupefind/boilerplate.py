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

from .text import HashedWords, mix64, power_table

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
    arrays = list(per_document)
    if not arrays:
        return Commons()
    values, counts = np.unique(np.concatenate(arrays), return_counts=True)
    return Commons(values[counts >= min_docs])


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
    powers = power_table(int(lengths.max()) + 1)[0]
    with np.errstate(over="ignore"):
        sums = np.add.reduceat(words.hashes * powers[position], starts)
        return mix64(sums + lengths.astype(np.uint64)), lengths
