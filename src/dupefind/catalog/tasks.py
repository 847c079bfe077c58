"""The first pass's tasks: the pieces of input grouped into tasks, and a task read and
fingerprinted in every view by :func:`fingerprint_task` (a plain function that any worker
process runs), into what the first pass keeps of its records (:class:`Fingerprints`)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import numpy.typing as npt

from ..boilerplate import Keys, segment_key_sets
from ..candidates import Sketches
from ..models import Document, Location, Skipped
from ..sketching import checksum, view_sketches
from ..sources import Record, Unit, read_unit
from ..spool import keep_words
from ..text import hash_texts
from ..views import View

#: A task holds at most this many pieces of input, and about this many bytes of text.
TASK_UNITS = 256
TASK_BYTES = 1 << 20


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
