"""Normalisation and tokenisation: words that remember where they stand in the original text.

- :mod:`.tokens`: the whole stage, as it was in ``text.py`` (cut into modules next).
"""

from __future__ import annotations

from .tokens import _BASE_U64 as _BASE_U64
from .tokens import _SEGMENT_END as _SEGMENT_END
from .tokens import _SPACES as _SPACES
from .tokens import _WORD_BYTES as _WORD_BYTES

# The names with a leading underscore are private, but other stages use them (the kernels' hash
# helpers, the fast path over bytes) and the tests look at them.
from .tokens import (
    INVISIBLE,
    TOKENISED_PIECE,
    HashedWords,
    Tokens,
    WordHashes,
    has_cjk,
    hash_texts,
    hash_tokens,
    hash_words,
    is_cjk_character,
    joined_words,
    mix64,
    normalise_word,
    powers,
    segments,
    simple_tokens,
    tokenize,
    word_hashes,
)
from .tokens import _mix64 as _mix64
from .tokens import _segment_ends as _segment_ends
from .tokens import _simple_bytes as _simple_bytes
from .tokens import _tokenize_by_pattern as _tokenize_by_pattern
from .tokens import _word_spans as _word_spans

__all__ = [
    "INVISIBLE",
    "TOKENISED_PIECE",
    "HashedWords",
    "Tokens",
    "WordHashes",
    "has_cjk",
    "hash_texts",
    "hash_tokens",
    "hash_words",
    "is_cjk_character",
    "joined_words",
    "mix64",
    "normalise_word",
    "powers",
    "segments",
    "simple_tokens",
    "tokenize",
    "word_hashes",
]
