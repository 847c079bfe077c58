"""A document made ready for the cheap checks: screened once when read again (its word hashes,
boilerplate and shingles, what verification's ``prepare`` computes less the tokens), and probed
once when a pair of it first needs the seed and sentence checks (its runs of words, sentences
and stems).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ..align.compiled import gram_keys, sentence_bounds
from ..align.terms import MAX_SENTENCE, MIN_SENTENCE
from ..arrays import in_sorted
from ..boilerplate import Commons, boilerplate_mask
from ..config import Scheme
from ..shingles import STOPWORD_KEYS, ShingleIds, hashed_shingle_ids, shingle_ids
from ..text import HashedWords, hash_words, tokenize
from ..verify import counts_in, markup_spans
from .stems import _NO_STEM, _stems

#: The word seeds of :mod:`dupefind.align.passages`: identical words in a row, function words in a row.
WORD_SEED = 3
STOP_SEED = 5


@dataclass(frozen=True, slots=True)
class Screened:
    """A document made ready for the cheap checks: everything but its words as strings."""

    id: str
    """The document's id."""
    text: str
    """Its text."""
    words: HashedWords
    """Its words as hashes, with its segments."""
    boilerplate: npt.NDArray[np.bool_]
    """``True`` for the words set aside as boilerplate."""
    shingles: ShingleIds
    """Shingle ids of the words that are not boilerplate."""
    short: bool
    """Fewer words than the short-text limit."""


@dataclass(frozen=True, slots=True)
class Probe:
    """What the seed and sentence checks need of a document, made once when a pair of it first
    gets that far (:func:`probe`)."""

    stops: npt.NDArray[np.int64]
    """Positions of the function words that are not boilerplate (the aligner's ``stops``)."""
    runs: npt.NDArray[np.uint64]
    """Sorted keys of its runs of ``WORD_SEED`` words without boilerplate."""
    run_starts: npt.NDArray[np.int64]
    """Where each of ``runs`` starts (its first word), in the same order."""
    stop_runs: npt.NDArray[np.uint64]
    """Sorted keys of its runs of ``STOP_SEED`` function words (counted over them alone)."""
    stop_run_starts: npt.NDArray[np.int64]
    """Where each of ``stop_runs`` starts, in the same order."""
    stems: npt.NDArray[np.uint64] | None
    """A key per word: of its stem as the sentence pass cuts it, for a content word that is not
    boilerplate; 0 for any other word (``None`` if the words could not be matched up with the
    hashes: then the stems are left to the sentence pass)."""
    sentences: npt.NDArray[np.int64]
    """First and one past the last word of each sentence as the sentence pass cuts them, (n, 2)."""
    stem_distinct: npt.NDArray[np.uint64]
    """The distinct stem keys of its content words, boilerplate included, sorted (empty if
    ``stems`` is ``None``)."""
    stem_ids: npt.NDArray[np.int64]
    """Each word's position in ``stem_distinct``, -1 for a word without a stem (a key in
    ``stems``): the sentence pass's terms."""
    distinct: npt.NDArray[np.uint64]
    """Its distinct word hashes, sorted."""
    ids: npt.NDArray[np.int64]
    """Each word's position in ``distinct``."""
    markup: npt.NDArray[np.int64] | None = None
    """For each ``k``, how many of its first ``k`` words lie in markup, a tag or a URL
    (:func:`~dupefind.verify.markup_counts`); ``None`` when the text holds none."""
    stem_codes: npt.NDArray[np.int64] | None = None
    """Each word's position in ``stem_distinct``, boilerplate included, -1 for a word that is not
    a content word: the sentence pass's stems (``None``: the same as ``stem_ids``, the text
    holds no boilerplate)."""



def screened(doc_id: str, text: str, *, commons: Commons, scheme: Scheme, ngram: int,
             min_words: int) -> Screened:
    """What :func:`dupefind.verify.prepare` computes, less the tokens with their offsets (the
    same hashes, boilerplate and shingles: the same functions on the same text)."""
    words = hash_words(text)
    mask = boilerplate_mask(words, commons)
    if scheme == "chars":
        tokens = tokenize(text)
        ids = shingle_ids([word for word, dropped in zip(tokens.words, mask) if not dropped],
                          scheme=scheme, ngram=ngram)
    else:
        ids = hashed_shingle_ids(words.hashes[~mask], scheme=scheme, ngram=ngram)
    return Screened(doc_id, text, words, mask, ids, len(words.hashes) < min_words)


def probe(doc: Screened) -> Probe:
    """The document's :class:`Probe`."""
    hashes, mask = doc.words.hashes, doc.boilerplate
    stops = np.flatnonzero(in_sorted(hashes, STOPWORD_KEYS) & ~mask).astype(np.int64)
    every = np.arange(len(hashes), dtype=np.int64)
    bounds = sentence_bounds(doc.words.segment_starts.astype(np.int64), len(hashes), MAX_SENTENCE, MIN_SENTENCE)
    distinct, ids = np.unique(hashes, return_inverse=True)
    # The stems of every content word, then those of its boilerplate set aside: the sentence
    # pass's stems and terms.
    all_stems, word_starts = _stems(doc.text, doc.words, np.zeros_like(mask))
    stem_ids = np.full(len(hashes) if all_stems is not None else 0, -1, dtype=np.int64)
    having = all_stems != 0 if all_stems is not None else np.zeros(0, dtype=bool)
    stem_distinct, inverse = np.unique(all_stems[having] if all_stems is not None else _NO_STEM, return_inverse=True)
    stem_ids[having] = inverse
    stems, stem_codes = all_stems, None
    if all_stems is not None and mask.any():
        stems, stem_codes = np.where(mask, np.uint64(0), all_stems), stem_ids
        stem_ids = np.where(mask, -1, stem_codes)
    runs, run_starts = _sorted_runs(hashes, mask, every, WORD_SEED)
    stop_runs, stop_run_starts = _sorted_runs(hashes, mask, stops, STOP_SEED)
    # The words in markup, as the verdict counts them (most texts hold none).
    # Words not matched up with the hashes (no starts): no markup is taken off, a looser bound.
    markup = None
    if word_starts is not None and len(spans := markup_spans(doc.text)):
        markup = counts_in(spans, word_starts)
    return Probe(stops, runs, run_starts, stop_runs, stop_run_starts, stems, bounds, stem_distinct, stem_ids,
                 distinct, ids.astype(np.int64), markup, stem_codes)


def _sorted_runs(hashes: npt.NDArray[np.uint64], boilerplate: npt.NDArray[np.bool_],
                 positions: npt.NDArray[np.int64], n: int) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.int64]]:
    """Keys of the runs of ``n`` words at consecutive ``positions`` holding no boilerplate word,
    sorted, with where each run starts."""
    keys: npt.NDArray[np.uint64] = gram_keys(hashes.view(np.int64), positions, n)
    starts = positions[: len(keys)]
    if boilerplate.any() and len(keys):
        ignored = np.concatenate(([0], np.cumsum(boilerplate[positions])))
        clean: npt.NDArray[np.bool_] = ignored[n:] - ignored[:-n] == 0
        keys, starts = keys[clean], starts[clean]
    order = np.argsort(keys, kind="stable")
    return keys[order], starts[order]
