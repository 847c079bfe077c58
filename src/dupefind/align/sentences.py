"""Sentence-level evidence: stretches of two texts that say the same things in other words.

The word aligner (:mod:`dupefind.align.passages`) starts from runs of identical words; a passage
rewritten sentence by sentence (phrases shuffled, words dropped, translated and back) keeps
few of those, but it keeps its content words. After Sanchez-Perez, Sidorov and Gelbukh
(PAN 2014, "A winning approach to text alignment"):

1. *Sentences* (the text's lines and sentences, long ones cut, very short ones joined to the
   next) become tf-isf vectors of their content words, each cut to a short stem.
2. *Seeds*: sentence pairs whose vectors have a cosine of at least ``SEED_COSINE`` and whose
   term sets a Dice coefficient of at least ``SEED_DICE``.
3. *Clusters*: seeds at most ``GAP`` sentences apart in A, then in B, repeatedly, so shuffled
   sentences inside one copied stretch stay together.
4. *Validation*: a cluster's two stretches, each as one bag of words, must have a cosine of at
   least ``VALID_COSINE``, and neither may hold a sentence that is the copy of something
   outside the other (a paragraph moved elsewhere); a cluster that fails is clustered again
   with a smaller gap.

The cost is bounded by the number of sentence pairs (one matrix product over the terms both
texts share), not by the length of the texts in characters.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress, repeat
from operator import getitem

import numpy as np
import numpy.typing as npt

from ..text import Tokens, segments
from .compiled import (
    Codes,
    Weights,
    bag,
    sentence_frequency,
    sentence_squares,
    similar_pairs,
    similar_seeds,
)

#: Seed: cosine of the two sentences' tf-isf vectors and Dice of their term sets.
SEED_COSINE = 0.33
SEED_DICE = 0.33
#: A seed's cosine is at least this share of the best cosine of either of its sentences.
BEST_SHARE = 0.6
#: A sentence matching more sentences of the other text than this seeds nothing.
MAX_MATCHES = 4
#: A seed at the end of a cluster less alike than this share of the cluster's median is trimmed.
EDGE_SHARE = 0.6
#: Runs of at least this many sentences in another order are moved paragraphs, kept apart
#: (shorter runs are shuffled sentences inside one copied stretch).
MOVED_BLOCK = 3
#: Most sentences between two seeds of one cluster, in either text.
GAP = 3
#: Least cosine of a cluster's two stretches, each taken as one bag of words.
VALID_COSINE = 0.34
#: Most content words on one side of a fragment per content word on the other.
MAX_RATIO = 3
#: Sentences are cut at this many words and joined to the next below ``MIN_SENTENCE`` words.
MAX_SENTENCE = 60
MIN_SENTENCE = 6
#: More words than this at the end of a stretch, none of them found in the other, are cut off.
LOOSE_END = 6
#: Content words are compared by their first few letters (a cheap stemmer: "industries",
#: "industry" and "industrial" agree).
STEM = 5

#: Function words: they say nothing about what a sentence is about.
FUNCTION_WORDS: frozenset[str] = frozenset(
    ["a", "about", "above", "after", "again", "against", "all", "also", "although", "am", "an", "and", "any", "are", "as", "at", "be", "because", "been", "before", "being", "below", "between", "both", "but", "by", "can", "could", "did", "do", "does", "doing", "down", "during", "each", "either", "else", "even", "ever", "every", "few", "for", "from", "further", "had", "has", "have", "having", "he", "her", "here", "hers", "him", "his", "how", "however", "i", "if", "in", "into", "is", "it", "its", "itself", "just", "may", "me", "might", "more", "most", "much", "must", "my", "neither", "no", "nor", "not", "now", "of", "off", "on", "once", "one", "only", "or", "other", "our", "ours", "out", "over", "own", "per", "same", "shall", "she", "should", "so", "some", "such", "than", "that", "the", "their", "theirs", "them", "then", "there", "these", "they", "this", "those", "though", "through", "thus", "to", "too", "under", "until", "up", "upon", "us", "very", "was", "we", "were", "what", "when", "where", "whether", "which", "while", "who", "whom", "whose", "why", "will", "with", "within", "without", "would", "yet", "you", "your"]
)


@dataclass(frozen=True, slots=True)
class Fragment:
    """Two stretches of whole sentences that share their content (token ranges, ends exclusive)."""

    a_start: int
    """First token of the stretch in A."""
    a_end: int
    """One past its last token."""
    b_start: int
    """First token of the stretch in B."""
    b_end: int
    """One past its last token."""
    cosine: float
    """Cosine of the two stretches' tf-isf vectors."""
    seeds: int
    """Number of similar sentence pairs it rests on."""


