"""Sentence-level evidence: stretches of two texts that say the same things in other words.

The word aligner (:mod:`dupefind.align`) starts from runs of identical words; a passage
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

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .text import Tokens, segments

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
    "a about above after again against all also although am an and any are as at be because "
    "been before being below between both but by can could did do does doing down during each "
    "either else even ever every few for from further had has have having he her here hers him "
    "his how however i if in into is it its itself just may me might more most much must my "
    "neither no nor not now of off on once one only or other our ours out over own per same "
    "shall she should so some such than that the their theirs them then there these they this "
    "those though through thus to too under until up upon us very was we were what when where "
    "whether which while who whom whose why will with within without would yet you your".split()
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
    sents_a, sents_b = _sentences(text_a, a), _sentences(text_b, b)
    terms_a, terms_b = _terms(a, sents_a, ignore_a), _terms(b, sents_b, ignore_b)
    vectors = _Vectors(terms_a, terms_b)
    if not vectors.shared:
        return []
    seeds = vectors.seeds()
    if not seeds:
        return []
    found: list[tuple[float, int, int, int, int, int]] = []
    for cluster in _validated(seeds, GAP, vectors, seeds):
        cluster = _trimmed(cluster, vectors.cosine)
        i0, i1 = min(i for i, _ in cluster), max(i for i, _ in cluster)
        j0, j1 = min(j for _, j in cluster), max(j for _, j in cluster)
        found.append((vectors.stretch_cosine(i0, i1, j0, j1), i0, i1, j0, j1, len(cluster)))
    kept: list[Fragment] = []
    for cosine, i0, i1, j0, j1, size in sorted(found, key=lambda f: (-f[0], f[1:])):
        # Each stretch runs from its first to its last content word found in the other: a
        # sentence only partly copied (or badly cut) does not bring its other part along.
        in_a = {t for s in terms_a[i0 : i1 + 1] for t in s}
        in_b = {t for s in terms_b[j0 : j1 + 1] for t in s}
        a0, a1 = _shared_span(a, sents_a[i0][0], sents_a[i1][1], in_b)
        b0, b1 = _shared_span(b, sents_b[j0][0], sents_b[j1][1], in_a)
        frag = Fragment(a0, a1, b0, b1, round(cosine, 4), size)
        if not any(_overlaps(frag, other) for other in kept):
            kept.append(frag)
    return kept


def _sentences(text: str, tokens: Tokens) -> list[tuple[int, int]]:
    """Token ranges of the text's sentences: cut at ``MAX_SENTENCE`` words, short ones joined."""
    pieces = [(s, min(seg.stop, s + MAX_SENTENCE)) for seg in segments(text, tokens)
              for s in range(seg.start, seg.stop, MAX_SENTENCE)]
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


def _terms(tokens: Tokens, sentences: Sequence[tuple[int, int]],
           ignore: npt.NDArray[np.bool_] | None) -> list[list[str]]:
    """The stemmed content words of each sentence (boilerplate words left out)."""
    cache: dict[str, str] = {}
    stems = [cache[w] if w in cache else cache.setdefault(w, _term(w)) for w in tokens.words]
    if ignore is not None:
        stems = [("" if dropped else stem) for stem, dropped in zip(stems, ignore.tolist())]
    return [[stem for stem in stems[start:end] if stem] for start, end in sentences]


def _term(word: str) -> str:
    """A content word's stem; empty for a function word, a number or a word of one or two letters."""
    return word[:STEM] if len(word) > 2 and word not in FUNCTION_WORDS and not word.isdigit() else ""


def content_terms(words: Sequence[str]) -> set[str]:
    """The distinct stems of the content words among ``words`` (as fragments compare them)."""
    return {term for word in words if (term := _term(word))}


def _shared_span(tokens: Tokens, start: int, end: int, other: set[str]) -> tuple[int, int]:
    """Words ``start:end`` less any run of more than ``LOOSE_END`` words at either end without a
    stem found in ``other``."""
    hits = [k for k in range(start, end) if _term(tokens.words[k]) in other]
    if not hits:
        return start, end
    first = hits[0] if hits[0] - start > LOOSE_END else start
    last = hits[-1] + 1 if end - hits[-1] - 1 > LOOSE_END else end
    return first, last


