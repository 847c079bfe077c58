"""Sentence-level fragments: reworded stretches found whole, moved paragraphs kept apart."""

from __future__ import annotations

import random

import numpy as np
import pytest
from conftest import sample_text
from hypothesis import given
from hypothesis import strategies as st

from dupefind.align import align
from dupefind.align.compiled import sentence_bounds
from dupefind.align.sentence_kernels import (
    bag,
    bags_cosine,
    sentence_frequency,
    sentence_products,
    similar_sentences,
)
from dupefind.align.sentences import _median, fragments
from dupefind.align.terms import MAX_SENTENCE, MIN_SENTENCE, _term, sentences
from dupefind.align.vectors import BEST_SHARE, MAX_MATCHES, SEED_COSINE, SEED_DICE, _norms
from dupefind.text import Tokens, tokenize


def reworded(paragraph: str, rnd: random.Random) -> str:
    """Sentences in another order, every fourth word dropped, pairs of words swapped: almost no
    run of three identical words survives, the content words do."""
    sentences = [s.split() for s in paragraph.split(". ") if s.strip()]
    rnd.shuffle(sentences)
    out = []
    for words in sentences:
        kept = [w for k, w in enumerate(words) if k % 4 != 3]
        for k in range(0, len(kept) - 1, 2):
            kept[k], kept[k + 1] = kept[k + 1], kept[k]
        out.append(" ".join(kept))
    return ". ".join(out) + "."


def test_a_reworded_paragraph_inside_unrelated_text_is_one_passage() -> None:
    night = [p for p in sample_text("040_night_trains_return.txt").split("\n\n") if len(p.split()) > 60]
    birds = sample_text("062_garden_birds_in_winter.txt")
    cycling = sample_text("060_winter_cycle_commuting.txt")
    copy = reworded(night[0], random.Random(3))
    text_a = birds + "\n\n" + night[0] + "\n\n" + cycling
    text_b = cycling[:800] + "\n\n" + copy + "\n\n" + birds[:800]
    ta, tb = tokenize(text_a), tokenize(text_b)
    found = fragments(text_a, ta, text_b, tb)
    start_a, start_b = text_a.index(night[0]), text_b.index(copy)
    assert any(ta.starts[f.a_start] <= start_a + 40 and tb.starts[f.b_start] <= start_b + 40
               and ta.ends[f.a_end - 1] >= start_a + len(night[0]) - 40 for f in found)
    passages = align(text_a, ta, text_b, tb, min_words=12)
    inside = [p for p in passages if p.a_start < start_a + len(night[0]) and p.a_end > start_a]
    assert len(inside) == 1
    assert all(p.a_start >= start_a - 1 or p.a_end <= start_a for p in passages)


def test_unrelated_texts_have_no_fragment() -> None:
    text_a, text_b = sample_text("040_night_trains_return.txt"), sample_text("062_garden_birds_in_winter.txt")
    assert fragments(text_a, tokenize(text_a), text_b, tokenize(text_b)) == []


def plain_products(terms_a: list[list[int]], terms_b: list[list[int]], isf: list[float]
                   ) -> tuple[list[list[float]], list[list[int]], list[float], list[float]]:
    """The tf-isf products as the sentence pass first stated them, in plain Python: each
    sentence's weights (count x isf, terms in order of first occurrence), its norm, and the
    dot products summed in that order over the terms both texts hold."""
    def weights(sentence: list[int]) -> dict[int, float]:
        counts: dict[int, int] = {}
        for t in sentence:
            counts[t] = counts.get(t, 0) + 1
        return {t: n * isf[t] for t, n in counts.items()}

    def norm(w: dict[int, float]) -> float:
        square = 0.0
        for x in w.values():
            square += x * x
        return square**0.5 if w else 1.0

    shared = {t for s in terms_a for t in s} & {t for s in terms_b for t in s}
    wa, wb = [weights(s) for s in terms_a], [weights(s) for s in terms_b]
    dot = [[0.0] * len(terms_b) for _ in terms_a]
    common = [[0] * len(terms_b) for _ in terms_a]
    for i, x in enumerate(wa):
        for t, w in x.items():
            for j, y in enumerate(wb):
                if t in shared and t in y:
                    dot[i][j] += w * y[t]
                    common[i][j] += 1
    return dot, common, [norm(w) for w in wa], [norm(w) for w in wb]