Seed = tuple[int, int]
"""Sentence indices ``(i, j)`` in A and B."""


def fragments(text_a: str, a: Tokens, text_b: str, b: Tokens, *,
              ignore_a: npt.NDArray[np.bool_] | None = None,
              ignore_b: npt.NDArray[np.bool_] | None = None) -> list[Fragment]:
    """Validated stretches of A and B that share their content, best first, not overlapping."""
    return sentence_fragments(sentences(text_a, a, ignore_a), sentences(text_b, b, ignore_b))


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """A sequence of strings as codes: each distinct string numbered in order of first occurrence."""

    items: list[str]
    """The distinct strings, in order of first occurrence."""
    index: dict[str, int]
    """The code of each distinct string (its position in ``items``)."""
    codes: Codes
    """The code of each string of the sequence."""


def vocabulary(strings: Sequence[str]) -> Vocabulary:
    """The codes of ``strings`` (loops that run in C: this is done for every word of a text)."""
    index = dict.fromkeys(strings, 0)  # each value set next
    items = list(index)
    index.update(zip(items, range(len(items))))
    return Vocabulary(items, index, np.fromiter(map(index.__getitem__, strings), dtype=np.int64, count=len(strings)))


def joint_codes(a: Vocabulary, b: Vocabulary) -> Codes:
    """For each of B's distinct strings, its code in one numbering of both texts: A's code when A
    has it, else the next free one after A's, in B's order (as one dict filled with A's strings,
    then B's, numbers them). One more entry at the end, ``-1``, keeps the code -1 at -1."""
    joint = np.fromiter(map(a.index.get, b.items, repeat(-1)), dtype=np.int64, count=len(b.items))
    new = joint < 0
    joint[new] = len(a.items) + np.arange(int(new.sum()))
    return np.append(joint, -1)


@dataclass(frozen=True, slots=True)
class Sentences:
    """One text's sentences and content-word stems, ready to be compared with any other text."""

    starts: Codes
    """First token of each sentence."""
    ends: Codes
    """One past its last token."""
    stems: Vocabulary
    """The stems of the text's content words (see :func:`content_terms`), one per word that has
    one: ``stems.items[stem[k]]`` is the stem of word ``k``."""
    stem: Codes
    """Code of each word's stem in ``stems``, ``-1`` for a word without one."""
    term: Codes
    """``stem`` with ``-1`` for the boilerplate words too: the terms the sentences are made of."""


def sentences(text: str, tokens: Tokens, ignore: npt.NDArray[np.bool_] | None = None, *,
              segment_starts: Sequence[int] | None = None, words: Vocabulary | None = None) -> Sentences:
    """The sentences and stems of a text (``ignore``: its boilerplate words). ``segment_starts``
    (the first word of each of :func:`~dupefind.text.segments`) and ``words`` (the
    :func:`vocabulary` of its words), if the caller has them, spare computing them again."""
    if segment_starts is None:
        segment_starts = [span.start for span in segments(text, tokens)]
    words = words if words is not None else vocabulary(tokens.words)
    bounds = np.array(_sentences(segment_starts, len(tokens)), dtype=np.int64).reshape(-1, 2)
    # Each distinct word's stem (all loops in C): the stems of ``_term``, stated over arrays.
    items = words.items
    content = np.fromiter(map(len, items), dtype=np.int64, count=len(items)) > 2
    longer = list(compress(items, content.tolist()))
    function = np.fromiter(map(FUNCTION_WORDS.__contains__, longer), dtype=bool, count=len(longer))
    digits = np.fromiter(map(str.isdigit, longer), dtype=bool, count=len(longer))
    content[content] = kept = ~function & ~digits
    stems = vocabulary(list(map(getitem, compress(longer, kept.tolist()), repeat(_STEM_SLICE))))
    stem_of_item = np.full(len(items) + 1, -1, dtype=np.int64)
    stem_of_item[:-1][content] = stems.codes
    stem = stem_of_item[words.codes]
    term = stem if ignore is None or not ignore.any() else np.where(ignore, -1, stem)
    return Sentences(bounds[:, 0].copy(), bounds[:, 1].copy(), stems, stem, term)


