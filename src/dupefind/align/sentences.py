"""Sentence-level evidence: stretches of two texts that say the same things in other words.

The word aligner (:mod:`dupefind.align.passages`) starts from runs of identical words; a passage
rewritten sentence by sentence (phrases shuffled, words dropped, translated and back) keeps
few of those, but it keeps its content words. After Sanchez-Perez, Sidorov and Gelbukh
(PAN 2014, "A winning approach to text alignment"):

1. *Sentences* (the text's lines and sentences, long ones cut, very short ones joined to the
   next) become tf-isf vectors of their content words, each cut to a short stem.
2. *Seeds*: sentence pairs whose vectors have a cosine of at least ``SEED_COSINE`` and whose
   term sets a Dice coefficient of at least ``SEED_DICE``.
3. *Clusters*: seeds at most ``GAP`` sentences apart in A, then in B, repeatedly, so shuffled
   sentences inside one copied stretch stay together.
4. *Validation*: a cluster's two stretches, each as one bag of words, must have a cosine of at
   least ``VALID_COSINE``, and neither may hold a sentence that is the copy of something
   outside the other (a paragraph moved elsewhere); a cluster that fails is clustered again
   with a smaller gap.

The cost is bounded by the number of sentence pairs (one matrix product over the terms both
texts share), not by the length of the texts in characters.

A text's sentences and their stems are made in :mod:`dupefind.align.terms`, the tf-isf vectors
of a pair's sentences and their seeds in :mod:`dupefind.align.vectors`; here the seeds become
clusters, validated fragments.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ..text import Tokens
from .compiled import Codes
from .terms import Sentences, sentences
from .vectors import Seed, SentencePair, paired

#: A seed at the end of a cluster less alike than this share of the cluster's median is trimmed.
EDGE_SHARE = 0.6
#: Runs of at least this many sentences in another order are moved paragraphs, kept apart
#: (shorter runs are shuffled sentences inside one copied stretch).
MOVED_BLOCK = 3
#: Most sentences between two seeds of one cluster, in either text.
GAP = 3
#: Least cosine of a cluster's two stretches, each taken as one bag of words.
VALID_COSINE = 0.34
#: Most content words on one side of a fragment per content word on the other.
MAX_RATIO = 3
#: More words than this at the end of a stretch, none of them found in the other, are cut off.
LOOSE_END = 6


@dataclass(frozen=True, slots=True)
class Fragment:
    """Two stretches of whole sentences that share their content (token ranges, ends exclusive)."""

    a_start: int
    """First token of the stretch in A."""
    a_end: int
    """One past its last token."""
    b_start: int
    """First token of the stretch in B."""
    b_end: int
    """One past its last token."""
    cosine: float
    """Cosine of the two stretches' tf-isf vectors."""
    seeds: int
    """Number of similar sentence pairs it rests on."""


def fragments(text_a: str, a: Tokens, text_b: str, b: Tokens, *,
              ignore_a: npt.NDArray[np.bool_] | None = None,
              ignore_b: npt.NDArray[np.bool_] | None = None) -> list[Fragment]:
    """Validated stretches of A and B that share their content, best first, not overlapping."""
    return sentence_fragments(sentences(text_a, a, ignore_a), sentences(text_b, b, ignore_b))


