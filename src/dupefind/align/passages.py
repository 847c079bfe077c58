"""Two texts to the passages they share, with character offsets in both (rapidfuzz lives here).

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
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import cast

import numpy as np
import numpy.typing as npt
from rapidfuzz.distance import Indel

from ..arrays import unique
from ..models import Edit, Passage
from ..shingles import STOPWORDS
from ..text import Tokens
from .compiled import Codes, chain_spans, gram_seeds
from .regions import Regions, candidate_regions, may_hold
from .sentences import (
    Fragment,
    SentencePair,
    Sentences,
    Vocabulary,
    joint_codes,
    sentence_fragments,
    sentences,
    vocabulary,
)

#: Most words between two seeds of one chain, in either text.
GAP = 40
#: Most words between two aligned pieces that are joined into one passage.
TOUCH = 15
#: An identical word or two at the end of a passage, more than this many words from the rest,
#: is a coincidence ("the", "of"), not part of the copy.
STRAY_GAP = 5
#: Least share of identical words in a passage (Dice: 2 x identical / (words A + words B)).
MIN_SIMILARITY = 0.4
#: A stretch of sentences without any identical phrase needs this many similar sentence pairs.
MIN_SEEDS = 2
_WORD_SEED = 3
_STOP_SEED = 5
MAX_REPEATS = 20


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
         segment_starts: Sequence[int] | None = None) -> Side:
    """Text ``text`` (``tokens``: its words; ``ignore``: its boilerplate words) made ready to be
    aligned; ``segment_starts``, the first word of each of its segments, if the caller has them."""
    words = vocabulary(tokens.words)
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


def _seeds(ids_a: Codes, ids_b: Codes, stops_a: Codes, stops_b: Codes) -> tuple[Codes, Codes]:
    """Start positions ``(i, j)`` of word 3-grams and function-word 5-grams found in both
    (``stops_a``, ``stops_b``: the positions of the function words), sorted."""
    every_a, every_b = np.arange(len(ids_a)), np.arange(len(ids_b))
    words = gram_seeds(ids_a, ids_b, every_a, every_b, _WORD_SEED, MAX_REPEATS)
    stops = gram_seeds(ids_a, ids_b, stops_a, stops_b, _STOP_SEED, MAX_REPEATS)
    # One number per seed, ordered as (i, j) are: sorted and unique at once.
    width = len(ids_b) + 1
    seeds = unique(np.concatenate((words[0] * width + words[1], stops[0] * width + stops[1])))
    return seeds // width, seeds % width


Region = tuple[int, int, int, int]
"""Token ranges ``(a0, a1, b0, b1)`` of a candidate passage, ends exclusive."""


def _chains(seeds: tuple[Codes, Codes], len_a: int, len_b: int) -> Regions:
    """The regions of the chains the seeds form along a diagonal (:func:`chain_spans`), each
    reaching a little past its last seed, in order of creation."""
    first_a, last_a, low_b, high_b = chain_spans(seeds[0], seeds[1], GAP)
    reach = _WORD_SEED + GAP // 4
    # 32-bit word positions when they fit (they always do but for texts of billions of words):
    # half the memory for the millions of regions of two long texts.
    regions = np.empty((len(first_a), 4), dtype=np.int32 if max(len_a, len_b) < 2**31 else np.int64)
    regions[:, 0], regions[:, 2] = first_a, low_b
    regions[:, 1], regions[:, 3] = np.minimum(len_a, last_a + reach), np.minimum(len_b, high_b + reach)
    return regions


def _regions(seeds: tuple[Codes, Codes], ids_a: Codes, ids_b: Codes, *, min_words: int) -> Regions:
    """The regions worth aligning word by word, in order: every chain and every run of chains
    joined (:func:`~dupefind.align.regions.candidate_regions`), each once, but those whose
    words cannot hold ``min_words`` identical words in order (most of them: a seed or two).
    A dropped region would have given no passage (:func:`_fine_span` keeps at most as many
    identical words as their longest common subsequence)."""
    regions = candidate_regions(_chains(seeds, len(ids_a), len(ids_b)), GAP)
    return regions[may_hold(regions, ids_a, ids_b, min_words, _MEASURED_CELLS)]


#: Regions of at most this many word pairs are measured before they are aligned (the others,
#: rare, are aligned straight away).
_MEASURED_CELLS = 1 << 16


def _rows(regions: Regions) -> Iterator[Region]:
    """The regions as tuples of ints, a block at a time (not all at once: a long text has millions)."""
    for start in range(0, len(regions), 4096):
        yield from ((a0, a1, b0, b1) for a0, a1, b0, b1 in regions[start:start + 4096].tolist())


def word_passage_possible(ids_a: Codes, ids_b: Codes, stops_a: Codes, stops_b: Codes, *, min_words: int) -> bool:
    """Whether the word pass of :func:`align_sides` keeps any passage, for word ids as
    :func:`_word_ids` numbers them (equal words, equal ids; a negative id matches nothing) and
    the positions of the function words: the same seeds, chains and word alignment of each
    region, without making any passage. ``False``: every passage of the pair, if any, comes
    from the sentence pass alone."""
    return passage_from_seeds(_seeds(ids_a, ids_b, stops_a, stops_b), ids_a, ids_b, min_words=min_words)


def passage_from_seeds(seeds: tuple[Codes, Codes], ids_a: Codes, ids_b: Codes, *, min_words: int) -> bool:
    """:func:`word_passage_possible` from the seeds (as :func:`_seeds` finds them: start
    positions in A and B, sorted, without repeats)."""
    return bool(passage_spans(seeds, ids_a, ids_b, min_words=min_words, most=1))


def passage_spans(seeds: tuple[Codes, Codes], ids_a: Codes, ids_b: Codes, *, min_words: int, most: int,
                  enough: int | None = None) -> list[tuple[int, int, int, int, int]]:
    """What the word pass of :func:`align_sides` could keep, from the seeds (as
    :func:`passage_from_seeds` takes them): the word ranges and identical words
    ``(ia, ib, ja, jb, same)`` of every region that aligns to a passage, in order, the first
    ``most`` of them, or fewer once their identical words reach ``enough``. Each passage the
    word pass keeps is one of these (the others lose a clash), so their words and identical
    words bound the kept ones'."""
    regions = _regions(seeds, ids_a, ids_b, min_words=min_words)
    found = []
    same = 0
    for region in _rows(regions):
        span = _fine_span(region, ids_a, ids_b, min_words=min_words)
        if span is not None:
            found.append(span)
            same += span[4]
            if len(found) >= most or (enough is not None and same >= enough):
                break
    return found


