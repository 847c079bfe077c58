"""Verify: exact Jaccard and containments, and the verdict (with the short-text rule)."""

from __future__ import annotations

import random

import numpy as np
import pytest
from conftest import sample_text
from hypothesis import given
from hypothesis import strategies as st
from test_align_sentences import reworded

from dupefind import Config, compare
from dupefind.boilerplate import Commons
from dupefind.text import segments, tokenize
from dupefind.verify import (
    _MARKUP,
    Overlap,
    Prepared,
    is_duplicate,
    markup_counts,
    markup_spans,
    overlap,
    passage_needed,
    prepare,
)


def shingled(ids: list[int], *, short: bool = False) -> Prepared:
    """A prepared document with hand-made shingles (the text does not matter to ``overlap``)."""
    array = np.array(sorted(set(ids)), dtype=np.uint32)
    return Prepared("doc", "", tokenize(""), np.zeros(0, dtype=bool), array, short)


def prep(text: str, *, min_words: int = 50, doc_id: str = "doc") -> Prepared:
    return prepare(doc_id, text, commons=Commons(), scheme="stopwords", ngram=8, min_words=min_words)


@pytest.mark.parametrize(("a", "b", "jaccard", "cont_a", "cont_b"), [
    ([1, 2, 3, 4], [3, 4, 5, 6, 7, 8], 2 / 8, 2 / 4, 2 / 6),
    ([1, 2, 3], [1, 2, 3], 1.0, 1.0, 1.0),
    ([1, 2], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 2 / 10, 1.0, 2 / 10),
    ([1, 2, 3], [4, 5, 6], 0.0, 0.0, 0.0),
    ([2**32 - 1, 0], [0], 0.5, 0.5, 1.0),
])
def test_overlap_figures(a: list[int], b: list[int], jaccard: float, cont_a: float, cont_b: float) -> None:
    figures = overlap(shingled(a), shingled(b))
    assert figures.similarity == pytest.approx(jaccard)
    assert figures.containment_a == pytest.approx(cont_a)
    assert figures.containment_b == pytest.approx(cont_b)
    assert figures.containment == pytest.approx(max(cont_a, cont_b))
    swapped = overlap(shingled(b), shingled(a))
    assert (swapped.similarity, swapped.containment_a, swapped.containment_b) == (
        figures.similarity, figures.containment_b, figures.containment_a)


@pytest.mark.parametrize(("a", "b"), [([], []), ([], [1, 2, 3]), ([5], [])])
def test_empty_sets_give_zero_not_one(a: list[int], b: list[int]) -> None:
    assert overlap(shingled(a), shingled(b)) == Overlap(0.0, 0.0, 0.0)


def test_verdict_uses_the_larger_containment() -> None:
    small, large = shingled([1, 2, 3, 4, 5]), shingled(list(range(1, 51)))
    figures = overlap(small, large)
    assert figures.similarity == pytest.approx(0.1)
    assert is_duplicate(small, large, figures, threshold=1.0)
    assert not is_duplicate(shingled([1, 2, 3, 4, 90]), large,
                            overlap(shingled([1, 2, 3, 4, 90]), large), threshold=0.81)


def test_different_short_texts_are_not_duplicates() -> None:
    a = prep("The meeting moved to Tuesday.")
    b = prep("Bring a coat, it will rain.")
    assert a.short and b.short
    assert len(a.shingles) == len(b.shingles) == 0
    figures = overlap(a, b)
    assert figures.similarity == 0.0
    assert not is_duplicate(a, b, figures, threshold=0.01)


def test_identical_short_texts_are_duplicates() -> None:
    a = prep("The meeting moved to Tuesday.")
    b = prep("THE  meeting moved to tuesday!")
    assert a.short and len(a.shingles) == 0
    assert is_duplicate(a, b, overlap(a, b), threshold=1.0)


