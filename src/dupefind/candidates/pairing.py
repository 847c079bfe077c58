"""The pairs of rows in LSH buckets, in compiled passes: every two rows of a bucket of two
documents weighed on their signatures as they are met (:func:`weighed_buckets`), or listed
(:func:`bucket_pairs`)."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from ..jit import kernel, prefetch_row
from .sketches import SignatureRows

#: Rows of buckets :func:`weighed_buckets` asks for before it reaches them (4-16 ran alike).
_AHEAD = 8


@kernel(nogil=True)
def weighed_buckets(rows: npt.NDArray[np.intp], starts: npt.NDArray[np.intp], sizes: npt.NDArray[np.intp],
                     owners: npt.NDArray[np.intp], signatures: SignatureRows,
                     set_sizes: npt.NDArray[np.uint32], held: npt.NDArray[np.bool_], least: float,
                     width: np.int64) -> npt.NDArray[np.int64]:  # pragma: no cover - compiled
    """The document pairs (codes ``i * width + j``, ``i < j``, with repeats) of every two rows of
    a bucket (``rows[start : start + size]``) of two documents, not both ``held`` rows, whose
    estimated containment (:func:`estimated_containment`, the same arithmetic) reaches ``least``.
    The rows lie scattered through ``signatures``, so each is asked for :data:`_AHEAD` rows
    before it is reached (a quarter less time on the 100k benchmark corpus: most went waiting
    on memory, measured in benchmarks/RESULTS.md)."""
    found = np.empty(1024, dtype=np.int64)
    count = 0
    perms = signatures.shape[1]
    for x in range(min(_AHEAD, len(rows))):
        prefetch_row(signatures, rows[x])
    for bucket in range(len(starts)):
        end = starts[bucket] + sizes[bucket]
        for x in range(starts[bucket], end):
            if x + _AHEAD < len(rows):
                prefetch_row(signatures, rows[x + _AHEAD])
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
def bucket_pairs(rows: npt.NDArray[np.intp], documents: npt.NDArray[np.intp], starts: npt.NDArray[np.intp],
                 sizes: npt.NDArray[np.intp], width: np.int64) -> npt.NDArray[np.int64]:  # pragma: no cover - compiled
    """Every two rows of a bucket of different documents, as codes ``low * width + high`` of
    the two rows (repeats across buckets kept)."""
    count = 0
    for bucket in range(len(starts)):
        count += sizes[bucket] * (sizes[bucket] - 1) // 2
    codes = np.empty(count, dtype=np.int64)
    found = 0
    for bucket in range(len(starts)):
        end = starts[bucket] + sizes[bucket]
        for x in range(starts[bucket], end):
            for y in range(x + 1, end):
                if documents[x] != documents[y]:
                    codes[found] = min(rows[x], rows[y]) * width + max(rows[x], rows[y])
                    found += 1
    return codes[:found].copy()
