"""Token streams to hashed shingle ids (sorted, unique ``uint32`` numpy arrays).

Schemes:

``stopwords``
    n-grams of the function words only (Stamatatos 2011, "Plagiarism detection using stopword
    n-grams"). Article spinners replace content words and keep the small words that hold a
    sentence together, so these shingles survive spinning; content words never enter them.
    A text whose words are mostly not English function words (another language, a list of
    names) falls back to word n-grams, hashed apart so the two kinds never match each other.
``words``
    word n-grams.
``chars``
    character n-grams of the normalised words joined by single spaces.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from .config import DEFAULT_NGRAM, Scheme
from .text import HashedWords, WordHashes, mix64, word_hashes

ShingleIds = npt.NDArray[np.uint32]

#: The 50 most frequent English words of Stamatatos (2011), less the clitics 's and n't,
#: which this tokeniser keeps inside their word.
STOPWORDS: frozenset[str] = frozenset(
    "the of and a in to is was it for with he be on i that by at you are not his this from "
    "but had which she they or an were we their been has have will would her there can all "
    "as if who what said".split()
)
_STOPWORD_HASHES = np.sort(word_hashes(sorted(STOPWORDS)))

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
    if scheme == "chars":
        raise ValueError("character shingles need the words, not their hashes")
    texts = len(words.text_starts)
    text_of_word = words.text_of_word()
    if scheme == "words":
        grams = [_grams(words.hashes, text_of_word, ngram, _SALT["words"])]
    else:
        stop = is_stopword(words.hashes)
        counts = np.bincount(text_of_word, minlength=texts)
        english = np.bincount(text_of_word, weights=stop, minlength=texts) >= MIN_STOPWORD_SHARE * counts
        prose = english[text_of_word]
        grams = [_grams(words.hashes[stop & prose], text_of_word[stop & prose], ngram, _SALT["stopwords"]),
                 _grams(words.hashes[~prose], text_of_word[~prose], DEFAULT_NGRAM["words"], _SALT["words"])]
    keys = np.unique(np.concatenate([(text.astype(np.uint64) << np.uint64(32)) | ids for ids, text in grams]))
    owner = (keys >> np.uint64(32)).astype(np.intp)
    return keys.astype(np.uint32), np.searchsorted(owner, np.arange(texts))


def is_stopword(hashes: WordHashes) -> npt.NDArray[np.bool_]:
    """Which of the hashed words are function words."""
    found = np.searchsorted(_STOPWORD_HASHES, hashes).clip(max=len(_STOPWORD_HASHES) - 1)
    same: npt.NDArray[np.bool_] = _STOPWORD_HASHES[found] == hashes
    return same


def _char_ngrams(text: str, n: int) -> ShingleIds:
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    with np.errstate(over="ignore"):
        return _combine(codes * np.uint64(0x9E3779B97F4A7C15), n, _SALT["chars"])


def _grams(values: WordHashes, text_of_value: npt.NDArray[np.intp], n: int,
           salt: int) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.intp]]:
    """The id of every run of ``n`` consecutive values of one text, and that text."""
    ids = _ngram_ids(values, n, salt)
    text = text_of_value[: len(ids)]
    whole = text == text_of_value[n - 1 :] if len(ids) else np.empty(0, dtype=bool)
    return ids[whole].astype(np.uint64), text[whole]


def _combine(hashes: WordHashes, n: int, salt: int) -> ShingleIds:
    """The sorted unique ids of every run of ``n`` consecutive values."""
    return np.unique(_ngram_ids(hashes, n, salt))


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