class _Vectors:
    """tf-isf vectors of both texts' sentences, kept sparse: (sentence, term, weight) entries."""

    def __init__(self, terms_a: list[list[str]], terms_b: list[list[str]]) -> None:
        df: dict[str, int] = {}
        for sentence in (*terms_a, *terms_b):
            for term in set(sentence):
                df[term] = df.get(term, 0) + 1
        in_a = {t for s in terms_a for t in s}
        self.shared = sorted(in_a & {t for s in terms_b for t in s})
        column = {t: k for k, t in enumerate(self.shared)}
        total = len(terms_a) + len(terms_b)
        isf = {t: float(np.log(total / n)) + 1e-3 for t, n in df.items()}
        self.a, self.norm_a, self.size_a = _entries(terms_a, column, isf)
        self.b, self.norm_b, self.size_b = _entries(terms_b, column, isf)
        self.terms_a, self.terms_b, self.isf = terms_a, terms_b, isf
        self.cosine = np.zeros((len(terms_a), len(terms_b)))

    def seeds(self) -> list[Seed]:
        """Sentence pairs similar enough in both measures, sorted."""
        dot, common = _products(self.a, self.b, len(self.terms_a), len(self.terms_b))
        cosine = self.cosine = dot / np.outer(self.norm_a, self.norm_b)
        dice = 2 * common / np.add.outer(self.size_a, self.size_b)
        # A sentence is the copy of one sentence, or of a few about as well: matches far
        # weaker than a sentence's best are the topic, not the copy.
        best = np.maximum(cosine.max(axis=1)[:, None], cosine.max(axis=0)[None, :])
        hit = (cosine >= SEED_COSINE) & (dice >= SEED_DICE) & (cosine >= BEST_SHARE * best)
        # A sentence like many of the other text's (a repeated line) tells nothing of where it was copied.
        hit[hit.sum(axis=1) > MAX_MATCHES, :] = False
        hit[:, hit.sum(axis=0) > MAX_MATCHES] = False
        # And it was copied to one place: seeds far from a sentence's best seed are dropped.
        masked = np.where(hit, cosine, -1.0)
        best_j, best_i = masked.argmax(axis=1), masked.argmax(axis=0)
        return [(int(i), int(j)) for i, j in np.argwhere(hit)
                if abs(j - best_j[i]) <= 1 and abs(i - best_i[j]) <= 1]

    def stretch_cosine(self, i0: int, i1: int, j0: int, j1: int) -> float:
        """Cosine of sentences ``i0..i1`` of A and ``j0..j1`` of B, each summed into one vector."""
        va, vb = self._bag(self.terms_a[i0 : i1 + 1]), self._bag(self.terms_b[j0 : j1 + 1])
        dot = sum(w * vb.get(t, 0.0) for t, w in va.items())
        norms = float(np.sqrt(sum(w * w for w in va.values()) * sum(w * w for w in vb.values())))
        return dot / norms if norms else 0.0

    def _bag(self, sentences: Sequence[list[str]]) -> dict[str, float]:
        bag: dict[str, float] = {}
        for sentence in sentences:
            for term in sentence:
                bag[term] = bag.get(term, 0.0) + self.isf[term]
        return bag


Entries = tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.float64]]
"""Sentence index, shared-term index and weight of each nonzero of a tf-isf matrix."""


