"""Text: normalised words that keep their character offsets in the original text."""

from __future__ import annotations

import itertools
import random
import re
from pathlib import Path

import numpy as np
import pytest
from conftest import sample_text
from hypothesis import given, settings
from hypothesis import strategies as st

import dupefind
from dupefind import text as text_module
from dupefind.text import (
    INVISIBLE,
    _tokenize_by_pattern,
    hash_texts,
    hash_tokens,
    hash_words,
    joined_words,
    normalise_word,
    segments,
    stem_hashes,
    tokenize,
    word_hashes,
)


def test_offsets_index_the_original_text() -> None:
    text = "  The QUICK brown fox\u2019s  \u201cjump\u201d\u2014over 42 \uff26\uff55\uff4c\uff4c-width.\n"
    tokens = tokenize(text)
    assert tokens.words == ("the", "quick", "brown", "fox's", "jump", "over", "42", "full", "width")
    for word, start, end in zip(tokens.words, tokens.starts, tokens.ends):
        assert normalise_word(text[start:end]) == word
    assert text[tokens.starts[3]:tokens.ends[3]] == "fox\u2019s"
    assert text[tokens.starts[7]:tokens.ends[7]] == "\uff26\uff55\uff4c\uff4c"


def test_offsets_of_a_real_article() -> None:
    text = sample_text("000_313ab52531fab2be.txt")
    tokens = tokenize(text)
    assert len(tokens) > 700
    assert list(tokens.starts) == sorted(tokens.starts)
    for word, start, end in zip(tokens.words, tokens.starts, tokens.ends):
        assert start < end
        assert normalise_word(text[start:end]) == word


@given(st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=200))
def test_offsets_hold_for_any_text(text: str) -> None:
    tokens = tokenize(text)
    assert len(tokens.words) == len(tokens.starts) == len(tokens.ends) == len(tokens)
    previous_end = 0
    for word, start, end in zip(tokens.words, tokens.starts, tokens.ends):
        assert previous_end <= start < end <= len(text)
        assert normalise_word(text[start:end]) == word
        previous_end = end


def test_normalisation_nfkc_casefold_apostrophe() -> None:
    assert normalise_word("STRASSE") == normalise_word("Stra\u00dfe") == "strasse"
    assert normalise_word("\ufb01nance") == "finance"  # the "fi" ligature
    assert normalise_word("Caf\u0065\u0301") == normalise_word("Caf\u00e9") == "caf\u00e9"
    assert normalise_word("don\u2019t") == normalise_word("DON'T") == "don't"
    assert tokenize("Don\u2019t stop").words == tokenize("don't STOP").words == ("don't", "stop")


def test_cjk_characters_are_tokens_of_their_own() -> None:
    text = "东京の天気は晴れ and kana \u30ab\u30bf\u30ab\u30ca"
    tokens = tokenize(text)
    assert tokens.words[:7] == ("东", "京", "の", "天", "気", "は", "晴")
    assert tokens.words[7:] == ("れ", "and", "kana", "カ", "タ", "カ", "ナ")
    for start, end in zip(tokens.starts, tokens.ends):
        if not text[start].isascii():
            assert end == start + 1


def test_segments_split_at_newlines_and_sentence_ends() -> None:
    text = "First sentence here. Second one! Third?\nA new line without end\nv1.2 stays whole\n\nLast"
    tokens = tokenize(text)
    spans = [" ".join(tokens.words[s.start:s.stop]) for s in segments(text, tokens)]
    assert spans == ["first sentence here", "second one", "third", "a new line without end",
                     "v1 2 stays whole", "last"]


def test_segments_cover_every_token_once() -> None:
    text = sample_text("021_skerra_island_newsletter.txt")
    tokens = tokenize(text)
    spans = segments(text, tokens)
    assert spans[0].start == 0 and spans[-1].stop == len(tokens)
    for left, right in itertools.pairwise(spans):
        assert left.stop == right.start and len(left) > 0
    assert len(spans) > 20


def test_empty_and_wordless_texts() -> None:
    for text in ("", "   ", "--- *** !!!"):
        tokens = tokenize(text)
        assert len(tokens) == 0
        assert segments(text, tokens) == []


# --------------------------------------------------------------------------- words as hashes

_PIECES = st.sampled_from([
    "the", "Cat", "DON'T", "l’été", "naïve", "STRASSE", "Straße", "Ωμέγα", "привет", "東京", "x²", "½",
    "e\u0301", "ﬁne", "nº", "µm", "ª", "m³", "¹", "_id", "42", "'", "''", "’", ".", "!", "?", "...", ",", "—", "“", "”", "\u00a0",
    " ", "  ", "\n", "\t", "\r\n", "\u2028", "-", "é", "É", "ŉ", "हिन्दी", "\u093f", "\u0301", "o\u0308\u0301",
])


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=40).map("".join) | st.text(max_size=60))
def test_word_hashes_from_bytes_equal_those_of_the_tokens(text: str) -> None:
    """The first pass's byte-level path finds the same words and segments as the tokeniser."""
    fast = hash_words(text)
    tokens = tokenize(text)
    slow = hash_tokens(text, tokens)
    assert np.array_equal(fast.hashes, slow.hashes)
    assert np.array_equal(fast.hashes, word_hashes(tokens.words))
    assert fast.segment_starts.tolist() == [span.start for span in segments(text, tokens)]
    assert fast.stems is not None and slow.stems is not None
    assert np.array_equal(fast.stems, slow.stems)
    assert np.array_equal(fast.stems, stem_hashes(tokens.words))


