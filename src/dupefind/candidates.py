"""Signatures to candidate pairs by LSH banding, for a whole matrix of signatures at once.

The banding (how many bands of how many rows) is the one datasketch's ``MinHashLSH`` picks for
the threshold, weighting missed pairs above false ones since a false candidate only costs a
verification. The buckets are found by sorting each band's keys with numpy instead of one
Python dictionary insert and query per document. LSH is approximate by design (datasketch's
own ``MinHashLSH.query`` docstring says so): every candidate is re-checked exactly by
:mod:`dupefind.verify`.

Two documents that agree on one or two of the ``num_perm`` MinHash values share no more than
chance allows (a common phrase or two); with one-row bands such pairs are most of the
collisions in a large collection, and their number grows with the square of its size. So each
colliding pair is weighed on its whole signatures: the share of values they agree on estimates
their Jaccard similarity ``J``, which with the two shingle-set sizes gives the containment of
the smaller in the larger, ``J (|A| + |B|) / ((1 + J) min(|A|, |B|))``. A candidate's estimate
must reach ``min_containment`` (the pipeline asks for half the verdict's threshold, far below
what any copy it reports shows, since the estimate is noisy).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from .fingerprint import EMPTY
from .text import mix64

Candidate = tuple[int, int]

#: The weights of false positives and false negatives for datasketch's choice of bands.
WEIGHTS = (0.2, 0.8)
#: Pairs compared at once when counting agreements (bounds the memory it takes).
_CHUNK = 1 << 18


def banding(*, threshold: float, num_perm: int) -> tuple[int, int]:
    """The number of bands and rows per band for a Jaccard ``threshold`` (datasketch's choice)."""
    # Imported when used: datasketch loads SciPy (~0.4 s, 56 MB), which workers never need.
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm, weights=WEIGHTS)
    return int(lsh.b), int(lsh.r)


def candidate_pairs(signatures: npt.NDArray[np.uint32], sizes: npt.NDArray[np.uint32],
                    usable: npt.NDArray[np.bool_], *, threshold: float, num_perm: int,
                    min_containment: float = 0.0) -> list[Candidate]:
    """Index pairs ``(i, j)``, ``i < j``, sorted, of ``usable`` rows of ``signatures`` that
    share an LSH band tuned for Jaccard ``threshold`` and whose estimated containment (from
    the signatures and the shingle-set ``sizes``) reaches ``min_containment``."""
    bands, rows = banding(threshold=threshold, num_perm=num_perm)
    index = np.flatnonzero(usable & (signatures != EMPTY).any(axis=1))
    if len(index) < 2:
        return []
    count = np.int64(len(index))
    found = [_colliding(_band_keys(signatures[index, band * rows : (band + 1) * rows]), count)
             for band in range(bands)]
    codes = np.unique(np.concatenate(found))
    first, second = index[codes // count], index[codes % count]
    agreeing = np.concatenate([
        (signatures[first[k : k + _CHUNK]] == signatures[second[k : k + _CHUNK]]).sum(axis=1)
        for k in range(0, len(codes), _CHUNK)
    ]) if len(codes) else np.empty(0, dtype=np.intp)
    keep = _containment(agreeing / num_perm, sizes[first], sizes[second]) >= min_containment
    return list(zip(first[keep].tolist(), second[keep].tolist()))


def _containment(similarity: npt.NDArray[np.float64], size_a: npt.NDArray[np.uint32],
                 size_b: npt.NDArray[np.uint32]) -> npt.NDArray[np.float64]:
    """The containment of the smaller set in the larger that a Jaccard similarity implies."""
    total = size_a.astype(np.float64) + size_b
    smaller = np.maximum(np.minimum(size_a, size_b), 1).astype(np.float64)
    estimate: npt.NDArray[np.float64] = similarity * total / ((1 + similarity) * smaller)
    return estimate


def _band_keys(band: npt.NDArray[np.uint32]) -> npt.NDArray[np.uint64]:
    """One 64-bit key per row of a band (its values, combined when there are several)."""
    keys = band[:, 0].astype(np.uint64)
    with np.errstate(over="ignore"):
        for column in range(1, band.shape[1]):
            keys = mix64(keys * np.uint64(0x100000001B3) + band[:, column])
    return keys


def _colliding(keys: npt.NDArray[np.uint64], count: np.int64) -> npt.NDArray[np.int64]:
    """Every pair of positions with equal keys, as codes ``i * count + j`` with ``i < j``."""
    order = np.argsort(keys, kind="stable")
    ranked = keys[order]
    starts = np.flatnonzero(np.concatenate(([True], ranked[1:] != ranked[:-1])))
    sizes = np.diff(starts, append=len(keys))
    shared = sizes > 1
    starts, sizes = starts[shared], sizes[shared]
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


# Per-document and per-pair forms of the steps above, for runners that do the grouping
# themselves (the Spark engine shuffles the band keys instead of sorting them in memory).


def band_keys(signatures: npt.NDArray[np.uint32], *, threshold: float, num_perm: int) -> npt.NDArray[np.uint64]:
    """One key per document (row) and LSH band (column): documents that share a key in some
    band collide, as in :func:`candidate_pairs`."""
    bands, rows = banding(threshold=threshold, num_perm=num_perm)
    if len(signatures) == 0:
        return np.empty((0, bands), dtype=np.uint64)
    return np.stack([_band_keys(signatures[:, band * rows : (band + 1) * rows]) for band in range(bands)], axis=1)


def has_signature(signatures: npt.NDArray[np.uint32]) -> npt.NDArray[np.bool_]:
    """The rows that are real signatures (a text with no shingle has none and collides with nothing)."""
    found: npt.NDArray[np.bool_] = (signatures != EMPTY).any(axis=1)
    return found


def prefilter(first: npt.NDArray[np.uint32], second: npt.NDArray[np.uint32], size_first: npt.NDArray[np.uint32],
              size_second: npt.NDArray[np.uint32], *, num_perm: int, min_containment: float) -> npt.NDArray[np.bool_]:
    """For colliding pairs (row ``k`` of ``first`` with row ``k`` of ``second``, with their
    shingle-set sizes): whether the containment their signatures imply reaches
    ``min_containment``, the test :func:`candidate_pairs` applies."""
    agreeing = (first == second).sum(axis=1)
    keep: npt.NDArray[np.bool_] = _containment(agreeing / num_perm, size_first, size_second) >= min_containment
    return keep
