"""Boilerplate: lines and sentences shared verbatim by many documents are not evidence.

The rule, in full: a segment (a line, or a sentence within a line) of two or more words that
occurs in at least ``min_docs`` documents is *common*. In each document the common segments
are set aside, unless together they make up half or more of its words: then they are what the
document is about (a press release syndicated to many sites, an answer copied from a source
other answers copy too), not furniture around it, and they are kept.

In a pair, boilerplate is what both documents hold and set aside (:func:`spared_beside`): a
segment one of them keeps, or that only one of them holds, is evidence. Else a source whose
sentences many answers copy (common, a small part of the source) would be hidden from every
answer that keeps them, or rewords them. Segments found in :data:`WIDESPREAD` times
``min_docs`` documents are furniture in every pair, even between two documents that keep their
common text, unless what both hold is most of one of them (:func:`shunned_beside`). Counting
needs one small hash per segment, never the texts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from .arrays import in_sorted
from .jit import kernel
from .text import _BASE_U64, HashedWords, WordHashes, _mix64

Keys = npt.NDArray[np.uint64]
Segments = tuple[Keys, npt.NDArray[np.intp]]
"""A text's segments (:func:`segment_hashes`): the hash of each, in order, and its length in words."""

#: Common segments stay in a document when they are at least this share of its words.
CONTENT_SHARE = 0.5
#: A common segment found in at least this many times ``min_docs`` documents is widespread:
#: furniture in every pair (:func:`spared_beside`). A document made of it (a site's page that
#: is all header and footer) keeps it as its content, but its partners do not spare it, or
#: that one page would pair with every page of its site; nor does a page whose footer was
#: reworded pair with the pages of the old one. A class copying one source, or a lede reused
#: by a few papers, is found in fewer.
WIDESPREAD = 4
#: A segment of at least this many words is long (a quote, a lede, a sign-off): a shorter one
#: holds a few content words, a tenth of a content window (:mod:`dupefind.views`) at most, and
#: cannot make two windows collide; the content view is sketched without the long common ones
#: only, so a collection whose common segments are all short ("He said.") is not read again.
LONG_SEGMENT = 8


@dataclass(frozen=True, slots=True)
class Commons:
    """The hashes of the segments found in at least ``min_docs`` documents."""

    keys: Keys = field(default_factory=lambda: np.empty(0, dtype=np.uint64))
    """Sorted unique segment hashes."""
    widespread: Keys = field(default_factory=lambda: np.empty(0, dtype=np.uint64))
    """Sorted hashes of the segments found in at least :data:`WIDESPREAD` times ``min_docs``
    documents: furniture whatever a few documents make of it (:func:`spared_beside`)."""
    spared: Keys = field(default_factory=lambda: np.empty(0, dtype=np.uint64))
    """Sorted common segments that are not set aside all the same, beside the other document of
    a pair (:func:`spared_beside`)."""
    shunned: Keys = field(default_factory=lambda: np.empty(0, dtype=np.uint64))
    """Sorted common segments set aside all the same, however much of a document they make
    (:func:`shunned_beside`)."""

    def sparing(self, kept: Keys) -> Commons:
        """These commons, the segments ``kept`` (sorted) not set aside."""
        return Commons(self.keys, self.widespread, kept)

    def shunning(self, furniture: Keys) -> Commons:
        """These commons, the segments ``furniture`` (sorted) set aside whatever the share."""
        return Commons(self.keys, self.widespread, self.spared, furniture)

    def __contains__(self, key: int) -> bool:
        index = int(np.searchsorted(self.keys, np.uint64(key)))
        return index < len(self.keys) and int(self.keys[index]) == key


_NO_KEYS: Keys = np.empty(0, dtype=np.uint64)


def common_keys(keys: Keys, widespread: Keys = _NO_KEYS) -> Commons:
    """The :class:`Commons` of some keys (any order, repeats allowed), ``widespread`` among them."""
    return Commons(np.unique(keys), np.unique(widespread))


def segment_keys(words: HashedWords) -> Keys:
    """The sorted unique hashes of a document's segments of two or more words."""
    return segment_key_sets(words)[0]


def segment_key_sets(words: HashedWords) -> tuple[Keys, npt.NDArray[np.intp]]:
    """:func:`segment_keys` of each text of ``words`` at once: the sets one after the other,
    and the index where each begins."""
    return _segment_key_sets(words.hashes, words.segment_starts, words.text_starts)


