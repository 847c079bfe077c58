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

The parts: :mod:`.keys` (stage 1 and the banding), :mod:`.collisions` (stages 2 and 3),
:mod:`.buckets` (the compiled passes that make buckets), :mod:`.parts` (the sort they run),
:mod:`.pairing` (the pairs of rows in buckets), :mod:`.sketches` (the arrays they pass).

The banding (how many bands of how many rows) is the one datasketch's ``MinHashLSH`` picks for
the threshold, weighting missed pairs above false ones since a false candidate only costs a
verification. The buckets are found by compiled passes over each band's keys instead of one
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

import numpy as np
import numpy.typing as npt

from ..views import View
from .buckets import bucket_rows, signature_buckets, weighed_buckets
from .collisions import code_width, colliding_rows, decoded_pairs, estimated_containment, filter_candidates, union
from .keys import WEIGHTS, band_keys, banding, kept_band_keys, key_codes, keyed_rows, view_banding
from .pairing import low_nibbles
from .sketches import BandKeys, Candidate, Collisions, Sketches, held_flags

#: Most bands whose keys :func:`candidate_pairs` makes at once.
_BANDS_AT_ONCE = 4
#: Keys :func:`candidate_pairs` makes at once, about (whole bands; at least one): a key and its
#: bucketing take 32-60 bytes, so a batch of 4 bands of a million documents' content windows
#: (17 million rows) would take 2-4 GB in each thread; 2 bands of 100k documents run faster
#: than 4 (measured in benchmarks/RESULTS.md).
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
    nibbles = screens(sketches, views)  # the same: once
    at_once = max(1, min(_BANDS_AT_ONCE, _KEYS_AT_ONCE // max(1, sum(len(r) for r in rows))))

    def batch(start: int) -> list[Candidate]:  # the colliding rows of a few bands, filtered at once
        if involving is None and crowded is None and not any(v.sample for v in views):
            return signature_candidates(sketches, views=views, bands=(start, start + at_once), rows=rows,
                                        nibbles=nibbles)
        if involving is not None or crowded is not None:
            keys = kept_band_keys(sketches, views=views, bands=(start, start + at_once), rows=rows,
                                  involving=involving, crowded=crowded)
        else:
            keys = band_keys(sketches, views=views, bands=(start, start + at_once), rows=rows)
        return bucket_candidates(keys, sketches, views=views, nibbles=nibbles)

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


def screens(sketches: Sequence[Sketches], views: Sequence[View]) -> list[npt.NDArray[np.uint64]]:
    """The low bits of each MinHash view's signatures that its buckets' pairs are first weighed
    on (:func:`~dupefind.candidates.pairing.low_nibbles`; none for a sampled view)."""
    return [np.empty((0, 0), dtype=np.uint64) if view.sample else low_nibbles(sketch.signatures)
            for view, sketch in zip(views, sketches, strict=True)]


def bucket_candidates(keys: BandKeys, sketches: Sequence[Sketches], *, views: Sequence[View],
                      nibbles: Sequence[npt.NDArray[np.uint64]] | None = None) -> list[Candidate]:
    """``filter_candidates(colliding_rows(keys), sketches)`` in one compiled pass over each
    bucket of a MinHash view: the pairs of rows of a bucket are weighed as they are met, never
    held (a bucket of n rows has n (n - 1) / 2 of them; on the 100k benchmark corpus the content
    view's buckets hold ~200 million). Sampled views go through the two stages. ``nibbles``:
    :func:`screens` of the sketches, if already made."""
    nibbles = screens(sketches, views) if nibbles is None else nibbles
    found: list[npt.NDArray[np.int64]] = []
    width = code_width(sketches)
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
        rows, documents, starts, sizes = bucket_rows(keys, view, views[view])
        sketch = sketches[view]
        found.append(weighed_buckets(rows, documents, starts, sizes, sketch.signatures, nibbles[view],
                                     sketch.sizes, sketch.flags(), views[view].min_containment, width))
    return decoded_pairs(found, width)


def signature_candidates(sketches: Sequence[Sketches], *, views: Sequence[View], bands: tuple[int, int],
                         rows: Sequence[npt.NDArray[np.intp]],
                         nibbles: Sequence[npt.NDArray[np.uint64]] | None = None) -> list[Candidate]:
    """``bucket_candidates(band_keys(sketches, views=views, bands=bands, rows=rows), ...)`` for
    views of MinHash signatures (none sampled), each view's buckets made straight from its
    signatures (:func:`~dupefind.candidates.buckets.signature_buckets`): the keys are never
    held. ``rows``: :func:`keyed_rows` of the sketches (tested equal); ``nibbles``:
    :func:`screens` of the sketches, if already made."""
    nibbles = screens(sketches, views) if nibbles is None else nibbles
    found: list[npt.NDArray[np.int64]] = []
    width = code_width(sketches)
    for view, sketch, chosen, low in zip(views, sketches, rows, nibbles, strict=True):
        count, per_band = view_banding(view)
        start, stop = min(bands[0], count), min(bands[1], count)
        if len(chosen) == 0 or start >= stop:
            continue
        bucketed, documents, starts, sizes = signature_buckets(sketch, chosen, (start, stop), per_band, view)
        found.append(weighed_buckets(bucketed, documents, starts, sizes, sketch.signatures, low, sketch.sizes,
                                     sketch.flags(), view.min_containment, width))
    return decoded_pairs(found, width)


__all__ = ["EXHAUSTIVE_DOCUMENTS", "EXHAUSTIVE_WORD_PAIRS", "WEIGHTS", "BandKeys", "Candidate", "Collisions",
           "Sketches", "band_keys", "banding", "bucket_candidates", "candidate_pairs", "colliding_rows",
           "estimated_containment", "every_pair", "exhaustive", "filter_candidates", "held_flags", "key_codes",
           "keyed_rows", "screens", "signature_candidates", "union", "view_banding"]
