"""The word pass: seeds and chains of two texts' word ids, the candidate regions they give, and
each region aligned word by word with rapidfuzz's ``Indel.opcodes`` (in windows for very long
stretches) into a passage and its word alignment (the edits shown for it).

:func:`passage_spans` and :func:`word_passage_possible` run the same pass without making any
passage, for the screen that decides which pairs are worth aligning.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import cast

import numpy as np
from rapidfuzz.distance import Indel

from ..models import Edit, Passage
from ..text import Tokens
from .compiled import Codes, seed_pairs
from .regions import Regions, held_regions

#: Most words between two seeds of one chain, in either text.
GAP = 40
#: An identical word or two at the end of a passage, more than this many words from the rest,
#: is a coincidence ("the", "of"), not part of the copy.
STRAY_GAP = 5
#: Least share of identical words in a passage (Dice: 2 x identical / (words A + words B)).
MIN_SIMILARITY = 0.4
_WORD_SEED = 3
_STOP_SEED = 5
MAX_REPEATS = 20
#: A chain's region reaches this many words past its last seed (the seed's own words and a little more).
_REACH = _WORD_SEED + GAP // 4


def _seeds(ids_a: Codes, ids_b: Codes, stops_a: Codes, stops_b: Codes) -> tuple[Codes, Codes]:
    """Start positions ``(i, j)`` of word 3-grams and function-word 5-grams found in both
    (``stops_a``, ``stops_b``: the positions of the function words), sorted."""
    return seed_pairs(ids_a, ids_b, stops_a, stops_b, _WORD_SEED, _STOP_SEED, MAX_REPEATS)


Region = tuple[int, int, int, int]
"""Token ranges ``(a0, a1, b0, b1)`` of a candidate passage, ends exclusive."""


def _regions(seeds: tuple[Codes, Codes], ids_a: Codes, ids_b: Codes, *, min_words: int) -> Regions:
    """The regions worth aligning word by word, in order: the region of every chain the seeds
    form along a diagonal (:func:`~dupefind.align.compiled.chain_spans`, reaching a little past
    its last seed) and of every run of chains joined
    (:func:`~dupefind.align.regions.candidate_regions`), each once, but those whose words
    cannot hold ``min_words`` identical words in order (most of them: a seed or two). A dropped
    region would have given no passage (:func:`_fine_span` keeps at most as many identical
    words as their longest common subsequence). All in one compiled call
    (:func:`~dupefind.align.regions.held_regions`)."""
    # 32-bit word positions when they fit (they always do but for texts of billions of words):
    # half the memory for the millions of regions of two long texts.
    like: Regions = np.empty(0, dtype=np.int32 if max(len(ids_a), len(ids_b)) < 2**31 else np.int64)
    return held_regions(seeds[0], seeds[1], ids_a, ids_b, GAP, _REACH, min_words, _MEASURED_CELLS, like)


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
        kept = _within(found, limit_a, limit_b)
        if kept:
            blocks += kept
            i, j = kept[-1][1], kept[-1][3]
        else:
            i, j = i + max(1, (end_a - i) // 2), j + max(1, (end_b - j) // 2)
    return blocks


def _within(blocks: list[tuple[int, int, int, int]], limit_a: int, limit_b: int) -> list[tuple[int, int, int, int]]:
    """The identical blocks (in order on both sides) up to ``limit_a`` and ``limit_b``, the one
    that crosses a limit cut there (the next window aligns its rest again): kept whole or not
    at all, a block running past the window's three quarters (two identical texts: one block,
    the whole window) was lost, and half a window passed by with nothing aligned."""
    kept = []
    for x1, x2, y1, _ in blocks:  # (an identical block is as long on both sides)
        size = min(x2 - x1, limit_a - x1, limit_b - y1)
        if size <= 0:
            break
        kept.append((x1, x1 + size, y1, y1 + size))
        if size < x2 - x1:
            break
    return kept


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
