"""The first pass: read every document once and keep only what later passes need.

Per document that is an id, where to re-read the text, its size, a MinHash signature (or,
for a short text, a hash of its words) and the hashes of its segments for boilerplate
counting. The texts themselves are dropped as soon as they are fingerprinted.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from .boilerplate import Commons, Keys, find_commons, segment_keys
from .config import Scheme
from .fingerprint import Signature, signatures
from .models import Document, Location, Skipped
from .shingles import shingle_ids
from .sources import Record
from .text import tokenize


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
                  seed: int, min_words: int, boilerplate_min_docs: int) -> Catalog:
    """Fingerprint every record; set aside skipped inputs and repeated ids."""
    entries: dict[str, _Entry] = {}
    skipped: list[Skipped] = []
    for record in records:
        if isinstance(record, Skipped):
            skipped.append(record)
        elif record.id in entries:
            first = entries[record.id].document.path
            skipped.append(Skipped(_where(record), f"duplicate id {record.id!r} (first read from {first})"))
        else:
            entries[record.id] = _fingerprint(record, scheme=scheme, ngram=ngram, num_perm=num_perm,
                                              seed=seed, min_words=min_words)
    ordered = [entries[key] for key in sorted(entries)]
    return Catalog(
        documents=tuple(e.document for e in ordered),
        locations=tuple(e.location for e in ordered),
        signatures=tuple(e.signature for e in ordered),
        exact_keys=tuple(e.exact_key for e in ordered),
        commons=find_commons((e.segments for e in ordered), min_docs=boilerplate_min_docs),
        skipped=tuple(sorted(skipped, key=lambda s: (s.path, s.reason))),
    )


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
