"""Summaries: a short stretch of A that condenses a much longer stretch of B, decided per pair.

The word and sentence passes (:mod:`dupefind.align.passages`, :mod:`dupefind.align.sentences`)
look for stretches of about the same length on both sides. A summary is not one: each of its
sentences says what several sentences of the source say, so its matches are short in A and far
apart in B. One looser setting for every pair would stretch ordinary copies over their
neighbours (tried: it cost verbatim and translated copies more than it gained on summaries).
So, after Sanchez-Perez, Sidorov and Gelbukh (PAN 2014), the pair is first *judged* a summary,
and only then aligned with the looser settings:

1. *Does the pair look like a summary?* Two signs, each cheap once the pair is aligned:

   - *its passages say so*: two or more short passages (at most ``CHAIN_PIECE`` words in A
     each; a longer one is a copied stretch of its own) follow one another closely in A (at
     most ``CHAIN_GAP`` words apart) and advance in B over a stretch at least ``CHAIN_RATIO``
     times as long as theirs in A: a *chain*;
   - *its sentences say so*: a *run* of at least ``MIN_SENTENCES`` sentences of A (at most
     ``RUN_GAP`` sentence without a match between two), each like its best sentence of B
     (cosine ``LOOSE_COSINE``, Dice ``LOOSE_DICE``: looser than the sentence pass), over a
     stretch of B at least ``SUMMARY_RATIO`` times as long and alike as a whole (cosine
     ``VALID_COSINE``), tells on its own when its sentences match *different* sentences of B,
     mostly in order (``IN_ORDER`` of the steps go forward), and the passages already found
     hold less than ``COVERED`` of it (a copied paragraph with a stray match beyond it is
     not a summary).

   Neither counts when half of the stretch of B it leaves out is copied elsewhere in A
   (``ELSEWHERE``): what a summary leaves out of its source is left out; paragraphs in another
   order leave out only what they hold elsewhere.

2. *Summary extension*, for such a pair only: each chain is one passage, and so is each run
   that tells or overlaps a chain in A. A run's stretch of B runs from the first to the last
   sentence its sentences match, widened by ``WIDEN`` of its pace (sentences of B per
   sentence of A) on either side: the first sentence of a summary stands for the few around
   its match; a chain's, from its first to its last passage, widened by ``WIDEN`` of its pace
   (words of B per passage). A new passage joins the passages it overlaps in A, keeping their word alignments.

Only A is looked at as the summary (``compare(summary, source)``; in a scan, A is the document
whose id sorts first), though the passes before this step align every pair in one order
whichever way it was asked (the longer text first): the same rules the other way round also
found the source passages of two cases that lie side by side in their source as a "summary"
(PAN13: plagdet −0.005 on verbatim and translated copies), and a scan's verdict does not
depend on this step.
Every other pair keeps its passages unchanged. The verdict (:func:`dupefind.verify.is_duplicate`)
is judged on the passages before this step, and on the runs that tell on their own
(:func:`told_summaries`, looked for both ways round, so the verdict does not depend on the
order asked): a chain is only short passages the verdict has already weighed, but a run that
tells is a summary (:func:`dupefind.verify.summary_is_copy`).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import pairwise

import numpy as np

from ..models import Passage
from ..text import Tokens
from .joining import identical_in, joined_edits
from .passages import Side
from .sentences import VALID_COSINE
from .terms import Sentences
from .vectors import SEED_COSINE, SEED_DICE, SentencePair, paired

#: Chain: most words in A of each of its passages, ...
CHAIN_PIECE = 100
#: ... most words of A between two passages that follow one another ...
CHAIN_GAP = 35
#: ... and least ratio of the chain's stretch in B to its stretch in A (in words).
CHAIN_RATIO = 2
#: A sentence of a summary and a sentence of its source: cosine and Dice of their terms.
LOOSE_COSINE = 0.2
LOOSE_DICE = 0.15
#: Least sentences of A in a run, and most sentences without a match inside it.
MIN_SENTENCES = 3
RUN_GAP = 1
#: Least ratio of a run's stretch in B to its stretch in A (in words).
SUMMARY_RATIO = 3
#: Least share of a run's steps from one sentence to the next that go forward in B.
IN_ORDER = 0.6
#: A run tells when less than this share of its stretch of A lies inside the passages found.
COVERED = 0.5
#: A chain or run counts when less than this share of the stretch of B it leaves out is copied
#: elsewhere in A.
ELSEWHERE = 0.5
#: A run tells the verdict a summary (:func:`told_summaries`) when its stretch of B is at most
#: this many times as long as its stretch of A (in words): a summary condenses a stretch of its
#: source; three sentences each like the best of a book's sentences, picked far apart, do not.
#: (The summaries of PAN13 05 and of the short rewrites condense 3 to 30 times.)
MAX_SUMMARY_RATIO = 40
#: ... and when at least one in this many of its sentences is as like its match as a seed of
#: the sentence pass (:attr:`Run.close`): a summary's sentences say what their sources say;
#: a long run of sentences each barely like the best of many sentences of a text on one
#: vocabulary is chance.
CLOSE_SHARE = 4
#: The stretch of B is widened by this share of its pace on either side (a run's sentences of B
#: per sentence of A, a chain's words of B per passage).
WIDEN = 0.5


@dataclass(frozen=True, slots=True)
class Run:
    """Consecutive sentences of A, each like a sentence of B (sentence indices, ends inclusive)."""

    i0: int
    """First sentence of the run in A."""
    i1: int
    """Its last sentence."""
    j0: int
    """First sentence of B matched by one of its sentences."""
    j1: int
    """Last sentence of B matched."""
    matches: tuple[int, ...]
    """The sentence of B each matched sentence of A is like, in A's order."""
    cosine: float
    """Cosine of the two stretches' tf-isf vectors (sentences ``i0..i1`` and ``j0..j1``)."""
    close: int = 0
    """How many of its sentences are as like their match as a seed of the sentence pass is
    (cosine ``SEED_COSINE`` and Dice ``SEED_DICE``: :mod:`~dupefind.align.vectors`)."""


