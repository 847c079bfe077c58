"""A pair's passages to its relation: the figures, the kinds they make, the substitutions
(the rules are in the package's description)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from itertools import pairwise

import numpy as np

from ..models import Edit, Passage, Relation, Substitution
from ..text import Tokens, joined_words, normalise_word

#: The thresholds of the kinds (see the package's description): at least this share of
#: identical aligned words is a verbatim copy, ...
VERBATIM = 0.95
#: ... at least this share of identical aligned words (below verbatim, not spun): an edited copy.
EDITED = 0.80
SPUN = 0.10
CONTAINED = 0.5
MOVED = 0.10
#: Below this coverage on both sides, a pair shares a ``passage``, not a copy of a text: neither
#: text is mostly inside the other (the measure ``partial`` and dedup use).
PASSAGE = CONTAINED
#: A replacement of at most this many words on each side reads as a synonym substitution.
SUBSTITUTION_WORDS = 3
#: Most substitutions listed per pair.
MAX_SUBSTITUTIONS = 50


def explain(passages: Sequence[Passage], a: Tokens, b: Tokens) -> Relation | None:
    """What kind of copy the passages show, with the figures behind it (``None`` without any)."""
    if not passages:
        return None
    # The figures are shares of the larger side's aligned words, so that they do not depend on
    # which text is A: words one side adds count against ``identical`` either way.
    aligned = max(sum(passage.words_a for passage in passages), sum(passage.words_b for passage in passages))
    identical = substituted_a = substituted_b = short_a = short_b = 0
    subs: Counter[tuple[str, str]] = Counter()
    seen: dict[tuple[str, str], tuple[int, int]] = {}  # where each substitution first stands, in both texts
    steps: list[tuple[int, int, int]] = []  # the identical steps: first word in A, in B, words
    # Each passage's span, then its edits' spans; every span's first and one-past-last word on
    # each side (one search over the text's word starts for all of them).
    spans: list[Passage | Edit] = []
    for passage in passages:
        spans += (passage, *passage.edits)
    on_a = _word_bounds(a, [(span.a_start, span.a_end) for span in spans])
    on_b = _word_bounds(b, [(span.b_start, span.b_end) for span in spans])
    k = 0
    for passage in passages:
        (start_a, end_a), (start_b, end_b) = on_a[k], on_b[k]
        bounds = on_a[k + 1 : k + 1 + len(passage.edits)], on_b[k + 1 : k + 1 + len(passage.edits)]
        k += 1 + len(passage.edits)
        identical += _between_steps(a, b, start_a, end_a, start_b, end_b, *bounds)
        for edit, (first_a, last_a), (first_b, last_b) in zip(passage.edits, *bounds):
            words_a = last_a - first_a
            if edit.op == "equal":
                identical += words_a
                steps.append((first_a, first_b, words_a))
            elif edit.op == "replace":
                said_a, said_b = _said(a, first_a, last_a), _said(b, first_b, last_b)
                if said_a == said_b:  # the same words: not a substitution
                    identical += words_a
                    continue
                words_b = last_b - first_b
                substituted_a += words_a
                substituted_b += words_b
                if words_a <= SUBSTITUTION_WORDS and words_b <= SUBSTITUTION_WORDS:
                    short_a += words_a
                    short_b += words_b
                    subs[(said_a, said_b)] += 1
                    at = (edit.a_start + edit.b_start, min(edit.a_start, edit.b_start))
                    seen[(said_a, said_b)] = min(seen.get((said_a, said_b), at), at)
    substituted, short_subs = max(substituted_a, substituted_b), max(short_a, short_b)
    share_identical = identical / aligned if aligned else 0.0
    share_substituted = substituted / aligned if aligned else 0.0
    coverage_a = _covered(a, [(p.a_start, p.a_end) for p in passages])
    coverage_b = _covered(b, [(p.b_start, p.b_end) for p in passages])
    moved = _moved(steps)
    kinds = []
    spun = share_substituted >= SPUN and short_subs >= 0.5 * substituted and share_identical < VERBATIM
    if aligned and share_identical >= VERBATIM:
        kinds.append("verbatim")
    elif aligned and share_identical >= EDITED and not spun:
        kinds.append("edited")
    if spun:
        kinds.append("spun")
    most, least = sorted((coverage_a, coverage_b), reverse=True)
    if most >= CONTAINED and least < 0.5 * most:
        kinds.append("partial")
    if moved >= MOVED:
        kinds.append("reordered")
    if aligned and most < PASSAGE:
        kinds = ["passage"]
    # Most frequent first; ties by where they first stand in the two texts (its offsets in A
    # and in B added up: about the order they are read in), so the same ones are kept in the
    # same order whichever text is A.
    ranked = sorted(subs.items(), key=lambda item: (-item[1], seen[item[0]], sorted(item[0])))[:MAX_SUBSTITUTIONS]
    return Relation(
        kinds=tuple(kinds) or ("similar",), identical=round(share_identical, 4),
        substituted=round(share_substituted, 4), coverage_a=round(coverage_a, 4),
        coverage_b=round(coverage_b, 4), moved=round(moved, 4),
        substitutions=tuple(Substitution(x, y, n) for (x, y), n in ranked),
    )


def _word_bounds(t: Tokens, spans: list[tuple[int, int]]) -> list[list[int]]:
    """For each character span ``(start, end)``, its first word and one past its last: the
    words that start inside it (one search over the text's word starts for all of them)."""
    if not spans:
        return []
    found: list[list[int]] = np.searchsorted(np.asarray(t.starts), np.array(spans, dtype=np.int64),
                                             side="left").tolist()
    return found


def _between_steps(a: Tokens, b: Tokens, start_a: int, end_a: int, start_b: int, end_b: int,
                   on_a: Sequence[Sequence[int]], on_b: Sequence[Sequence[int]]) -> int:
    """The words of a passage (words ``start_a:end_a`` of A, ``start_b:end_b`` of B) outside its
    steps (``on_a``, ``on_b``: each step's first and one-past-last word on each side) that are
    the same words in the same place on both sides (:func:`_same_words`): before its first step,
    after its last and between two steps. Two steps count as neighbours only when they follow
    one another in both texts (a joined passage's steps can change places), and the first and
    last step must be first and last in both, so the count is the same with A and B swapped."""
    if not on_a:
        return _same_words(a, start_a, end_a, b, start_b, end_b)
    by_a = sorted(range(len(on_a)), key=lambda i: (on_a[i][0], on_a[i][1], on_b[i][0], on_b[i][1]))
    by_b = sorted(range(len(on_a)), key=lambda i: (on_b[i][0], on_b[i][1], on_a[i][0], on_a[i][1]))
    rank_b = {step: rank for rank, step in enumerate(by_b)}
    found = 0
    if by_a[0] == by_b[0]:
        found += _same_words(a, start_a, on_a[by_a[0]][0], b, start_b, on_b[by_a[0]][0])
    if by_a[-1] == by_b[-1]:
        found += _same_words(a, on_a[by_a[-1]][1], end_a, b, on_b[by_a[-1]][1], end_b)
    for i, j in pairwise(by_a):
        if rank_b[j] == rank_b[i] + 1:
            found += _same_words(a, on_a[i][1], on_a[j][0], b, on_b[i][1], on_b[j][0])
    return found


def _same_words(a: Tokens, first_a: int, last_a: int, b: Tokens, first_b: int, last_b: int) -> int:
    """The words ``first_a:last_a`` of A when they are the words ``first_b:last_b`` of B (words
    between two edits of a passage, or before its first or after its last, that the aligner
    set aside on both sides: the same boilerplate sentence in the same place of the copy), else 0."""
    words = last_a - first_a
    if words <= 0 or last_b - first_b != words or _said(a, first_a, last_a) != _said(b, first_b, last_b):
        return 0
    return words


def _said(t: Tokens, first: int, last: int) -> str:
    """Words ``first:last`` of ``t``, normalised, as people read them (:func:`joined_words`)."""
    return joined_words([normalise_word(w) for w in t.words[first:last]])


def _covered(t: Tokens, spans: list[tuple[int, int]]) -> float:
    if not len(t):
        return 0.0
    inside = np.zeros(len(t), dtype=bool)
    for first, last in _word_bounds(t, spans):
        inside[first:last] = True
    return int(inside.sum()) / len(t)


def _moved(steps: list[tuple[int, int, int]]) -> float:
    """The share of the identical words (steps ``(first word in A, first word in B, words)``)
    outside the heaviest chain of steps that keeps the same order in both texts: blocks that
    changed places, as passages of their own or inside one (a shuffled stretch's fragments)."""
    steps = sorted(steps)
    total = sum(words for _, _, words in steps)
    if not total or all(x[1] <= y[1] for x, y in pairwise(steps)):
        return 0.0  # all in order (nearly every copy): no chain to weigh
    ranks = {b: k for k, b in enumerate(sorted({b for _, b, _ in steps}))}
    tree = [0] * (len(ranks) + 1)  # a Fenwick tree of the heaviest chain ending at each rank of B
    best = 0
    for _, b, words in steps:
        k, heaviest = ranks[b] + 1, 0
        while k > 0:  # the heaviest chain ending at or before this step's place in B
            heaviest = max(heaviest, tree[k])
            k -= k & -k
        chain = heaviest + words
        best = max(best, chain)
        k = ranks[b] + 1
        while k < len(tree):
            tree[k] = max(tree[k], chain)
            k += k & -k
    return (total - best) / total


def describe(relation: Relation) -> str:
    """One line for people: the kinds and the figures behind them."""
    moved = f", {relation.moved:.0%} moved" if relation.moved else ""
    return (f"{' + '.join(relation.kinds)}: {relation.identical:.0%} of aligned words identical, "
            f"{relation.substituted:.0%} substituted{moved}; passages cover {relation.coverage_a:.0%} "
            f"of A and {relation.coverage_b:.0%} of B")


def substitution_list(relation: Relation, *, limit: int = 12) -> str:
    """The most frequent substitutions, ``"buddies" → "good friends"`` style."""
    shown = [f"{s.a} → {s.b}" + (f" ×{s.count}" if s.count > 1 else "") for s in relation.substitutions[:limit]]
    more = len(relation.substitutions) - len(shown)
    # The relation keeps the MAX_SUBSTITUTIONS most frequent: at that many, there may be more.
    at_least = "at least " if len(relation.substitutions) >= MAX_SUBSTITUTIONS else ""
    return ", ".join(shown) + (f", … {at_least}{more} more" if more > 0 else "")
