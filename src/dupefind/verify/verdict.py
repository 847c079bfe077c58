"""The verdict on a pair of prepared documents (:func:`is_duplicate`): containment, or the
passage rules (a copied stretch, or rewritten passages), each passage weighed on its prose
(:func:`prose`); and which texts are too short to be paired with any but identical texts
(:func:`least_words_paired`, :func:`unpaired`).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from ..align import content_terms
from ..jit import kernel
from ..models import Document, Passage
from ..text import Tokens, has_cjk, is_cjk_character
from .markup import markup_counts
from .prepared import Overlap, Prepared

#: A rewritten passage is a sentence or more: at least this many words on each side ...
REWRITTEN_WORDS = 20
#: ... that shares at least this many distinct content words ...
REWRITTEN_SHARED = 8
#: ... which are at least this share of the content words of the two sides (Dice). Such passages
#: are evidence of a copy when together they are as long as a copied passage must be
#: (``passage_words`` words a side on average: :func:`rewritten_enough`): one reworded sentence,
#: such as the same quote or press-release line in two articles on one story, is not a copy.
REWRITTEN_DICE = 0.4
#: A passage of a short text holds at least this many words: a phrase two texts share is not a
#: copy, however short the texts (``min_passage_words``' default: no passage shown is shorter).
LEAST_PASSAGE_WORDS = 12


def least_words_paired(min_words: int) -> int:
    """The fewest words a text needs to be a copy of a text it is not identical to: a short text
    (fewer than ``min_words`` words) too short to hold a passage of :data:`LEAST_PASSAGE_WORDS`
    words is paired only with identical texts."""
    return min(min_words, LEAST_PASSAGE_WORDS)


def unpaired(document: Document) -> bool:
    """Whether ``document`` is paired only with identical texts (:func:`least_words_paired`; a
    document is short by ``min_words``)."""
    return document.short and document.words < LEAST_PASSAGE_WORDS


@kernel(nogil=True)
def passage_needed(words_a: int, words_b: int, passage_words: int) -> int:
    """The words the passage rules ask of a pair of texts of ``words_a`` and ``words_b`` words:
    ``passage_words``, or half the shorter text's words (rounded up) when that is fewer, but at
    least :data:`LEAST_PASSAGE_WORDS`. Inside two long texts a copied stretch must hold
    ``passage_words`` words to be more than a shared phrase or quote; in a 48-word text 30 words
    are most of it, and a copy of it reworded as much as long copies are shows no such passage
    (a shuffled 48-word paragraph whose 49-word passage holds 42 identical words was not a
    copy). Containment scales with the texts; this makes the passage rules scale too. 0 (the
    passage rules off) stays 0. (Compiled: checks of many pairs at once ask it too.)"""
    if passage_words <= 0:
        return 0
    return min(passage_words, max(LEAST_PASSAGE_WORDS, (min(words_a, words_b) + 1) // 2))


@dataclass(frozen=True, slots=True)
class Prose:
    """What a passage weighs as evidence: its words outside markup (:func:`markup_counts`)."""

    passage: Passage
    """The passage."""
    identical: int
    """Its identical words outside markup: its identical words times the share of its words
    outside markup on the side that has less (rounded down)."""
    words_a: int
    """Its words in A outside markup."""
    words_b: int
    """Its words in B outside markup."""


def prose(passages: Sequence[Passage], a: Prepared, b: Prepared) -> list[Prose]:
    """Each passage weighed on its prose: a passage of markup alone (the same ad banner in two
    pages) weighs nothing, a copied paragraph holding a link weighs its words less the link's."""
    marked_a = markup_counts(a.text, a.tokens) if passages else None
    marked_b = markup_counts(b.text, b.tokens) if passages else None

    def markup(counts: npt.NDArray[np.int64] | None, tokens: Tokens, start: int, end: int) -> int:
        if counts is None:
            return 0
        return int(counts[bisect_left(tokens.starts, end)] - counts[bisect_left(tokens.starts, start)])

    weighed = []
    for p in passages:
        words_a = max(0, p.words_a - markup(marked_a, a.tokens, p.a_start, p.a_end))
        words_b = max(0, p.words_b - markup(marked_b, b.tokens, p.b_start, p.b_end))
        share = min(words_a / max(1, p.words_a), words_b / max(1, p.words_b))
        identical = p.identical_words if share >= 1 else int(p.identical_words * share)
        weighed.append(Prose(p, identical, words_a, words_b))
    return weighed


def is_duplicate(a: Prepared, b: Prepared, figures: Overlap, passages: Sequence[Passage] = (), *,
                 threshold: float, passage_words: int = 0) -> bool:
    """The verdict: containment reaches ``threshold``, or one passage is a copied stretch inside
    two longer texts: it holds at least ``passage_words`` identical words, or passages of a
    sentence or more whose content words are largely the same on both sides (rewritten,
    reworded, shuffled) hold that many words a side on average together
    (:func:`rewritten_enough`; ``passage_words`` 0 turns both passage rules off; a text shorter
    than twice that asks half its words: :func:`passage_needed`). A passage's words are counted
    outside markup (:func:`prose`: not a shared ad tag or link). Short texts have too few
    shingles for containment to tell: they are copies when their words are identical (and they
    have words: two texts of punctuation alone share nothing), or by the passage rules. A pair
    these turn down may still be a summary (:func:`summary_is_copy`)."""
    if a.short or b.short:
        if len(a.tokens) > 0 and a.tokens.words == b.tokens.words:
            return True
    elif figures.containment >= threshold:
        return True
    needed = passage_needed(len(a.tokens), len(b.tokens), passage_words)
    if needed <= 0:
        return False
    weighed = prose(passages, a, b)
    if any(w.identical >= _needed_in(w, a, b, passage_words, needed) for w in weighed):
        return True
    rewritten = [w for w in weighed if _rewritten(w, a.tokens, b.tokens)]
    return rewritten_enough(sum(w.words_a for w in rewritten), sum(w.words_b for w in rewritten), needed)


