"""The index's documents as a :class:`~dupefind.catalog.Catalog`: what the scan's later stages
(candidates, verification, alignment, report) take, so the index runs those stages unchanged.

- :func:`whole_catalog`: every indexed document (``index pairs``: a scan of the index);
- :func:`checked_catalog`: new documents and the indexed ones they could pair with (``index
  check``): every indexed document that shares an LSH band key with a new one in some view,
  or a short text's words. Boilerplate is decided for the documents in it from the index's
  exact segment counts plus the new documents' own: what a scan of old + new would count; in
  the views that set boilerplate aside, the documents whose common segments that changes are
  sketched again in memory (:mod:`.commons`), as the scan sketches them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from ..boilerplate import WIDESPREAD, Commons, common_keys
from ..candidates import Sketches, band_keys, exhaustive, held_flags, key_codes
from ..catalog import Catalog, Fingerprints
from ..models import Document, Location
from ..pipeline import proposed
from ..resketch import TextLoader
from ..verify import unpaired
from ..views import View
from .commons import all_keys, bands_of, document_counts, holds, sketched_again, wanted, with_sketches
from .records import Bands, Keys, Sketch, Stored
from .store import Store
from .texts import INDEXED

#: The exact key of a document without words (as the first pass gives it).
_NO_WORDS = bytes(16)


@dataclass(frozen=True, slots=True)
class Member:
    """One document of a catalog to be: what the catalog keeps of it."""

    document: Document
    location: Location
    sketches: tuple[Sketch, ...]
    """Its signatures in each view."""
    exact_key: bytes
    """The hash of the text's words (empty for a text without words): equal keys, identical
    documents, which the scan pairs as one group."""
    segments: Keys
    """Its unique segment keys."""


def members(batch: Fingerprints, *, views: Sequence[View]) -> list[tuple[Member, Bands]]:
    """Each document of a first-pass batch as a :class:`Member`, with its LSH band keys."""
    usable = np.array([not unpaired(d) for d in batch.documents], dtype=bool)
    keys = band_keys(batch.sketches, views=views, usable=usable)
    order = np.argsort(keys.documents, kind="stable")
    bounds = np.searchsorted(keys.documents[order], np.arange(len(batch.documents) + 1))
    segment_bounds = np.concatenate(([0], np.cumsum(batch.segment_counts)))
    found = []
    for k, doc in enumerate(batch.documents):
        rows = [(np.searchsorted(s.owners, k), np.searchsorted(s.owners, k, side="right")) for s in batch.sketches]
        mine = order[bounds[k] : bounds[k + 1]]
        found.append((
            Member(doc, batch.locations[k],
                   tuple(Sketch(s.sizes[a:b], s.signatures[a:b], s.held[a:b] if s.held is not None else None)
                         for s, (a, b) in zip(batch.sketches, rows)),
                   batch.exact_keys[k] if doc.words else b"", batch.segment_keys[segment_bounds[k] : segment_bounds[k + 1]]),
            Bands(keys.views[mine].astype(np.int64), keys.bands[mine].astype(np.int64), keys.keys[mine]),
        ))
    return found


def stored_bands(stored: Stored, *, views: Sequence[View]) -> Bands:
    """The band keys of an indexed document, made again from its signatures (to delete them)."""
    return bands_of(stored.sketches, unpaired=unpaired(stored.document), views=views)


def whole_catalog(store: Store, *, views: Sequence[View], min_docs: int) -> Catalog:
    """Every document of the index, sorted by id (inside :meth:`Store.reading`)."""
    everyone = [_member(store, s) for s in store.everything()]
    return _catalog(everyone, views=views, commons=common_keys(store.common_segments(min_docs),
                                                                   store.common_segments(WIDESPREAD * min_docs)))


def checked_catalog(store: Store, new: Sequence[tuple[Member, Bands]], *, views: Sequence[View], seed: int,
                    min_words: int, min_docs: int, load: TextLoader,
                    threads: int = 1) -> tuple[Catalog, frozenset[int], list[tuple[int, int]]]:
    """The new documents and the indexed documents they may pair with, sorted by id, the
    positions of the new ones, and the candidate pairs that name a new one (found in up to
    ``threads`` threads; inside :meth:`Store.reading`).

    Boilerplate is counted over the index plus the new documents. In the views that set it
    aside, the new documents holding a common segment are sketched again (``load`` re-reads
    them), and so are, in memory, the indexed documents holding a segment that the new ones
    make common: those are partners whatever their stored band keys say; the others' stored
    rows are already right (:mod:`.commons`).

    The candidates are the scan's (:func:`~dupefind.pipeline.proposed`; every pair of a small
    collection, index and new documents together, so every indexed document is then read): every indexed document
    holding a band key of a new one is in the catalog, so each such key's bucket is whole, as
    in a scan (its size decides a view's ``max_bucket``), but for the keys held by more indexed
    documents than the limit: those pair no one whoever else holds them, so their holders are
    not read and the keys are named to the candidate stage instead. Segments are then counted
    only for the documents the candidates name, the only ones verification reads (most
    partners share a band key by chance and are no candidate)."""
    keys = all_keys([m.segments for m, _ in new])
    indexed = store.segment_counts(keys)
    counts = indexed + document_counts(keys, [m.segments for m, _ in new])
    partners: set[int] = set()
    if wanted(views):
        new = _sketched_again(new, keys[counts >= min_docs], views=views, seed=seed, min_words=min_words, load=load)
        flipped = keys[(indexed < min_docs) & (counts >= min_docs)]
        partners = store.holding(flipped) if len(flipped) else set()
    fresh = [m for m, _ in new]
    again = partners.copy()
    # A key more indexed documents hold than its view's limit, even were each one sketched
    # again to drop it, pairs no one: its holders need not be read, only the key named.
    found, crowded = store.colliding([bands for _, bands in new],
                                     most=[view.max_bucket + len(again) if view.max_bucket else 0 for view in views])
    partners |= found
    partners |= store.same_words([m.exact_key for m in fresh if m.exact_key])
    documents, words = store.size()
    collection = (documents + len(fresh), words + sum(m.document.words for m in fresh))
    if exhaustive(*collection):  # a small collection has every pair proposed: all its documents are partners
        partners |= store.numbers()
    old = [_member(store, s) for s in store.by_numbers(sorted(partners))]
    if again:
        old = _sketched_again_old(old, again, fresh, views=views, seed=seed, min_words=min_words, min_docs=min_docs,
                                  store=store, load=load)
    catalog = _catalog(old + fresh, views=views, commons=Commons())
    ids = {m.document.id for m in fresh}
    involving = frozenset(k for k, d in enumerate(catalog.documents) if d.id in ids)
    candidates = proposed(catalog, views=views, involving=involving, crowded=_codes(crowded), threads=threads,
                          collection=collection)
    named = {k for pair in candidates for k in pair}
    by_id = {m.document.id: m for m in old}
    every = all_keys([by_id[catalog.documents[k].id].segments for k in sorted(named - involving)]
                     + [m.segments for m in fresh])
    counts = store.segment_counts(every) + document_counts(every, [m.segments for m in fresh])
    commons = common_keys(every[counts >= min_docs], every[counts >= WIDESPREAD * min_docs])
    return replace(catalog, commons=commons), involving, candidates


def _codes(keys: Sequence[tuple[int, int, int]]) -> npt.NDArray[np.uint64]:
    """The sorted :func:`~dupefind.candidates.key_codes` of ``(view, band, key)`` triples (keys
    as stored: signed)."""
    if not keys:
        return np.empty(0, dtype=np.uint64)
    views, bands, values = zip(*keys)
    return np.sort(key_codes(np.array(views, dtype=np.uint8), np.array(bands, dtype=np.uint16),
                             np.array(values, dtype=np.int64).view(np.uint64)))


def _sketched_again(new: Sequence[tuple[Member, Bands]], common: Keys, *, views: Sequence[View], seed: int,
                    min_words: int, load: TextLoader) -> list[tuple[Member, Bands]]:
    """The new documents, those holding one of the ``common`` keys sketched without boilerplate
    (with their band keys made again)."""
    chosen = [k for k, (m, _) in enumerate(new) if holds(m.segments, common)]
    fresh = sketched_again([(k, new[k][0].location) for k in chosen], [new[k][0].segments for k in chosen], common,
                           views=views, seed=seed, min_words=min_words, load=load)
    found = list(new)
    for k, rows in fresh.items():
        member = new[k][0]
        sketches = with_sketches(member.sketches, rows)
        found[k] = (replace(member, sketches=sketches), bands_of(sketches, unpaired=unpaired(member.document), views=views))
    return found


def _sketched_again_old(old: list[Member], again: set[int], fresh: Sequence[Member], *, views: Sequence[View],
                        seed: int, min_words: int, min_docs: int, store: Store, load: TextLoader) -> list[Member]:
    """The indexed members, those numbered in ``again`` sketched under the commons of the index
    plus the ``fresh`` documents."""
    chosen = [m for m in old if m.location.line in again]
    keys = all_keys([m.segments for m in chosen])
    counts = store.segment_counts(keys) + document_counts(keys, [m.segments for m in fresh])
    rows = sketched_again([(m.location.line, m.location) for m in chosen], [m.segments for m in chosen],
                          keys[counts >= min_docs], views=views, seed=seed, min_words=min_words, load=load)
    return [replace(m, sketches=with_sketches(m.sketches, rows[m.location.line])) if m.location.line in rows else m
            for m in old]


def _member(store: Store, stored: Stored) -> Member:
    return Member(stored.document, Location(store.path, INDEXED, line=stored.doc), stored.sketches,
                  stored.exact_key or b"", np.frombuffer(stored.segments, dtype=np.uint64))


def _catalog(members: list[Member], *, views: Sequence[View], commons: Commons) -> Catalog:
    members = sorted(members, key=lambda m: m.document.id)  # Python's order of ids, as the scan's
    sketches = []
    for number, view in enumerate(views):
        parts = [m.sketches[number] for m in members]
        owners = np.repeat(np.arange(len(members), dtype=np.intp), [len(p.sizes) for p in parts])
        rows = [p.signatures for p in parts if len(p.sizes)]  # a document may have no row in a sampled view
        width = rows[0].shape[1] if rows else view.num_perm
        signatures = np.concatenate(rows) if rows else np.empty((0, width), dtype=view.dtype)
        sizes = np.concatenate([p.sizes for p in parts]) if parts else np.empty(0, dtype=np.uint32)
        held = [p.held if p.held is not None else np.zeros(len(p.sizes), dtype=bool) for p in parts]
        flags = np.concatenate(held) if held else np.empty(0, dtype=bool)
        sketches.append(Sketches(owners, signatures, sizes, held_flags(flags)))
    return Catalog(
        documents=tuple(m.document for m in members),
        locations=tuple(m.location for m in members),
        sketches=tuple(sketches),
        exact_keys=np.frombuffer(b"".join(m.exact_key or _NO_WORDS for m in members), dtype="V16"),
        commons=commons,
        skipped=(),
    )
