"""Array helpers: ``in_sorted`` gives what bisection gives, whichever way it looks values up."""

from __future__ import annotations

import numpy as np
import pytest

from dupefind.arrays import in_sorted, unique


def _bisected(values: np.ndarray, table: np.ndarray) -> np.ndarray:
    return np.take(table, np.searchsorted(table, values), mode="clip") == values


@pytest.mark.parametrize("dtype", [np.uint64, np.int64, np.uint32, np.int32, np.intp])
@pytest.mark.parametrize("spread", ["random", "same low bits"])
def test_in_sorted_of_many_values_against_a_small_table_is_bisection(dtype: type, spread: str) -> None:
    # Many values against a small table are sifted through a bitmap of their low bits first;
    # values whose low bits all agree (multiples of 2**24) pass the sieve and must still be
    # told apart, and negative integers must not index the bitmap out of bounds.
    rng = np.random.default_rng(7)
    info = np.iinfo(dtype)
    low, high = max(info.min, -(2**31)), min(info.max, 2**31 - 1)
    step = 1 << 24 if spread == "same low bits" else 1
    table = unique((rng.integers(low // step, high // step, 1_000) * step).astype(dtype))
    values = (rng.integers(low // step, high // step, 100_000) * step).astype(dtype)
    values[::50] = table[rng.integers(0, len(table), len(values[::50]))]
    found = in_sorted(values, table)
    assert found.dtype == np.bool_
    np.testing.assert_array_equal(found, _bisected(values, table))
    assert found.sum() >= len(values[::50])


def test_in_sorted_of_few_values_and_of_an_empty_table() -> None:
    table = np.array([3, 9, 27], dtype=np.uint64)
    np.testing.assert_array_equal(in_sorted(np.array([1, 3, 27, 28], dtype=np.uint64), table),
                                  [False, True, True, False])
    assert not in_sorted(np.arange(100_000, dtype=np.uint64), table[:0]).any()
    assert in_sorted(np.arange(100_000, dtype=np.uint64), table).sum() == 3


def test_in_sorted_against_a_table_too_large_for_one_flag_per_value_bit_pattern() -> None:
    # A table of 400,000 against 1,000,000 values: the bitmap is at its largest (2**24 flags)
    # and lets a few per cent of the values not in the table through to bisection.
    rng = np.random.default_rng(11)
    table = unique(rng.integers(0, 2**63, 400_000, dtype=np.uint64))
    values = rng.integers(0, 2**63, 1_000_000, dtype=np.uint64)
    values[::7] = table[rng.integers(0, len(table), len(values[::7]))]
    np.testing.assert_array_equal(in_sorted(values, table), _bisected(values, table))
