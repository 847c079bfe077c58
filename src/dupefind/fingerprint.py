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
                      firsts: npt.NDArray[np.intp], ends: npt.NDArray[np.intp], *, num_perm: int, seed: int,
                      dtype: type[np.unsignedinteger[Any]] = np.uint32,
                      emptied: npt.NDArray[np.bool_] | None = None) -> npt.NDArray[Any]:
    """One signature per set made of the consecutive pieces ``firsts[k]:ends[k]`` of ``ids``
    (piece ``p`` beginning at ``piece_starts[p]``): the least of the pieces' signatures, the
    same as :func:`set_signatures` of the set written out, with each piece hashed once however
    many sets hold it (overlapping windows: :func:`~dupefind.shingles.window_pieces`). The values
    as ``dtype`` holds them (:func:`narrowed`); the rows of ``emptied`` sets, if given, are an
    empty set's, their pieces not hashed for them.

    In one compiled pass (:func:`_windows_of_pieces`): each piece signed into a few rows reused
    while the windows holding it are made, each window written once in its type, instead of a
    matrix of every piece's signature and one of every window's at 32 bits, each filled before
    it is lowered and then narrowed (those three passes over memory were a tenth of the content
    view's first pass, measured in benchmarks/RESULTS.md, twenty-seventh round)."""
    a, b = _permutations(num_perm, seed)
    out = np.empty((len(firsts), num_perm), dtype=dtype)
    if not len(firsts):
        return out
    firsts, ends = np.asarray(firsts, dtype=np.intp), np.asarray(ends, dtype=np.intp)
    skip = np.zeros(len(firsts), dtype=np.bool_) if emptied is None else np.asarray(emptied, dtype=np.bool_)
    span = max(1, int((ends - firsts).max()))
    _windows_of_pieces(_fmix32(ids.astype(np.uint32, copy=False)), np.asarray(piece_starts, dtype=np.intp), firsts,
                       ends, skip, a, b, out, span, np.uint32(empty_value(dtype)))
    return out


@kernel(nogil=True, always=True)
def _windows_of_pieces(mixed: npt.NDArray[np.uint32], piece_starts: npt.NDArray[np.intp],
                       firsts: npt.NDArray[np.intp], ends: npt.NDArray[np.intp], emptied: npt.NDArray[np.bool_],
                       a: npt.NDArray[np.uint32], b: npt.NDArray[np.uint32], out: npt.NDArray[Any], span: int,
                       mask: np.uint32) -> None:  # pragma: no cover - compiled
    """:func:`pieced_signatures`: row ``k`` of ``out`` the least of the signatures of pieces
    ``firsts[k]:ends[k]`` (``a * x + b`` modulo 2**32 over each piece's values ``x``, each
    permutation apart), its values cut to ``mask``. The pieces are signed in order into a ring
    of ``span`` rows (the most pieces a set holds): the sets' first pieces ascend, so a piece is
    still in the ring while a set that holds it is made; a set whose first piece goes back (not
    made by :func:`~dupefind.shingles.window_pieces`) has its pieces signed again."""
    perms = len(a)
    ring = np.empty((span, perms), dtype=np.uint32)
    least = np.empty(perms, dtype=np.uint32)
    made = 0  # pieces signed: piece p < made, if p >= made - span, is in ring[p % span]
    for row in range(len(firsts)):
        values = out[row]
        if emptied[row]:
            for j in range(perms):
                values[j] = mask
            continue
        first, end = firsts[row], ends[row]
        if first < made - span or first > made:
            made = first
        while made < end:
            slot = ring[made % span]
            for j in range(perms):
                slot[j] = np.uint32(0xFFFFFFFF)
            stop = piece_starts[made + 1] if made + 1 < len(piece_starts) else len(mixed)
            for k in range(piece_starts[made], stop):
                x = mixed[k]
                for j in range(perms):
                    permuted = np.uint32(a[j] * x + b[j])
                    if permuted < slot[j]:
                        slot[j] = permuted
            made += 1
        for j in range(perms):
            least[j] = np.uint32(0xFFFFFFFF)
        for piece in range(first, end):
            slot = ring[piece % span]
            for j in range(perms):
                if slot[j] < least[j]:
                    least[j] = slot[j]
        for j in range(perms):
            values[j] = least[j] & mask


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
