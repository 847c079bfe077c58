"""Similar sentences, the sentence pass's seeds: the sentence pairs whose content-word stems
are alike, counted on each document's probe, whether the sentence pass itself finds a
stretch that can be a passage on its own, and whether the summary step can find a run of
sentences that tells a summary.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from ..align import Side
from ..align.joining import MIN_SEEDS
from ..align.sentences import Fragment, sentence_fragments
from ..align.summary import LOOSE_COSINE, LOOSE_DICE, MIN_SENTENCES, RUN_GAP, runs
from ..align.terms import Sentences, Vocabulary
from ..align.vectors import SEED_COSINE, SEED_DICE, SentencePair
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
    sa, sb, vectors = _paired(a, b)
    return sentence_fragments(sa, sb, vectors)


def summary_possible(a: Probe, b: Probe) -> bool:
    """Whether the summary step can find, either way round, a run of sentences that tells one
    text summarises the other (:func:`~dupefind.align.told_summaries`, which the verdict counts:
    :func:`~dupefind.verify.summary_is_copy`): ``False`` is a true bound. The step's runs are
    found on the probes, as :func:`stretches` runs the sentence pass (the same sentences, stems
    and terms, the same sums in the same order); a run's other conditions only remove it. Two
    texts whose stems are not known, or too long to look, may hold one."""
    if a.stems is None or b.stems is None or len(a.sentences) * len(b.sentences) > MAX_SENTENCE_PAIRS:
        return True
    if max(len(a.sentences), len(b.sentences)) < MIN_SENTENCES:  # a run is that many sentences of the summary
        return False
    # First the run's sentences on their stems alone: each like a sentence of the other text
    # by Dice (its cosine is not weighed yet), ``MIN_SENTENCES`` of them close together.
    code_b = np.append(_joint(a.stem_distinct, b.stem_distinct), -1)  # -1 stays -1
    if not _alike_runs(a.stem_ids, a.sentences, code_b[b.stem_ids], b.sentences,
                       len(a.stem_distinct) + len(b.stem_distinct), LOOSE_DICE * (1 - 1e-9), MIN_SENTENCES, RUN_GAP):
        return False
    sa, sb, vectors = _paired(a, b, floor=LOOSE_COSINE)
    return bool(runs(sa, sb, vectors) or runs(sb, sa, vectors, reversed_vectors=True))


def _paired(a: Probe, b: Probe, *, floor: float = SEED_COSINE) -> tuple[Sentences, Sentences, SentencePair]:
    """Two probes' sentences as the sentence pass holds them, and their vectors (``floor``: as
    :func:`~dupefind.align.paired` takes it)."""
    joint = np.append(_joint(a.stem_distinct, b.stem_distinct), -1)  # -1 stays -1
    sa, sb = _keyed(a), _keyed(b)
    return sa, sb, SentencePair(sa.term, sa, joint[sb.term], sb, len(a.stem_distinct) + len(b.stem_distinct),
                                joint=joint, floor=floor)


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
    seen, size_b, head, owners = _filed(terms_b, bounds_b, n_terms)
    shared = np.zeros(len(bounds_b), dtype=np.int64)
    touched = np.empty(len(bounds_b), dtype=np.int64)
    found = 0
    for i in range(len(bounds_a)):
        size_a, n_touched = _shared_terms(terms_a, bounds_a[i, 0], bounds_a[i, 1], i, seen, head, owners, shared,
                                          touched)
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


@kernel(nogil=True)
def _alike_runs(terms_a: npt.NDArray[np.int64], bounds_a: npt.NDArray[np.int64], terms_b: npt.NDArray[np.int64],
                bounds_b: npt.NDArray[np.int64], n_terms: int, min_dice: float, least: int,
                gap: int) -> bool:  # pragma: no cover - compiled
    """Whether ``least`` sentences of A, or of B, at most ``gap`` sentences apart from one to the
    next, each have a sentence of the other text whose distinct terms have a Dice coefficient of
    at least ``min_dice`` (as :func:`_similar_pairs` counts it)."""
    seen, size_b, head, owners = _filed(terms_b, bounds_b, n_terms)
    shared = np.zeros(len(bounds_b), dtype=np.int64)
    touched = np.empty(len(bounds_b), dtype=np.int64)
    alike_b = np.zeros(len(bounds_b), dtype=np.bool_)
    count_a, last_a = 0, -gap - 2
    for i in range(len(bounds_a)):
        size_a, n_touched = _shared_terms(terms_a, bounds_a[i, 0], bounds_a[i, 1], i, seen, head, owners, shared,
                                          touched)
        alike = False
        for x in range(n_touched):
            j = touched[x]
            if 2 * float(shared[j]) / (float(max(size_a, 1)) + float(max(size_b[j], 1))) >= min_dice:
                alike = True
                alike_b[j] = True
            shared[j] = 0
        if alike:
            count_a = count_a + 1 if i - last_a - 1 <= gap else 1
            last_a = i
            if count_a >= least:
                return True
    count_b, last_b = 0, -gap - 2
    for j in range(len(bounds_b)):
        if alike_b[j]:
            count_b = count_b + 1 if j - last_b - 1 <= gap else 1
            last_b = j
            if count_b >= least:
                return True
    return False


@kernel(nogil=True, inline="always")
def _filed(terms: npt.NDArray[np.int64], bounds: npt.NDArray[np.int64],
           n_terms: int) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64],
                                  npt.NDArray[np.int64]]:  # pragma: no cover - compiled
    """The sentences (``bounds``) filed by term: each sentence's number of distinct terms, and
    for each term ``t`` the sentences holding it, ``owners[head[t] : head[t + 1]]``; with a
    ``seen`` row of -1 per term for the caller."""
    seen = np.full(max(n_terms, 1), -1, dtype=np.int64)
    sizes = np.zeros(len(bounds), dtype=np.int64)
    head = np.zeros(max(n_terms, 1) + 1, dtype=np.int64)
    for j in range(len(bounds)):
        for k in range(bounds[j, 0], bounds[j, 1]):
            t = terms[k]
            if t >= 0 and seen[t] != j:
                seen[t] = j
                sizes[j] += 1
                head[t + 1] += 1
    head = np.cumsum(head)
    fill = head[:-1].copy()
    owners = np.empty(head[-1], dtype=np.int64)
    seen[:] = -1
    for j in range(len(bounds)):
        for k in range(bounds[j, 0], bounds[j, 1]):
            t = terms[k]
            if t >= 0 and seen[t] != j:
                seen[t] = j
                owners[fill[t]] = j
                fill[t] += 1
    seen[:] = -1
    return seen, sizes, head, owners


@kernel(nogil=True, inline="always")
def _shared_terms(terms: npt.NDArray[np.int64], start: int, end: int, i: int, seen: npt.NDArray[np.int64],
                  head: npt.NDArray[np.int64], owners: npt.NDArray[np.int64], shared: npt.NDArray[np.int64],
                  touched: npt.NDArray[np.int64]) -> tuple[int, int]:  # pragma: no cover - compiled
    """Sentence ``i`` of A (tokens ``start:end``) against the sentences :func:`_filed` filed: its
    number of distinct terms, and how many sentences of B share one, written into ``touched``
    with their count of shared distinct terms in ``shared``."""
    size = 0
    reached = 0
    for k in range(start, end):
        t = terms[k]
        if t >= 0 and seen[t] != i:
            seen[t] = i
            size += 1
            for e in range(head[t], head[t + 1]):
                j = owners[e]
                if shared[j] == 0:
                    touched[reached] = j
                    reached += 1
                shared[j] += 1
    return size, reached
