"""The first pass: read every document once and keep only what later passes need.

Per document that is an id, where to re-read the text, its size, its MinHash signatures in
every candidate view (:mod:`dupefind.views`: one for the whole text, or one per window of a
long text; for a short text, a hash of its words instead) and the hashes of its segments for
boilerplate counting. The texts themselves are dropped as soon as they are fingerprinted.

The work is cut into tasks of a few pieces of input (:class:`~dupefind.sources.Unit`); a
task is read and fingerprinted by :func:`fingerprint_task`, a plain function that any worker
process runs, and its results are gathered here in input order.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import partial

import numpy as np
import numpy.typing as npt

from ..boilerplate import Commons, SegmentCounter
from ..candidates import Sketches
from ..models import Document, Location, Skipped, skip_order
from ..parallel import Workers, ordered_map, release_freed_memory
from ..resketch import holding, needed, resketched
from ..sources import Unit
from ..views import View
from .rows import BYTES_PER_WINDOW, _renumbered, _Sketches
from .tasks import Fingerprints, fingerprint_task, plan_tasks

Progress = Callable[[str, int, int, int], None]
"""Called as a stage goes with its name (``read``, ``verify``), the items done (documents read,
pairs verified), and the work done and in all (bytes of input, pairs)."""


@dataclass(frozen=True, slots=True)
class Catalog:
    """Everything the first pass keeps, in the order of the documents' ids."""

    documents: tuple[Document, ...]
    """The documents, sorted by id."""
    locations: tuple[Location, ...]
    """Where each document's text is re-read."""
    sketches: tuple[Sketches, ...]
    """The signatures of each view (owners: indexes into ``documents``); every document has at
    least one row in each view (empty for a short text)."""
    exact_keys: npt.NDArray[np.void]
    """A 16-byte hash of each document's normalised words (its words in order, as tokens):
    equal keys, identical documents (zeros for a document without words)."""
    commons: Commons
    """Segments common enough to be boilerplate."""
    skipped: tuple[Skipped, ...]
    """Inputs that were not scanned, sorted by path."""

    def without_sketches(self) -> Catalog:
        """This catalog without its signatures (no view has a row): what verification needs.
        The signatures are most of a catalog's memory (a million news-length documents: ~9 GB)
        and are done with once the candidates are known."""
        return replace(self, sketches=())


def build_catalog(units: Sequence[Unit | Skipped], *, views: Sequence[View], seed: int, min_words: int,
                  boilerplate_min_docs: int, id_field: str = "id", text_field: str = "text",
                  jobs: int = 1, progress: Progress | None = None, workers: Workers | None = None) -> Catalog:
    """Read and fingerprint every piece of input (in ``jobs`` processes, those of ``workers``
    if given); set aside skipped inputs and repeated ids.

    The result does not depend on ``jobs`` or on the order of the inputs.
    """
    skipped = [u for u in units if isinstance(u, Skipped)]
    tasks = list(plan_tasks(u for u in units if isinstance(u, Unit)))
    total = sum(u.size for task in tasks for u in task)
    with _spool_folder(views, size=total) as spool:
        return _build_catalog(tasks, skipped, total, views=views, seed=seed, min_words=min_words,
                              boilerplate_min_docs=boilerplate_min_docs, id_field=id_field, text_field=text_field,
                              jobs=jobs, progress=progress, workers=workers, spool=spool)


