"""Normalisation and tokenisation: words that remember where they stand in the original text.

Tokens are normalised (Unicode NFKC, case-folded, curly apostrophes straightened) one by one,
so the character offsets always index the text exactly as it was read. Ideographic scripts
(Chinese, Japanese kana and kanji) have no spaces between words: each of their characters is
a token of its own.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from .wordbytes import _word_spans

_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"


@dataclass(frozen=True, slots=True)
class Tokens:
    """A text's words, normalised, with their character spans in the original text."""

    words: tuple[str, ...]
    """Normalised words, in order."""
    starts: tuple[int, ...]
    """Offset of each word's first character."""
    ends: tuple[int, ...]
    """Offset just past each word's last character."""

    def __len__(self) -> int:
        return len(self.words)


#: Characters that show nothing and do not end a word: the soft hyphen (``&shy;``, common on
#: sites that hyphenate), the zero-width space, non-joiner and joiner, the word joiner and a
#: byte order mark inside a text. A word holding one is that word without it: left in, they
#: made ``car­bon`` two words and a copy with one in every long word read ``spun``.
INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
_WITHOUT_INVISIBLE = str.maketrans("", "", INVISIBLE)


def normalise_word(word: str) -> str:
    """One word as it is compared: NFKC, case-folded, with a straight apostrophe, without the
    :data:`INVISIBLE` characters."""
    return unicodedata.normalize("NFKC", word).casefold().replace("\u2019", "'").translate(_WITHOUT_INVISIBLE)


def joined_words(words: Sequence[str]) -> str:
    """Words as people read them: a space between two, none between two CJK characters (each
    its own token, written without spaces)."""
    spaced = " ".join(words)
    if _CJK_CHARACTER.search(spaced) is None:  # (nearly every text: no word to join without a space)
        return spaced
    out: list[str] = []
    for k, word in enumerate(words):
        if k and not (is_cjk_character(word) and is_cjk_character(words[k - 1])):
            out.append(" ")
        out.append(word)
    return "".join(out)


_CJK_CHARACTER = re.compile(f"[{_CJK}]")


def is_cjk_character(word: str) -> bool:
    """Whether a token is a CJK character (each is a token of its own)."""
    return _CJK_CHARACTER.fullmatch(word) is not None


def has_cjk(text: str) -> bool:
    """Whether ``text`` holds a CJK character."""
    return _CJK_CHARACTER.search(text) is not None


def tokenize(text: str) -> Tokens:
    """Split ``text`` into normalised words with their original character spans."""
    found = simple_tokens(text)
    if found is None:
        return _tokenize_by_pattern(text)
    words, starts, ends = found
    return Tokens(tuple(words), tuple(starts.tolist()), tuple(ends.tolist()))


def simple_tokens(text: str) -> tuple[list[str], npt.NDArray[np.intp], npt.NDArray[np.intp]] | None:
    """:func:`tokenize` of a text whose bytes tell its words apart (``_simple_bytes``), its
    offsets as arrays; ``None`` for any other text."""
    simple = _simple_bytes(text, same_length=True)
    if simple is None:
        return None
    # Every character stands where it stood in ``text``: the offsets hold for both.
    data = np.frombuffer(simple, dtype=np.uint8)
    byte_starts, byte_ends = _word_spans(data)
    if len(simple) == len(text):
        starts, ends = byte_starts, byte_ends
    else:  # bytes to characters: count the bytes that begin a character
        char_of_byte = np.cumsum((data & 0xC0) != 0x80) - 1
        starts, ends = char_of_byte[byte_starts], char_of_byte[byte_ends - 1] + 1
    # The words are the runs of word bytes, never side by side: with every other byte made a
    # space, splitting the text gives them (one C call instead of a slice per word).
    marks = np.zeros(len(data) + 1, dtype=np.int8)
    marks[byte_starts] = 1
    marks[byte_ends] = -1
    inside = np.cumsum(marks[:-1], dtype=np.int8).view(bool)
    words = np.where(inside, data, np.uint8(32)).astype(np.uint8).tobytes().decode("utf-8").split()
    if len(words) != len(starts):  # (cannot happen: a word holds no space; but be exact)
        lowered = simple.decode("utf-8")
        words = [lowered[s:e] for s, e in zip(starts.tolist(), ends.tolist())]
    return words, starts, ends


