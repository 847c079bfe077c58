"""The arrays the candidate stages pass along: signatures of a view, their band keys, colliding rows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

Candidate = tuple[int, int]

SignatureRows = npt.NDArray[np.unsignedinteger[Any]]
"""Signatures, one per row: ``uint32`` values (datasketch's), or ``uint16`` in a view that keeps
their low half (:attr:`~dupefind.views.View.value_bits`)."""


def held_flags(flags: npt.NDArray[np.bool_] | None) -> npt.NDArray[np.bool_] | None:
    """``flags`` (one per row) as :attr:`Sketches.held` keeps them: ``None`` when no row is held."""
    return flags if flags is not None and flags.any() else None


@dataclass(frozen=True, slots=True)
class Sketches:
    """The MinHash signatures of one view: one row per text, or per window of a long text."""

    owners: npt.NDArray[np.intp]
    """The document (its index in the batch or catalog) each row belongs to, non-decreasing."""
    signatures: SignatureRows
    """One signature per row (``num_perm`` values each, of the view's
    :attr:`~dupefind.views.View.dtype`)."""
    sizes: npt.NDArray[np.uint32]
    """The number of shingles each row's signature was made of (distinct ones for a whole
    text; for a window, a shingle repeated inside it counts each time; for a sampled view,
    where the row's shingle stands in its text)."""
    held: npt.NDArray[np.bool_] | None = None
    """``True`` for the rows of a document sketched on all its words in a view that sets
    boilerplate aside, beside its rows without it (:func:`dupefind.resketch.clean_sketches`):
    such a row pairs with any row but another such row (``None``: there is none)."""

    def __len__(self) -> int:
        return len(self.owners)

    def flags(self) -> npt.NDArray[np.bool_]:
        """:attr:`held`, one flag per row (all ``False`` when there is none)."""
        return self.held if self.held is not None else np.zeros(len(self.owners), dtype=bool)

    @classmethod
    def empty(cls, num_perm: int, dtype: type[np.unsignedinteger[Any]] = np.uint32) -> Sketches:
        """No rows."""
        return cls(np.empty(0, dtype=np.intp), np.empty((0, num_perm), dtype=dtype),
                   np.empty(0, dtype=np.uint32))

    @classmethod
    def whole(cls, signatures: SignatureRows, sizes: npt.NDArray[np.uint32]) -> Sketches:
        """One row per document, document ``k`` in row ``k``."""
        return cls(np.arange(len(signatures), dtype=np.intp), signatures, sizes)


@dataclass(frozen=True, slots=True)
class BandKeys:
    """LSH band keys, one row per (view, signature row, band), in that order."""

    views: npt.NDArray[np.uint8]
    """The view (its index in the views) of each key."""
    rows: npt.NDArray[np.intp]
    """The signature row (in its view's :class:`Sketches`) of each key."""
    documents: npt.NDArray[np.intp]
    """The document that row belongs to."""
    bands: npt.NDArray[np.uint16]
    """The band of each key."""
    keys: npt.NDArray[np.uint64]
    """The key: the band's values, combined (equal keys: the band collides)."""

    def __len__(self) -> int:
        return len(self.keys)


@dataclass(frozen=True, slots=True)
class Collisions:
    """Pairs of signature rows of one view that share a band key, each once, sorted."""

    views: npt.NDArray[np.uint8]
    """The view of each pair."""
    first: npt.NDArray[np.intp]
    """The first row of each pair (in its view's :class:`Sketches`)."""
    second: npt.NDArray[np.intp]
    """The second row (``first < second``)."""

    def __len__(self) -> int:
        return len(self.first)