def sentence_fragments(a: Sentences, b: Sentences, vectors: SentencePair | None = None) -> list[Fragment]:
    """:func:`fragments` of two texts' :class:`Sentences` (``vectors``: :func:`paired` of them,
    if the caller has it)."""
    vectors = vectors if vectors is not None else paired(a, b)
    joint = vectors.joint
    if not vectors.shared.any():
        return []
    seeds = vectors.seeds()
    if not seeds:
        return []
    found: list[tuple[float, int, int, int, int, int]] = []
    for cluster in _validated(seeds, GAP, vectors, _SeedIndex(seeds)):
        cluster = _trimmed(cluster, vectors.cosine)
        i0, i1 = min(i for i, _ in cluster), max(i for i, _ in cluster)
        j0, j1 = min(j for _, j in cluster), max(j for _, j in cluster)
        found.append((vectors.stretch_cosine(i0, i1, j0, j1), i0, i1, j0, j1, len(cluster)))
    kept: list[Fragment] = []
    on_a, on_b = _Spans(), _Spans()
    stem_b = joint[b.stem]
    for cosine, i0, i1, j0, j1, size in sorted(found, key=lambda f: (-f[0], f[1:])):
        # Each stretch runs from its first to its last content word found in the other: a
        # sentence only partly copied (or badly cut) does not bring its other part along.
        span_a = int(a.starts[i0]), int(a.ends[i1])
        span_b = int(b.starts[j0]), int(b.ends[j1])
        a0, a1 = _shared_span(a.stem, *span_a, vectors.holds(vectors.terms_b, *span_b))
        b0, b1 = _shared_span(stem_b, *span_b, vectors.holds(vectors.terms_a, *span_a))
        frag = Fragment(a0, a1, b0, b1, round(cosine, 4), size)
        if not on_a.overlaps(a0, a1) and not on_b.overlaps(b0, b1):  # no kept fragment overlaps it
            kept.append(frag)
            on_a.add(a0, a1)
            on_b.add(b0, b1)
    return kept


def _shared_span(stem: Codes, start: int, end: int, other: npt.NDArray[np.bool_]) -> tuple[int, int]:
    """Words ``start:end`` (``stem``: their stem codes) less any run of more than ``LOOSE_END``
    words at either end without a stem that ``other`` holds."""
    hits = np.flatnonzero(other[stem[start:end]]) + start
    if not len(hits):
        return start, end
    first, last = int(hits[0]), int(hits[-1])
    return (first if first - start > LOOSE_END else start), (last + 1 if end - last - 1 > LOOSE_END else end)


def _validated(seeds: Sequence[Seed], gap: int, vectors: SentencePair,
               everything: _SeedIndex) -> list[list[Seed]]:
    """Clusters of ``seeds`` that pass validation, re-clustering failures with a smaller gap
    (``everything``: all the seeds, to tell whether a stretch holds a sentence copied elsewhere)."""
    out: list[list[Seed]] = []
    for cluster in _clusters(seeds, gap):
        i0, i1 = min(i for i, _ in cluster), max(i for i, _ in cluster)
        j0, j1 = min(j for _, j in cluster), max(j for _, j in cluster)
        words_a, words_b = vectors.words(i0, i1, j0, j1)
        blocks = _blocks(cluster)
        if sum(len({i for i, _ in block}) >= MOVED_BLOCK for block in blocks) > 1:
            # Whole paragraphs in another order: each is a passage of its own.
            for block in blocks:
                out.extend(_validated(block, gap, vectors, everything))
        elif (vectors.stretch_cosine(i0, i1, j0, j1) >= VALID_COSINE
                and max(words_a, words_b) <= MAX_RATIO * min(words_a, words_b)
                and _self_contained(cluster, everything, i0, i1, j0, j1)):
            out.append(cluster)
        elif gap > 0 and len(cluster) > 1:
            out.extend(_validated(cluster, gap - 1, vectors, everything))
    return out


def _clusters(seeds: Sequence[Seed], gap: int) -> list[list[Seed]]:
    """Split seeds wherever more than ``gap`` sentences separate neighbours in A or in B, until
    no group splits any more."""
    pending, done = [list(seeds)], []
    while pending:
        group = pending.pop()
        for axis in (0, 1):
            parts = _split(group, axis, gap)
            if len(parts) > 1:
                pending.extend(parts)
                break
        else:
            done.append(sorted(group))
    return sorted(done)


def _split(group: list[Seed], axis: int, gap: int) -> list[list[Seed]]:
    ordered = sorted(group, key=lambda s: (s[axis], s[1 - axis]))
    parts: list[list[Seed]] = [[ordered[0]]]
    for seed in ordered[1:]:
        if seed[axis] - parts[-1][-1][axis] > gap + 1:
            parts.append([])
        parts[-1].append(seed)
    return parts


