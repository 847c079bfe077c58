"""Candidate pairs to exact figures: Jaccard similarity and containment both ways.

A candidate from LSH is only a guess; here both texts are re-read, tokenised, stripped of
boilerplate and shingled again, and the shingle sets are compared exactly.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from ..align import content_terms
from ..boilerplate import Commons, boilerplate_mask
from ..config import Scheme
from ..jit import kernel
from ..models import Document, Passage
from ..shingles import ShingleIds, hashed_shingle_ids, shingle_ids
from ..text import HashedWords, Tokens, WordHashes, has_cjk, hash_words, is_cjk_character, simple_tokens, tokenize


@dataclass(frozen=True, slots=True)
class Prepared:
    """A document re-read for verification and alignment."""

    id: str
    """The document's id."""
    text: str
    """Its text, as the passages' offsets index it."""
    tokens: Tokens
    """Its words with their offsets."""
    boilerplate: npt.NDArray[np.bool_]
    """``True`` for the words set aside as boilerplate."""
    shingles: ShingleIds
    """Shingle ids of the words that are not boilerplate."""
    short: bool
    """Fewer words than the short-text limit."""
    segment_starts: tuple[int, ...] | None = None
    """The first word of each of its segments (lines, sentences), as
    :func:`~dupefind.text.segments` finds them, if known."""


@dataclass(frozen=True, slots=True)
class Overlap:
    """The exact figures for two shingle sets."""

    similarity: float
    """Jaccard: shared shingles over all distinct shingles of the two."""
    containment_a: float
    """Share of A's shingles found in B."""
    containment_b: float
    """Share of B's shingles found in A."""

    @property
    def containment(self) -> float:
        """The larger of the two containments: how much of the smaller copy is in the other."""
        return max(self.containment_a, self.containment_b)


def prepare(doc_id: str, text: str, *, commons: Commons, scheme: Scheme, ngram: int,
            min_words: int) -> Prepared:
    """Tokenise ``text``, set its boilerplate aside and shingle the rest."""
    tokens = compact_tokens(text)
    words = hashed_words(text, tokens)
    mask = boilerplate_mask(words, commons)
    if scheme == "chars":
        ids = shingle_ids([word for word, dropped in zip(tokens.words, mask) if not dropped],
                          scheme=scheme, ngram=ngram)
    else:
        ids = hashed_shingle_ids(words.hashes[~mask], scheme=scheme, ngram=ngram)
    return Prepared(doc_id, text, tokens, mask, ids, len(tokens) < min_words, tuple(words.segment_starts.tolist()))


#: A longer text is tokenised a piece of about this many characters at a time (cut after a
#: space, which no word spans), so that the tokeniser's objects for every word exist for one
#: piece only.
PIECE = 1 << 20


