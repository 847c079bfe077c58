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
from itertools import pairwise

import numpy as np
import numpy.typing as npt

from ..jit import kernel

_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# A segment (for boilerplate detection) ends at a line break or after a sentence's end.
_SEGMENT_END = re.compile(r"\n|(?<=[.!?])\s")


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


def segments(text: str, tokens: Tokens) -> list[range]:
    """Token index ranges of the text's lines and sentences, the units boilerplate comes in."""
    if not len(tokens):
        return []
    bounds = _segment_ends(text)
    segment = np.searchsorted(bounds, np.asarray(tokens.starts, dtype=np.intp), side="right")
    edges = [0, *(np.flatnonzero(segment[1:] != segment[:-1]) + 1).tolist(), len(tokens)]
    return [range(begin, end) for begin, end in pairwise(edges)]


def _segment_ends(text: str) -> npt.NDArray[np.intp]:
    """Where :data:`_SEGMENT_END` matches in ``text``: every line break, and every space after
    a sentence's end (over the text's code points, one per character)."""
    if text.isascii():
        codes: npt.NDArray[np.uint32] | npt.NDArray[np.uint8] = np.frombuffer(text.encode("ascii"), dtype=np.uint8)
        space = _SPACE_BYTES[codes]
    else:
        codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        space = _SPACE_TABLE[np.minimum(codes, len(_SPACE_TABLE) - 1)]
    ends = codes == _NEWLINE
    ends[1:] |= space[1:] & ((codes[:-1] == ord(".")) | (codes[:-1] == ord("!")) | (codes[:-1] == ord("?")))
    return np.flatnonzero(ends)


#: Every character ``\s`` matches (what ``str.isspace`` says; tested against both).
_SPACES = np.array([*range(0x09, 0x0E), *range(0x1C, 0x21), 0x85, 0xA0, 0x1680, *range(0x2000, 0x200B), 0x2028, 0x2029,
                    0x202F, 0x205F, 0x3000], dtype=np.uint32)
_SPACE_TABLE = np.zeros(0x3002, dtype=bool)  # (the last entry stands for every code point above)
_SPACE_TABLE[_SPACES] = True


# --------------------------------------------------------------------------- words as hashes
#
# The first pass never needs a word as a string: a stable 64-bit hash per word and the
# segments the words fall in are enough to shingle, fingerprint and count boilerplate. For
# text that is ASCII once its punctuation and spaces are (nearly every English article), both
# come straight from the bytes with numpy, many times faster than building strings; anything
# else goes through :func:`tokenize`. Either way a word's hash is that of its normalised UTF-8
# bytes (:func:`word_hashes`), so the two paths agree exactly (``tests/test_text.py``).

WordHashes = npt.NDArray[np.uint64]

_BASE = 0x100000001B3
_WORD_BYTES = np.zeros(256, dtype=bool)
_WORD_BYTES[np.frombuffer(b"0123456789_abcdefghijklmnopqrstuvwxyz", dtype=np.uint8)] = True
_WORD_BYTES[128:] = True  # only letters are left above ASCII (see _simple_bytes)
_SPACE_BYTES = np.zeros(256, dtype=bool)
_SPACE_BYTES[np.frombuffer(b"\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f ", dtype=np.uint8)] = True
_STOP_BYTES = np.zeros(256, dtype=bool)
_STOP_BYTES[np.frombuffer(b".!?", dtype=np.uint8)] = True
# The same three tables as bit flags, for compiled code.
_WORD_BYTE, _SPACE_BYTE, _STOP_BYTE = 1, 2, 4
_BYTE_CLASS = (_WORD_BYTES * _WORD_BYTE | _SPACE_BYTES * _SPACE_BYTE | _STOP_BYTES * _STOP_BYTE).astype(np.uint8)
_APOSTROPHE, _NEWLINE = ord("'"), ord("\n")
_BASE_U64 = np.uint64(_BASE)


@dataclass(frozen=True, slots=True)
class HashedWords:
    """The words of one or more texts as hashes, with where each text and each of its segments
    (lines, sentences) begins."""

    hashes: WordHashes
    """:func:`word_hashes` of the normalised words, text after text."""
    segment_starts: npt.NDArray[np.intp]
    """Index of the first word of each segment, ascending (a segment never spans two texts)."""
    text_starts: npt.NDArray[np.intp]
    """Index of the first word of each text (a text without words starts where the next does)."""

    def __len__(self) -> int:
        return len(self.hashes)

    def text_of_word(self) -> npt.NDArray[np.intp]:
        """The index of the text each word belongs to."""
        return np.searchsorted(self.text_starts, np.arange(len(self.hashes)), side="right") - 1


def hash_words(text: str, tokens: Tokens | None = None) -> HashedWords:
    """The words of ``text`` as :func:`tokenize` finds them, hashed, with their segments
    (``tokens``, if the caller has them, spare tokenising a text the bytes cannot do)."""
    simple = _simple_bytes(text)
    if simple is None:
        return hash_tokens(text, tokens if tokens is not None else tokenize(text))
    return _hashed(*_hash_simple([simple]))


