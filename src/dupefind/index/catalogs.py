"""The index's documents as a :class:`~dupefind.catalog.Catalog`: what the scan's later stages
(candidates, verification, alignment, report) take, so the index runs those stages unchanged.

- :func:`whole_catalog`: every indexed document (``index pairs``: a scan of the index);
- :func:`checked_catalog`: new documents and the indexed ones they could pair with (``index
  check``): every indexed document that shares an LSH band key with a new one, or a short
  text's words. Boilerplate is decided for the documents in it from the index's exact segment
  counts plus the new documents' own, which is what a scan of old + new would count.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ..boilerplate import Commons
from ..catalog import Catalog
from ..fingerprint import EMPTY
from ..models import Document, Location
from .store import Keys, Store, Stored
from .texts import INDEXED


@dataclass(frozen=True, slots=True)
class New:
    """The documents being checked, as the first pass gave them."""

    documents: list[Document]
    locations: list[Location]
    signatures: npt.NDArray[np.uint32]
    sizes: npt.NDArray[np.uint32]
    exact_keys: list[bytes]
    segments: list[Keys]
    """Each document's unique segment keys."""
    band_keys: npt.NDArray[np.uint64]
    """The band keys of the documents that have a signature (rows in their order)."""


def whole_catalog(store: Store, *, num_perm: int, min_docs: int) -> Catalog:
    """Every document of the index, sorted by id (inside :meth:`Store.reading`)."""
    stored = list(store.everything())
    return _catalog(store, stored, [], num_perm=num_perm, commons=Commons(store.common_segments(min_docs)))[0]


def checked_catalog(store: Store, new: New, *, num_perm: int, min_docs: int) -> tuple[Catalog, frozenset[int]]:
    """The new documents and the indexed documents they may pair with, sorted by id, and the
    positions of the new ones (inside :meth:`Store.reading`)."""
    partners = store.colliding(new.band_keys)
    partners |= store.same_words([key for key, doc in zip(new.exact_keys, new.documents) if doc.short and doc.words])
    stored = store.by_numbers(sorted(partners))
    keys = [np.frombuffer(s.segments, dtype=np.uint64) for s in stored] + new.segments
    every = np.unique(np.concatenate(keys)) if keys else np.empty(0, dtype=np.uint64)
    counts = store.segment_counts(every) + _counts(every, new.segments)
    commons = Commons(every[counts >= min_docs])
    return _catalog(store, stored, [new], num_perm=num_perm, commons=commons)


def _counts(keys: Keys, per_document: Sequence[Keys]) -> npt.NDArray[np.int64]:
    """In how many of the documents each of the sorted unique ``keys`` occurs."""
    counts = np.zeros(len(keys), dtype=np.int64)
    if per_document:
        np.add.at(counts, np.searchsorted(keys, np.concatenate(list(per_document))), 1)
    return counts


def _catalog(store: Store, stored: list[Stored], new: list[New], *, num_perm: int,
             commons: Commons) -> tuple[Catalog, frozenset[int]]:
    documents = [s.document for s in stored]
    locations = [Location(store.path, INDEXED, line=s.doc) for s in stored]
    exact = [s.exact_key or b"" for s in stored]
    sizes = [np.array([s.size for s in stored], dtype=np.uint32)]
    signatures = [np.full((len(stored), num_perm), EMPTY, dtype=np.uint32)]
    for row, s in enumerate(stored):
        if s.signature is not None:
            signatures[0][row] = np.frombuffer(s.signature, dtype=np.uint32)
    for part in new:
        documents += part.documents
        locations += part.locations
        exact += part.exact_keys
        sizes.append(part.sizes)
        signatures.append(part.signatures)
    order = sorted(range(len(documents)), key=lambda i: documents[i].id)  # Python's order, as the scan's
    catalog = Catalog(
        documents=tuple(documents[i] for i in order),
        locations=tuple(locations[i] for i in order),
        signatures=np.concatenate(signatures)[order],
        sizes=np.concatenate(sizes)[order],
        exact_keys=tuple(exact[i] for i in order),
        commons=commons,
        skipped=(),
    )
    return catalog, frozenset(k for k, i in enumerate(order) if i >= len(stored))