def test_a_stem_is_the_first_letters_of_a_word_and_never_a_word() -> None:
    """Words agree on their stems when their first five letters do (``STEM``), counted in
    characters (a Cyrillic letter is two bytes); a stem's hash is never the hash of a word,
    so the stem of "understand" is not the function word "under"."""
    words = hash_words("Industries industrial INDUSTRY indie understand under Москвичи москва мосты")
    stems = words.stems
    assert stems is not None
    assert stems[0] == stems[1] == stems[2] != stems[3]
    assert stems[4] == stems[5] != words.hashes[5]
    assert stems[6] == stems[7] != stems[8]  # five letters, not five bytes: "москв", "мосты"
    assert not set(stems.tolist()) & set(words.hashes.tolist())


def test_word_hashes_differ_by_word_and_ignore_case() -> None:
    first, second, third = hash_words("Garden garden gardens").hashes.tolist()
    assert first == second != third
    assert word_hashes(["garden"]).tolist() == [first]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=80)
       | st.lists(st.sampled_from(["Don't", "'", "''", "a", "B_2", " ", ".", "\n", "rock'n'roll", "x'"]),
                  max_size=30).map("".join))
def test_ascii_words_are_those_of_the_word_pattern(text: str) -> None:
    """The byte-level ASCII tokeniser agrees with the regular expression it replaces."""
    lowered = text.lower()
    expected = [(m.group(), m.start(), m.end()) for m in re.finditer(r"\w+(?:'\w+)*", lowered)]
    tokens = tokenize(text)
    assert list(zip(tokens.words, tokens.starts, tokens.ends)) == expected


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(_PIECES, max_size=15).map("".join), max_size=6))
def test_many_texts_hashed_at_once_are_each_hashed_alone(texts: list[str]) -> None:
    together = hash_texts(texts)
    alone = [hash_words(t) for t in texts]
    assert np.array_equal(together.hashes, np.concatenate([a.hashes for a in alone] + [np.empty(0, np.uint64)]))
    assert together.stems is not None
    assert np.array_equal(together.stems, np.concatenate([a.stems for a in alone if a.stems is not None]
                                                         + [np.empty(0, np.uint64)]))
    offsets = np.cumsum([0] + [len(a) for a in alone])
    assert together.text_starts.tolist() == offsets[:-1].tolist()
    expected = [int(o) + int(s) for a, o in zip(alone, offsets) for s in a.segment_starts]
    assert together.segment_starts.tolist() == expected
    assert together.text_of_word().tolist() == [k for k, a in enumerate(alone) for _ in range(len(a))]


@settings(max_examples=500, deadline=None)
@given(st.lists(_PIECES, max_size=40).map("".join) | st.text(max_size=60))
def test_tokens_from_bytes_equal_those_of_the_word_pattern(text: str) -> None:
    """The byte-level tokeniser agrees with the word pattern and per-word normalisation."""
    assert tokenize(text) == _tokenize_by_pattern(text)


def test_many_one_letter_texts_hashed_at_once() -> None:
    # Each text is one word of one byte: more words than half the bytes of all texts together.
    texts = ["ª", "a", "b", "ª"]
    together = hash_texts(texts)
    assert len(together.hashes) == 4
    assert together.text_starts.tolist() == [0, 1, 2, 3]
    assert together.hashes.tolist() == [h for t in texts for h in hash_words(t).hashes.tolist()]


