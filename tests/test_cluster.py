"""Cluster: the pairs' ids partitioned into connected groups, iteratively."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from dupefind.cluster import clusters

ids = st.sampled_from([f"doc{n:02d}" for n in range(25)])


def connected(pairs: list[tuple[str, str]]) -> dict[str, set[str]]:
    """The oracle: each id's connected component, by breadth-first search."""
    graph: dict[str, set[str]] = {}
    for a, b in pairs:
        graph.setdefault(a, set()).add(b)
        graph.setdefault(b, set()).add(a)
    component: dict[str, set[str]] = {}
    for start in graph:
        if start in component:
            continue
        seen, frontier = {start}, [start]
        while frontier:
            node = frontier.pop()
            for other in graph[node] - seen:
                seen.add(other)
                frontier.append(other)
        for node in seen:
            component[node] = seen
    return component


@given(st.lists(st.tuples(ids, ids), max_size=40))
def test_clusters_partition_the_ids_by_connectivity(pairs: list[tuple[str, str]]) -> None:
    result = clusters(pairs)
    every = [node for group in result for node in group]
    mentioned = {node for pair in pairs for node in pair}
    assert sorted(every) == sorted(mentioned)  # every id in exactly one cluster
    expected = connected(pairs)
    for group in result:
        assert list(group) == sorted(group)
        for node in group:
            assert set(group) == expected[node]  # same cluster iff connected
    # Largest first, then by first id.
    assert list(result) == sorted(result, key=lambda g: (-len(g), g))


def test_no_pairs_no_clusters() -> None:
    assert clusters([]) == ()


def test_example() -> None:
    pairs = [("b", "c"), ("x", "y"), ("a", "c"), ("d", "d"), ("y", "z"), ("w", "x"), ("p", "q")]
    assert clusters(pairs) == (("w", "x", "y", "z"), ("a", "b", "c"), ("p", "q"), ("d",))


def test_a_long_chain_does_not_overflow_the_stack() -> None:
    n = 100_000
    names = [f"n{i:06d}" for i in range(n + 1)]
    # Worst order for a naive union-find: each new pair hangs the tree deeper.
    chain = [(names[i + 1], names[i]) for i in reversed(range(n))]
    (group,) = clusters(chain)
    assert len(group) == n + 1 and group[0] == names[0] and group[-1] == names[-1]
    (group,) = clusters((names[i], names[i + 1]) for i in range(n))
    assert len(group) == n + 1