def hash_texts(texts: Sequence[str]) -> HashedWords:
    """:func:`hash_words` of many texts at once, with one pass of numpy over all of them."""
    simple = [_simple_bytes(text) for text in texts]
    easy = {index: data for index, data in enumerate(simple) if data is not None}
    hashes, first_of_segment, counts = _hash_simple(list(easy.values()))
    if len(easy) < len(texts):  # a few texts need the tokeniser: put everything in text order
        pieces: list[tuple[WordHashes, npt.NDArray[np.bool_]]] = []
        ends = np.cumsum(counts)
        position = dict(zip(easy, range(len(easy))))
        for index, text in enumerate(texts):
            if index in position:
                k = position[index]
                span = slice(int(ends[k] - counts[k]), int(ends[k]))
                pieces.append((hashes[span], first_of_segment[span]))
            else:
                pieces.append(_hash_long(text))
        hashes = np.concatenate([p[0] for p in pieces])
        first_of_segment = np.concatenate([p[1] for p in pieces])
        counts = np.array([len(p[0]) for p in pieces], dtype=np.intp)
    return _hashed(hashes, first_of_segment, counts)


def hash_tokens(text: str, tokens: Tokens) -> HashedWords:
    """:func:`hash_words` of a text already tokenised."""
    hashes, first_of_segment = _hash_tokens(text, tokens)
    return _hashed(hashes, first_of_segment, np.array([len(hashes)], dtype=np.intp))


def _hashed(hashes: WordHashes, first_of_segment: npt.NDArray[np.bool_],
            counts: npt.NDArray[np.intp]) -> HashedWords:
    """Texts' word hashes (one after the other), segment-start flags and word counts, as one
    :class:`HashedWords` (each text's first word starts a segment)."""
    text_starts = np.cumsum(counts) - counts
    first_of_segment[text_starts[counts > 0]] = True
    return HashedWords(hashes, np.flatnonzero(first_of_segment), text_starts)


def _hash_simple(texts: list[bytes]) -> tuple[WordHashes, npt.NDArray[np.bool_], npt.NDArray[np.intp]]:
    """Word hashes, segment-start flags and word counts of simple texts."""
    lengths = np.fromiter((len(t) for t in texts), dtype=np.intp, count=len(texts))
    return _scan_words(np.frombuffer(b"".join(texts), dtype=np.uint8), np.cumsum(lengths), _BYTE_CLASS)


@kernel(nogil=True, always=True)
def _scan_words(data: npt.NDArray[np.uint8], text_ends: npt.NDArray[np.intp], byte_class: npt.NDArray[np.uint8]
                ) -> tuple[WordHashes, npt.NDArray[np.bool_], npt.NDArray[np.intp]]:  # pragma: no cover - compiled
    """One pass over the bytes of simple texts lying one after the other, text ``k`` ending at
    ``text_ends[k]``: each word's hash (as :func:`_span_hashes` computes it), whether it starts a
    segment, and how many words each text has.

    A word is a run of word bytes, an apostrophe included when word bytes stand on both sides
    of it; a segment ends at a line break, or at a space right after ``.``, ``!`` or ``?``.
    """
    # A text of n bytes holds at most (n + 1) // 2 words: one more per text than half the bytes.
    most = len(data) // 2 + len(text_ends) + 1
    hashes = np.empty(most, dtype=np.uint64)
    first = np.zeros(most, dtype=np.bool_)
    counts = np.zeros(len(text_ends), dtype=np.intp)
    words = begin = 0
    for text in range(len(text_ends)):
        end, words_before = text_ends[text], words
        new_segment, after_stop = True, False
        i = begin
        while i < end:
            byte = data[i]
            kind = byte_class[byte]
            if kind & _WORD_BYTE:  # a word: read to its end at once
                first[words], new_segment = new_segment, False
                start, acc, power = i, np.uint64(0), np.uint64(1)
                while True:
                    acc += np.uint64(byte) * power
                    power *= _BASE_U64
                    i += 1
                    if i == end:
                        break
                    byte = data[i]
                    if not byte_class[byte] & _WORD_BYTE and not (
                            byte == _APOSTROPHE and i + 1 < end and byte_class[data[i + 1]] & _WORD_BYTE):
                        break
                hashes[words] = _mix64(acc + np.uint64(i - start))
                words += 1
                after_stop = False
            else:
                if byte == _NEWLINE or (kind & _SPACE_BYTE and after_stop):
                    new_segment = True
                after_stop = kind & _STOP_BYTE != 0
                i += 1
        counts[text] = words - words_before
        begin = end
    return hashes[:words], first[:words], counts


@kernel(nogil=True, inline="always")
def _mix64(value: np.uint64) -> np.uint64:  # pragma: no cover - compiled
    """:func:`mix64` of one value, for compiled code."""
    value ^= value >> np.uint64(30)
    value *= np.uint64(0xBF58476D1CE4E5B9)
    value ^= value >> np.uint64(27)
    value *= np.uint64(0x94D049BB133111EB)
    return value ^ (value >> np.uint64(31))


