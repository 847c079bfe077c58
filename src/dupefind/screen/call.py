"""The call on a pair: the cheap checks in order of cost (:mod:`dupefind.screen` tells them),
from the figures of the two shingle sets to whether the word pass's spans can make a passage
the verdict counts.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum

import numpy as np
import numpy.typing as npt

from ..align.joining import MIN_SEEDS, TOUCH
from ..align.sentences import Fragment
from ..shingles import ShingleIds
from ..verify import Overlap, passage_needed, rewritten_enough
from .documents import Probe, Screened, probe
from .seeds import Span, _common, shares_seed, word_spans
from .sentences import sentence_seeds_possible, similar_sentences, stretches, summary_possible

#: The word pass's passages :func:`passage_possible` weighs at most (a pair with more is aligned).
MOST_SPANS = 8


def figures(a: ShingleIds, b: ShingleIds) -> Overlap:
    """Jaccard and both containments of two shingle sets (:func:`dupefind.verify.overlap`)."""
    shared = int(_common(a, b))
    union = len(a) + len(b) - shared
    return Overlap(
        similarity=shared / union if union else 0.0,
        containment_a=shared / len(a) if len(a) else 0.0,
        containment_b=shared / len(b) if len(b) else 0.0,
    )


class Call(Enum):
    """What the cheap checks make of a pair."""

    NOT_A_COPY = "not a copy"
    """Decided: the pair is not reported, and is not aligned."""
    ALIGN = "align"
    """A copy, or possibly one: aligned, and the verdict taken on its passages."""
    SENTENCES = "sentences"
    """No word seed: a copy only if the sentence pass finds a stretch (:func:`fragment_possible`)."""


def call(a: Screened, b: Screened, overlap: Overlap, *, threshold: float, passage_words: int,
         min_passage_words: int, probes: Callable[[Screened], Probe] = probe) -> Call:
    """The cheap checks, in order of cost (see :mod:`dupefind.screen`); ``probes`` gives a document's
    :class:`Probe` (once per document if it caches)."""
    if a.short or b.short:  # too few shingles for containment to tell: identical, or a passage
        if len(a.words.hashes) > 0 and np.array_equal(a.words.hashes, b.words.hashes):
            return Call.ALIGN
    elif overlap.containment >= threshold:
        return Call.ALIGN
    needed = passage_needed(len(a.words.hashes), len(b.words.hashes), passage_words)
    if needed <= 0:
        return Call.NOT_A_COPY
    x, y = probes(a), probes(b)
    decision = _passages_call(a, b, x, y, needed=needed, min_passage_words=min_passage_words)
    # A pair whose passages cannot make a copy may still be a summary (the last rule of the verdict).
    if decision is not Call.ALIGN and summary_possible(x, y):
        return Call.ALIGN
    return decision


def _passages_call(a: Screened, b: Screened, x: Probe, y: Probe, *, needed: int, min_passage_words: int) -> Call:
    """:func:`call` on the passages the aligner can find (``x``, ``y``: the documents' probes),
    ``needed`` words asked of them."""
    spans = (word_spans(a, b, x, y, min_words=max(1, min_passage_words), most=MOST_SPANS, enough=needed)
             if shares_seed(x, y) else [])
    if spans:
        if not passage_possible(spans, x, y, passage_words=needed):
            return Call.NOT_A_COPY
        # One span that could not make a passage the verdict counts on its own: the stretches
        # tell whether anything can (:func:`pieces_possible` holds the span, so one that could is
        # aligned at once).
        if len(spans) == 1 and not rewritten_enough(spans[0][1] - spans[0][0], spans[0][3] - spans[0][2], needed) \
                and not (a.short or b.short) and (found := stretches(x, y)) is not None:
            return Call.ALIGN if pieces_possible(spans, found, passage_words=needed) else Call.NOT_A_COPY
        return Call.ALIGN
    if sentence_seeds_possible(x, y) is False:
        return Call.NOT_A_COPY
    if not (a.short or b.short) and (found := stretches(x, y)) is not None:
        return Call.ALIGN if pieces_possible([], found, passage_words=needed) else Call.NOT_A_COPY
    return Call.SENTENCES


def passage_possible(spans: list[Span], x: Probe, y: Probe, *, passage_words: int) -> bool:
    """Whether the aligner can make a passage that meets the verdict's passage rules (one of
    ``passage_words`` identical words, or rewritten passages of that many words a side on
    average, both counted outside markup) of a pair whose word pass gives ``spans``
    (:func:`word_spans`: all of them, or the most looked at). Bounding each side's words
    bounds both rules: a passage's identical words are at most its words on either side, so
    at most their mean (:func:`~dupefind.verify.rewritten_enough`).

    A true bound when the sentence pass has at most one seed: the final passages are then the
    word pass's, joined to one another (across at most ``TOUCH`` words each time) or over the
    one seed's pair of sentences (a stretch of one seed joins the passages it overlaps and adds
    none of its own). So their identical words are at most the spans', and their words on one
    side at most the spans' plus the gaps plus the seed's sentence, less the words of a span
    inside the seed's sentences when those share a stem across them (the stretch, cut to the
    words whose stems the other sentence holds, then overlaps the span: it is joined into it,
    and only its words outside the sentence add up).

    Words in markup (``Probe.markup``) do not count: a passage's prose words are at most its
    words less the markup words of the spans inside it (and, of the seed's sentence, at most
    the sentence's prose words), and both rules ask that many (a passage's identical words
    outside markup are its identical words scaled by its share of prose, at most its prose
    words)."""
    if len(spans) >= MOST_SPANS:
        return True
    # The spans' own prose words are part of the bound whatever the sentence pass finds.
    prose_a = sum(ib - ia - _in_markup(x, ia, ib) for ia, ib, _, _, _ in spans)
    prose_b = sum(jb - ja - _in_markup(y, ja, jb) for _, _, ja, jb, _ in spans)
    if rewritten_enough(prose_a, prose_b, passage_words):
        return True
    seeds = similar_sentences(x, y, most=MIN_SEEDS)
    if seeds is None or len(seeds) >= MIN_SEEDS:
        return True
    words_a = words_b = TOUCH * (len(spans) - 1)
    if not seeds:
        return rewritten_enough(words_a + prose_a, words_b + prose_b, passage_words)
    assert x.stems is not None and y.stems is not None  # known, or there would be no seeds
    (a0, a1), (b0, b1) = x.sentences[seeds[0][0]].tolist(), y.sentences[seeds[0][1]].tolist()
    inside_a = inside_b = 0
    for ia, ib, ja, jb, _ in spans:
        # Within both sentences, a stem on each side that the other sentence holds: the stretch
        # (its words from the first to the last such stem, give or take a loose end) overlaps
        # the span, which is joined into it: only its words outside the sentence add up.
        inner_a, inner_b = (max(ia, a0), min(ib, a1)), (max(ja, b0), min(jb, b1))
        joined = (inner_a[0] < inner_a[1] and inner_b[0] < inner_b[1]
                  and _shares_stem(x.stems[inner_a[0] : inner_a[1]], y.stems[inner_b[0] : inner_b[1]]))
        # Words are counted less their markup: outside the sentence the span's, inside it the
        # sentence's (whatever part of it the passage takes holds no more prose than it all).
        inner_prose_a = inner_a[1] - inner_a[0] - _in_markup(x, *inner_a) if joined else 0
        inner_prose_b = inner_b[1] - inner_b[0] - _in_markup(y, *inner_b) if joined else 0
        inside_a += inner_prose_a
        inside_b += inner_prose_b
        words_a += (ib - ia) - _in_markup(x, ia, ib) - inner_prose_a
        words_b += (jb - ja) - _in_markup(y, ja, jb) - inner_prose_b
    # The words inside the sentence count once as the stretch, or as the spans should the
    # sentence pass keep no stretch there: at most the larger of the two.
    words_a += max(a1 - a0 - _in_markup(x, a0, a1), inside_a)
    words_b += max(b1 - b0 - _in_markup(y, b0, b1), inside_b)
    return rewritten_enough(words_a, words_b, passage_words)


def pieces_possible(spans: list[Span], fragments: list[Fragment], *, passage_words: int) -> bool:
    """Whether the aligner can make passages that meet the verdict's passage rules (one of
    ``passage_words`` identical words, or rewritten passages of that many words a side on
    average) of a pair whose word pass gives ``spans`` (:func:`word_spans`, all of them: none or one)
    and whose sentence pass finds ``fragments`` (:func:`~dupefind.screen.sentences.stretches`).

    The aligner's passages are then known but for their edges: the word pass keeps the one
    span; each stretch in turn joins the passages it overlaps in both texts into one over all
    of them, or, overlapping none, is a passage of its own if it rests on ``MIN_SEEDS`` similar
    sentence pairs (:func:`~dupefind.align.joining._with_fragment`, stated here on word ranges,
    without the boilerplate it trims at the ends or the identical words it may ask of a passage
    of its own); then passages that touch are joined across at most ``TOUCH`` words. So their
    words on one side are at most those of the ranges made here plus ``TOUCH`` for each join,
    which bounds both rules (identical words, and words outside markup, are at most a
    passage's words)."""
    pieces = [span[:4] for span in spans]
    for f in fragments:
        covered = [p for p in pieces if p[0] < f.a_end and p[1] > f.a_start and p[2] < f.b_end and p[3] > f.b_start]
        if covered:
            pieces = [p for p in pieces if p not in covered] + [(
                min([f.a_start] + [p[0] for p in covered]), max([f.a_end] + [p[1] for p in covered]),
                min([f.b_start] + [p[2] for p in covered]), max([f.b_end] + [p[3] for p in covered]))]
        elif f.seeds >= MIN_SEEDS:
            pieces.append((f.a_start, f.a_end, f.b_start, f.b_end))
    joins = TOUCH * max(0, len(pieces) - 1)
    return rewritten_enough(sum(ib - ia for ia, ib, _, _ in pieces) + joins, sum(jb - ja for _, _, ja, jb in pieces) + joins,
                            passage_words)


def _in_markup(probe: Probe, start: int, end: int) -> int:
    """How many of words ``start:end`` lie in markup."""
    return 0 if probe.markup is None else int(probe.markup[end] - probe.markup[start])


def _shares_stem(a: npt.NDArray[np.uint64], b: npt.NDArray[np.uint64]) -> bool:
    """Whether two runs of words have a stem (a key other than 0) in common."""
    return bool(np.intersect1d(a[a != 0], b[b != 0], assume_unique=False).size)