def compact_tokens(text: str) -> Tokens:
    """:func:`~dupefind.text.tokenize` of ``text``, held compactly: the offsets as arrays of
    8-byte integers instead of tuples of 36-byte ints, and for a long text one string object
    per distinct word, not one per occurrence (a long text says "the" thousands of times, each
    string ~55 bytes). An array reads as the tuple does (indexing gives ints, ``bisect`` and
    ``len`` work), so nothing downstream changes; a long text is tokenised a :data:`PIECE` at a
    time."""
    distinct: dict[str, str] = {}
    words: list[str] = []
    starts, ends = array("q"), array("q")
    begin = 0
    while begin < len(text):
        end = len(text) if len(text) - begin <= PIECE else text.rfind(" ", begin + PIECE // 2, begin + PIECE) + 1
        if end <= begin:  # no space in the second half of the piece: the rest as one piece
            end = len(text)
        found = simple_tokens(text[begin:end])
        if found is None:
            piece = tokenize(text[begin:end])
            found = (list(piece.words), np.array(piece.starts, dtype=np.int64), np.array(piece.ends, dtype=np.int64))
        piece_words, piece_starts, piece_ends = found
        words.extend(map(distinct.setdefault, piece_words, piece_words) if len(text) > SHARED_WORDS else piece_words)
        starts.frombytes((piece_starts + begin).astype(np.int64).tobytes())
        ends.frombytes((piece_ends + begin).astype(np.int64).tobytes())
        begin = end
    return Tokens(tuple(words), starts, ends)  # type: ignore[arg-type]  # arrays read as tuples (above)


#: A text longer than this (characters) keeps one string per distinct word (shorter ones, one
#: per occurrence: a few kilobytes, and faster).
SHARED_WORDS = 1 << 16


def hashed_words(text: str, tokens: Tokens) -> HashedWords:
    """:func:`~dupefind.text.hash_words` of ``text`` (``tokens``: its words), a :data:`PIECE` at
    a time for a long text: each piece is cut after a line break, where a segment always ends,
    so its hashes and segments are those of the whole text's, and the hashing's per-word
    objects exist for one piece only."""
    if len(text) <= PIECE:
        return hash_words(text, tokens)
    hashes: list[WordHashes] = []
    segment_starts: list[npt.NDArray[np.intp]] = []
    begin = first = 0
    while begin < len(text):
        end = len(text) if len(text) - begin <= PIECE else text.rfind("\n", begin + PIECE // 2, begin + PIECE) + 1
        if end <= begin:  # no line break in the second half of the piece: the rest as one piece
            end = len(text)
        last = bisect_left(tokens.starts, end)
        piece = Tokens(tokens.words[first:last], tuple(x - begin for x in tokens.starts[first:last]),
                       tuple(x - begin for x in tokens.ends[first:last]))
        words = hash_words(text[begin:end], piece)
        hashes.append(words.hashes)
        segment_starts.append(words.segment_starts + first)
        begin, first = end, last
    return HashedWords(np.concatenate(hashes), np.concatenate(segment_starts), np.zeros(1, dtype=np.intp))


def overlap(a: Prepared, b: Prepared) -> Overlap:
    """Jaccard and both containments of the two documents' shingle sets; of their sets of words
    when one is short (a short text's few shingles tell little, and it is judged on its words
    in any case: two identical short texts are identical, not 0 % alike) or holds no shingle (a
    text of fewer words than one n-gram, with ``min_words`` set that low)."""
    if a.short or b.short or len(a.shingles) == 0 or len(b.shingles) == 0:
        return _word_overlap(a, b)
    shared = len(np.intersect1d(a.shingles, b.shingles, assume_unique=True))
    union = len(a.shingles) + len(b.shingles) - shared
    return Overlap(
        similarity=shared / union if union else 0.0,
        containment_a=shared / len(a.shingles) if len(a.shingles) else 0.0,
        containment_b=shared / len(b.shingles) if len(b.shingles) else 0.0,
    )


def _word_overlap(a: Prepared, b: Prepared) -> Overlap:
    words_a = {w for w, dropped in zip(a.tokens.words, a.boilerplate) if not dropped}
    words_b = {w for w, dropped in zip(b.tokens.words, b.boilerplate) if not dropped}
    shared = len(words_a & words_b)
    union = len(words_a | words_b)
    return Overlap(
        similarity=shared / union if union else 0.0,
        containment_a=shared / len(words_a) if words_a else 0.0,
        containment_b=shared / len(words_b) if words_b else 0.0,
    )


#: A rewritten passage is a sentence or more: at least this many words on each side ...
REWRITTEN_WORDS = 20
#: ... that shares at least this many distinct content words ...
REWRITTEN_SHARED = 8
#: ... which are at least this share of the content words of the two sides (Dice). Such passages
#: are evidence of a copy when together they are as long as a copied passage must be
#: (``passage_words`` words on each side): one reworded sentence, such as the same quote or
#: press-release line in two articles on one story, is not a copy.
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


#: Markup and addresses: an HTML or XML tag with its attributes, or a URL. Their words are not
#: prose, and the same tag or link is crawled into unrelated pages (an ad network's banner, a
#: crawler's rewritten links): what two texts share there is not evidence of a copy.
_MARKUP = re.compile(r"<[!/?a-z][^<>]*>|(?:\b(?:https?|ftp)://|\bwww\.)[^\s<>\"']+", re.IGNORECASE)


@lru_cache(maxsize=16)
def markup_spans(text: str) -> npt.NDArray[np.int64]:
    """Where the markup of ``text`` lies, ``(n, 2)`` character ranges (remembered: a document
    is judged beside each of its partners in turn): the matches of ``_MARKUP`` in order, each
    looked for only where one can start (:func:`_markup_starts`), then on from its end, as
    ``finditer`` finds them (tried at every character, the pattern costs ~30 µs a kilobyte)."""
    found: list[tuple[int, int]] = []
    end = 0
    for start in _markup_starts(text):
        if start >= end and (match := _MARKUP.match(text, start)) is not None:
            found.append(match.span())
            end = match.end()
    return np.array(found, dtype=np.int64).reshape(-1, 2) if found else _NO_SPANS


def _markup_starts(text: str) -> list[int]:
    """Every place a match of ``_MARKUP`` can start, sorted: each ``<``; 5, 4 and 3 characters
    before each ``://`` (``https``, ``http``, ``ftp``); one before each ``ww.`` in any case (the
    ``www.`` it ends). Substring searches, which run at memory speed."""
    starts = _found(text, "<", (0,)) + _found(text, "://", (5, 4, 3))
    for dots in ("ww.", "WW.", "wW.", "Ww."):
        starts += _found(text, dots, (1,))
    return sorted(set(starts))


def _found(text: str, needle: str, back: tuple[int, ...]) -> list[int]:
    """``back`` characters before each place of ``needle`` in ``text`` (those inside it)."""
    out: list[int] = []
    at = text.find(needle)
    while at >= 0:
        out.extend(at - b for b in back if at >= b)
        at = text.find(needle, at + 1)
    return out


_NO_SPANS = np.empty((0, 2), dtype=np.int64)
_NO_SPANS.setflags(write=False)


def markup_counts(text: str, tokens: Tokens) -> npt.NDArray[np.int64] | None:
    """For each ``k``, how many of the first ``k`` words of ``text`` start inside markup (a tag
    or a URL); ``None`` when the text holds none."""
    spans = markup_spans(text)
    if not len(spans):
        return None
    return counts_in(spans, np.asarray(tokens.starts, dtype=np.int64))


def counts_in(spans: npt.NDArray[np.int64], starts: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """For each ``k``, how many of the first ``k`` words (``starts``: their first characters)
    start inside one of ``spans`` (sorted character ranges that do not overlap)."""
    at = np.searchsorted(spans[:, 0], starts, side="right") - 1
    inside = (at >= 0) & (starts < spans[at.clip(min=0), 1])
    return np.concatenate(([0], np.cumsum(inside, dtype=np.int64)))


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
    reworded, shuffled) hold that many words on each side together (``passage_words`` 0 turns
    both passage rules off; a text shorter than twice that asks half its words:
    :func:`passage_needed`). A passage's words are counted outside markup (:func:`prose`: not
    a shared ad tag or link). Short texts have too few shingles for containment to tell: they
    are copies when their words are identical (and they have words: two texts of punctuation
    alone share nothing), or by the passage rules."""
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
    return min(sum(w.words_a for w in rewritten), sum(w.words_b for w in rewritten)) >= needed


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