@kernel(nogil=True, always=True)
def _segment_key_sets(hashes: WordHashes, segment_starts: npt.NDArray[np.intp], text_starts: npt.NDArray[np.intp]
                      ) -> tuple[Keys, npt.NDArray[np.intp]]:  # pragma: no cover - compiled
    keys = np.empty(len(segment_starts), dtype=np.uint64)
    set_starts = np.empty(len(text_starts), dtype=np.intp)
    found = segment = 0
    for text in range(len(text_starts)):
        end = text_starts[text + 1] if text + 1 < len(text_starts) else len(hashes)
        set_starts[text] = first = found
        while segment < len(segment_starts) and segment_starts[segment] < end:
            begin = segment_starts[segment]
            segment += 1
            stop = segment_starts[segment] if segment < len(segment_starts) else len(hashes)
            if stop - begin >= 2:
                keys[found] = _segment_hash(hashes, begin, stop)
                found += 1
        keys[first:found].sort()
        unique = first
        for k in range(first, found):
            if k == first or keys[k] != keys[unique - 1]:
                keys[unique] = keys[k]
                unique += 1
        found = unique
    return keys[:found].copy(), set_starts


def find_commons(per_document: Iterable[Keys], *, min_docs: int) -> Commons:
    """The segments that occur in at least ``min_docs`` of the documents (those in
    :data:`WIDESPREAD` times as many named as such)."""
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
        widespread: list[Keys] = []
        for index, arrays in enumerate(self._shelves):
            if arrays:
                keys = np.concatenate(arrays)
                self._shelves[index] = []
                keys.sort()
                starts = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))
                counts = np.diff(starts, append=len(keys))
                found.append(keys[starts[counts >= min_docs]])
                widespread.append(keys[starts[counts >= WIDESPREAD * min_docs]])
        return common_keys(np.concatenate(found) if found else _NO_KEYS,
                           np.concatenate(widespread) if widespread else _NO_KEYS)


def common_held(segments: Segments, commons: Commons) -> tuple[Keys, bool]:
    """The common segments a text (one; ``segments``: its :func:`segment_hashes`) holds, sorted,
    and whether it keeps them (they make up :data:`CONTENT_SHARE` of its words or more)."""
    keys, lengths = segments
    if len(commons.keys) == 0 or len(keys) == 0:
        return _NO_KEYS, False
    common = in_sorted(keys, commons.keys) & (lengths >= 2)
    return np.unique(keys[common]), int(lengths[common].sum()) >= CONTENT_SHARE * int(lengths.sum())


def spared_beside(held: Keys, partner_held: Keys, partner_keeps: bool, commons: Commons, *,
                  related: bool = False) -> Keys:
    """Of the common segments a text holds (``held``), those it does not set aside beside a
    partner holding ``partner_held`` (keeping them if ``partner_keeps``). A segment the
    partner keeps is the partner's content. Beside a ``related`` partner (the two share other
    text), one the partner does not hold is no furniture of the pair either: the partner may
    hold it reworded (a class that copies one source verbatim makes its sentences common, and
    an answer that rewords them matches them only there); boilerplate is then what both hold
    and set aside, as furniture or a quote run in many places. (A page quoting a site's
    furniture, sharing nothing else with a page of the site, is not its copy.) Never a
    :attr:`~Commons.widespread` segment (a site's header and footer, or its pages reworded
    from one template to the next)."""
    if not partner_keeps and not related:
        return _NO_KEYS
    spared = held if partner_keeps else held[~in_sorted(held, partner_held)]
    return spared[~in_sorted(spared, commons.widespread)] if len(spared) else spared


def shunned_beside(segments: Segments, held: Keys, partner_held: Keys, partner_segments: Segments,
                   commons: Commons) -> Keys:
    """Of the common segments a text that keeps them holds (``held``; ``segments``: the keys and
    lengths of all its segments), the :attr:`~Commons.widespread` ones it sets aside all the
    same beside a partner that keeps its own common text (``partner_held``): unless the common
    segments the two both hold make up :data:`CONTENT_SHARE` of either, each runs its own
    widely-run text (two licence files under different licences, two wire stories with the
    wire's sign-off) and the stretches of it they share are furniture of the pair, as they are
    in every other pair. Two copies of one syndicated text, or two pages that are all of one
    site's furniture, keep theirs."""
    widespread = held[in_sorted(held, commons.widespread)]
    if not len(widespread):
        return _NO_KEYS
    both = held[in_sorted(held, partner_held)]
    if _share(segments, both) >= CONTENT_SHARE or _share(partner_segments, both) >= CONTENT_SHARE:
        return _NO_KEYS
    return widespread