Span = tuple[int, int, int, int]
"""Word ranges ``a0, a1, b0, b1`` in A and B (ends exclusive)."""


def summarised(side_a: Side, side_b: Side, passages: Sequence[Passage], *,
               vectors: SentencePair | None = None, reversed_vectors: bool = False) -> tuple[Passage, ...]:
    """``passages`` (what :func:`~dupefind.align.passages.align_sides` found in the two texts)
    with each summary of B in A as one passage, if the pair looks like a summary (see the
    module's description); else ``passages`` as they are. ``vectors``: the two texts'
    sentences :func:`~dupefind.align.vectors.paired` with a floor of at most
    ``LOOSE_COSINE``, if the caller has them (``reversed_vectors``: paired as B, A, the order the
    pair was aligned in)."""
    a, b, sa, sb = side_a.tokens, side_b.tokens, side_a.sentences, side_b.sentences
    spans = sorted((_word(a, p.a_start), _word(a, p.a_end), _word(b, p.b_start), _word(b, p.b_end))
                   for p in passages)
    chains = [(c, pieces) for c, pieces in _chains(spans) if _alone(c, spans)]
    found_runs = [r for r in runs(sa, sb, vectors, reversed_vectors)
                  if _alone((sa.starts[r.i0], sa.ends[r.i1], sb.starts[r.j0], sb.ends[r.j1]), spans)]
    kept = [run for run in found_runs if _telling(run, sa, spans)
            or any(c[0] < sa.ends[run.i1] and c[1] > sa.starts[run.i0] for c, _ in chains)]
    if not chains and not kept:
        return tuple(passages)
    found = list(passages)
    for (a0, a1, b0, b1), pieces in chains:
        widen = int(WIDEN * (b1 - b0) / pieces)
        found = _joined(found, (a0, a1, max(0, b0 - widen), min(len(b), b1 + widen)), a, b)
    for run in kept:
        widen = int(WIDEN * (run.j1 - run.j0 + 1) / len(run.matches))
        j0, j1 = max(0, run.j0 - widen), min(len(sb.starts) - 1, run.j1 + widen)
        found = _joined(found, (int(sa.starts[run.i0]), int(sa.ends[run.i1]), int(sb.starts[j0]), int(sb.ends[j1])),
                        a, b)
    texts = (replace(p, a_text=side_a.text[p.a_start:p.a_end], b_text=side_b.text[p.b_start:p.b_end]) for p in found)
    return tuple(sorted(texts, key=lambda p: (p.a_start, p.b_start)))


