"""Passages grown and joined: a sentence fragment joins the passages inside it (or is a passage
of its own), passages that touch in both texts are joined, and the word alignments of joined
passages are merged so that each word is aligned, and counted, once.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable

import numpy as np

from ..models import Edit, Passage
from ..text import Tokens
from .compiled import Codes
from .sentences import Fragment
from .words import _equal_blocks, _passage

#: Most words between two aligned pieces that are joined into one passage.
TOUCH = 15
#: Most words of a piece joined to a neighbour it has changed places with (a phrase moved
#: inside a copied stretch; a sentence or a paragraph moved is a piece of its own).
CROSSED = 15
#: Least similarity of two longer pieces that changed places and stay passages of their own.
CROSSED_SIMILARITY = 0.95
#: A stretch of sentences without any identical phrase needs this many similar sentence pairs.
MIN_SEEDS = 2


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
    if any(_crossed(p, q) for k, p in enumerate(covered) for q in covered[k + 1 :]):
        return passages  # pieces that changed places: each stays evidence of its own
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


def _grouped(passages: list[Passage], a: Tokens, b: Tokens) -> list[Passage]:
    """Join passages that touch in both texts (at most ``TOUCH`` words apart): in the same
    order, or crossed unless they are two blocks copied word for word (:func:`_crossed`).

    Shuffled phrases inside one copied stretch (word-order obfuscation) align as several
    short pieces side by side; they are one piece of evidence. Two blocks copied word for word
    that changed places (sentences, paragraphs) are not joined: a passage over both would set
    side by side two texts in different orders as one.

    The first touching pair in list order (``x < y``) is joined into ``x`` and ``y`` dropped,
    until no pair touches. After a join only the pairs of the joined group are new: those with
    a group before it are looked at first, then the list from it on, as a fresh look at the
    whole list would find them (the tests hold it against that plain statement).
    """
    groups = list(passages)
    fresh = 0  # before ``fresh``, no two groups touch but perhaps a group and ``groups[fresh]``

    def touch(p: Passage, q: Passage) -> bool:
        return _touch(p, q, a, b)

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


def _split_around(passages: list[Passage], a: Tokens, b: Tokens, *, min_words: int) -> list[Passage]:
    """Passages cut where a step of theirs skips words another passage aligns elsewhere.

    A paragraph that changed places in B lies between two paragraphs copied in order; their
    passage skips it as words inserted, and another passage aligns it with its place in A.
    Left whole, the first passage would set it beside nothing and then be joined to the other
    (they touch in both texts), one passage over two texts in different orders. So such a
    passage is cut into the parts before and after the skipped words (a part without
    ``min_words`` identical words is dropped). A summary's passage also skips words on one side,
    but words no other passage aligns: it stays whole."""
    out: list[Passage] = []
    for p in passages:
        # Only a passage lying within p on one side and outside it on the other can be skipped.
        others = [q for q in passages if q is not p and (
            (q.b_start < p.b_end and q.b_end > p.b_start and (q.a_end <= p.a_start or q.a_start >= p.a_end))
            or (q.a_start < p.a_end and q.a_end > p.a_start and (q.b_end <= p.b_start or q.b_start >= p.b_end)))]
        if not others:
            out.append(p)
            continue
        cut = next((k for k, e in enumerate(p.edits) if e.op != "equal" and _holds_other(e, p, others, a, b)), None)
        if cut is None:
            out.append(p)
            continue
        parts = [_part(p.edits[:cut], a, b, min_words), _part(p.edits[cut + 1 :], a, b, min_words)]
        out += _split_around([part for part in parts if part is not None], a, b, min_words=min_words)
    return out


def _holds_other(step: Edit, p: Passage, others: list[Passage], a: Tokens, b: Tokens) -> bool:
    """Whether a step of ``p`` skips, on one side, most of the words of a passage that lies
    outside ``p`` on the other side."""
    for q in others:
        for (start, end, q_start, q_end, out_start, out_end, t) in (
                (step.b_start, step.b_end, q.b_start, q.b_end, p.a_start <= q.a_start < p.a_end, p.a_start < q.a_end <= p.a_end, b),
                (step.a_start, step.a_end, q.a_start, q.a_end, p.b_start <= q.b_start < p.b_end, p.b_start < q.b_end <= p.b_end, a)):
            if out_start or out_end:
                continue  # q is inside p on the other side: not a moved piece
            inside = _word(t, min(end, q_end)) - _word(t, max(start, q_start))
            if inside > TOUCH and 2 * inside >= _word(t, q_end) - _word(t, q_start):
                return True
    return False


def _part(edits: tuple[Edit, ...], a: Tokens, b: Tokens, min_words: int) -> Passage | None:
    """The passage of a run of a passage's steps, if it keeps ``min_words`` identical words."""
    if identical_in(edits, a) < min_words:
        return None
    on_a = [e for e in edits if e.a_end > e.a_start]
    on_b = [e for e in edits if e.b_end > e.b_start]
    return _spanning(min(e.a_start for e in on_a), max(e.a_end for e in on_a), min(e.b_start for e in on_b),
                     max(e.b_end for e in on_b), edits, a, b)


