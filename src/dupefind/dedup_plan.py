"""Dedup: in each cluster of copies, the documents that are mostly inside a kept one removed,
each pointing at the kept one.

A scan gives clusters (connected groups of reported pairs); :func:`plan_dedup` chooses which
member of each cluster to keep by a rule (:data:`KEEP_RULES`), removes the members mostly inside
it (directly or through removed ones), keeps the next member left by the rule, and so on
(:class:`Chooser`): a cluster of near-duplicates keeps one document, two articles that only
share a passage keep both. It says, for every removed document, which kept document it
duplicates (``duplicate_of``: always a kept one, never a chain) and the figures of the pair
that ties it to its cluster (:class:`Removal`). :func:`dedup`
scans, then reads the inputs again in input order and writes the kept records and, if asked,
the removed ones as JSONL (see :mod:`dupefind.dedup_output`).

*Input order* is the order :func:`dupefind.sources.plan_reading` walks the inputs in: the paths
as given; inside a folder, its files by name (code point order), then its subfolders by name,
depth first; inside a JSONL file, its lines in order.
"""

from __future__ import annotations

import re
import unicodedata
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from .errors import ConfigError
from .explain import CONTAINED
from .models import Pair, Report

KeepRule = Literal["first", "longest", "shortest", "oldest-id"]
#: How the kept member of a cluster is chosen. ``first``: the first in input order;
#: ``longest`` / ``shortest``: the most / fewest characters of text (ties: the oldest id);
#: ``oldest-id``: the id that sorts first, runs of digits compared as numbers (``doc9`` before
#: ``doc10``), then as plain text.
KEEP_RULES: tuple[KeepRule, ...] = ("first", "longest", "shortest", "oldest-id")

NaturalKey = tuple[tuple[int, int | str] | tuple[int, int, str], ...]
_RankKey = Callable[[str], tuple[int, NaturalKey, str]]


@dataclass(frozen=True, slots=True)
class Removal:
    """A removed document: the kept document it duplicates and the pair behind the decision."""

    id: str
    """The removed document."""
    duplicate_of: str
    """The kept document of its cluster (always kept: never another removed one)."""
    matched: str
    """The document whose pair with this one gives the figures below: ``duplicate_of`` when
    the scan paired the two directly, otherwise the cluster member one step nearer to it."""
    similarity: float
    """Jaccard similarity of the pair ``id`` / ``matched``."""
    containment: float
    """Containment of the pair (the larger of the two directions)."""
    kinds: tuple[str, ...]
    """What kind of copy the pair is (``verbatim``, ``spun``, ...; empty without passages)."""


@dataclass(frozen=True, slots=True)
class DedupPlan:
    """Which documents a dedup keeps and which it removes."""

    rule: KeepRule
    """The rule the kept member of each cluster was chosen by."""
    kept: tuple[str, ...]
    """Every kept document (those in no cluster too), sorted by id."""
    removed: tuple[Removal, ...]
    """Every removed document, sorted by id."""


#: A document is removed only when at least this share of it is in the document it is removed
#: for: of its words inside the pair's passages (or, for a pair shown without passages, of its
#: shingles, its containment): the ``partial`` kind's "mostly inside" (:mod:`dupefind.explain`).
INSIDE = CONTAINED


@dataclass(frozen=True, slots=True)
class _Link:
    """A reported pair as dedup needs it, seen from one of its documents."""

    other: str
    similarity: float
    containment: float
    kinds: tuple[str, ...]
    inside: bool
    """Whether the document is mostly inside ``other`` (:data:`INSIDE`): it may be removed for it."""
    holds: bool
    """Whether ``other`` is mostly inside the document: ``other`` may be removed for it."""


def shares_inside(pair: Pair) -> tuple[float, float]:
    """How much of each document of ``pair`` is in the other: the share of its words inside the
    pair's passages, or, for a pair shown without passages, its containment."""
    if pair.relation is None:
        return pair.containment_a, pair.containment_b
    return pair.relation.coverage_a, pair.relation.coverage_b


