"""Normalisation and tokenisation: words that remember where they stand in the original text.

Tokens are normalised (Unicode NFKC, case-folded, curly apostrophes straightened) one by one,
so the character offsets always index the text exactly as it was read. Ideographic scripts
(Chinese, Japanese kana and kanji) have no spaces between words: each of their characters is
a token of its own.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass

_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_WORD = re.compile(rf"[{_CJK}]|[^\W{_CJK}]+(?:['\u2019][^\W{_CJK}]+)*")
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


def normalise_word(word: str) -> str:
    """One word as it is compared: NFKC, case-folded, with a straight apostrophe."""
    return unicodedata.normalize("NFKC", word).casefold().replace("\u2019", "'")


def tokenize(text: str) -> Tokens:
    """Split ``text`` into normalised words with their original character spans."""
    if text.isascii():
        # ASCII needs no Unicode normalisation and lower-casing keeps every offset: one pass.
        lowered = text.lower()
        spans = [m.span() for m in _WORD.finditer(lowered)]
        words = [lowered[start:end] for start, end in spans]
    else:
        spans = [m.span() for m in _WORD.finditer(text)]
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
    bounds = [m.start() for m in _SEGMENT_END.finditer(text)]
    result: list[range] = []
    begin = 0
    current = -1
    for index, start in enumerate(tokens.starts):
        segment = bisect_right(bounds, start)
        if segment != current:
            if index > begin:
                result.append(range(begin, index))
            begin, current = index, segment
    if len(tokens) > begin:
        result.append(range(begin, len(tokens)))
    return result
