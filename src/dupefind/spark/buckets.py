"""The candidate stage's work inside Spark's ``mapPartitions`` calls: the local engine's own
functions applied to a whole partition of rows at once (no Spark here, so these run and are
tested without a cluster).

:func:`candidate_partition`: band rows with their signature rows, hash-partitioned by ``(view, band, key)`` so that every bucket is whole in one partition -> the
pairs of documents with signature rows that share a bucket (by
:func:`dupefind.candidates.colliding_rows`: its rule of at most two rows per document and key,
and each view's ``max_bucket``, apply as in the local engine) and pass the pre-filter (by
:func:`dupefind.candidates.filter_candidates`). Buckets of more documents than the engine's own
cap are left out first and reported.

The rows of a partition are numbered locally (documents in id order, a document's rows in
their order), so that the functions see the numbering they see in the local engine. Colliding
rows are pre-filtered where they are found: they are never shuffled (on news-like text the
content view's one-row bands make millions of them for a few thousand candidates).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from ..candidates import BandKeys, Sketches, bucket_candidates, held_flags
from ..views import View

#: A band row, with its signature row: ``(view, band, key, id, row,
#: signature, size, held)``.
BandRow = tuple[int, int, int, str, int, bytes, int, bool]
#: Columns of what a partition gives: candidate pairs of documents ``a < b``; a row with null
#: ``a`` and ``b`` is a bucket left out by the engine's cap, of ``members`` documents.
FOUND = "a string, b string, members long, pairs long"


def candidate_partition(rows: Iterable[BandRow], *, views: Sequence[View], bucket_cap: int
                        ) -> Iterator[tuple[Any, ...]]:
    """The candidate pairs of one partition of band rows (every bucket whole in it): the
    colliding rows by :func:`dupefind.candidates.colliding_rows`, pre-filtered by
    :func:`dupefind.candidates.filter_candidates` (the two fused per bucket, as the local engine
    runs them: :func:`dupefind.candidates.bucket_candidates`), each view on its own; and a row for each
    bucket of more than ``bucket_cap`` documents (0: no cap), left out first. A pair may come
    from several partitions (it collides in several bands): the caller keeps one of each."""
    found_rows = list(rows)
    if not found_rows:
        return
    columns = list(zip(*found_rows))
    names, doc = _numbered(columns[3])
    view = np.array(columns[0], dtype=np.uint8)
    band = np.array(columns[1], dtype=np.uint16)
    key = np.array(columns[2], dtype=np.int64).view(np.uint64)
    row = np.array(columns[4], dtype=np.int64)
    blobs, sizes, held = columns[5], np.array(columns[6], dtype=np.uint32), np.array(columns[7], dtype=bool)
    del found_rows, columns
    kept = np.ones(len(doc), dtype=bool)
    if bucket_cap:
        kept, capped = _under_cap(view, band, key, doc, bucket_cap)
        for members in capped.tolist():
            yield None, None, members, members * (members - 1) // 2
    pairs: set[tuple[int, int]] = set()
    for number in np.unique(view[kept]).tolist():
        mine = np.flatnonzero(kept & (view == number))
        width = np.int64(int(row[mine].max()) + 1)
        # The view's rows numbered as the local engine numbers them: by document (in id order),
        # then in their order in the document.
        codes, first, dense = np.unique(doc[mine] * width + row[mine], return_index=True, return_inverse=True)
        dense = dense.reshape(-1).astype(np.intp)
        keys = BandKeys(view[mine], dense, doc[mine].astype(np.intp), band[mine], key[mine])
        signatures = np.frombuffer(b"".join(blobs[k] for k in mine[first].tolist()), dtype=views[number].dtype)
        sketch = Sketches((codes // width).astype(np.intp), signatures.reshape(len(codes), -1), sizes[mine[first]],
                          held_flags(held[mine[first]]))
        sketches = [sketch if k == number else Sketches.empty(v.num_perm, v.dtype) for k, v in enumerate(views)]
        pairs.update(bucket_candidates(keys, sketches, views=views))
    for a, b in sorted(pairs):
        yield names[a], names[b], None, None


def _numbered(ids: Sequence[str]) -> tuple[list[str], npt.NDArray[np.int64]]:
    """The distinct ids, sorted, and each id's number among them."""
    first: dict[str, int] = {}
    seen = np.fromiter((first.setdefault(i, len(first)) for i in ids), dtype=np.int64, count=len(ids))
    names = sorted(first)
    rank = np.empty(len(names), dtype=np.int64)
    rank[[first[n] for n in names]] = np.arange(len(names), dtype=np.int64)
    return names, rank[seen]


def _under_cap(view: npt.NDArray[np.uint8], band: npt.NDArray[np.uint16], key: npt.NDArray[np.uint64],
               doc: npt.NDArray[np.int64], cap: int) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.int64]]:
    """Which band rows lie in buckets of at most ``cap`` documents, and the number of documents
    of each bucket that holds more."""
    order = np.lexsort((doc, key, band, view))
    v, b, k, d = view[order], band[order], key[order], doc[order]
    bucket = np.ones(len(order), dtype=bool)
    bucket[1:] = (v[1:] != v[:-1]) | (b[1:] != b[:-1]) | (k[1:] != k[:-1])
    new_doc = bucket.copy()
    new_doc[1:] |= d[1:] != d[:-1]
    number = np.cumsum(bucket) - 1
    documents = np.bincount(number, weights=new_doc).astype(np.int64)
    kept = np.empty(len(order), dtype=bool)
    kept[order] = documents[number] <= cap
    return kept, documents[documents > cap]
