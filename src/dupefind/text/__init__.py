"""Normalisation and tokenisation: words that remember where they stand in the original text.

- :mod:`.tokens`: words normalised (NFKC, case-folded) with their character spans in the text;
- :mod:`.segmenting`: a text's lines and sentences, the units boilerplate comes in;
- :mod:`.wordhash`: the stable 64-bit hash of a word, and of its stem;
- :mod:`.hashed`: the words of many texts as hashes with their segments, for the first pass;
- :mod:`.wordbytes`: which bytes of simple text are word characters, spaces and sentence ends
  (the fast paths of tokens and hashes, compiled with numba).
"""

from __future__ import annotations

# The names with a leading underscore are private, but other stages use them (the kernels' hash
# helpers, the fast path over bytes) and the tests look at them.
from .hashed import TOKENISED_PIECE, HashedWords, hash_texts, hash_tokens, hash_words
from .segmenting import _SEGMENT_END as _SEGMENT_END
from .segmenting import _SPACES as _SPACES
from .segmenting import _segment_ends as _segment_ends
from .segmenting import segments
from .tokens import INVISIBLE, Tokens, has_cjk, is_cjk_character, joined_words, normalise_word, simple_tokens, tokenize
from .tokens import _simple_bytes as _simple_bytes
from .tokens import _tokenize_by_pattern as _tokenize_by_pattern
from .wordbytes import _WORD_BYTES as _WORD_BYTES
from .wordbytes import _word_spans as _word_spans
from .wordhash import _BASE_U64 as _BASE_U64
from .wordhash import STEM, WordHashes, mix64, powers, stem_hashes, word_hashes
from .wordhash import _mix64 as _mix64

__all__ = [
    "INVISIBLE",
    "STEM",
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
    "stem_hashes",
    "tokenize",
    "word_hashes",
]