def test_a_short_text_inside_a_long_one_is_a_copy_by_its_passage_not_by_containment() -> None:
    long = sample_text("040_night_trains_return.txt")
    short = " ".join(long.split()[:30])
    a, b = prep(short), prep(long)
    assert a.short and not b.short
    # A short text's few shingles tell nothing: containment alone never makes it a copy ...
    assert not is_duplicate(a, b, overlap(a, b), threshold=0.01)
    # ... a passage of half its words does (here all of them).
    pair = compare(short, long)
    assert pair.duplicate and pair.relation is not None and pair.relation.coverage_a == 1.0
    # Two short texts sharing a 12-word sentence: half of a 24-word text, not of a 32-word one.
    sentence = " ".join(long.split()[100:112])
    assert compare(f"{sentence} " + " ".join(long.split()[200:212]), sentence + " and so on.").duplicate
    assert not compare(f"{sentence} " + " ".join(long.split()[200:228]), " ".join(long.split()[300:320]) + f" {sentence}").duplicate


@pytest.mark.parametrize(("words_a", "words_b", "passage_words", "needed"), [
    (1000, 1000, 30, 30),  # long texts: --passage-words
    (59, 1000, 30, 30),  # half of 59, rounded up, is 30
    (58, 1000, 30, 29),
    (1000, 48, 30, 24),  # the shorter text decides
    (20, 20, 30, 12),  # never under 12
    (5, 5, 30, 12),
    (48, 60, 0, 0),  # the passage rules off
    (10, 10, 8, 8),  # nor more than asked
])
def test_the_words_a_passage_needs_scale_with_a_short_text(words_a: int, words_b: int, passage_words: int,
                                                           needed: int) -> None:
    assert passage_needed(words_a, words_b, passage_words) == needed


def test_texts_without_words_are_not_duplicates() -> None:
    """Two texts with no words at all share nothing: "----" is not a copy of "* * *"."""
    a, b = prep("----"), prep("* * *")
    assert len(a.tokens) == len(b.tokens) == 0
    assert not is_duplicate(a, b, overlap(a, b), threshold=0.2)


def test_prepare_sets_boilerplate_aside_before_shingling() -> None:
    text = sample_text("040_night_trains_return.txt")
    plain = prep(text)
    assert not plain.short and plain.id == "doc" and plain.text == text
    assert not plain.boilerplate.any()
    assert len(plain.shingles) > 100
    assert len(plain.tokens) == len(plain.boilerplate)


def test_a_reworded_sentence_stretch_inside_longer_texts_is_a_copy() -> None:
    """No 30 identical words in a row, little shared shingling: the reworded paragraph is still
    reported, because its passage shares most of its content words."""
    night = next(p for p in sample_text("040_night_trains_return.txt").split("\n\n") if len(p.split()) > 60)
    text_a = sample_text("013_how_to_start_a_community_garden.txt") + "\n\n" + night
    text_b = sample_text("053_carers_drop_in_opens.txt") + "\n\n" + reworded(night, random.Random(3))
    pair = compare(text_a, text_b)
    assert pair.containment < Config().threshold
    assert all(p.identical_words < Config().passage_words for p in pair.passages)
    assert pair.duplicate
    assert not compare(text_a, text_b, Config(passage_words=0)).duplicate


@pytest.mark.parametrize("text", ["One line.\nTwo lines! Three? four\n\nfive", "Stra\u00dfe und Caf\u00e9. Noch eine Zeile\n\u65e5\u672c\u8a9e\u306e\u6587\u3002 end", ""])
def test_prepare_keeps_the_segments_the_sentence_pass_needs(text: str) -> None:
    # The aligner takes its sentences from these instead of finding the segments again.
    prepared = prep(text)
    assert prepared.segment_starts == tuple(span.start for span in segments(text, prepared.tokens))


def _sentences(name: str, low: int, high: int) -> list[str]:
    return [s + "." for s in sample_text(name).replace("\n", " ").split(". ") if low <= len(s.split()) <= high]


