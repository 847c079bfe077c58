"""Candidate pairs to exact figures: Jaccard similarity and containment both ways.

A candidate from LSH is only a guess; here both texts are re-read, tokenised, stripped of
boilerplate and shingled again, and the shingle sets are compared exactly.

- :mod:`.prepared`: a document re-read (:func:`prepare`) and two documents' exact figures (:func:`overlap`);
- :mod:`.markup`: where a text's tags and URLs lie, whose words are not prose;
- :mod:`.verdict`: the verdict (:func:`is_duplicate`): containment, or the passage rules, each
  passage weighed on its prose, or a summary its sentences tell (:func:`summary_is_copy`); and
  which texts are paired only with identical texts.
"""

from __future__ import annotations

from .markup import _MARKUP, counts_in, markup_counts, markup_spans
from .prepared import Overlap, Prepared, compact_tokens, hashed_words, overlap, prepare
from .verdict import (
    CJK_TOKENS_PER_WORD,
    LEAST_PASSAGE_WORDS,
    REWRITTEN_DICE,
    REWRITTEN_SHARED,
    REWRITTEN_WORDS,
    SUMMARY_SHARE,
    Prose,
    is_duplicate,
    least_words_paired,
    passage_needed,
    prose,
    rewritten_enough,
    summary_is_copy,
    unpaired,
)

__all__ = ["CJK_TOKENS_PER_WORD", "LEAST_PASSAGE_WORDS", "REWRITTEN_DICE", "REWRITTEN_SHARED", "REWRITTEN_WORDS",
           "SUMMARY_SHARE", "_MARKUP", "Overlap", "Prepared", "Prose", "compact_tokens", "counts_in", "hashed_words", "is_duplicate",
           "least_words_paired", "markup_counts", "markup_spans", "overlap", "passage_needed", "prepare", "prose",
           "rewritten_enough", "summary_is_copy", "unpaired"]
