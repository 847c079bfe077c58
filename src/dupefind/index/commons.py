"""The index's signatures in the views that set boilerplate aside, kept true to its commons.

A view with :attr:`~dupefind.views.View.without_boilerplate` sketches a document that holds a
long common segment on its other words (:func:`dupefind.resketch.clean_sketches`), and any other
document on all its words, as the scan's first pass does. The index keeps this invariant: *the
stored rows and band keys of every document in those views are sketched under the segments
common in the index as it is*. A document's rows depend only on which of its own segments are
common, so a write (a batch added, documents removed or replaced) sketches again only these:
the documents of a batch that hold a segment common once it is stored, before they are stored
(:func:`clean_entries`), and after the write the indexed documents holding a segment whose
count crossed ``min_docs`` (found in the ``segment_docs`` table; :func:`restate`). A check does
the same in memory (:mod:`.catalogs`).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import replace
from functools import partial

import numpy as np
import numpy.typing as npt

from ..arrays import unique
from ..boilerplate import Commons
from ..candidates import Sketches, band_keys, held_flags
from ..models import Location
from ..resketch import TASK_DOCUMENTS, TextLoader, holding, resketch_task
from ..verify import unpaired
from ..views import View
from .records import Bands, Entry, Keys, Sketch
from .store import Store
from .texts import INDEXED, unpack

_NO_KEYS = np.empty(0, dtype=np.uint64)


def wanted(views: Sequence[View]) -> bool:
    """Whether some view sets boilerplate aside."""
    return any(view.without_boilerplate for view in views)


def all_keys(per_document: Sequence[Keys]) -> Keys:
    """The sorted unique keys of some documents."""
    return unique(np.concatenate(list(per_document))) if per_document else _NO_KEYS


def document_counts(keys: Keys, per_document: Sequence[Keys]) -> npt.NDArray[np.int64]:
    """In how many of the documents (``per_document``: each one's unique keys) each of the
    sorted unique ``keys`` occurs."""
    counts = np.zeros(len(keys), dtype=np.int64)
    if per_document and len(keys):
        held = np.concatenate(list(per_document))
        at = np.searchsorted(keys, held).clip(max=len(keys) - 1)
        np.add.at(counts, at[keys[at] == held], 1)
    return counts


def holds(segments: Keys, common: Keys) -> bool:
    """Whether a document with these segment keys holds one of the sorted ``common`` keys that
    is long, the boilerplate a view without it leaves out (:func:`dupefind.resketch.holding`)."""
    return bool(holding(segments, np.array([len(segments)], dtype=np.intp), Commons(common))[0])


def bands_of(sketches: Sequence[Sketch], *, unpaired: bool, views: Sequence[View]) -> Bands:
    """A document's band keys in every view, from its rows (none for a document paired only
    with identical texts: :func:`dupefind.verify.unpaired`)."""
    rows = [Sketches(np.zeros(len(s.sizes), dtype=np.intp), s.signatures, s.sizes, s.held) for s in sketches]
    keys = band_keys(rows, views=views, usable=np.array([not unpaired]))
    return Bands(keys.views.astype(np.int64), keys.bands.astype(np.int64), keys.keys)


def in_views(bands: Bands, numbers: Sequence[int]) -> Bands:
    """The band keys of the views ``numbers`` only."""
    kept = np.isin(bands.views, np.asarray(numbers, dtype=np.int64))
    return Bands(bands.views[kept], bands.bands[kept], bands.keys[kept])


def sketched_again(documents: Sequence[tuple[int, Location]], segments: Sequence[Keys], common: Keys, *,
                   views: Sequence[View], seed: int, min_words: int, load: TextLoader) -> dict[int, dict[int, Sketch]]:
    """The rows of ``documents`` (number, where to read it; ``segments``: each one's keys) in
    each view that sets boilerplate aside, by document number and view number, sketched under
    the sorted ``common`` keys: without boilerplate when the document holds one, on all its
    words otherwise. A document whose text changed since it was first read (``load``'s
    checksum) is left out, as the scan leaves it: it keeps its first rows."""
    holders = [(d, where) for (d, where), keys in zip(documents, segments) if holds(keys, common)]
    others = [(d, where) for (d, where), keys in zip(documents, segments) if not holds(keys, common)]
    found: dict[int, dict[int, Sketch]] = {}
    for group, commons in ((holders, Commons(common)), (others, Commons())):
        for start in range(0, len(group), TASK_DOCUMENTS):
            done, rows = resketch_task(group[start : start + TASK_DOCUMENTS], views=tuple(views), seed=seed,
                                       min_words=min_words, commons=commons, load=load)
            for number, view in enumerate(views):
                if view.without_boilerplate:
                    for doc, sketch in zip(done, _split(rows[number], len(done))):
                        found.setdefault(doc, {})[number] = sketch
    return found


def _split(sketches: Sketches, count: int) -> list[Sketch]:
    """Each of ``count`` documents' rows (owners ordered)."""
    bounds = np.searchsorted(sketches.owners, np.arange(count + 1))
    return [Sketch(sketches.sizes[a:b], sketches.signatures[a:b],
                   held_flags(sketches.held[a:b] if sketches.held is not None else None))
            for a, b in itertools.pairwise(bounds)]


def with_sketches(sketches: tuple[Sketch, ...], fresh: dict[int, Sketch]) -> tuple[Sketch, ...]:
    """A document's rows with those of some views replaced."""
    return tuple(fresh.get(number, sketch) for number, sketch in enumerate(sketches))


def clean_entries(entries: Sequence[Entry], common: Keys, *, views: Sequence[View], seed: int, min_words: int,
                  load: TextLoader) -> tuple[list[Entry], list[int]]:
    """A batch about to be stored, its documents holding one of the sorted ``common`` keys (the
    index's commons once it is stored) sketched without boilerplate, with their band keys; and
    the positions of those whose text changed since it was first read (left as they are:
    :func:`restate` reads them from the index, and says so)."""
    chosen = [k for k, e in enumerate(entries) if holds(e.segments, common)]
    if not wanted(views) or not chosen:
        return list(entries), []
    given = {entries[k].location: entries[k].text for k in chosen if entries[k].text is not None}
    fresh = sketched_again([(k, entries[k].location) for k in chosen], [entries[k].segments for k in chosen], common,
                           views=views, seed=seed, min_words=min_words, load=partial(_given, given, load))
    found = list(entries)
    for k, rows in fresh.items():
        entry = entries[k]
        sketches = with_sketches(entry.sketches, rows)
        found[k] = replace(entry, sketches=sketches,
                           band_keys=bands_of(sketches, unpaired=unpaired(entry.document), views=views))
    return found, [k for k in chosen if k not in fresh]


def _given(texts: dict[Location, bytes | None], load: TextLoader, location: Location) -> str:
    data = texts.get(location)
    return unpack(data) if data is not None else load(location)


def restate(store: Store, touched: Keys, before: npt.NDArray[np.int64], after: npt.NDArray[np.int64],
            added: Sequence[tuple[int, Keys]], *, clean: frozenset[int] = frozenset(), views: Sequence[View],
            seed: int, min_words: int, min_docs: int, load: TextLoader) -> int:
    """After a write that changed the counts of the segments ``touched`` (sorted unique) from
    ``before`` to ``after`` and stored the documents ``added`` (number, segment keys) with rows
    on all their words: sketch again the documents the invariant asks for (all but those
    numbered in ``clean``, already sketched under the commons after the write), and store their
    rows and band keys (inside :meth:`Store.writing`, through which ``load`` reads the texts, so
    the documents just added are read back from the same transaction). How many were sketched."""
    if not wanted(views) or not len(touched):
        return 0
    flipped = touched[(before >= min_docs) != (after >= min_docs)]
    common = touched[after >= min_docs]
    docs = (store.holding(flipped) if len(flipped) else set()) - clean
    docs.update(doc for doc, keys in added if holds(keys, common))
    if not docs:
        return 0
    stored = sorted(store.by_numbers(sorted(docs)), key=lambda s: s.doc)
    segments = [np.frombuffer(s.segments, dtype=np.uint64) for s in stored]
    keys = all_keys(segments)
    fresh = sketched_again([(s.doc, Location(store.path, INDEXED, line=s.doc)) for s in stored], segments,
                           keys[store.segment_counts(keys) >= min_docs], views=views, seed=seed, min_words=min_words,
                           load=load)
    numbers = [n for n, view in enumerate(views) if view.without_boilerplate]
    changes = []
    for s in stored:
        rows = fresh[s.doc]  # texts in the index, or checked against their hash: never left out
        old = in_views(bands_of(s.sketches, unpaired=unpaired(s.document), views=views), numbers)
        new = in_views(bands_of(with_sketches(s.sketches, rows), unpaired=unpaired(s.document), views=views), numbers)
        changes.append((s.doc, rows, old, new))
    store.replace_sketches(changes)
    return len(stored)
