"""Each word's stem key, as the sentence pass cuts stems (content words that are not
boilerplate), hashed straight from the text's lower-cased bytes, or from its words for a text
that is not ASCII; what the sentence check and the rewritten rule's bound count.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from ..align.terms import FUNCTION_WORDS, _term, vocabulary
from ..arrays import in_sorted
from ..jit import kernel
from ..text import _BASE_U64, STEM, HashedWords, _mix64, _simple_bytes, _word_spans, word_hashes
from ..verify import compact_tokens

_FUNCTION_HASHES = np.sort(word_hashes(sorted(FUNCTION_WORDS)))
_NO_STEM = np.empty(0, dtype=np.uint64)


def _stems(text: str, words: HashedWords, boilerplate: npt.NDArray[np.bool_]
           ) -> tuple[npt.NDArray[np.uint64] | None, npt.NDArray[np.int64] | None]:
    """:attr:`~dupefind.screen.Probe.stems` (see there), from the text's lower-cased bytes (from its words
    when it is not ASCII); and where each of its words starts (``None`` if its words could not
    be matched up with the hashes)."""
    simple = _simple_bytes(text, same_length=True)
    if simple is None or len(simple) != len(text) or not simple.isascii():
        return _token_stems(text, words, boilerplate)  # bytes are characters only for ASCII
    data = np.frombuffer(simple, dtype=np.uint8)
    starts, ends = _word_spans(data)
    if len(starts) != len(words.hashes):
        return None, None
    if not len(starts):
        return _NO_STEM, starts.astype(np.int64)
    content = ~in_sorted(words.hashes, _FUNCTION_HASHES) & ~boilerplate
    starts = starts.astype(np.int64)
    keys: npt.NDArray[np.uint64] = _stem_keys(data, starts, ends.astype(np.int64), content, STEM)
    return keys, starts


def _token_stems(text: str, words: HashedWords, boilerplate: npt.NDArray[np.bool_]
                 ) -> tuple[npt.NDArray[np.uint64] | None, npt.NDArray[np.int64] | None]:
    """:func:`_stems` of a text that is not ASCII: its words as strings (the tokens
    verification makes: :func:`~dupefind.verify.compact_tokens`), each stem's key taken over its
    UTF-8 bytes (for an ASCII stem the same key as from the bytes of an ASCII text); and where
    each word starts."""
    tokens = compact_tokens(text)
    if len(tokens) != len(words.hashes):
        return None, None
    # Each distinct word's stem once (a text says most of its words more than once), the bytes
    # of all of them in one encoding, a NUL after each (no word holds one).
    distinct = vocabulary(tokens.words)
    stems = [_term(w) for w in distinct.items]
    data = np.frombuffer(("\0".join(stems) + "\0").encode("utf-8"), dtype=np.uint8)
    ends = np.flatnonzero(data == 0).astype(np.int64)
    starts = np.concatenate(([0], ends[:-1] + 1)).astype(np.int64)
    keys: npt.NDArray[np.uint64] = _byte_keys(data, starts, ends)[distinct.codes]
    keys[boilerplate] = 0
    return keys, np.asarray(tokens.starts, dtype=np.int64)


@kernel(nogil=True)
def _byte_keys(data: npt.NDArray[np.uint8], starts: npt.NDArray[np.int64],
               ends: npt.NDArray[np.int64]) -> npt.NDArray[np.uint64]:  # pragma: no cover - compiled
    """:func:`_stem_keys`'s key of each span of bytes taken whole; 0 for an empty one."""
    keys = np.zeros(len(starts), dtype=np.uint64)
    for w in range(len(starts)):
        if ends[w] > starts[w]:
            key = np.uint64(0)
            for k in range(starts[w], ends[w]):
                key = _mix64(key * _BASE_U64 + np.uint64(data[k]))
            keys[w] = key | np.uint64(1)
    return keys


@kernel(nogil=True)
def _stem_keys(data: npt.NDArray[np.uint8], starts: npt.NDArray[np.int64], ends: npt.NDArray[np.int64],
               content: npt.NDArray[np.bool_], stem: int) -> npt.NDArray[np.uint64]:  # pragma: no cover - compiled
    """A key of the first ``stem`` bytes of each word of more than two bytes that is ``content``
    and not all digits; 0 for the others (a key is never 0: its last step adds 1 at worst)."""
    keys = np.zeros(len(starts), dtype=np.uint64)
    for w in range(len(starts)):
        s, e = starts[w], ends[w]
        if e - s <= 2 or not content[w]:
            continue
        digits = True
        for k in range(s, e):
            if data[k] < 48 or data[k] > 57:
                digits = False
                break
        if digits:
            continue
        key = np.uint64(0)
        for k in range(s, min(e, s + stem)):
            key = _mix64(key * _BASE_U64 + np.uint64(data[k]))
        keys[w] = key | np.uint64(1)
    return keys
