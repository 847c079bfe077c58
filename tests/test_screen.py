"""The staged verification (cheap checks first, :mod:`dupefind.screen`) against aligning every pair.

Every rejection by a cheap check must be a true bound: on any pair, the staged verdict and
its pair (figures, passages, relation) are those of the full alignment.
"""

from __future__ import annotations

import random
import string
from pathlib import Path

import numpy as np
import pytest
from conftest import TIDAL_SOURCE, sample_text, summary_in_host
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import dupefind
from dupefind import pipeline
from dupefind.align import LOOSE_COSINE, paired
from dupefind.align import passages as aligner
from dupefind.align import words as word_pass
from dupefind.align.sentences import Fragment, sentence_fragments
from dupefind.align.summary import runs
from dupefind.align.terms import _term
from dupefind.boilerplate import Commons, segment_keys
from dupefind.config import Config
from dupefind.models import Location, Pair
from dupefind.pipeline.judging import _pair, _prepare, _reread, staged_pair
from dupefind.screen import (
    Call,
    Probe,
    Screened,
    call,
    figures,
    holdings,
    kept_words,
    pairs_within_reach,
    passage_within_reach,
    probe,
    screened,
    shares_content,
    shares_seed,
)
from dupefind.screen import sentences as screen_sentences
from dupefind.screen.seeds import _span_words
from dupefind.screen.sentences import _paired, stretches
from dupefind.screen.stems import _byte_keys, _token_stems
from dupefind.text import hash_words
from dupefind.verify import compact_tokens, overlap, passage_needed

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
FUNCTION = "the of and to in a is that for it as was with be by on not he this are or his from at which".split()
CONTENT = ("river council budget storm harbour school vote market grain bridge doctor train festival "
           "museum farmer tax court island rail energy water health police garden").split()
BOILERPLATE = "Subscribe to our newsletter for the latest news from the valley."


def invented(rng: random.Random, count: int, *, shortest: int = 3) -> list[str]:
    """``count`` made-up words of ``shortest``-9 letters."""
    return ["".join(rng.choices(string.ascii_lowercase, k=rng.randint(shortest, 9))) for _ in range(count)]


def probes_and_stretches(text_a: str, text_b: str) -> tuple[Probe, Probe, list[Fragment]]:
    """Each text's probe (no boilerplate, no short texts), and the stretches the sentence pass
    finds between them."""
    x, y = (probe(screened(i, t, commons=Commons(), scheme="stopwords", ngram=8, min_words=1))
            for i, t in (("a", text_a), ("b", text_b)))
    sides = [_prepare(i, t, Commons(), Config(min_words=1)).align for i, t in (("a", text_a), ("b", text_b))]
    return x, y, sentence_fragments(sides[0].sentences, sides[1].sentences)


def sentence(rng: random.Random, vocabulary: list[str]) -> str:
    words = [rng.choice(FUNCTION if rng.random() < 0.5 else vocabulary) for _ in range(rng.randint(6, 18))]
    return " ".join(words).capitalize() + "."


def article(rng: random.Random, sentences: int, vocabulary: list[str]) -> list[str]:
    return [sentence(rng, vocabulary) for _ in range(sentences)]