#: A summary takes most of its content words from its source: at least this share of its
#: distinct content words are found in the stretch of the source it condenses.
SUMMARY_SHARE = 2 / 3


def summary_is_copy(a: Prepared, b: Prepared, of_b: Sequence[tuple[int, int, int, int]],
                    of_a: Sequence[tuple[int, int, int, int]], *, passage_words: int) -> bool:
    """The summary rule, for a pair the other rules turn down: one text summarises the other
    (``of_b``: the word ranges in A and B, ``a0, a1, b0, b1``, of the runs of sentences that
    tell A summarises B, :func:`~dupefind.align.told_summaries`; ``of_a``: those that tell B
    summarises A, the same way round), and the summary takes most of its content words
    from the stretch of its source it condenses (:data:`SUMMARY_SHARE` of its distinct ones,
    and :data:`REWRITTEN_SHARED` at least). A summary is a rewritten passage a third as long
    as its source or less, which the passage rules, made for passages of about the same length
    on both sides, do not see. With the passage rules off (``passage_words`` 0) it is off too.

    Three or more sentences each like a different sentence of the other text, in order, over a
    stretch alike as a whole, do not happen by chance: on PAN13's training pairs no pair of 01
    or of the 947 05 pairs without a case has them. Two texts on one subject can have them (a
    short history of Mother's Day and a longer one, giving the same facts in the same order);
    the share of the summary's words asks more of them than of most summaries (measured in
    benchmarks/RESULTS.md, twenty-eighth round)."""
    if passage_needed(len(a.tokens), len(b.tokens), passage_words) <= 0:
        return False
    told = [(a.tokens.words[a0:a1], b.tokens.words[b0:b1]) for a0, a1, b0, b1 in of_b]
    told += [(b.tokens.words[b0:b1], a.tokens.words[a0:a1]) for a0, a1, b0, b1 in of_a]
    for summary, source in told:
        own = content_terms(summary)
        shared = len(own & content_terms(source))
        if shared >= max(REWRITTEN_SHARED, SUMMARY_SHARE * len(own)):
            return True
    return False


def rewritten_enough(words_a: int, words_b: int, needed: int) -> bool:
    """Whether rewritten passages holding ``words_a`` words in A and ``words_b`` in B are
    together as long as a copied passage must be: ``needed`` words a side on average, not on
    each side. A rewrite that condenses its source (a summary, a paragraph reworded with a
    third of it left out, a student's answer written from an encyclopedia) is shorter than it,
    and the words it left out are no evidence against it; each passage still holds a sentence
    or more (:data:`REWRITTEN_WORDS`) on each side. On PAN13's training pairs, ``compare``
    reports 36 more of the 1,000 03 pairs (28 words reworded from 50-77 is the common case),
    7 more of 04 and 14 more of the 238 05 summaries, for one more of the 1,000 01 pairs and 4
    of the 947 05 pairs without a case: reworded sentences of proper names (measured in
    benchmarks/RESULTS.md, twenty-seventh round)."""
    return words_a + words_b >= 2 * needed


#: CJK text has a token per character, and a word there is about two characters (Chinese words
#: average 1.5-2): a passage of it holds this many tokens a word of ``passage_words``.
CJK_TOKENS_PER_WORD = 2


def _needed_in(weighed: Prose, a: Prepared, b: Prepared, passage_words: int, needed: int) -> int:
    """The identical words (tokens) ``weighed``'s passage must hold: ``needed``, or for a passage
    of CJK text as many tokens as make that many words (a 37-character sentence is about 20
    words, not the 30 of a copied stretch): by the side whose words in the passage are more
    often CJK characters, so that the pair asks the same either way round."""
    p = weighed.passage
    share = max(_cjk_share(a, p.a_start, p.a_end), _cjk_share(b, p.b_start, p.b_end))
    if not share:
        return needed
    scaled = round(passage_words * (1 + (CJK_TOKENS_PER_WORD - 1) * share))
    return int(passage_needed(len(a.tokens), len(b.tokens), scaled))


def _cjk_share(text: Prepared, start: int, end: int) -> float:
    """The share of the words of ``text[start:end]`` that are CJK characters (0 at once for a
    text without any)."""
    if not _has_cjk(text.text):
        return 0.0
    words = text.tokens.words[bisect_left(text.tokens.starts, start) : bisect_left(text.tokens.starts, end)]
    return sum(1 for word in words if is_cjk_character(word)) / len(words) if words else 0.0


@lru_cache(maxsize=16)
def _has_cjk(text: str) -> bool:
    """:func:`~dupefind.text.has_cjk`, remembered (a pair's passages ask it in turn)."""
    return has_cjk(text)


def _rewritten(weighed: Prose, a: Tokens, b: Tokens) -> bool:
    """The passage is a sentence or more of prose on each side, and its two sides share most of
    their content words."""
    if min(weighed.words_a, weighed.words_b) < REWRITTEN_WORDS:
        return False
    p = weighed.passage
    terms_a = content_terms(a.words[bisect_left(a.starts, p.a_start) : bisect_left(a.starts, p.a_end)])
    terms_b = content_terms(b.words[bisect_left(b.starts, p.b_start) : bisect_left(b.starts, p.b_end)])
    shared = len(terms_a & terms_b)
    return shared >= REWRITTEN_SHARED and 2 * shared >= REWRITTEN_DICE * (len(terms_a) + len(terms_b))