def _fine(region: Region, ids_a: Codes, ids_b: Codes, a: Tokens, b: Tokens, *, min_words: int,
          functions_before: Codes) -> tuple[Passage, int, int, int, int, int] | None:
    """The passage a region aligns to (without its edits), with its word ranges in A and B and
    how many of its identical words are not function words (``functions_before[k]``: how many
    of A's first ``k`` words are)."""
    found = _fine_blocks(region, ids_a, ids_b, min_words=min_words)
    if found is None:
        return None
    ia, ib, ja, jb, same, blocks = found
    a0 = region[0]
    content = same - sum(int(functions_before[a0 + end] - functions_before[a0 + start]) for start, end, _, _ in blocks)
    return _passage(ia, ib, ja, jb, same, ids_a, ids_b, a, b, edits=False), ia, ib, ja, jb, content


def _fine_span(region: Region, ids_a: Codes, ids_b: Codes, *,
               min_words: int) -> tuple[int, int, int, int, int] | None:
    """The words ``ia:ib`` of A and ``ja:jb`` of B a region's word alignment keeps as a passage,
    and how many of them are identical: ``(ia, ib, ja, jb, same)``; ``None`` if it keeps none."""
    found = _fine_blocks(region, ids_a, ids_b, min_words=min_words)
    return None if found is None else found[:5]


def _fine_blocks(region: Region, ids_a: Codes, ids_b: Codes, *, min_words: int
                 ) -> tuple[int, int, int, int, int, list[tuple[int, int, int, int]]] | None:
    """:func:`_fine_span` with the identical blocks of the alignment (word ranges in the region)."""
    a0, a1, b0, b1 = region
    blocks = _trimmed(_equal_blocks(ids_a[a0:a1], ids_b[b0:b1]))
    same = sum(end - start for start, end, _, _ in blocks)
    if same < min_words:
        return None
    ia, ja = a0 + blocks[0][0], b0 + blocks[0][2]
    ib, jb = a0 + blocks[-1][1], b0 + blocks[-1][3]
    if 2 * same / ((ib - ia) + (jb - ja)) < MIN_SIMILARITY:
        return None
    return ia, ib, ja, jb, same, blocks


