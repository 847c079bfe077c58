"""The aligners' hot loops over word and term codes, compiled with numba: here the word pass's
(word n-gram keys, the seeds two texts share, their chains) and a text's making ready (its
words numbered by their hashes, its sentences' bounds); the sentence pass's are in
:mod:`dupefind.align.sentence_kernels` and :mod:`dupefind.align.sentence_seeds`.

Each kernel computes exactly what a few lines of plain Python in :mod:`dupefind.align.passages` or
:mod:`dupefind.align.sentences` used to, in the same order where floating point makes order
matter (sums run in the same sequence, so the results are identical to the last bit); the
tests hold each kernel against that plain statement. Codes are ``int64`` word or term ids of
one pair of texts; a negative code never matches anything.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from ..jit import kernel
from ..text import _BASE_U64 as _BASE
from ..text import _mix64

Codes = npt.NDArray[np.int64]
Weights = npt.NDArray[np.float64]


@kernel(nogil=True)
def gram_keys(ids: Codes, positions: Codes, n: int) -> npt.NDArray[np.uint64]:  # pragma: no cover - compiled
    """A 64-bit key for each run of ``n`` consecutive words at ``positions``: the key starts at
    0 and takes in each word's id (as unsigned) as ``mix64(key * 0x100000001B3 + id)``."""
    count = len(positions) - n + 1
    if count <= 0:
        return np.empty(0, dtype=np.uint64)
    values = np.empty(len(positions), dtype=np.uint64)
    for k in range(len(positions)):
        values[k] = np.uint64(ids[positions[k]])
    keys = np.empty(count, dtype=np.uint64)
    for x in range(count):
        key = np.uint64(0)
        for offset in range(n):
            key = _mix64(key * _BASE + values[x + offset])
        keys[x] = key
    return keys


@kernel(nogil=True)
def seed_pairs(ids_a: Codes, ids_b: Codes, stops_a: Codes, stops_b: Codes, word_seed: int, stop_seed: int,
               max_repeats: int) -> tuple[Codes, Codes]:  # pragma: no cover - compiled
    """The word pass's seeds in one compiled call: the start positions ``(i, j)`` of the
    ``word_seed``-grams of words and of the ``stop_seed``-grams of function words (at
    ``stops_a``, ``stops_b``) found in both (:func:`gram_seeds`), sorted, each once."""
    words_a, words_b = gram_seeds(ids_a, ids_b, np.arange(len(ids_a)), np.arange(len(ids_b)), word_seed, max_repeats)
    found_a, found_b = gram_seeds(ids_a, ids_b, stops_a, stops_b, stop_seed, max_repeats)
    return sorted_seeds(words_a, words_b, found_a, found_b, len(ids_b))


@kernel(nogil=True, inline="always")
def sorted_seeds(first_a: Codes, first_b: Codes, second_a: Codes, second_b: Codes,
                 len_b: int) -> tuple[Codes, Codes]:  # pragma: no cover - compiled
    """The seeds ``(i, j)`` of two lists (positions in A and in B, ``len_b`` words in B) as one,
    sorted, each once (one number per seed, ordered as ``(i, j)`` are: sorted and unique at once)."""
    width = len_b + 1
    codes = np.empty(len(first_a) + len(second_a), dtype=np.int64)
    codes[: len(first_a)] = first_a * width + first_b
    codes[len(first_a) :] = second_a * width + second_b
    seeds = np.unique(codes)
    return seeds // width, seeds % width


@kernel(nogil=True)
def gram_seeds(ids_a: Codes, ids_b: Codes, pos_a: Codes, pos_b: Codes, n: int,
               max_repeats: int) -> tuple[Codes, Codes]:  # pragma: no cover - compiled
    """Start positions ``(pos_a[x], pos_b[y])`` of equal n-gram keys of the words at ``pos_a`` /
    ``pos_b``, skipping a key found more than ``max_repeats`` times in B (unordered).

    B's keys go into a hash table (open addressing on the keys' low bits, which are mixed),
    each distinct key with the chain of its positions; A's keys look it up: linear time, no
    sort of either text's keys."""
    keys_a, keys_b = gram_keys(ids_a, pos_a, n), gram_keys(ids_b, pos_b, n)
    size = 16
    while size < 2 * len(keys_b):
        size *= 2
    mask = np.uint64(size - 1)
    slot_keys = np.empty(size, dtype=np.uint64)
    heads = np.full(size, -1, dtype=np.int64)  # the last position of B holding the slot's key
    counts = np.zeros(size, dtype=np.int64)
    before = np.empty(len(keys_b), dtype=np.int64)  # the previous position holding the same key
    for y in range(len(keys_b)):
        slot = keys_b[y] & mask
        while heads[slot] >= 0 and slot_keys[slot] != keys_b[y]:
            slot = (slot + np.uint64(1)) & mask
        if heads[slot] < 0:
            slot_keys[slot] = keys_b[y]
        before[y] = heads[slot]
        heads[slot] = y
        counts[slot] += 1
    found = np.full(len(keys_a), -1, dtype=np.int64)  # each key of A: its slot, if B holds it few times
    total = 0
    for x in range(len(keys_a)):
        slot = keys_a[x] & mask
        while heads[slot] >= 0 and slot_keys[slot] != keys_a[x]:
            slot = (slot + np.uint64(1)) & mask
        if heads[slot] >= 0 and counts[slot] <= max_repeats:
            found[x] = slot
            total += counts[slot]
    starts_a = np.empty(total, dtype=np.int64)
    starts_b = np.empty(total, dtype=np.int64)
    k = 0
    for x in range(len(keys_a)):
        if found[x] >= 0:
            y = heads[found[x]]
            while y >= 0:
                starts_a[k], starts_b[k] = pos_a[x], pos_b[y]
                k += 1
                y = before[y]
    return starts_a, starts_b


