"""Token streams to hashed shingle ids (sorted, unique ``uint32`` numpy arrays).

Schemes:

``stopwords``
    n-grams of the function words only (Stamatatos 2011, "Plagiarism detection using stopword
    n-grams"). Article spinners replace content words and keep the small words that hold a
    sentence together, so these shingles survive spinning; content words never enter them.
    A text whose words are mostly not English function words (another language, a list of
    names), or that holds too few of them for one n-gram, falls back to word n-grams, hashed
    apart so the two kinds never match each other.
``words``
    word n-grams.
``chars``
    character n-grams of the normalised words joined by single spaces.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from ..arrays import unique
from ..config import DEFAULT_NGRAM, Scheme
from ..jit import kernel
from ..text import _BASE_U64, HashedWords, WordHashes, _mix64, mix64, word_hashes
from .common import _STOPWORD_TABLE, ShingleIds, _in_table

#: Below this share of function words a text is not treated as English prose.
MIN_STOPWORD_SHARE = 0.15


_SALT = {"stopwords": 0x9E3779B97F4A7C15, "words": 0xC2B2AE3D27D4EB4F, "chars": 0x165667B19E3779F9}


def shingle_ids(words: Sequence[str], *, scheme: Scheme, ngram: int) -> ShingleIds:
    """The set of shingle ids of one token stream, as a sorted unique ``uint32`` array."""
    if scheme == "chars":
        return _char_ngrams(" ".join(words), ngram)
    return hashed_shingle_ids(word_hashes(words), scheme=scheme, ngram=ngram)


def hashed_shingle_ids(hashes: WordHashes, *, scheme: Scheme, ngram: int) -> ShingleIds:
    """:func:`shingle_ids` of the words whose :func:`~dupefind.text.word_hashes` are given
    (word schemes only: character n-grams need the words themselves)."""
    one = HashedWords(hashes, np.zeros(min(1, len(hashes)), dtype=np.intp), np.zeros(1, dtype=np.intp))
    return shingle_sets(one, scheme=scheme, ngram=ngram)[0]


def shingle_sets(words: HashedWords, *, scheme: Scheme, ngram: int) -> tuple[ShingleIds, npt.NDArray[np.intp]]:
    """The shingle-id set of each text of ``words`` (word schemes only), all at once: the sets
    one after the other, each sorted and unique, and the index where each set begins."""
    # The salts go in as numpy scalars: a Python int above 2**63 sends numba's dispatcher down
    # its slow path (~90 µs a call, measured), which is most of the cost for one text.
    if scheme == "chars":
        raise ValueError("character shingles need the words, not their hashes")
    return _shingle_sets(words.hashes, words.text_starts, _STOPWORD_TABLE, stopwords=scheme == "stopwords",
                         ngram=ngram, fallback_ngram=DEFAULT_NGRAM["words"], min_share=MIN_STOPWORD_SHARE,
                         stopword_salt=np.uint64(_SALT["stopwords"]), word_salt=np.uint64(_SALT["words"]))


@kernel(nogil=True, always=True)
def _shingle_sets(hashes: WordHashes, text_starts: npt.NDArray[np.intp], stopword_table: WordHashes, *,
                  stopwords: bool, ngram: int, fallback_ngram: int, min_share: float, stopword_salt: np.uint64,
                  word_salt: np.uint64) -> tuple[ShingleIds, npt.NDArray[np.intp]]:  # pragma: no cover - compiled
    """:func:`shingle_sets`, text by text: the function words of an English text (or every word,
    for the ``words`` scheme or a text that is not English prose), their n-gram ids
    (:func:`_ngram_ids`), sorted and unique."""
    ids = np.empty(len(hashes), dtype=np.uint32)
    set_starts = np.empty(len(text_starts), dtype=np.intp)
    chosen = np.empty(len(hashes), dtype=np.uint64)
    found = 0
    for text in range(len(text_starts)):
        begin = text_starts[text]
        end = text_starts[text + 1] if text + 1 < len(text_starts) else len(hashes)
        set_starts[text] = found
        every_word, n, salt = True, ngram, word_salt
        if stopwords:
            count = 0
            for k in range(begin, end):
                if _in_table(stopword_table, hashes[k]):
                    chosen[count] = hashes[k]
                    count += 1
            if count >= min_share * (end - begin) and count >= ngram:
                every_word, salt = False, stopword_salt
            else:  # not English prose, or too few function words for one n-gram: word n-grams
                n = fallback_ngram
        if every_word:
            count = end - begin
            chosen[:count] = hashes[begin:end]
        grams = count - n + 1
        if grams <= 0:
            continue
        text_ids = np.empty(grams, dtype=np.uint32)
        for k in range(grams):
            acc = salt
            for offset in range(n):
                acc = acc * _BASE_U64 + chosen[k + offset]
            acc = _mix64(acc)
            text_ids[k] = np.uint32(acc ^ (acc >> np.uint64(32)))
        text_ids.sort()
        ids[found] = text_ids[0]
        found += 1
        for k in range(1, grams):
            if text_ids[k] != text_ids[k - 1]:
                ids[found] = text_ids[k]
                found += 1
    return ids[:found].copy(), set_starts


def _char_ngrams(text: str, n: int) -> ShingleIds:
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    with np.errstate(over="ignore"):
        return _combine(codes * np.uint64(0x9E3779B97F4A7C15), n, _SALT["chars"])


def _combine(hashes: WordHashes, n: int, salt: int) -> ShingleIds:
    """The sorted unique ids of every run of ``n`` consecutive values."""
    return unique(_ngram_ids(hashes, n, salt))


def _ngram_ids(hashes: WordHashes, n: int, salt: int) -> ShingleIds:
    """Hash every run of ``n`` consecutive values into one id (a polynomial, then a mixer)."""
    count = len(hashes) - n + 1
    if count <= 0:
        return np.empty(0, dtype=np.uint32)
    acc = np.full(count, salt, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for offset in range(n):
            acc = acc * np.uint64(0x100000001B3) + hashes[offset : offset + count]
        acc = mix64(acc)
    folded: ShingleIds = (acc ^ (acc >> np.uint64(32))).astype(np.uint32)
    return folded
