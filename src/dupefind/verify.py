"""Candidate pairs to exact figures: Jaccard similarity and containment both ways.

A candidate from LSH is only a guess; here both texts are re-read, tokenised, stripped of
boilerplate and shingled again, and the shingle sets are compared exactly.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .align import content_terms
from .boilerplate import Commons, boilerplate_mask
from .config import Scheme
from .models import Passage
from .shingles import ShingleIds, hashed_shingle_ids, shingle_ids
from .text import Tokens, hash_words, tokenize


@dataclass(frozen=True, slots=True)
class Prepared:
    """A document re-read for verification and alignment."""

    id: str
    """The document's id."""
    text: str
    """Its text, as the passages' offsets index it."""
    tokens: Tokens
    """Its words with their offsets."""
    boilerplate: npt.NDArray[np.bool_]
    """``True`` for the words set aside as boilerplate."""
    shingles: ShingleIds
    """Shingle ids of the words that are not boilerplate."""
    short: bool
    """Fewer words than the short-text limit."""
    segment_starts: tuple[int, ...] | None = None
    """The first word of each of its segments (lines, sentences), as
    :func:`~dupefind.text.segments` finds them, if known."""


@dataclass(frozen=True, slots=True)
class Overlap:
    """The exact figures for two shingle sets."""

    similarity: float
    """Jaccard: shared shingles over all distinct shingles of the two."""
    containment_a: float
    """Share of A's shingles found in B."""
    containment_b: float
    """Share of B's shingles found in A."""

    @property
    def containment(self) -> float:
        """The larger of the two containments: how much of the smaller copy is in the other."""
        return max(self.containment_a, self.containment_b)


def prepare(doc_id: str, text: str, *, commons: Commons, scheme: Scheme, ngram: int,
            min_words: int) -> Prepared:
    """Tokenise ``text``, set its boilerplate aside and shingle the rest."""
    tokens = tokenize(text)
    words = hash_words(text, tokens)
    mask = boilerplate_mask(words, commons)
    if scheme == "chars":
        ids = shingle_ids([word for word, dropped in zip(tokens.words, mask) if not dropped],
                          scheme=scheme, ngram=ngram)
    else:
        ids = hashed_shingle_ids(words.hashes[~mask], scheme=scheme, ngram=ngram)
    return Prepared(doc_id, text, tokens, mask, ids, len(tokens) < min_words, tuple(words.segment_starts.tolist()))


def overlap(a: Prepared, b: Prepared) -> Overlap:
    """Jaccard and both containments of the two documents' shingle sets; of their sets of words
    when a short text is too short to hold a single shingle (two identical short texts are
    identical, not 0 % alike; short texts are judged on their words in any case)."""
    if (a.short or b.short) and (len(a.shingles) == 0 or len(b.shingles) == 0):
        return _word_overlap(a, b)
    shared = len(np.intersect1d(a.shingles, b.shingles, assume_unique=True))
    union = len(a.shingles) + len(b.shingles) - shared
    return Overlap(
        similarity=shared / union if union else 0.0,
        containment_a=shared / len(a.shingles) if len(a.shingles) else 0.0,
        containment_b=shared / len(b.shingles) if len(b.shingles) else 0.0,
    )


def _word_overlap(a: Prepared, b: Prepared) -> Overlap:
    words_a = {w for w, dropped in zip(a.tokens.words, a.boilerplate) if not dropped}
    words_b = {w for w, dropped in zip(b.tokens.words, b.boilerplate) if not dropped}
    shared = len(words_a & words_b)
    union = len(words_a | words_b)
    return Overlap(
        similarity=shared / union if union else 0.0,
        containment_a=shared / len(words_a) if words_a else 0.0,
        containment_b=shared / len(words_b) if words_b else 0.0,
    )


#: A rewritten passage is evidence of a copy when it has at least this many words on each side
#: (a sentence) ...
REWRITTEN_WORDS = 20
#: ... and shares at least this many distinct content words ...
REWRITTEN_SHARED = 8
#: ... which are at least this share of the content words of the two sides (Dice).
REWRITTEN_DICE = 0.4


def is_duplicate(a: Prepared, b: Prepared, figures: Overlap, passages: Sequence[Passage] = (), *,
                 threshold: float, passage_words: int = 0) -> bool:
    """The verdict: containment reaches ``threshold``, or one passage is a copied stretch inside
    two longer texts: it holds at least ``passage_words`` identical words, or it is a sentence
    or more whose content words are largely the same on both sides (rewritten, reworded,
    shuffled; ``passage_words`` 0 turns both passage rules off). Short texts are copies only
    when their words are identical (and they have words: two texts of punctuation alone share
    nothing)."""
    if a.short or b.short:
        return len(a.tokens) > 0 and a.tokens.words == b.tokens.words
    if figures.containment >= threshold:
        return True
    return passage_words > 0 and any(
        p.identical_words >= passage_words or _rewritten(p, a.tokens, b.tokens) for p in passages)


def _rewritten(p: Passage, a: Tokens, b: Tokens) -> bool:
    """The passage is a sentence or more on each side, and its two sides share most of their
    content words."""
    if min(p.words_a, p.words_b) < REWRITTEN_WORDS:
        return False
    terms_a = content_terms(a.words[bisect_left(a.starts, p.a_start) : bisect_left(a.starts, p.a_end)])
    terms_b = content_terms(b.words[bisect_left(b.starts, p.b_start) : bisect_left(b.starts, p.b_end)])
    shared = len(terms_a & terms_b)
    return shared >= REWRITTEN_SHARED and 2 * shared >= REWRITTEN_DICE * (len(terms_a) + len(terms_b))