@st.composite
def text_pairs(draw: st.DrawFn) -> tuple[str, str, bool]:
    """Two texts sharing nothing, a stretch, a reworded stretch, everything (maybe spun or
    reordered), or being short; sometimes with a boilerplate line in both."""
    rng = random.Random(draw(st.integers(0, 2**32)))
    vocabulary = (rng.sample(CONTENT, rng.randint(4, len(CONTENT))) if draw(st.booleans())
                  else invented(rng, 300))
    a = article(rng, draw(st.integers(1, 30)), vocabulary)
    b = article(rng, draw(st.integers(1, 30)), vocabulary)
    # Markup: links and tags in A's sentences (carried into B with what B copies), or one link
    # in both (the same banner or address crawled into two unrelated pages).
    marked = draw(st.sampled_from(["none", "none", "links", "same link"]))
    if marked != "none" and a:
        same = markup(rng, vocabulary)
        a = [f"{s} {same if marked == 'same link' else markup(rng, vocabulary)}" if rng.random() < 0.3 else s
             for s in a]
        if marked == "same link" and b:
            where = rng.randrange(len(b))
            b[where] = f"{b[where]} {same}"
    kind = draw(st.sampled_from(["none", "stretch", "reworded", "run", "whole", "spun", "reordered", "short"]))
    if kind == "run" and a and b:  # a run of words of A put inside a sentence of B (texts sharing a phrase)
        where = rng.randrange(len(b))
        if draw(st.booleans()):  # inside long sentences, whose other words the pair may share or not
            source = rng.randrange(len(a))
            a[source] = a[source][:-1] + " " + " ".join(rng.choice(vocabulary) for _ in range(rng.randint(10, 40))) + "."
            b[where] = b[where][:-1] + " " + " ".join(rng.choice(vocabulary) for _ in range(rng.randint(10, 40))) + "."
        words = " ".join(a).split()
        start = rng.randrange(len(words))
        run = words[start : start + rng.randint(6, 40)]
        cut = b[where].split()
        at = rng.randint(0, len(cut))
        b[where] = " ".join(cut[:at] + run + cut[at:])
    elif kind in ("stretch", "reworded") and a:
        start = rng.randrange(len(a))
        stretch = a[start : start + rng.randint(1, 6)]
        if kind == "reworded":
            stretch = [" ".join(w for w in s.split() if rng.random() < 0.7) or s for s in stretch]
            stretch = [" ".join(rng.sample(s.split(), len(s.split()))) for s in stretch]
        where = rng.randint(0, len(b))
        b = b[:where] + stretch + b[where:]
    elif kind in ("whole", "spun", "reordered"):
        b = list(a)
        if kind == "spun":
            b = [" ".join(rng.choice(CONTENT) if w in vocabulary and rng.random() < 0.4 else w for w in s.split())
                 for s in b]
        if kind == "reordered":
            rng.shuffle(b)
    elif kind == "short":
        b = a[:1] if rng.random() < 0.5 else b[:1]
        a = a[:1]
    furniture = draw(st.booleans())
    if furniture:
        a, b = a + [BOILERPLATE], [BOILERPLATE] + b
    lines = rng.choice([" ", "\n", "\n\n"])
    return lines.join(a), lines.join(b), furniture


def markup(rng: random.Random, vocabulary: list[str]) -> str:
    """A URL or an HTML tag of a few to a few dozen words."""
    words = [rng.choice(vocabulary) for _ in range(rng.randint(2, 40))]
    link = f"http://www.{words[0]}.com/{'/'.join(words[1:-1])}?id={rng.randrange(10**6)}&q={words[-1]}"
    return rng.choice([link, f'<a href="{link}">', f"<img src={words[0]}.png alt='{' '.join(words[1:])}'>"])


CONFIGS = [Config(), Config(passage_words=0), Config(passage_words=12), Config(threshold=0.5),
           Config(min_words=10), Config(scheme="words", ngram=3), Config(min_passage_words=8)]


def unstaged(text_a: str, text_b: str, commons: Commons, config: Config, ids: tuple[str, str] = ("a", "b")) -> Pair | None:
    """The verdict as it was: both texts prepared in full and aligned, whatever their figures."""
    pair = _pair(_prepare(ids[0], text_a, commons, config), _prepare(ids[1], text_b, commons, config), config)
    return pair if pair.duplicate else None


def staged(text_a: str, text_b: str, commons: Commons, config: Config) -> Pair | None:
    a, b = (screened(i, t, commons=commons, scheme=config.scheme, ngram=config.shingle_size,
                     min_words=config.min_words) for i, t in (("a", text_a), ("b", text_b)))
    return staged_pair(a, b, config)


def furniture_commons() -> Commons:
    return Commons(np.unique(segment_keys(hash_words(BOILERPLATE))))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text_pairs(), st.sampled_from(CONFIGS))
def test_staged_verification_gives_what_aligning_every_pair_gives(texts: tuple[str, str, bool],
                                                                  config: Config) -> None:
    text_a, text_b, furniture = texts
    commons = furniture_commons() if furniture else Commons()
    assert staged(text_a, text_b, commons, config) == unstaged(text_a, text_b, commons, config)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text_pairs())