def _share(segments: Segments, keys: Keys) -> float:
    """The share of a text's words in its segments (keys and lengths) whose key is one of ``keys``."""
    hashes, lengths = segments
    total = int(lengths.sum())
    return float(lengths[in_sorted(hashes, keys) & (lengths >= 2)].sum()) / total if total else 0.0


def boilerplate_mask(words: HashedWords, commons: Commons) -> npt.NDArray[np.bool_]:
    """``True`` for each word that belongs to boilerplate and is not evidence (``words``: of one
    text or several, each judged on its own)."""
    return _set_aside(words, commons, long_only=False)


def without_boilerplate(words: HashedWords, commons: Commons) -> HashedWords:
    """The words of each text of ``words`` less its long boilerplate: the common segments of at
    least :data:`LONG_SEGMENT` words that :func:`boilerplate_mask` sets aside in it (the texts
    keep their order; the segments are not kept: each text is one). What a candidate view
    without boilerplate is sketched on."""
    if len(commons.keys) == 0 or len(words) == 0:
        return words
    keep = ~_set_aside(words, commons, long_only=True)
    starts = np.searchsorted(np.flatnonzero(keep), words.text_starts).astype(np.intp)
    return HashedWords(words.hashes[keep], np.unique(starts[starts < keep.sum()]), starts,
                       None if words.stems is None else words.stems[keep])


def _set_aside(words: HashedWords, commons: Commons, *, long_only: bool) -> npt.NDArray[np.bool_]:
    """The rule, one word at a time: ``True`` in each text for the words of its common segments
    of two words or more (``long_only``: of :data:`LONG_SEGMENT` words or more), unless its
    common segments make up :data:`CONTENT_SHARE` of its words or more."""
    if len(commons.keys) == 0 or len(words) == 0:
        return np.zeros(len(words), dtype=bool)
    keys, lengths = segment_hashes(words)
    common = in_sorted(keys, commons.keys) & (lengths >= 2)
    if len(commons.spared):
        common &= ~in_sorted(keys, commons.spared)
    if len(words.text_starts) <= 1:  # one text (verification's case, per document): no grouping
        aside = common & (int(lengths[common].sum()) < CONTENT_SHARE * len(words))
    else:
        texts = np.searchsorted(words.text_starts, words.segment_starts, side="right") - 1
        sizes = np.diff(words.text_starts, append=len(words))
        held = np.bincount(texts, weights=np.where(common, lengths, 0), minlength=len(sizes))
        aside = common & (held < CONTENT_SHARE * sizes)[texts]
    if len(commons.shunned):
        aside |= in_sorted(keys, commons.shunned) & (lengths >= 2)
    return np.repeat(aside & is_long(keys) if long_only else aside, lengths)


def is_long(keys: Keys) -> npt.NDArray[np.bool_]:
    """Which segment keys are of segments of at least :data:`LONG_SEGMENT` words (the key's
    lowest bit says so)."""
    long: npt.NDArray[np.bool_] = (keys & np.uint64(1)) == 1
    return long


def segment_hashes(words: HashedWords) -> Segments:
    """A hash of each segment's word sequence, in order, and its length in words."""
    lengths = np.diff(words.segment_starts, append=len(words))
    return _segment_hashes_of(words.hashes, words.segment_starts), lengths


@kernel(nogil=True)
def _segment_hashes_of(hashes: WordHashes, starts: npt.NDArray[np.intp]) -> Keys:  # pragma: no cover - compiled
    keys = np.empty(len(starts), dtype=np.uint64)
    for k in range(len(starts)):
        keys[k] = _segment_hash(hashes, starts[k], starts[k + 1] if k + 1 < len(starts) else len(hashes))
    return keys


@kernel(nogil=True, inline="always")
def _segment_hash(hashes: WordHashes, begin: int, end: int) -> np.uint64:  # pragma: no cover - compiled
    """The hash of the words ``hashes[begin:end]``: their polynomial, mixed with their number;
    its lowest bit set when they are at least :data:`LONG_SEGMENT` words."""
    acc, power = np.uint64(0), np.uint64(1)
    for k in range(begin, end):
        acc += hashes[k] * power
        power *= _BASE_U64
    key = _mix64(acc + np.uint64(end - begin)) & ~np.uint64(1)
    return key | np.uint64(1) if end - begin >= LONG_SEGMENT else key
