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
    """Which of ``values`` are in ``table`` (sorted), each looked up by bisection."""
    if not len(table):
        return np.zeros(len(values), dtype=bool)
    # (``take`` clips the positions past the end in one step: a third faster than ``.clip`` on
    # the short arrays of the cheap checks)
    found: npt.NDArray[np.bool_] = np.take(table, np.searchsorted(table, values), mode="clip") == values
    return found


def unique(values: npt.NDArray[Scalar]) -> npt.NDArray[Scalar]:
    """The distinct values of ``values``, sorted (as ``np.unique``, by sorting)."""
    ranked = np.sort(values, axis=None)
    if len(ranked) < 2:
        return ranked
    keep = np.empty(len(ranked), dtype=bool)
    keep[0] = True
    np.not_equal(ranked[1:], ranked[:-1], out=keep[1:])
    return ranked[keep]