@kernel(nogil=True)
def chain_spans(seeds_a: Codes, seeds_b: Codes, gap: int) -> tuple[Codes, Codes, Codes, Codes]:  # pragma: no cover - compiled
    """Seeds (sorted by position in A, then B; no repeats) grouped into chains along a diagonal;
    of each chain, in order of creation: its first and last position in A, and its least and
    greatest position in B.

    A seed joins the open chain (last seed at most ``gap`` words back in A) that it drifts at
    most ``gap // 2`` words off the diagonal of, at the least cost (drift plus distance in A;
    the chain opened first on a tie), or opens a chain of its own.
    """
    n = len(seeds_a)
    first_a, last_a = np.empty(n, dtype=np.int64), np.empty(n, dtype=np.int64)
    last_b = np.empty(n, dtype=np.int64)
    low_b, high_b = np.empty(n, dtype=np.int64), np.empty(n, dtype=np.int64)
    open_chains = np.empty(n, dtype=np.int64)
    chains = opened = 0
    for s in range(n):
        i, j = seeds_a[s], seeds_b[s]
        still = 0
        for o in range(opened):
            if i - last_a[open_chains[o]] <= gap:
                open_chains[still] = open_chains[o]
                still += 1
        opened = still
        best, best_cost = -1, gap + 1
        for o in range(opened):
            c = open_chains[o]
            drift = abs((j - last_b[c]) - (i - last_a[c]))
            if drift <= gap // 2:
                cost = drift + (i - last_a[c])
                if cost < best_cost:
                    best, best_cost = c, cost
        if best < 0:
            best = chains
            chains += 1
            first_a[best], low_b[best], high_b[best] = i, j, j
            open_chains[opened] = best
            opened += 1
        last_a[best], last_b[best] = i, j
        low_b[best], high_b[best] = min(low_b[best], j), max(high_b[best], j)
    return first_a[:chains], last_a[:chains], low_b[:chains], high_b[:chains]


@kernel(nogil=True)
def first_codes(keys: npt.NDArray[np.uint64]) -> tuple[Codes, Codes]:  # pragma: no cover - compiled
    """Each key's code, the distinct keys numbered in order of first occurrence (as a dict filled
    in order numbers them), and where each distinct key first occurs."""
    size = 16
    while size < 2 * len(keys):
        size *= 2
    mask = np.uint64(size - 1)
    # An open-addressed table on the keys' low bits (word hashes are mixed, as ``gram_seeds``'s
    # keys): the code held in each slot.
    slots = np.full(size, -1, dtype=np.int64)
    codes = np.empty(len(keys), dtype=np.int64)
    firsts = np.empty(len(keys), dtype=np.int64)
    distinct = 0
    for k in range(len(keys)):
        key = keys[k]
        slot = key & mask
        while True:
            code = slots[slot]
            if code < 0:
                slots[slot], firsts[distinct], codes[k] = distinct, k, distinct
                distinct += 1
                break
            if keys[firsts[code]] == key:
                codes[k] = code
                break
            slot = (slot + np.uint64(1)) & mask
    return codes, firsts[:distinct].copy()


@kernel(nogil=True)
def sentence_bounds(segment_starts: Codes, words: int, longest: int, shortest: int) -> Codes:  # pragma: no cover - compiled
    """Token ranges of a text's sentences, one ``(first, end)`` row each: its segments (first
    words ``segment_starts`` of ``words``) cut at ``longest`` words, a piece shorter than
    ``shortest`` joined to the next (the last one to the one before)."""
    n = len(segment_starts)
    out = np.empty((n + words // max(1, longest) + 1, 2), dtype=np.int64)
    count, pending, last_end = 0, -1, -1  # pending: the first word of pieces waiting to be joined
    for k in range(n):
        stop = segment_starts[k + 1] if k + 1 < n else words
        piece = segment_starts[k]
        while piece < stop:
            end = min(stop, piece + longest)
            first = piece if pending < 0 else pending
            last_end = end
            if end - first < shortest:
                pending = first
            else:
                out[count, 0], out[count, 1] = first, end
                count += 1
                pending = -1
            piece += longest
    if pending >= 0:
        if count:
            out[count - 1, 1] = last_end
        else:
            out[0, 0], out[0, 1] = pending, last_end
            count = 1
    return out[:count].copy()