def test_no_shared_seed_means_the_aligner_has_no_seed(texts: tuple[str, str, bool]) -> None:
    text_a, text_b, furniture = texts
    commons = furniture_commons() if furniture else Commons()
    config = Config(min_words=1)
    a, b = (screened(i, t, commons=commons, scheme="stopwords", ngram=8, min_words=1)
            for i, t in (("a", text_a), ("b", text_b)))
    x, y = _prepare("a", text_a, commons, config).align, _prepare("b", text_b, commons, config).align
    ids_a, ids_b = aligner._word_ids(x, y)
    seeds = word_pass._seeds(ids_a, ids_b, x.stops, y.stops)
    if not shares_seed(probe(a), probe(b)):
        assert len(seeds[0]) == 0


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text_pairs())
def test_the_cheap_checks_number_words_and_find_seeds_as_the_aligner_does(texts: tuple[str, str, bool]) -> None:
    """``word_spans``'s word ids (from the hashes) tell equal words as the aligner's ids (from the
    strings) do, boilerplate matching nothing, and its seeds (from the probes' runs) are the
    aligner's seeds: the same positions."""
    text_a, text_b, furniture = texts
    commons = furniture_commons() if furniture else Commons()
    config = Config(min_words=1)
    a, b = (screened(i, t, commons=commons, scheme="stopwords", ngram=8, min_words=1)
            for i, t in (("a", text_a), ("b", text_b)))
    x, y = probe(a), probe(b)
    ids_a, ids_b, seeds_a, seeds_b = _span_words(x.ids, x.distinct, a.boilerplate, y.ids, y.distinct, b.boilerplate,
                                                 x.runs, x.run_starts, y.runs, y.run_starts, x.stop_runs,
                                                 x.stop_run_starts, y.stop_runs, y.stop_run_starts,
                                                 word_pass.MAX_REPEATS)
    side_a, side_b = _prepare("a", text_a, commons, config).align, _prepare("b", text_b, commons, config).align
    codes_a, codes_b = aligner._word_ids(side_a, side_b)
    both, codes = np.concatenate((ids_a, ids_b)), np.concatenate((codes_a, codes_b))
    assert len(both) == len(codes)
    same = both[:, None] == both[None, :]
    assert np.array_equal(same & (both[:, None] >= 0), (codes[:, None] == codes[None, :]) & (codes[:, None] >= 0))
    assert np.array_equal(both < 0, codes < 0)
    expected = word_pass._seeds(codes_a, codes_b, side_a.stops, side_b.stops)
    assert seeds_a.tolist() == expected[0].tolist() and seeds_b.tolist() == expected[1].tolist()


@given(text_pairs())
@settings(max_examples=100, deadline=None)
def test_screening_prepares_what_prepare_prepares(texts: tuple[str, str, bool]) -> None:
    text_a, text_b, furniture = texts
    commons = furniture_commons() if furniture else Commons()
    for text in (text_a, text_b):
        cheap = screened("d", text, commons=commons, scheme="stopwords", ngram=8, min_words=50)
        full = _prepare("d", text, commons, Config())
        again = _reread(cheap)
        assert (again.verify.id, again.verify.text, again.verify.tokens, again.verify.short,
                again.verify.segment_starts) == (full.verify.id, full.verify.text, full.verify.tokens,
                                                 full.verify.short, full.verify.segment_starts)
        assert np.array_equal(again.verify.shingles, full.verify.shingles)
        assert np.array_equal(again.verify.boilerplate, full.verify.boilerplate)
    x = screened("a", text_a, commons=commons, scheme="stopwords", ngram=8, min_words=50)
    y = screened("b", text_b, commons=commons, scheme="stopwords", ngram=8, min_words=50)
    if x.short or y.short:  # their figures are the verifier's own, on their words
        return
    assert figures(x.shingles, y.shingles) == overlap(_prepare("a", text_a, commons, Config()).verify,
                                                      _prepare("b", text_b, commons, Config()).verify)


