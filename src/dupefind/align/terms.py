"""A text's words and sentences for the sentence pass: strings as codes (vocabularies, one
numbering of two texts' strings), the text cut into sentences, and the stems of its content
words.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import compress, repeat
from operator import getitem, itemgetter

import numpy as np
import numpy.typing as npt

from ..text import STEM, Tokens, WordHashes, segments
from .compiled import Codes, first_codes, sentence_bounds

#: Sentences are cut at this many words and joined to the next below ``MIN_SENTENCE`` words.
MAX_SENTENCE = 60
MIN_SENTENCE = 6

#: Function words: they say nothing about what a sentence is about.
FUNCTION_WORDS: frozenset[str] = frozenset(
    ["a", "about", "above", "after", "again", "against", "all", "also", "although", "am", "an", "and", "any", "are", "as", "at", "be", "because", "been", "before", "being", "below", "between", "both", "but", "by", "can", "could", "did", "do", "does", "doing", "down", "during", "each", "either", "else", "even", "ever", "every", "few", "for", "from", "further", "had", "has", "have", "having", "he", "her", "here", "hers", "him", "his", "how", "however", "i", "if", "in", "into", "is", "it", "its", "itself", "just", "may", "me", "might", "more", "most", "much", "must", "my", "neither", "no", "nor", "not", "now", "of", "off", "on", "once", "one", "only", "or", "other", "our", "ours", "out", "over", "own", "per", "same", "shall", "she", "should", "so", "some", "such", "than", "that", "the", "their", "theirs", "them", "then", "there", "these", "they", "this", "those", "though", "through", "thus", "to", "too", "under", "until", "up", "upon", "us", "very", "was", "we", "were", "what", "when", "where", "whether", "which", "while", "who", "whom", "whose", "why", "will", "with", "within", "without", "would", "yet", "you", "your"]
)


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """A sequence of strings as codes: each distinct string numbered in order of first occurrence."""

    items: list[str]
    """The distinct strings, in order of first occurrence."""
    index: dict[str, int]
    """The code of each distinct string (its position in ``items``)."""
    codes: Codes
    """The code of each string of the sequence."""
    keys: WordHashes | None = None
    """The key of each of ``items``, when the vocabulary was made from keys (:func:`vocabulary`)."""


def vocabulary(strings: Sequence[str], keys: WordHashes | None = None) -> Vocabulary:
    """The codes of ``strings`` (loops that run in C: this is done for every word of a text).
    ``keys``, if the caller has them: a 64-bit hash of each string, equal for equal strings
    (:func:`~dupefind.text.word_hashes`, as a screened document's words have them); the strings
    are then numbered by their keys in one compiled pass, in the same order."""
    if keys is not None and len(keys) == len(strings) > 1:
        codes, firsts = first_codes(keys)
        items = list(itemgetter(*firsts.tolist())(strings)) if len(firsts) > 1 else [strings[int(firsts[0])]]
        index = dict(zip(items, range(len(items))))
        if len(index) == len(items):  # (else a string had two keys: not the hashes of these strings)
            return Vocabulary(items, index, codes, keys[firsts])
    index = dict.fromkeys(strings, 0)  # each value set next
    items = list(index)
    index.update(zip(items, range(len(items))))
    return Vocabulary(items, index, np.fromiter(map(index.__getitem__, strings), dtype=np.int64, count=len(strings)))


def joint_codes(a: Vocabulary, b: Vocabulary) -> Codes:
    """For each of B's distinct strings, its code in one numbering of both texts: A's code when A
    has it, else the next free one after A's, in B's order (as one dict filled with A's strings,
    then B's, numbers them). One more entry at the end, ``-1``, keeps the code -1 at -1."""
    if a.keys is not None and b.keys is not None:  # A's keys, then B's, numbered as they first occur
        codes, _ = first_codes(np.concatenate((a.keys, b.keys)))
        return np.append(codes[len(a.keys):], -1)
    joint = np.fromiter(map(a.index.get, b.items, repeat(-1)), dtype=np.int64, count=len(b.items))
    new = joint < 0
    joint[new] = len(a.items) + np.arange(int(new.sum()))
    return np.append(joint, -1)


@dataclass(frozen=True, slots=True)
class Sentences:
    """One text's sentences and content-word stems, ready to be compared with any other text."""

    starts: Codes
    """First token of each sentence."""
    ends: Codes
    """One past its last token."""
    stems: Vocabulary
    """The stems of the text's content words (see :func:`content_terms`), one per word that has
    one: ``stems.items[stem[k]]`` is the stem of word ``k``."""
    stem: Codes
    """Code of each word's stem in ``stems``, ``-1`` for a word without one."""
    term: Codes
    """``stem`` with ``-1`` for the boilerplate words too: the terms the sentences are made of."""


def sentences(text: str, tokens: Tokens, ignore: npt.NDArray[np.bool_] | None = None, *,
              segment_starts: Sequence[int] | None = None, words: Vocabulary | None = None) -> Sentences:
    """The sentences and stems of a text (``ignore``: its boilerplate words). ``segment_starts``
    (the first word of each of :func:`~dupefind.text.segments`) and ``words`` (the
    :func:`vocabulary` of its words), if the caller has them, spare computing them again."""
    if segment_starts is None:
        segment_starts = [span.start for span in segments(text, tokens)]
    words = words if words is not None else vocabulary(tokens.words)
    bounds = sentence_bounds(np.asarray(segment_starts, dtype=np.int64), len(tokens), MAX_SENTENCE, MIN_SENTENCE)
    # Each distinct word's stem (all loops in C): the stems of ``_term``, stated over arrays.
    items = words.items
    content = np.fromiter(map(len, items), dtype=np.int64, count=len(items)) > 2
    longer = list(compress(items, content.tolist()))
    function = np.fromiter(map(FUNCTION_WORDS.__contains__, longer), dtype=bool, count=len(longer))
    digits = np.fromiter(map(str.isdigit, longer), dtype=bool, count=len(longer))
    content[content] = kept = ~function & ~digits
    stems = vocabulary(list(map(getitem, compress(longer, kept.tolist()), repeat(_STEM_SLICE))))
    stem_of_item = np.full(len(items) + 1, -1, dtype=np.int64)
    stem_of_item[:-1][content] = stems.codes
    stem = stem_of_item[words.codes]
    term = stem if ignore is None or not ignore.any() else np.where(ignore, -1, stem)
    return Sentences(bounds[:, 0].copy(), bounds[:, 1].copy(), stems, stem, term)


def _term(word: str) -> str:
    """A content word's stem; empty for a function word, a number or a word of one or two letters."""
    return word[:STEM] if len(word) > 2 and word not in FUNCTION_WORDS and not word.isdigit() else ""


_STEM_SLICE = slice(0, STEM)


def content_terms(words: Sequence[str]) -> set[str]:
    """The distinct stems of the content words among ``words`` (as fragments compare them)."""
    return {term for word in words if (term := _term(word))}
