"""Connected components of the verified pairs, distributed: large-star / small-star (Kiveris,
Mirrokni, Liu, Vassilvitskii and Vassilvitskii, *Connected Components in MapReduce and Beyond*,
SoCC 2014).

Each round rewires edges towards smaller ids without changing the components:

- *large-star*: every node links each neighbour larger than itself to the smallest node of its
  neighbourhood (itself included);
- *small-star*: every node links itself and each neighbour smaller than itself to the smallest
  of them.

When a round changes nothing, every component is a star around its smallest id: the edges are
``(member, smallest)``. The number of rounds grows with the logarithm of the components' size,
and no node ever holds more than its own neighbourhood. Only verified pairs come here, never
LSH collisions, so unrelated documents do not merge through chance candidates.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from pyspark import RDD

Edge = tuple[str, str]

#: A guard: components of a billion nodes need about 2 log2(1e9) = 60 rounds at most.
MAX_ROUNDS = 100


def components(pairs: RDD[Edge], *, partitions: int) -> RDD[Edge]:
    """``(id, root)`` for every id in ``pairs``, ``root`` the smallest id of its component
    (itself for the root)."""
    edges = pairs.map(lambda e: (max(e), min(e))).filter(lambda e: e[0] != e[1]).distinct(partitions).cache()
    for _ in range(MAX_ROUNDS):
        large = edges.flatMap(lambda e: (e, (e[1], e[0]))).groupByKey(partitions).flatMap(_large_star)
        small = large.groupByKey(partitions).flatMap(_small_star).distinct(partitions).cache()
        changed = not small.subtract(edges, partitions).union(edges.subtract(small, partitions)).isEmpty()
        edges.unpersist()
        edges = small
        if not changed:
            break
    else:  # pragma: no cover - a guard, never reached on a finite graph
        raise RuntimeError("connected components did not converge")
    roots = edges.map(lambda e: (e[1], e[1])).distinct(partitions)
    return edges.union(roots)


def _large_star(node: tuple[str, Iterable[str]]) -> Iterator[Edge]:
    """``(neighbour, smallest)`` for each neighbour larger than the node (as ``(larger,
    smaller)`` edges, the orientation small-star groups by)."""
    u, around = node
    neighbours = set(around)
    smallest = min(min(neighbours), u)
    for v in neighbours:
        if v > u:
            yield (v, smallest)


def _small_star(node: tuple[str, Iterable[str]]) -> Iterator[Edge]:
    """The node and its smaller neighbours, each linked to the smallest of them."""
    u, smaller = node
    group = set(smaller)
    group.add(u)
    smallest = min(group)
    for v in group:
        if v != smallest:
            yield (v, smallest)
