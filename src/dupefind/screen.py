"""The verdict's cheap checks, run before any alignment: most candidate pairs are decided here.

Verifying a candidate pair in full means tokenising both texts with offsets, making them ready
for the aligner and aligning them (about a millisecond). Most pairs do not need that to be
decided. The verdict's rules (:func:`dupefind.verify.is_duplicate`) are checked here in order
of cost, on what a document costs little to prepare (:class:`Screened`: its word hashes, its
boilerplate and its shingle set, ~0.1 ms):

1. *Short texts* are copies only when their words are identical: different word hashes (or
   counts) mean different words, decided; equal ones are confirmed on the words themselves.
2. *Containment* of the shingle sets reaches the threshold: a copy, aligned once for its
   passages.
3. Otherwise only a passage can make the pair a copy: with ``--passage-words 0`` it is decided
   (not a copy) without any alignment.
4. *Could the aligner find any passage at all?* Each of its passages grows from a seed (three
   identical words in a row, or five function words in a row, none of them boilerplate) or
   from a stretch of similar sentences resting on two sentence pairs or more
   (:mod:`dupefind.align.sentences`). Two texts that share no such run of words cannot have a
   word passage; :func:`shares_seed` tells that from each document's sorted run keys, made
   once (a superset of the aligner's seeds: equal words have equal hashes, and no seed is
   left out for being frequent). When they share one, the aligner's own word pass runs on
   word ids numbered from the hashes (:func:`word_passage_possible`: the same seeds, chains
   and word alignment of each region, no passage made), which tells whether it keeps any
   passage. Without one, the sentence pass alone decides (:func:`fragment_possible`): no
   sentence stretch on two sentence pairs or more, no passage, not a copy.

Word ids from hashes are the aligner's ids as long as two different words never share a
64-bit hash (the assumption the shingles, the fingerprints and the boilerplate already rest on).

Every rejection is a true bound (a pair it turns down would have been turned down after a
full alignment); everything else is aligned once, and the verdict is
:func:`~dupefind.verify.is_duplicate` itself, on the passages found. ``tests/test_screen.py``
holds the staged verification equal to aligning every pair.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

import numpy as np
import numpy.typing as npt
from numba import njit

from .align import Side
from .align.compiled import gram_keys
from .align.passages import MIN_SEEDS, word_passage_possible
from .align.sentences import sentence_fragments
from .boilerplate import Commons, boilerplate_mask
from .config import Scheme
from .shingles import STOPWORDS, ShingleIds, hashed_shingle_ids, shingle_ids
from .text import HashedWords, hash_words, tokenize, word_hashes
from .verify import Overlap

#: The word seeds of :mod:`dupefind.align.passages`: identical words in a row, function words in a row.
WORD_SEED = 3
STOP_SEED = 5
_STOP_HASHES = np.sort(word_hashes(sorted(STOPWORDS)))


@dataclass(frozen=True, slots=True)
class Screened:
    """A document made ready for the cheap checks: everything but its words as strings."""

    id: str
    """The document's id."""
    text: str
    """Its text."""
    words: HashedWords
    """Its words as hashes, with its segments."""
    boilerplate: npt.NDArray[np.bool_]
    """``True`` for the words set aside as boilerplate."""
    shingles: ShingleIds
    """Shingle ids of the words that are not boilerplate."""
    short: bool
    """Fewer words than the short-text limit."""
    stops: npt.NDArray[np.int64]
    """Positions of the function words that are not boilerplate (the aligner's ``stops``)."""
    runs: npt.NDArray[np.uint64]
    """Sorted keys of its runs of ``WORD_SEED`` words without boilerplate."""
    stop_runs: npt.NDArray[np.uint64]
    """Sorted keys of its runs of ``STOP_SEED`` function words (counted over them alone)."""


def screened(doc_id: str, text: str, *, commons: Commons, scheme: Scheme, ngram: int,
             min_words: int) -> Screened:
    """What :func:`dupefind.verify.prepare` computes, less the tokens with their offsets (the
    same hashes, boilerplate and shingles: the same functions on the same text)."""
    words = hash_words(text)
    mask = boilerplate_mask(words, commons)
    if scheme == "chars":
        tokens = tokenize(text)
        ids = shingle_ids([word for word, dropped in zip(tokens.words, mask) if not dropped],
                          scheme=scheme, ngram=ngram)
    else:
        ids = hashed_shingle_ids(words.hashes[~mask], scheme=scheme, ngram=ngram)
    stops = np.flatnonzero(np.isin(words.hashes, _STOP_HASHES) & ~mask).astype(np.int64)
    every = np.arange(len(words.hashes), dtype=np.int64)
    return Screened(doc_id, text, words, mask, ids, len(words.hashes) < min_words, stops,
                    np.unique(_gram_keys(words.hashes, mask, every, WORD_SEED)),
                    np.unique(_gram_keys(words.hashes, mask, stops, STOP_SEED)))