class Chooser:
    """Decides document by document, in input order, whether each is kept or removed.

    A document is removed only for a kept one it is mostly inside, directly or through removed
    ones (each mostly inside the next): two articles that share a passage, or a long article
    around a kept excerpt, are both kept; whatever a removed record held is in a kept one. The
    first document of a cluster by the rule is kept (``first``: the first met), then every
    member that can be removed for it; a member left is kept in turn, and so on.
    """

    def __init__(self, report: Report, *, keep: KeepRule = "first") -> None:
        if keep not in KEEP_RULES:
            raise ConfigError("keep", f"must be one of {', '.join(KEEP_RULES)}; got {keep!r}")
        self.rule: KeepRule = keep
        self._cluster = {doc: number for number, members in enumerate(report.clusters) for doc in members}
        self._links: dict[str, list[_Link]] = {}
        for pair in report.pairs:
            self._add(pair)
        for links in self._links.values():
            links.sort(key=lambda link: (-link.similarity, -link.containment, link.other))
        self._kept: set[str] = set()
        self._removed: dict[str, Removal] = {}
        if keep != "first":  # the order of the rule, known up front
            chars = {d.id: d.chars for d in report.documents}
            for members in report.clusters:
                for doc in sorted(members, key=_rank(keep, chars)):
                    if doc not in self._removed:
                        self._keep(doc)

    def _add(self, pair: Pair) -> None:
        kinds = pair.relation.kinds if pair.relation is not None else ()
        a_inside, b_inside = (share >= INSIDE for share in shares_inside(pair))
        for one, other, inside, holds in ((pair.a, pair.b, a_inside, b_inside), (pair.b, pair.a, b_inside, a_inside)):
            self._links.setdefault(one, []).append(_Link(other, pair.similarity, pair.containment, kinds, inside, holds))

    def decide(self, doc: str) -> Removal | None:
        """``None`` when ``doc`` is kept; otherwise why it is removed. Call once per document,
        in input order (the ``first`` rule keeps the first met)."""
        if doc not in self._cluster:
            return None
        if doc not in self._kept and doc not in self._removed:
            self._keep(doc)
        return self._removed.get(doc)

    def _keep(self, winner: str) -> None:
        """Keep ``winner``, and remove for it every document not yet decided that is mostly
        inside it or inside one removed for it (breadth first): each with its pair with a
        document one step nearer to the winner (the strongest such pair, then the smallest id)."""
        self._kept.add(winner)
        distance = {winner: 0}
        queue = deque([winner])
        while queue:
            node = queue.popleft()
            for link in self._links.get(node, ()):
                other = link.other
                if link.holds and other not in distance and other not in self._kept and other not in self._removed:
                    distance[other] = distance[node] + 1
                    queue.append(other)
        for node, steps in sorted(distance.items(), key=lambda item: item[1]):
            if steps:
                link = next(link for link in self._links[node]
                            if link.inside and distance.get(link.other) == steps - 1)
                self._removed[node] = Removal(node, winner, link.other, link.similarity, link.containment, link.kinds)


def plan_dedup(report: Report, *, keep: KeepRule = "first", order: Iterable[str] | None = None) -> DedupPlan:
    """Which documents of ``report`` to keep and which to remove (:class:`Chooser`).

    ``order`` is the documents' ids in input order (for the ``first`` rule); ids it leaves out
    come after it, by id. Without it, the report's order (by id) is used.
    """
    chooser = Chooser(report, keep=keep)
    known = {d.id for d in report.documents}
    ordered = list(dict.fromkeys(doc for doc in (order or ()) if doc in known))
    listed = set(ordered)
    ordered += [d.id for d in report.documents if d.id not in listed]
    kept: list[str] = []
    removed: list[Removal] = []
    for doc in ordered:
        decision = chooser.decide(doc)
        if decision is None:
            kept.append(doc)
        else:
            removed.append(decision)
    return DedupPlan(keep, tuple(sorted(kept)), tuple(sorted(removed, key=lambda r: r.id)))


def _rank(keep: KeepRule, chars: dict[str, int]) -> _RankKey:
    """The sort key whose smallest member of a cluster is kept."""
    sign = {"longest": -1, "shortest": 1}.get(keep, 0)
    return lambda doc: (sign * chars.get(doc, 0), natural_key(doc), doc)


_DIGITS = re.compile(r"(\d+)")


def natural_key(doc: str) -> NaturalKey:
    """``doc`` cut into text and numbers, so that ``doc9`` sorts before ``doc10``: a number by
    its digits without leading zeros, fewer first (as its value, however many digits it has;
    Python's ``int`` refuses strings of more than 4,300)."""
    key: list[tuple[int, int | str] | tuple[int, int, str]] = []
    for k, part in enumerate(_DIGITS.split(doc)):  # (the numbers at odd places)
        if k % 2:
            number = _number(part)
            key.append((1, len(number), number))
        elif part:
            key.append((0, part))
    return tuple(key)


def _number(digits: str) -> str:
    """A run of decimal digits (of any script) as ASCII digits without leading zeros ("0" for zero)."""
    ascii_digits = digits if digits.isascii() else "".join(str(unicodedata.decimal(c)) for c in digits)
    return ascii_digits.lstrip("0") or "0"


def check_plan(report: Report, plan: DedupPlan) -> Sequence[str]:
    """What is wrong with ``plan`` for ``report`` (empty when nothing): the invariants a dedup
    keeps, stated once for tests and callers."""
    problems: list[str] = []
    docs = {d.id for d in report.documents}
    kept, removed = set(plan.kept), {r.id for r in plan.removed}
    if kept & removed:
        problems.append(f"kept and removed: {sorted(kept & removed)[:5]}")
    if kept | removed != docs:
        problems.append(f"neither kept nor removed: {sorted(docs - kept - removed)[:5]}")
    cluster = {doc: number for number, members in enumerate(report.clusters) for doc in members}
    for r in plan.removed:
        if r.duplicate_of not in kept:
            problems.append(f"{r.id} points at {r.duplicate_of}, which is not kept")
        if cluster.get(r.id) is None or cluster.get(r.id) != cluster.get(r.duplicate_of):
            problems.append(f"{r.id} and {r.duplicate_of} are not in one cluster")
    for members in report.clusters:
        if not any(m in kept for m in members):
            problems.append(f"cluster of {members[0]} keeps no document")
    inside = {}
    for pair in report.pairs:
        inside[pair.a, pair.b], inside[pair.b, pair.a] = shares_inside(pair)
    for r in plan.removed:
        if inside.get((r.id, r.matched), 0.0) < INSIDE:
            problems.append(f"{r.id} is removed for {r.matched}, which it is not mostly inside")
    return problems