@lru_cache(maxsize=1)
def _word_pattern() -> re.Pattern[str]:
    """A word: a CJK character alone, or a letter or digit followed by letters, digits and
    combining marks (the vowel signs of Devanagari, Bengali or Tamil; an accent typed as a mark
    of its own, as text in Unicode's decomposed form NFD has it: ``e`` and U+0301 read as ``é``;
    and the :data:`INVISIBLE` characters), apostrophes inside. Python's ``\\w`` holds no mark:
    without them a Hindi word falls into its consonants. (Made at the first text that needs it,
    from this Python's Unicode tables.)"""
    marks = "".join(_ranges(sorted({*(code for code in (*range(0x300, 0x20000), *range(0xE0100, 0xE01F0))
                                      if unicodedata.category(chr(code))[0] == "M"), *map(ord, INVISIBLE)})))
    part = rf"[^\W{_CJK}]+(?:[{marks}]+[^\W{_CJK}]*)*"
    return re.compile(rf"[{_CJK}]|{part}(?:['\u2019]{part})*")


def _ranges(codes: Iterable[int]) -> Iterator[str]:
    """Sorted code points as the ranges of a regular expression's character class."""
    spans: list[list[int]] = []
    for code in codes:
        if spans and code == spans[-1][1] + 1:
            spans[-1][1] = code
        else:
            spans.append([code, code])
    for first, last in spans:
        yield re.escape(chr(first)) + ("-" + re.escape(chr(last)) if last > first else "")


def _tokenize_by_pattern(text: str) -> Tokens:
    """:func:`tokenize` with the word pattern and a normalisation per word: for any text."""
    spans = [m.span() for m in _word_pattern().finditer(text)]
    cache: dict[str, str] = {}
    words = []
    for start, end in spans:
        raw = text[start:end]
        word = cache.get(raw)
        if word is None:
            word = cache[raw] = normalise_word(raw)
        words.append(word)
    return Tokens(tuple(words), tuple(s for s, _ in spans), tuple(e for _, e in spans))


def _simple_bytes(text: str, *, same_length: bool = False) -> bytes | None:
    """``text`` lower-cased as UTF-8 in which every byte above 127 belongs to a normalised word
    character, so the bytes alone tell words apart; ``None`` when that cannot be had.

    Non-ASCII spaces and punctuation are replaced by ASCII characters that split and end
    segments the same way (a space, an apostrophe, a quote mark), letters by their normalised
    form. Scripts whose words need more than one letter at a time to normalise, or with a
    token per character (CJK), return ``None``; so does a letter that normalises to more than
    one character (ß to ss) when ``same_length`` asks for every character to keep its place.
    """
    if not text.isascii():
        codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        for char in map(chr, set(codes[codes > 127].tolist())):
            stand_in = _stand_in(char)
            if stand_in is None or (same_length and len(stand_in) != 1):
                return None
            if stand_in != char:
                text = text.replace(char, stand_in)
    return text.encode("utf-8").lower()


@lru_cache(maxsize=4096)
def _stand_in(char: str) -> str | None:
    if char == "\u2019":
        return "'"
    if char in INVISIBLE:  # inside a word, part of it: the tokeniser's
        return None
    if unicodedata.category(char)[0] == "M":  # a mark joins the letter before it: the tokeniser's
        return None
    if not _word_pattern().match(char):
        return " " if _SPACE.match(char) else '"'
    normalised = normalise_word(char)
    # Latin, Greek and Cyrillic letters (and the ordinals, superscripts and micro sign of
    # Latin-1) normalise one at a time, into letters and digits.
    if "\u00aa" <= char <= "\u04ff" and _LETTERS.fullmatch(normalised):
        return normalised
    return None


_SPACE = re.compile(r"\s")
_LETTERS = re.compile(rf"[^\W{_CJK}]+")
