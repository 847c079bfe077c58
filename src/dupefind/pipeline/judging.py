"""One pair judged: the cheap checks first (:mod:`dupefind.screen`), then, only when they
cannot decide, the two documents made ready for the aligner, aligned once, and the verdict
taken on the passages found.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..align import LOOSE_COSINE, SentencePair, Side, align_sides, paired, side, summarised, told_summaries
from ..boilerplate import Commons
from ..config import Config
from ..explain import explain
from ..models import BY_START, Pair, Passage
from ..screen import Call, Probe, Screened, call, figures, fragment_possible, probe
from ..verify import Overlap, Prepared, compact_tokens, is_duplicate, overlap, prepare, summary_is_copy

Span = tuple[int, int, int, int]
"""Word ranges ``a0, a1, b0, b1`` in two texts (ends exclusive)."""


def staged_pair(a: Screened, b: Screened, config: Config, *, reread: Callable[[Screened], Reread] | None = None,
                probes: Callable[[Screened], Probe] = probe) -> Pair | None:
    """The pair if it is a copy, ``None`` if not: the cheap checks first, the alignment (once)
    only when they cannot decide (``reread`` makes a screened document ready for the aligner,
    ``probes`` gives what the seed and sentence checks need of it, each once per document if
    they cache)."""
    ready = reread or _reread
    figures_ab = figures(a.shingles, b.shingles)
    # The checks bound what the aligner can find, so they look at the pair in the aligner's
    # order (of its figures they read the containment, the same either way).
    flipped = _flipped(a.text, b.text)
    first, second = (b, a) if flipped else (a, b)
    decision = call(first, second, figures_ab, threshold=config.threshold, passage_words=config.passage_words,
                    min_passage_words=config.min_passage_words, probes=probes)
    if decision is Call.NOT_A_COPY:
        return None
    x, y = ready(a), ready(b)
    if decision is Call.SENTENCES and not fragment_possible(*((y.align, x.align) if flipped else (x.align, y.align))):
        return None
    # Short texts' figures are the verifier's own (on their words when they hold no shingle).
    aligned = _aligned(x, y, config, figures=None if a.short or b.short else figures_ab, flipped=flipped)
    # A pair turned down is dropped: only a copy is summarised and explained.
    return _made(x, y, aligned) if aligned.duplicate else None


@dataclass(frozen=True, slots=True)
class Reread:
    """A document re-read, made ready for the verification and the alignment of its pairs."""

    verify: Prepared
    """What verification needs."""
    align: Side
    """What alignment needs (computed once per document, not once per pair)."""


def _pair(x: Reread, y: Reread, config: Config, *, figures: Overlap | None = None) -> Pair:
    """The pair aligned and judged (``figures``: its overlap, if already known)."""
    return _made(x, y, _aligned(x, y, config, figures=figures))


@dataclass(frozen=True, slots=True)
class _Aligned:
    """A pair aligned and its verdict taken, before its passages are shown and explained."""

    figures: Overlap
    passages: tuple[Passage, ...]
    vectors: SentencePair
    """The two texts' sentences, paired in the order the pair was aligned in."""
    duplicate: bool
    flipped: bool
    """Aligned as ``y, x`` (:func:`_flipped`); the passages are given back in ``x, y`` order."""
    by_summary: bool = False
    """A copy by the summary rule alone (:func:`~dupefind.verify.summary_is_copy`)."""


def _aligned(x: Reread, y: Reread, config: Config, *, figures: Overlap | None, flipped: bool | None = None) -> _Aligned:
    """The pair's passages and the verdict on them (``figures``: its overlap, ``flipped``: its
    order of alignment, :func:`_flipped`, if already known)."""
    a, b = x.verify, y.verify
    figures = figures if figures is not None else overlap(a, b)
    # Identical short texts are evidence in full, however few their words.
    shortest = min(len(a.tokens), len(b.tokens))
    min_words = min(config.min_passage_words, shortest) if a.short or b.short else config.min_passage_words
    # The two texts' sentences compared once, for the sentence pass and the summary step.
    flipped = _flipped(x.verify.text, y.verify.text) if flipped is None else flipped
    first, second = (y, x) if flipped else (x, y)
    vectors = paired(first.align.sentences, second.align.sentences, floor=LOOSE_COSINE)
    found = align_sides(first.align, second.align, min_words=max(1, min_words), vectors=vectors)
    passages = tuple(sorted((p.swapped() for p in found), key=BY_START)) if flipped else found
    duplicate = is_duplicate(a, b, figures, passages, threshold=config.threshold, passage_words=config.passage_words)
    by_summary = not duplicate and summary_is_copy(first.verify, second.verify,
                                                   *_summaries(first.align, second.align, found, vectors),
                                                   passage_words=config.passage_words)
    return _Aligned(figures, passages, vectors, duplicate or by_summary, flipped, by_summary)


