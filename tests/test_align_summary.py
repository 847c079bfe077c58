"""Summaries decided per pair: a summary of B in A is one passage; any other pair is unchanged."""

from __future__ import annotations

import re

import pytest
from conftest import TIDAL_SOURCE, TIDAL_SUMMARY, sample_text, summary_in_host

import dupefind
from dupefind.align import Side, align_sides, side, summarised
from dupefind.align import summary as summary_module
from dupefind.models import Passage
from dupefind.text import tokenize
from dupefind.verify import compact_tokens

SOURCE = "021_skerra_island_newsletter.txt"


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+", text) if len(s.split()) >= 8]


def _summary(text: str, *, every: int = 7, first: int = 2, count: int = 6) -> tuple[str, list[str]]:
    """A crude summary of ``text``: every ``every``-th of its sentences, each shortened (every
    third word dropped), run together; and the sentences it stands for."""
    picked = _sentences(text)[first::every][:count]
    shortened = [" ".join(w for k, w in enumerate(s.split()) if k % 3 != 2) for s in picked]
    return " ".join(shortened), picked


def _sides(text_a: str, text_b: str) -> tuple[Side, Side]:
    return side(text_a, compact_tokens(text_a)), side(text_b, compact_tokens(text_b))


def _host(middle: str) -> str:
    return sample_text("062_garden_birds_in_winter.txt") + "\n\n" + middle + "\n\n" + sample_text(
        "060_winter_cycle_commuting.txt")


def test_a_summary_inside_unrelated_text_is_one_passage_over_the_stretch_it_condenses() -> None:
    source = sample_text(SOURCE)
    summary, picked = _summary(source)
    text_a = _host(summary)
    start, end = text_a.index(summary), text_a.index(summary) + len(summary)
    first, last = source.index(picked[0]), source.index(picked[-1]) + len(picked[-1])

    pair = dupefind.compare(text_a, source)
    inside = [p for p in pair.passages if p.a_start < end and p.a_end > start]
    assert len(inside) == 1
    (passage,) = inside
    # The whole summary in A, and in B the stretch from its first to its last sentence.
    assert passage.a_start <= start + 20 and passage.a_end >= end - 20
    assert passage.b_start <= first and passage.b_end >= last
    # Nothing of the unrelated host text around it.
    assert passage.a_start >= start - 5 and passage.a_end <= end + 5
    assert text_a[passage.a_start:passage.a_end] == passage.a_text
    assert source[passage.b_start:passage.b_end] == passage.b_text


def test_the_sentence_for_sentence_passes_alone_cover_much_less_of_the_source() -> None:
    """What the summary step adds: without it, the summary's source is covered in bits."""
    source = sample_text(SOURCE)
    summary, _ = _summary(source)
    side_a, side_b = _sides(_host(summary), source)
    plain = align_sides(side_a, side_b, min_words=12)
    shown = summarised(side_a, side_b, plain)
    assert sum(p.b_end - p.b_start for p in shown) > 3 * max(1, sum(p.b_end - p.b_start for p in plain))


def test_the_sentence_pairs_of_the_pair_aligned_the_other_way_round_serve_as_well() -> None:
    """A pair aligned as B, A (the longer text first) lends its sentence vectors to the summary
    step, which looks for a summary of B in A: seen from B, they give what A's own would (the
    same sentence pairs; a cosine may differ in its last bit, summed the other way round)."""
    from dupefind.align import LOOSE_COSINE, paired

    source = sample_text(SOURCE)
    summary, _ = _summary(source)
    side_a, side_b = _sides(_host(summary), source)
    plain = align_sides(side_a, side_b, min_words=12)
    ahead = summarised(side_a, side_b, plain, vectors=paired(side_a.sentences, side_b.sentences, floor=LOOSE_COSINE))
    assert ahead != plain
    back = paired(side_b.sentences, side_a.sentences, floor=LOOSE_COSINE)
    assert summarised(side_a, side_b, plain, vectors=back, reversed_vectors=True) == ahead
    assert summarised(side_a, side_b, plain, vectors=back) != ahead  # taken as A, B they say otherwise


def test_the_verdict_rests_on_the_passages_before_the_summary_step() -> None:
    source = sample_text(SOURCE)
    summary, _ = _summary(source)
    text_a = _host(summary)
    side_a, side_b = _sides(text_a, source)
    plain = align_sides(side_a, side_b, min_words=12)
    pair = dupefind.compare(text_a, source)
    assert pair.passages != plain
    # The pair's copied words are those of the plain passages: the summary passage adds none.
    assert sum(p.identical_words for p in pair.passages) <= sum(p.identical_words for p in plain)


