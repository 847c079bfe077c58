"""What a text holds, boilerplate or not (its words, each as many times as it holds it, and
its content-word stems), and the pairs with a short text turned down by it: a passage the
verdict counts needs more than the two texts share. Also the content words a document shares
with what a partner keeps outside its boilerplate.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ..arrays import in_sorted, unique
from ..jit import kernel
from ..verify import REWRITTEN_SHARED, passage_needed
from .documents import Screened
from .seeds import _common
from .stems import _FUNCTION_HASHES, _NO_STEM, _stems


@dataclass(frozen=True, slots=True)
class Holdings:
    """What a text holds, boilerplate or not, to bound the passages a partner can share with
    it (:func:`passage_within_reach`)."""

    words: npt.NDArray[np.uint64]
    """Its distinct word hashes, sorted."""
    counts: npt.NDArray[np.int64]
    """How many times it holds each of ``words``."""
    stems: npt.NDArray[np.uint64] | None
    """Its distinct content-word stem keys, sorted (as the sentence pass and the rewritten rule
    cut them); ``None`` when the words could not be matched up with the hashes."""
    size: int
    """Its words."""


def holdings(doc: Screened) -> Holdings:
    """The document's :class:`Holdings`, on all its words (a pair judged again with common
    segments spared counts words the first look set aside)."""
    words, counts = np.unique(doc.words.hashes, return_counts=True)
    stems, _ = _stems(doc.text, doc.words, np.zeros(len(doc.words.hashes), dtype=bool))
    return Holdings(words, counts.astype(np.int64), unique(stems[stems != 0]) if stems is not None else None,
                    len(doc.words.hashes))


def passage_within_reach(a: Holdings, b: Holdings, needed: int) -> bool:
    """Whether two texts could be the same words or share a passage the verdict counts,
    ``needed`` words asked (:func:`~dupefind.verify.passage_needed`): ``False`` is a true bound.
    An identical passage's words are words both texts hold, each no more times than the text
    holding it fewer times (a passage counts each identical word once); a rewritten passage's
    two sides share :data:`~dupefind.verify.REWRITTEN_SHARED` distinct content-word stems, which
    the two texts then share."""
    shared = _shared_words(a.words, a.counts, b.words, b.counts)
    if shared >= needed or shared == a.size == b.size:
        return True
    return a.stems is None or b.stems is None or _common(a.stems, b.stems) >= REWRITTEN_SHARED


def pairs_within_reach(ends: npt.NDArray[np.int64], held: Sequence[Holdings], short: npt.NDArray[np.bool_], *,
                       passage_words: int) -> npt.NDArray[np.bool_]:
    """For each pair of documents (``ends``, one row each, numbering ``held``, what each holds),
    whether it could be copies: a pair with a short text (``short``) is turned down as
    :func:`passage_within_reach` turns it down, the words the verdict asks of it
    (:func:`~dupefind.verify.passage_needed`) not within reach; in compiled code, all pairs at
    once (a flood of short texts makes a million pairs)."""
    words = np.concatenate([h.words for h in held] + [np.empty(0, dtype=np.uint64)])
    counts = np.concatenate([h.counts for h in held] + [np.empty(0, dtype=np.int64)])
    stems = np.concatenate([h.stems if h.stems is not None else _NO_STEM for h in held] + [_NO_STEM])
    word_ends = np.cumsum([len(h.words) for h in held], dtype=np.int64)
    stem_ends = np.cumsum([len(h.stems) if h.stems is not None else 0 for h in held], dtype=np.int64)
    known = np.array([h.stems is not None for h in held], dtype=bool)
    sizes = np.array([h.size for h in held], dtype=np.int64)
    return _pairs_within_reach(ends, words, counts, word_ends, stems, stem_ends, known, sizes, short,
                               passage_words, REWRITTEN_SHARED)


@kernel(nogil=True)
def _pairs_within_reach(ends: npt.NDArray[np.int64], words: npt.NDArray[np.uint64], counts: npt.NDArray[np.int64],
                        word_ends: npt.NDArray[np.int64], stems: npt.NDArray[np.uint64],
                        stem_ends: npt.NDArray[np.int64], known: npt.NDArray[np.bool_], sizes: npt.NDArray[np.int64],
                        short: npt.NDArray[np.bool_], passage_words: int,
                        least_stems: int) -> npt.NDArray[np.bool_]:  # pragma: no cover - compiled
    """:func:`pairs_within_reach` on what each document holds, laid end to end."""
    reach = np.ones(len(ends), dtype=np.bool_)
    for k in range(len(ends)):
        i, j = ends[k, 0], ends[k, 1]
        if not (short[i] or short[j]):
            continue
        needed = passage_needed(sizes[i], sizes[j], passage_words)
        if needed <= 0:
            continue
        wi, wj = word_ends[i - 1] if i else 0, word_ends[j - 1] if j else 0
        shared = _shared_words(words[wi : word_ends[i]], counts[wi : word_ends[i]],
                               words[wj : word_ends[j]], counts[wj : word_ends[j]])
        if shared >= needed or (shared == sizes[i] and shared == sizes[j]) or not (known[i] and known[j]):
            continue
        si, sj = stem_ends[i - 1] if i else 0, stem_ends[j - 1] if j else 0
        reach[k] = _common(stems[si : stem_ends[i]], stems[sj : stem_ends[j]]) >= least_stems
    return reach


@kernel(nogil=True)
def _shared_words(a: npt.NDArray[np.uint64], count_a: npt.NDArray[np.int64], b: npt.NDArray[np.uint64],
                  count_b: npt.NDArray[np.int64]) -> int:  # pragma: no cover - compiled
    """The words two texts share, each as many times as the text holding it fewer times (a
    merge of their sorted distinct words)."""
    i = j = shared = 0
    while i < len(a) and j < len(b):
        if a[i] < b[j]:
            i += 1
        elif b[j] < a[i]:
            j += 1
        else:
            shared += min(count_a[i], count_b[j])
            i += 1
            j += 1
    return shared


def shares_content(hashes: npt.NDArray[np.uint64], theirs: npt.NDArray[np.uint64], *, least: int) -> bool:
    """Whether at least ``least`` distinct content words (not function words) of ``hashes`` are
    among a partner's words outside its boilerplate (``theirs``: :func:`kept_words` of it)."""
    content = unique(hashes[~in_sorted(hashes, _FUNCTION_HASHES)])
    if len(content) < least:
        return False
    return int(in_sorted(content, theirs).sum()) >= least


def kept_words(doc: Screened) -> npt.NDArray[np.uint64]:
    """The distinct hashes of a document's words outside its boilerplate, sorted."""
    return unique(doc.words.hashes[~doc.boilerplate])