def flat(sentences: list[list[int]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sentences of term codes as one token array with each sentence's range (-1: no term)."""
    terms, starts, ends = [], [], []
    for sentence in sentences:
        starts.append(len(terms))
        terms.extend(t if t < 100 else -1 for t in sentence)
        ends.append(len(terms))
    return np.array(terms, dtype=np.int64), np.array(starts, dtype=np.int64), np.array(ends, dtype=np.int64)


SENTENCES = st.lists(st.lists(st.sampled_from([*range(12), 100]), max_size=9), max_size=8)


@given(SENTENCES, SENTENCES, st.lists(st.floats(0.001, 5.0), min_size=12, max_size=12))
def test_products_are_the_plain_ones_to_the_last_bit(raw_a: list[list[int]], raw_b: list[list[int]],
                                                      isf: list[float]) -> None:
    terms_a, starts_a, ends_a = flat(raw_a)
    terms_b, starts_b, ends_b = flat(raw_b)
    sents_a = [[t for t in s if t < 100] for s in raw_a]
    sents_b = [[t for t in s if t < 100] for s in raw_b]
    frequency = (sentence_frequency(terms_a, starts_a, ends_a, 12) + sentence_frequency(terms_b, starts_b, ends_b, 12))
    assert frequency.tolist() == [sum(t in s for s in sents_a + sents_b) for t in range(12)]
    shared = np.zeros(12, dtype=bool)
    shared[list({t for s in sents_a for t in s} & {t for s in sents_b for t in s})] = True
    dot, common, squares_a, sizes_a, squares_b, sizes_b = sentence_products(
        terms_a, starts_a, ends_a, terms_b, starts_b, ends_b, np.array(isf), shared)
    plain_dot, plain_common, norms_a, norms_b = plain_products(sents_a, sents_b, isf)
    assert dot.tolist() == plain_dot and common.tolist() == plain_common
    assert _norms(squares_a, sizes_a).tolist() == norms_a and _norms(squares_b, sizes_b).tolist() == norms_b
    assert sizes_a.tolist() == [len(set(s)) for s in sents_a]
    # A stretch as one bag: each term's isf added once per occurrence, terms in first-seen order.
    plain_bag: dict[int, float] = {}
    for t in (t for s in sents_a for t in s):
        plain_bag[t] = plain_bag.get(t, 0.0) + isf[t]
    order, weights = bag(terms_a, 0, len(terms_a), np.array(isf))
    assert list(zip(order.tolist(), weights.tolist())) == list(plain_bag.items())


@given(SENTENCES, SENTENCES, st.lists(st.floats(0.001, 5.0), min_size=12, max_size=12), st.randoms(use_true_random=False))
def test_a_stretch_cosine_is_the_plain_one_to_the_last_bit(raw_a: list[list[int]], raw_b: list[list[int]],
                                                          isf: list[float], rnd: random.Random) -> None:
    """Two stretches' cosine, each a bag of terms: the dot product and both norms summed one
    term at a time in the bags' order, each product rounded first: the same float."""
    terms_a, _, _ = flat(raw_a)
    terms_b, _, _ = flat(raw_b)
    weights = np.array(isf)
    for _ in range(20):
        a0 = rnd.randint(0, len(terms_a) // 2)
        a1 = rnd.randint(a0, len(terms_a))
        b0 = rnd.randint(0, len(terms_b) // 2)
        b1 = rnd.randint(b0, len(terms_b))
        bag_a, weights_a = bag(terms_a, a0, a1, weights)
        bag_b, weights_b = bag(terms_b, b0, b1, weights)
        dense_b = np.zeros(len(weights))
        dense_b[bag_b] = weights_b
        dot = square_a = square_b = 0.0  # one term at a time, in order (not Python 3.12's compensated sum)
        for x, t in zip(weights_a.tolist(), bag_a.tolist()):
            dot += x * float(dense_b[t])
        for x in weights_a.tolist():
            square_a += x * x
        for x in weights_b.tolist():
            square_b += x * x
        norms = float(np.sqrt(square_a * square_b))
        assert bags_cosine(terms_a, a0, a1, terms_b, b0, b1, weights) == (dot / norms if norms else 0.0)


@given(st.lists(st.sampled_from(["the", "industry", "industries", "ox", "1999", "walked", "walking",
                                 "yet", "Caf\u00e9", "caf\u00e9s", "na\u00efve"]), max_size=60),
       st.randoms(use_true_random=False))
def test_sentence_stems_are_the_plain_ones(words: list[str], rnd: random.Random) -> None:
    tokens = Tokens(tuple(words), tuple(range(len(words))), tuple(range(1, len(words) + 1)))
    ignore = np.array([rnd.random() < 0.2 for _ in words], dtype=bool)
    found = sentences(" ".join(words), tokens, ignore, segment_starts=[0] if words else [])
    stems = [found.stems.items[k] if k >= 0 else "" for k in found.stem.tolist()]
    assert stems == [_term(w) for w in words]
    assert found.term.tolist() == [-1 if dropped else k for k, dropped in zip(found.stem.tolist(), ignore)]


@given(st.lists(st.floats(0.0, 1.0), min_size=1, max_size=12))
def test_median_is_numpys(values: list[float]) -> None:
    assert _median(values) == float(np.median(values))


def numpy_seeds(dot: np.ndarray, common: np.ndarray, norm_a: np.ndarray, norm_b: np.ndarray,
                size_a: np.ndarray, size_b: np.ndarray) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """The seed rule as numpy first stated it."""
    cosine = dot / np.outer(norm_a, norm_b)
    dice = 2 * common / np.add.outer(size_a, size_b)
    best = np.maximum(cosine.max(axis=1)[:, None], cosine.max(axis=0)[None, :])
    hit = (cosine >= SEED_COSINE) & (dice >= SEED_DICE) & (cosine >= BEST_SHARE * best)
    hit[hit.sum(axis=1) > MAX_MATCHES, :] = False
    hit[:, hit.sum(axis=0) > MAX_MATCHES] = False
    masked = np.where(hit, cosine, -1.0)
    best_j, best_i = masked.argmax(axis=1), masked.argmax(axis=0)
    return cosine, [(int(i), int(j)) for i, j in np.argwhere(hit)
                    if abs(j - best_j[i]) <= 1 and abs(i - best_i[j]) <= 1]


@given(st.integers(1, 9), st.integers(1, 9), st.randoms(use_true_random=False))
def test_seed_rule_is_the_numpy_one(rows: int, cols: int, rnd: random.Random) -> None:
    # Few distinct values, so ties (equal cosines, equal bests) are common.
    dot = np.array([[rnd.choice([0.0, 0.5, 1.0, 1.5, 2.0, 3.0]) for _ in range(cols)] for _ in range(rows)])
    common = np.array([[float(rnd.randint(0, 4)) for _ in range(cols)] for _ in range(rows)])
    norm_a, norm_b = np.array([rnd.choice([1.0, 2.0, 3.0]) for _ in range(rows)]), np.array([rnd.choice([1.0, 2.5]) for _ in range(cols)])
    size_a, size_b = np.array([float(rnd.randint(1, 6)) for _ in range(rows)]), np.array([float(rnd.randint(1, 6)) for _ in range(cols)])
    cosine, seeds_a, seeds_b = similar_sentences(dot, common, norm_a, norm_b, size_a, size_b,
                                                 SEED_COSINE, SEED_DICE, BEST_SHARE, MAX_MATCHES)
    expected_cosine, expected = numpy_seeds(dot, common, norm_a, norm_b, size_a, size_b)
    assert np.array_equal(cosine, expected_cosine)
    assert list(zip(seeds_a.tolist(), seeds_b.tolist())) == expected


def test_sentences_repeated_by_the_thousand_are_compared_word_by_word(monkeypatch: pytest.MonkeyPatch) -> None:
    """A text of one line written thousands of times meets itself millions of times sentence by
    sentence (memory and time growing with the square of the repeats): past a budget of pairs
    the sentence pass stops and finds nothing, which it found anyway (a sentence like many
    others seeds nothing; nor do words repeated that often): the copy is found as before."""
    import dupefind
    from dupefind.align import vectors

    line = "All work and no play makes Jack a dull boy and the rest of the world is in the garden.\n"
    text = line * 60
    whole = dupefind.compare(text, text + "The end.")
    assert whole.duplicate
    monkeypatch.setattr(vectors, "MOST_PAIRS", 100)  # 60 x 61 similar sentence pairs: past it
    cut = dupefind.compare(text, text + "The end.")
    assert cut == whole and cut.duplicate and cut.containment == 1.0


def test_similar_pairs_stop_past_their_budget_and_say_so() -> None:
    from dupefind.align.sentence_kernels import similar_pairs

    terms = np.array([0, 1, 2] * 30, dtype=np.int64)
    starts, ends = np.arange(0, 90, 3, dtype=np.int64), np.arange(3, 93, 3, dtype=np.int64)
    isf, shared, norms = np.ones(3), np.ones(3, dtype=bool), np.full(30, np.sqrt(3.0))
    everything = similar_pairs(terms, starts, ends, terms, starts, ends, isf, shared, norms, norms, 0.5, 10**9, 10**9)
    assert everything[4] and len(everything[0]) == 900
    cut = similar_pairs(terms, starts, ends, terms, starts, ends, isf, shared, norms, norms, 0.5, 10**9, 100)
    assert not cut[4] and 100 < len(cut[0]) < 900
    slow = similar_pairs(terms, starts, ends, terms, starts, ends, isf, shared, norms, norms, 0.5, 200, 10**9)
    assert not slow[4]


def _plain_bounds(segment_starts: list[int], words: int) -> list[tuple[int, int]]:
    """Token ranges of a text's sentences, as plain Python: its segments cut at ``MAX_SENTENCE``
    words, a piece shorter than ``MIN_SENTENCE`` joined to the next (the last to the one before)."""
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


@given(st.lists(st.integers(0, 150), max_size=12), st.integers(0, 200))
def test_sentence_bounds_are_the_plain_ones(cuts: list[int], extra: int) -> None:
    # Segments of any length (empty ones too, and longer than a sentence), the last running on.
    starts = sorted({0, *cuts}) if cuts else []
    words = (starts[-1] if starts else 0) + extra
    found = sentence_bounds(np.array(starts, dtype=np.int64), words, MAX_SENTENCE, MIN_SENTENCE)
    assert [tuple(row) for row in found.tolist()] == _plain_bounds(starts, words)
