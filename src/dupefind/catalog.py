"""The first pass: read every document once and keep only what later passes need.

Per document that is an id, where to re-read the text, its size, a MinHash signature (or,
for a short text, a hash of its words) and the hashes of its segments for boilerplate
counting. The texts themselves are dropped as soon as they are fingerprinted.
"""

from __future__ import annotations

import hashlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from functools import partial

from .boilerplate import Commons, Keys, find_commons, segment_keys
from .config import Scheme
from .fingerprint import Signature, signatures
from .models import Document, Location, Skipped
from .shingles import shingle_ids
from .sources import Record
from .text import tokenize


#: Records per batch handed to a worker process.
BATCH = 256


@dataclass(frozen=True, slots=True)
class Catalog:
    """Everything the first pass keeps, in the order of the documents' ids."""

    documents: tuple[Document, ...]
    """The documents, sorted by id."""
    locations: tuple[Location, ...]
    """Where each document's text is re-read."""
    signatures: tuple[Signature | None, ...]
    """Each document's MinHash signature; ``None`` for a short text."""
    exact_keys: tuple[bytes, ...]
    """A hash of each document's normalised words (pairs identical short texts)."""
    commons: Commons
    """Segments common enough to be boilerplate."""
    skipped: tuple[Skipped, ...]
    """Inputs that were not scanned, sorted by path."""


@dataclass(frozen=True, slots=True)
class _Entry:
    document: Document
    location: Location
    signature: Signature | None
    exact_key: bytes
    segments: Keys


def build_catalog(records: Iterable[Record | Skipped], *, scheme: Scheme, ngram: int, num_perm: int,
                  seed: int, min_words: int, boilerplate_min_docs: int, jobs: int = 1,
                  progress: Callable[[int], None] | None = None) -> Catalog:
    """Fingerprint every record (in ``jobs`` processes); set aside skipped inputs and repeated ids.

    ``progress`` is called with the number of documents fingerprinted so far, batch by batch.
    The result does not depend on ``jobs`` or on the order of the records.
    """
    entries: dict[str, _Entry] = {}
    skipped: list[Skipped] = []
    fingerprint = partial(fingerprint_batch, scheme=scheme, ngram=ngram, num_perm=num_perm, seed=seed,
                          min_words=min_words)
    for batch in _mapped(fingerprint, _batches(records, skipped), jobs=jobs):
        entries.update((entry.document.id, entry) for entry in batch)
        if progress is not None:
            progress(len(entries))
    ordered = [entries[key] for key in sorted(entries)]
    return Catalog(
        documents=tuple(e.document for e in ordered),
        locations=tuple(e.location for e in ordered),
        signatures=tuple(e.signature for e in ordered),
        exact_keys=tuple(e.exact_key for e in ordered),
        commons=find_commons((e.segments for e in ordered), min_docs=boilerplate_min_docs),
        skipped=tuple(sorted(skipped, key=lambda s: (s.path, s.reason))),
    )


def fingerprint_batch(batch: Sequence[Record], *, scheme: Scheme, ngram: int, num_perm: int, seed: int,
                      min_words: int) -> list[_Entry]:
    """What the first pass keeps of each record of a batch (a plain function: any worker can run it)."""
    return [_fingerprint(r, scheme=scheme, ngram=ngram, num_perm=num_perm, seed=seed, min_words=min_words)
            for r in batch]


def _batches(records: Iterable[Record | Skipped], skipped: list[Skipped]) -> Iterator[list[Record]]:
    """Records in batches, inputs that were skipped or repeat an id appended to ``skipped``."""
    first_path: dict[str, str] = {}
    batch: list[Record] = []
    for record in records:
        if isinstance(record, Skipped):
            skipped.append(record)
        elif record.id in first_path:
            where = first_path[record.id]
            skipped.append(Skipped(_where(record), f"duplicate id {record.id!r} (first read from {where})"))
        else:
            first_path[record.id] = record.path
            batch.append(record)
            if len(batch) == BATCH:
                yield batch
                batch = []
    if batch:
        yield batch


def _mapped(func: Callable[[list[Record]], list[_Entry]], batches: Iterator[list[Record]], *,
            jobs: int) -> Iterator[list[_Entry]]:
    """``func`` over the batches in order, in ``jobs`` processes, with at most two batches per
    process in flight (so memory holds a few batches of texts, never the whole input)."""
    first = next(batches, None)
    second = next(batches, None) if first is not None else None
    if jobs <= 1 or first is None or second is None:  # one batch is not worth starting processes for
        for batch in (first, second):
            if batch is not None:
                yield func(batch)
        yield from map(func, batches)
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        pending: deque[Future[list[_Entry]]] = deque([pool.submit(func, first), pool.submit(func, second)])
        for batch in batches:
            pending.append(pool.submit(func, batch))
            if len(pending) >= 2 * jobs:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def _fingerprint(record: Record, *, scheme: Scheme, ngram: int, num_perm: int, seed: int,
                 min_words: int) -> _Entry:
    tokens = tokenize(record.text)
    short = len(tokens) < min_words
    document = Document(record.id, record.path, len(record.text), len(tokens), short)
    signature = None if short else signatures(
        [shingle_ids(tokens.words, scheme=scheme, ngram=ngram)], num_perm=num_perm, seed=seed)[0]
    exact = hashlib.blake2b("\x1f".join(tokens.words).encode("utf-8"), digest_size=16).digest()
    return _Entry(document, record.location, signature, exact, segment_keys(record.text, tokens))


def _where(record: Record) -> str:
    line = record.location.line
    return f"{record.path}:{line}" if line else record.path