@pytest.mark.parametrize("every", [1, 2])
def test_a_copied_stretch_is_not_a_summary(every: int) -> None:
    """Consecutive sentences (every one, or every other one) of the source copied verbatim: a
    copy of about its own length in B, which the summary step leaves as it is."""
    source = sample_text(SOURCE)
    copied = " ".join(_sentences(source)[10:22:every])
    side_a, side_b = _sides(_host(copied), source)
    plain = align_sides(side_a, side_b, min_words=12)
    assert plain
    assert summarised(side_a, side_b, plain) == plain


def test_paragraphs_in_another_order_are_not_a_summary() -> None:
    """Each moved paragraph leaves out of its stretch of B what is copied elsewhere in A."""
    source = sample_text(SOURCE)
    paragraphs = [p for p in source.split("\n\n") if 40 < len(p.split()) < 90][:8]
    assert len(paragraphs) == 8
    # Neighbours in A are four paragraphs apart in B: as a summary's sentences would be.
    order = [0, 4, 1, 5, 2, 6, 3, 7]
    side_a, side_b = _sides("\n\n".join(paragraphs[k] for k in order), "\n\n".join(paragraphs))
    plain = align_sides(side_a, side_b, min_words=12)
    assert len(plain) == 8
    assert summary_module._chains(sorted(
        (summary_module._word(side_a.tokens, p.a_start), summary_module._word(side_a.tokens, p.a_end),
         summary_module._word(side_b.tokens, p.b_start), summary_module._word(side_b.tokens, p.b_end))
        for p in plain))
    assert summarised(side_a, side_b, plain) == plain


def test_unrelated_texts_and_no_passages_stay_empty() -> None:
    side_a, side_b = _sides(sample_text("062_garden_birds_in_winter.txt"), sample_text(SOURCE))
    assert summarised(side_a, side_b, align_sides(side_a, side_b, min_words=12)) == ()
    empty = side("", tokenize(""))
    assert summarised(empty, side_b, ()) == ()


def test_a_run_needs_its_stretch_of_b_much_longer_than_itself(monkeypatch: pytest.MonkeyPatch) -> None:
    """The ratio is what makes a summary: asking for more than the summary condenses turns it off."""
    source = sample_text(SOURCE)
    summary, _ = _summary(source)
    side_a, side_b = _sides(_host(summary), source)
    plain = align_sides(side_a, side_b, min_words=12)
    assert summarised(side_a, side_b, plain) != plain
    monkeypatch.setattr(summary_module, "SUMMARY_RATIO", 50)
    monkeypatch.setattr(summary_module, "CHAIN_RATIO", 50)
    assert summarised(side_a, side_b, plain) == plain


def test_chains_follow_one_another_in_both_texts() -> None:
    """Two short passages close in A, far apart and in order in B, form a chain; in the other
    order in B, or far apart in A, or long, they do not."""
    chains = summary_module._chains
    assert chains([(0, 20, 0, 20), (25, 45, 200, 220)]) == [((0, 45, 0, 220), 2)]
    assert chains([(0, 20, 200, 220), (25, 45, 0, 20)]) == []
    assert chains([(0, 20, 0, 20), (100, 120, 200, 220)]) == []
    assert chains([(0, 20, 0, 20), (25, 45, 30, 50)]) == []  # about as long in B as in A
    assert chains([(0, 150, 0, 150), (155, 175, 600, 620)]) == []  # a long passage is a copy of its own


def test_alone_weighs_what_is_left_out_against_what_is_copied_elsewhere() -> None:
    alone = summary_module._alone
    span = (100, 140, 0, 400)
    inside = (100, 120, 0, 20)
    assert alone(span, [inside])
    assert alone(span, [inside, (0, 30, 50, 80)])  # 30 of 380 words left out are copied elsewhere
    assert not alone(span, [inside, (0, 200, 50, 250), (300, 400, 250, 400)])


def test_summary_passages_keep_the_order_and_offsets_of_passages() -> None:
    source = sample_text(SOURCE)
    summary, _ = _summary(source)
    copied = _sentences(sample_text("040_night_trains_return.txt"))[3]
    text_a = _host(summary + "\n\n" + copied)
    text_b = source + "\n\n" + sample_text("040_night_trains_return.txt")
    side_a, side_b = _sides(text_a, text_b)
    shown = summarised(side_a, side_b, align_sides(side_a, side_b, min_words=12))
    assert list(shown) == sorted(shown, key=lambda p: (p.a_start, p.b_start))
    for p in shown:
        assert isinstance(p, Passage)
        assert text_a[p.a_start:p.a_end] == p.a_text and text_b[p.b_start:p.b_end] == p.b_text


def test_only_a_is_looked_at_as_the_summary() -> None:
    """The source first and its summary second: the passages stay as the ordinary passes found
    them (the other direction found source passages lying side by side as summaries)."""
    source = sample_text(SOURCE)
    summary, _ = _summary(source)
    side_b, side_a = _sides(_host(summary), source)
    plain = align_sides(side_a, side_b, min_words=12)
    assert summarised(side_a, side_b, plain) == plain


