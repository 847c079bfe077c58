"""Ids cut to fit a column so that the part that tells them apart stays visible.

Cut in the middle, ``newsroom-story-2024-03-01-final.txt`` and ``…-03-02-final.txt`` both read
``newsroo…nal.txt``. :class:`IdCutter` looks at the ids shown together, finds for each one the
ids of its family (those that share most of their characters with it at the start and the end),
and cuts the start and end it shares with them, keeping what differs: ``ne…-03-01-f…xt``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.cells import cell_len

#: How many neighbours, in the ids sorted from the start and from the end, may be of an id's family.
_NEIGHBOURS = 8


def common_folder(names: Sequence[str]) -> str:
    """The longest prefix ending in ``/`` that every name starts with and none equals: the
    folder all the ids shown share, said once (the terminal's and the HTML page's tables)."""
    if not names:
        return ""
    first, last = min(names), max(names)
    common = 0
    while common < min(len(first), len(last)) and first[common] == last[common]:
        common += 1
    prefix = first[: first.rfind("/", 0, common) + 1]
    return prefix if all(len(n) > len(prefix) for n in names) else ""


def elide(text: str, width: int) -> str:
    """``text`` cut in the middle (``samples/01…_repost.txt``) to at most ``width`` cells."""
    if cell_len(text) <= width:
        return text
    keep = max(width - 1, 2)
    head, tail = text[: keep // 2], text[len(text) - (keep - keep // 2):]
    while cell_len(head) + cell_len(tail) + 1 > width and (head or tail):
        head, tail = (head[:-1], tail) if len(head) >= len(tail) else (head, tail[1:])
    return f"{head}…{tail}"


class IdCutter:
    """Cuts each of ``ids`` (as shown: shortened, made visible) to a width, keeping the span that
    differs from the ids of its family whole when there is room for it."""

    def __init__(self, ids: Iterable[str]) -> None:
        names = sorted(set(ids))
        backwards = sorted(names, key=lambda name: name[::-1])
        near: dict[str, set[str]] = {name: set() for name in names}
        for order in (names, backwards):
            for k, name in enumerate(order):
                near[name].update(order[max(0, k - _NEIGHBOURS): k + _NEIGHBOURS + 1])
        self._keep = {name: _differing(name, near[name] - {name}) for name in names}

    def __call__(self, name: str, width: int) -> str:
        if cell_len(name) <= width:
            return name
        start, end = self._keep.get(name, (0, len(name)))
        head, middle, tail = name[:start], name[start:end], name[end:]
        budget = width - cell_len(middle)  # for what is left of the head and the tail
        if budget < bool(head) + bool(tail):  # the differing part alone is too long: cut it in the middle
            return elide(name, width)
        for_tail = max(min(cell_len(tail), max(budget // 2, budget - cell_len(head))), 1) if tail else 0
        if head and budget - for_tail < 1:
            for_tail = budget - 1
        return _cut(head, width=budget - for_tail) + middle + _cut(tail, width=for_tail)

def _cut(text: str, *, width: int) -> str:
    """``text`` in ``width`` cells: whole, or cut in the middle (an ellipsis alone when 1)."""
    if not text or cell_len(text) <= width:
        return text
    return "…" if width <= 1 else elide(text, width)


def _differing(name: str, others: Iterable[str]) -> tuple[int, int]:
    """The span of ``name`` that is not the start or end it shares with every id of its family
    (the ``others`` sharing at least half of the longer one's characters at the start and end)."""
    start, end = 0, len(name)
    family = False
    for other in others:
        prefix, suffix = _common(name, other), _common(name[::-1], other[::-1])
        if 2 * (prefix + suffix) < max(len(name), len(other)):
            continue
        if not family:
            start, end, family = prefix, len(name) - suffix, True
        else:
            start, end = min(start, prefix), max(end, len(name) - suffix)
    if not family:
        return 0, len(name)
    if start >= end:  # one holds the other (a.txt, ab.txt): the characters around the difference
        start, end = max(0, min(start, end) - 1), min(len(name), max(start, end) + 1)
    return start, end


def _common(a: str, b: str) -> int:
    """How many characters ``a`` and ``b`` share at their start."""
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n
