"""Similar sentences, the sentence pass's seeds: the sentence pairs whose content-word stems
are alike, counted on each document's probe, and whether the sentence pass itself finds a
stretch that can be a passage on its own.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from ..align import Side
from ..align.joining import MIN_SEEDS
from ..align.sentences import Fragment, sentence_fragments
from ..align.terms import Sentences, Vocabulary
from ..align.vectors import SEED_DICE, SentencePair
from ..jit import kernel
from .documents import Probe
from .seeds import _joint

#: Above this many sentence pairs (two texts of thousands of sentences) the sentence count is
#: not tried: the sentence pass itself decides, as it would have.
MAX_SENTENCE_PAIRS = 1_000_000


def sentence_seeds_possible(a: Probe, b: Probe) -> bool | None:
    """Whether the two texts have ``MIN_SEEDS`` sentence pairs or more whose sets of stems have
    a Dice coefficient of at least ``SEED_DICE`` (as the sentence pass computes it: shared
    stems over the sum of the two sentences' distinct stems, each at least one); ``None`` when
    the stems are not known (a text that is not ASCII)."""
    found = similar_sentences(a, b, most=MIN_SEEDS)
    return None if found is None else len(found) >= MIN_SEEDS


def similar_sentences(a: Probe, b: Probe, *, most: int) -> list[tuple[int, int]] | None:
    """The sentence pairs ``(i, j)`` that :func:`sentence_seeds_possible` counts, the first
    ``most`` of them (any seed of the sentence pass is one); ``None`` when the stems are not
    known (a text that is not ASCII) or the texts too long to look."""
    if a.stems is None or b.stems is None or len(a.sentences) * len(b.sentences) > MAX_SENTENCE_PAIRS:
        return None
    code_b = np.append(_joint(a.stem_distinct, b.stem_distinct), -1)  # -1 stays -1
    pairs = np.zeros((most, 2), dtype=np.int64)
    count = _similar_pairs(a.stem_ids, a.sentences, code_b[b.stem_ids], b.sentences,
                           len(a.stem_distinct) + len(b.stem_distinct), SEED_DICE, most, pairs)
    return [(int(i), int(j)) for i, j in pairs[: min(count, most)].tolist()]


def stretches(a: Probe, b: Probe) -> list[Fragment] | None:
    """The stretches the sentence pass finds in the two texts
    (:func:`~dupefind.align.sentences.sentence_fragments`), from their probes, before either is
    made ready for the aligner; ``None`` when the stems are not known (a text whose words could
    not be matched up with its hashes) or the texts too long to look.

    The pass is run itself, on the same sentences and the same stems and terms (each word's
    stem key, numbered in one numbering of both texts' keys instead of their strings'): its
    sums run over each sentence's terms in order of first occurrence, whatever their codes, so
    it finds the same stretches to the last bit (the tests hold them equal)."""
    if a.stems is None or b.stems is None or len(a.sentences) * len(b.sentences) > MAX_SENTENCE_PAIRS:
        return None
    joint = np.append(_joint(a.stem_distinct, b.stem_distinct), -1)  # -1 stays -1
    sa, sb = _keyed(a), _keyed(b)
    vectors = SentencePair(sa.term, sa, joint[sb.term], sb, len(a.stem_distinct) + len(b.stem_distinct), joint=joint)
    return sentence_fragments(sa, sb, vectors)


#: The stems of a probe's :class:`~dupefind.align.terms.Sentences` are keys, numbered per pair
#: (:func:`stretches`), not strings.
_KEYED = Vocabulary([], {}, np.empty(0, dtype=np.int64))


def _keyed(probe: Probe) -> Sentences:
    """A probe's sentences and stems as the sentence pass holds them, stems numbered by key."""
    stem = probe.stem_codes if probe.stem_codes is not None else probe.stem_ids
    return Sentences(probe.sentences[:, 0].copy(), probe.sentences[:, 1].copy(), _KEYED, stem, probe.stem_ids)


def fragment_possible(a: Side, b: Side) -> bool:
    """Whether the sentence pass finds a stretch that can be a passage on its own (one resting
    on ``MIN_SEEDS`` sentence pairs or more); without a word seed, the only passages there are."""
    return any(f.seeds >= MIN_SEEDS for f in sentence_fragments(a.sentences, b.sentences))


@kernel(nogil=True)
def _similar_pairs(terms_a: npt.NDArray[np.int64], bounds_a: npt.NDArray[np.int64], terms_b: npt.NDArray[np.int64],
                   bounds_b: npt.NDArray[np.int64], n_terms: int, min_dice: float, enough: int,
                   pairs: npt.NDArray[np.int64]) -> int:  # pragma: no cover - compiled
    """Sentence pairs whose distinct terms have a Dice coefficient of at least ``min_dice``
    (``2 * shared / (size_a + size_b)``, sizes at least 1), counted up to ``enough`` (at least:
    a sentence of A is counted in full); the first ones found written into ``pairs`` (as many
    as it has rows), each ``(i, j)``."""
    seen = np.full(max(n_terms, 1), -1, dtype=np.int64)
    size_b = np.zeros(len(bounds_b), dtype=np.int64)
    head = np.zeros(max(n_terms, 1) + 1, dtype=np.int64)
    for j in range(len(bounds_b)):
        for k in range(bounds_b[j, 0], bounds_b[j, 1]):
            t = terms_b[k]
            if t >= 0 and seen[t] != j:
                seen[t] = j
                size_b[j] += 1
                head[t + 1] += 1
    head = np.cumsum(head)
    fill = head[:-1].copy()
    owners = np.empty(head[-1], dtype=np.int64)
    seen[:] = -1
    for j in range(len(bounds_b)):
        for k in range(bounds_b[j, 0], bounds_b[j, 1]):
            t = terms_b[k]
            if t >= 0 and seen[t] != j:
                seen[t] = j
                owners[fill[t]] = j
                fill[t] += 1
    seen[:] = -1
    shared = np.zeros(len(bounds_b), dtype=np.int64)
    touched = np.empty(len(bounds_b), dtype=np.int64)
    found = 0
    for i in range(len(bounds_a)):
        size_a = 0
        n_touched = 0
        for k in range(bounds_a[i, 0], bounds_a[i, 1]):
            t = terms_a[k]
            if t >= 0 and seen[t] != i:
                seen[t] = i
                size_a += 1
                for e in range(head[t], head[t + 1]):
                    j = owners[e]
                    if shared[j] == 0:
                        touched[n_touched] = j
                        n_touched += 1
                    shared[j] += 1
        for x in range(n_touched):
            j = touched[x]
            if 2 * float(shared[j]) / (float(max(size_a, 1)) + float(max(size_b[j], 1))) >= min_dice:
                if found < len(pairs):
                    pairs[found, 0], pairs[found, 1] = i, j
                found += 1
            shared[j] = 0
        if found >= enough:
            return found
    return found
