"""Align: passages with character offsets that really hold the matched words, in both texts."""

from __future__ import annotations

import random
from bisect import bisect_left
from itertools import pairwise

import numpy as np
from conftest import sample_text
from hypothesis import example, given
from hypothesis import strategies as st

from dupefind.align.compiled import chain_spans, gram_keys
from dupefind.align.joining import joined_edits
from dupefind.align.passages import _word_ids, align, side
from dupefind.align.terms import joint_codes, vocabulary
from dupefind.align.words import GAP, _seeds
from dupefind.models import Edit, Passage
from dupefind.shingles import STOPWORDS
from dupefind.text import Tokens, mix64, tokenize, word_hashes

# A small vocabulary, so texts repeat words (and function words) a lot, as prose does.
VOCAB = ["the", "of", "and", "a", "in", "to", "is", "it", "for", "with", "was", "that", "on",
         "garden", "train", "river", "bread", "winter", "city", "market", "night", "quiet", "green",
         "stone", "bridge", "lamp", "don't", "Caf\u00e9", "\u00c9COLE", "it\u2019s", "na\u00efve"]
SEPARATORS = [" ", " ", " ", " ", "  ", ", ", ". ", ".\n", "\n\n", " \u2014 ", "; ", " (", ") ", "\t", ' "']
# Words for planted passages that do not occur by chance in the background.
RARE = [f"{stem}{n}" for stem in ("alder", "birch", "cedar", "larch", "maple") for n in range(40)]


def render(words: list[str], rnd: random.Random) -> str:
    """Words joined by random punctuation and spacing, with random capitals."""
    out = [rnd.choice(["", "", "\n", "# ", "  "])]
    for word in words:
        style = rnd.random()
        out.append(word.upper() if style < 0.1 else word.title() if style < 0.25 else word)
        out.append(rnd.choice(SEPARATORS))
    return "".join(out)


