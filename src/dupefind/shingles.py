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
from .text import WordHashes, mix64, word_hashes

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
    if scheme == "chars":
        raise ValueError("character shingles need the words, not their hashes")
    if scheme == "stopwords":
        kept = hashes[is_stopword(hashes)]
        if len(hashes) and len(kept) >= MIN_STOPWORD_SHARE * len(hashes):
            return _combine(kept, ngram, _SALT["stopwords"])
        return _combine(hashes, DEFAULT_NGRAM["words"], _SALT["words"])
    return _combine(hashes, ngram, _SALT["words"])


def is_stopword(hashes: WordHashes) -> npt.NDArray[np.bool_]:
    """Which of the hashed words are function words."""
    found = np.searchsorted(_STOPWORD_HASHES, hashes).clip(max=len(_STOPWORD_HASHES) - 1)
    same: npt.NDArray[np.bool_] = _STOPWORD_HASHES[found] == hashes
    return same


def _char_ngrams(text: str, n: int) -> ShingleIds:
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    with np.errstate(over="ignore"):
        return _combine(codes * np.uint64(0x9E3779B97F4A7C15), n, _SALT["chars"])


def _combine(hashes: WordHashes, n: int, salt: int) -> ShingleIds:
    """Hash every run of ``n`` consecutive values into one id (a polynomial, then a mixer)."""
    count = len(hashes) - n + 1
    if count <= 0:
        return np.empty(0, dtype=np.uint32)
    acc = np.full(count, salt, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for offset in range(n):
            acc = acc * np.uint64(0x100000001B3) + hashes[offset : offset + count]
        acc = mix64(acc)
    folded = (acc ^ (acc >> np.uint64(32))).astype(np.uint32)
    return np.unique(folded)
