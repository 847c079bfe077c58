"""Two texts' sentences as tf-isf vectors over one numbering of both texts' stems: their
similar sentence pairs (the seeds of the sentence pass), and the cosine of whole stretches.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import numpy.typing as npt

from .compiled import Codes, Weights
from .sentence_kernels import bags_cosine, sentence_frequency, sentence_squares, similar_pairs, similar_seeds
from .terms import Sentences, joint_codes

#: Seed: cosine of the two sentences' tf-isf vectors and Dice of their term sets.
SEED_COSINE = 0.33
SEED_DICE = 0.33
#: A seed's cosine is at least this share of the best cosine of either of its sentences.
BEST_SHARE = 0.6
#: A sentence matching more sentences of the other text than this seeds nothing.
MAX_MATCHES = 4


Seed = tuple[int, int]
"""Sentence indices ``(i, j)`` in A and B."""


def paired(a: Sentences, b: Sentences, *, floor: float = SEED_COSINE) -> SentencePair:
    """Two texts' sentences as tf-isf vectors over one numbering of both texts' stems, for
    every pass over the pair's sentences (the sentence pass and the summary step): made once
    per pair. ``floor``: the lowest cosine any of those passes asks similar sentences to reach
    (the similar pairs are found once, at that level)."""
    joint = joint_codes(a.stems, b.stems)
    n_terms = len(a.stems.items) + int((joint[:-1] >= len(a.stems.items)).sum())
    return SentencePair(a.term, a, joint[b.term], b, n_terms, joint=joint, floor=floor)


#: Work the similar sentences of two texts may take: terms of B's sentences met (at most
#: ~30 s), and pairs kept: ``MOST_PAIRS``, or ``PAIRS_PER_SENTENCE`` a sentence of the two if
#: that is more (~100 bytes a pair). Two news articles take thousands of each; a 500 KB book
#: against itself 6 million steps and 216,000 pairs; two 10 MB documents sharing half their
#: text (``benchmarks/long_documents.py``) 5.5 million pairs, 33 a sentence.
#: A text whose sentences repeat by the thousand (one line written 20,000 times meets itself
#: 400 million times) is compared word by word only: its sentences, each like thousands of
#: others, tell nothing.
MOST_STEPS = 4_000_000_000
MOST_PAIRS = 2_000_000
PAIRS_PER_SENTENCE = 50

Similar = tuple[Codes, Codes, Weights, Weights, Codes, Codes]
"""Sentence pairs ``(i, j)`` of A and B, row by row, with their cosine and their number of
shared terms; then the number of terms of each sentence of A and of B."""


class SentencePair:
    """tf-isf vectors of both texts' sentences: their products, and bags of whole stretches."""

    def __init__(self, terms_a: Codes, a: Sentences, terms_b: Codes, b: Sentences, n_terms: int, *,
                 joint: Codes, floor: float = SEED_COSINE) -> None:
        frequency_a = sentence_frequency(terms_a, a.starts, a.ends, n_terms)
        frequency_b = sentence_frequency(terms_b, b.starts, b.ends, n_terms)
        self.shared = (frequency_a > 0) & (frequency_b > 0)
        self.isf = _isf(len(a.starts) + len(b.starts))[frequency_a + frequency_b]
        self.terms_a, self.terms_b, self.a, self.b = terms_a, terms_b, a, b
        self.joint = joint
        """B's stem codes in the numbering of both texts (:func:`joint_codes`)."""
        self.counts_a = np.concatenate(([0], np.cumsum(terms_a >= 0))).tolist()
        self.counts_b = np.concatenate(([0], np.cumsum(terms_b >= 0))).tolist()
        self.cosine: dict[Seed, float] = {}
        """The cosine of each seed."""
        self._holds = np.zeros(n_terms + 1, dtype=bool)
        self._floor = floor
        self._similar: Similar | None = None

    def similar(self, min_cosine: float) -> Similar:
        """The sentence pairs whose cosine reaches ``min_cosine`` (at least the ``floor`` this
        pair was made with): found once at the floor, then only filtered."""
        if min_cosine < self._floor:
            raise ValueError(f"sentence pairs of cosine {min_cosine} asked of a pair made for {self._floor} or more")
        if self._similar is None:
            a, b = self.a, self.b
            squares_a, sizes_a = sentence_squares(self.terms_a, a.starts, a.ends, self.isf)
            squares_b, sizes_b = sentence_squares(self.terms_b, b.starts, b.ends, self.isf)
            rows, cols, cosine, common, whole = similar_pairs(
                self.terms_a, a.starts, a.ends, self.terms_b, b.starts, b.ends, self.isf, self.shared,
                _norms(squares_a, sizes_a), _norms(squares_b, sizes_b), self._floor, MOST_STEPS,
                max(MOST_PAIRS, PAIRS_PER_SENTENCE * (len(a.starts) + len(b.starts))))
            if not whole:  # sentences repeated by the thousand: no sentence is like one other
                rows = cols = np.empty(0, dtype=np.int64)
                cosine = common = np.empty(0)
            self._similar = (rows, cols, cosine, common, sizes_a, sizes_b)
        rows, cols, cosine, common, sizes_a, sizes_b = self._similar
        if min_cosine > self._floor:
            keep = cosine >= min_cosine
            rows, cols, cosine, common = rows[keep], cols[keep], cosine[keep], common[keep]
        return rows, cols, cosine, common, sizes_a, sizes_b

    def seeds(self) -> list[Seed]:
        """Sentence pairs similar enough in both measures, sorted.

        Only the pairs whose cosine reaches ``SEED_COSINE`` are ever held (one row of products
        at a time is summed), so memory grows with the sentences and those pairs, not with
        the product of the two texts' lengths; the seeds are those of the dense statement
        (:func:`~dupefind.align.sentence_kernels.sentence_products` and
        :func:`~dupefind.align.sentence_seeds.similar_sentences`), to the last bit.
        """
        a, b = self.a, self.b
        rows, cols, cosine, common, sizes_a, sizes_b = self.similar(SEED_COSINE)
        order = np.lexsort((cols, rows))
        rows, cols, cosine, common = rows[order], cols[order], cosine[order], common[order]
        chosen = similar_seeds(rows, cols, cosine, common, len(a.starts), len(b.starts),
                               np.maximum(sizes_a, 1).astype(float), np.maximum(sizes_b, 1).astype(float),
                               SEED_DICE, BEST_SHARE, MAX_MATCHES)
        seeds = list(zip(rows[chosen].tolist(), cols[chosen].tolist()))
        self.cosine = dict(zip(seeds, cosine[chosen].tolist()))
        return seeds

    def words(self, i0: int, i1: int, j0: int, j1: int) -> tuple[int, int]:
        """Number of terms (with repeats) in sentences ``i0..i1`` of A and ``j0..j1`` of B."""
        a, b = self.a, self.b
        return (self.counts_a[a.ends[i1]] - self.counts_a[a.starts[i0]],
                self.counts_b[b.ends[j1]] - self.counts_b[b.starts[j0]])

    def holds(self, terms: Codes, start: int, end: int) -> npt.NDArray[np.bool_]:
        """Which terms occur among tokens ``start:end`` (one more entry, for -1, is ``False``)."""
        found = np.zeros_like(self._holds)
        found[terms[start:end]] = True
        found[-1] = False
        return found

    def stretch_cosine(self, i0: int, i1: int, j0: int, j1: int) -> float:
        """Cosine of sentences ``i0..i1`` of A and ``j0..j1`` of B, each summed into one vector."""
        a, b = self.a, self.b
        return float(bags_cosine(self.terms_a, a.starts[i0], a.ends[i1], self.terms_b, b.starts[j0], b.ends[j1],
                                 self.isf))


def _norms(squares: Weights, sizes: Codes) -> Weights:
    """Each sentence's norm: the square root of its sum of squares (``** 0.5`` of Python, as
    it always was); 1 for a sentence without terms."""
    return np.array([s**0.5 if n else 1.0 for s, n in zip(squares.tolist(), sizes.tolist())])


@lru_cache(maxsize=1024)
def _isf(total: int) -> Weights:
    """Inverse sentence frequency of a term found in ``n`` of ``total`` sentences, for each ``n``
    (each computed on its own, as a float of ``np.log``, the same to the last bit)."""
    return np.array([0.0] + [float(np.log(total / n)) + 1e-3 for n in range(1, total + 1)])