@st.composite
def planted_pair(draw: st.DrawFn, *, vocab: list[str] = VOCAB, edits: bool = True) -> tuple[str, str, list[str]]:
    """Two texts from ``VOCAB`` with a passage of A copied into B, perhaps edited."""
    words = st.sampled_from(VOCAB)
    passage = draw(st.lists(st.sampled_from(vocab), min_size=8, max_size=80, unique=vocab is RARE))
    copy = list(passage)
    if edits:
        for _ in range(draw(st.integers(0, len(copy) // 5))):
            kind = draw(st.sampled_from(["replace", "insert", "delete", "split"]))
            at = draw(st.integers(0, len(copy) - 1))
            if kind == "replace":
                copy[at] = draw(words)
            elif kind == "insert":
                copy.insert(at, draw(words))
            elif kind == "delete" and len(copy) > 1:
                del copy[at]
            elif kind == "split":  # one word becomes two ("buddies" -> "good friends")
                copy[at:at + 1] = [draw(words), draw(words)]
    a = draw(st.lists(words, max_size=60)) + passage + draw(st.lists(words, max_size=60))
    b = draw(st.lists(words, max_size=60)) + copy + draw(st.lists(words, max_size=60))
    rnd = random.Random(draw(st.integers(0, 2**32)))
    return render(a, rnd), render(b, rnd), passage


def check_passage(p: Passage, text_a: str, ta: Tokens, text_b: str, tb: Tokens, min_words: int,
                  *, ignoring: bool = False) -> None:
    """Everything a passage promises about its offsets and edits.

    ``ignoring``: some words were flagged as ignored, so a replace may hold identical words.
    """
    assert text_a[p.a_start:p.a_end] == p.a_text
    assert text_b[p.b_start:p.b_end] == p.b_text
    # Starts at a word start and ends at a word end, in both texts.
    assert p.a_start in ta.starts and p.a_end in ta.ends
    assert p.b_start in tb.starts and p.b_end in tb.ends
    assert p.words_a == len(tokenize(p.a_text)) and p.words_b == len(tokenize(p.b_text))
    assert 0 < p.similarity <= 1
    identical = 0
    for e in p.edits:
        assert e.op in ("equal", "replace", "delete", "insert")
        assert p.a_start <= e.a_start <= e.a_end <= p.a_end
        assert p.b_start <= e.b_start <= e.b_end <= p.b_end
        words_a = tokenize(text_a[e.a_start:e.a_end]).words
        words_b = tokenize(text_b[e.b_start:e.b_end]).words
        if e.op == "equal":
            assert words_a and words_a == words_b, (e, words_a, words_b)
            identical += len(words_a)
        elif e.op == "insert":
            assert e.a_start == e.a_end and words_b
        elif e.op == "delete":
            assert e.b_start == e.b_end and words_a
        else:
            assert words_a and words_b and (ignoring or words_a != words_b)
        # Every edit boundary is a word boundary.
        if e.a_end > e.a_start:
            assert e.a_start in ta.starts and e.a_end in ta.ends
        if e.b_end > e.b_start:
            assert e.b_start in tb.starts and e.b_end in tb.ends
    # Each word is in one edit at most, on either side: a word is never counted twice.
    for ranges in ([(e.a_start, e.a_end) for e in p.edits], [(e.b_start, e.b_end) for e in p.edits]):
        spans = sorted(span for span in ranges if span[1] > span[0])
        assert all(first[1] <= second[0] for first, second in pairwise(spans)), spans
    assert min_words <= identical <= min(p.words_a, p.words_b)
    # The passage's similarity counts the identical words its edits hold, once each (a joined
    # passage once summed its parts', counting twice the words two parts share).
    assert p.identical_words == identical


@given(planted_pair(), st.sampled_from([3, 5, 8]))
def test_passage_offsets_hold_the_matched_words(case: tuple[str, str, list[str]], min_words: int) -> None:
    text_a, text_b, _ = case
    ta, tb = tokenize(text_a), tokenize(text_b)
    passages = align(text_a, ta, text_b, tb, min_words=min_words)
    for p in passages:
        check_passage(p, text_a, ta, text_b, tb, min_words)
    assert list(passages) == sorted(passages, key=lambda p: (p.a_start, p.b_start))


@given(planted_pair(vocab=RARE, edits=False).filter(lambda case: len(case[2]) >= 12))
def test_a_planted_verbatim_passage_is_found(case: tuple[str, str, list[str]]) -> None:
    assert_planted_found(*case)


def test_a_verbatim_passage_beside_more_repeated_function_words_is_found() -> None:
    # Found by Hypothesis (2026-11-30): twelve planted words, and more "the"/"of" around them in
    # both texts than they have words. The merged region's alignment (one longest common
    # subsequence) matches the function words and leaves the planted words unmatched; the
    # planted words' own chain holds more identical content words, and wins the clash.
    assert_planted_found(
        '# the. OF\n\nalder0 "alder1  alder2, alder3 "Alder4 alder5) ALDER6) alder7 "alder8 (alder9 "Alder10 alder11 '
        '"the, the of, the "The\n\nthe\tthe of\n\nthe the. the) the the\t',
        '\nThe, the Of \u2014 The) the) of THE, the "the  the (Of, the\n\nThe) the \u2014 the the. alder0 alder1 alder2 '
        'alder3; alder4 ALDER5) Alder6 alder7\tALDER8 (alder9\n\nalder10\talder11  ',
        [f"alder{k}" for k in range(12)])


def assert_planted_found(text_a: str, text_b: str, planted: list[str]) -> None:
    """Nine tenths of the planted words of A are matched as identical words of a passage."""
    ta, tb = tokenize(text_a), tokenize(text_b)
    passages = align(text_a, ta, text_b, tb, min_words=8)
    planted_words = {w.casefold() for w in planted}
    start = next(i for i, w in enumerate(ta.words) if w in planted_words)
    plant_a = set(range(start, start + len(planted)))
    covered: set[int] = set()
    for p in passages:
        check_passage(p, text_a, ta, text_b, tb, 8)
        for e in p.edits:
            if e.op == "equal":
                covered.update(i for i, s in enumerate(ta.starts) if e.a_start <= s < e.a_end)
    assert len(plant_a & covered) >= 0.9 * len(plant_a)


def paragraphs(name: str) -> list[str]:
    return [p for p in sample_text(name).split("\n\n") if p.strip()]


def covered_words(text: str, tokens: Tokens, spans: list[tuple[int, int]]) -> int:
    starts = np.array(tokens.starts)
    inside = np.zeros(len(tokens), dtype=bool)
    for start, end in spans:
        inside |= (starts >= start) & (starts < end)
    return int(inside.sum())


def test_joined_passages_count_each_word_once() -> None:
    # Two passages joined into one, as neighbours or under a fragment, may align the same words:
    # here one aligns words 0-9 and then (its tail) words 10-12 of A with words 30-32 of B, the
    # other words 10-29 of A with words 40-59 of B, and a third words 30-49 of A with words
    # 30-49 of B (its last ten words on B are the second's). The identical runs win over the
    # tail, the longest first; the third keeps the words free on both sides.
    a = tokenize(" ".join(f"a{k}" for k in range(50)))
    b = tokenize(" ".join(f"b{k}" for k in range(60)))

    def edit(op: str, ia: int, ib: int, ja: int, jb: int) -> Edit:
        return Edit(op, a.starts[ia] if ib > ia else a.ends[ia - 1], a.ends[ib - 1] if ib > ia else a.ends[ia - 1],
                    b.starts[ja] if jb > ja else b.ends[ja - 1], b.ends[jb - 1] if jb > ja else b.ends[ja - 1])

    first = [edit("equal", 0, 10, 0, 10), edit("replace", 10, 13, 30, 33)]
    second = [edit("equal", 10, 30, 40, 60)]
    third = [edit("equal", 30, 50, 30, 50)]
    joined = joined_edits(first + second + third, a, b)
    assert joined == (edit("equal", 0, 10, 0, 10), edit("equal", 10, 30, 40, 60), edit("equal", 30, 40, 30, 40))
    # An identical run partly over words kept keeps the rest of its words, on both sides alike.
    assert joined_edits([edit("equal", 0, 20, 0, 20), edit("equal", 15, 30, 25, 40)], a, b) == (
        edit("equal", 0, 20, 0, 20), edit("equal", 20, 30, 30, 40))
    # One whose words are all taken on one side (here B) is left out.
    assert joined_edits([edit("equal", 0, 20, 0, 20), edit("equal", 22, 29, 10, 17)], a, b) == (
        edit("equal", 0, 20, 0, 20),)


def _joined_edits_plainly(edits: list[Edit], a: Tokens, b: Tokens) -> tuple[Edit, ...]:
    """:func:`joined_edits` stated plainly, over lists of the word ranges taken."""
    def word(t: Tokens, offset: int) -> int:
        return bisect_left(t.starts, offset)

    def overlaps(taken: list[tuple[int, int]], start: int, stop: int) -> bool:
        # An empty range (no words: an insertion's side in A) overlaps nothing, nor is anything in it.
        return start < stop and any(s < stop and start < e for s, e in taken if s < e)

    steps = [(e, word(a, e.a_start), word(a, e.a_end), word(b, e.b_start), word(b, e.b_end)) for e in edits]
    taken_a: list[tuple[int, int]] = []
    taken_b: list[tuple[int, int]] = []
    kept = []
    for e, ia, ib, ja, _ in sorted((s for s in steps if s[0].op == "equal"), key=lambda s: (s[1] - s[2], s[1], s[3])):
        free = [not overlaps(taken_a, ia + k, ia + k + 1) and not overlaps(taken_b, ja + k, ja + k + 1)
                for k in range(ib - ia)]
        runs = [(k, end) for k in range(len(free)) for end in [next((x for x in range(k, len(free)) if not free[x]), len(free))]
                if free[k] and (k == 0 or not free[k - 1])]
        if ib == ia:
            runs = [(0, 0)]
        if not runs:
            continue
        start, stop = max(runs, key=lambda r: (r[1] - r[0], -r[0]))
        if (start, stop) != (0, ib - ia):
            e = Edit("equal", a.starts[ia + start], a.ends[ia + stop - 1], b.starts[ja + start], b.ends[ja + stop - 1])
        taken_a.append((ia + start, ia + stop))
        taken_b.append((ja + start, ja + stop))
        kept.append(e)
    for e, ia, ib, ja, jb in sorted((s for s in steps if s[0].op != "equal"), key=lambda s: (s[1], s[3])):
        if overlaps(taken_a, ia, ib) or overlaps(taken_b, ja, jb):
            continue
        taken_a.append((ia, ib))
        taken_b.append((ja, jb))
        kept.append(e)
    return tuple(sorted(kept, key=lambda e: (e.a_start, e.b_start)))


@given(st.lists(st.tuples(st.sampled_from(["equal", "equal", "replace", "delete", "insert"]),
                          st.integers(0, 39), st.integers(0, 8), st.integers(0, 39), st.integers(0, 8)),
                max_size=14))
# A run whose two longest free stretches are as long (words 23-24 of A taken by a longer run,
# itself cut short by a longer one still) keeps the first.
@example(steps=[("equal", 36, 10, 12, 0), ("equal", 23, 9, 10, 0), ("equal", 20, 8, 0, 0)])
def test_joined_edits_keep_each_word_once_as_stated_plainly(steps: list[tuple[str, int, int, int, int]]) -> None:
    # Steps of several passages over the same words, overlapping any way they can: the runs kept
    # and their trimmed words are those of the rule written plainly, in the same order.
    a = tokenize(" ".join(f"a{k}" for k in range(48)))
    b = tokenize(" ".join(f"b{k}" for k in range(48)))

    def edit(op: str, ia: int, n: int, ja: int, m: int) -> Edit:
        n, m = (max(1, n), max(1, n)) if op == "equal" else (0 if op == "insert" else max(1, n),
                                                               0 if op == "delete" else max(1, m))
        def at(t: Tokens, i: int, count: int) -> tuple[int, int]:
            return (t.starts[i], t.ends[i + count - 1]) if count else ((t.ends[i - 1],) * 2 if i else (0, 0))
        return Edit(op, *at(a, ia, n), *at(b, ja, m))

    edits = [edit(*step) for step in steps]
    assert joined_edits(edits, a, b) == _joined_edits_plainly(edits, a, b)
    assert joined_edits(iter(edits), a, b) == joined_edits(edits, a, b)


def test_reordered_copy_is_found_piece_by_piece() -> None:
    parts = paragraphs("040_night_trains_return.txt")
    assert len(parts) >= 7
    order = [3, 0, 6, 2, 5, 7, 4, 1] + list(range(8, len(parts)))
    text_a = "\n\n".join(parts)
    text_b = "\n\n".join(parts[i] for i in order)
    ta, tb = tokenize(text_a), tokenize(text_b)
    passages = align(text_a, ta, text_b, tb, min_words=8)
    assert len(passages) >= 4
    for p in passages:
        check_passage(p, text_a, ta, text_b, tb, 8)
    assert covered_words(text_a, ta, [(p.a_start, p.a_end) for p in passages]) >= 0.9 * len(ta)
    assert covered_words(text_b, tb, [(p.b_start, p.b_end) for p in passages]) >= 0.9 * len(tb)


def test_substitutions_are_replace_edits() -> None:
    original = next(p for p in paragraphs("000_313ab52531fab2be.txt") if "buddies" in p)
    spun = original.replace("buddies", "good friends").replace("needed", "essential")
    ta, tb = tokenize(original), tokenize(spun)
    passages = align(original, ta, spun, tb, min_words=8)
    assert len(passages) == 1
    (p,) = passages
    check_passage(p, original, ta, spun, tb, 8)
    replaced = [(original[e.a_start:e.a_end], spun[e.b_start:e.b_end]) for e in p.edits if e.op != "equal"]
    assert replaced == [("buddies", "good friends"), ("needed", "essential")]
    # The passage is the whole paragraph, first word to last, on both sides.
    assert (p.a_start, p.a_end) == (ta.starts[0], ta.ends[-1])
    assert (p.b_start, p.b_end) == (tb.starts[0], tb.ends[-1])


def test_unrelated_texts_share_no_passage() -> None:
    text_a, text_b = sample_text("040_night_trains_return.txt"), sample_text("062_garden_birds_in_winter.txt")
    assert align(text_a, tokenize(text_a), text_b, tokenize(text_b), min_words=8) == ()


def test_ignored_words_never_match() -> None:
    text = sample_text("040_night_trains_return.txt")
    tokens = tokenize(text)
    everything = np.ones(len(tokens), dtype=bool)
    assert len(align(text, tokens, text, tokens, min_words=8)) == 1
    assert align(text, tokens, text, tokens, min_words=8, ignore_a=everything) == ()
    assert align(text, tokens, text, tokens, min_words=8, ignore_b=everything) == ()
    # Masking the first half of A leaves the second half as the evidence.
    half = np.zeros(len(tokens), dtype=bool)
    half[: len(tokens) // 2] = True
    (p,) = align(text, tokens, text, tokens, min_words=8, ignore_a=half)
    assert p.a_start >= tokens.starts[len(tokens) // 2]


def test_empty_texts() -> None:
    empty = tokenize("")
    text = sample_text("040_night_trains_return.txt")
    assert align("", empty, "", empty, min_words=1) == ()
    assert align(text, tokenize(text), "", empty, min_words=1) == ()


@given(planted_pair(), st.randoms(use_true_random=False))
def test_ignored_words_are_never_in_equal_edits(case: tuple[str, str, list[str]], rnd: random.Random) -> None:
    text_a, text_b, _ = case
    ta, tb = tokenize(text_a), tokenize(text_b)
    ignore_a = np.array([rnd.random() < 0.2 for _ in range(len(ta))], dtype=bool)
    ignore_b = np.array([rnd.random() < 0.2 for _ in range(len(tb))], dtype=bool)
    for p in align(text_a, ta, text_b, tb, min_words=3, ignore_a=ignore_a, ignore_b=ignore_b):
        check_passage(p, text_a, ta, text_b, tb, 3, ignoring=True)
        for e in p.edits:
            if e.op == "equal":
                inside_a = [i for i, s in enumerate(ta.starts) if e.a_start <= s < e.a_end]
                inside_b = [j for j, s in enumerate(tb.starts) if e.b_start <= s < e.b_end]
                assert not ignore_a[inside_a].any() and not ignore_b[inside_b].any()


# --------------------------------------------------------------------------- compiled kernels
#
# The seeds and chains are computed by numba kernels (dupefind.align_compiled); these are the
# plain statements they replaced, word for word, and the kernels must agree with them exactly.


def plain_word_ids(a: list[str], b: list[str], ignore_a: list[bool], ignore_b: list[bool]) -> tuple[list[int], list[int]]:
    vocab: dict[str, int] = {}
    ids_a = [vocab.setdefault(w, len(vocab)) for w in a]
    ids_b = [vocab.setdefault(w, len(vocab)) for w in b]
    ids_a = [-1 - i if ignore_a[i] else x for i, x in enumerate(ids_a)]
    ids_b = [-1 - len(ids_a) - j if ignore_b[j] else x for j, x in enumerate(ids_b)]
    return ids_a, ids_b


def plain_gram_keys(ids: list[int], positions: list[int], n: int) -> list[int]:
    values = [ids[p] % 2**64 for p in positions]
    keys = []
    for x in range(len(values) - n + 1):
        key = 0
        for offset in range(n):
            key = int(mix64(np.array([(key * 0x100000001B3 + values[x + offset]) % 2**64], dtype=np.uint64))[0])
        keys.append(key)
    return keys


def plain_seeds(ids_a: list[int], ids_b: list[int], stops_a: list[int], stops_b: list[int]) -> list[tuple[int, int]]:
    seeds: set[tuple[int, int]] = set()
    for pos_a, pos_b, n in ((range(len(ids_a)), range(len(ids_b)), 3), (stops_a, stops_b, 5)):
        keys_a, keys_b = plain_gram_keys(ids_a, list(pos_a), n), plain_gram_keys(ids_b, list(pos_b), n)
        for x, key in enumerate(keys_a):
            found = [y for y, other in enumerate(keys_b) if other == key]
            if len(found) <= 20:
                seeds.update((pos_a[x], pos_b[y]) for y in found)
    return sorted(seeds)


def plain_chains(seeds: list[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    chains: list[list[tuple[int, int]]] = []
    open_chains: list[list[tuple[int, int]]] = []
    for i, j in seeds:
        open_chains = [c for c in open_chains if i - c[-1][0] <= GAP]
        best: list[tuple[int, int]] | None = None
        best_cost = GAP + 1
        for chain in open_chains:
            li, lj = chain[-1]
            drift = abs((j - lj) - (i - li))
            if drift <= GAP // 2 and drift + (i - li) < best_cost:
                best, best_cost = chain, drift + (i - li)
        if best is None:
            best = []
            chains.append(best)
            open_chains.append(best)
        best.append((i, j))
    return chains


WORDS = st.lists(st.sampled_from(["the", "of", "and", "a", "in", "to", "river", "bridge", "lamp", "stone"]),
                 max_size=120)


@given(WORDS, WORDS, st.randoms(use_true_random=False))
def test_seeds_and_chains_match_the_plain_statement(a: list[str], b: list[str], rnd: random.Random) -> None:
    ignore_a = [rnd.random() < 0.1 for _ in a]
    ignore_b = [rnd.random() < 0.1 for _ in b]
    side_a = side(" ".join(a), Tokens(tuple(a), tuple(range(len(a))), tuple(range(len(a)))), np.array(ignore_a, dtype=bool))
    side_b = side(" ".join(b), Tokens(tuple(b), tuple(range(len(b))), tuple(range(len(b)))), np.array(ignore_b, dtype=bool))
    ids_a, ids_b = _word_ids(side_a, side_b)
    assert (ids_a.tolist(), ids_b.tolist()) == plain_word_ids(a, b, ignore_a, ignore_b)
    stops_a = [i for i, w in enumerate(a) if w in STOPWORDS and not ignore_a[i]]
    stops_b = [j for j, w in enumerate(b) if w in STOPWORDS and not ignore_b[j]]
    assert side_a.stops.tolist() == stops_a and side_b.stops.tolist() == stops_b
    seed_a, seed_b = _seeds(ids_a, ids_b, side_a.stops, side_b.stops)
    seeds = plain_seeds(ids_a.tolist(), ids_b.tolist(), stops_a, stops_b)
    assert list(zip(seed_a.tolist(), seed_b.tolist())) == seeds
    first_a, last_a, low_b, high_b = chain_spans(seed_a, seed_b, GAP)
    expected = [(c[0][0], c[-1][0], min(j for _, j in c), max(j for _, j in c)) for c in plain_chains(seeds)]
    assert list(zip(first_a.tolist(), last_a.tolist(), low_b.tolist(), high_b.tolist())) == expected


def test_gram_keys_are_the_numpy_ones() -> None:
    rnd = random.Random(5)
    ids = np.array([rnd.randrange(-50, 50) for _ in range(200)], dtype=np.int64)
    positions = np.array(sorted(rnd.sample(range(200), 90)), dtype=np.int64)
    for n in (1, 3, 5):
        assert gram_keys(ids, positions, n).tolist() == plain_gram_keys(ids.tolist(), positions.tolist(), n)


def test_gram_seeds_hold_the_repeat_limit_and_every_repeat() -> None:
    # Two words: each 3-gram recurs dozens of times, on both sides of the limit of repeats in B,
    # and B's keys crowd the hash table's slots.
    rnd = random.Random(11)
    for length_b in (10, 60, 170, 400):
        ids_a = np.array([rnd.randrange(2) for _ in range(300)], dtype=np.int64)
        ids_b = np.array([rnd.randrange(2) for _ in range(length_b)], dtype=np.int64)
        seed_a, seed_b = _seeds(ids_a, ids_b, np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64))
        expected = plain_seeds(ids_a.tolist(), ids_b.tolist(), [], [])
        assert list(zip(seed_a.tolist(), seed_b.tolist())) == expected


# --- a text made ready from the hashes its screening had -------------------------------------


@given(st.lists(st.sampled_from([w.lower() for w in VOCAB] + ["1999", "x"]), max_size=80), st.randoms(use_true_random=False))
def test_a_side_made_from_the_word_hashes_is_the_side_made_from_the_strings(words: list[str], rnd: random.Random) -> None:
    # The words numbered by their hashes in one compiled pass, the function words found by
    # theirs: every field the same as numbering the strings themselves.
    text = " ".join(words)
    tokens = Tokens(tuple(words), tuple(range(len(words))), tuple(range(1, len(words) + 1)))
    ignore = np.array([rnd.random() < 0.2 for _ in words], dtype=bool)
    starts = sorted({0, *rnd.sample(range(max(1, len(words))), min(len(words), 3))}) if words else []
    plain = side(text, tokens, ignore, segment_starts=starts)
    keyed = side(text, tokens, ignore, segment_starts=starts, keys=word_hashes(words))
    assert len(words) < 2 or keyed.words.keys is not None
    assert keyed.words.items == plain.words.items and keyed.words.index == plain.words.index
    assert keyed.words.codes.tolist() == plain.words.codes.tolist()
    assert keyed.stops.tolist() == plain.stops.tolist()
    for field in ("starts", "ends", "stem", "term"):
        assert getattr(keyed.sentences, field).tolist() == getattr(plain.sentences, field).tolist()
    assert keyed.sentences.stems.items == plain.sentences.stems.items


def test_keys_that_are_not_the_words_hashes_are_not_trusted() -> None:
    # A word given two keys would be two words: the strings are numbered instead.
    words = ["garden", "river", "garden", "city"]
    found = vocabulary(words, np.array([1, 2, 3, 4], dtype=np.uint64))
    assert found.keys is None and found.items == ["garden", "river", "city"] and found.codes.tolist() == [0, 1, 0, 2]


@given(st.lists(st.sampled_from([w.lower() for w in VOCAB]), min_size=2, max_size=40),
       st.lists(st.sampled_from([w.lower() for w in VOCAB] + ["alder1", "birch2"]), min_size=2, max_size=40))
def test_two_texts_numbered_by_their_hashes_are_numbered_as_by_their_strings(a: list[str], b: list[str]) -> None:
    plain = joint_codes(vocabulary(a), vocabulary(b))
    keyed_a, keyed_b = vocabulary(a, word_hashes(a)), vocabulary(b, word_hashes(b))
    assert keyed_a.keys is not None and keyed_b.keys is not None
    assert joint_codes(keyed_a, keyed_b).tolist() == plain.tolist()
