"""The word pass's candidate regions as arrays (align.regions) against the plain Python they
replace: the same regions in the same order, and no region dropped that could give a passage."""

from __future__ import annotations

import random

import numpy as np
from conftest import sample_text
from hypothesis import example, given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import Indel

from dupefind.align.compiled import chain_spans
from dupefind.align.joining import _grouped, _join, _touch
from dupefind.align.passages import _word_ids, side
from dupefind.align.regions import (
    candidate_regions,
    held_regions,
    may_hold,
    merge_following,
    sorted_regions,
)
from dupefind.align.words import _REACH, GAP, _fine, _regions, _rows, _seeds
from dupefind.models import Passage
from dupefind.text import Tokens, tokenize

Region = tuple[int, int, int, int]


def plain_follows(first: Region, second: Region) -> bool:
    return (second[0] - first[1] <= GAP and second[2] - first[3] <= GAP
            and second[2] >= first[2] - GAP // 4 and second[3] >= first[3] - GAP // 4)


def plain_merged(regions: list[Region]) -> list[Region]:
    """The regions joined as ``passages._merged`` joined them (tuples, passes until stable)."""
    regions = sorted(regions)
    changed = True
    while changed:
        changed = False
        out: list[Region] = []
        for region in regions:
            if out and plain_follows(out[-1], region):
                last = out.pop()
                region = (last[0], max(last[1], region[1]), min(last[2], region[2]), max(last[3], region[3]))
                changed = True
            out.append(region)
        regions = out
    return regions


def plain_chains(seeds: tuple[np.ndarray, np.ndarray], len_a: int, len_b: int) -> np.ndarray:
    """The region of each chain of the seeds, reaching ``_REACH`` words past its last seed (the
    word pass's chains, as it made them before one compiled call made its regions)."""
    first_a, last_a, low_b, high_b = chain_spans(seeds[0], seeds[1], GAP)
    regions = np.empty((len(first_a), 4), dtype=np.int64)
    regions[:, 0], regions[:, 2] = first_a, low_b
    regions[:, 1], regions[:, 3] = np.minimum(len_a, last_a + _REACH), np.minimum(len_b, high_b + _REACH)
    return regions


def as_array(regions: list[Region], dtype: type = np.int64) -> np.ndarray:
    return np.array(regions, dtype=dtype).reshape(-1, 4)


def rows(regions: np.ndarray) -> list[Region]:
    return [(a0, a1, b0, b1) for a0, a1, b0, b1 in regions.tolist()]


@st.composite
def region_lists(draw: st.DrawFn) -> list[Region]:
    """Regions like chains make: near a few diagonals, overlapping, repeated, reordered."""
    out: list[Region] = []
    for _ in range(draw(st.integers(0, 40))):
        a0 = draw(st.integers(0, 400))
        b0 = max(0, a0 + draw(st.sampled_from([0, 0, 5, -30, 120, -200])) + draw(st.integers(-12, 12)))
        out.append((a0, a0 + draw(st.integers(1, 60)), b0, b0 + draw(st.integers(1, 60))))
    if out and draw(st.booleans()):
        out.append(out[draw(st.integers(0, len(out) - 1))])
    return out


@given(region_lists(), st.sampled_from([np.int32, np.int64]))
def test_merge_and_candidates_are_the_plain_statement(regions: list[Region], dtype: type) -> None:
    array = as_array(regions, dtype)
    assert rows(sorted_regions(array)) == sorted(regions)
    assert rows(sorted_regions(array, unique=True)) == sorted(set(regions))
    assert rows(merge_following(sorted_regions(array), GAP)) == plain_merged(regions)
    assert rows(candidate_regions(array, GAP)) == sorted(set(plain_merged(regions)) | set(regions))


@given(st.lists(st.integers(0, 5), max_size=150), st.lists(st.integers(0, 5), max_size=150),
       st.sets(st.tuples(st.integers(0, 149), st.integers(0, 149)), max_size=80),
       st.sampled_from([1, 3, 12]), st.sampled_from([np.int32, np.int64]), st.sampled_from([0, 400, 1 << 16]))
def test_held_regions_are_the_steps_it_replaces(a: list[int], b: list[int], pairs: set[tuple[int, int]],
                                                 least: int, dtype: type, max_cells: int) -> None:
    """One compiled call gives the regions the steps gave one by one: the chains' regions,
    joined and sorted (:func:`candidate_regions`), those that may hold ``least`` identical words
    (:func:`may_hold`); in the type asked, the same rows in the same order."""
    ids_a, ids_b = np.array(a, dtype=np.int64), np.array(b, dtype=np.int64)
    seeds = sorted((i, j) for i, j in pairs if i < len(a) and j < len(b))
    seed_a = np.array([i for i, _ in seeds], dtype=np.int64)
    seed_b = np.array([j for _, j in seeds], dtype=np.int64)
    chains = plain_chains((seed_a, seed_b), len(a), len(b)).astype(dtype)
    regions = candidate_regions(chains, GAP)
    expected = regions[may_hold(regions, ids_a, ids_b, least, max_cells)]
    found = held_regions(seed_a, seed_b, ids_a, ids_b, GAP, _REACH, least, max_cells, np.empty(0, dtype=dtype))
    assert found.dtype == np.dtype(dtype)
    assert rows(found) == rows(expected)


@given(st.lists(st.tuples(*[st.integers(0, 3)] * 4), max_size=30), st.sampled_from([np.int32, np.int64]))
def test_compiled_sort_is_the_order_of_tuples(regions: list[Region], dtype: type) -> None:
    """Rows that tie on their first values are ordered by the next (values drawn from 0-3:
    ties on every column are common)."""
    array = as_array(regions, dtype)
    assert rows(sorted_regions(array)) == sorted(regions)
    assert rows(sorted_regions(array, unique=True)) == sorted(set(regions))


def plain_lcs(a: list[int], b: list[int]) -> int:
    return (len(a) + len(b) - Indel.distance(a, b)) // 2


@given(st.lists(st.integers(-3, 6), max_size=40), st.lists(st.integers(-3, 6), max_size=40),
       st.integers(1, 20), st.randoms(use_true_random=False))
def test_may_hold_is_the_longest_common_subsequence_bound(a: list[int], b: list[int], least: int,
                                                           rnd: random.Random) -> None:
    ids_a, ids_b = np.array(a, dtype=np.int64), np.array(b, dtype=np.int64)
    regions: list[Region] = [(0, len(a), 0, len(b))]
    for _ in range(10):
        a0, b0 = rnd.randint(0, len(a)), rnd.randint(0, len(b))
        regions.append((a0, rnd.randint(a0, len(a)), b0, rnd.randint(b0, len(b))))
    expected = [plain_lcs(a[a0:a1], b[b0:b1]) >= least for a0, a1, b0, b1 in regions]
    for dtype in (np.int32, np.int64):
        assert may_hold(as_array(regions, dtype), ids_a, ids_b, least, 1 << 16).tolist() == expected
    # Regions of more word pairs than measured are all kept (aligned without a look first),
    # those with fewer words a side than asked for all dropped.
    unmeasured = [min(a1 - a0, b1 - b0) >= least for a0, a1, b0, b1 in regions]
    assert may_hold(as_array(regions), ids_a, ids_b, least, 0).tolist() == unmeasured


def plain_found(side_a: object, side_b: object, text_a: str, text_b: str, min_words: int) -> list[object]:
    """The word pass's candidates as before the arrays: every chain and merged region as tuples,
    each aligned."""
    ids_a, ids_b = _word_ids(side_a, side_b)  # type: ignore[arg-type]
    seeds = _seeds(ids_a, ids_b, side_a.stops, side_b.stops)  # type: ignore[attr-defined]
    chains = rows(plain_chains(seeds, len(ids_a), len(ids_b)))
    regions = sorted(set(plain_merged(chains)) | set(chains))
    a, b = side_a.tokens, side_b.tokens  # type: ignore[attr-defined]
    before = np.concatenate(([0], np.cumsum(np.isin(np.arange(len(ids_a)), side_a.stops))))  # type: ignore[attr-defined]
    return [f for f in (_fine(r, ids_a, ids_b, a, b, min_words=min_words, functions_before=before) for r in regions)
            if f is not None]


@settings(max_examples=12)
@given(st.integers(0, 2**32), st.sampled_from([3, 12, 30]))
def test_the_regions_kept_give_every_candidate_the_plain_regions_give(seed: int, min_words: int) -> None:
    """Spun, cut and reordered copies of real articles: the regions measured and kept give the
    same candidate passages, in the same order, as every region did."""
    rnd = random.Random(seed)
    source = sample_text(rnd.choice(["040_night_trains_return.txt", "041_overnight_train_comeback_spun.txt"]))
    words = source.split(" ")
    copy = [w if rnd.random() > 0.2 else rnd.choice(["swift", "the", "of", "quiet", w[::-1]]) for w in words]
    cut = rnd.randrange(len(copy))
    copy = copy[cut:] + copy[:cut] if rnd.random() < 0.5 else copy
    text_a, text_b = source, " ".join(copy)
    side_a, side_b = side(text_a, tokenize(text_a)), side(text_b, tokenize(text_b))
    ids_a, ids_b = _word_ids(side_a, side_b)
    kept = _regions(_seeds(ids_a, ids_b, side_a.stops, side_b.stops), ids_a, ids_b, min_words=min_words)
    before = np.concatenate(([0], np.cumsum(np.isin(np.arange(len(ids_a)), side_a.stops))))
    found = [f for f in (_fine(r, ids_a, ids_b, side_a.tokens, side_b.tokens, min_words=min_words,
                               functions_before=before) for r in _rows(kept)) if f is not None]
    assert found == plain_found(side_a, side_b, text_a, text_b, min_words)
    assert found  # the copies share passages: the test compares real work


def test_a_region_too_large_to_measure_is_kept_not_measured() -> None:
    """Word pairs are counted in 64 bits: 100,000 x 100,000 words is not measured (a 32-bit
    product would wrap around and the region be measured cell by cell)."""
    ids = np.zeros(1, dtype=np.int64)
    regions = np.array([[0, 100_000, 0, 100_000]], dtype=np.int32)
    assert may_hold(regions, ids, ids, 12, 1 << 16).tolist() == [True]


def plain_grouped(passages: list[Passage], a: Tokens, b: Tokens) -> list[Passage]:
    """``passages._grouped`` as it was: after each join, the whole list looked at again."""
    groups = list(passages)
    changed = True
    while changed:
        changed = False
        for x in range(len(groups)):
            for y in range(x + 1, len(groups)):
                p, q = groups[x], groups[y]
                if _touch(p, q, a, b):
                    groups[x] = _join(p, q, a, b)
                    del groups[y]
                    changed = True
                    break
            if changed:
                break
    return groups


@settings(max_examples=300)
@given(st.lists(st.tuples(st.integers(0, 300), st.integers(1, 30), st.integers(0, 300), st.integers(1, 30)),
                max_size=25))
# A join that makes a group touch one before it (the second and third join; then the first).
@example([(30, 5, 40, 5), (50, 5, 0, 5), (60, 5, 20, 5)])
def test_grouping_joins_as_the_plain_statement(spans: list[tuple[int, int, int, int]]) -> None:
    """Passages scattered over two texts of 330 words, many touching (``TOUCH`` words apart)."""
    words = tuple(f"w{n}" for n in range(330))
    tokens = Tokens(words, tuple(range(0, 2 * len(words), 2)), tuple(range(1, 2 * len(words), 2)))
    passages = [Passage(a_start=2 * i, a_end=2 * (i + n) - 1, b_start=2 * j, b_end=2 * (j + m) - 1,
                        similarity=0.5, words_a=n, words_b=m) for i, n, j, m in spans]
    assert _grouped(passages, tokens, tokens) == plain_grouped(passages, tokens, tokens)
