"""Documents re-read for verification and their exact figures: a text tokenised (compactly,
a piece at a time when long), its boilerplate set aside and the rest shingled (:func:`prepare`),
and Jaccard and both containments of two such documents (:func:`overlap`).
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ..boilerplate import Commons, boilerplate_mask
from ..config import Scheme
from ..shingles import ShingleIds, hashed_shingle_ids, shingle_ids
from ..text import HashedWords, Tokens, WordHashes, hash_words, simple_tokens, tokenize


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