def paired(a: Sentences, b: Sentences, *, floor: float = SEED_COSINE) -> SentencePair:
    """Two texts' sentences as tf-isf vectors over one numbering of both texts' stems, for
    every pass over the pair's sentences (the sentence pass and the summary step): made once
    per pair. ``floor``: the lowest cosine any of those passes asks similar sentences to reach
    (the similar pairs are found once, at that level)."""
    joint = joint_codes(a.stems, b.stems)
    n_terms = len(a.stems.items) + int((joint[:-1] >= len(a.stems.items)).sum())
    return SentencePair(a.term, a, joint[b.term], b, n_terms, joint=joint, floor=floor)


def sentence_fragments(a: Sentences, b: Sentences, vectors: SentencePair | None = None) -> list[Fragment]:
    """:func:`fragments` of two texts' :class:`Sentences` (``vectors``: :func:`paired` of them,
    if the caller has it)."""
    vectors = vectors if vectors is not None else paired(a, b)
    joint = vectors.joint
    if not vectors.shared.any():
        return []
    seeds = vectors.seeds()
    if not seeds:
        return []
    found: list[tuple[float, int, int, int, int, int]] = []
    for cluster in _validated(seeds, GAP, vectors, _SeedIndex(seeds)):
        cluster = _trimmed(cluster, vectors.cosine)
        i0, i1 = min(i for i, _ in cluster), max(i for i, _ in cluster)
        j0, j1 = min(j for _, j in cluster), max(j for _, j in cluster)
        found.append((vectors.stretch_cosine(i0, i1, j0, j1), i0, i1, j0, j1, len(cluster)))
    kept: list[Fragment] = []
    on_a, on_b = _Spans(), _Spans()
    stem_b = joint[b.stem]
    for cosine, i0, i1, j0, j1, size in sorted(found, key=lambda f: (-f[0], f[1:])):
        # Each stretch runs from its first to its last content word found in the other: a
        # sentence only partly copied (or badly cut) does not bring its other part along.
        span_a = int(a.starts[i0]), int(a.ends[i1])
        span_b = int(b.starts[j0]), int(b.ends[j1])
        a0, a1 = _shared_span(a.stem, *span_a, vectors.holds(vectors.terms_b, *span_b))
        b0, b1 = _shared_span(stem_b, *span_b, vectors.holds(vectors.terms_a, *span_a))
        frag = Fragment(a0, a1, b0, b1, round(cosine, 4), size)
        if not on_a.overlaps(a0, a1) and not on_b.overlaps(b0, b1):  # no kept fragment overlaps it
            kept.append(frag)
            on_a.add(a0, a1)
            on_b.add(b0, b1)
    return kept


def _sentences(segment_starts: Sequence[int], words: int) -> list[tuple[int, int]]:
    """Token ranges of the text's sentences: its segments (first words ``segment_starts`` of
    ``words``) cut at ``MAX_SENTENCE`` words, short ones joined."""
    stops = [*segment_starts[1:], words]
    pieces = [(s, min(stop, s + MAX_SENTENCE)) for start, stop in zip(segment_starts, stops)
              for s in range(start, stop, MAX_SENTENCE)]
    out: list[tuple[int, int]] = []
    start: int | None = None
    for first, end in pieces:
        first = first if start is None else start
        if end - first < MIN_SENTENCE:
            start = first
            continue
        out.append((first, end))
        start = None
    if start is not None:
        if out:
            out[-1] = (out[-1][0], pieces[-1][1])
        else:
            out.append((start, pieces[-1][1]))
    return out


def _term(word: str) -> str:
    """A content word's stem; empty for a function word, a number or a word of one or two letters."""
    return word[:STEM] if len(word) > 2 and word not in FUNCTION_WORDS and not word.isdigit() else ""


_STEM_SLICE = slice(0, STEM)


def content_terms(words: Sequence[str]) -> set[str]:
    """The distinct stems of the content words among ``words`` (as fragments compare them)."""
    return {term for word in words if (term := _term(word))}


