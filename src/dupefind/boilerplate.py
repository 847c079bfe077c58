"""Boilerplate: lines and sentences shared verbatim by many documents are not evidence.

The rule, in full: a segment (a line, or a sentence within a line) of two or more words that
occurs in at least ``min_docs`` documents is *common*. In each document the common segments
are set aside, unless together they make up half or more of its words: then they are what the
document is about (a press release syndicated to many sites), not furniture around it, and
they are kept. Counting needs one small hash per segment, never the texts.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from .text import Tokens, segments

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


def segment_keys(text: str, tokens: Tokens) -> Keys:
    """The sorted unique hashes of a document's segments of two or more words."""
    keys = {_key(tokens.words[span.start : span.stop]) for span in segments(text, tokens) if len(span) >= 2}
    return np.array(sorted(keys), dtype=np.uint64)


def find_commons(per_document: Iterable[Keys], *, min_docs: int) -> Commons:
    """The segments that occur in at least ``min_docs`` of the documents."""
    arrays = list(per_document)
    if not arrays:
        return Commons()
    values, counts = np.unique(np.concatenate(arrays), return_counts=True)
    return Commons(values[counts >= min_docs])


def boilerplate_mask(text: str, tokens: Tokens, commons: Commons) -> npt.NDArray[np.bool_]:
    """``True`` for each token that belongs to boilerplate and is not evidence."""
    mask = np.zeros(len(tokens), dtype=bool)
    if len(commons.keys) == 0:
        return mask
    for span in segments(text, tokens):
        if len(span) >= 2 and _key(tokens.words[span.start : span.stop]) in commons:
            mask[span.start : span.stop] = True
    if mask.sum() >= CONTENT_SHARE * len(tokens):
        mask[:] = False
    return mask


def _key(words: tuple[str, ...]) -> int:
    digest = hashlib.blake2b("\x1f".join(words).encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "little")