#: Characters of a text that needs the tokeniser tokenised at once (its words, as Python
#: objects, take ~40 times the text: a long book or log pasted as one document would take
#: gigabytes at once).
TOKENISED_PIECE = 1 << 20


def _hash_long(text: str) -> tuple[WordHashes, npt.NDArray[np.bool_]]:
    """:func:`_hash_tokens` of a text, a :data:`TOKENISED_PIECE` at a time: each piece is cut
    after a line break, where no word goes on and a segment always ends, so its words, hashes
    and segments are those of the whole text."""
    if len(text) <= TOKENISED_PIECE:
        return _hash_tokens(text, tokenize(text))
    hashes: list[WordHashes] = []
    firsts: list[npt.NDArray[np.bool_]] = []
    begin = 0
    while begin < len(text):
        end = len(text)
        if len(text) - begin > TOKENISED_PIECE:
            end = text.rfind("\n", begin + TOKENISED_PIECE // 2, begin + TOKENISED_PIECE) + 1
            if end <= begin:  # no line break in the second half of the piece: the rest as one piece
                end = len(text)
        piece = text[begin:end]
        words, first_of_segment = _hash_tokens(piece, tokenize(piece))
        hashes.append(words)
        firsts.append(first_of_segment)
        begin = end
    return np.concatenate(hashes), np.concatenate(firsts)


def _hash_tokens(text: str, tokens: Tokens) -> tuple[WordHashes, npt.NDArray[np.bool_]]:
    first_of_segment = np.zeros(len(tokens), dtype=bool)
    first_of_segment[[span.start for span in segments(text, tokens)]] = True
    return word_hashes(tokens.words), first_of_segment


def _word_spans(data: npt.NDArray[np.uint8]) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """Start and end offsets of the words in lower-cased simple bytes (see ``_simple_bytes``):
    runs of word bytes, an apostrophe included when word bytes stand on both sides of it."""
    return _spans_of_words(data, _WORD_BYTES)


@kernel(nogil=True)
def _spans_of_words(data: npt.NDArray[np.uint8], word_bytes: npt.NDArray[np.bool_]
                    ) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:  # pragma: no cover - compiled
    """:func:`_word_spans` in one pass (five array passes in numpy took ~33 µs for 4 KB, this ~12 µs)."""
    n = len(data)
    starts = np.empty(n // 2 + 1, dtype=np.intp)
    ends = np.empty(n // 2 + 1, dtype=np.intp)
    count = 0
    inside = False
    for i in range(n):
        part = word_bytes[data[i]] or (data[i] == _APOSTROPHE and 0 < i < n - 1 and word_bytes[data[i - 1]]
                                       and word_bytes[data[i + 1]])
        if part and not inside:
            starts[count] = i
            inside = True
        elif not part and inside:
            ends[count] = i
            count += 1
            inside = False
    if inside:
        ends[count] = n
        count += 1
    return starts[:count].copy(), ends[:count].copy()


def word_hashes(words: Sequence[str]) -> WordHashes:
    """A stable 64-bit hash of each word's UTF-8 bytes (the same in every process and on every
    machine): a polynomial over the bytes, then a bit mixer."""
    if not words:
        return np.empty(0, dtype=np.uint64)
    encoded = [word.encode("utf-8") for word in words]
    lengths = np.fromiter((len(e) for e in encoded), dtype=np.intp, count=len(encoded))
    ends = np.cumsum(lengths)
    data = np.frombuffer(b"".join(encoded), dtype=np.uint8)
    return _span_hashes(data, ends - lengths, ends)


def _span_hashes(data: npt.NDArray[np.uint8], starts: npt.NDArray[np.intp],
                 ends: npt.NDArray[np.intp]) -> WordHashes:
    """The hash of each byte span ``data[start:end]``: the polynomial of its bytes,
    ``sum(byte[k] * BASE**k)`` modulo 2**64, mixed with its length."""
    if len(starts) == 0:
        return np.empty(0, dtype=np.uint64)
    lengths = ends - starts
    firsts = np.cumsum(lengths) - lengths
    place = np.arange(int(lengths.sum())) - np.repeat(firsts, lengths)
    with np.errstate(over="ignore"):
        terms = data[np.repeat(starts, lengths) + place].astype(np.uint64) * powers(int(lengths.max()))[place]
        return mix64(np.add.reduceat(terms, firsts) + lengths.astype(np.uint64))


def powers(count: int) -> npt.NDArray[np.uint64]:
    """``BASE**k`` modulo 2**64 for ``k < count``."""
    table = np.full(max(count, 1), _BASE, dtype=np.uint64)
    table[0] = 1
    with np.errstate(over="ignore"):
        return np.cumprod(table, dtype=np.uint64)


def mix64(values: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    """splitmix64's finaliser: spreads every input bit over the whole word."""
    with np.errstate(over="ignore"):
        values = values ^ (values >> np.uint64(30))
        values = values * np.uint64(0xBF58476D1CE4E5B9)
        values = values ^ (values >> np.uint64(27))
        values = values * np.uint64(0x94D049BB133111EB)
        return values ^ (values >> np.uint64(31))


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
