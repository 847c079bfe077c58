"""The sentence pass's hot loops over term codes, compiled with numba: sentence frequencies,
tf-isf weights, the products and similar pairs of two texts' sentences, and the cosine of two
stretches (the seeds chosen among similar sentence pairs are in :mod:`dupefind.align.sentence_seeds`,
the word pass's kernels in :mod:`dupefind.align.compiled`, whose statement of exactness holds here
too: each kernel computes what plain Python did, sums in the same sequence, to the last bit).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from ..jit import kernel
from .compiled import Codes, Weights
from .sentence_seeds import similar_seeds, similar_sentences


@kernel(nogil=True)
def sentence_frequency(terms: Codes, starts: Codes, ends: Codes, n_terms: int) -> Codes:  # pragma: no cover - compiled
    """For each term, the number of sentences (token ranges ``starts[k]:ends[k]``) holding it."""
    counts = np.zeros(n_terms, dtype=np.int64)
    seen = np.full(n_terms, -1, dtype=np.int64)
    for k in range(len(starts)):
        for t in terms[starts[k] : ends[k]]:
            if t >= 0 and seen[t] != k:
                seen[t] = k
                counts[t] += 1
    return counts


@kernel(nogil=True)
def _sentence_weights(terms: Codes, start: int, end: int, isf: Weights, count: Codes,
                      order: Codes) -> tuple[int, float]:  # pragma: no cover - compiled
    """One sentence's distinct terms in order of first occurrence (into ``order``; ``count``
    holds each one's occurrences and is left at zero for the terms it did not touch), their
    number and the sum of their squared weights (``count * isf``) in that order."""
    distinct = 0
    for t in terms[start:end]:
        if t >= 0:
            if count[t] == 0:
                order[distinct] = t
                distinct += 1
            count[t] += 1
    square = 0.0
    for k in range(distinct):
        weight = count[order[k]] * isf[order[k]]
        square += weight * weight
    return distinct, square


@kernel(nogil=True, inline="always")
def _shared_weights(terms: Codes, start: int, end: int, isf: Weights, shared: npt.NDArray[np.bool_], count: Codes,
                    order: Codes, weights: Weights) -> tuple[int, float, int]:  # pragma: no cover - compiled
    """:func:`_sentence_weights` of one sentence, then its ``shared`` terms and their weights
    (``count * isf``), in order of first occurrence, into the first entries of ``order`` and
    ``weights``; ``count`` left at zero. Its number of distinct terms, the sum of their squared
    weights and its number of shared terms."""
    distinct, square = _sentence_weights(terms, start, end, isf, count, order)
    found = 0
    for k in range(distinct):
        t = order[k]
        if shared[t]:
            order[found], weights[found] = t, count[t] * isf[t]
            found += 1
        count[t] = 0
    return distinct, square, found


@kernel(nogil=True)
def _filed_by_term(rows: list[int], cols: list[int], weights: list[float], n_terms: int
                   ) -> tuple[Codes, Codes, Weights]:  # pragma: no cover - compiled
    """Entries ``(row, term, weight)`` filed by term: for term ``t``, rows and weights
    ``head[t]:head[t + 1]`` of the two arrays, in their order of entry."""
    head = np.zeros(n_terms + 1, dtype=np.int64)
    for t in cols:
        head[t + 1] += 1
    head = np.cumsum(head)
    fill = head[:-1].copy()
    filed_rows = np.empty(len(cols), dtype=np.int64)
    filed_weights = np.empty(len(cols))
    for e in range(len(cols)):
        t = cols[e]
        filed_rows[fill[t]], filed_weights[fill[t]] = rows[e], weights[e]
        fill[t] += 1
    return head, filed_rows, filed_weights


@kernel(nogil=True)
def _filed_sentences(terms: Codes, starts: Codes, ends: Codes, isf: Weights, shared: npt.NDArray[np.bool_],
                     count: Codes, order: Codes) -> tuple[Codes, Codes, Weights, Weights, Codes]:  # pragma: no cover - compiled
    """Each sentence's weights on the ``shared`` terms (a term's count times its ``isf``),
    filed by term (:func:`_filed_by_term`: for term t, entries ``head[t]:head[t + 1]``, the
    sentences in order); and of each sentence, the sum of its squared weights over all its
    terms and its number of distinct terms. ``count`` (zeros, left at zero) and ``order`` are
    scratch arrays of :func:`_sentence_weights`."""
    rows, cols, weights = [], [], []
    squares, sizes = np.zeros(len(starts)), np.zeros(len(starts), dtype=np.int64)
    found = np.empty(len(order))
    for j in range(len(starts)):
        sizes[j], squares[j], held = _shared_weights(terms, starts[j], ends[j], isf, shared, count, order, found)
        for k in range(held):
            rows.append(j)
            cols.append(order[k])
            weights.append(found[k])
    head, filed_rows, filed_weights = _filed_by_term(rows, cols, weights, len(isf))
    return head, filed_rows, filed_weights, squares, sizes


@kernel(nogil=True)
def sentence_products(terms_a: Codes, starts_a: Codes, ends_a: Codes, terms_b: Codes, starts_b: Codes,
                      ends_b: Codes, isf: Weights, shared: npt.NDArray[np.bool_]
                      ) -> tuple[Weights, Weights, Weights, Codes, Weights, Codes]:  # pragma: no cover - compiled
    """The tf-isf products of every sentence of A with every sentence of B over the ``shared``
    terms (a term's weight in a sentence: its count times its ``isf``), and how many shared
    terms each pair has; of each sentence, the sum of its squared weights over all its terms
    and its number of distinct terms.

    Each product is summed over A's sentence's terms in order of their first occurrence, as
    a sparse product over the sentence's entries in that order adds them.
    """
    count = np.zeros(len(isf), dtype=np.int64)
    order = np.empty(max(len(terms_a), len(terms_b)) + 1, dtype=np.int64)
    head, filed_rows, filed_weights, squares_b, sizes_b = _filed_sentences(terms_b, starts_b, ends_b, isf, shared,
                                                                           count, order)
    dot = np.zeros((len(starts_a), len(starts_b)))
    common = np.zeros((len(starts_a), len(starts_b)))
    squares_a, sizes_a = np.zeros(len(starts_a)), np.zeros(len(starts_a), dtype=np.int64)
    weights = np.empty(len(order))
    for i in range(len(starts_a)):
        sizes_a[i], squares_a[i], held = _shared_weights(terms_a, starts_a[i], ends_a[i], isf, shared, count, order,
                                                         weights)
        for k in range(held):
            t = order[k]
            for e in range(head[t], head[t + 1]):
                dot[i, filed_rows[e]] += weights[k] * filed_weights[e]
                common[i, filed_rows[e]] += 1.0
    return dot, common, squares_a, sizes_a, squares_b, sizes_b


@kernel(nogil=True)
def bag(terms: Codes, start: int, end: int, isf: Weights) -> tuple[Codes, Weights]:  # pragma: no cover - compiled
    """Tokens ``start:end`` as one bag of terms: the distinct terms in order of first
    occurrence, and each one's ``isf`` added up once per occurrence, one at a time."""
    weights = np.zeros(len(isf))
    seen = np.zeros(len(isf), dtype=np.bool_)
    order = np.empty(max(end - start, 0), dtype=np.int64)
    distinct = 0
    for t in terms[start:end]:
        if t >= 0:
            if not seen[t]:
                seen[t] = True
                order[distinct] = t
                distinct += 1
            weights[t] += isf[t]
    order = order[:distinct]
    return order, weights[order]


@kernel(nogil=True)
def bags_cosine(terms_a: Codes, start_a: int, end_a: int, terms_b: Codes, start_b: int, end_b: int,
                isf: Weights) -> float:  # pragma: no cover - compiled
    """The cosine of two stretches, each one :func:`bag` of terms; every sum taken one term at
    a time in the bags' order, each product rounded before it is added (numpy's products summed
    by Python 3.11's ``sum``, as this was computed before: the same float)."""
    bag_a, weights_a = bag(terms_a, start_a, end_a, isf)
    bag_b, weights_b = bag(terms_b, start_b, end_b, isf)
    dense_b = np.zeros(len(isf))
    for k in range(len(bag_b)):
        dense_b[bag_b[k]] = weights_b[k]
    dot = square_a = square_b = 0.0
    for k in range(len(bag_a)):
        dot += weights_a[k] * dense_b[bag_a[k]]
    for k in range(len(bag_a)):
        square_a += weights_a[k] * weights_a[k]
    for k in range(len(bag_b)):
        square_b += weights_b[k] * weights_b[k]
    norms = np.sqrt(square_a * square_b)
    return dot / norms if norms else 0.0


@kernel(nogil=True)
def sentence_squares(terms: Codes, starts: Codes, ends: Codes, isf: Weights) -> tuple[Weights, Codes]:  # pragma: no cover - compiled
    """Of each sentence (tokens ``starts[k]:ends[k]``), the sum of its squared weights and its
    number of distinct terms, as :func:`sentence_products` gives them."""
    count = np.zeros(len(isf), dtype=np.int64)
    order = np.empty(len(terms) + 1, dtype=np.int64)
    squares, sizes = np.zeros(len(starts)), np.zeros(len(starts), dtype=np.int64)
    for k in range(len(starts)):
        distinct, squares[k] = _sentence_weights(terms, starts[k], ends[k], isf, count, order)
        sizes[k] = distinct
        for x in range(distinct):
            count[order[x]] = 0
    return squares, sizes


@kernel(nogil=True)
def similar_pairs(terms_a: Codes, starts_a: Codes, ends_a: Codes, terms_b: Codes, starts_b: Codes,
                  ends_b: Codes, isf: Weights, shared: npt.NDArray[np.bool_], norms_a: Weights,
                  norms_b: Weights, min_cosine: float, most_steps: int, most_pairs: int
                  ) -> tuple[Codes, Codes, Weights, Weights, bool]:  # pragma: no cover - compiled
    """The sentence pairs ``(i, j)`` of A and B whose cosine is at least ``min_cosine``, row by
    row (in no order within a row): with their cosine and their number of shared terms; and
    whether they are all there.

    Each product is summed exactly as :func:`sentence_products` sums it, one row of A at a time:
    memory grows with the sentences and the pairs kept, never with their product. Both grow
    with the square of a sentence's repeats (a text of one sentence written 20,000 times meets
    itself 400 million times): past ``most_steps`` terms met or ``most_pairs`` pairs kept the
    work stops, and the pairs found so far come back with ``False``.
    """
    count = np.zeros(len(isf), dtype=np.int64)
    order = np.empty(max(len(terms_a), len(terms_b)) + 1, dtype=np.int64)
    head, filed_rows, filed_weights, _, _ = _filed_sentences(terms_b, starts_b, ends_b, isf, shared, count, order)
    dot = np.zeros(len(starts_b))
    common = np.zeros(len(starts_b))
    touched = np.empty(len(starts_b), dtype=np.int64)
    out_i = [0]
    out_j = [0]
    out_cos = [0.0]
    out_common = [0.0]
    weights = np.empty(len(order))
    steps = 0
    for i in range(len(starts_a)):
        _, _, held = _shared_weights(terms_a, starts_a[i], ends_a[i], isf, shared, count, order, weights)
        reached = 0
        for k in range(held):
            t = order[k]
            steps += head[t + 1] - head[t]
            for e in range(head[t], head[t + 1]):
                j = filed_rows[e]
                if common[j] == 0.0:
                    touched[reached] = j
                    reached += 1
                dot[j] += weights[k] * filed_weights[e]
                common[j] += 1.0
        for r in range(reached):
            j = touched[r]
            cosine = dot[j] / (norms_a[i] * norms_b[j])
            if cosine >= min_cosine:
                out_i.append(i)
                out_j.append(j)
                out_cos.append(cosine)
                out_common.append(common[j])
            dot[j] = 0.0
            common[j] = 0.0
        if steps > most_steps or len(out_i) > most_pairs:
            break
    # Each list starts with a placeholder (so that numba knows its type), left out here.
    return (np.array(out_i[1:], dtype=np.int64), np.array(out_j[1:], dtype=np.int64), np.array(out_cos[1:]),
            np.array(out_common[1:]), steps <= most_steps and len(out_i) <= most_pairs)


__all__ = ["bag", "bags_cosine", "sentence_frequency", "sentence_products", "sentence_squares", "similar_pairs",
           "similar_seeds", "similar_sentences"]
