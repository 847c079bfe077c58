"""Sentence-level fragments: reworded stretches found whole, moved paragraphs kept apart."""

from __future__ import annotations

import random

import numpy as np
from conftest import sample_text

from dupefind.align import align
from dupefind.align_sentences import _entries, _products, fragments
from dupefind.text import tokenize


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


def test_sparse_products_match_the_dense_ones() -> None:
    rnd = random.Random(7)
    vocab = [f"term{k}" for k in range(30)]
    terms_a = [[rnd.choice(vocab) for _ in range(rnd.randint(0, 8))] for _ in range(12)]
    terms_b = [[rnd.choice(vocab) for _ in range(rnd.randint(0, 8))] for _ in range(9)]
    shared = sorted({t for s in terms_a for t in s} & {t for s in terms_b for t in s})
    column = {t: k for k, t in enumerate(shared)}
    isf = {t: 1.0 + k / 10 for k, t in enumerate(vocab)}
    a, _, _ = _entries(terms_a, column, isf)
    b, _, _ = _entries(terms_b, column, isf)
    dot, common = _products(a, b, len(terms_a), len(terms_b))
    dense_a, dense_b = np.zeros((len(terms_a), len(shared))), np.zeros((len(terms_b), len(shared)))
    dense_a[a[0], a[1]] = a[2]
    dense_b[b[0], b[1]] = b[2]
    assert np.allclose(dot, dense_a @ dense_b.T)
    assert np.array_equal(common, (dense_a > 0).astype(float) @ (dense_b > 0).astype(float).T)