def _equal_blocks(seq_a: Codes, seq_b: Codes) -> list[tuple[int, int, int, int]]:
    return [(i1, i2, j1, j2) for tag, i1, i2, j1, j2 in _opcodes(seq_a, seq_b) if tag == "equal"]


def _opcodes(seq_a: Codes | Sequence[int], seq_b: Codes | Sequence[int]) -> list[tuple[str, int, int, int, int]]:
    """rapidfuzz's ``Indel.opcodes`` as plain tuples ``(tag, a_start, a_end, b_start, b_end)``
    (much cheaper to read than its ``Opcode`` objects); in windows (:func:`_windowed_blocks`)
    for stretches of more than ``MAX_CELLS`` word pairs."""
    if len(seq_a) * len(seq_b) <= MAX_CELLS:
        return cast(list[tuple[str, int, int, int, int]], Indel.opcodes(_listed(seq_a), _listed(seq_b)).as_list())
    steps: list[tuple[str, int, int, int, int]] = []
    i = j = 0
    for i1, i2, j1, j2 in [*_windowed_blocks(seq_a, seq_b), (len(seq_a), len(seq_a), len(seq_b), len(seq_b))]:
        if i1 > i:
            steps.append(("delete", i, i1, j, j))
        if j1 > j:
            steps.append(("insert", i1, i1, j, j1))
        if i2 > i1:
            if steps and steps[-1][0] == "equal" and steps[-1][2] == i1 and steps[-1][4] == j1:
                steps[-1] = ("equal", steps[-1][1], i2, steps[-1][3], j2)
            else:
                steps.append(("equal", i1, i2, j1, j2))
        i, j = i2, j2
    return steps


def _listed(codes: Codes | Sequence[int]) -> Sequence[int]:
    """Codes as a list of ints (what rapidfuzz reads fastest)."""
    return codes.tolist() if isinstance(codes, np.ndarray) else codes


#: Most word pairs (words of A × words of B) aligned as one piece: rapidfuzz's LCS keeps a bit
#: per pair to trace the alignment back (2**28 pairs: 32 MB), so memory would grow with the
#: product of the lengths. Longer stretches (a book against a book) are aligned in windows of
#: ``WINDOW`` words a side; anything shorter (every ordinary article) is aligned as before.
MAX_CELLS = 1 << 28
WINDOW = 8192


