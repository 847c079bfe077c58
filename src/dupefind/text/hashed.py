"""Words as hashes: the words of one or more texts hashed, with where each text and each of its
segments begins (:class:`HashedWords`), for the first pass.

The first pass never needs a word as a string: a stable 64-bit hash per word and the
segments the words fall in are enough to shingle, fingerprint and count boilerplate. For
text that is ASCII once its punctuation and spaces are (nearly every English article), both
come straight from the bytes with numpy, many times faster than building strings; anything
else goes through :func:`~dupefind.text.tokenize`. Either way a word's hash is that of its
normalised UTF-8 bytes (:func:`~dupefind.text.word_hashes`), and its stem's that of its first
:data:`~dupefind.text.STEM` characters (:func:`~dupefind.text.stem_hashes`), so the two paths
agree exactly (``tests/test_text.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ..jit import kernel
from .segmenting import segments
from .tokens import Tokens, _simple_bytes, tokenize
from .wordbytes import _APOSTROPHE, _BYTE_CLASS, _NEWLINE, _SPACE_BYTE, _STOP_BYTE, _WORD_BYTE
from .wordhash import _BASE_U64, _STEM_SALT, STEM, WordHashes, _mix64, stem_hashes, word_hashes


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
    stems: WordHashes | None = None
    """:func:`~dupefind.text.stem_hashes` of the normalised words, as ``hashes``: the terms of the
    candidate stage's content view (``None`` where no stage after needs them: verification)."""

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
    hashes, stems, first_of_segment, counts = _hash_simple(list(easy.values()))
    if len(easy) < len(texts):  # a few texts need the tokeniser: put everything in text order
        pieces: list[tuple[WordHashes, WordHashes, npt.NDArray[np.bool_]]] = []
        ends = np.cumsum(counts)
        position = dict(zip(easy, range(len(easy))))
        for index, text in enumerate(texts):
            if index in position:
                k = position[index]
                span = slice(int(ends[k] - counts[k]), int(ends[k]))
                pieces.append((hashes[span], stems[span], first_of_segment[span]))
            else:
                pieces.append(_hash_long(text))
        hashes, stems, first_of_segment = (np.concatenate([p[part] for p in pieces]) for part in range(3))
        counts = np.array([len(p[0]) for p in pieces], dtype=np.intp)
    return _hashed(hashes, stems, first_of_segment, counts)


def hash_tokens(text: str, tokens: Tokens) -> HashedWords:
    """:func:`hash_words` of a text already tokenised."""
    hashes, stems, first_of_segment = _hash_tokens(text, tokens)
    return _hashed(hashes, stems, first_of_segment, np.array([len(hashes)], dtype=np.intp))


def _hashed(hashes: WordHashes, stems: WordHashes, first_of_segment: npt.NDArray[np.bool_],
            counts: npt.NDArray[np.intp]) -> HashedWords:
    """Texts' word and stem hashes (one after the other), segment-start flags and word counts,
    as one :class:`HashedWords` (each text's first word starts a segment)."""
    text_starts = np.cumsum(counts) - counts
    first_of_segment[text_starts[counts > 0]] = True
    return HashedWords(hashes, np.flatnonzero(first_of_segment), text_starts, stems)


def _hash_simple(texts: list[bytes]) -> tuple[WordHashes, WordHashes, npt.NDArray[np.bool_], npt.NDArray[np.intp]]:
    """Word and stem hashes, segment-start flags and word counts of simple texts."""
    lengths = np.fromiter((len(t) for t in texts), dtype=np.intp, count=len(texts))
    return _scan_words(np.frombuffer(b"".join(texts), dtype=np.uint8), np.cumsum(lengths), _BYTE_CLASS, STEM)


@kernel(nogil=True, always=True)
def _scan_words(data: npt.NDArray[np.uint8], text_ends: npt.NDArray[np.intp], byte_class: npt.NDArray[np.uint8],
                stem: int) -> tuple[WordHashes, WordHashes, npt.NDArray[np.bool_], npt.NDArray[np.intp]
                                    ]:  # pragma: no cover - compiled
    """One pass over the bytes of simple texts lying one after the other, text ``k`` ending at
    ``text_ends[k]``: each word's hash (as :func:`_span_hashes` computes it) and its stem's (of
    its first ``stem`` characters, as :func:`~dupefind.text.stem_hashes` computes it: a byte
    that is not a UTF-8 continuation byte starts a character), whether it starts a segment, and
    how many words each text has.

    A word is a run of word bytes, an apostrophe included when word bytes stand on both sides
    of it; a segment ends at a line break, or at a space right after ``.``, ``!`` or ``?``.
    """
    # A text of n bytes holds at most (n + 1) // 2 words: one more per text than half the bytes.
    most = len(data) // 2 + len(text_ends) + 1
    hashes = np.empty(most, dtype=np.uint64)
    stems = np.empty(most, dtype=np.uint64)
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
                characters, stem_acc, stem_end = 0, np.uint64(0), -1
                while True:
                    if byte & 0xC0 != 0x80:  # a character starts: the stem ends before the one past it
                        if characters == stem:
                            stem_acc, stem_end = acc, i
                        characters += 1
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
                if stem_end < 0:  # the word is its stem
                    stem_acc, stem_end = acc, i
                stems[words] = _mix64(_mix64(stem_acc + np.uint64(stem_end - start)) ^ _STEM_SALT)
                words += 1
                after_stop = False
            else:
                if byte == _NEWLINE or (kind & _SPACE_BYTE and after_stop):
                    new_segment = True
                after_stop = kind & _STOP_BYTE != 0
                i += 1
        counts[text] = words - words_before
        begin = end
    return hashes[:words], stems[:words], first[:words], counts


#: Characters of a text that needs the tokeniser tokenised at once (its words, as Python
#: objects, take ~40 times the text: a long book or log pasted as one document would take
#: gigabytes at once).
TOKENISED_PIECE = 1 << 20


def _hash_long(text: str) -> tuple[WordHashes, WordHashes, npt.NDArray[np.bool_]]:
    """:func:`_hash_tokens` of a text, a :data:`TOKENISED_PIECE` at a time: each piece is cut
    after a line break, where no word goes on and a segment always ends, so its words, hashes
    and segments are those of the whole text."""
    if len(text) <= TOKENISED_PIECE:
        return _hash_tokens(text, tokenize(text))
    hashes: list[WordHashes] = []
    stems: list[WordHashes] = []
    firsts: list[npt.NDArray[np.bool_]] = []
    begin = 0
    while begin < len(text):
        end = len(text)
        if len(text) - begin > TOKENISED_PIECE:
            end = text.rfind("\n", begin + TOKENISED_PIECE // 2, begin + TOKENISED_PIECE) + 1
            if end <= begin:  # no line break in the second half of the piece: the rest as one piece
                end = len(text)
        piece = text[begin:end]
        words, word_stems, first_of_segment = _hash_tokens(piece, tokenize(piece))
        hashes.append(words)
        stems.append(word_stems)
        firsts.append(first_of_segment)
        begin = end
    return np.concatenate(hashes), np.concatenate(stems), np.concatenate(firsts)


def _hash_tokens(text: str, tokens: Tokens) -> tuple[WordHashes, WordHashes, npt.NDArray[np.bool_]]:
    first_of_segment = np.zeros(len(tokens), dtype=bool)
    first_of_segment[[span.start for span in segments(text, tokens)]] = True
    return word_hashes(tokens.words), stem_hashes(tokens.words), first_of_segment
