"""Sampled shingles: each text's shingles (of its content words, or every word) whose id is a
multiple of the sample, with where each first occurs."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from ..jit import kernel
from ..text import HashedWords, WordHashes
from .common import _STOPWORD_TABLE, ShingleIds
from .windows import _WINDOW_SALT, _terms, _text_grams


def sampled_shingles(words: HashedWords, *, family: str, ngram: int,
                     sample: int) -> tuple[ShingleIds, npt.NDArray[np.uint32], npt.NDArray[np.intp]]:
    """The shingles of each text (as :func:`window_sets` makes them, over the whole text) whose
    id is a multiple of ``sample``, each once, with where it first occurs (its index among the
    text's shingles) and the text it belongs to, text by text in order of position."""
    if family not in _WINDOW_SALT:
        raise ValueError(f"no sampled shingles for family {family!r}")
    return _sampled(words.hashes, _terms(words, family), words.text_starts, _STOPWORD_TABLE, content=family == "content",
                    ngram=ngram, sample=np.uint32(sample), salt=np.uint64(_WINDOW_SALT[family]))


@kernel(nogil=True)
def _sampled(hashes: WordHashes, terms: WordHashes, text_starts: npt.NDArray[np.intp], stopword_table: WordHashes, *,
             content: bool, ngram: int, sample: np.uint32,
             salt: np.uint64) -> tuple[ShingleIds, npt.NDArray[np.uint32], npt.NDArray[np.intp]]:  # pragma: no cover - compiled
    """:func:`sampled_shingles`, text by text."""
    ids = np.empty(len(hashes) + 1, dtype=np.uint32)
    positions = np.empty(len(hashes) + 1, dtype=np.uint32)
    owners = np.empty(len(hashes) + 1, dtype=np.intp)
    chosen = np.empty(len(hashes), dtype=np.uint64)
    grams_of = np.empty(len(hashes), dtype=np.uint32)
    found = 0
    for text in range(len(text_starts)):
        begin = text_starts[text]
        end = text_starts[text + 1] if text + 1 < len(text_starts) else len(hashes)
        count = _text_grams(hashes, terms, begin, end, stopword_table, content, ngram, salt, chosen, grams_of)
        first = found
        for k in range(max(count - ngram + 1, 0)):
            gram = grams_of[k]
            if gram % sample != 0:
                continue
            seen = False
            for other in range(first, found):
                if ids[other] == gram:
                    seen = True
                    break
            if not seen:
                ids[found] = gram
                positions[found] = k
                owners[found] = text
                found += 1
    return ids[:found].copy(), positions[:found].copy(), owners[:found].copy()