def _blocks(cluster: Sequence[Seed]) -> list[list[Seed]]:
    """The cluster cut wherever, in A's order, B goes backwards: its runs in the same order."""
    blocks: list[list[Seed]] = []
    furthest = 0  # the furthest position in B of the last block
    for seed in sorted(cluster):
        if not blocks or seed[1] < furthest - 1:
            blocks.append([])
            furthest = seed[1]
        blocks[-1].append(seed)
        furthest = max(furthest, seed[1])
    return blocks


class _SeedIndex:
    """All the seeds, sorted by their sentence in A and by their sentence in B, to find those in
    a stretch of either text without going through all of them (a long text has many)."""

    def __init__(self, seeds: Sequence[Seed]) -> None:
        self.by_a = sorted(seeds)
        self.keys_a = [i for i, _ in self.by_a]
        self.by_b = sorted(seeds, key=lambda s: (s[1], s[0]))
        self.keys_b = [j for _, j in self.by_b]

    def in_a(self, i0: int, i1: int) -> list[Seed]:
        """The seeds whose sentence of A is one of ``i0..i1``."""
        return self.by_a[bisect_left(self.keys_a, i0) : bisect_right(self.keys_a, i1)]

    def in_b(self, j0: int, j1: int) -> list[Seed]:
        """The seeds whose sentence of B is one of ``j0..j1``."""
        return self.by_b[bisect_left(self.keys_b, j0) : bisect_right(self.keys_b, j1)]


def _self_contained(cluster: Sequence[Seed], seeds: _SeedIndex, i0: int, i1: int,
                    j0: int, j1: int) -> bool:
    """No sentence inside either stretch is matched only outside the other stretch."""
    in_a = {i for i, _ in cluster}
    in_b = {j for _, j in cluster}
    return not (any(j not in in_b and not i0 <= i <= i1 for i, j in seeds.in_b(j0, j1))
                or any(i not in in_a and not j0 <= j <= j1 for i, j in seeds.in_a(i0, i1)))


def _trimmed(cluster: list[Seed], cosine: dict[Seed, float]) -> list[Seed]:
    """The cluster without seeds at its ends (first or last in A or in B) that are much less alike
    than its typical seed: a neighbouring sentence on the same subject, not part of the copy."""
    cluster = list(cluster)
    typical = _median([cosine[s] for s in cluster])
    while len(cluster) > 1:
        ends = {min(cluster), max(cluster), min(cluster, key=lambda s: (s[1], s[0])),
                max(cluster, key=lambda s: (s[1], s[0]))}
        weak = [s for s in ends if cosine[s] < EDGE_SHARE * typical]
        if not weak:
            break
        cluster.remove(min(weak, key=lambda s: (cosine[s], s)))
    return cluster


def _median(values: list[float]) -> float:
    """The median of ``values`` (not empty), the same float as ``np.median`` gives: the middle
    value, or the mean of the two middle values."""
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def _overlaps(p: Fragment, q: Fragment) -> bool:
    return min(p.a_end, q.a_end) > max(p.a_start, q.a_start) or min(p.b_end, q.b_end) > max(p.b_start, q.b_start)


class _Spans:
    """Ranges of one text that do not overlap one another (``min(ends) > max(starts)`` holds
    for no two), sorted: whether a new range overlaps any of them is a bisection, not a pass
    over all of them (:func:`_overlaps` for each kept fragment, stated for many)."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    def overlaps(self, start: int, end: int) -> bool:
        # Sorted and disjoint, the ranges end in order too: only the last one starting before
        # ``end`` can reach past ``start``. An empty range overlaps nothing.
        k = bisect_left(self.starts, end) - 1
        return end > start and k >= 0 and self.ends[k] > start

    def add(self, start: int, end: int) -> None:
        if end > start:
            k = bisect_left(self.starts, start)
            self.starts.insert(k, start)
            self.ends.insert(k, end)
