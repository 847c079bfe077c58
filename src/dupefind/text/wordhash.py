"""The stable 64-bit hash of a word: a polynomial over its UTF-8 bytes, then splitmix64's
finaliser (also compiled, for the kernels of other stages); and the hash of a word's stem."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from ..jit import kernel

WordHashes = npt.NDArray[np.uint64]

_BASE = 0x100000001B3
_BASE_U64 = np.uint64(_BASE)

#: Letters of a word its stem keeps: content words are compared by their first few letters, a
#: cheap stemmer ("industries", "industry" and "industrial" agree; "argued" and "argues"), by
#: the candidate stage's content view as by the aligner's sentence pass.
STEM = 5
#: Mixed into a stem's hash, so that no stem hash is the hash of a word: the stem of
#: "understand" is not the function word "under".
_STEM_SALT = np.uint64(0x5851F42D4C957F2D)


@kernel(nogil=True, inline="always")
def _mix64(value: np.uint64) -> np.uint64:  # pragma: no cover - compiled
    """:func:`mix64` of one value, for compiled code."""
    value ^= value >> np.uint64(30)
    value *= np.uint64(0xBF58476D1CE4E5B9)
    value ^= value >> np.uint64(27)
    value *= np.uint64(0x94D049BB133111EB)
    return value ^ (value >> np.uint64(31))


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


def stem_hashes(words: Sequence[str]) -> WordHashes:
    """The hash of each word's stem, its first :data:`STEM` characters (the whole word when it
    is no longer): the :func:`word_hashes` of the stem, mixed again with a salt of its own."""
    return mix64(word_hashes([word[:STEM] for word in words]) ^ _STEM_SALT)


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
