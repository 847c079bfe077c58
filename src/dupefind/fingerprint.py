"""Shingle ids to MinHash signatures: the only module that builds datasketch ``MinHash`` objects.

The signatures are datasketch's own (scheme ``affine32``, identity hash over our 32-bit
shingle ids), computed for a whole batch at once with numpy; ``tests/test_fingerprint.py``
checks them against ``MinHash.update_batch`` as the oracle, so they can be loaded into any
datasketch index.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from .jit import kernel

if TYPE_CHECKING:
    from datasketch import MinHash

Signature = npt.NDArray[np.uint32]

_SCHEME = "affine32"
#: The signature of an empty set: every value at its maximum.
EMPTY = np.uint32(0xFFFFFFFF)


def narrowed(signatures: npt.NDArray[np.uint32], dtype: type[np.unsignedinteger[Any]]) -> npt.NDArray[Any]:
    """``signatures`` with each value cut to its low bits, as ``dtype`` holds them (the signature
    of an empty set stays every value at its maximum)."""
    return signatures if dtype is np.uint32 else signatures.astype(dtype)


def empty_value(dtype: np.dtype[Any] | type[np.unsignedinteger[Any]]) -> int:
    """The value every position of an empty set's signature holds, in ``dtype``."""
    return int(np.iinfo(dtype).max)


def signatures(batch: Sequence[npt.NDArray[np.uint32]], *, num_perm: int, seed: int) -> npt.NDArray[np.uint32]:
    """One signature (a row of ``num_perm`` ``uint32`` values) per shingle-id array of ``batch``."""
    sizes = np.array([len(ids) for ids in batch], dtype=np.intp)
    ids = np.concatenate(list(batch) + [np.empty(0, dtype=np.uint32)]).astype(np.uint32, copy=False)
    return set_signatures(ids, np.cumsum(sizes) - sizes, num_perm=num_perm, seed=seed)


def set_signatures(ids: npt.NDArray[np.uint32], starts: npt.NDArray[np.intp], *, num_perm: int,
                   seed: int) -> npt.NDArray[np.uint32]:
    """One signature per set of ``ids``, the sets lying one after the other and set ``k``
    beginning at ``starts[k]`` (as :func:`~dupefind.shingles.shingle_sets` gives them)."""
    a, b = _permutations(num_perm, seed)
    out = np.full((len(starts), num_perm), EMPTY, dtype=np.uint32)
    _min_permuted(_fmix32(ids.astype(np.uint32, copy=False)), np.asarray(starts, dtype=np.intp), a, b, out)
    return out


def pieced_signatures(ids: npt.NDArray[np.uint32], piece_starts: npt.NDArray[np.intp],
                      firsts: npt.NDArray[np.intp], ends: npt.NDArray[np.intp], *, num_perm: int,
                      seed: int) -> npt.NDArray[np.uint32]:
    """One signature per set made of the consecutive pieces ``firsts[k]:ends[k]`` of ``ids``
    (piece ``p`` beginning at ``piece_starts[p]``): the least of the pieces' signatures, the
    same as :func:`set_signatures` of the set written out, with each piece hashed once however
    many sets hold it (overlapping windows: :func:`~dupefind.shingles.window_pieces`)."""
    pieces = set_signatures(ids, piece_starts, num_perm=num_perm, seed=seed)
    out = np.full((len(firsts), num_perm), EMPTY, dtype=np.uint32)
    _least_of_pieces(pieces, np.asarray(firsts, dtype=np.intp), np.asarray(ends, dtype=np.intp), out)
    return out


@kernel(nogil=True)
def _least_of_pieces(pieces: npt.NDArray[np.uint32], firsts: npt.NDArray[np.intp], ends: npt.NDArray[np.intp],
                     out: npt.NDArray[np.uint32]) -> None:  # pragma: no cover - compiled
    """Row ``k`` of ``out`` lowered to the least of rows ``firsts[k]:ends[k]`` of ``pieces``."""
    for row in range(len(firsts)):
        values = out[row]
        for piece in range(firsts[row], ends[row]):
            for j in range(pieces.shape[1]):
                if pieces[piece, j] < values[j]:
                    values[j] = pieces[piece, j]


@kernel(nogil=True, always=True)
def _min_permuted(mixed: npt.NDArray[np.uint32], starts: npt.NDArray[np.intp], a: npt.NDArray[np.uint32],
                  b: npt.NDArray[np.uint32], out: npt.NDArray[np.uint32]) -> None:  # pragma: no cover - compiled
    """Row ``k`` of ``out`` lowered to the minimum of ``a * x + b`` (modulo 2**32, each
    permutation apart) over the values ``x`` of set ``k``."""
    for row in range(len(starts)):
        end = starts[row + 1] if row + 1 < len(starts) else len(mixed)
        values = out[row]
        for k in range(starts[row], end):
            x = mixed[k]
            for j in range(len(a)):
                permuted = np.uint32(a[j] * x + b[j])
                if permuted < values[j]:
                    values[j] = permuted


def as_minhash(signature: Signature, *, seed: int) -> MinHash:
    """A datasketch ``MinHash`` holding ``signature`` (for indexes such as ``MinHashLSH``)."""
    # Imported when used: datasketch loads SciPy (~0.4 s, 56 MB), which workers never need.
    from datasketch import MinHash

    return MinHash(seed=seed, hashvalues=signature, scheme=_SCHEME)


def reference_minhash(ids: npt.NDArray[np.uint32], *, num_perm: int, seed: int) -> MinHash:
    """The same signature built the slow, documented way: the oracle for tests."""
    from datasketch import MinHash

    minhash = MinHash(num_perm=num_perm, seed=seed, hashfunc=_identity, scheme=_SCHEME)
    minhash.update_batch(ids.tolist())
    return minhash


def _identity(value: int) -> int:
    return value


@lru_cache(maxsize=8)
def _permutations(num_perm: int, seed: int) -> tuple[npt.NDArray[np.uint32], npt.NDArray[np.uint32]]:
    """The ``a`` (odd) and ``b`` of each permutation ``a * x + b`` modulo 2**32, drawn exactly as
    datasketch's ``MinHash(num_perm, seed, scheme="affine32")`` draws them (tested against it)."""
    generator = np.random.RandomState(seed)
    a = generator.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = generator.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return a, b


def _fmix32(values: npt.NDArray[np.uint32]) -> npt.NDArray[np.uint32]:
    """MurmurHash3's 32-bit finaliser, as datasketch applies it before permuting."""
    values = values ^ (values >> np.uint32(16))
    values = values * np.uint32(0x85EBCA6B)
    values = values ^ (values >> np.uint32(13))
    values = values * np.uint32(0xC2B2AE35)
    return values ^ (values >> np.uint32(16))