def _windowed_blocks(seq_a: Codes | Sequence[int], seq_b: Codes | Sequence[int]) -> list[tuple[int, int, int, int]]:
    """The identical blocks of an alignment of two long word sequences, a window at a time:
    the next ``WINDOW`` words of each are aligned, the blocks that end in the first three
    quarters of the window in both are kept, and the next window starts where they end (the
    window's last quarter is aligned again with what follows; a window with nothing kept is
    passed by half its length). Memory: one window; the blocks are a valid alignment, close to
    the whole LCS wherever the copy runs along the diagonal."""
    blocks: list[tuple[int, int, int, int]] = []
    i = j = 0
    while i < len(seq_a) and j < len(seq_b):
        end_a, end_b = min(len(seq_a), i + WINDOW), min(len(seq_b), j + WINDOW)
        found = [(i + x1, i + x2, j + y1, j + y2)
                 for tag, x1, x2, y1, y2 in _opcodes(seq_a[i:end_a], seq_b[j:end_b]) if tag == "equal"]
        if end_a == len(seq_a) and end_b == len(seq_b):
            return blocks + found
        limit_a = end_a if end_a == len(seq_a) else i + 3 * (end_a - i) // 4
        limit_b = end_b if end_b == len(seq_b) else j + 3 * (end_b - j) // 4
        kept = [block for block in found if block[1] <= limit_a and block[3] <= limit_b]
        if kept:
            blocks += kept
            i, j = kept[-1][1], kept[-1][3]
        else:
            i, j = i + max(1, (end_a - i) // 2), j + max(1, (end_b - j) // 2)
    return blocks


def _passage(ia: int, ib: int, ja: int, jb: int, same: int, ids_a: Codes, ids_b: Codes,
             a: Tokens, b: Tokens, *, edits: bool = True) -> Passage:
    """The passage of words ``ia:ib`` of A and ``ja:jb`` of B, ``same`` of them identical (with
    its word alignment unless ``edits`` is false)."""
    similarity = 2 * same / ((ib - ia) + (jb - ja))
    return Passage(
        a_start=a.starts[ia], a_end=a.ends[ib - 1], b_start=b.starts[ja], b_end=b.ends[jb - 1],
        similarity=round(similarity, 4), words_a=ib - ia, words_b=jb - ja,
        edits=_edits(ids_a[ia:ib], ids_b[ja:jb], a, b, ia, ja) if edits else (),
    )


def _with_fragment(passages: list[Passage], fragment: Fragment, ids_a: Codes,
                   ids_b: Codes, a: Tokens, b: Tokens, *, min_words: int,
                   spans: dict[tuple[int, int, int, int], tuple[int, int, int, int]] | None = None) -> list[Passage]:
    """``passages`` with those inside ``fragment`` (overlapping it in both texts) joined into one
    passage over the fragment and them; the fragment alone, word-aligned, when it holds none.

    A joined passage keeps the word alignments of its parts (the words around them, rewritten
    beyond recognition, have none): one LCS over the whole stretch could prefer a scatter of
    "the"s to a copied phrase. ``spans``: the word ranges of passages met before, by their
    character ranges (kept from one fragment to the next by the caller).
    """
    known = {} if spans is None else spans

    def inside(p: Passage) -> bool:
        key = (p.a_start, p.a_end, p.b_start, p.b_end)
        words = known.get(key)
        if words is None:
            words = known[key] = (_word(a, p.a_start), _word(a, p.a_end), _word(b, p.b_start), _word(b, p.b_end))
        return (words[0] < fragment.a_end and words[1] > fragment.a_start
                and words[2] < fragment.b_end and words[3] > fragment.b_start)

    covered = [p for p in passages if inside(p)]
    ia, ib = _unignored(ids_a, fragment.a_start, fragment.a_end)
    ja, jb = _unignored(ids_b, fragment.b_start, fragment.b_end)
    if ia == ib or ja == jb:
        return passages
    if not covered:
        if fragment.seeds < MIN_SEEDS:
            return passages
        same = sum(end - start for start, end, _, _ in _equal_blocks(ids_a[ia:ib], ids_b[ja:jb]))
        if same < min_words:
            return passages
        return passages + [_passage(ia, ib, ja, jb, same, ids_a, ids_b, a, b)]
    ia = min([ia] + [_word(a, p.a_start) for p in covered])
    ib = max([ib] + [_word(a, p.a_end) for p in covered])
    ja = min([ja] + [_word(b, p.b_start) for p in covered])
    jb = max([jb] + [_word(b, p.b_end) for p in covered])
    edits = joined_edits((e for p in covered for e in p.edits), a, b)
    same = min(identical_in(edits, a), ib - ia, jb - ja)
    joined = Passage(a_start=a.starts[ia], a_end=a.ends[ib - 1], b_start=b.starts[ja], b_end=b.ends[jb - 1],
                     similarity=round(2 * same / ((ib - ia) + (jb - ja)), 4), words_a=ib - ia, words_b=jb - ja,
                     edits=edits)
    return [p for p in passages if not inside(p)] + [joined]


def _unignored(ids: Codes, start: int, end: int) -> tuple[int, int]:
    """Words ``start:end`` without the ignored words (boilerplate) at either end."""
    while start < end and ids[start] < 0:
        start += 1
    while end > start and ids[end - 1] < 0:
        end -= 1
    return start, end


def _word(t: Tokens, offset: int) -> int:
    """Index of the first word starting at or after character ``offset``."""
    return bisect_left(t.starts, offset)


def _trimmed(blocks: list[tuple[int, int, int, int]]) -> list[tuple[int, int, int, int]]:
    """Drop stray identical words at either end (a lone "the" a dozen words past the copy)."""

    def stray(block: tuple[int, int, int, int], neighbour: tuple[int, int, int, int]) -> bool:
        size = block[1] - block[0]
        gap = max(abs(block[0] - neighbour[1]), abs(neighbour[0] - block[1]),
                  abs(block[2] - neighbour[3]), abs(neighbour[2] - block[3]))
        return size < _WORD_SEED and gap > STRAY_GAP

    while len(blocks) > 1 and stray(blocks[-1], blocks[-2]):
        blocks.pop()
    while len(blocks) > 1 and stray(blocks[0], blocks[1]):
        blocks.pop(0)
    return blocks


def _edits(seq_a: Codes, seq_b: Codes, a: Tokens, b: Tokens, ia: int,
           ja: int) -> tuple[Edit, ...]:
    """The word alignment of a passage, adjacent deletions and insertions merged into replaces."""
    steps: list[tuple[str, int, int, int, int]] = []
    for tag, i1, i2, j1, j2 in _opcodes(seq_a, seq_b):
        s = (tag, ia + i1, ia + i2, ja + j1, ja + j2)
        if steps and tag != "equal" and steps[-1][0] != "equal":
            prev = steps.pop()
            s = ("replace", prev[1], s[2], prev[3], s[4])
            if s[1] == s[2] or s[3] == s[4]:
                s = ("delete" if s[3] == s[4] else "insert", *s[1:])
        steps.append(s)
    return tuple(Edit(tag, _span(a, i1, i2, ia), _end(a, i1, i2, ia), _span(b, j1, j2, ja), _end(b, j1, j2, ja))
                 for tag, i1, i2, j1, j2 in steps)


def _span(t: Tokens, i1: int, i2: int, first: int) -> int:
    """Where words ``i1:i2`` start; for no words, the end of the word before (the start of the
    passage, whose first word is ``first``, when the gap opens it)."""
    return t.starts[i1] if i2 > i1 or i1 == first else t.ends[i1 - 1]


def _end(t: Tokens, i1: int, i2: int, first: int) -> int:
    return t.ends[i2 - 1] if i2 > i1 else _span(t, i1, i2, first)


def _grouped(passages: list[Passage], a: Tokens, b: Tokens) -> list[Passage]:
    """Join passages that touch in both texts (at most ``TOUCH`` words apart), in any order.

    Shuffled phrases inside one copied stretch (word-order obfuscation) align as several
    short pieces side by side; they are one piece of evidence. Paragraphs moved far apart
    are not joined.

    The first touching pair in list order (``x < y``) is joined into ``x`` and ``y`` dropped,
    until no pair touches. After a join only the pairs of the joined group are new: those with
    a group before it are looked at first, then the list from it on, as a fresh look at the
    whole list would find them (the tests hold it against that plain statement).
    """
    groups = list(passages)
    fresh = 0  # before ``fresh``, no two groups touch but perhaps a group and ``groups[fresh]``

    def touch(p: Passage, q: Passage) -> bool:
        return _near(p.a_start, p.a_end, q.a_start, q.a_end, a) and _near(p.b_start, p.b_end, q.b_start, q.b_end, b)

    while True:
        found = next(((x, fresh) for x in range(fresh) if touch(groups[x], groups[fresh])), None)
        if found is None:
            found = next(((x, y) for x in range(fresh, len(groups)) for y in range(x + 1, len(groups))
                          if touch(groups[x], groups[y])), None)
        if found is None:
            return groups
        x, y = found
        groups[x] = _join(groups[x], groups[y], a, b)
        del groups[y]
        fresh = x


def _near(s1: int, e1: int, s2: int, e2: int, t: Tokens) -> bool:
    """At most ``TOUCH`` words between the two character ranges (or they overlap)."""
    if min(e1, e2) >= max(s1, s2):
        return True
    gap_start, gap_end = min(e1, e2), max(s1, s2)
    return bisect_left(t.starts, gap_end) - bisect_left(t.starts, gap_start) <= TOUCH


def _join(p: Passage, q: Passage, a: Tokens, b: Tokens) -> Passage:
    a_start, a_end = min(p.a_start, q.a_start), max(p.a_end, q.a_end)
    b_start, b_end = min(p.b_start, q.b_start), max(p.b_end, q.b_end)
    words_a = bisect_left(a.starts, a_end) - bisect_left(a.starts, a_start)
    words_b = bisect_left(b.starts, b_end) - bisect_left(b.starts, b_start)
    edits = joined_edits(p.edits + q.edits, a, b)
    same = min(identical_in(edits, a), words_a, words_b)
    return Passage(a_start=a_start, a_end=a_end, b_start=b_start, b_end=b_end,
                   similarity=round(2 * same / (words_a + words_b), 4), words_a=words_a, words_b=words_b,
                   edits=edits)


def joined_edits(edits: Iterable[Edit], a: Tokens, b: Tokens) -> tuple[Edit, ...]:
    """The word alignments of passages joined into one, each word in one step, in order of A.

    Joined passages may share words (neighbours that touch, a fragment over both, a passage
    whose tail aligned words that another passage aligns better), and a step over words
    already aligned would count them twice: a copy more than 100 % identical. So the longest
    identical runs are kept first, then the shorter ones, each less the words already kept on
    either side (its words pair one to one: its longest stretch free on both sides stays),
    then the other steps, each left out if it overlaps a kept one.
    """
    steps = [(edit, _word(a, edit.a_start), _word(a, edit.a_end), _word(b, edit.b_start), _word(b, edit.b_end))
             for edit in edits]
    taken_a: list[tuple[int, int]] = []  # word ranges kept, sorted (they do not overlap)
    taken_b: list[tuple[int, int]] = []
    kept: list[Edit] = []
    equal = sorted((s for s in steps if s[0].op == "equal"), key=lambda s: (s[1] - s[2], s[1], s[3]))
    others = sorted((s for s in steps if s[0].op != "equal"), key=lambda s: (s[1], s[3]))
    for edit, ia, ib, ja, _ in equal:
        free = _free_run(ia, ib, ja, taken_a, taken_b)
        if free is None:
            continue
        start, stop = free
        if (start, stop) != (0, ib - ia):
            edit = Edit("equal", a.starts[ia + start], a.ends[ia + stop - 1], b.starts[ja + start], b.ends[ja + stop - 1])
        _take(taken_a, ia + start, ia + stop)
        _take(taken_b, ja + start, ja + stop)
        kept.append(edit)
    for edit, ia, ib, ja, jb in others:
        if _overlaps(taken_a, ia, ib) or _overlaps(taken_b, ja, jb):
            continue
        _take(taken_a, ia, ib)
        _take(taken_b, ja, jb)
        kept.append(edit)
    return tuple(sorted(kept, key=lambda e: (e.a_start, e.b_start)))


def identical_in(edits: Iterable[Edit], a: Tokens) -> int:
    """The identical words of a word alignment (its ``equal`` steps' words of A): a joined
    passage's, counted once each (:func:`joined_edits` keeps no word in two steps), where the
    sum of its parts' would count twice the words two parts share."""
    return sum(_word(a, e.a_end) - _word(a, e.a_start) for e in edits if e.op == "equal")


def _free_run(ia: int, ib: int, ja: int, taken_a: list[tuple[int, int]],
              taken_b: list[tuple[int, int]]) -> tuple[int, int] | None:
    """The longest run of an identical step's words (``ia:ib`` of A paired with ``ja:`` of B)
    free on both sides, as offsets into the step; ``None`` when none is."""
    size = ib - ia
    if not _overlaps(taken_a, ia, ib) and not _overlaps(taken_b, ja, ja + size):
        return (0, size)
    free = np.ones(size, dtype=bool)
    for taken, first in ((taken_a, ia), (taken_b, ja)):
        for start, stop in taken:
            free[max(0, start - first):max(0, min(size, stop - first))] = False
    best: tuple[int, int] | None = None
    k = 0
    while k < size:
        if not free[k]:
            k += 1
            continue
        end = k
        while end < size and free[end]:
            end += 1
        if best is None or end - k > best[1] - best[0]:
            best = (k, end)
        k = end
    return best


def _overlaps(taken: list[tuple[int, int]], start: int, stop: int) -> bool:
    """Whether words ``start:stop`` (none if empty) overlap a range of ``taken``."""
    if stop <= start:
        return False
    at = bisect_right(taken, (start, stop))
    return (at > 0 and taken[at - 1][1] > start) or (at < len(taken) and taken[at][0] < stop)


def _take(taken: list[tuple[int, int]], start: int, stop: int) -> None:
    if stop > start:
        taken.insert(bisect_right(taken, (start, stop)), (start, stop))


def _clash(p: Passage, q: Passage) -> bool:
    """Half of either passage overlaps the other on one side: one stretch of text is evidence
    once, for its best match (a small overlap at the edges of neighbours is allowed)."""
    return (_overlap(p.a_start, p.a_end, q.a_start, q.a_end) or _overlap(p.b_start, p.b_end, q.b_start, q.b_end))


def _overlap(s1: int, e1: int, s2: int, e2: int) -> bool:
    return min(e1, e2) - max(s1, s2) > 0.5 * min(e1 - s1, e2 - s2)