def test_without_passage_rule_a_pair_below_the_threshold_is_never_aligned(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(3)
    text_a = " ".join(article(rng, 30, CONTENT))
    text_b = " ".join(article(rng, 30, CONTENT))
    config = Config(passage_words=0)
    a, b = (screened(i, t, commons=Commons(), scheme="stopwords", ngram=8, min_words=50)
            for i, t in (("a", text_a), ("b", text_b)))
    assert call(a, b, figures(a.shingles, b.shingles), threshold=0.2, passage_words=0, min_passage_words=12) is Call.NOT_A_COPY

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("aligned")

    monkeypatch.setattr(pipeline.judging, "_reread", never)
    assert staged_pair(a, b, config) is None


@pytest.mark.parametrize("config", [Config(jobs=1), Config(jobs=1, passage_words=0), Config(jobs=1, passage_words=12)])
def test_a_scan_reports_what_aligning_every_candidate_reports(monkeypatch: pytest.MonkeyPatch, config: Config) -> None:
    staged_report = dupefind.scan([str(SAMPLES)], config)

    def every_pair(a: Screened, b: Screened, config: Config, **_: object) -> Pair | None:
        return unstaged(a.text, b.text, commons, config, (a.id, b.id))

    commons = Commons()
    real_build = pipeline.build_catalog

    def build(*args: object, **kwargs: object) -> pipeline.Catalog:
        nonlocal commons
        catalog = real_build(*args, **kwargs)  # type: ignore[arg-type]  # passed through as given
        commons = catalog.commons
        return catalog

    monkeypatch.setattr(pipeline, "build_catalog", build)
    monkeypatch.setattr(pipeline.checking, "staged_pair", every_pair)
    full_report = dupefind.scan([str(SAMPLES)], config)
    assert list(staged_report.pairs) == list(full_report.pairs)
    assert len(full_report.pairs) > 0 or config.passage_words == 0


@settings(max_examples=200, deadline=None)
@given(text_pairs())
def test_stems_from_bytes_are_the_sentence_pass_terms(texts: tuple[str, str, bool]) -> None:
    text_a, _, furniture = texts
    commons = furniture_commons() if furniture else Commons()
    for text in (text_a, text_a.replace("a", "À", 1), "Naïve café owners said 1234 things" + text_a):
        cheap = probe(screened("d", text, commons=commons, scheme="stopwords", ngram=8, min_words=1))
        terms = _prepare("d", text, commons, Config(min_words=1)).align.sentences
        assert cheap.sentences.tolist() == np.stack([terms.starts, terms.ends], axis=1).tolist()
        assert cheap.stems is not None
        assert ((cheap.stems != 0) == (terms.term >= 0)).all()
        # equal keys exactly where the stems are equal
        pairs = {(int(k), int(t)) for k, t in zip(cheap.stems, terms.term) if t >= 0}
        assert len({k for k, _ in pairs}) == len(pairs) == len({t for _, t in pairs})


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from("naïve café Zürich ÉCOLE déjà Ωmega мир façade the of said 1234 ²³ résumé owners".split()),
                max_size=60), st.integers(0, 2**32 - 1))
def test_stems_of_a_text_with_accented_letters_are_each_words_stem(words: list[str], seed: int) -> None:
    # A text holding letters outside ASCII is tokenised; each word's stem key is that of its own
    # first letters (none for a function word, a number, a word of two letters or boilerplate),
    # however often the word comes back.
    text = " ".join(words) + " à"
    doc = screened("d", text, commons=Commons(), scheme="stopwords", ngram=8, min_words=1)
    mask = np.random.default_rng(seed).random(len(doc.words.hashes)) < 0.3
    keys, starts = _token_stems(text, doc.words, mask)
    tokens = compact_tokens(text)
    assert keys is not None and starts is not None and starts.tolist() == list(tokens.starts)
    for word, key, dropped in zip(tokens.words, keys.tolist(), mask.tolist()):
        stem = "" if dropped else _term(word)
        data = np.frombuffer(stem.encode("utf-8") or b" ", dtype=np.uint8)
        assert key == int(_byte_keys(data, np.array([0]), np.array([len(stem.encode("utf-8"))]))[0])


def test_sentence_seed_count_is_a_bound_on_the_sentence_pass() -> None:
    from dupefind.screen import sentence_seeds_possible

    rng = random.Random(5)
    vocabulary = invented(rng, 300)
    checked = 0
    for _ in range(200):
        a = article(rng, rng.randint(2, 20), vocabulary)
        b = article(rng, rng.randint(2, 20), vocabulary)
        if rng.random() < 0.5:
            b[rng.randrange(len(b))] = " ".join(rng.sample(a[0].split(), len(a[0].split())))
            b.append(a[-1].replace("the", "a"))
        text_a, text_b = " ".join(a), " ".join(b)
        x, y, fragments = probes_and_stretches(text_a, text_b)
        if not sentence_seeds_possible(x, y):
            assert not [f for f in fragments if f.seeds >= 2]
            checked += 1
    assert checked > 20


