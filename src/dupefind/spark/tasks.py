"""The work of each ``mapPartitions`` call: the existing stage functions applied to an iterator
of rows (no Spark here, so these run and are tested without a cluster).

- :func:`fingerprint_rows`: records -> one row per document (sizes, signature, LSH band keys,
  segment keys for boilerplate counting), by :func:`dupefind.catalog.fingerprint_records` and
  :func:`dupefind.candidates.band_keys`;
- :func:`prefilter_rows`: colliding pairs with both signatures -> the pairs that pass
  :func:`dupefind.candidates.prefilter`;
- :func:`verify_rows`: candidate pairs with both texts -> the copies, packed, by
  :func:`dupefind.pipeline.prepare_document` and :func:`dupefind.pipeline.judge_pair`.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from ..boilerplate import Commons
from ..candidates import band_keys, has_signature, prefilter
from ..catalog import TASK_BYTES, TASK_UNITS, fingerprint_records
from ..config import Config
from ..models import Location, PackedPair
from ..pipeline import Reread, judge_pair, prepare_document
from ..sources import Record

#: A record as the engine reads it: id, path, text, order among records with the same id (the
#: first is kept), line in a JSONL file (0 otherwise).
RecordRow = tuple[str, str, str, int, int]
#: Documents prepared for verification kept per partition (the pairs of a partition are
#: sorted by their first id, so a document's pairs mostly follow one another).
PREPARED_CACHE = 64


def fingerprint_rows(rows: Iterable[RecordRow], *, config: Config) -> Iterator[tuple[Any, ...]]:
    """One row per record: ``(id, path, order, line, chars, words, short, size, signature,
    exact_key, segments, bands)``. ``bands`` is empty for a document that collides with
    nothing (a short text, or no shingles); keys are signed 64-bit (Spark's ``long``)."""
    batch: list[RecordRow] = []
    size = 0
    for row in rows:
        batch.append(row)
        size += len(row[2])
        if len(batch) >= TASK_UNITS or size >= TASK_BYTES:
            yield from _fingerprint_batch(batch, config)
            batch, size = [], 0
    if batch:
        yield from _fingerprint_batch(batch, config)


def _fingerprint_batch(batch: Sequence[RecordRow], config: Config) -> Iterator[tuple[Any, ...]]:
    records = [Record(i, path, text, Location(path, "text", line=line)) for i, path, text, _, line in batch]
    found = fingerprint_records(records, scheme=config.scheme, ngram=config.shingle_size, num_perm=config.num_perm,
                                seed=config.seed, min_words=config.min_words)
    short = np.array([d.short for d in found.documents], dtype=bool)
    usable = ~short & has_signature(found.signatures)
    keys = band_keys(found.signatures, threshold=config.lsh_threshold, num_perm=config.num_perm).view(np.int64)
    segments = found.segment_keys.view(np.int64)
    ends = np.cumsum(found.segment_counts)
    for k, (doc, row) in enumerate(zip(found.documents, batch)):
        yield (doc.id, doc.path, row[3], row[4], doc.chars, doc.words, doc.short, int(found.sizes[k]),
               found.signatures[k].tobytes(), found.exact_keys[k], segments[ends[k] - found.segment_counts[k]:
               ends[k]].tolist(), keys[k].tolist() if usable[k] else [])


def text_order(text: str) -> int:
    """The order of a record that has no place in an input (a DataFrame row) among records with
    the same id: from its text, so that the choice does not depend on partitioning."""
    digest = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def prefilter_rows(rows: Iterable[tuple[str, str, bytes, bytes, int, int]], *, num_perm: int,
                   min_containment: float, batch: int = 4096) -> Iterator[tuple[str, str]]:
    """``(a, b, signature_a, signature_b, size_a, size_b)`` -> the ``(a, b)`` that pass the
    containment pre-filter, a batch of pairs at a time."""
    chunk: list[tuple[str, str, bytes, bytes, int, int]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= batch:
            yield from _prefilter_batch(chunk, num_perm, min_containment)
            chunk = []
    if chunk:
        yield from _prefilter_batch(chunk, num_perm, min_containment)


def _prefilter_batch(chunk: list[tuple[str, str, bytes, bytes, int, int]], num_perm: int,
                     min_containment: float) -> Iterator[tuple[str, str]]:
    first = _signatures([r[2] for r in chunk], num_perm)
    second = _signatures([r[3] for r in chunk], num_perm)
    sizes = np.array([(r[4], r[5]) for r in chunk], dtype=np.uint32).reshape(-1, 2)
    keep = prefilter(first, second, sizes[:, 0], sizes[:, 1], num_perm=num_perm, min_containment=min_containment)
    for row, kept in zip(chunk, keep.tolist()):
        if kept:
            yield row[0], row[1]


def _signatures(blobs: list[bytes], num_perm: int) -> npt.NDArray[np.uint32]:
    return np.frombuffer(b"".join(blobs), dtype=np.uint32).reshape(-1, num_perm)


VerifyRow = tuple[str, str, "list[int] | None", str, str, "list[int] | None"]
"""``(a, text_a, common_keys_a, b, text_b, common_keys_b)``: a candidate pair with both texts
and, for each, the keys of its segments that are boilerplate (``None``: none)."""


def verify_rows(rows: Iterable[VerifyRow], *, config: Config) -> Iterator[tuple[str, str, float, float, bytes]]:
    """The copies among the candidate pairs, packed: ``(a, b, similarity, containment, data)``.

    Each document is prepared with the boilerplate segments *it* contains (the rest of the
    collection's common segments cannot touch it), so the verdicts are the ones
    :func:`dupefind.pipeline.check_pairs` gives with the whole set."""
    cache: OrderedDict[str, Reread] = OrderedDict()

    def prepared(doc_id: str, text: str, keys: list[int] | None) -> Reread:
        if doc_id in cache:
            cache.move_to_end(doc_id)
            return cache[doc_id]
        found = cache[doc_id] = prepare_document(doc_id, text, commons=_commons(keys), config=config)
        if len(cache) > PREPARED_CACHE:
            cache.popitem(last=False)
        return found

    for a, text_a, keys_a, b, text_b, keys_b in rows:
        pair = judge_pair(prepared(a, text_a, keys_a), prepared(b, text_b, keys_b), config=config)
        if pair.duplicate:
            packed = PackedPair.of(pair)
            yield packed.a, packed.b, packed.similarity, packed.containment, packed.data


def _commons(keys: list[int] | None) -> Commons:
    if not keys:
        return Commons()
    return Commons(np.unique(np.array(keys, dtype=np.int64).view(np.uint64)))