def _build_catalog(tasks: list[list[Unit]], skipped: list[Skipped], total: int, *, views: Sequence[View], seed: int,
                   min_words: int, boilerplate_min_docs: int, id_field: str, text_field: str, jobs: int,
                   progress: Progress | None, workers: Workers | None, spool: str | None) -> Catalog:
    fingerprint = partial(fingerprint_task, views=tuple(views), seed=seed, min_words=min_words,
                          id_field=id_field, text_field=text_field, spool=spool)
    first_path: dict[str, str] = {}
    kept: list[Fingerprints] = []
    places: list[npt.NDArray[np.intp]] = []  # each kept batch's documents: their places in its spooled file
    segments = SegmentCounter()
    grown = [_Sketches(view.num_perm, view.dtype, expected=total // BYTES_PER_WINDOW if view.window else 0)
             for view in views]
    done = documents = 0
    for batch in ordered_map(fingerprint, tasks, jobs=jobs, workers=workers):
        skipped.extend(batch.skipped)
        keep = []
        for index, doc in enumerate(batch.documents):
            if doc.id in first_path:
                skipped.append(Skipped(_where(doc, batch.locations[index]),
                                       f"duplicate id {doc.id!r} (first read from {first_path[doc.id]})"))
            else:
                first_path[doc.id] = doc.path
                keep.append(index)
        if len(keep) < len(batch.documents):
            batch = _subset(batch, keep)
        places.append(np.array(keep, dtype=np.intp))
        segments.add(batch.segment_keys)
        for rows, sketch in zip(grown, batch.sketches):
            rows.extend(sketch, first_document=documents)
        documents += len(batch.documents)
        # Signatures copied: let the batch's own arrays go (the segment keys tell, once the
        # commons are known, which documents a view without boilerplate sketches again).
        kept.append(replace(batch, sketches=()))
        done += batch.size
        if progress is not None:
            progress("read", len(first_path), done, total)
    catalog = _catalog(kept, [rows.sketches() for rows in grown], skipped,
                       segments.commons(min_docs=boilerplate_min_docs))
    del segments
    if needed(views, catalog.commons):
        position = {doc.id: k for k, doc in enumerate(catalog.documents)}
        held: dict[int, tuple[str, int]] = {
            position[doc.id]: (batch.spooled, place) for batch, keep in zip(kept, places)
            for doc, place, holds in zip(batch.documents, keep.tolist(),
                                         holding(batch.segment_keys, batch.segment_counts, catalog.commons))
            if holds}
        catalog = resketched(catalog, np.array(sorted(held), dtype=np.intp), views=views, seed=seed,
                             min_words=min_words, text_field=text_field, jobs=jobs, workers=workers, spooled=held)
    del kept
    release_freed_memory()  # the segment counts and the batches leave holes between the documents
    return catalog


def _subset(batch: Fingerprints, keep: list[int]) -> Fingerprints:
    chosen = _chosen(len(batch.documents), keep)
    renumber = np.cumsum(chosen) - 1
    sketches = tuple(Sketches(renumber[s.owners[chosen[s.owners]]], s.signatures[chosen[s.owners]],
                              s.sizes[chosen[s.owners]], s.held[chosen[s.owners]] if s.held is not None else None)
                     for s in batch.sketches)
    return Fingerprints([batch.documents[i] for i in keep], [batch.locations[i] for i in keep], sketches,
                        [batch.exact_keys[i] for i in keep],
                        batch.segment_keys[np.repeat(chosen, batch.segment_counts)],
                        batch.segment_counts[keep], [], batch.size,
                        [batch.texts[i] for i in keep] if batch.texts else [], batch.spooled)


#: The word hashes a first pass keeps on disk, per byte of input (8 bytes a word; a word and the
#: space after it take 5 to 7 bytes of English text).
SPOOL_PER_BYTE = 1.5


@contextmanager
def _spool_folder(views: Sequence[View], *, size: int) -> Iterator[str | None]:
    """A temporary folder for the first pass's word hashes when a view sketches documents again
    (:mod:`dupefind.spool`), removed when the first pass ends. ``None`` (the documents are read
    again instead) when no view does, when no folder can be made, or when the hashes of ``size``
    bytes of input would take more than half the free space there."""
    if not any(view.without_boilerplate for view in views):
        yield None
        return
    try:
        folder = tempfile.TemporaryDirectory(prefix="dupefind-words-", ignore_cleanup_errors=True)
    except OSError:
        yield None
        return
    with folder as path:
        try:
            room = shutil.disk_usage(path).free >= 2 * SPOOL_PER_BYTE * size
        except OSError:
            room = False
        yield path if room else None


def _chosen(count: int, keep: list[int]) -> npt.NDArray[np.bool_]:
    chosen = np.zeros(count, dtype=bool)
    chosen[keep] = True
    return chosen


def _catalog(batches: list[Fingerprints], sketches: list[Sketches], skipped: list[Skipped],
             commons: Commons) -> Catalog:
    documents = [d for b in batches for d in b.documents]
    order = sorted(range(len(documents)), key=lambda i: documents[i].id)
    locations = [loc for b in batches for loc in b.locations]
    exact = np.frombuffer(b"".join(key for b in batches for key in b.exact_keys), dtype="V16")
    rank = np.empty(len(order), dtype=np.intp)
    rank[np.array(order, dtype=np.intp)] = np.arange(len(order), dtype=np.intp)
    return Catalog(
        documents=tuple(documents[i] for i in order),
        locations=tuple(locations[i] for i in order),
        sketches=tuple(_renumbered(sketch, rank) for sketch in sketches),
        exact_keys=exact[order] if len(order) else exact,
        commons=commons,
        skipped=tuple(sorted(skipped, key=skip_order)),
    )


def _where(document: Document, location: Location) -> str:
    return f"{document.path}:{location.line}" if location.line else document.path