def _entries(terms: list[list[str]], column: dict[str, int], isf: dict[str, float]
             ) -> tuple[Entries, npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Per text: its weights on the shared terms (sparse), each sentence's full norm and its
    number of distinct terms."""
    rows: list[int] = []
    cols: list[int] = []
    weights: list[float] = []
    norms = np.ones(len(terms))
    sizes = np.ones(len(terms))
    for row, sentence in enumerate(terms):
        if not sentence:
            continue
        counts: dict[str, int] = {}
        for term in sentence:
            counts[term] = counts.get(term, 0) + 1
        square = 0.0
        for term, n in counts.items():
            weight = n * isf[term]
            square += weight * weight
            k = column.get(term)
            if k is not None:
                rows.append(row)
                cols.append(k)
                weights.append(weight)
        norms[row], sizes[row] = square**0.5, len(counts)
    return (np.array(rows, dtype=np.int64), np.array(cols, dtype=np.int64), np.array(weights)), norms, sizes


def _products(a: Entries, b: Entries, rows: int, cols: int
              ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Dot products and numbers of shared terms of every sentence of A with every sentence of B.

    A sparse product (each term joins the sentences holding it on both sides): the cost is
    the number of such sentence pairs, not sentences x vocabulary.
    """
    order = np.argsort(b[1], kind="stable")
    b_rows, b_cols, b_weights = b[0][order], b[1][order], b[2][order]
    first = np.searchsorted(b_cols, a[1], side="left")
    count = np.searchsorted(b_cols, a[1], side="right") - first
    total = int(count.sum())
    if not total:
        return np.zeros((rows, cols)), np.zeros((rows, cols))
    owner = np.repeat(np.arange(len(count)), count)
    offset = np.arange(total) - np.repeat(np.cumsum(count) - count, count)
    partner = first[owner] + offset
    flat = a[0][owner] * cols + b_rows[partner]
    dot: npt.NDArray[np.float64] = np.bincount(flat, weights=a[2][owner] * b_weights[partner],
                                               minlength=rows * cols).astype(np.float64)
    common: npt.NDArray[np.float64] = np.bincount(flat, minlength=rows * cols).astype(np.float64)
    return dot.reshape(rows, cols), common.reshape(rows, cols)


def _validated(seeds: Sequence[Seed], gap: int, vectors: _Vectors,
               everything: Sequence[Seed]) -> list[list[Seed]]:
    """Clusters of ``seeds`` that pass validation, re-clustering failures with a smaller gap
    (``everything``: all the seeds, to tell whether a stretch holds a sentence copied elsewhere)."""
    out: list[list[Seed]] = []
    for cluster in _clusters(seeds, gap):
        i0, i1 = min(i for i, _ in cluster), max(i for i, _ in cluster)
        j0, j1 = min(j for _, j in cluster), max(j for _, j in cluster)
        words_a, words_b = sum(map(len, vectors.terms_a[i0 : i1 + 1])), sum(map(len, vectors.terms_b[j0 : j1 + 1]))
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
    for seed in sorted(cluster):
        if not blocks or seed[1] < max(j for _, j in blocks[-1]) - 1:
            blocks.append([])
        blocks[-1].append(seed)
    return blocks


def _self_contained(cluster: Sequence[Seed], seeds: Sequence[Seed], i0: int, i1: int,
                    j0: int, j1: int) -> bool:
    """No sentence inside either stretch is matched only outside the other stretch."""
    in_a = {i for i, _ in cluster}
    in_b = {j for _, j in cluster}
    for i, j in seeds:
        if j0 <= j <= j1 and j not in in_b and not i0 <= i <= i1:
            return False
        if i0 <= i <= i1 and i not in in_a and not j0 <= j <= j1:
            return False
    return True


def _trimmed(cluster: list[Seed], cosine: npt.NDArray[np.float64]) -> list[Seed]:
    """The cluster without seeds at its ends (first or last in A or in B) that are much less alike
    than its typical seed: a neighbouring sentence on the same subject, not part of the copy."""
    cluster = list(cluster)
    typical = float(np.median([cosine[s] for s in cluster]))
    while len(cluster) > 1:
        ends = {min(cluster), max(cluster), min(cluster, key=lambda s: (s[1], s[0])),
                max(cluster, key=lambda s: (s[1], s[0]))}
        weak = [s for s in ends if cosine[s] < EDGE_SHARE * typical]
        if not weak:
            break
        cluster.remove(min(weak, key=lambda s: (cosine[s], s)))
    return cluster


def _overlaps(p: Fragment, q: Fragment) -> bool:
    return min(p.a_end, q.a_end) > max(p.a_start, q.a_start) or min(p.b_end, q.b_end) > max(p.b_start, q.b_start)
