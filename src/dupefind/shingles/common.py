"""What the shingle schemes share: the id arrays' type, the function words, and their hashes in a
table that compiled code looks words up in."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from ..jit import kernel
from ..text import WordHashes, word_hashes

ShingleIds = npt.NDArray[np.uint32]


#: The 50 most frequent English words of Stamatatos (2011), less the clitics 's and n't,
#: which this tokeniser keeps inside their word.
STOPWORDS: frozenset[str] = frozenset(
    "the of and a in to is was it for with he be on i that by at you are not his this from "
    "but had which she they or an were we their been has have will would her there can all "
    "as if who what said".split()
)


#: The keys (:func:`~dupefind.text.word_hashes`) of :data:`STOPWORDS`, sorted.
STOPWORD_KEYS: WordHashes = np.sort(word_hashes(sorted(STOPWORDS)))


def _hash_table(hashes: WordHashes) -> WordHashes:
    """An open-addressing table of ``hashes`` (slot ``hash % size``, then the next free one;
    0 marks a free slot), a quarter full: membership in a few steps in compiled code."""
    table = np.zeros(1 << int(len(hashes) * 4).bit_length(), dtype=np.uint64)
    for value in hashes:
        slot = int(value) & (len(table) - 1)
        while table[slot]:
            slot = (slot + 1) & (len(table) - 1)
        table[slot] = value
    return table


_STOPWORD_TABLE = _hash_table(STOPWORD_KEYS)


@kernel(nogil=True, inline="always")
def _in_table(table: WordHashes, value: np.uint64) -> bool:  # pragma: no cover - compiled
    """Whether ``value`` is in a table made by :func:`_hash_table`."""
    mask = np.uint64(len(table) - 1)
    slot = value & mask
    while table[slot] != 0:
        if table[slot] == value:
            return True
        slot = (slot + np.uint64(1)) & mask
    return False