def _phrase_pair(sentence_words: int) -> tuple[str, str]:
    """Two articles of unrelated sentences; B holds a run of 20 words from one sentence of A
    (of ``sentence_words`` + 2 words) inside one sentence of ``sentence_words`` words."""
    rng = random.Random(sentence_words)
    vocabulary = invented(rng, 400, shortest=4)
    a, b = article(rng, 12, vocabulary), article(rng, 12, vocabulary)
    long = [rng.choice(vocabulary) for _ in range(sentence_words + 2)]
    a[3] = " ".join(long).capitalize() + "."
    run = long[3:23]
    filler = [rng.choice(vocabulary) for _ in range(sentence_words - len(run))]
    b[6] = " ".join(filler[:3] + run + filler[3:]).capitalize() + "."
    return " ".join(a), " ".join(b)


@pytest.mark.parametrize(("sentence_words", "copy"), [(24, False), (50, True)])
def test_a_phrase_shared_inside_one_sentence_is_decided_before_alignment(sentence_words: int, copy: bool) -> None:
    """A shared run of 20 words, in one sentence of B: the word pass finds it, and the one pair
    of similar sentences is the only stretch the sentence pass could add. In sentences of 24-26
    words no passage can reach 30 words: turned down unaligned. In ones of 50-52 it may (the
    stretch joined over the sentence, rewritten): aligned. Either way, what aligning gives."""
    from dupefind.screen import passage_possible, similar_sentences, word_spans

    text_a, text_b = _phrase_pair(sentence_words)
    config = Config()
    x, y = (screened(i, t, commons=Commons(), scheme=config.scheme, ngram=config.shingle_size,
                     min_words=config.min_words) for i, t in (("a", text_a), ("b", text_b)))
    px, py = probe(x), probe(y)
    spans = word_spans(x, y, px, py, min_words=config.min_passage_words, most=8)
    assert len(spans) == 1 and spans[0][4] == 20 and len(similar_sentences(px, py, most=2) or []) == 1
    decided = call(x, y, figures(x.shingles, y.shingles), threshold=config.threshold,
                   passage_words=config.passage_words, min_passage_words=config.min_passage_words)
    assert decided == (Call.ALIGN if copy else Call.NOT_A_COPY)
    assert passage_possible(spans, px, py, passage_words=config.passage_words) is copy
    assert staged(text_a, text_b, Commons(), config) == unstaged(text_a, text_b, Commons(), config)


def test_a_single_similar_sentence_pair_bounds_every_stretch() -> None:
    """The bound's premise: when one pair of sentences is similar enough to seed, every stretch
    the sentence pass finds lies within those two sentences."""
    from dupefind.screen import similar_sentences

    rng = random.Random(9)
    vocabulary = invented(rng, 200)
    checked = 0
    for _ in range(300):
        a = article(rng, rng.randint(2, 15), vocabulary)
        b = article(rng, rng.randint(2, 15), vocabulary)
        if rng.random() < 0.7:  # one sentence of A reworded into B
            words = a[rng.randrange(len(a))].split()
            b.insert(rng.randint(0, len(b)), " ".join(rng.sample(words, len(words))) + " " + rng.choice(vocabulary))
        text_a, text_b = " ".join(a), " ".join(b)
        x, y, fragments = probes_and_stretches(text_a, text_b)
        seeds = similar_sentences(x, y, most=2)
        if seeds is None or len(seeds) != 1:
            continue
        (a0, a1), (b0, b1) = x.sentences[seeds[0][0]].tolist(), y.sentences[seeds[0][1]].tolist()
        assert all(a0 <= f.a_start and f.a_end <= a1 and b0 <= f.b_start and f.b_end <= b1 for f in fragments)
        checked += len(fragments) > 0
    assert checked > 20


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text_pairs())
def test_stretches_from_probes_are_the_sentence_pass_stretches(texts: tuple[str, str, bool]) -> None:
    text_a, text_b, furniture = texts
    commons = furniture_commons() if furniture else Commons()
    for one, two in ((text_a, text_b), (text_a.replace("a", "À", 1), text_b), (text_b, text_a)):
        x, y = (probe(screened(i, t, commons=commons, scheme="stopwords", ngram=8, min_words=1))
                for i, t in (("a", one), ("b", two)))
        sides = [_prepare(i, t, commons, Config(min_words=1)).align for i, t in (("a", one), ("b", two))]
        assert stretches(x, y) == sentence_fragments(sides[0].sentences, sides[1].sentences)


