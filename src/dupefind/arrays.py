"""Array helpers the stages share.

:func:`in_sorted` is a membership test against a sorted table. :func:`unique` stands in for ``np.unique(values)`` (no other outputs): numpy 2.3 and later find
the distinct values of an integer array with a hash table, which on this project's 64-bit hashes
measured 5-20x slower than sorting (numpy 2.4.6: 63 µs against 12 µs for 600 shingle ids, the
first pass's case; 9.8 s against 0.48 s for 5 million candidate codes). Same result: the
distinct values, sorted.
"""

from __future__ import annotations

from typing import TypeVar

import numpy as np
import numpy.typing as npt

Scalar = TypeVar("Scalar", bound=np.generic)


def in_sorted(values: npt.NDArray[Scalar], table: npt.NDArray[Scalar]) -> npt.NDArray[np.bool_]:
    """Which of ``values`` are in ``table`` (sorted), each looked up by bisection (many integers
    against fewer: sifted first, :func:`_sifted`)."""
    if not len(table):
        return np.zeros(len(values), dtype=bool)
    if len(values) >= _SIFTED and len(values) >= 2 * len(table) and values.dtype.kind in "iu":
        return _sifted(values, table)
    # (``take`` clips the positions past the end in one step: a third faster than ``.clip`` on
    # the short arrays of the cheap checks)
    found: npt.NDArray[np.bool_] = np.take(table, np.searchsorted(table, values), mode="clip") == values
    return found


#: Values from which :func:`in_sorted` sifts them through a bitmap of the table first, when
#: they outnumber the table twice or more: a check's partners' band keys against the new
#: document's (2.9 million against 1,800: 190 ms by bisection alone, 10 ms sifted), an add's
#: against a task's (5 million against 500,000: 1.9 s and 0.14 s).
_SIFTED = 1 << 14
#: Bits of the bitmap per value of the table (a value not in the table passes the sieve with
#: odds of about one in this), as far as :data:`_MOST_BITS` allow.
_SPREAD = 64
#: The largest bitmap, in bits as a power of two: 16 MB of flags.
_MOST_BITS = 24


def _sifted(values: npt.NDArray[Scalar], table: npt.NDArray[Scalar]) -> npt.NDArray[np.bool_]:
    """:func:`in_sorted` of many integer values against a smaller table: each value's low bits
    looked up in a bitmap of the table's (one gather, from flags that mostly fit the cache), and
    only the few that pass (about one in :data:`_SPREAD` of the values not in a table of up to
    :data:`_MOST_BITS` bits' worth) looked up by bisection. The values need not be hashes: low
    bits that repeat only sift less."""
    bits = min(max(int(len(table) * _SPREAD - 1).bit_length(), 10), _MOST_BITS)
    mask = np.uint64((1 << bits) - 1)
    marks = np.zeros(1 << bits, dtype=bool)
    marks[(_unsigned(table) & mask).astype(np.intp)] = True
    found: npt.NDArray[np.bool_] = np.take(marks, (_unsigned(values) & mask).astype(np.intp))
    passed = np.flatnonzero(found)
    found[passed] = np.take(table, np.searchsorted(table, values[passed]), mode="clip") == values[passed]
    return found


def _unsigned(values: npt.NDArray[Scalar]) -> npt.NDArray[np.uint64]:
    """Integers as ``uint64`` (the same bits when they are 64-bit: no copy)."""
    return values.view(np.uint64) if values.dtype.itemsize == 8 else values.astype(np.uint64)


def unique(values: npt.NDArray[Scalar]) -> npt.NDArray[Scalar]:
    """The distinct values of ``values``, sorted (as ``np.unique``, by sorting)."""
    ranked = np.sort(values, axis=None)
    if len(ranked) < 2:
        return ranked
    keep = np.empty(len(ranked), dtype=bool)
    keep[0] = True
    np.not_equal(ranked[1:], ranked[:-1], out=keep[1:])
    return ranked[keep]
