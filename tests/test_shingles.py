"""Shingles: token streams to sorted unique uint32 ids, per scheme."""

from __future__ import annotations

import random
import subprocess
import sys
from typing import Literal

import numpy as np
import pytest
from conftest import sample_text

from dupefind.config import DEFAULT_NGRAM, SCHEMES
from dupefind.shingles import STOPWORDS, shingle_ids, window_sets, word_hashes
from dupefind.text import tokenize

WORDS = tokenize(sample_text("040_night_trains_return.txt")).words
GERMAN = tokenize(
    "Nachtzüge kehren zurück: Zwischen Berlin, Wien und Zürich verkehren wieder Schlafwagen. "
    "Reisende schätzen ruhige Abteile, frische Brötchen am Morgen, pünktliche Ankunft, niedrige "
    "Emissionen, bequeme Liegen, freundliches Personal sowie günstige Preise für Familien."
).words


def spin(words: tuple[str, ...]) -> list[str]:
    """Replace every content word, keep every function word (what a spinner does, at its worst)."""
    return [w if w in STOPWORDS else w[::-1] + "q" for w in words]


@pytest.mark.parametrize("scheme", SCHEMES)
def test_shape_dtype_sorted_unique(scheme: str) -> None:
    ids = shingle_ids(WORDS, scheme=scheme, ngram=DEFAULT_NGRAM[scheme])  # type: ignore[arg-type]
    assert ids.dtype == np.uint32
    assert ids.ndim == 1 and len(ids) > 50
    assert np.all(np.diff(ids.astype(np.int64)) > 0)  # strictly increasing: sorted and unique


@pytest.mark.parametrize("scheme", SCHEMES)
def test_deterministic_across_calls(scheme: str) -> None:
    first = shingle_ids(WORDS, scheme=scheme, ngram=4)  # type: ignore[arg-type]
    second = shingle_ids(list(WORDS), scheme=scheme, ngram=4)  # type: ignore[arg-type]
    assert np.array_equal(first, second)


def test_deterministic_across_processes() -> None:
    """Ids must not depend on Python's per-process string hash randomisation."""
    code = ("from dupefind.shingles import shingle_ids;"
            "print(shingle_ids('the cat sat on the mat and the dog'.split(), scheme='words', ngram=3).tolist())")
    runs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env={"PYTHONHASHSEED": seed}).stdout for seed in ("1", "2")}
    assert len(runs) == 1
    words = ["the", "cat", "sat", "on", "the", "mat", "and", "the", "dog"]
    here = shingle_ids(words, scheme="words", ngram=3).tolist()
    assert runs.pop().strip() == str(here)


def test_stopword_shingles_ignore_content_word_substitution() -> None:
    spun = spin(WORDS)
    assert spun != list(WORDS)
    stop_a = shingle_ids(WORDS, scheme="stopwords", ngram=8)
    stop_b = shingle_ids(spun, scheme="stopwords", ngram=8)
    assert len(stop_a) > 20
    assert np.array_equal(stop_a, stop_b)
    # The word scheme, by contrast, sees the substitution.
    words_a = shingle_ids(WORDS, scheme="words", ngram=5)
    words_b = shingle_ids(spun, scheme="words", ngram=5)
    assert len(np.intersect1d(words_a, words_b)) == 0


def test_stopword_shingles_see_function_word_changes() -> None:
    changed = list(WORDS)
    index = next(i for i, w in enumerate(changed) if w == "the")
    changed[index] = "a"
    assert not np.array_equal(shingle_ids(WORDS, scheme="stopwords", ngram=8),
                              shingle_ids(changed, scheme="stopwords", ngram=8))


def test_non_english_text_falls_back_to_word_ngrams() -> None:
    assert sum(w in STOPWORDS for w in GERMAN) < 0.15 * len(GERMAN)
    ids = shingle_ids(GERMAN, scheme="stopwords", ngram=8)
    assert len(ids) == len(GERMAN) - DEFAULT_NGRAM["words"] + 1
    # Word n-grams: a changed content word changes the shingles.
    changed = list(GERMAN)
    changed[3] = "anders"
    assert not np.array_equal(ids, shingle_ids(changed, scheme="stopwords", ngram=8))


def test_cjk_text_falls_back_to_word_ngrams() -> None:
    words = tokenize("夜行列車が戻ってきた。ベルリンとウィーンの間で寝台車が再び走る。").words
    assert len(shingle_ids(words, scheme="stopwords", ngram=8)) > 10


def test_chars_scheme() -> None:
    ids = shingle_ids(["abcdefg"], scheme="chars", ngram=7)
    assert len(ids) == 1
    assert len(shingle_ids(["abcdefgh"], scheme="chars", ngram=7)) == 2
    assert len(shingle_ids(["abc", "de"], scheme="chars", ngram=3)) == 4  # "abc de": abc bc_ c_d _de
    # Case, spacing and punctuation are gone after tokenisation.
    assert np.array_equal(shingle_ids(tokenize("Hello,   WORLD!").words, scheme="chars", ngram=4),
                          shingle_ids(tokenize("hello world").words, scheme="chars", ngram=4))
    assert not np.array_equal(shingle_ids(["hello", "world"], scheme="chars", ngram=4),
                              shingle_ids(["hello", "word"], scheme="chars", ngram=4))


@pytest.mark.parametrize("scheme", SCHEMES)
def test_fewer_tokens_than_n_gives_empty_array(scheme: str) -> None:
    for words in ([], ["the"], ["the", "of", "and"]):
        ids = shingle_ids(words, scheme=scheme, ngram=12)  # type: ignore[arg-type]
        assert ids.dtype == np.uint32
        assert len(ids) == 0