def figures(a: ShingleIds, b: ShingleIds) -> Overlap:
    """Jaccard and both containments of two shingle sets (:func:`dupefind.verify.overlap`)."""
    shared = int(_common(a, b))
    union = len(a) + len(b) - shared
    return Overlap(
        similarity=shared / union if union else 0.0,
        containment_a=shared / len(a) if len(a) else 0.0,
        containment_b=shared / len(b) if len(b) else 0.0,
    )


class Call(Enum):
    """What the cheap checks make of a pair."""

    NOT_A_COPY = "not a copy"
    """Decided: the pair is not reported, and is not aligned."""
    ALIGN = "align"
    """A copy, or possibly one: aligned, and the verdict taken on its passages."""
    SENTENCES = "sentences"
    """No word seed: a copy only if the sentence pass finds a stretch (:func:`fragment_possible`)."""


def call(a: Screened, b: Screened, overlap: Overlap, *, threshold: float, passage_words: int,
         min_passage_words: int) -> Call:
    """The cheap checks, in order of cost (see the module's text)."""
    if a.short or b.short:
        same = len(a.words.hashes) > 0 and np.array_equal(a.words.hashes, b.words.hashes)
        return Call.ALIGN if same else Call.NOT_A_COPY
    if overlap.containment >= threshold:
        return Call.ALIGN
    if passage_words <= 0:
        return Call.NOT_A_COPY
    if shares_seed(a, b) and word_passage(a, b, min_words=max(1, min_passage_words)):
        return Call.ALIGN
    return Call.SENTENCES


def shares_seed(a: Screened, b: Screened) -> bool:
    """Whether the two texts share a run of ``WORD_SEED`` words, or of ``STOP_SEED`` function
    words (counted over the function words alone), without boilerplate: a superset of the
    aligner's seeds, so ``False`` means the aligner has none."""
    return bool(_common(a.runs, b.runs)) or bool(_common(a.stop_runs, b.stop_runs))


def word_passage(a: Screened, b: Screened, *, min_words: int) -> bool:
    """Whether the aligner's word pass keeps a passage (:func:`word_passage_possible`), on word
    ids numbered from the hashes as the aligner numbers words: equal words, equal ids; each
    boilerplate word an id of its own that matches nothing."""
    length_a = len(a.words.hashes)
    _, ids = np.unique(np.concatenate((a.words.hashes, b.words.hashes)), return_inverse=True)
    ids = ids.astype(np.int64)
    ids_a, ids_b = ids[:length_a], ids[length_a:]
    ignored_a, ignored_b = np.flatnonzero(a.boilerplate), np.flatnonzero(b.boilerplate)
    ids_a[ignored_a] = -1 - ignored_a
    ids_b[ignored_b] = -1 - length_a - ignored_b
    return word_passage_possible(ids_a, ids_b, a.stops, b.stops, min_words=min_words)


def fragment_possible(a: Side, b: Side) -> bool:
    """Whether the sentence pass finds a stretch that can be a passage on its own (one resting
    on ``MIN_SEEDS`` sentence pairs or more); without a word seed, the only passages there are."""
    return any(f.seeds >= MIN_SEEDS for f in sentence_fragments(a.sentences, b.sentences))


def _gram_keys(hashes: npt.NDArray[np.uint64], boilerplate: npt.NDArray[np.bool_],
               positions: npt.NDArray[np.int64], n: int) -> npt.NDArray[np.uint64]:
    """Keys of the runs of ``n`` words at consecutive ``positions`` holding no boilerplate word."""
    keys: npt.NDArray[np.uint64] = gram_keys(hashes.view(np.int64), positions, n)
    if not boilerplate.any() or not len(keys):
        return keys
    ignored = np.concatenate(([0], np.cumsum(boilerplate[positions])))
    clean: npt.NDArray[np.bool_] = ignored[n:] - ignored[:-n] == 0
    kept: npt.NDArray[np.uint64] = keys[clean]
    return kept


@njit(cache=True, nogil=True)
def _common(a: npt.NDArray[np.generic], b: npt.NDArray[np.generic]) -> int:  # pragma: no cover - compiled
    """How many values two sorted arrays without repeats share (a merge)."""
    i = j = shared = 0
    while i < len(a) and j < len(b):
        if a[i] < b[j]:
            i += 1
        elif b[j] < a[i]:
            j += 1
        else:
            shared += 1
            i += 1
            j += 1
    return shared