def _shared_span(stem: Codes, start: int, end: int, other: npt.NDArray[np.bool_]) -> tuple[int, int]:
    """Words ``start:end`` (``stem``: their stem codes) less any run of more than ``LOOSE_END``
    words at either end without a stem that ``other`` holds."""
    hits = np.flatnonzero(other[stem[start:end]]) + start
    if not len(hits):
        return start, end
    first, last = int(hits[0]), int(hits[-1])
    return (first if first - start > LOOSE_END else start), (last + 1 if end - last - 1 > LOOSE_END else end)


Similar = tuple[Codes, Codes, Weights, Weights, Codes, Codes]
"""Sentence pairs ``(i, j)`` of A and B, row by row, with their cosine and their number of
shared terms; then the number of terms of each sentence of A and of B."""


class SentencePair:
    """tf-isf vectors of both texts' sentences: their products, and bags of whole stretches."""

    def __init__(self, terms_a: Codes, a: Sentences, terms_b: Codes, b: Sentences, n_terms: int, *,
                 joint: Codes, floor: float = SEED_COSINE) -> None:
        frequency_a = sentence_frequency(terms_a, a.starts, a.ends, n_terms)
        frequency_b = sentence_frequency(terms_b, b.starts, b.ends, n_terms)
        self.shared = (frequency_a > 0) & (frequency_b > 0)
        self.isf = _isf(len(a.starts) + len(b.starts))[frequency_a + frequency_b]
        self.terms_a, self.terms_b, self.a, self.b = terms_a, terms_b, a, b
        self.joint = joint
        """B's stem codes in the numbering of both texts (:func:`joint_codes`)."""
        self.counts_a = np.concatenate(([0], np.cumsum(terms_a >= 0))).tolist()
        self.counts_b = np.concatenate(([0], np.cumsum(terms_b >= 0))).tolist()
        self.cosine: dict[Seed, float] = {}
        """The cosine of each seed."""
        self._holds = np.zeros(n_terms + 1, dtype=bool)
        self._floor = floor
        self._similar: Similar | None = None

    def similar(self, min_cosine: float) -> Similar:
        """The sentence pairs whose cosine reaches ``min_cosine`` (at least the ``floor`` this
        pair was made with): found once at the floor, then only filtered."""
        if min_cosine < self._floor:
            raise ValueError(f"sentence pairs of cosine {min_cosine} asked of a pair made for {self._floor} or more")
        if self._similar is None:
            a, b = self.a, self.b
            squares_a, sizes_a = sentence_squares(self.terms_a, a.starts, a.ends, self.isf)
            squares_b, sizes_b = sentence_squares(self.terms_b, b.starts, b.ends, self.isf)
            rows, cols, cosine, common = similar_pairs(
                self.terms_a, a.starts, a.ends, self.terms_b, b.starts, b.ends, self.isf, self.shared,
                _norms(squares_a, sizes_a), _norms(squares_b, sizes_b), self._floor)
            self._similar = (rows, cols, cosine, common, sizes_a, sizes_b)
        rows, cols, cosine, common, sizes_a, sizes_b = self._similar
        if min_cosine > self._floor:
            keep = cosine >= min_cosine
            rows, cols, cosine, common = rows[keep], cols[keep], cosine[keep], common[keep]
        return rows, cols, cosine, common, sizes_a, sizes_b

    def seeds(self) -> list[Seed]:
        """Sentence pairs similar enough in both measures, sorted.

        Only the pairs whose cosine reaches ``SEED_COSINE`` are ever held (one row of products
        at a time is summed), so memory grows with the sentences and those pairs, not with
        the product of the two texts' lengths; the seeds are those of the dense statement
        (:func:`~dupefind.align.compiled.sentence_products` and
        :func:`~dupefind.align.compiled.similar_sentences`), to the last bit.
        """
        a, b = self.a, self.b
        rows, cols, cosine, common, sizes_a, sizes_b = self.similar(SEED_COSINE)
        order = np.lexsort((cols, rows))
        rows, cols, cosine, common = rows[order], cols[order], cosine[order], common[order]
        chosen = similar_seeds(rows, cols, cosine, common, len(a.starts), len(b.starts),
                               np.maximum(sizes_a, 1).astype(float), np.maximum(sizes_b, 1).astype(float),
                               SEED_DICE, BEST_SHARE, MAX_MATCHES)
        seeds = list(zip(rows[chosen].tolist(), cols[chosen].tolist()))
        self.cosine = dict(zip(seeds, cosine[chosen].tolist()))
        return seeds

    def words(self, i0: int, i1: int, j0: int, j1: int) -> tuple[int, int]:
        """Number of terms (with repeats) in sentences ``i0..i1`` of A and ``j0..j1`` of B."""
        a, b = self.a, self.b
        return (self.counts_a[a.ends[i1]] - self.counts_a[a.starts[i0]],
                self.counts_b[b.ends[j1]] - self.counts_b[b.starts[j0]])

    def holds(self, terms: Codes, start: int, end: int) -> npt.NDArray[np.bool_]:
        """Which terms occur among tokens ``start:end`` (one more entry, for -1, is ``False``)."""
        found = np.zeros_like(self._holds)
        found[terms[start:end]] = True
        found[-1] = False
        return found

    def stretch_cosine(self, i0: int, i1: int, j0: int, j1: int) -> float:
        """Cosine of sentences ``i0..i1`` of A and ``j0..j1`` of B, each summed into one vector."""
        a, b = self.a, self.b
        terms_a, weights_a = bag(self.terms_a, a.starts[i0], a.ends[i1], self.isf)
        terms_b, weights_b = bag(self.terms_b, b.starts[j0], b.ends[j1], self.isf)
        dense_b = np.zeros(len(self.isf))
        dense_b[terms_b] = weights_b
        # Python's own sum, over the terms in order of first occurrence in A: the same float.
        dot = sum((weights_a * dense_b[terms_a]).tolist())
        norms = float(np.sqrt(sum((weights_a * weights_a).tolist()) * sum((weights_b * weights_b).tolist())))
        return dot / norms if norms else 0.0