def test_a_long_text_needing_the_tokeniser_is_hashed_a_piece_at_a_time_with_the_same_result(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A text that is not plain ASCII is tokenised a piece at a time (cut after line breaks),
    which bounds its memory; words, hashes and segments are those of the whole text."""
    rnd = random.Random(5)
    words = ["naïve", "café", "Straße", "word", "another", "x", "déjà", "vu", "日本語", "it's"]
    lines = [" ".join(rnd.choice(words) for _ in range(rnd.randint(0, 12))) + rnd.choice([".", "", "!", "?", ","])
             for _ in range(2000)]
    text = "\n".join(lines) + "\nno line break at the end " + "é" * 700
    texts = [text, "plain ascii text here", text[:100]]
    whole = hash_texts(texts)
    monkeypatch.setattr(text_module.hashed, "TOKENISED_PIECE", 500)
    pieces = hash_texts(texts)
    assert np.array_equal(whole.hashes, pieces.hashes) and len(whole.hashes) > 10_000
    assert whole.stems is not None and pieces.stems is not None and np.array_equal(whole.stems, pieces.stems)
    assert np.array_equal(whole.segment_starts, pieces.segment_starts)
    assert np.array_equal(whole.text_starts, pieces.text_starts)


@settings(max_examples=500, deadline=None)
@given(st.lists(_PIECES | st.sampled_from(["\u3000", "\u2009", "\x1c", "\x85", "\u1680", "\u205f", "x.\u00a0", "?\u2029"]),
                max_size=40).map("".join) | st.text(max_size=60))
def test_segment_ends_are_where_the_pattern_matches(text: str) -> None:
    """Segment ends found over the text's code points are the matches of the pattern they stand
    for (a line break, or a space after ``.``, ``!`` or ``?``), whatever the spaces."""
    found = text_module._segment_ends(text).tolist()
    assert found == [m.start() for m in text_module._SEGMENT_END.finditer(text)]


def test_the_spaces_are_every_character_the_pattern_calls_a_space() -> None:
    every = [c for c in range(0x110000) if re.match(r"\s", chr(c))]
    assert text_module._SPACES.tolist() == every
    assert [c for c in range(0x110000) if chr(c).isspace()] == every


def plain_word_spans(data: np.ndarray) -> tuple[list[int], list[int]]:
    """Runs of word bytes, an apostrophe joined in when word bytes stand on both sides of it,
    in numpy array passes (as the tokeniser stated it before its compiled pass)."""
    in_word = text_module._WORD_BYTES[data]
    joins = np.zeros_like(in_word)
    joins[1:-1] = (data[1:-1] == ord("'")) & in_word[:-2] & in_word[2:]
    edges = np.diff((in_word | joins).view(np.int8), prepend=np.int8(0), append=np.int8(0))
    return np.flatnonzero(edges == 1).tolist(), np.flatnonzero(edges == -1).tolist()


@given(st.lists(st.sampled_from([ord(c) for c in "ab9_' .\n-"] + [0xC3, 0xA9, 0x27]), max_size=60))
def test_word_spans_are_the_array_statement(raw: list[int]) -> None:
    data = np.array(raw, dtype=np.uint8)
    starts, ends = text_module._word_spans(data)
    assert (starts.tolist(), ends.tolist()) == plain_word_spans(data)


def test_text_in_decomposed_form_reads_as_composed() -> None:
    """An accent typed as a mark of its own (Unicode NFD, as macOS and some converters write
    text) belongs to its word: the words and their hashes are those of the composed text, and
    each word's span holds its marks."""
    import unicodedata

    composed = "Le café de Zoé, où l’été dure, et der Bürgermeister sagte: schön."
    decomposed = unicodedata.normalize("NFD", composed)
    assert decomposed != composed
    assert tokenize(decomposed).words == tokenize(composed).words
    assert np.array_equal(hash_words(decomposed).hashes, hash_words(composed).hashes)
    tokens = tokenize(decomposed)
    assert [decomposed[s:e] for s, e in zip(tokens.starts, tokens.ends)][1] == "cafe\u0301"


def test_vowel_signs_belong_to_their_words() -> None:
    """Indic scripts write vowels as combining signs: a Hindi word is one word, not its consonants."""
    assert tokenize("हिन्दी भाषा में लेख").words == ("हिन्दी", "भाषा", "में", "लेख")
    assert tokenize("বাংলা ভাষা, தமிழ் மொழி").words == ("বাংলা", "ভাষা", "தமிழ்", "மொழி")


def test_invisible_characters_inside_a_word_leave_it_whole() -> None:
    """A soft hyphen, a zero-width space or joiner, a word joiner or a byte order mark inside a
    word made two words of it: ``car bon → carbon`` substitutions, and a copy with one in every
    long word read ``spun``."""
    for invisible in INVISIBLE:
        text = f"The car{invisible}bon tax on pass{invisible}engers."
        tokens = tokenize(text)
        assert tokens.words == ("the", "carbon", "tax", "on", "passengers"), repr(invisible)
        assert text[tokens.starts[1] : tokens.ends[1]] == f"car{invisible}bon"
        assert hash_words(text).hashes.tolist() == hash_words("The carbon tax on passengers.").hashes.tolist()
    night = (Path(__file__).resolve().parents[1] / "samples" / "040_night_trains_return.txt").read_text("utf-8")
    hyphenated = re.sub(r"\b(\w{3})(\w{3,})\b", lambda m: m.group(1) + "\u00ad" + m.group(2), night)
    pair = dupefind.compare(night, hyphenated)
    assert pair.relation is not None and pair.relation.kinds == ("verbatim",) and pair.relation.substitutions == ()


@given(st.lists(st.sampled_from(["the", "café", "2022", "\u65e5", "\u672c", "\u3042", "x\u65e5", "it's"]), max_size=12))
def test_words_joined_as_people_read_them(words: list[str]) -> None:
    # A space between two words, none between two CJK characters (each a token of its own).
    cjk = {"\u65e5", "\u672c", "\u3042"}
    expected = "".join(("" if k == 0 or (w in cjk and words[k - 1] in cjk) else " ") + w for k, w in enumerate(words))
    assert joined_words(words) == expected