def test_english_with_too_few_function_words_for_one_ngram_falls_back_to_word_ngrams() -> None:
    """Nine words of which three are function words: no stopword 8-gram, so word 5-grams (they had
    no shingle: two identical such texts read 0 % alike, and were no copy with --min-words 5);
    and a text too short for any shingle is measured on its words, short or not."""
    import dupefind
    from dupefind import Config

    text = "the quick brown fox jumps over the lazy dog"
    assert len(shingle_ids(tokenize(text).words, scheme="stopwords", ngram=8)) == 5
    pair = dupefind.compare(text, text, Config(min_words=1))
    assert pair.duplicate and pair.similarity == pair.containment == 1.0
    tiny = dupefind.compare("quick brown fox", "quick brown fox", Config(min_words=1))
    assert tiny.duplicate and tiny.similarity == 1.0


def test_word_ngram_count_and_order_sensitivity() -> None:
    words = [f"w{n}" for n in range(20)]
    assert len(shingle_ids(words, scheme="words", ngram=5)) == 16
    assert len(shingle_ids(words[:5], scheme="words", ngram=5)) == 1
    assert not np.array_equal(shingle_ids(words[:5], scheme="words", ngram=5),
                              shingle_ids(words[4::-1], scheme="words", ngram=5))


def test_word_hashes_are_stable_and_distinct() -> None:
    hashes = word_hashes(["the", "cat", "the"])
    assert hashes.dtype == np.uint64
    assert hashes[0] == hashes[2] != hashes[1]


def test_windows_cover_the_text_and_end_with_it() -> None:
    """``window_sets``: a text of at most a window is one set; a longer one is cut into
    windows half a window apart, the last ending with the text, each the n-grams inside it;
    content words only for ``content``."""
    from dupefind.shingles import window_sets
    from dupefind.text import hash_texts

    words = [f"w{k}" for k in range(25)]
    texts = [" ".join(words), "the of and", " ".join(words[:8]), " ".join(f"the {w}" for w in words[:8])]
    ids, starts, owners = window_sets(hash_texts(texts), family="content", ngram=2, window=10, stride=5)
    assert owners.tolist() == [0, 0, 0, 0, 1, 2, 3]
    sets = np.split(ids, starts[1:])
    whole = [set(window_sets(hash_texts([" ".join(words[s : s + 10])]), family="content", ngram=2, window=0,
                             stride=1)[0].tolist()) for s in (0, 5, 10, 15)]
    assert [set(s.tolist()) for s in sets[:4]] == whole  # windows at 0, 5, 10, 15 (the last ends the text)
    assert [len(s) for s in sets[:4]] == [9, 9, 9, 9]  # 10 words, 9 bigrams
    assert len(sets[4]) == 0  # no content word
    assert np.array_equal(sets[5], sets[6])  # function words are skipped


@pytest.mark.parametrize("bits", [32, 16])
@pytest.mark.parametrize(("window", "ngram"), [(10, 1), (10, 2), (7, 3), (50, 1), (0, 1), (4, 1)])
def test_windows_signed_from_their_pieces_are_the_windows_signed_whole(window: int, ngram: int,
                                                                       bits: Literal[16, 32]) -> None:
    """A view's window signatures are made from pieces (each shingle hashed once, a window the
    least of its pieces): they are the signatures of :func:`window_sets`' windows written out,
    sizes (repeats counted) and the empty rows of short texts included, in the view's type."""
    from dupefind.fingerprint import narrowed, set_signatures
    from dupefind.sketching import view_sketches
    from dupefind.text import hash_texts
    from dupefind.views import View

    rng = random.Random(window * 10 + ngram)
    vocabulary = [f"w{k}" for k in range(60)] + ["the", "of", "and", "a", "in"]
    texts = [" ".join(rng.choice(vocabulary) for _ in range(rng.choice([0, 1, 3, 9, 30, 77, 160]))) for _ in range(40)]
    view = View("v", "content", ngram, window, 32, 0.3, 0.3, value_bits=bits)
    words = hash_texts(texts)
    counts = np.diff(words.text_starts, append=len(words))
    short = counts < 9  # (min_words 9 below: texts of 0, 1 and 3 words get empty rows)
    ids, starts, owners = window_sets(words, family="content", ngram=ngram, window=window, stride=view.stride)
    lengths = np.diff(starts, append=len(ids))
    sizes = np.where(short[owners], 0, lengths)
    expected = set_signatures(ids[np.repeat(sizes > 0, lengths)], np.cumsum(sizes) - sizes, num_perm=32, seed=3)
    got = view_sketches(texts, words, counts, view=view, seed=3, min_words=9)
    assert got.owners.tolist() == owners.tolist()
    assert got.sizes.tolist() == sizes.tolist()
    assert got.signatures.dtype == view.dtype
    assert np.array_equal(got.signatures, narrowed(expected, view.dtype))
    assert (got.signatures[short[owners]] == np.iinfo(view.dtype).max).all()


def test_content_windows_hold_the_stems_of_content_words() -> None:
    """The ``content`` family compares content words by their stems, as the aligner does: a
    sentence reworded only in its words' endings has the same set; a function word stays out,
    and a content word beginning with one ("therefore", "there") is kept."""
    from dupefind.text import hash_texts

    texts = ["Companies argued industrial regulators understood markets",
             "the company argues an industry regulator understands the market",
             "Companies argued industrial regulators understood prices",
             "there", "therefore"]
    ids, starts, _ = window_sets(hash_texts(texts), family="content", ngram=1, window=0, stride=1)
    sets = [set(s.tolist()) for s in np.split(ids, starts[1:])]
    assert sets[0] == sets[1] and len(sets[0]) == 6
    assert len(sets[0] & sets[2]) == 5
    assert sets[3] == set() and len(sets[4]) == 1