def test_one_shared_sentence_is_not_a_copy_two_are() -> None:
    """A sentence of 20-29 words shared by two longer texts (the same quote in two articles on
    one story) is not a copy: rewritten passages count when together they are as long as a
    copied passage must be (``passage_words`` words on each side)."""
    first, second = _sentences("040_night_trains_return.txt", 22, 23)[:2]
    garden, carers = sample_text("013_how_to_start_a_community_garden.txt"), sample_text("053_carers_drop_in_opens.txt")
    one = compare(garden + "\n\n" + first, carers + "\n\n" + first)
    assert one.passages and all(p.identical_words < Config().passage_words for p in one.passages)
    assert not one.duplicate
    half, cut = len(garden) // 2, len(carers) // 2
    two = compare(garden[:half] + "\n\n" + first + "\n\n" + garden[half:] + "\n\n" + second,
                  carers[:cut] + "\n\n" + first + "\n\n" + carers[cut:] + "\n\n" + second)
    assert len(two.passages) == 2 and all(p.identical_words < Config().passage_words for p in two.passages)
    assert two.duplicate
    assert not compare(garden + "\n\n" + first, carers + "\n\n" + first, Config(passage_words=0)).duplicate


#: A banner an ad network (or a crawler rewriting links) puts into unrelated pages alike.
_BANNER = ('<NOSCRIPT> <a href="http://crawl.example.org/cache/page/view?href=http%3A%2F%2Fads.example.com%2Fads'
           '%2Fserve%2Fbanner.pl&token=0acba44edf9b96dc5c2c2062335af51e&zone=top&slot=leaderboard&site=news" '
           'TARGET="_top"><IMG SRC="http://ads.example.com/ads/serve/banner.pl?page=01;zone=news728;slot=leaderboard;'
           'site=news;format=image;size=728x90" WIDTH=728 HEIGHT=90 BORDER=0 ALT="advertisement banner"></A> '
           '</NOSCRIPT>')


def test_markup_counts_the_words_inside_tags_and_urls() -> None:
    text = 'Plain words <a href="http://x.org/a/b">link text</a> then www.example.com/page and more'
    tokens = tokenize(text)
    counts = markup_counts(text, tokens)
    assert counts is not None and len(counts) == len(tokens) + 1
    inside = [word for k, word in enumerate(tokens.words) if counts[k + 1] > counts[k]]
    assert inside == ["a", "href", "http", "x", "org", "a", "b", "a", "www", "example", "com", "page"]
    assert markup_counts("No markup here, 3 < 4 and 5 > 2.", tokenize("No markup here, 3 < 4 and 5 > 2.")) is None


def test_a_shared_banner_is_not_a_copy_a_shared_paragraph_with_a_link_is() -> None:
    """Two unrelated pages that carry the same ad tag share a long run of identical words, all of
    it markup: not evidence of a copy. A copied paragraph that holds a link still is."""
    garden, carers = sample_text("013_how_to_start_a_community_garden.txt"), sample_text("053_carers_drop_in_opens.txt")
    banner = compare(garden + "\n\n" + _BANNER, carers + "\n\n" + _BANNER)
    assert any(p.identical_words >= Config().passage_words for p in banner.passages)  # the rule decides
    assert not banner.duplicate
    night = next(p for p in sample_text("040_night_trains_return.txt").split("\n\n") if len(p.split()) > 60)
    linked = night.replace(". ", " (see https://trains.example.org/night/timetable). ", 1)
    paragraph = compare(garden + "\n\n" + linked, carers + "\n\n" + linked)
    assert paragraph.containment < Config().threshold
    assert paragraph.duplicate


_MARKUP_PIECES = ["https://", "http://", "ftp://", "HtTpS://", "www.", "WwW.", "ww.", "w", "<", ">", "<a href=",
                  "</p>", "<!--", "<?xml", "<1", "a", "é", "_", "1", " ", "\n", '"', "'", ".", "/", ":", "s", "p"]


@given(st.one_of(st.text(alphabet="<>!/?a:hHtTpPsfFrwW. \n\"'_é1", max_size=80),
                 st.lists(st.sampled_from(_MARKUP_PIECES), max_size=30).map("".join)))
def test_markup_spans_are_the_patterns_matches(text: str) -> None:
    # Looked for only where a match can start, and on from each match's end: every match of
    # the pattern, none more.
    expected = [match.span() for match in _MARKUP.finditer(text)]
    assert [tuple(span) for span in markup_spans(text).tolist()] == expected
