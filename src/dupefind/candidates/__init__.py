"""Signatures to candidate pairs by LSH banding, for whole matrices of signatures at once.

Three stages, each a plain batch function of its inputs (no global state), so that an index
or a Spark job can run them apart and get the pairs a scan gets:

1. :func:`band_keys`: each signature row of each view (:mod:`dupefind.views`) -> its LSH
   band keys, rows ``(view, row, document, band, key)``.
2. :func:`colliding_rows`: keys -> pairs of rows of one view, of two documents, that share a
   key in a band (:func:`union` merges the results of several batches of keys).
3. :func:`filter_candidates`: colliding rows -> document pairs whose containment estimated
   from the two signatures reaches the view's ``min_containment``.

:func:`candidate_pairs` is the three in order, the last two fused per bucket by
:func:`bucket_candidates` (each pair of rows weighed in compiled code as it is met instead of
held; tested equal to the two stages); in a scan all three are fused by
:func:`signature_candidates`, whose buckets are made straight from the signatures, the keys
never held (tested equal).

The banding (how many bands of how many rows) is the one datasketch's ``MinHashLSH`` picks for
the threshold, weighting missed pairs above false ones since a false candidate only costs a
verification. The buckets are found by sorting each band's keys with numpy instead of one
Python dictionary insert and query per document. LSH is approximate by design (datasketch's
own ``MinHashLSH.query`` docstring says so): every candidate is re-checked exactly by
:mod:`dupefind.verify`.

Two documents that agree on one or two of the ``num_perm`` MinHash values share no more than
chance allows (a common phrase or two); with one-row bands such pairs are most of the
collisions in a large collection, and their number grows with the square of its size. So each
colliding pair is weighed on its whole signatures: the share of values they agree on estimates
their Jaccard similarity ``J``, which with the two shingle-set sizes gives the containment of
the smaller in the larger, ``J (|A| + |B|) / ((1 + J) min(|A|, |B|))``. A candidate's estimate
must reach ``min_containment`` (the pipeline asks for half the verdict's threshold, far below
what any copy it reports shows, since the estimate is noisy).
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt

from ..arrays import in_sorted, unique
from ..fingerprint import empty_value
from ..jit import kernel
from ..views import View
from .buckets import bucket_pairs, bucket_rows, row_band_keys, signature_buckets, weighed_buckets
from .sketches import BandKeys, Candidate, Collisions, SignatureRows, Sketches, held_flags

#: The weights of false positives and false negatives for datasketch's choice of bands.
WEIGHTS = (0.2, 0.8)
#: Pairs compared at once when counting agreements (bounds the memory it takes).
_CHUNK = 1 << 18
#: Most bands whose keys :func:`candidate_pairs` makes at once.
_BANDS_AT_ONCE = 4
#: Keys :func:`candidate_pairs` makes at once, about (whole bands; at least one): a key and its
#: bucketing take ~60 bytes, so a batch of 4 bands of a million documents' content windows
#: (17 million rows) would take 4 GB in each thread; 2 bands of 100k documents run faster than
#: 4 (measured in benchmarks/RESULTS.md).
_KEYS_AT_ONCE = 1 << 22


#: A collection of at most this many documents has every pair of its documents proposed, not
#: only the pairs LSH finds, ...
EXHAUSTIVE_DOCUMENTS = 200
#: ... unless its words times its documents less one (the words each pair's checks go over,
#: summed over every pair) pass this: with so few pairs, verifying them all takes a few seconds
#: (200 news articles: 3.8 s, instead of 0.8 s; 150 documents of 9,000 words would take 38 s
#: instead of 10 s, measured in benchmarks/RESULTS.md), and the scan then reports exactly what
#: ``compare`` reports of each pair, whatever chance does in the LSH bands (a class's essays, a
#: folder of drafts). Every runner decides on the whole collection.
EXHAUSTIVE_WORD_PAIRS = 30_000_000


def exhaustive(documents: int, words: int) -> bool:
    """Whether a collection of ``documents`` documents holding ``words`` words in all has every
    pair proposed."""
    return documents <= EXHAUSTIVE_DOCUMENTS and max(0, documents - 1) * words <= EXHAUSTIVE_WORD_PAIRS


def every_pair(usable: npt.NDArray[np.bool_], involving: npt.NDArray[np.bool_] | None = None) -> list[Candidate]:
    """Every pair ``(i, j)``, ``i < j``, of ``usable`` documents, sorted; only those naming a
    document flagged in ``involving`` if given."""
    chosen = np.flatnonzero(usable)
    first, second = np.triu_indices(len(chosen), k=1)
    a, b = chosen[first], chosen[second]
    if involving is not None:
        keep = involving[a] | involving[b]
        a, b = a[keep], b[keep]
    return list(zip(a.tolist(), b.tolist()))


@lru_cache(maxsize=16)
def banding(*, threshold: float, num_perm: int) -> tuple[int, int]:
    """The number of bands and rows per band for a Jaccard ``threshold`` (datasketch's choice;
    remembered: datasketch integrates the two error curves for it, ~60 ms a call)."""
    # Imported when used: datasketch loads SciPy (~0.4 s, 56 MB), which workers never need.
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm, weights=WEIGHTS)
    return int(lsh.b), int(lsh.r)


def candidate_pairs(sketches: Sequence[Sketches], *, views: Sequence[View],
                    usable: npt.NDArray[np.bool_] | None = None, threads: int = 1,
                    involving: npt.NDArray[np.bool_] | None = None,
                    crowded: npt.NDArray[np.uint64] | None = None) -> list[Candidate]:
    """Document pairs ``(i, j)``, ``i < j``, sorted and unique, that share an LSH band in any
    view and whose estimated containment in that view reaches the view's ``min_containment``
    (:func:`band_keys`, then :func:`colliding_rows`, then :func:`filter_candidates`).
    ``usable`` (one flag per document) leaves documents out. The keys are made a few bands at
    a time, which bounds the memory they take, in up to ``threads`` threads (the compiled
    passes and numpy's sorts run without the GIL); the result does not depend on them.

    ``involving`` (one flag per document), if given, keeps only the pairs naming a flagged
    document, and (when the flagged are few) only the keys a flagged document holds are
    bucketed (every holder of such a key still counts towards its bucket, so those pairs are
    the ones found without it).
    ``crowded`` (sorted :func:`key_codes`), if given, are keys known to be held by more
    documents than their view's ``max_bucket``, some of them not in ``sketches`` (an index
    knows them from its tables and leaves their holders out): they pair no one, as they would
    with every holder present."""
    most = max((view_banding(v)[0] for v in views), default=0)
    rows = keyed_rows(sketches, usable=usable)  # once, not once per batch of bands
    at_once = max(1, min(_BANDS_AT_ONCE, _KEYS_AT_ONCE // max(1, sum(len(r) for r in rows))))

    def batch(start: int) -> list[Candidate]:  # the colliding rows of a few bands, filtered at once
        if involving is None and crowded is None and not any(v.sample for v in views):
            return signature_candidates(sketches, views=views, bands=(start, start + at_once), rows=rows)
        keys = band_keys(sketches, views=views, bands=(start, start + at_once), rows=rows)
        if involving is not None or crowded is not None:
            keys = _kept_keys(keys, involving, crowded)
        return bucket_candidates(keys, sketches, views=views)

    found: set[Candidate] = set()
    starts = range(0, most, at_once)
    if threads <= 1 or len(starts) <= 1:
        for start in starts:
            found.update(batch(start))
    else:
        with ThreadPoolExecutor(min(threads, len(starts))) as pool:
            for part in pool.map(batch, starts):
                found.update(part)
    if involving is not None:
        return sorted((i, j) for i, j in found if involving[i] or involving[j])
    return sorted(found)


def key_codes(views: npt.NDArray[np.uint8], bands: npt.NDArray[np.uint16],
              keys: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    """One 64-bit code per key of a band of a view (equal codes, the same key: the buckets rest
    on the same assumption, that distinct keys do not share a mixed 64-bit value)."""
    with np.errstate(over="ignore"):
        codes: npt.NDArray[np.uint64] = keys ^ (bands.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)) ^ (
            views.astype(np.uint64) << np.uint64(56))
    return codes


def _kept_keys(keys: BandKeys, involving: npt.NDArray[np.bool_] | None,
               crowded: npt.NDArray[np.uint64] | None) -> BandKeys:
    """The keys some document flagged in ``involving`` holds (with every holder of each; all
    keys when the flagged hold more than an eighth of them), but the ``crowded`` ones."""
    codes = key_codes(keys.views, keys.bands, keys.keys)
    keep = np.ones(len(codes), dtype=bool)
    flagged = codes[involving[keys.documents]] if involving is not None else codes[:0]
    if involving is not None and len(flagged) <= len(codes) // 8:  # few: looked up by bisection
        keep &= in_sorted(codes, np.unique(flagged))  # (many: the buckets are sorted out anyway)
    if crowded is not None:
        keep &= ~in_sorted(codes, crowded)
    chosen = np.flatnonzero(keep)
    return BandKeys(keys.views[chosen], keys.rows[chosen], keys.documents[chosen], keys.bands[chosen],
                    keys.keys[chosen])


def bucket_candidates(keys: BandKeys, sketches: Sequence[Sketches], *, views: Sequence[View]) -> list[Candidate]:
    """``filter_candidates(colliding_rows(keys), sketches)`` in one compiled pass over each
    bucket of a MinHash view: the pairs of rows of a bucket are weighed as they are met, never
    held (a bucket of n rows has n (n - 1) / 2 of them; on the 100k benchmark corpus the content
    view's buckets hold ~150 million). Sampled views go through the two stages."""
    found: list[npt.NDArray[np.int64]] = []
    width = np.int64(max((int(s.owners.max()) + 1 for s in sketches if len(s)), default=1))
    sampled = np.array([v.sample > 0 for v in views], dtype=bool)
    if sampled[keys.views].any():
        chosen = np.flatnonzero(sampled[keys.views])
        part = BandKeys(keys.views[chosen], keys.rows[chosen], keys.documents[chosen], keys.bands[chosen],
                        keys.keys[chosen])
        pairs = filter_candidates(colliding_rows(part, views=views), sketches, views=views)
        found.append(np.array([a * int(width) + b for a, b in pairs], dtype=np.int64))
    for view in np.unique(keys.views).tolist():
        if views[view].sample:
            continue
        rows, _, starts, sizes = bucket_rows(keys, view, views[view])
        sketch = sketches[view]
        found.append(weighed_buckets(rows, starts, sizes, sketch.owners,
                                      sketch.signatures, sketch.sizes, sketch.flags(), views[view].min_containment,
                                      width))
    codes = unique(np.concatenate(found)) if found else np.empty(0, dtype=np.int64)
    return list(zip((codes // width).tolist(), (codes % width).tolist()))


def signature_candidates(sketches: Sequence[Sketches], *, views: Sequence[View], bands: tuple[int, int],
                         rows: Sequence[npt.NDArray[np.intp]]) -> list[Candidate]:
    """``bucket_candidates(band_keys(sketches, views=views, bands=bands, rows=rows), ...)`` for
    views of MinHash signatures (none sampled), each view's buckets made straight from its
    signatures (:func:`~dupefind.candidates.buckets.signature_buckets`): the keys are never
    held. ``rows``: :func:`keyed_rows` of the sketches (tested equal)."""
    found: list[npt.NDArray[np.int64]] = []
    width = np.int64(max((int(s.owners.max()) + 1 for s in sketches if len(s)), default=1))
    for view, sketch, chosen in zip(views, sketches, rows, strict=True):
        count, per_band = view_banding(view)
        start, stop = min(bands[0], count), min(bands[1], count)
        if len(chosen) == 0 or start >= stop:
            continue
        bucketed, _, starts, sizes = signature_buckets(sketch, chosen, (start, stop), per_band, view)
        found.append(weighed_buckets(bucketed, starts, sizes, sketch.owners, sketch.signatures, sketch.sizes,
                                     sketch.flags(), view.min_containment, width))
    codes = unique(np.concatenate(found)) if found else np.empty(0, dtype=np.int64)
    return list(zip((codes // width).tolist(), (codes % width).tolist()))


def union(collisions: Sequence[Collisions]) -> Collisions:
    """The colliding pairs of all of ``collisions``, each once, sorted."""
    if not collisions:
        return Collisions(np.empty(0, np.uint8), np.empty(0, np.intp), np.empty(0, np.intp))
    views = np.concatenate([c.views for c in collisions])
    first = np.concatenate([c.first for c in collisions])
    second = np.concatenate([c.second for c in collisions])
    order = np.lexsort((second, first, views))
    views, first, second = views[order], first[order], second[order]
    new = np.ones(len(first), dtype=bool)
    new[1:] = (views[1:] != views[:-1]) | (first[1:] != first[:-1]) | (second[1:] != second[:-1])
    return Collisions(views[new], first[new], second[new])


def keyed_rows(sketches: Sequence[Sketches], *,
               usable: npt.NDArray[np.bool_] | None = None) -> list[npt.NDArray[np.intp]]:
    """For each view, the signature rows that have band keys: those of a set that is not empty,
    of documents ``usable`` (all if not given)."""
    chosen = []
    for sketch in sketches:
        keep = (_not_empty(sketch.signatures, sketch.signatures.dtype.type(empty_value(sketch.signatures.dtype)))
                if len(sketch) else np.zeros(0, dtype=bool))
        if usable is not None:
            keep &= usable[sketch.owners]
        chosen.append(np.flatnonzero(keep))
    return chosen


@kernel(nogil=True)
def _not_empty(signatures: SignatureRows, empty: np.unsignedinteger[Any]) -> npt.NDArray[np.bool_]:  # pragma: no cover - compiled
    """Which rows are not the signature of an empty set (``(signatures != empty).any(axis=1)``
    without a temporary as large as the signatures)."""
    found = np.zeros(len(signatures), dtype=np.bool_)
    for k in range(len(signatures)):
        for value in signatures[k]:
            if value != empty:
                found[k] = True
                break
    return found


def band_keys(sketches: Sequence[Sketches], *, views: Sequence[View],
              usable: npt.NDArray[np.bool_] | None = None, bands: tuple[int, int] | None = None,
              rows: Sequence[npt.NDArray[np.intp]] | None = None) -> BandKeys:
    """The LSH band keys of every signature row of every view (rows of an empty set, and of
    documents not ``usable``, have none); only the bands ``start <= band < stop`` of each view
    when ``bands`` is given. The banding of a view is datasketch's choice for its
    ``lsh_threshold`` and ``num_perm``; a row's keys depend on its signature alone. ``rows``:
    :func:`keyed_rows` of the same sketches and ``usable``, when already known."""
    parts: list[list[npt.NDArray[Any] | None]] = []
    keyed = keyed_rows(sketches, usable=usable) if rows is None else rows
    for number, (view, sketch, chosen) in enumerate(zip(views, sketches, keyed, strict=True)):
        count, width = view_banding(view)
        start, stop = (0, count) if bands is None else (min(bands[0], count), min(bands[1], count))
        chosen_bands = np.arange(start, stop, dtype=np.uint16)
        if len(chosen) == 0 or len(chosen_bands) == 0:
            continue
        keys = row_band_keys(sketch.signatures, chosen, start, stop, width)
        parts.append([np.full(keys.size, number, dtype=np.uint8), np.repeat(chosen, len(chosen_bands)),
                      np.repeat(sketch.owners[chosen], len(chosen_bands)),
                      np.tile(chosen_bands, len(chosen)), keys.reshape(-1)])
    if not parts:
        return BandKeys(np.empty(0, np.uint8), np.empty(0, np.intp), np.empty(0, np.intp),
                        np.empty(0, np.uint16), np.empty(0, np.uint64))
    return BandKeys(*(_joined(parts, k) for k in range(5)))


def _joined(parts: list[list[npt.NDArray[Any] | None]], column: int) -> npt.NDArray[Any]:
    """Column ``column`` of the parts, one after the other; the parts' own arrays of that column
    are let go as it is made (the keys of a band of a million documents' windows: ~0.5 GB, which
    would otherwise be held twice)."""
    arrays = [part[column] for part in parts]
    for part in parts:
        part[column] = None
    found = [a for a in arrays if a is not None]
    del arrays
    return found[0] if len(found) == 1 else np.concatenate(found)


def view_banding(view: View) -> tuple[int, int]:
    """The bands and rows per band of a view (one band of one row for a sampled view)."""
    return (1, 1) if view.sample else banding(threshold=view.lsh_threshold, num_perm=view.num_perm)


def colliding_rows(keys: BandKeys, *, views: Sequence[View]) -> Collisions:
    """Every pair of signature rows of one view, of two different documents, with equal keys
    in the same band: each pair once, sorted by view, then rows. A document with more than two
    rows of one key in one band takes part with the lowest two. In a view with a
    ``max_bucket``, a key held by more documents than that pairs no one."""
    numbers, firsts, seconds = [], [], []
    width = np.int64(int(keys.rows.max()) + 1 if len(keys.rows) else 1)
    for view in np.unique(keys.views).tolist():
        pairs = unique(bucket_pairs(*bucket_rows(keys, view, views[view]), width))
        numbers.append(np.full(len(pairs), view, dtype=np.uint8))
        firsts.append((pairs // width).astype(np.intp))
        seconds.append((pairs % width).astype(np.intp))
    if not numbers:
        return Collisions(np.empty(0, np.uint8), np.empty(0, np.intp), np.empty(0, np.intp))
    return Collisions(np.concatenate(numbers), np.concatenate(firsts), np.concatenate(seconds))


def filter_candidates(collisions: Collisions, sketches: Sequence[Sketches], *,
                      views: Sequence[View]) -> list[Candidate]:
    """The document pairs ``(i, j)``, ``i < j``, sorted and unique, of the colliding rows, not
    both :attr:`~Sketches.held`, whose containment estimated from their two signatures and set
    sizes reaches their view's ``min_containment`` (the pre-filter: chance collisions on a
    common phrase or two go)."""
    found: list[npt.NDArray[np.int64]] = []
    width = np.int64(max((int(s.owners.max()) + 1 for s in sketches if len(s)), default=1))
    for number, (view, sketch) in enumerate(zip(views, sketches, strict=True)):
        mine = collisions.views == number
        first, second = collisions.first[mine], collisions.second[mine]
        if sketch.held is not None:
            either = ~(sketch.held[first] & sketch.held[second])
            first, second = first[either], second[either]
        if view.sample:  # rows are shared keys: enough of them close together, per pair of documents
            found.append(_close_keys(first, second, sketch, view, width))
            continue
        for k in range(0, len(first), _CHUNK):  # a chunk of row pairs' signatures at a time
            one, two = first[k : k + _CHUNK], second[k : k + _CHUNK]
            keep = estimated_containment(sketch.signatures[one], sketch.signatures[two],
                                         sketch.sizes[one], sketch.sizes[two]) >= view.min_containment
            a, b = sketch.owners[one[keep]], sketch.owners[two[keep]]
            found.append(np.minimum(a, b).astype(np.int64) * width + np.maximum(a, b))
    codes = unique(np.concatenate(found)) if found else np.empty(0, dtype=np.int64)
    return list(zip((codes // width).tolist(), (codes % width).tolist()))


def _close_keys(first: npt.NDArray[np.intp], second: npt.NDArray[np.intp], sketch: Sketches, view: View,
                width: np.int64) -> npt.NDArray[np.int64]:
    """The pairs of documents (codes ``i * width + j``) whose shared keys (the colliding rows of
    a sampled view; a row's size is where its shingle stands) include ``min_shared`` of them
    within ``max_gap`` shingles of each other in both texts."""
    swap = sketch.owners[first] > sketch.owners[second]
    low, high = np.where(swap, second, first), np.where(swap, first, second)
    codes = sketch.owners[low].astype(np.int64) * width + sketch.owners[high]
    place_a, place_b = sketch.sizes[low].astype(np.int64), sketch.sizes[high].astype(np.int64)
    order = np.lexsort((place_a, codes))
    codes, place_a, place_b = codes[order], place_a[order], place_b[order]
    step = max(1, view.min_shared) - 1
    if step == 0:
        return unique(codes)
    gap = view.max_gap if view.max_gap > 0 else np.iinfo(np.int64).max
    end = np.arange(step, len(codes))
    close = ((codes[end] == codes[end - step]) & (place_a[end] - place_a[end - step] <= gap)
             & (np.abs(place_b[end] - place_b[end - step]) <= gap))
    return unique(codes[end[close]])


def estimated_containment(first: SignatureRows, second: SignatureRows,
                          first_sizes: npt.NDArray[np.uint32],
                          second_sizes: npt.NDArray[np.uint32]) -> npt.NDArray[np.float64]:
    """For each pair of signatures (row ``k`` of ``first`` and of ``second``), the containment
    of the smaller set in the larger that their share of agreeing values implies."""
    if len(first) == 0:
        return np.empty(0, dtype=np.float64)
    agreeing = np.concatenate([(first[k : k + _CHUNK] == second[k : k + _CHUNK]).sum(axis=1)
                               for k in range(0, len(first), _CHUNK)])
    return _containment(agreeing / first.shape[1], first_sizes, second_sizes)


def _containment(similarity: npt.NDArray[np.float64], size_a: npt.NDArray[np.uint32],
                 size_b: npt.NDArray[np.uint32]) -> npt.NDArray[np.float64]:
    """The containment of the smaller set in the larger that a Jaccard similarity implies."""
    total = size_a.astype(np.float64) + size_b
    smaller = np.maximum(np.minimum(size_a, size_b), 1).astype(np.float64)
    estimate: npt.NDArray[np.float64] = similarity * total / ((1 + similarity) * smaller)
    return estimate




__all__ = ["EXHAUSTIVE_DOCUMENTS", "EXHAUSTIVE_WORD_PAIRS", "WEIGHTS", "BandKeys", "Candidate", "Collisions", "Sketches", "band_keys", "banding",
           "bucket_candidates", "candidate_pairs", "colliding_rows", "estimated_containment", "every_pair", "exhaustive",
           "filter_candidates", "held_flags", "key_codes", "keyed_rows", "signature_candidates", "union",
           "view_banding"]
