"""The candidate pairs grouped into tasks of verification: pairs of one connected group of
documents together, cut into runs that name few documents, so that each document is re-read
and prepared once for all the pairs of its task (tiles of many documents for dense candidates).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ..catalog import Catalog
from ..jit import kernel
from ..models import Location

#: A task holds consecutive candidate pairs naming at most this many documents (each re-read
#: and prepared once for all the task's pairs) ...
DOCUMENTS_PER_TASK = 64
#: ... and at most this many pairs.
PAIRS_PER_TASK = 512
#: When the candidates are dense (each document paired with this many others on average, as in
#: a collection of texts written from one small vocabulary: templates, generated pages), pairs
#: between two documents chosen at random are the rule, and a task of 64 documents holds few of
#: them: each document was re-read about once per pair. Such candidates go in tasks of two
#: tiles of documents instead, as many as :data:`WORDS_PER_DENSE_TASK` words allow (at most
#: :data:`DENSE_TILE` documents a tile), with every pair between the two tiles.
DENSE_DEGREE = 16
#: Words of the documents of one task of dense candidates, at most (the memory a task's
#: prepared documents take grows with them).
WORDS_PER_DENSE_TASK = 1_000_000
#: Most documents of one tile of dense candidates (the words bound decides first for texts of
#: more than 61 words; 50,000 texts of 20 words took 109 s with tiles of 1,024, 57 s with these,
#: measured in benchmarks/RESULTS.md). A task holds every pair between its two tiles.
DENSE_TILE = 8192


@dataclass(frozen=True, slots=True)
class PairTask:
    """Candidate pairs to check, with where to re-read each of their documents."""

    pairs: list[tuple[int, int]]
    """Index pairs into the catalog."""
    documents: dict[int, tuple[str, Location]]
    """The id and location of each document the pairs name."""


def _grouped(candidates: list[tuple[int, int]], *, words: npt.NDArray[np.int64] | None = None,
             jobs: int = 1) -> Iterator[list[tuple[int, int]]]:
    """The candidates in tasks of at most ``DOCUMENTS_PER_TASK`` documents and ``PAIRS_PER_TASK``
    pairs, each document re-read and prepared once per task: the pairs ordered by the connected
    group of documents they belong to (a story run in many places, a lede and its reuses), in
    whichever of :func:`_by_group`'s two orders reads fewer documents, and cut into runs.
    Dense candidates (``words``: each document's words, if known) may go in tasks of two large
    tiles instead (see :data:`DENSE_DEGREE`), when those read fewer documents; at least
    ``4 * jobs`` tasks of them, so that every worker has its share. Only the order chosen is
    made into lists of pairs (a flood of short texts has close to a million candidates)."""
    if not candidates:
        return
    tile = _dense_tile(candidates, words, jobs)
    ends = np.array(candidates, dtype=np.int64)
    limits = [(DOCUMENTS_PER_TASK, PAIRS_PER_TASK)] * 2 + [(2 * tile, tile * tile)] * bool(tile)
    orders = _by_group(ends, large=tile)
    cuts = [_cuts(ends[order], documents, pairs) for order, (documents, pairs) in zip(orders, limits, strict=True)]
    order, (stops, _) = min(zip(orders, cuts), key=lambda chosen: chosen[1][1])
    ranked = [candidates[k] for k in order.tolist()]
    start = 0
    for stop in stops.tolist():
        yield ranked[start:stop]
        start = stop


def _dense_tile(candidates: list[tuple[int, int]], words: npt.NDArray[np.int64] | None, jobs: int) -> int:
    """Documents per tile for tasks of dense candidates (0: the candidates are not dense)."""
    if words is None or not candidates:
        return 0
    named = np.unique(np.array(candidates, dtype=np.int64))
    if 2 * len(candidates) < DENSE_DEGREE * len(named):
        return 0
    mean = max(1.0, float(words[named].mean()))
    # Tiles of t documents make (n / t)(n / t + 1) / 2 tasks: at least 4 per worker.
    most = int(len(named) / (np.sqrt(8 * jobs) + 1))
    return max(DOCUMENTS_PER_TASK // 2, min(DENSE_TILE, int(WORDS_PER_DENSE_TASK / (2 * mean)), most))


def _reads(runs: list[list[tuple[int, int]]]) -> int:
    """How many times the tasks read a document."""
    return sum(len({k for pair in run for k in pair}) for run in runs)


@kernel(nogil=True)
def _cuts(ends: npt.NDArray[np.int64], documents: int,
          pairs_per_task: int) -> tuple[npt.NDArray[np.int64], int]:  # pragma: no cover - compiled
    """The pairs (``ends``, one row each), in their order, cut into tasks of at most
    ``documents`` documents and ``pairs_per_task`` pairs (see :func:`_grouped`): where each task
    ends (one past its last pair), and how many times the tasks read a document in all
    (:func:`_reads`)."""
    seen = np.full(int(ends.max()) + 1, -1, dtype=np.int64)  # the task that last named each document
    stops = np.empty(len(ends), dtype=np.int64)
    tasks = named = reads = count = 0
    for k in range(len(ends)):
        first, second = ends[k, 0], ends[k, 1]
        new = named + (seen[first] != tasks) + (seen[second] != tasks and second != first)
        if count and (new > documents or count >= pairs_per_task):
            stops[tasks] = k
            tasks += 1
            reads += named
            named = count = 0
        for doc in (first, second):
            if seen[doc] != tasks:
                seen[doc] = tasks
                named += 1
        count += 1
    stops[tasks] = len(ends)
    return stops[: tasks + 1].copy(), reads + named


def _by_group(ends: npt.NDArray[np.int64], *, large: int = 0) -> list[npt.NDArray[np.intp]]:
    """The pairs (``ends``, one row each) in two orders, as indices, that keep the documents of
    a run of them few (the caller keeps the one that reads fewer): the documents numbered by
    reverse Cuthill-McKee over the graph of candidates (each connected group in turn, neighbours
    numbered close together), then the pairs sorted by their two numbers; or by tiles of half a
    task's documents first (all the pairs between two tiles together). On a collection whose
    articles share quotes, one group spans most of it; sorted by document index, a task of 64
    documents held ~1 document read per pair, sorted by numbers 0.28 (news-like corpus, 20k
    documents; tiles read as many).
    Tiles win when most documents pair with most others (every pair of a small collection:
    100 documents read 599 times instead of 3,262), numbers on overlapping cliques of quotes.
    ``large`` (documents per tile), if given, adds a third order: by tiles of that many."""
    if not len(ends):
        return []
    # Imported when used: SciPy's graph routines load in ~0.2 s, which workers never need.
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import reverse_cuthill_mckee

    count = int(ends.max()) + 1
    graph = coo_matrix((np.ones(len(ends), dtype=np.int8), (ends[:, 0], ends[:, 1])), shape=(count, count)).tocsr()
    order = reverse_cuthill_mckee((graph + graph.T).tocsr(), symmetric_mode=True)
    place = np.empty(count, dtype=np.int64)
    place[order] = np.arange(count)
    low, high = np.minimum(place[ends[:, 0]], place[ends[:, 1]]), np.maximum(place[ends[:, 0]], place[ends[:, 1]])
    tile = DOCUMENTS_PER_TASK // 2
    orders = [np.lexsort((high, low)), np.lexsort((high, low, high // tile, low // tile))]
    if large:
        orders.append(np.lexsort((high, low, high // large, low // large)))
    return orders


def _pair_task(pairs: list[tuple[int, int]], catalog: Catalog) -> PairTask:
    needed = sorted({index for pair in pairs for index in pair})
    return PairTask(pairs, {i: (catalog.documents[i].id, catalog.locations[i]) for i in needed})
