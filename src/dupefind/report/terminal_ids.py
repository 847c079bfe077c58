"""Ids cut to fit a column so that the part that tells them apart stays visible.

Cut in the middle, ``newsroom-story-2024-03-01-final.txt`` and ``…-03-02-final.txt`` both read
``newsroo…nal.txt``. :class:`IdCutter` looks at the ids shown together, finds for each one the
ids of its family (those that share most of their characters with it at the start and the end),
and cuts the start and end it shares with them, keeping what differs: ``ne…-03-01-f…xt``. When
that does not fit (one id of the family differs from it in another place too), it keeps what
differs from the nearest ids. No two ids shown together at one width read alike: any that would
are cut again around what differs between them.
"""

from __future__ import annotations

import itertools
from collections.abc import Container, Iterable, Iterator, Mapping, Sequence

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
    differs from the ids of its family whole when there is room for it (else what differs from
    those nearest it, a narrower span). The ids shown together
    at one width are told apart: two that would read the same (a family whose members differ in
    more than one place) are cut again, each around what differs from the others that read like
    it, and as a last resort told apart by a number (``~2``). ``suffixes`` (the table's index
    mark) follow an id in its cell: the cut leaves room for them (and tells ids apart without them)."""

    def __init__(self, ids: Iterable[str], *, suffixes: Mapping[str, str] | None = None) -> None:
        names = sorted(set(ids))
        backwards = sorted(names, key=lambda name: name[::-1])
        near: dict[str, set[str]] = {name: set() for name in names}
        for order in (names, backwards):
            for k, name in enumerate(order):
                near[name].update(order[max(0, k - _NEIGHBOURS): k + _NEIGHBOURS + 1])
        self._keep = {name: _differing(name, near[name] - {name}) for name in names}
        self._suffixes = dict(suffixes or {})
        self._cuts: dict[int, dict[str, str]] = {}

    def __call__(self, name: str, width: int) -> str:
        """``name`` in at most ``width`` cells with its suffix (which is not included)."""
        if name not in self._keep:
            return elide(name, width - cell_len(self._suffixes.get(name, "")))
        if width not in self._cuts:
            self._cuts[width] = self._all(width)
        return self._cuts[width][name]

    def _all(self, width: int) -> dict[str, str]:
        """Every id cut to ``width`` (less its suffix), no two shown alike."""
        room = {name: width - cell_len(self._suffixes.get(name, "")) for name in self._keep}
        cuts = {name: self._shaped(name, keeps, room[name]) for name, keeps in self._keep.items()}
        alike: dict[str, list[str]] = {}
        for name, cut in cuts.items():
            alike.setdefault(cut, []).append(name)
        taken = {shown for shown, names in alike.items() if len(names) == 1}
        for names in (names for names in alike.values() if len(names) > 1):
            for name in names:
                cuts[name] = self._apart(name, [n for n in names if n != name], room[name], taken,
                                         default=cuts[name])
                taken.add(cuts[name])
        return cuts

    def _apart(self, name: str, alike: Sequence[str], width: int, taken: Container[str], *, default: str) -> str:
        """``name`` cut again to read unlike the ids ``alike`` it and every cut ``taken``: the
        first of :meth:`_recut` that does, else cut in the middle with a number (``~2``) after
        it; ``default`` when ``width`` has no room for a number."""
        cut = next((c for c in self._recut(name, alike, width) if c not in taken), None)
        number = 0
        while cut is None or cut in taken:
            number += 1
            if width < len(f"~{number}") + 2:  # too narrow to tell them apart (no table is)
                return default
            cut = elide(name, width - len(f"~{number}")) + f"~{number}"
        return cut

    def _recut(self, name: str, alike: Sequence[str], width: int) -> Iterator[str]:
        """``name``'s cuts that may tell it from the ids ``alike`` it: around what differs from all
        of them, then from each (the closest first), then cut in the middle."""
        spans = sorted((_span(name, other) for other in alike), key=lambda span: span[1] - span[0])
        yield self._shaped(name, [(min(s for s, _ in spans), max(e for _, e in spans))], width)
        for span in spans:
            yield self._shaped(name, [span], width)
        yield elide(name, width)

    @staticmethod
    def _shaped(name: str, keeps: Sequence[tuple[int, int]], width: int) -> str:
        """``name`` in ``width`` cells keeping the first of the spans ``keeps`` that fits whole."""
        if cell_len(name) <= width:
            return name
        for start, end in keeps:
            head, middle, tail = name[:start], name[start:end], name[end:]
            budget = width - cell_len(middle)  # for what is left of the head and the tail
            if budget >= bool(head) + bool(tail):
                break
        else:  # the differing part alone is too long: cut it in the middle
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


def _differing(name: str, others: Iterable[str]) -> list[tuple[int, int]]:
    """The spans of ``name`` to keep whole, the first that fits: the one that is not the start or
    end it shares with every id of its family (the ``others`` sharing at least half of the longer
    one's characters at the start and end); then what differs from fewer of them, from the
    nearest (the narrowest difference) on."""
    shared = [(prefix, suffix) for other in others
              for prefix, suffix in [(_common(name, other), _common(name[::-1], other[::-1]))]
              if 2 * (prefix + suffix) >= max(len(name), len(other))]
    if not shared:
        return [(0, len(name))]
    whole = _around(name, min(prefix for prefix, _ in shared), max(len(name) - suffix for _, suffix in shared))
    spans = sorted((_around(name, prefix, len(name) - suffix) for prefix, suffix in set(shared)),
                   key=lambda span: (span[1] - span[0], span))
    nearer = itertools.accumulate(spans, lambda union, span: (min(union[0], span[0]), max(union[1], span[1])))
    return [whole, *reversed(list(nearer))]


def _span(name: str, other: str) -> tuple[int, int]:
    """The span of ``name`` that is not the start or end it shares with ``other``."""
    return _around(name, _common(name, other), len(name) - _common(name[::-1], other[::-1]))


def _around(name: str, start: int, end: int) -> tuple[int, int]:
    """``start``, ``end``; or when one id holds the other (``a.txt``, ``ab.txt``: an empty or
    crossed span), the characters around the difference."""
    if start >= end:
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