def test_a_summary_its_sentences_tell_is_a_copy_either_way_round() -> None:
    """A reworded summary inside other text shares no copied passage with its source; its sentences, each like a different sentence of the source, in order, over a
    stretch three times as long, are the evidence. The verdict looks for it both ways round, and
    the summary passage is shown whichever text comes first."""
    host, source = summary_in_host(), sample_text(TIDAL_SOURCE)
    start, end = host.index(TIDAL_SUMMARY), host.index(TIDAL_SUMMARY) + len(TIDAL_SUMMARY)
    side_host, side_source = _sides(host, source)
    assert not align_sides(side_host, side_source, min_words=12)  # no passage of its own
    for pair, summary_first in ((dupefind.compare(host, source), True), (dupefind.compare(source, host), False)):
        assert pair.duplicate
        (passage,) = pair.passages
        a_start, a_end = (passage.a_start, passage.a_end) if summary_first else (passage.b_start, passage.b_end)
        assert start - 5 <= a_start <= start + 20 and end - 20 <= a_end <= end + 5
        assert passage.similarity == 0.0  # not a word copied: what the summary shares is its sentences
    # Without the summary's sentences, the host is no copy of the source.
    assert not dupefind.compare(host.replace(TIDAL_SUMMARY, ""), source).duplicate


def test_a_run_of_sentences_like_a_few_of_the_source_is_no_summary() -> None:
    """Three sentences each like the same sentence of the source, or out of its order, are not
    a summary of it: the run must match different sentences, mostly in order."""
    source = sample_text(TIDAL_SOURCE)
    shuffled = " ".join(reversed([s for s in re.split(r"(?<=[.!?])\s+", TIDAL_SUMMARY)]))
    host = summary_in_host().replace(TIDAL_SUMMARY, shuffled)
    assert not dupefind.compare(host, source).duplicate


def test_the_summary_rule_asks_what_the_passage_rules_ask_of_the_pair() -> None:
    """With the passage rules off (``passage_words`` 0) a summary is no copy either."""
    host, source = summary_in_host(), sample_text(TIDAL_SOURCE)
    assert dupefind.compare(host, source, dupefind.Config()).duplicate
    assert not dupefind.compare(host, source, dupefind.Config(passage_words=0)).duplicate


def test_sentences_picked_far_apart_in_a_long_text_are_no_summary(monkeypatch: pytest.MonkeyPatch) -> None:
    """20,000 words drawn at random from one article hold, somewhere, a sentence loosely like each
    sentence of another article on a related subject, in order: no summary condenses a stretch
    forty times its length (the run found reaches much further)."""
    import random

    article = sample_text("060_winter_cycle_commuting.txt")
    drawn = " ".join(random.Random(50).choices(sample_text("012_allotment_waiting_lists.txt").split(), k=20_000))
    assert not dupefind.compare(article, drawn).duplicate
    monkeypatch.setattr(summary_module, "MAX_SUMMARY_RATIO", 10**9)
    assert dupefind.compare(article, drawn).duplicate  # what the limit turns down


def test_long_runs_of_sentences_barely_alike_in_one_small_vocabulary_are_no_summary(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Texts of random sentences over one small vocabulary (a few hundred stems; the Spark test's
    corpus): every sentence of one is loosely like many of the other, and runs of a dozen such
    sentences, in order more often than not, are found by chance. A summary's sentences say what
    their sources say: at least one in ``CLOSE_SHARE`` as like its match as a seed of the
    sentence pass."""
    import random

    rng = random.Random(11)
    syllables = "ka lo mi ren tu sav pel dor fin gra hol ben tis mur vak zel qua nor pim ost".split()
    vocabulary = sorted({"".join(rng.choice(syllables) for _ in range(3)) for _ in range(6000)})
    small = "the of and a in to is was it for with he be on that by at".split()

    def lines(count: int) -> list[str]:
        return [" ".join(rng.choice(small) if k % 2 else rng.choice(vocabulary) for k in range(16)).capitalize() + "."
                for _ in range(count)]

    lines(30)
    texts = []
    for _ in range(2):  # the Spark test's copy-0 and copy-1 (drawn in its order)
        copied = lines(10)
        lines(100)
        before, after = lines(90), lines(90)
        texts.append("\n".join(before) + "\n" + " ".join(copied) + "\n" + "\n".join(after))
        lines(45)
    one, two = texts
    side_one, side_two = _sides(one, two)
    found = summary_module.runs(side_one.sentences, side_two.sentences)
    assert any(len(run.matches) >= 8 and run.close * summary_module.CLOSE_SHARE < len(run.matches) for run in found)
    assert not dupefind.compare(one, two).duplicate
    monkeypatch.setattr(summary_module, "CLOSE_SHARE", 100)
    assert dupefind.compare(one, two).duplicate  # what the closeness asks turns down
