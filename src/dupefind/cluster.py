"""Kept pairs to groups of copies (iterative union-find: a long chain cannot overflow the stack)."""

from __future__ import annotations

from collections.abc import Iterable


def clusters(pairs: Iterable[tuple[str, str]]) -> tuple[tuple[str, ...], ...]:
    """Connected groups of ids, each sorted; largest first, then by first id."""
    parent: dict[str, str] = {}

    def root(node: str) -> str:
        top = node
        while parent[top] != top:
            top = parent[top]
        while parent[node] != top:  # path compression
            parent[node], node = top, parent[node]
        return top

    for a, b in pairs:
        parent.setdefault(a, a)
        parent.setdefault(b, b)
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[str, list[str]] = {}
    for node in parent:
        groups.setdefault(root(node), []).append(node)
    return tuple(sorted((tuple(sorted(g)) for g in groups.values()), key=lambda g: (-len(g), g)))
