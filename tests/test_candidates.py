"""Candidates: LSH banding finds similar signatures, skips short texts, returns sorted i < j,
and finds what datasketch's own ``MinHashLSH`` finds."""

from __future__ import annotations

import numpy as np
import pytest

from datasketch import MinHashLSH

from dupefind.candidates import MIN_AGREEMENT, WEIGHTS, candidate_pairs
from dupefind.fingerprint import as_minhash, signatures

RNG = np.random.default_rng(11)


@pytest.fixture(autouse=True)
def _fixed_rng() -> None:
    """Each test draws the same numbers however the tests are selected or ordered."""
    global RNG
    RNG = np.random.default_rng(11)


def random_ids(count: int) -> np.ndarray:
    return np.unique(RNG.integers(0, 2**32, count, dtype=np.uint32))


def everyone(sigs: np.ndarray) -> np.ndarray:
    return np.ones(len(sigs), dtype=bool)


def near_copy(ids: np.ndarray, share_changed: float) -> np.ndarray:
    """``ids`` with ``share_changed`` of its members replaced by new random ones."""
    changed = int(len(ids) * share_changed)
    kept = RNG.permutation(ids)[changed:]
    return np.unique(np.concatenate([kept, random_ids(changed)]))


def test_near_identical_become_a_candidate_unrelated_do_not() -> None:
    base = random_ids(400)
    batch = [random_ids(400), base, random_ids(400), near_copy(base, 0.05), random_ids(400)]
    sigs = signatures(batch, num_perm=128, seed=1)
    assert candidate_pairs(sigs, everyone(sigs), threshold=0.1, num_perm=128) == [(1, 3)]


def test_several_groups_sorted_with_i_below_j() -> None:
    first, second = random_ids(300), random_ids(300)
    batch = [near_copy(second, 0.1), first, near_copy(first, 0.1), second, near_copy(first, 0.05)]
    sigs = signatures(batch, num_perm=128, seed=9)
    found = candidate_pairs(sigs, everyone(sigs), threshold=0.2, num_perm=128)
    assert found == [(0, 3), (1, 2), (1, 4), (2, 4)]
    assert found == sorted(found)
    assert all(i < j for i, j in found)


def test_rows_not_usable_are_skipped() -> None:
    base = random_ids(300)
    sigs = signatures([base, base, near_copy(base, 0.02)], num_perm=64, seed=1)
    with_gaps = np.stack([sigs[0], sigs[0], sigs[1], sigs[0], sigs[2], sigs[0]])
    usable = np.array([False, True, True, False, True, False])
    assert candidate_pairs(with_gaps, usable, threshold=0.1, num_perm=64) == [(1, 2), (1, 4), (2, 4)]
    assert candidate_pairs(with_gaps, np.zeros(6, dtype=bool), threshold=0.1, num_perm=64) == []
    assert candidate_pairs(np.empty((0, 64), dtype=np.uint32), np.zeros(0, dtype=bool),
                           threshold=0.1, num_perm=64) == []


def test_empty_shingle_sets_are_never_candidates() -> None:
    sigs = signatures([np.empty(0, dtype=np.uint32)] * 3, num_perm=32, seed=1)
    assert candidate_pairs(sigs, everyone(sigs), threshold=0.1, num_perm=32) == []


def test_identical_signatures_are_a_candidate_once() -> None:
    sig = signatures([random_ids(100)], num_perm=32, seed=1)[0]
    sigs = np.stack([sig, sig.copy()])
    assert candidate_pairs(sigs, everyone(sigs), threshold=0.5, num_perm=32) == [(0, 1)]


@pytest.mark.parametrize("threshold", [0.1, 0.3, 0.5])
def test_same_candidates_as_datasketch_minhashlsh(threshold: float) -> None:
    """The banding is datasketch's: every pair its ``MinHashLSH`` returns that agrees on at
    least MIN_AGREEMENT values is found, and nothing else."""
    bases = [random_ids(200) for _ in range(12)]
    batch = bases + [near_copy(b, share) for b in bases for share in (0.3, 0.6, 0.8, 0.9)]
    sigs = signatures(batch, num_perm=128, seed=3)
    lsh = MinHashLSH(threshold=threshold, num_perm=128, weights=WEIGHTS)
    for index, sig in enumerate(sigs):
        lsh.insert(index, as_minhash(sig, seed=3))
    theirs = {(i, j) for i, sig in enumerate(sigs) for j in lsh.query(as_minhash(sig, seed=3)) if i < j
              and (sigs[i] == sigs[j]).sum() >= MIN_AGREEMENT}
    ours = candidate_pairs(sigs, everyone(sigs), threshold=threshold, num_perm=128)
    assert set(ours) == theirs and len(theirs) >= len(bases)
