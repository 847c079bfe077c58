"""The work of each ``mapPartitions`` call: the existing stage functions applied to an iterator
of rows (no Spark here, so these run and are tested without a cluster).

- :func:`fingerprint_rows`: records -> one row per document (sizes, signatures of each view,
  their LSH band keys, segment keys for boilerplate counting), by
  :func:`dupefind.catalog.fingerprint_records` and :func:`dupefind.candidates.band_keys`;
- :func:`prefilter_rows`: colliding rows with both signatures -> those that pass the
  pre-filter (:func:`dupefind.candidates.estimated_containment` against the view's
  ``min_containment``, as :func:`dupefind.candidates.filter_candidates` applies it);
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
from ..candidates import BandKeys, band_keys, estimated_containment
from ..catalog import TASK_BYTES, TASK_UNITS, fingerprint_records
from ..config import Config
from ..models import Location, PackedPair
from ..pipeline import Reread, judge_pair, prepare_document
from ..sources import Record
from ..views import View, candidate_views

#: A record as the engine reads it: id, path, text, order among records with the same id (the
#: first is kept), line in a JSONL file (0 otherwise).
RecordRow = tuple[str, str, str, int, int]
#: Documents prepared for verification kept per partition (the pairs of a partition are
#: sorted by their first id, so a document's pairs mostly follow one another).
PREPARED_CACHE = 64


def scan_views(config: Config) -> tuple[View, ...]:
    """The candidate views of a scan with ``config`` (the local engine's)."""
    return candidate_views(scheme=config.scheme, ngram=config.shingle_size, num_perm=config.num_perm,
                           lsh_threshold=config.lsh_threshold, threshold=config.threshold)


def fingerprint_rows(rows: Iterable[RecordRow], *, config: Config) -> Iterator[tuple[Any, ...]]:
    """One row per record: ``(id, path, order, line, chars, words, short, sketches, exact_key,
    segments)``, ``sketches`` a list of ``(view, row, signature, size, bands)``: each signature
    row of each view (one per text, or per window) with its LSH band keys (none for a short
    text or an empty set). Keys are signed 64-bit (Spark's ``long``)."""
    batch: list[RecordRow] = []
    size = 0
    views = scan_views(config)
    for row in rows:
        batch.append(row)
        size += len(row[2])
        if len(batch) >= TASK_UNITS or size >= TASK_BYTES:
            yield from _fingerprint_batch(batch, views, config)
            batch, size = [], 0
    if batch:
        yield from _fingerprint_batch(batch, views, config)


def _fingerprint_batch(batch: Sequence[RecordRow], views: tuple[View, ...], config: Config
                       ) -> Iterator[tuple[Any, ...]]:
    records = [Record(i, path, text, Location(path, "text", line=line)) for i, path, text, _, line in batch]
    found = fingerprint_records(records, views=views, seed=config.seed, min_words=config.min_words)
    usable = np.array([not d.short for d in found.documents], dtype=bool)
    keys = band_keys(found.sketches, views=views, usable=usable)
    bands = _keys_by_row(keys)
    sketches: list[list[tuple[int, int, bytes, int, list[int]]]] = [[] for _ in records]
    for number, sketch in enumerate(found.sketches):
        firsts = np.searchsorted(sketch.owners, np.arange(len(records)))
        for row, owner in enumerate(sketch.owners.tolist()):
            sketches[owner].append((number, row - int(firsts[owner]), sketch.signatures[row].tobytes(),
                                    int(sketch.sizes[row]), bands.get((number, row), [])))
    segments = found.segment_keys.view(np.int64)
    ends = np.cumsum(found.segment_counts)
    for k, (doc, record) in enumerate(zip(found.documents, batch)):
        yield (doc.id, doc.path, record[3], record[4], doc.chars, doc.words, doc.short, sketches[k], found.exact_keys[k],
               segments[ends[k] - found.segment_counts[k] : ends[k]].tolist())


def _keys_by_row(keys: BandKeys) -> dict[tuple[int, int], list[int]]:
    """The band keys of each ``(view, row)``, in band order (:func:`band_keys` gives them so)."""
    found: dict[tuple[int, int], list[int]] = {}
    signed = keys.keys.view(np.int64).tolist()
    for view, row, key in zip(keys.views.tolist(), keys.rows.tolist(), signed):
        found.setdefault((view, row), []).append(key)
    return found


def text_order(text: str) -> int:
    """The order of a record that has no place in an input (a DataFrame row) among records with
    the same id: from its text, so that the choice does not depend on partitioning."""
    digest = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


#: ``(view, id_a, row_a, id_b, row_b, signature_a, signature_b, size_a, size_b)``: two colliding rows.
Colliding = tuple[int, str, int, str, int, bytes, bytes, int, int]


def prefilter_rows(rows: Iterable[Colliding], *, config: Config, batch: int = 4096
                   ) -> Iterator[tuple[int, str, int, str, int]]:
    """The colliding rows whose containment estimated from their signatures reaches their
    view's ``min_containment`` (:func:`dupefind.candidates.estimated_containment`), a batch of
    pairs at a time: ``(view, id_a, row_a, id_b, row_b)``."""
    views = scan_views(config)
    chunk: list[Colliding] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= batch:
            yield from _prefilter_batch(chunk, views)
            chunk = []
    if chunk:
        yield from _prefilter_batch(chunk, views)


def _prefilter_batch(chunk: list[Colliding], views: tuple[View, ...]) -> Iterator[tuple[int, str, int, str, int]]:
    for number, view in enumerate(views):
        mine = [r for r in chunk if r[0] == number]
        if not mine:
            continue
        first = _signatures([r[5] for r in mine], view.num_perm)
        second = _signatures([r[6] for r in mine], view.num_perm)
        sizes = np.array([(r[7], r[8]) for r in mine], dtype=np.uint32).reshape(-1, 2)
        keep = estimated_containment(first, second, sizes[:, 0], sizes[:, 1]) >= view.min_containment
        for row, kept in zip(mine, keep.tolist()):
            if kept:
                yield row[:5]


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
