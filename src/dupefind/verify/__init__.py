"""Candidate pairs to exact figures: Jaccard similarity and containment both ways.

A candidate from LSH is only a guess; here both texts are re-read, tokenised, stripped of
boilerplate and shingled again, and the shingle sets are compared exactly (:mod:`.verdict`).
"""

from __future__ import annotations

from .verdict import (
    _MARKUP,
    CJK_TOKENS_PER_WORD,
    LEAST_PASSAGE_WORDS,
    REWRITTEN_DICE,
    REWRITTEN_SHARED,
    REWRITTEN_WORDS,
    Overlap,
    Prepared,
    Prose,
    compact_tokens,
    counts_in,
    hashed_words,
    is_duplicate,
    least_words_paired,
    markup_counts,
    markup_spans,
    overlap,
    passage_needed,
    prepare,
    prose,
    unpaired,
)

__all__ = ["CJK_TOKENS_PER_WORD", "LEAST_PASSAGE_WORDS", "REWRITTEN_DICE", "REWRITTEN_SHARED", "REWRITTEN_WORDS",
           "_MARKUP", "Overlap", "Prepared", "Prose", "compact_tokens", "counts_in", "hashed_words", "is_duplicate",
           "least_words_paired", "markup_counts", "markup_spans", "overlap", "passage_needed", "prepare", "prose",
           "unpaired"]
