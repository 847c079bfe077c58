"""Two texts to the passages they share, with character offsets in both.

Words are aligned, not characters, and every word keeps its offsets, so a passage maps back
to ``text[start:end]`` in each original. The steps:

1. *Seeds*: positions where both texts have the same three words in a row, or the same five
   function words in a row (these survive synonym spinning, which replaces content words).
2. *Chains*: seeds that follow each other on roughly the same diagonal (at most ``GAP``
   words apart in A, drifting at most ``GAP / 2`` words off the diagonal) form a candidate
   passage; a reordered paragraph starts a chain
   of its own, so reordered copies are found piece by piece.
3. *Fine alignment*: each chain's stretch of words is aligned exactly with rapidfuzz's
   ``Indel.opcodes`` (an LCS over word ids), trimmed to its first and last identical word, and
   kept when it has at least ``min_words`` identical words and half of its words identical
   or more. Its edits (identical runs, substitutions, insertions) are kept for display.
4. *Sentence fragments* (:mod:`dupefind.align.sentences`): stretches of sentences that share
   their content words though few identical phrases (reworded, shuffled, translated and back).
   A fragment joins the passages inside it into one, keeping their word alignment, or is a
   passage of its own when it rests on two sentence pairs or more.

The word pass (steps 1 to 3) is in :mod:`dupefind.align.words`, the joining of passages (step 4,
and neighbours that touch) in :mod:`dupefind.align.joining`; here each text is made ready once,
the passes run in order and each clash of candidates is settled for the best of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from ..arrays import in_sorted
from ..models import Passage
from ..shingles import STOPWORD_KEYS, STOPWORDS
from ..text import Tokens, WordHashes
from .compiled import Codes
from .joining import _grouped, _split_around, _with_fragment
from .sentences import sentence_fragments
from .terms import Sentences, Vocabulary, joint_codes, sentences, vocabulary
from .vectors import SentencePair
from .words import _edits, _fine, _passage, _regions, _rows, _seeds


@dataclass(frozen=True, slots=True)
class Side:
    """One text ready to be aligned with any other: what depends on it alone, computed once."""

    text: str
    """The text, as the passages' offsets index it."""
    tokens: Tokens
    """Its words with their offsets."""
    ignore: npt.NDArray[np.bool_] | None
    """``True`` for the words that never count as matching (boilerplate), if any."""
    words: Vocabulary
    """Its words as codes."""
    stops: Codes
    """Positions of its function words (:data:`~dupefind.shingles.STOPWORDS`) not ignored."""
    sentences: Sentences
    """Its sentences and stems, for the sentence pass."""


def side(text: str, tokens: Tokens, ignore: npt.NDArray[np.bool_] | None = None, *,
         segment_starts: Sequence[int] | None = None, keys: WordHashes | None = None) -> Side:
    """Text ``text`` (``tokens``: its words; ``ignore``: its boilerplate words) made ready to be
    aligned; ``segment_starts``, the first word of each of its segments, and ``keys``, the
    :func:`~dupefind.text.word_hashes` of its words, if the caller has them."""
    words = vocabulary(tokens.words, keys)
    if words.keys is not None:
        stop_items = in_sorted(words.keys, STOPWORD_KEYS)
    else:
        stop_items = np.fromiter(map(STOPWORDS.__contains__, words.items), dtype=bool, count=len(words.items))
    stop = stop_items[words.codes]
    if ignore is not None:
        stop &= ~ignore
    return Side(text, tokens, ignore, words, np.flatnonzero(stop).astype(np.int64),
                sentences(text, tokens, ignore, segment_starts=segment_starts, words=words))


def align(text_a: str, a: Tokens, text_b: str, b: Tokens, *, min_words: int,
          ignore_a: npt.NDArray[np.bool_] | None = None,
          ignore_b: npt.NDArray[np.bool_] | None = None) -> tuple[Passage, ...]:
    """The passages texts A and B share (``a``, ``b`` their tokens), in order of position in A.

    Words flagged in ``ignore_a``/``ignore_b`` (boilerplate) never count as matching.
    """
    return align_sides(side(text_a, a, ignore_a), side(text_b, b, ignore_b), min_words=min_words)


