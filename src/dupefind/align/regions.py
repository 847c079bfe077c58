"""Candidate regions of the word pass, held as arrays (a row ``a0, a1, b0, b1`` per region) and
worked on by compiled kernels: two long texts give millions of chains, which as Python tuples
took hundreds of megabytes and most of the time of the alignment.

Each function computes exactly what the plain statement in its docstring says (the tests
hold the kernels against it); the order of the regions is the order of Python's tuples.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from ..jit import kernel
from .compiled import Codes, chain_spans

Regions = npt.NDArray[np.signedinteger[Any]]
"""Token ranges of candidate passages, one row ``(a0, a1, b0, b1)`` each, ends exclusive
(32-bit when the texts' word positions fit)."""


@kernel(nogil=True)
def sorted_regions(regions: Regions, unique: bool = False) -> Regions:  # pragma: no cover - compiled
    """``regions`` in the order ``sorted`` gives their rows as tuples (a stable sort on each
    column, last first); ``unique``: each once."""
    order = np.arange(len(regions))
    for column in range(3, -1, -1):
        values = np.empty(len(order), dtype=np.int64)
        for k in range(len(order)):
            values[k] = regions[order[k], column]
        order = order[np.argsort(values, kind="mergesort")]
    out = np.empty_like(regions)
    count = 0
    for k in range(len(order)):
        row = order[k]
        if unique and count > 0 and (out[count - 1, 0] == regions[row, 0] and out[count - 1, 1] == regions[row, 1]
                                     and out[count - 1, 2] == regions[row, 2]
                                     and out[count - 1, 3] == regions[row, 3]):
            continue
        out[count] = regions[row]
        count += 1
    return out[:count].copy()


@kernel(nogil=True)
def candidate_regions(chains: Regions, gap: int) -> Regions:  # pragma: no cover - compiled
    """``sorted(set(merged(chains)) | set(chains))``: each chain's region and each region the
    chains make when joined (:func:`merge_following`), each once, in order."""
    merged = merge_following(sorted_regions(chains, False), gap)
    return sorted_regions(np.concatenate((merged, chains)), True)


@kernel(nogil=True)
def held_regions(seeds_a: Codes, seeds_b: Codes, ids_a: Codes, ids_b: Codes, gap: int, reach: int, least: int,
                 max_cells: int, like: Regions) -> Regions:  # pragma: no cover - compiled
    """The word pass's regions in one compiled call, in ``like``'s type::

        chains = the chains of the seeds (chain_spans), each reaching ``reach`` words past its
                 last seed in both texts (within them)
        regions = candidate_regions(chains, gap)
        regions[may_hold(regions, ids_a, ids_b, least, max_cells)]

    (each step a call of its own cost more than the work on a pair of short texts)."""
    first_a, last_a, low_b, high_b = chain_spans(seeds_a, seeds_b, gap)
    count = len(first_a)
    chains = np.empty((count, 4), dtype=like.dtype)
    for k in range(count):
        chains[k, 0], chains[k, 1] = first_a[k], min(len(ids_a), last_a[k] + reach)
        chains[k, 2], chains[k, 3] = low_b[k], min(len(ids_b), high_b[k] + reach)
    regions = candidate_regions(chains, gap)
    keep = may_hold(regions, ids_a, ids_b, least, max_cells)
    held = np.empty((int(keep.sum()), 4), dtype=like.dtype)
    k = 0
    for r in range(len(regions)):
        if keep[r]:
            held[k] = regions[r]
            k += 1
    return held


@kernel(nogil=True)
def merge_following(regions: Regions, gap: int) -> Regions:  # pragma: no cover - compiled
    """Regions (sorted) joined while any follows the one before it, in the same order, within
    ``gap`` words in both texts; in passes over the list until one joins nothing::

        while changed:
            out = []
            for region in regions:
                if out and follows(out[-1], region):
                    last = out.pop()
                    region = (last[0], max(last[1], region[1]), min(last[2], region[2]),
                              max(last[3], region[3]))
                out.append(region)
            regions = out

    where ``follows(p, q)``: ``q.a0 - p.a1 <= gap``, ``q.b0 - p.b1 <= gap``,
    ``q.b0 >= p.b0 - gap // 4`` and ``q.b1 >= p.b1 - gap // 4``.
    """
    current = regions.copy()
    count = len(current)
    out = np.empty_like(current)
    back = gap // 4
    changed = True
    while changed:
        changed = False
        kept = 0
        for k in range(count):
            a0, a1, b0, b1 = current[k, 0], current[k, 1], current[k, 2], current[k, 3]
            if kept > 0:
                p0, p1, p2, p3 = out[kept - 1, 0], out[kept - 1, 1], out[kept - 1, 2], out[kept - 1, 3]
                if a0 - p1 <= gap and b0 - p3 <= gap and b0 >= p2 - back and b1 >= p3 - back:
                    kept -= 1
                    a0, a1, b0, b1 = p0, max(p1, a1), min(p2, b0), max(p3, b1)
                    changed = True
            out[kept, 0], out[kept, 1], out[kept, 2], out[kept, 3] = a0, a1, b0, b1
            kept += 1
        current[:kept] = out[:kept]
        count = kept
    return current[:count].copy()


@kernel(nogil=True)
def may_hold(regions: Regions, ids_a: Codes, ids_b: Codes, least: int,
             max_cells: int) -> npt.NDArray[np.bool_]:  # pragma: no cover - compiled
    """For each region: whether its words can hold ``least`` identical words in order, i.e.
    the length of the longest common subsequence of ``ids_a[a0:a1]`` and ``ids_b[b0:b1]`` is
    ``least`` or more (always ``True`` for a region of more than ``max_cells`` word pairs,
    which is not measured). The words an alignment of the region keeps identical are a common
    subsequence: a region that fails holds no passage of ``least`` identical words."""
    out = np.ones(len(regions), dtype=np.bool_)
    row = np.zeros(0, dtype=np.int32)
    for r in range(len(regions)):
        a0, a1 = np.int64(regions[r, 0]), np.int64(regions[r, 1])  # 64-bit: n * m must not overflow
        b0, b1 = np.int64(regions[r, 2]), np.int64(regions[r, 3])
        n, m = a1 - a0, b1 - b0
        if n < least or m < least:
            out[r] = False
            continue
        if n * m > max_cells:
            continue
        if len(row) < m + 1:
            row = np.zeros(m + 1, dtype=np.int32)
        row[: m + 1] = 0
        for i in range(n):
            x = ids_a[a0 + i]
            diagonal = 0  # row[j] of the previous line, before it was overwritten
            for j in range(m):
                above = row[j + 1]
                if x == ids_b[b0 + j]:
                    row[j + 1] = diagonal + 1
                elif row[j] > above:
                    row[j + 1] = row[j]
                diagonal = above
        out[r] = row[m] >= least
    return out
