"""The first pass's signature rows: each view's grown a batch of rows at a time, in place
(:class:`_Sketches`), then put in the order of the documents' ids, moved in place by a compiled
loop (the signatures are never held twice)."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from ..candidates import Sketches
from ..candidates.sketches import SignatureRows
from ..jit import kernel


def _renumbered(sketch: Sketches, rank: npt.NDArray[np.intp]) -> Sketches:
    """The rows owned by ``rank[owner]`` instead of ``owner``, sorted by their new owner (in
    place: the signatures are never held twice)."""
    owners = rank[sketch.owners] if len(sketch) else sketch.owners
    order = np.argsort(owners, kind="stable")
    _reorder_rows(sketch.signatures, order)
    return Sketches(owners[order], sketch.signatures, sketch.sizes[order],
                    sketch.held[order] if sketch.held is not None else None)


#: Bytes of input per row of a windowed view, a little less than English prose takes (a window
#: starts every 25 content words, 200-250 bytes of news; the held rows that a view without
#: boilerplate adds take it to 140-200): the first pass reserves that many rows at once. Rows
#: reserved but never written take no memory, and rows that fit are never copied.
BYTES_PER_WINDOW = 120


class _Sketches:
    """The signatures of one view, growing a batch of rows at a time, in place: ``expected``
    rows reserved at first (never written, they take no memory), then ``ndarray.resize``
    reallocates, and a large block is moved by remapping its pages, not copied, so the
    signatures of a million documents (512 MB) are never held twice."""

    def __init__(self, width: int, dtype: type[np.unsignedinteger[Any]] = np.uint32, *, expected: int = 0) -> None:
        try:
            self._array: SignatureRows = np.empty((expected, width), dtype=dtype)
        except MemoryError:
            self._array = np.empty((0, width), dtype=dtype)
        self._count = 0
        self._grown = False
        self._owners: list[npt.NDArray[np.intp]] = []
        self._sizes: list[npt.NDArray[np.uint32]] = []

    def extend(self, sketch: Sketches, *, first_document: int) -> None:
        rows = sketch.signatures
        needed = self._count + len(rows)
        if needed > len(self._array):
            self._array.resize((max(needed, 2 * len(self._array)), self._array.shape[1]), refcheck=False)
            self._grown = True
        self._array[self._count : needed] = rows
        self._count = needed
        self._owners.append(sketch.owners + first_document)
        self._sizes.append(sketch.sizes)

    def sketches(self) -> Sketches:
        """The rows so far: the first rows of the array, the rest left reserved (untouched, they
        take no memory) for the rows a view without boilerplate adds (:mod:`dupefind.resketch`).
        An array grown past what was reserved (text with more windows a byte than expected, such
        as Chinese, a window every 25 characters) is cut to its rows: ``resize`` fills the rows
        it adds with zeros, which would otherwise stay in memory unused."""
        owners = np.concatenate(self._owners + [np.empty(0, dtype=np.intp)]).astype(np.intp)
        sizes = np.concatenate(self._sizes + [np.empty(0, dtype=np.uint32)]).astype(np.uint32)
        if self._grown:
            self._array.resize((self._count, self._array.shape[1]), refcheck=False)
            return Sketches(owners, self._array, sizes)
        return Sketches(owners, self._array[: self._count], sizes)


@kernel(nogil=True)
def _reorder_rows(rows: SignatureRows, order: npt.NDArray[np.intp]) -> None:  # pragma: no cover - compiled
    """Row ``k`` of ``rows`` becomes what row ``order[k]`` was, in place (one cycle of the
    permutation at a time, one row held aside). A row already in its place is not touched:
    documents read in the order of their ids (numbered JSONL records, a folder's sorted names)
    are most of them, and copying each such row out and back took 0.3 s for Markov 100k's
    650 MB of content rows, measured in benchmarks/RESULTS.md."""
    placed = np.zeros(len(order), dtype=np.bool_)
    held = np.empty(rows.shape[1], dtype=rows.dtype)
    for start in range(len(order)):
        if placed[start] or order[start] == start:  # (a row in its place is a cycle of its own)
            continue
        held[:] = rows[start]
        k = start
        while order[k] != start:
            rows[k] = rows[order[k]]
            placed[k] = True
            k = order[k]
        rows[k] = held
        placed[k] = True
