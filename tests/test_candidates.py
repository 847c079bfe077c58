"""Candidates: LSH banding finds similar signatures, skips short texts, returns sorted i < j."""

from __future__ import annotations

import numpy as np
import pytest

from dupefind.candidates import candidate_pairs
from dupefind.fingerprint import signatures

RNG = np.random.default_rng(11)


@pytest.fixture(autouse=True)
def _fixed_rng() -> None:
    """Each test draws the same numbers however the tests are selected or ordered."""
    global RNG
    RNG = np.random.default_rng(11)


def random_ids(count: int) -> np.ndarray:
    return np.unique(RNG.integers(0, 2**32, count, dtype=np.uint32))


def near_copy(ids: np.ndarray, share_changed: float) -> np.ndarray:
    """``ids`` with ``share_changed`` of its members replaced by new random ones."""
    changed = int(len(ids) * share_changed)
    kept = RNG.permutation(ids)[changed:]
    return np.unique(np.concatenate([kept, random_ids(changed)]))


def test_near_identical_become_a_candidate_unrelated_do_not() -> None:
    base = random_ids(400)
    batch = [random_ids(400), base, random_ids(400), near_copy(base, 0.05), random_ids(400)]
    sigs = signatures(batch, num_perm=128, seed=1)
    assert candidate_pairs(sigs, threshold=0.1, num_perm=128, seed=1) == [(1, 3)]


def test_several_groups_sorted_with_i_below_j() -> None:
    first, second = random_ids(300), random_ids(300)
    batch = [near_copy(second, 0.1), first, near_copy(first, 0.1), second, near_copy(first, 0.05)]
    sigs = signatures(batch, num_perm=128, seed=9)
    found = candidate_pairs(sigs, threshold=0.2, num_perm=128, seed=9)
    assert found == [(0, 3), (1, 2), (1, 4), (2, 4)]
    assert found == sorted(found)
    assert all(i < j for i, j in found)


def test_none_entries_are_skipped() -> None:
    base = random_ids(300)
    sigs = signatures([base, base, near_copy(base, 0.02)], num_perm=64, seed=1)
    with_gaps = [None, sigs[0], None, sigs[1], None, sigs[2], None]
    assert candidate_pairs(with_gaps, threshold=0.1, num_perm=64, seed=1) == [(1, 3), (1, 5), (3, 5)]
    assert candidate_pairs([None, None], threshold=0.1, num_perm=64, seed=1) == []
    assert candidate_pairs([], threshold=0.1, num_perm=64, seed=1) == []


def test_identical_signatures_are_a_candidate_once() -> None:
    sig = signatures([random_ids(100)], num_perm=32, seed=1)[0]
    assert candidate_pairs([sig, sig.copy()], threshold=0.5, num_perm=32, seed=1) == [(0, 1)]