def _touch(p: Passage, q: Passage, a: Tokens, b: Tokens) -> bool:
    """Whether ``p`` and ``q`` are one piece of evidence: they touch in both texts and have not
    changed places (:func:`_crossed`)."""
    return (_near(p.a_start, p.a_end, q.a_start, q.a_end, a) and _near(p.b_start, p.b_end, q.b_start, q.b_end, b)
            and not _crossed(p, q))


def _crossed(p: Passage, q: Passage) -> bool:
    """Whether two passages are blocks copied word for word that changed places: they stand in
    different orders in the two texts (their starts), do not overlap in both, are each at least
    :data:`CROSSED_SIMILARITY` identical, and neither is a phrase of at most :data:`CROSSED`
    words. Pieces of a reworded stretch whose phrases were shuffled (word-order obfuscation)
    are one piece of evidence: the aligner finds them in fragments whose bounds are its own,
    and the passage over them keeps each fragment's word alignment, which shows the move."""
    if min(p.a_end, q.a_end) > max(p.a_start, q.a_start) and min(p.b_end, q.b_end) > max(p.b_start, q.b_start):
        return False  # they overlap in both texts
    return ((p.a_start < q.a_start) != (p.b_start < q.b_start)
            and min(p.words_a, p.words_b, q.words_a, q.words_b) > CROSSED
            and min(p.similarity, q.similarity) >= CROSSED_SIMILARITY)


def _near(s1: int, e1: int, s2: int, e2: int, t: Tokens) -> bool:
    """At most ``TOUCH`` words between the two character ranges (or they overlap)."""
    if min(e1, e2) >= max(s1, s2):
        return True
    gap_start, gap_end = min(e1, e2), max(s1, s2)
    return bisect_left(t.starts, gap_end) - bisect_left(t.starts, gap_start) <= TOUCH


def _join(p: Passage, q: Passage, a: Tokens, b: Tokens) -> Passage:
    return _spanning(min(p.a_start, q.a_start), max(p.a_end, q.a_end), min(p.b_start, q.b_start),
                     max(p.b_end, q.b_end), joined_edits(p.edits + q.edits, a, b), a, b)


def _spanning(a_start: int, a_end: int, b_start: int, b_end: int, edits: tuple[Edit, ...], a: Tokens,
              b: Tokens) -> Passage:
    """The passage over characters ``a_start:a_end`` of A and ``b_start:b_end`` of B with the
    word alignment ``edits`` (its words each in one step)."""
    words_a = bisect_left(a.starts, a_end) - bisect_left(a.starts, a_start)
    words_b = bisect_left(b.starts, b_end) - bisect_left(b.starts, b_start)
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