def _norms(squares: Weights, sizes: Codes) -> Weights:
    """Each sentence's norm: the square root of its sum of squares (``** 0.5`` of Python, as
    it always was); 1 for a sentence without terms."""
    return np.array([s**0.5 if n else 1.0 for s, n in zip(squares.tolist(), sizes.tolist())])


@lru_cache(maxsize=1024)
def _isf(total: int) -> Weights:
    """Inverse sentence frequency of a term found in ``n`` of ``total`` sentences, for each ``n``
    (each computed on its own, as a float of ``np.log``, the same to the last bit)."""
    return np.array([0.0] + [float(np.log(total / n)) + 1e-3 for n in range(1, total + 1)])


def _validated(seeds: Sequence[Seed], gap: int, vectors: SentencePair,
               everything: _SeedIndex) -> list[list[Seed]]:
    """Clusters of ``seeds`` that pass validation, re-clustering failures with a smaller gap
    (``everything``: all the seeds, to tell whether a stretch holds a sentence copied elsewhere)."""
    out: list[list[Seed]] = []
    for cluster in _clusters(seeds, gap):
        i0, i1 = min(i for i, _ in cluster), max(i for i, _ in cluster)
        j0, j1 = min(j for _, j in cluster), max(j for _, j in cluster)
        words_a, words_b = vectors.words(i0, i1, j0, j1)
        blocks = _blocks(cluster)
        if sum(len({i for i, _ in block}) >= MOVED_BLOCK for block in blocks) > 1:
            # Whole paragraphs in another order: each is a passage of its own.
            for block in blocks:
                out.extend(_validated(block, gap, vectors, everything))
        elif (vectors.stretch_cosine(i0, i1, j0, j1) >= VALID_COSINE
                and max(words_a, words_b) <= MAX_RATIO * min(words_a, words_b)
                and _self_contained(cluster, everything, i0, i1, j0, j1)):
            out.append(cluster)
        elif gap > 0 and len(cluster) > 1:
            out.extend(_validated(cluster, gap - 1, vectors, everything))
    return out


def _clusters(seeds: Sequence[Seed], gap: int) -> list[list[Seed]]:
    """Split seeds wherever more than ``gap`` sentences separate neighbours in A or in B, until
    no group splits any more."""
    pending, done = [list(seeds)], []
    while pending:
        group = pending.pop()
        for axis in (0, 1):
            parts = _split(group, axis, gap)
            if len(parts) > 1:
                pending.extend(parts)
                break
        else:
            done.append(sorted(group))
    return sorted(done)