def _summaries(first: Side, second: Side, passages: tuple[Passage, ...],
               vectors: SentencePair) -> tuple[list[Span], list[Span]]:
    """The runs of sentences that tell ``first`` summarises ``second``, and those that tell
    ``second`` summarises ``first`` (:func:`~dupefind.align.told_summaries`), each as word
    ranges in ``first`` and ``second`` (the order of alignment, ``passages`` and ``vectors``'s)."""
    swapped = tuple(sorted((p.swapped() for p in passages), key=BY_START))
    return (told_summaries(first, second, passages, vectors=vectors),
            [(a0, a1, b0, b1) for b0, b1, a0, a1 in told_summaries(second, first, swapped, vectors=vectors,
                                                                   reversed_vectors=True)])



def _flipped(text_x: str, text_y: str) -> bool:
    """Whether a pair of texts ``text_x, text_y`` is aligned as ``y, x``: every pair is aligned
    in one order whichever way it was asked (the longer text first, then the text that sorts
    last), so that ``compare A B`` and ``compare B A`` give the same verdict and the same
    passages before the summary step (which looks for a summary of B in A, in the order asked),
    and a scan's do not depend on which file name sorts first. The longer text first, by
    measurement: PAN13 pair recall 3,022 (3,017 the shorter first, 3,021 as asked), plagdet
    0.958 / 0.920 / 0.912 / 0.656 (as asked 0.958 / 0.921 / 0.912 / 0.658;
    ``benchmarks/RESULTS.md``, twenty-third round)."""
    return (len(text_y), text_y) > (len(text_x), text_x)


def _made(x: Reread, y: Reread, aligned: _Aligned) -> Pair:
    """The pair as reported: the verdict rests on the copied passages; a summary of B in A is
    shown as one passage, and the passages shown are explained."""
    a, b, figures = x.verify, y.verify, aligned.figures
    # A summary of B in A, looked for in the order asked (compare(summary, source)); of A in B
    # when the pair is a copy for being that summary alone, so that the evidence is shown.
    shown = summarised(x.align, y.align, aligned.passages, vectors=aligned.vectors, reversed_vectors=aligned.flipped)
    if aligned.by_summary and shown == aligned.passages:
        swapped = tuple(sorted((p.swapped() for p in aligned.passages), key=BY_START))
        shown = tuple(sorted((p.swapped() for p in summarised(y.align, x.align, swapped, vectors=aligned.vectors,
                                                               reversed_vectors=not aligned.flipped)), key=BY_START))
    return Pair(
        a=a.id, b=b.id, similarity=round(figures.similarity, 4),
        containment=round(figures.containment, 4), containment_a=round(figures.containment_a, 4),
        containment_b=round(figures.containment_b, 4), duplicate=aligned.duplicate,
        passages=shown, relation=explain(shown, a.tokens, b.tokens),
    )


def _reread(doc: Screened) -> Reread:
    """A screened document made ready for its alignments: the same :class:`Prepared` as
    :func:`dupefind.verify.prepare` makes, from the hashes, boilerplate and shingles already had."""
    tokens = compact_tokens(doc.text)
    prepared = Prepared(doc.id, doc.text, tokens, doc.boilerplate, doc.shingles, doc.short,
                        tuple(doc.words.segment_starts.tolist()))
    ignore = prepared.boilerplate if prepared.boilerplate.any() else None
    # (the screened words' hashes are those of the tokens' words: the same tokeniser)
    return Reread(prepared, side(doc.text, tokens, ignore, segment_starts=prepared.segment_starts,
                                 keys=doc.words.hashes))


def _prepare(doc_id: str, text: str, commons: Commons, config: Config) -> Reread:
    prepared = prepare(doc_id, text, commons=commons, scheme=config.scheme, ngram=config.shingle_size,
                       min_words=config.min_words)
    ignore = prepared.boilerplate if prepared.boilerplate.any() else None
    return Reread(prepared, side(text, prepared.tokens, ignore, segment_starts=prepared.segment_starts))



# The steps under check_pairs, for runners that bring the texts themselves (the Spark engine
# joins them to the pairs instead of re-reading files).


def prepare_document(doc_id: str, text: str, *, commons: Commons, config: Config) -> Reread:
    """A document made ready for the verification and the alignment of its pairs."""
    return _prepare(doc_id, text, commons, config)


def judge_pair(a: Reread, b: Reread, *, config: Config) -> Pair:
    """The verdict on two prepared documents (``a`` first: the smaller id in a scan), with its
    figures and passages, as :func:`~dupefind.pipeline.check_pairs` gives it."""
    return _pair(a, b, config)