def test_a_phrase_inside_long_sentences_sharing_nothing_else_is_decided_before_alignment() -> None:
    """A run of 24 words shared inside two sentences of 50-54 words whose other words differ:
    the one similar sentence pair could make a stretch of 50 words, but the sentence pass, run
    on the probes, cuts it to the words the two sentences share. No passage can reach 30
    words: turned down unaligned, as aligning turns it down."""
    from dupefind.screen import passage_possible, word_spans

    rng = random.Random(0)
    vocabulary, other = invented(rng, 400, shortest=4), invented(rng, 400, shortest=4)
    a, b = article(rng, 12, vocabulary), article(rng, 12, other)
    long = [rng.choice(vocabulary) for _ in range(50)]
    a[3] = " ".join(long).capitalize() + "."
    b[6] = " ".join([rng.choice(other) for _ in range(15)] + long[10:34] + [rng.choice(other) for _ in range(15)]) + "."
    text_a, text_b = " ".join(a), " ".join(b)
    config = Config()
    x, y = (screened(i, t, commons=Commons(), scheme=config.scheme, ngram=config.shingle_size,
                     min_words=config.min_words) for i, t in (("a", text_a), ("b", text_b)))
    px, py = probe(x), probe(y)
    spans = word_spans(x, y, px, py, min_words=config.min_passage_words, most=8)
    assert len(spans) == 1 and spans[0][4] == 24
    assert passage_possible(spans, px, py, passage_words=config.passage_words)  # the sentences' words
    found = stretches(px, py) or []
    assert len(found) == 1 and found[0].seeds == 1
    assert found[0].a_end - found[0].a_start < 30 and found[0].b_end - found[0].b_start < 30
    assert call(x, y, figures(x.shingles, y.shingles), threshold=config.threshold,
                passage_words=config.passage_words, min_passage_words=config.min_passage_words) == Call.NOT_A_COPY
    assert unstaged(text_a, text_b, Commons(), config) is None


def test_shares_content_counts_distinct_content_words_outside_the_partners_boilerplate() -> None:
    partner_text = " ".join(CONTENT[:10]) + " and the of.\n" + BOILERPLATE
    commons = Commons(segment_keys(hash_words(BOILERPLATE)))
    partner = screened("p", partner_text, commons=commons, scheme="stopwords", ngram=8, min_words=1)
    assert partner.boilerplate.any()
    words = hash_words(" ".join(CONTENT[:8] + FUNCTION[:20] + ["newsletter", "valley"])).hashes
    theirs = kept_words(partner)
    assert shares_content(words, theirs, least=8)
    assert not shares_content(words, theirs, least=9)  # function words, and the partner's boilerplate, do not count
    assert not shares_content(hash_words(" ".join(FUNCTION)).hashes, theirs, least=1)