def _split(group: list[Seed], axis: int, gap: int) -> list[list[Seed]]:
    ordered = sorted(group, key=lambda s: (s[axis], s[1 - axis]))
    parts: list[list[Seed]] = [[ordered[0]]]
    for seed in ordered[1:]:
        if seed[axis] - parts[-1][-1][axis] > gap + 1:
            parts.append([])
        parts[-1].append(seed)
    return parts


def _blocks(cluster: Sequence[Seed]) -> list[list[Seed]]:
    """The cluster cut wherever, in A's order, B goes backwards: its runs in the same order."""
    blocks: list[list[Seed]] = []
    furthest = 0  # the furthest position in B of the last block
    for seed in sorted(cluster):
        if not blocks or seed[1] < furthest - 1:
            blocks.append([])
            furthest = seed[1]
        blocks[-1].append(seed)
        furthest = max(furthest, seed[1])
    return blocks


class _SeedIndex:
    """All the seeds, sorted by their sentence in A and by their sentence in B, to find those in
    a stretch of either text without going through all of them (a long text has many)."""

    def __init__(self, seeds: Sequence[Seed]) -> None:
        self.by_a = sorted(seeds)
        self.keys_a = [i for i, _ in self.by_a]
        self.by_b = sorted(seeds, key=lambda s: (s[1], s[0]))
        self.keys_b = [j for _, j in self.by_b]

    def in_a(self, i0: int, i1: int) -> list[Seed]:
        """The seeds whose sentence of A is one of ``i0..i1``."""
        return self.by_a[bisect_left(self.keys_a, i0) : bisect_right(self.keys_a, i1)]

    def in_b(self, j0: int, j1: int) -> list[Seed]:
        """The seeds whose sentence of B is one of ``j0..j1``."""
        return self.by_b[bisect_left(self.keys_b, j0) : bisect_right(self.keys_b, j1)]


def _self_contained(cluster: Sequence[Seed], seeds: _SeedIndex, i0: int, i1: int,
                    j0: int, j1: int) -> bool:
    """No sentence inside either stretch is matched only outside the other stretch."""
    in_a = {i for i, _ in cluster}
    in_b = {j for _, j in cluster}
    return not (any(j not in in_b and not i0 <= i <= i1 for i, j in seeds.in_b(j0, j1))
                or any(i not in in_a and not j0 <= j <= j1 for i, j in seeds.in_a(i0, i1)))


def _trimmed(cluster: list[Seed], cosine: dict[Seed, float]) -> list[Seed]:
    """The cluster without seeds at its ends (first or last in A or in B) that are much less alike
    than its typical seed: a neighbouring sentence on the same subject, not part of the copy."""
    cluster = list(cluster)
    typical = _median([cosine[s] for s in cluster])
    while len(cluster) > 1:
        ends = {min(cluster), max(cluster), min(cluster, key=lambda s: (s[1], s[0])),
                max(cluster, key=lambda s: (s[1], s[0]))}
        weak = [s for s in ends if cosine[s] < EDGE_SHARE * typical]
        if not weak:
            break
        cluster.remove(min(weak, key=lambda s: (cosine[s], s)))
    return cluster


def _median(values: list[float]) -> float:
    """The median of ``values`` (not empty), the same float as ``np.median`` gives: the middle
    value, or the mean of the two middle values."""
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def _overlaps(p: Fragment, q: Fragment) -> bool:
    return min(p.a_end, q.a_end) > max(p.a_start, q.a_start) or min(p.b_end, q.b_end) > max(p.b_start, q.b_start)


class _Spans:
    """Ranges of one text that do not overlap one another (``min(ends) > max(starts)`` holds
    for no two), sorted: whether a new range overlaps any of them is a bisection, not a pass
    over all of them (:func:`_overlaps` for each kept fragment, stated for many)."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    def overlaps(self, start: int, end: int) -> bool:
        # Sorted and disjoint, the ranges end in order too: only the last one starting before
        # ``end`` can reach past ``start``. An empty range overlaps nothing.
        k = bisect_left(self.starts, end) - 1
        return end > start and k >= 0 and self.ends[k] > start

    def add(self, start: int, end: int) -> None:
        if end > start:
            k = bisect_left(self.starts, start)
            self.starts.insert(k, start)
            self.ends.insert(k, end)
