"""Band keys to candidate pairs: the rows colliding in a band (stage 2) and the pairs whose
containment estimated from their two signatures reaches the view's ``min_containment``
(stage 3), as two plain stages (a scan runs them fused per bucket: :mod:`.pairing`)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from ..arrays import unique
from ..views import View
from .buckets import bucket_pairs, bucket_rows
from .sketches import BandKeys, Candidate, Collisions, SignatureRows, Sketches

#: Pairs compared at once when counting agreements (bounds the memory it takes).
_CHUNK = 1 << 18


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


def filter_candidates(collisions: Collisions, sketches: Sequence[Sketches], *,
                      views: Sequence[View]) -> list[Candidate]:
    """The document pairs ``(i, j)``, ``i < j``, sorted and unique, of the colliding rows, not
    both :attr:`~Sketches.held`, whose containment estimated from their two signatures and set
    sizes reaches their view's ``min_containment`` (the pre-filter: chance collisions on a
    common phrase or two go)."""
    found: list[npt.NDArray[np.int64]] = []
    width = code_width(sketches)
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
    return decoded_pairs(found, width)


def code_width(sketches: Sequence[Sketches]) -> np.int64:
    """The ``width`` of the codes ``i * width + j`` that name pairs of the sketches' documents."""
    return np.int64(max((int(s.owners.max()) + 1 for s in sketches if len(s)), default=1))


def decoded_pairs(found: Sequence[npt.NDArray[np.int64]], width: np.int64) -> list[Candidate]:
    """The document pairs ``(i, j)`` of the codes ``i * width + j`` of ``found``, sorted and unique."""
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