@pytest.mark.parametrize("link_words", [4, 12, 30])
def test_a_shared_sentence_holding_a_link_is_decided_as_the_verdict_decides(link_words: int) -> None:
    """One sentence in common, some of its words a URL (not prose), the rest just under to just
    over a copied passage's 30 words: turned down before alignment exactly when the verdict
    turns it down, on both sides of the limit."""
    rng = random.Random(link_words)
    vocabulary = invented(rng, 400)
    config = Config()
    verdicts = set()
    for prose_words in range(24, 38):
        words = [rng.choice(vocabulary) for _ in range(prose_words)]
        link = "http://www." + "/".join(rng.choice(vocabulary) for _ in range(link_words)) + ".com"
        shared = " ".join(words[: prose_words // 2] + [link] + words[prose_words // 2 :]).capitalize() + "."
        a, b = article(rng, 12, vocabulary), article(rng, 12, vocabulary)
        a.insert(5, shared)
        b.insert(7, shared)
        text_a, text_b = " ".join(a), " ".join(b)
        expected = unstaged(text_a, text_b, Commons(), config)
        assert staged(text_a, text_b, Commons(), config) == expected
        verdicts.add(expected is not None)
    assert verdicts == {True, False}


@st.composite
def short_pairs(draw: st.DrawFn) -> tuple[str, str, bool]:
    """Two texts of 5-60 words from one small vocabulary (a flood of short texts: most pairs
    share a few words): written apart, sharing a run of words, the same words, or one the
    other reworded (words dropped and shuffled); sometimes with a boilerplate line in both."""
    rng = random.Random(draw(st.integers(0, 2**32)))
    vocabulary = rng.sample(CONTENT, rng.randint(4, len(CONTENT))) + FUNCTION
    a = [rng.choice(vocabulary) for _ in range(draw(st.integers(5, 60)))]
    b = [rng.choice(vocabulary) for _ in range(draw(st.integers(5, 60)))]
    kind = draw(st.sampled_from(["apart", "run", "same", "reworded", "inflected", "inflected", "inflected"]))
    if kind == "run":
        start = rng.randrange(len(a))
        run = a[start : start + rng.randint(6, 40)]
        at = rng.randint(0, len(b))
        b = b[:at] + run + b[at:]
    elif kind == "same":
        b = list(a)
    elif kind == "reworded":
        b = [w for w in a if rng.random() < 0.8] or a
        b = rng.sample(b, len(b)) if rng.random() < 0.5 else b
    elif kind == "inflected":  # each content word another form of itself: the same stems, few same words
        b = [w + rng.choice(["s", "ed", "ing", "er"]) if w in CONTENT else w for w in a if rng.random() < 0.9] or a
    furniture = draw(st.booleans())
    text_a, text_b = (sentences_of(rng, words) for words in (a, b))
    if furniture:
        text_a, text_b = f"{text_a} {BOILERPLATE}", f"{BOILERPLATE} {text_b}"
    return text_a, text_b, furniture


def sentences_of(rng: random.Random, words: list[str]) -> str:
    """The words as sentences of 4-12 words."""
    out, k = [], 0
    while k < len(words):
        step = rng.randint(4, 12)
        out.append(" ".join(words[k : k + step]).capitalize() + ".")
        k += step
    return " ".join(out)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(short_pairs(), st.sampled_from(CONFIGS))
def test_what_short_texts_hold_bounds_their_verdict(texts: tuple[str, str, bool], config: Config) -> None:
    """A pair turned down by what its two texts hold (before anything else is made of it) is
    no copy, whatever boilerplate either sets aside."""
    text_a, text_b, furniture = texts
    commons = furniture_commons() if furniture else Commons()
    task = pipeline.PairTask([(0, 1)], {0: ("a", Location("a", "text")), 1: ("b", Location("b", "text"))})
    docs = pipeline.TaskDocuments(task, commons=commons, config=config,
                                  load=lambda location: {"a": text_a, "b": text_b}[location.path])
    docs.screen(0), docs.screen(1)
    if not docs.within_reach([(0, 1)]):
        assert unstaged(text_a, text_b, commons, config) is None
        assert unstaged(text_a, text_b, Commons(), config) is None  # (boilerplate spared)


def test_a_flood_of_short_texts_is_turned_down_by_what_they_hold() -> None:
    rng = random.Random(7)
    vocabulary = CONTENT + FUNCTION
    texts = {name: " ".join(rng.choice(vocabulary) for _ in range(20)) for name in "abc"}
    texts["c"] = texts["a"].split(maxsplit=6)[-1] + " " + " ".join(rng.choice(vocabulary) for _ in range(6))
    task = pipeline.PairTask([(0, 1), (0, 2)], {k: (name, Location(name, "text")) for k, name in enumerate("abc")})
    docs = pipeline.TaskDocuments(task, commons=Commons(), config=Config(),
                                  load=lambda location: texts[location.path])
    for k in range(3):
        docs.screen(k)
    assert docs.within_reach([(0, 1), (0, 2)]) == [(0, 2)]  # (0, 1): a few words in common; (0, 2):
    # fourteen words in a row, more than half of them: a passage may hold them
    assert unstaged(texts["a"], texts["c"], Commons(), Config()) is not None


def test_short_rewordings_that_share_few_words_stay_within_reach() -> None:
    """Short copies with each content word in another form (the same stems, few words the
    same) are kept by the stems they share: a bound on the words alone would lose them."""
    config, kept_by_stems = Config(), 0
    for seed in range(300):
        rng = random.Random(seed)
        vocabulary = rng.sample(CONTENT, rng.randint(4, len(CONTENT))) + FUNCTION
        a = [rng.choice(vocabulary) for _ in range(rng.randint(5, 60))]
        b = [w + rng.choice(["s", "ed", "ing", "er"]) if w in CONTENT else w for w in a if rng.random() < 0.9] or a
        texts = {"a": sentences_of(rng, a), "b": sentences_of(rng, b)}
        task = pipeline.PairTask([(0, 1)], {0: ("a", Location("a", "text")), 1: ("b", Location("b", "text"))})
        docs = pipeline.TaskDocuments(task, commons=Commons(), config=config,
                                      load=lambda location, texts=texts: texts[location.path])
        first, second = docs.screen(0), docs.screen(1)
        assert first is not None and second is not None
        copy = unstaged(texts["a"], texts["b"], Commons(), config) is not None
        assert docs.within_reach([(0, 1)]) or not copy
        words_a, words_b = first.words.hashes.tolist(), second.words.hashes.tolist()
        shared = sum(min(words_a.count(w), words_b.count(w)) for w in set(words_a))
        kept_by_stems += copy and shared < passage_needed(len(words_a), len(words_b), config.passage_words)
    assert kept_by_stems >= 10


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(short_pairs(), min_size=1, max_size=8), st.sampled_from(CONFIGS))
def test_pairs_within_reach_at_once_as_one_by_one(cases: list[tuple[str, str, bool]], config: Config) -> None:
    """The compiled check of many pairs at once is the rule written plainly, pair by pair."""
    texts = [text for a, b, _ in cases for text in (a, b)]
    docs = [screened(str(k), t, commons=Commons(), scheme=config.scheme, ngram=config.shingle_size,
                     min_words=config.min_words) for k, t in enumerate(texts)]
    held = [holdings(d) for d in docs]
    ends = np.array([(i, j) for i in range(len(docs)) for j in range(i + 1, len(docs))], dtype=np.int64)
    short = np.array([d.short for d in docs], dtype=bool)
    plain = [not (short[i] or short[j])
             or (needed := passage_needed(held[i].size, held[j].size, config.passage_words)) <= 0
             or passage_within_reach(held[i], held[j], needed) for i, j in ends.tolist()]
    assert pairs_within_reach(ends, held, short, passage_words=config.passage_words).tolist() == plain


def _runs_both_ways(x: Probe, y: Probe) -> tuple[list[object], list[object]]:
    sa, sb, vectors = _paired(x, y, floor=LOOSE_COSINE)
    return runs(sa, sb, vectors), runs(sb, sa, vectors, reversed_vectors=True)


def test_a_summary_is_aligned_and_reported_not_turned_down(monkeypatch: pytest.MonkeyPatch) -> None:
    """A reworded summary inside other text has no passage the cheap checks could let through;
    the run of sentences the summary rule counts is found on the probes first."""
    host, source = summary_in_host(), sample_text(TIDAL_SOURCE)
    config = Config()
    for one, two in ((host, source), (source, host)):
        found = staged(one, two, Commons(), config)
        assert found is not None and found == unstaged(one, two, Commons(), config)
    monkeypatch.setattr(screen_sentences, "runs", lambda *args, **kwargs: [])  # no run found on the probes
    assert staged(host, source, Commons(), config) is None  # what the check keeps


def test_summary_runs_from_probes_are_the_summary_steps_runs() -> None:
    """The runs :func:`~dupefind.screen.sentences.summary_possible` finds on the probes are the
    summary step's, either way round, to the last bit."""
    host, source = summary_in_host(), sample_text(TIDAL_SOURCE)
    for one, two in ((host, source), (source, host)):
        x, y = (probe(screened(i, t, commons=Commons(), scheme="stopwords", ngram=8, min_words=1))
                for i, t in (("a", one), ("b", two)))
        sides = [_prepare(i, t, Commons(), Config(min_words=1)).align for i, t in (("a", one), ("b", two))]
        vectors = paired(sides[0].sentences, sides[1].sentences, floor=LOOSE_COSINE)
        expected = (runs(sides[0].sentences, sides[1].sentences, vectors),
                    runs(sides[1].sentences, sides[0].sentences, vectors, reversed_vectors=True))
        assert any(expected) and _runs_both_ways(x, y) == expected and screen_sentences.summary_possible(x, y)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text_pairs())
def test_summary_runs_from_probes_are_the_summary_steps_runs_on_any_pair(texts: tuple[str, str, bool]) -> None:
    text_a, text_b, furniture = texts
    commons = furniture_commons() if furniture else Commons()
    x, y = (probe(screened(i, t, commons=commons, scheme="stopwords", ngram=8, min_words=1))
            for i, t in (("a", text_a), ("b", text_b)))
    sides = [_prepare(i, t, commons, Config(min_words=1)).align for i, t in (("a", text_a), ("b", text_b))]
    vectors = paired(sides[0].sentences, sides[1].sentences, floor=LOOSE_COSINE)
    expected = (runs(sides[0].sentences, sides[1].sentences, vectors),
                runs(sides[1].sentences, sides[0].sentences, vectors, reversed_vectors=True))
    assert _runs_both_ways(x, y) == expected
    assert screen_sentences.summary_possible(x, y) or not any(expected)  # a true bound
