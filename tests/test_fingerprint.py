"""Fingerprint: the batched numpy MinHash against datasketch's own MinHash as the oracle."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
from datasketch import MinHash
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from dupefind.fingerprint import as_minhash, reference_minhash, signatures

ids_arrays = arrays(np.uint32, st.integers(1, 300),
                    elements=st.integers(0, 2**32 - 1), unique=False)


@given(batch=st.lists(ids_arrays, min_size=1, max_size=4),
       num_perm=st.sampled_from([16, 64, 128, 257]),
       seed=st.sampled_from([0, 1, 42, 2**32 - 1]))
def test_signatures_equal_datasketch_minhash(batch: list[np.ndarray], num_perm: int, seed: int) -> None:
    got = signatures(batch, num_perm=num_perm, seed=seed)
    assert len(got) == len(batch)
    for ids, signature in zip(batch, got):
        oracle = reference_minhash(ids, num_perm=num_perm, seed=seed)
        assert signature.dtype == np.uint32
        assert signature.shape == (num_perm,)
        assert np.array_equal(signature, oracle.hashvalues)


@given(ids=ids_arrays)
def test_reference_is_datasketch_update_with_identity_hash(ids: np.ndarray) -> None:
    """The oracle itself: one ``update`` per value, no batching."""
    minhash = MinHash(num_perm=32, seed=7, hashfunc=lambda v: v, scheme="affine32")
    for value in ids.tolist():
        minhash.update(value)
    assert np.array_equal(signatures([ids], num_perm=32, seed=7)[0], minhash.hashvalues)


def test_signature_depends_on_the_set_not_order_or_repeats() -> None:
    rng = np.random.default_rng(5)
    ids = rng.integers(0, 2**32, 200, dtype=np.uint32)
    shuffled = np.concatenate([rng.permutation(ids), ids[:50]])
    first, second = signatures([ids, shuffled], num_perm=64, seed=1)
    assert np.array_equal(first, second)
    other = signatures([ids], num_perm=64, seed=2)[0]
    assert not np.array_equal(first, other)


def test_empty_input_gives_all_max_signature() -> None:
    (signature,) = signatures([np.empty(0, dtype=np.uint32)], num_perm=32, seed=1)
    assert signature.dtype == np.uint32
    assert np.array_equal(signature, np.full(32, 2**32 - 1, dtype=np.uint32))
    assert np.array_equal(signature, MinHash(num_perm=32, seed=1, scheme="affine32").hashvalues)


def test_as_minhash_round_trip_and_jaccard_estimate() -> None:
    a = np.arange(0, 3000, dtype=np.uint32) * np.uint32(2654435761)
    b = np.arange(1000, 4000, dtype=np.uint32) * np.uint32(2654435761)
    exact = len(np.intersect1d(a, b)) / len(np.union1d(a, b))
    assert exact == 0.5
    sig_a, sig_b = signatures([a, b], num_perm=256, seed=3)
    mh_a, mh_b = as_minhash(sig_a, seed=3), as_minhash(sig_b, seed=3)
    assert np.array_equal(mh_a.hashvalues, sig_a)
    assert mh_a.seed == 3 and len(mh_a) == 256
    assert abs(mh_a.jaccard(mh_b) - exact) < 0.1
    assert mh_a.jaccard(mh_b) == reference_minhash(a, num_perm=256, seed=3).jaccard(
        reference_minhash(b, num_perm=256, seed=3))
    disjoint = as_minhash(signatures([a + np.uint32(1)], num_perm=256, seed=3)[0], seed=3)
    assert mh_a.jaccard(disjoint) < 0.05


def test_workers_do_not_load_datasketch() -> None:
    """What worker processes import (the first pass, verification) leaves datasketch, and the
    SciPy it loads, out: ~56 MB and ~0.4 s per process."""
    code = ("import sys, numpy as np, dupefind.catalog, dupefind.pipeline\n"
            "from dupefind.fingerprint import signatures\n"
            "signatures([np.arange(5, dtype=np.uint32)], num_perm=16, seed=1)\n"
            "assert 'datasketch' not in sys.modules and 'scipy.integrate' not in sys.modules, 'loaded'\n")
    subprocess.run([sys.executable, "-c", code], check=True)
