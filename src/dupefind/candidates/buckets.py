"""The compiled passes over LSH buckets: which keys take part in one (:func:`bucketed`), where
each bucket lies once sorted, and every pair of rows of a bucket weighed as it is met
(:func:`weighed_buckets`), plus the band keys of signature rows (:func:`row_band_keys`)."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from ..jit import kernel
from ..text import _mix64, mix64
from ..views import View
from .sketches import BandKeys


def bucketed(keys: BandKeys, view: int, rules: View) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.uint64]]:
    """The keys of view number ``view`` that take part in its buckets (their positions in
    ``keys``) and each one's key in one key space for all bands: at most two rows of a document
    per key, and none of a key held by more than the view's ``max_bucket`` documents."""
    mine = np.flatnonzero(keys.views == view)
    # One key space per band: the band number mixed into the key.
    with np.errstate(over="ignore"):
        banded = mix64(keys.keys[mine] ^ (keys.bands[mine].astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)))
    order = _maybe_shared(banded)  # most keys are held by one row: no sort for them
    order = order[np.argsort(banded[order], kind="stable")]
    ranked = banded[order]
    documents = keys.documents[mine][order]
    seen = np.full(int(documents.max()) + 1 if len(documents) else 0, -1, dtype=np.intp)
    kept = order[_thinned(ranked, documents, keys.rows[mine][order], np.intp(rules.max_bucket or len(order)),
                          seen, np.zeros(len(seen), dtype=np.intp), np.zeros(len(seen), dtype=np.intp))]
    return mine[kept], banded[kept]


#: Most slots (a power of two) of the table that tells keys held once from keys that may be
#: shared (a byte each); a batch of fewer keys gets about four slots a key.
_MOST_SLOTS_BITS = 25


def _maybe_shared(keys: npt.NDArray[np.uint64]) -> npt.NDArray[np.intp]:
    """The positions of the keys that may be held more than once: those whose slot (the top
    bits of the key, already mixed) of a counting table is hit more than once, in order."""
    bits = min(_MOST_SLOTS_BITS, max(4, (4 * len(keys)).bit_length()))
    return _hit_twice(keys, bits)


@kernel(nogil=True)
def _hit_twice(keys: npt.NDArray[np.uint64], bits: int) -> npt.NDArray[np.intp]:  # pragma: no cover - compiled
    """:func:`_maybe_shared` with a table of ``2 ** bits`` slots."""
    counts = np.zeros(1 << bits, dtype=np.uint8)
    shift = np.uint64(64 - bits)
    for key in keys:
        slot = key >> shift
        if counts[slot] < 2:
            counts[slot] += 1
    kept = np.empty(len(keys), dtype=np.intp)
    count = 0
    for k in range(len(keys)):
        if counts[keys[k] >> shift] > 1:
            kept[count] = k
            count += 1
    return kept[:count].copy()


@kernel(nogil=True)
def _thinned(ranked: npt.NDArray[np.uint64], documents: npt.NDArray[np.intp], rows: npt.NDArray[np.intp],
             most: np.intp, seen: npt.NDArray[np.intp], lowest: npt.NDArray[np.intp],
             second: npt.NDArray[np.intp]) -> npt.NDArray[np.intp]:  # pragma: no cover - compiled
    """The positions (in key order) that take part in a bucket: per document and key its two
    lowest rows (two neighbouring windows, which overlap, often share a key; more is a long
    text repeating itself, whose windows would otherwise pair with each other by the million),
    in buckets of at least two and at most ``most`` documents (a key held by more is common
    phrasing, no one's copy). ``seen``, ``lowest`` and ``second`` are scratch, one slot per
    document (``seen`` all -1)."""
    kept = np.empty(len(ranked), dtype=np.intp)
    count = 0
    start = 0
    while start < len(ranked):
        end = start + 1
        while end < len(ranked) and ranked[end] == ranked[start]:
            end += 1
        if end - start > 1:
            holders = 0
            for k in range(start, end):
                document, row = documents[k], rows[k]
                if seen[document] != start:
                    seen[document] = start
                    holders += 1
                    lowest[document] = row
                    second[document] = -1
                elif row < lowest[document]:
                    second[document] = lowest[document]
                    lowest[document] = row
                elif second[document] < 0 or row < second[document]:
                    second[document] = row
            if 2 <= holders <= most:
                for k in range(start, end):
                    document, row = documents[k], rows[k]
                    if row == lowest[document] or row == second[document]:
                        kept[count] = k
                        count += 1
        start = end
    return kept[:count].copy()