def told_summaries(side_a: Side, side_b: Side, passages: Sequence[Passage], *, vectors: SentencePair | None = None,
                   reversed_vectors: bool = False) -> list[Span]:
    """The word ranges in A and B (``a0, a1, b0, b1``) of each run of sentences that tells on its
    own that A summarises B (see the module's description: matching different sentences of B,
    mostly in order, over a stretch of B ``SUMMARY_RATIO`` times as long, alike as a whole, not
    inside the passages found and not copied elsewhere in A), of a stretch of B at most
    ``MAX_SUMMARY_RATIO`` times as long as the run; ``passages`` as for :func:`summarised`. Only
    runs: a chain is made of passages the verdict weighs already."""
    a, b, sa, sb = side_a.tokens, side_b.tokens, side_a.sentences, side_b.sentences
    spans = sorted((_word(a, p.a_start), _word(a, p.a_end), _word(b, p.b_start), _word(b, p.b_end))
                   for p in passages)
    told = []
    for run in runs(sa, sb, vectors, reversed_vectors):
        span = (int(sa.starts[run.i0]), int(sa.ends[run.i1]), int(sb.starts[run.j0]), int(sb.ends[run.j1]))
        if span[3] - span[2] <= MAX_SUMMARY_RATIO * (span[1] - span[0]) and run.close * CLOSE_SHARE >= len(run.matches) \
                and _alone(span, spans) and _telling(run, sa, spans):
            told.append(span)
    return told


def _alone(span: Span, spans: Sequence[Span]) -> bool:
    """Whether the stretch of B that ``span`` leaves out (not inside a passage overlapping it in
    A) is mostly not copied elsewhere in A (less than ``ELSEWHERE`` of it inside the passages
    ``spans`` that lie outside it in A): a summary leaves out what it leaves out; paragraphs in
    another order leave out only what they hold elsewhere."""
    a0, a1, b0, b1 = span
    own = elsewhere = 0
    for s in spans:
        shared = max(0, min(b1, s[3]) - max(b0, s[2]))
        if s[0] < a1 and s[1] > a0:
            own += shared
        else:
            elsewhere += shared
    return elsewhere < ELSEWHERE * max(0, b1 - b0 - own)


def _chains(spans: Sequence[Span]) -> list[tuple[Span, int]]:
    """The chains of the passages whose word ranges are ``spans`` (sorted), each with its number
    of passages: two or more passages of at most ``CHAIN_PIECE`` words in A, each at most
    ``CHAIN_GAP`` words after the one before in A and after it in B, whose stretch in B is at
    least ``CHAIN_RATIO`` times their stretch in A."""
    groups: list[list[Span]] = []
    for span in spans:
        if groups and span[0] - groups[-1][-1][1] <= CHAIN_GAP and span[2] >= groups[-1][-1][3]:
            groups[-1].append(span)
        else:
            groups.append([span])
    chains = []
    for group in groups:
        a0, a1 = group[0][0], max(s[1] for s in group)
        b0, b1 = min(s[2] for s in group), max(s[3] for s in group)
        if (len(group) > 1 and max(s[1] - s[0] for s in group) <= CHAIN_PIECE
                and b1 - b0 >= CHAIN_RATIO * (a1 - a0)):
            chains.append(((a0, a1, b0, b1), len(group)))
    return chains


