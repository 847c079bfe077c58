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

import hashlib
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any

import numpy as np
import numpy.typing as npt

from ..boilerplate import Commons, Keys, SegmentCounter, segment_key_sets
from ..candidates import Sketches
from ..candidates.sketches import SignatureRows
from ..jit import kernel
from ..models import Document, Location, Skipped, skip_order
from ..parallel import Workers, ordered_map, release_freed_memory
from ..resketch import holding, needed, resketched
from ..sketching import checksum, view_sketches
from ..sources import Record, Unit, read_unit
from ..spool import keep_words
from ..text import hash_texts
from ..views import View

#: A task holds at most this many pieces of input, and about this many bytes of text.
TASK_UNITS = 256
TASK_BYTES = 1 << 20

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


@dataclass(frozen=True, slots=True)
class Fingerprints:
    """What the first pass keeps of the records of one task, in their order."""

    documents: list[Document]
    locations: list[Location]
    sketches: tuple[Sketches, ...]
    """The signatures of each view, rows owned by the task's documents (their indexes here);
    every document has at least one row in each view (empty for a short text)."""
    exact_keys: list[bytes]
    """16 bytes per document (see :attr:`Catalog.exact_keys`)."""
    segment_keys: Keys
    """The keys of each document's segments (each document's unique), one after the other."""
    segment_counts: npt.NDArray[np.intp]
    """How many segment keys each document has."""
    skipped: list[Skipped]
    """Parts of the task's input that were not usable."""
    size: int
    """Bytes of input the task covered."""
    texts: list[str] = field(default_factory=list)
    """The texts of the documents, in their order, when asked for (``keep_texts``); else empty."""
    spooled: str = ""
    """The file the task's word hashes were kept in (:mod:`dupefind.spool`; its documents in
    the order read, before any was set aside), when asked for and written; else empty."""


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


def fingerprint_task(task: list[Unit], *, views: tuple[View, ...], seed: int, min_words: int,
                     id_field: str, text_field: str, keep_texts: bool = False,
                     spool: str | None = None) -> Fingerprints:
    """Read the pieces of one task and fingerprint their records in every view (a plain
    function: any worker process can run it); with ``keep_texts`` the texts come back too (the
    index stores them); with ``spool`` (a folder) their word hashes are kept in a file there
    (:mod:`dupefind.spool`)."""
    records: list[Record] = []
    skipped: list[Skipped] = []
    for unit in task:
        for item in read_unit(unit, id_field=id_field, text_field=text_field):
            (skipped if isinstance(item, Skipped) else records).append(item)  # type: ignore[arg-type]
    return fingerprint_records(records, views=views, seed=seed, min_words=min_words, skipped=skipped,
                               size=sum(u.size for u in task), keep_texts=keep_texts, spool=spool)


def fingerprint_records(records: Sequence[Record], *, views: Sequence[View], seed: int, min_words: int,
                        skipped: Sequence[Skipped] = (), size: int = 0, keep_texts: bool = False,
                        spool: str | None = None) -> Fingerprints:
    """Fingerprint records already read (what :func:`fingerprint_task` does once it has read its
    pieces; other runners, such as the Spark engine, call it on records they read themselves)."""
    texts = [record.text for record in records]
    words = hash_texts(texts)
    counts = np.diff(words.text_starts, append=len(words))
    short = counts < min_words
    segments = segment_key_sets(words)
    bounds = words.text_starts.tolist() + [len(words)]
    return Fingerprints(
        documents=[Document(r.id, r.path, len(r.text), int(n), bool(s)) for r, n, s in zip(records, counts, short)],
        locations=[replace(r.location, checksum=checksum(r.text)) for r in records],
        sketches=tuple(view_sketches(texts, words, counts, view=view, seed=seed, min_words=min_words) for view in views),
        exact_keys=[hashlib.blake2b(words.hashes[bounds[k] : bounds[k + 1]].tobytes(), digest_size=16).digest()
                    if counts[k] else _NO_WORDS for k in range(len(records))],
        segment_keys=segments[0],
        segment_counts=np.diff(segments[1], append=len(segments[0])),
        skipped=list(skipped),
        size=size,
        texts=texts if keep_texts else [],
        spooled=keep_words(words, spool) if spool is not None and len(records) else "",
    )


_NO_WORDS = bytes(16)


def plan_tasks(units: Iterable[Unit]) -> Iterator[list[Unit]]:
    """The pieces of input grouped into tasks of at most :data:`TASK_UNITS` pieces and about
    :data:`TASK_BYTES` bytes, in order."""
    task: list[Unit] = []
    size = 0
    for unit in units:
        task.append(unit)
        size += unit.size
        if len(task) >= TASK_UNITS or size >= TASK_BYTES:
            yield task
            task, size = [], 0
    if task:
        yield task


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
    permutation at a time, one row held aside)."""
    placed = np.zeros(len(order), dtype=np.bool_)
    held = np.empty(rows.shape[1], dtype=rows.dtype)
    for start in range(len(order)):
        if placed[start]:
            continue
        held[:] = rows[start]
        k = start
        while order[k] != start:
            rows[k] = rows[order[k]]
            placed[k] = True
            k = order[k]
        rows[k] = held
        placed[k] = True


def _where(document: Document, location: Location) -> str:
    return f"{document.path}:{location.line}" if location.line else document.path

