"""The pairs of rows in LSH buckets, in compiled passes: every two rows of a bucket of two
documents weighed on their signatures as they are met (:func:`weighed_buckets`), or listed
(:func:`bucket_pairs`)."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from ..jit import kernel, popcount, prefetch_item, prefetch_row
from .sketches import SignatureRows

#: Rows of buckets :func:`weighed_buckets` asks for before it reaches them (4-16 ran alike).
_AHEAD = 8
#: Values of a signature row whose low four bits one 64-bit word of :func:`low_nibbles` holds.
_NIBBLES_PER_WORD = 16
_LOW_NIBBLES = np.uint64(0x1111111111111111)


@kernel(nogil=True)
def low_nibbles(signatures: SignatureRows) -> npt.NDArray[np.uint64]:  # pragma: no cover - compiled
    """The low four bits of each signature value, sixteen values to a 64-bit word (one row of
    words per signature row; the last word filled with zeros): a quarter of a 16-bit row's
    bytes. Two values that agree agree on their low bits, so the values of two rows agreeing
    on them bound the rows' agreeing values from above; two values that differ agree there once
    in sixteen times (:func:`weighed_buckets` turns most pairs down on them alone)."""
    rows, perms = signatures.shape
    width = (perms + _NIBBLES_PER_WORD - 1) // _NIBBLES_PER_WORD
    words = np.empty((rows, width), dtype=np.uint64)
    whole = perms // _NIBBLES_PER_WORD
    for row in range(rows):
        values = signatures[row]
        for w in range(whole):  # sixteen values each: a loop the compiler unrolls
            word = np.uint64(0)
            for k in range(_NIBBLES_PER_WORD):
                word |= (np.uint64(values[w * _NIBBLES_PER_WORD + k]) & np.uint64(0xF)) << np.uint64(4 * k)
            words[row, w] = word
        if whole < width:
            word = np.uint64(0)
            for k in range(whole * _NIBBLES_PER_WORD, perms):
                word |= (np.uint64(values[k]) & np.uint64(0xF)) << np.uint64(4 * (k - whole * _NIBBLES_PER_WORD))
            words[row, whole] = word
    return words


@kernel(nogil=True, inline="always")
def _differing_nibbles(nibbles: npt.NDArray[np.uint64], first: int, second: int) -> int:  # pragma: no cover - compiled
    """The values whose low four bits differ between rows ``first`` and ``second`` of
    :func:`low_nibbles` (each differing nibble folded onto its lowest bit, then counted)."""
    differing = 0
    for k in range(nibbles.shape[1]):
        bits = nibbles[first, k] ^ nibbles[second, k]
        bits |= bits >> np.uint64(1)
        bits |= bits >> np.uint64(2)
        differing += popcount(bits & _LOW_NIBBLES)
    return differing


@kernel(nogil=True)
def weighed_buckets(rows: npt.NDArray[np.intp], documents: npt.NDArray[np.intp], starts: npt.NDArray[np.intp],
                     sizes: npt.NDArray[np.intp], signatures: SignatureRows, nibbles: npt.NDArray[np.uint64],
                     set_sizes: npt.NDArray[np.uint32], held: npt.NDArray[np.bool_], least: float,
                     width: np.int64) -> npt.NDArray[np.int64]:  # pragma: no cover - compiled
    """The document pairs (codes ``i * width + j``, ``i < j``, with repeats) of every two rows of
    a bucket (``rows[start : start + size]``, of ``documents[start : start + size]``) of two
    documents, not both ``held`` rows, whose estimated containment
    (:func:`estimated_containment`, the same arithmetic) reaches ``least``.

    Each pair is first weighed on its rows' :func:`low_nibbles` (``nibbles``): the values
    agreeing there are at least the values agreeing, and the estimate grows with them, so a
    pair whose nibbles fall short would fall short on its values too, and is turned down
    without reading them (the same pairs; on the 100k benchmark corpus 99 % of the pairs in
    the content view's buckets, at a quarter of the bytes, measured in benchmarks/RESULTS.md).
    The rows lie scattered through the arrays, so each row's nibbles, set size and flag are
    asked for :data:`_AHEAD` rows before they are reached (most of the time went waiting on
    memory). The room for a row's pairs is made before the loop over them: an array that loop
    may replace is one the compiled loop cannot keep at hand."""
    found = np.empty(1024, dtype=np.int64)
    count = 0
    perms = signatures.shape[1]
    for x in range(min(_AHEAD, len(rows))):
        prefetch_row(nibbles, rows[x])
    for bucket in range(len(starts)):
        end = starts[bucket] + sizes[bucket]
        for x in range(starts[bucket], end):
            if x + _AHEAD < len(rows):
                ahead = rows[x + _AHEAD]
                prefetch_row(nibbles, ahead)
                prefetch_item(set_sizes, ahead)
                prefetch_item(held, ahead)
            first = rows[x]
            if count + (end - x - 1) > len(found):  # room for every pair of this row, made before its loop
                grown = np.empty(max(2 * len(found), count + end - x - 1), dtype=np.int64)
                grown[:count] = found[:count]
                found = grown
            a, size_a, held_a = documents[x], set_sizes[first], held[first]
            for y in range(x + 1, end):
                second = rows[y]
                b = documents[y]
                if a == b or (held_a and held[second]):
                    continue
                size_b = set_sizes[second]
                total = np.float64(size_a) + size_b
                smaller = np.float64(max(min(size_a, size_b), 1))
                at_most = max(0, perms - _differing_nibbles(nibbles, first, second)) / perms
                if at_most * total / ((1 + at_most) * smaller) < least:
                    continue
                agreeing = 0
                for k in range(perms):
                    if signatures[first, k] == signatures[second, k]:
                        agreeing += 1
                similarity = agreeing / perms
                if similarity * total / ((1 + similarity) * smaller) >= least:
                    found[count] = min(a, b) * width + max(a, b)
                    count += 1
    return found[:count].copy()


@kernel(nogil=True)
def bucket_pairs(rows: npt.NDArray[np.intp], documents: npt.NDArray[np.intp], starts: npt.NDArray[np.intp],
                 sizes: npt.NDArray[np.intp], width: np.int64) -> npt.NDArray[np.int64]:  # pragma: no cover - compiled
    """Every two rows of a bucket of different documents, as codes ``low * width + high`` of
    the two rows (repeats across buckets kept)."""
    count = 0
    for bucket in range(len(starts)):
        count += sizes[bucket] * (sizes[bucket] - 1) // 2
    codes = np.empty(count, dtype=np.int64)
    found = 0
    for bucket in range(len(starts)):
        end = starts[bucket] + sizes[bucket]
        for x in range(starts[bucket], end):
            for y in range(x + 1, end):
                if documents[x] != documents[y]:
                    codes[found] = min(rows[x], rows[y]) * width + max(rows[x], rows[y])
                    found += 1
    return codes[:found].copy()