def runs(a: Sentences, b: Sentences, vectors: SentencePair | None = None, reversed_vectors: bool = False) -> list[Run]:
    """Runs of at least ``MIN_SENTENCES`` sentences of A, each like its best sentence of B
    (``LOOSE_COSINE``, ``LOOSE_DICE``), at most ``RUN_GAP`` sentences without one between two,
    whose stretch in B is ``SUMMARY_RATIO`` times as long as theirs in A and like it as a whole
    (``VALID_COSINE``)."""
    if vectors is None:
        vectors, reversed_vectors = paired(a, b, floor=LOOSE_COSINE), False
    if not vectors.shared.any():
        return []
    if reversed_vectors:  # the same sentence pairs, seen from B
        cols, rows, cosine, common, sizes_b, sizes_a = vectors.similar(LOOSE_COSINE)
    else:
        rows, cols, cosine, common, sizes_a, sizes_b = vectors.similar(LOOSE_COSINE)
    alike = 2 * common >= LOOSE_DICE * (sizes_a[rows] + sizes_b[cols])
    # Each sentence of A: (cosine, sentence of B, as close as a seed), the first of the best.
    best: dict[int, tuple[float, int, bool]] = {}
    close = alike & (cosine >= SEED_COSINE) & (2 * common >= SEED_DICE * (np.maximum(sizes_a[rows], 1)
                                                                          + np.maximum(sizes_b[cols], 1)))
    for i, j, c, near in zip(rows[alike].tolist(), cols[alike].tolist(), cosine[alike].tolist(),
                             close[alike].tolist()):
        if i not in best or c > best[i][0] or (c == best[i][0] and j < best[i][1]):
            best[i] = (c, j, near)
    groups: list[list[int]] = []
    for i in sorted(best):
        if groups and i - groups[-1][-1] - 1 <= RUN_GAP:
            groups[-1].append(i)
        else:
            groups.append([i])
    found = []
    for group in groups:
        if len(group) < MIN_SENTENCES:
            continue
        matches = tuple(best[i][1] for i in group)
        i0, i1, j0, j1 = group[0], group[-1], min(matches), max(matches)
        if b.ends[j1] - b.starts[j0] < SUMMARY_RATIO * (a.ends[i1] - a.starts[i0]):
            continue
        stretch = vectors.stretch_cosine(j0, j1, i0, i1) if reversed_vectors else vectors.stretch_cosine(i0, i1, j0, j1)
        if stretch >= VALID_COSINE:
            found.append(Run(i0, i1, j0, j1, matches, round(stretch, 4), sum(best[i][2] for i in group)))
    return found


def _telling(run: Run, a: Sentences, spans: Sequence[Span]) -> bool:
    """Whether a run alone says the pair is a summary: its sentences match different sentences
    of B, mostly in order, and the passages found (``spans``) hold less than ``COVERED`` of it."""
    matches = run.matches
    if len(set(matches)) < len(matches):
        return False
    if sum(y > x for x, y in pairwise(matches)) < IN_ORDER * (len(matches) - 1):
        return False
    start, end = int(a.starts[run.i0]), int(a.ends[run.i1])
    inside = sum(max(0, min(end, s[1]) - max(start, s[0])) for s in spans)
    return inside < COVERED * (end - start)


def _joined(passages: list[Passage], span: Span, a: Tokens, b: Tokens) -> list[Passage]:
    """``passages`` with those that overlap words ``span[0]:span[1]`` of A joined with that
    stretch and words ``span[2]:span[3]`` of B into one passage, keeping their word alignments
    (the rewritten words around them have none)."""
    start, end = a.starts[span[0]], a.ends[span[1] - 1]
    covered = [p for p in passages if p.a_start < end and p.a_end > start]
    ia = min([span[0]] + [_word(a, p.a_start) for p in covered])
    ib = max([span[1]] + [_word(a, p.a_end) for p in covered])
    ja = min([span[2]] + [_word(b, p.b_start) for p in covered])
    jb = max([span[3]] + [_word(b, p.b_end) for p in covered])
    edits = joined_edits((e for p in covered for e in p.edits), a, b)
    same = min(identical_in(edits, a), ib - ia, jb - ja)
    joined = Passage(a_start=a.starts[ia], a_end=a.ends[ib - 1], b_start=b.starts[ja], b_end=b.ends[jb - 1],
                     similarity=round(2 * same / ((ib - ia) + (jb - ja)), 4), words_a=ib - ia, words_b=jb - ja,
                     edits=edits)
    return [p for p in passages if p not in covered] + [joined]


def _word(t: Tokens, offset: int) -> int:
    """Index of the first word starting at or after character ``offset``."""
    return bisect_left(t.starts, offset)
