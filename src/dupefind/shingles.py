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

import hashlib
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from .config import DEFAULT_NGRAM, Scheme

ShingleIds = npt.NDArray[np.uint32]

#: The 50 most frequent English words of Stamatatos (2011), less the clitics 's and n't,
#: which this tokeniser keeps inside their word.
STOPWORDS: frozenset[str] = frozenset(
    "the of and a in to is was it for with he be on i that by at you are not his this from "
    "but had which she they or an were we their been has have will would her there can all "
    "as if who what said".split()
)

#: Below this share of function words a text is not treated as English prose.
MIN_STOPWORD_SHARE = 0.15

_SALT = {"stopwords": 0x9E3779B97F4A7C15, "words": 0xC2B2AE3D27D4EB4F, "chars": 0x165667B19E3779F9}
_MASK64 = (1 << 64) - 1


def shingle_ids(words: Sequence[str], *, scheme: Scheme, ngram: int) -> ShingleIds:
    """The set of shingle ids of one token stream, as a sorted unique ``uint32`` array."""
    if scheme == "chars":
        return _char_ngrams(" ".join(words), ngram)
    if scheme == "stopwords":
        kept = [word for word in words if word in STOPWORDS]
        if words and len(kept) >= MIN_STOPWORD_SHARE * len(words):
            return _word_ngrams(kept, ngram, _SALT["stopwords"])
        return _word_ngrams(words, DEFAULT_NGRAM["words"], _SALT["words"])
    return _word_ngrams(words, ngram, _SALT["words"])


def word_hashes(words: Sequence[str]) -> npt.NDArray[np.uint64]:
    """A stable 64-bit hash per word (the same in every process and on every machine)."""
    cache: dict[str, int] = {}
    out = np.empty(len(words), dtype=np.uint64)
    for index, word in enumerate(words):
        value = cache.get(word)
        if value is None:
            digest = hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest()
            value = cache[word] = int.from_bytes(digest, "little")
        out[index] = value
    return out


def _word_ngrams(words: Sequence[str], n: int, salt: int) -> ShingleIds:
    return _combine(word_hashes(words), n, salt)


def _char_ngrams(text: str, n: int) -> ShingleIds:
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    return _combine(codes * np.uint64(0x9E3779B97F4A7C15), n, _SALT["chars"])


def _combine(hashes: npt.NDArray[np.uint64], n: int, salt: int) -> ShingleIds:
    """Hash every run of ``n`` consecutive values into one id (a polynomial, then a mixer)."""
    count = len(hashes) - n + 1
    if count <= 0:
        return np.empty(0, dtype=np.uint32)
    acc = np.full(count, salt, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for offset in range(n):
            acc = acc * np.uint64(0x100000001B3) + hashes[offset : offset + count]
        acc = _mix64(acc)
    folded = (acc ^ (acc >> np.uint64(32))).astype(np.uint32)
    return np.unique(folded)


def _mix64(values: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    """splitmix64's finaliser: spreads every input bit over the whole word."""
    values = values ^ (values >> np.uint64(30))
    values = values * np.uint64(0xBF58476D1CE4E5B9)
    values = values ^ (values >> np.uint64(27))
    values = values * np.uint64(0x94D049BB133111EB)
    return values ^ (values >> np.uint64(31))
