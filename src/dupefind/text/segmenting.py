"""Segments: a text's lines and sentences, as ranges of its tokens (the units boilerplate comes in)."""

from __future__ import annotations

import re
from itertools import pairwise

import numpy as np
import numpy.typing as npt

from .tokens import Tokens
from .wordbytes import _NEWLINE, _SPACE_BYTES

# A segment (for boilerplate detection) ends at a line break or after a sentence's end.
_SEGMENT_END = re.compile(r"\n|(?<=[.!?])\s")


def segments(text: str, tokens: Tokens) -> list[range]:
    """Token index ranges of the text's lines and sentences, the units boilerplate comes in."""
    if not len(tokens):
        return []
    bounds = _segment_ends(text)
    segment = np.searchsorted(bounds, np.asarray(tokens.starts, dtype=np.intp), side="right")
    edges = [0, *(np.flatnonzero(segment[1:] != segment[:-1]) + 1).tolist(), len(tokens)]
    return [range(begin, end) for begin, end in pairwise(edges)]


def _segment_ends(text: str) -> npt.NDArray[np.intp]:
    """Where :data:`_SEGMENT_END` matches in ``text``: every line break, and every space after
    a sentence's end (over the text's code points, one per character)."""
    if text.isascii():
        codes: npt.NDArray[np.uint32] | npt.NDArray[np.uint8] = np.frombuffer(text.encode("ascii"), dtype=np.uint8)
        space = _SPACE_BYTES[codes]
    else:
        codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        space = _SPACE_TABLE[np.minimum(codes, len(_SPACE_TABLE) - 1)]
    ends = codes == _NEWLINE
    ends[1:] |= space[1:] & ((codes[:-1] == ord(".")) | (codes[:-1] == ord("!")) | (codes[:-1] == ord("?")))
    return np.flatnonzero(ends)


#: Every character ``\s`` matches (what ``str.isspace`` says; tested against both).
_SPACES = np.array([*range(0x09, 0x0E), *range(0x1C, 0x21), 0x85, 0xA0, 0x1680, *range(0x2000, 0x200B), 0x2028, 0x2029,
                    0x202F, 0x205F, 0x3000], dtype=np.uint32)
_SPACE_TABLE = np.zeros(0x3002, dtype=bool)  # (the last entry stands for every code point above)
_SPACE_TABLE[_SPACES] = True