@kernel(nogil=True)
def weighed_buckets(rows: npt.NDArray[np.intp], starts: npt.NDArray[np.intp], sizes: npt.NDArray[np.intp],
                     owners: npt.NDArray[np.intp], signatures: npt.NDArray[np.uint32],
                     set_sizes: npt.NDArray[np.uint32], held: npt.NDArray[np.bool_], least: float,
                     width: np.int64) -> npt.NDArray[np.int64]:  # pragma: no cover - compiled
    """The document pairs (codes ``i * width + j``, ``i < j``, with repeats) of every two rows of
    a bucket (``rows[start : start + size]``) of two documents, not both ``held`` rows, whose
    estimated containment (:func:`estimated_containment`, the same arithmetic) reaches ``least``."""
    found = np.empty(1024, dtype=np.int64)
    count = 0
    perms = signatures.shape[1]
    for bucket in range(len(starts)):
        end = starts[bucket] + sizes[bucket]
        for x in range(starts[bucket], end):
            first = rows[x]
            for y in range(x + 1, end):
                second = rows[y]
                a, b = owners[first], owners[second]
                if a == b or (held[first] and held[second]):
                    continue
                agreeing = 0
                for k in range(perms):
                    if signatures[first, k] == signatures[second, k]:
                        agreeing += 1
                similarity = agreeing / perms
                size_a, size_b = set_sizes[first], set_sizes[second]
                total = np.float64(size_a) + size_b
                smaller = np.float64(max(min(size_a, size_b), 1))
                if similarity * total / ((1 + similarity) * smaller) >= least:
                    if count == len(found):
                        grown = np.empty(2 * len(found), dtype=np.int64)
                        grown[:count] = found
                        found = grown
                    found[count] = min(a, b) * width + max(a, b)
                    count += 1
    return found[:count].copy()


@kernel(nogil=True)
def row_band_keys(signatures: npt.NDArray[np.uint32], chosen: npt.NDArray[np.intp], start: int, stop: int,
                   rows: int) -> npt.NDArray[np.uint64]:  # pragma: no cover - compiled
    """The key of each band ``start <= band < stop`` of each ``chosen`` signature row (one
    row of keys per chosen row, one column per band): a band's values combined, each
    multiplied in and mixed with splitmix64's finaliser (a one-row band's key is its value)."""
    keys = np.empty((len(chosen), stop - start), dtype=np.uint64)
    for k in range(len(chosen)):
        signature = signatures[chosen[k]]
        for band in range(start, stop):
            key = np.uint64(signature[band * rows])
            for column in range(1, rows):
                key = _mix64(key * np.uint64(0x100000001B3) + np.uint64(signature[band * rows + column]))
            keys[k, band - start] = key
    return keys


def buckets(keys: npt.NDArray[np.uint64]) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """The positions of ``keys`` in key order, and where each bucket of two or more equal keys
    starts in that order and how many it holds."""
    order = np.argsort(keys, kind="stable")
    ranked = keys[order]
    starts = np.flatnonzero(np.concatenate(([True], ranked[1:] != ranked[:-1])))
    sizes = np.diff(starts, append=len(keys))
    shared = sizes > 1
    return order, starts[shared], sizes[shared]


def colliding(keys: npt.NDArray[np.uint64], count: np.int64) -> npt.NDArray[np.int64]:
    """Every pair of positions with equal keys, as codes ``i * count + j`` with ``i < j``."""
    order, starts, sizes = buckets(keys)
    if len(starts) == 0:
        return np.empty(0, dtype=np.int64)
    # Every member of a bucket pairs with the members after it: member x of g has g-1-x partners.
    members = _ranges(starts, sizes)
    partners = np.repeat(starts + sizes, sizes) - members - 1
    left = np.repeat(members, partners)
    offsets = np.arange(len(left)) - np.repeat(np.cumsum(partners) - partners, partners) + 1
    a, b = order[left], order[left + offsets]
    low, high = np.minimum(a, b).astype(np.int64), np.maximum(a, b).astype(np.int64)
    codes: npt.NDArray[np.int64] = low * count + high
    return codes


def _ranges(starts: npt.NDArray[np.intp], sizes: npt.NDArray[np.intp]) -> npt.NDArray[np.intp]:
    """``arange(start, start + size)`` for every bucket, concatenated."""
    return np.repeat(starts - np.cumsum(sizes) + sizes, sizes) + np.arange(int(sizes.sum()))
