"""The sentence pass's seeds, compiled with numba: from the cosines of two texts' sentence
pairs, the pairs that seed a cluster, over every pair (:func:`similar_sentences`) or over the
pairs :func:`~dupefind.align.sentence_kernels.similar_pairs` keeps (:func:`similar_seeds`: the
same seeds). Exact as :mod:`dupefind.align.sentence_kernels` is.
"""

from __future__ import annotations

import numpy as np

from ..jit import kernel
from .compiled import Codes, Weights


@kernel(nogil=True)
def similar_sentences(dot: Weights, common: Weights, norms_a: Weights, norms_b: Weights, sizes_a: Weights,
                      sizes_b: Weights, min_cosine: float, min_dice: float, best_share: float,
                      max_matches: int) -> tuple[Weights, Codes, Codes]:  # pragma: no cover - compiled
    """The cosine of every sentence pair, and the pairs ``(i, j)`` (row by row) that seed a
    cluster: cosine at least ``min_cosine``, and ``best_share`` of the best cosine of either
    sentence; Dice of their term sets at least ``min_dice``; neither sentence matching more
    than ``max_matches`` others (rows first, then columns); and each within one sentence of
    the other's best seed."""
    rows, cols = dot.shape
    cosine = np.empty((rows, cols))
    for i in range(rows):
        for j in range(cols):
            cosine[i, j] = dot[i, j] / (norms_a[i] * norms_b[j])
    best_a = np.full(rows, -np.inf)
    best_b = np.full(cols, -np.inf)
    for i in range(rows):
        for j in range(cols):
            best_a[i] = max(best_a[i], cosine[i, j])
            best_b[j] = max(best_b[j], cosine[i, j])
    hit = np.zeros((rows, cols), dtype=np.bool_)
    for i in range(rows):
        for j in range(cols):
            c = cosine[i, j]
            hit[i, j] = (c >= min_cosine and 2 * common[i, j] / (sizes_a[i] + sizes_b[j]) >= min_dice
                         and c >= best_share * max(best_a[i], best_b[j]))
    for i in range(rows):
        if hit[i].sum() > max_matches:
            hit[i] = False
    for j in range(cols):
        if hit[:, j].sum() > max_matches:
            hit[:, j] = False
    # The best seed of each sentence (the first, on a tie; the first sentence when it has none).
    best_j = np.zeros(rows, dtype=np.int64)
    best_i = np.zeros(cols, dtype=np.int64)
    top_a = np.full(rows, -np.inf)
    top_b = np.full(cols, -np.inf)
    for i in range(rows):
        for j in range(cols):
            value = cosine[i, j] if hit[i, j] else -1.0
            if value > top_a[i]:
                top_a[i], best_j[i] = value, j
            if value > top_b[j]:
                top_b[j], best_i[j] = value, i
    seeds_a, seeds_b = [], []
    for i in range(rows):
        for j in range(cols):
            if hit[i, j] and abs(j - best_j[i]) <= 1 and abs(i - best_i[j]) <= 1:
                seeds_a.append(i)
                seeds_b.append(j)
    return cosine, np.array(seeds_a, dtype=np.int64), np.array(seeds_b, dtype=np.int64)


@kernel(nogil=True)
def similar_seeds(rows: Codes, cols: Codes, cosine: Weights, common: Weights, n_rows: int, n_cols: int,
                  sizes_a: Weights, sizes_b: Weights, min_dice: float, best_share: float,
                  max_matches: int) -> Codes:  # pragma: no cover - compiled
    """:func:`similar_sentences` over the pairs whose cosine reaches its ``min_cosine`` only
    (``rows``, ``cols``: sorted row by row; ``cosine``, ``common``: theirs): the same seeds,
    with memory that grows with those pairs, not with every sentence pair. (A pair below
    ``min_cosine`` never seeds, and never holds the best cosine of a sentence that seeds.)
    Gives the index of each seed among the pairs."""
    n = len(rows)
    best_a = np.full(n_rows, -np.inf)
    best_b = np.full(n_cols, -np.inf)
    for e in range(n):
        best_a[rows[e]] = max(best_a[rows[e]], cosine[e])
        best_b[cols[e]] = max(best_b[cols[e]], cosine[e])
    hit = np.zeros(n, dtype=np.bool_)
    per_row = np.zeros(n_rows, dtype=np.int64)
    for e in range(n):
        i, j, c = rows[e], cols[e], cosine[e]
        hit[e] = 2 * common[e] / (sizes_a[i] + sizes_b[j]) >= min_dice and c >= best_share * max(best_a[i], best_b[j])
        if hit[e]:
            per_row[i] += 1
    per_col = np.zeros(n_cols, dtype=np.int64)
    for e in range(n):
        if hit[e] and per_row[rows[e]] > max_matches:
            hit[e] = False
        if hit[e]:
            per_col[cols[e]] += 1
    for e in range(n):
        if hit[e] and per_col[cols[e]] > max_matches:
            hit[e] = False
    best_j = np.zeros(n_rows, dtype=np.int64)
    best_i = np.zeros(n_cols, dtype=np.int64)
    top_a = np.full(n_rows, -np.inf)
    top_b = np.full(n_cols, -np.inf)
    for e in range(n):
        if hit[e]:
            i, j = rows[e], cols[e]
            if cosine[e] > top_a[i]:
                top_a[i], best_j[i] = cosine[e], j
            if cosine[e] > top_b[j]:
                top_b[j], best_i[j] = cosine[e], i
    seeds = np.empty(n, dtype=np.int64)
    found = 0
    for e in range(n):
        i, j = rows[e], cols[e]
        if hit[e] and abs(j - best_j[i]) <= 1 and abs(i - best_i[j]) <= 1:
            seeds[found] = e
            found += 1
    return seeds[:found]
