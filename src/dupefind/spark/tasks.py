"""The work of each ``mapPartitions`` call: the existing stage functions applied to an iterator
of rows (no Spark here, so these run and are tested without a cluster).

- :func:`fingerprint_rows`: records -> one row per document (sizes, signatures of each view,
  their LSH band keys, segment keys for boilerplate counting), by
  :func:`dupefind.catalog.fingerprint_records` and :func:`dupefind.candidates.band_keys`;
- :func:`resketch_rows`: records, once the common segments are known -> the rows of those that
  hold one, sketched again without boilerplate in the views that ask for it, by
  :func:`dupefind.resketch.holding` and :func:`dupefind.resketch.clean_sketches`;
- :func:`check_rows`: candidate pairs with both texts (read again) -> the copies, packed, and
  the documents changed since the first read, by :func:`dupefind.pipeline.check_pairs`.

The candidate stage's work is in :mod:`.buckets`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Sequence
from functools import partial
from typing import Any

import numpy as np

from ..boilerplate import Commons, common_keys, segment_key_sets
from ..candidates import BandKeys, Sketches, band_keys
from ..catalog import TASK_BYTES, TASK_UNITS, fingerprint_records
from ..config import Config
from ..models import Location
from ..pipeline import PairTask, check_pairs
from ..resketch import clean_sketches, holding
from ..sketching import checksum
from ..sources import Record
from ..text import hash_texts
from ..verify import least_words_paired, unpaired
from ..views import View, candidate_views

#: A record as the engine reads it: id, path, text, order among records with the same id (the
#: first is kept), line in a JSONL file (0 otherwise).
RecordRow = tuple[str, str, str, int, int]
#: A signature row as the engine keeps it: ``(view, row, signature, size, bands)`` (``row``: its
#: place among the document's rows in that view; ``bands``: its LSH band keys, signed).
SketchRow = tuple[int, int, bytes, int, list[int], bool]
#: Documents prepared for verification kept per partition (the pairs of a partition are
#: sorted by their first id, so a document's pairs mostly follow one another).
PREPARED_CACHE = 64


def scan_views(config: Config) -> tuple[View, ...]:
    """The candidate views of a scan with ``config`` (the local engine's)."""
    return candidate_views(scheme=config.scheme, ngram=config.shingle_size, num_perm=config.num_perm,
                           lsh_threshold=config.lsh_threshold, threshold=config.threshold)


def fingerprint_rows(rows: Iterable[RecordRow], *, config: Config) -> Iterator[tuple[Any, ...]]:
    """One row per record: ``(id, path, order, line, chars, words, short, sketches, exact_key,
    segments, checksum)`` (``checksum``: of the text as read, as the local engine keeps it),
    ``sketches`` a list of :data:`SketchRow`: each signature row of each view (one per text, or
    per window) with its LSH band keys (none for a short text or an empty set). Keys are signed
    64-bit (Spark's ``long``)."""
    views = scan_views(config)
    for batch in _batches(rows):
        yield from _fingerprint_batch(batch, views, config)


def _batches(rows: Iterable[RecordRow]) -> Iterator[list[RecordRow]]:
    """The records in batches of at most :data:`~dupefind.catalog.TASK_UNITS` records and about
    :data:`~dupefind.catalog.TASK_BYTES` bytes of text (the local engine's tasks)."""
    batch: list[RecordRow] = []
    size = 0
    for row in rows:
        batch.append(row)
        size += len(row[2])
        if len(batch) >= TASK_UNITS or size >= TASK_BYTES:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def _fingerprint_batch(batch: Sequence[RecordRow], views: tuple[View, ...], config: Config
                       ) -> Iterator[tuple[Any, ...]]:
    records = [Record(i, path, text, Location(path, "text", line=line)) for i, path, text, _, line in batch]
    found = fingerprint_records(records, views=views, seed=config.seed, min_words=config.min_words)
    usable = np.array([not unpaired(d) for d in found.documents], dtype=bool)
    sketches = _sketch_rows(found.sketches, band_keys(found.sketches, views=views, usable=usable), len(records))
    segments = found.segment_keys.view(np.int64)
    ends = np.cumsum(found.segment_counts)
    for k, (doc, record) in enumerate(zip(found.documents, batch)):
        yield (doc.id, doc.path, record[3], record[4], doc.chars, doc.words, doc.short, sketches[k], found.exact_keys[k],
               segments[ends[k] - found.segment_counts[k] : ends[k]].tolist(), found.locations[k].checksum)


def resketch_rows(rows: Iterable[RecordRow], *, views: Sequence[View], config: Config, commons: Commons
                  ) -> Iterator[tuple[Any, ...]]:
    """The records that hold a segment of ``commons`` (:func:`dupefind.resketch.holding`),
    sketched again without boilerplate (:func:`dupefind.resketch.clean_sketches`): one row
    ``(id, path, order, line, checksum, sketches)`` for each, ``sketches`` its rows (as
    :func:`fingerprint_rows` gives them) in the views that set boilerplate aside, to stand for
    its rows there. Records holding no common segment give nothing: their first rows stand.

    The records are read again here, and which hold a common segment is told from the text so
    read; ``checksum`` (of that text) lets the caller take the rows only for a document whose
    text is the one first read, as the local engine does (the others keep their first rows,
    and verification finds them changed)."""
    for batch in _batches(rows):
        yield from _resketch_batch(batch, views, config, commons)


def _resketch_batch(batch: Sequence[RecordRow], views: Sequence[View], config: Config, commons: Commons
                    ) -> Iterator[tuple[Any, ...]]:
    texts = [row[2] for row in batch]
    words = hash_texts(texts)
    keys, starts = segment_key_sets(words)
    chosen = np.flatnonzero(holding(keys, np.diff(starts, append=len(keys)), commons))
    if not len(chosen):
        return
    clean = clean_sketches([texts[k] for k in chosen.tolist()], views=views, seed=config.seed,
                           min_words=config.min_words, commons=commons)
    usable = np.diff(words.text_starts, append=len(words))[chosen] >= least_words_paired(config.min_words)
    sketches = _sketch_rows(clean, band_keys(clean, views=views, usable=usable), len(chosen))
    for k, index in enumerate(chosen.tolist()):
        doc_id, path, text, order, line = batch[index]
        yield doc_id, path, order, line, checksum(text), sketches[k]


def _sketch_rows(sketches: Sequence[Sketches], keys: BandKeys, documents: int) -> list[list[SketchRow]]:
    """Each document's signature rows (of ``documents``, owners of the rows of ``sketches``),
    with their band keys ``keys``."""
    bands = _keys_by_row(keys)
    found: list[list[SketchRow]] = [[] for _ in range(documents)]
    for number, sketch in enumerate(sketches):
        firsts = np.searchsorted(sketch.owners, np.arange(documents))
        held = sketch.flags()
        for row, owner in enumerate(sketch.owners.tolist()):
            found[owner].append((number, row - int(firsts[owner]), sketch.signatures[row].tobytes(),
                                 int(sketch.sizes[row]), bands.get((number, row), []), bool(held[row])))
    return found


def _keys_by_row(keys: BandKeys) -> dict[tuple[int, int], list[int]]:
    """The band keys of each ``(view, row)``, in band order (:func:`band_keys` gives them so: a
    row's keys one after another)."""
    found: dict[tuple[int, int], list[int]] = {}
    if not len(keys):
        return found
    signed = keys.keys.view(np.int64)
    starts = np.flatnonzero(np.concatenate(([True], (keys.rows[1:] != keys.rows[:-1])
                                            | (keys.views[1:] != keys.views[:-1]))))
    for view, row, values in zip(keys.views[starts].tolist(), keys.rows[starts].tolist(),
                                 np.split(signed, starts[1:])):
        found[(view, row)] = values.tolist()
    return found


def text_order(text: str) -> int:
    """The order of a record that has no place in an input (a DataFrame row) among records with
    the same id: from its text, so that the choice does not depend on partitioning."""
    digest = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


CheckRow = tuple[str, "str | None", int, "list[int] | None", "list[int] | None",
                 str, "str | None", int, "list[int] | None", "list[int] | None"]
"""``(a, text_a, checksum_a, common_keys_a, widespread_keys_a, b, text_b, ...)``: a candidate
pair with both texts as read again (``None``: gone), the checksums of the texts as first read
and, for each, the keys of its segments that are boilerplate and of those that are widespread
(``None``: none)."""
#: Candidate pairs checked per :func:`dupefind.pipeline.check_pairs` call (the pairs of a
#: partition are sorted by their first id, so a task's documents are mostly shared).
TASK_PAIRS = 512


def check_rows(rows: Iterable[CheckRow], *, config: Config) -> Iterator[tuple[Any, ...]]:
    """The copies among the candidate pairs, by :func:`dupefind.pipeline.check_pairs` a task of
    pairs at a time: ``(a, b, similarity, containment, data, False)`` for each copy, packed,
    and ``(id, None, None, None, None, True)`` for each document whose text read again is not
    the one first read (checked as the local engine checks a file read again: its length and
    CRC-32); its pairs are dropped.

    Each task's boilerplate is the segments its documents contain (the rest of the
    collection's common segments cannot touch them), so the verdicts are the ones
    :func:`~dupefind.pipeline.check_pairs` gives with the whole set."""
    task: list[CheckRow] = []
    for row in rows:
        task.append(row)
        if len(task) >= TASK_PAIRS:
            yield from _check_task(task, config)
            task = []
    if task:
        yield from _check_task(task, config)


def _check_task(rows: list[CheckRow], config: Config) -> Iterator[tuple[Any, ...]]:
    documents: dict[str, tuple[str | None, int, list[int] | None, list[int] | None]] = {}
    for a, text_a, sum_a, keys_a, wide_a, b, text_b, sum_b, keys_b, wide_b in rows:
        documents[a] = (text_a, sum_a, keys_a, wide_a)
        documents[b] = (text_b, sum_b, keys_b, wide_b)
    ids = sorted(documents)  # the catalog's order: by id, so each pair is checked smaller id first
    index = {doc_id: k for k, doc_id in enumerate(ids)}
    # A text is looked up by where it was "read": one place per document of the task.
    where = {k: Location(doc_id, "text", checksum=documents[doc_id][1]) for k, doc_id in enumerate(ids)}
    texts = {where[k]: documents[doc_id][0] for k, doc_id in enumerate(ids)}
    keys = [key for _, _, found, _ in documents.values() if found for key in found]
    wide = [key for _, _, _, found in documents.values() if found for key in found]
    task = PairTask([(index[r[0]], index[r[5]]) for r in rows], {k: (ids[k], where[k]) for k in where})
    checked = check_pairs(task, commons=_commons(keys, wide), config=config, load=partial(_loaded, texts))
    for pair in checked.pairs:
        yield pair.a, pair.b, pair.similarity, pair.containment, pair.data, False
    for k in checked.changed:
        yield ids[k], None, None, None, None, True


def _loaded(texts: dict[Location, str | None], location: Location) -> str:
    text = texts[location]
    if text is None:
        raise KeyError(location.path)  # the record is gone: check_pairs takes it for a changed document
    return text


def _commons(keys: list[int], wide: list[int]) -> Commons:
    if not keys:
        return Commons()
    return common_keys(np.array(keys, dtype=np.int64).view(np.uint64), np.array(wide, dtype=np.int64).view(np.uint64))