def align_sides(side_a: Side, side_b: Side, *, min_words: int,
                vectors: SentencePair | None = None) -> tuple[Passage, ...]:
    """:func:`align` of two texts made ready with :func:`side` (``vectors``: their sentences
    :func:`~dupefind.align.sentences.paired`, if the caller has them)."""
    a, b, text_a, text_b = side_a.tokens, side_b.tokens, side_a.text, side_b.text
    codes_a, codes_b = _word_ids(side_a, side_b)
    if len(codes_a) == len(codes_b) >= max(1, min_words) and np.array_equal(codes_a, codes_b):
        # The same words (no boilerplate set aside): one passage, all of it identical, as the
        # alignment below finds it for an article; for a book against itself, aligned in
        # windows, the sentence pass's bounds made it read 86 % identical, with substitutions.
        whole = _passage(0, len(codes_a), 0, len(codes_b), len(codes_a), codes_a, codes_b, a, b)
        return (replace(whole, a_text=text_a[whole.a_start : whole.a_end], b_text=text_b[whole.b_start : whole.b_end]),)
    # The codes stay arrays (8 bytes a word); only the stretches aligned become lists for rapidfuzz.
    ids_a, ids_b = codes_a, codes_b
    # Each chain is aligned on its own and as part of its merged region: a merge that joins
    # stretches an LCS cannot align together loses to its parts in the clash below.
    regions = _regions(_seeds(codes_a, codes_b, side_a.stops, side_b.stops), ids_a, ids_b, min_words=min_words)
    # Candidates without their edits (most lose the clash below): only the kept are word-aligned
    # in full, so a long text does not hold the edits of every chain at once.
    functions_before = np.zeros(len(ids_a) + 1, dtype=np.int64)  # function words of A before each word
    functions_before[side_a.stops + 1] = 1
    functions_before = np.cumsum(functions_before)
    found = [f for f in (_fine(r, ids_a, ids_b, a, b, min_words=min_words, functions_before=functions_before)
                         for r in _rows(regions)) if f is not None]
    # The candidate holding the most identical content words wins a clash, then the most
    # identical words: a merged region whose alignment matches a run of repeated "the" and "of"
    # does not beat the copied stretch of content words beside them.
    chosen: list[tuple[Passage, int, int, int, int, int]] = []
    for candidate in sorted(found, key=lambda f: (-f[5], -f[0].identical_words, f[0].a_start, f[0].b_start)):
        if not any(_clash(candidate[0], other) for other, *_ in chosen):
            chosen.append(candidate)
    del found
    kept = [replace(p, edits=_edits(ids_a[ia:ib], ids_b[ja:jb], a, b, ia, ja)) for p, ia, ib, ja, jb, _ in chosen]
    spans: dict[tuple[int, int, int, int], tuple[int, int, int, int]] = {}
    for fragment in sentence_fragments(side_a.sentences, side_b.sentences, vectors):
        kept = _with_fragment(kept, fragment, ids_a, ids_b, a, b, min_words=min_words, spans=spans)
    kept = _split_around(kept, a, b, min_words=min_words)
    return tuple(sorted((replace(p, a_text=text_a[p.a_start : p.a_end], b_text=text_b[p.b_start : p.b_end])
                         for p in _grouped(kept, a, b)), key=lambda p: (p.a_start, p.b_start)))


def _word_ids(a: Side, b: Side) -> tuple[Codes, Codes]:
    """One id per word of both texts: equal words, equal ids (numbered in order of first
    occurrence, A then B); each ignored word an id of its own, negative, which matches nothing."""
    ids_a = a.words.codes.copy()
    ids_b = joint_codes(a.words, b.words)[b.words.codes]
    if a.ignore is not None:
        ignored = np.flatnonzero(a.ignore)
        ids_a[ignored] = -1 - ignored
    if b.ignore is not None:
        ignored = np.flatnonzero(b.ignore)
        ids_b[ignored] = -1 - len(ids_a) - ignored
    return ids_a, ids_b


def _clash(p: Passage, q: Passage) -> bool:
    """Half of either passage overlaps the other on one side: one stretch of text is evidence
    once, for its best match (a small overlap at the edges of neighbours is allowed)."""
    return (_overlap(p.a_start, p.a_end, q.a_start, q.a_end) or _overlap(p.b_start, p.b_end, q.b_start, q.b_end))


def _overlap(s1: int, e1: int, s2: int, e2: int) -> bool:
    return min(e1, e2) - max(s1, s2) > 0.5 * min(e1 - s1, e2 - s2)
