"""The runs of words two texts share: whether they share any of the aligner's seeds (runs of
identical words, or of function words), and the spans the aligner's word pass grows from
them, on word ids numbered from the hashes; with the merges of sorted arrays these checks use.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from ..align.compiled import sorted_seeds
from ..align.words import MAX_REPEATS, passage_spans
from ..jit import kernel
from .documents import Probe, Screened

Span = tuple[int, int, int, int, int]
"""Words ``ia:ib`` of A and ``ja:jb`` of B a region of the word pass aligns, ``same`` of them identical."""


def shares_seed(a: Probe, b: Probe) -> bool:
    """Whether the two texts share a run of ``WORD_SEED`` words, or of ``STOP_SEED`` function
    words (counted over the function words alone), without boilerplate: a superset of the
    aligner's seeds, so ``False`` means the aligner has none."""
    return bool(_common(a.runs, b.runs)) or bool(_common(a.stop_runs, b.stop_runs))


def word_spans(a: Screened, b: Screened, x: Probe, y: Probe, *, min_words: int, most: int,
               enough: int | None = None) -> list[Span]:
    """What the aligner's word pass could keep (:func:`~dupefind.align.words.passage_spans`:
    the first ``most``, or fewer once ``enough`` identical words; none, and the word pass keeps
    no passage), on word ids numbered from
    the hashes as the aligner numbers words: equal words, equal ids; each boilerplate word an
    id of its own that matches nothing."""
    ids_a, ids_b, seeds_a, seeds_b = _span_words(x.ids, x.distinct, a.boilerplate, y.ids, y.distinct, b.boilerplate,
                                                 x.runs, x.run_starts, y.runs, y.run_starts, x.stop_runs,
                                                 x.stop_run_starts, y.stop_runs, y.stop_run_starts, MAX_REPEATS)
    return passage_spans((seeds_a, seeds_b), ids_a, ids_b, min_words=min_words, most=most, enough=enough)


@kernel(nogil=True)
def _span_words(ids_x: npt.NDArray[np.int64], distinct_x: npt.NDArray[np.uint64], boilerplate_a: npt.NDArray[np.bool_],
                ids_y: npt.NDArray[np.int64], distinct_y: npt.NDArray[np.uint64], boilerplate_b: npt.NDArray[np.bool_],
                runs_x: npt.NDArray[np.uint64], run_starts_x: npt.NDArray[np.int64], runs_y: npt.NDArray[np.uint64],
                run_starts_y: npt.NDArray[np.int64], stop_runs_x: npt.NDArray[np.uint64],
                stop_starts_x: npt.NDArray[np.int64], stop_runs_y: npt.NDArray[np.uint64],
                stop_starts_y: npt.NDArray[np.int64], most: int) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64],
                                                                         npt.NDArray[np.int64], npt.NDArray[np.int64]]:  # pragma: no cover - compiled
    """:func:`word_spans`'s word ids and seeds, in one compiled call::

        ids_a = x.ids, ids_b = _joint(x.distinct, y.distinct)[y.ids]
        each boilerplate word of A an id -1 - k, of B -1 - len(A) - k (k: its position)
        seeds = the pairs of starts of equal runs of words, and of function words
                (_run_seeds of each), sorted, each once

    The aligner's seeds come from the runs each probe keyed once (equal words, equal hashes;
    a run holding boilerplate matches nothing in either), instead of keying both texts per pair."""
    joint = _joint(distinct_x, distinct_y)
    ids_a = ids_x.copy()
    ids_b = np.empty(len(ids_y), dtype=np.int64)
    for k in range(len(ids_a)):
        if boilerplate_a[k]:
            ids_a[k] = -1 - k
    for k in range(len(ids_y)):
        ids_b[k] = -1 - len(ids_a) - k if boilerplate_b[k] else joint[ids_y[k]]
    words_a, words_b = _run_seeds(runs_x, run_starts_x, runs_y, run_starts_y, most)
    stops_a, stops_b = _run_seeds(stop_runs_x, stop_starts_x, stop_runs_y, stop_starts_y, most)
    seeds_a, seeds_b = sorted_seeds(words_a, words_b, stops_a, stops_b, len(ids_b))
    return ids_a, ids_b, seeds_a, seeds_b


@kernel(nogil=True)
def _run_seeds(keys_a: npt.NDArray[np.uint64], starts_a: npt.NDArray[np.int64], keys_b: npt.NDArray[np.uint64],
               starts_b: npt.NDArray[np.int64],
               most: int) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:  # pragma: no cover - compiled
    """Every pair of starts ``(i, j)`` of equal keys of two sorted key arrays, but for a key
    found more than ``most`` times in B (the aligner's ``gram_seeds``, by a merge)."""
    groups = np.empty((min(len(keys_a), len(keys_b)), 4), dtype=np.int64)  # runs of one key: a0, a1, b0, b1
    count = total = x = y = 0
    while x < len(keys_a) and y < len(keys_b):
        if keys_a[x] < keys_b[y]:
            x += 1
        elif keys_b[y] < keys_a[x]:
            y += 1
        else:
            end_a, end_b = x, y
            while end_a < len(keys_a) and keys_a[end_a] == keys_a[x]:
                end_a += 1
            while end_b < len(keys_b) and keys_b[end_b] == keys_b[y]:
                end_b += 1
            if end_b - y <= most:
                groups[count] = (x, end_a, y, end_b)
                count += 1
                total += (end_a - x) * (end_b - y)
            x, y = end_a, end_b
    first = np.empty(total, dtype=np.int64)
    second = np.empty(total, dtype=np.int64)
    k = 0
    for g in range(count):
        for i in range(groups[g, 0], groups[g, 1]):
            for j in range(groups[g, 2], groups[g, 3]):
                first[k], second[k] = starts_a[i], starts_b[j]
                k += 1
    return first, second


@kernel(nogil=True, inline="always")
def _joint(first: npt.NDArray[np.uint64], second: npt.NDArray[np.uint64]) -> npt.NDArray[np.int64]:  # pragma: no cover - compiled
    """For each value of ``second`` (sorted, distinct), its position in ``first`` (sorted,
    distinct) if there, else a code of its own past ``first``'s (``len(first) + k`` for the
    ``k``-th value of ``second``): one numbering of both (a merge)."""
    codes = np.empty(len(second), dtype=np.int64)
    at = 0
    for k in range(len(second)):
        while at < len(first) and first[at] < second[k]:
            at += 1
        codes[k] = at if at < len(first) and first[at] == second[k] else len(first) + k
    return codes


@kernel(nogil=True)
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
