"""The verdict's cheap checks, run before any alignment: most candidate pairs are decided here.

Verifying a candidate pair in full means tokenising both texts with offsets, making them ready
for the aligner and aligning them (about a millisecond). Most pairs do not need that to be
decided. The verdict's rules (:func:`dupefind.verify.is_duplicate`) are checked here in order
of cost, on what a document costs little to prepare (:class:`Screened`: its word hashes, its
boilerplate and its shingle set, ~0.1 ms):

1. *Short texts* are copies when their words are identical: equal word hashes are confirmed on
   the words themselves. Otherwise only a passage can make them copies (their few shingles
   tell nothing), from step 3 on. Before anything else is made of a pair of short texts,
   :func:`passage_within_reach` bounds the passages the verdict counts from what each text
   holds, whatever the boilerplate: an identical passage holds no more of a word than both
   texts do (the multiset of their words), and a rewritten one shares
   :data:`~dupefind.verify.REWRITTEN_SHARED` content-word stems (:func:`pairs_within_reach`:
   all the pairs of a task at once). A flood of short texts drawn from one vocabulary shares a
   few words pair after pair, never that many.
2. *Containment* of the shingle sets reaches the threshold: a copy, aligned once for its
   passages.
3. Otherwise only a passage can make the pair a copy: with ``--passage-words 0`` it is decided
   (not a copy) without any alignment.
4. *Could the aligner find any passage at all?* Each of its passages grows from a seed (three
   identical words in a row, or five function words in a row, none of them boilerplate) or
   from a stretch of similar sentences resting on two sentence pairs or more
   (:mod:`dupefind.align.sentences`). Two texts that share no such run of words cannot have a
   word passage; :func:`shares_seed` tells that from each document's sorted run keys, made
   once (a superset of the aligner's seeds: equal words have equal hashes, and no seed is
   left out for being frequent). When they share one, the aligner's own word pass runs on
   word ids numbered from the hashes (:func:`word_passage_possible`: the same seeds, chains
   and word alignment of each region, no passage made), which tells whether it keeps any
   passage. Without one, only the sentence pass can find one, on a stretch resting on two
   sentence pairs or more, each pair's content-word stems alike (Dice of at least
   ``SEED_DICE``). :func:`sentence_seeds_possible` counts such sentence pairs on stems hashed
   straight from the bytes (from the words for a text that is not ASCII; the same sentences
   and the same stems as the sentence pass, whose other conditions only remove pairs):
   fewer than two, not a copy.
   Otherwise the sentence pass itself decides (:func:`fragment_possible`).
5. *Could a passage reach the verdict?* When the word pass does find passages (most often a
   phrase two texts share), :func:`passage_possible` bounds what the aligner can make of them
   if the sentence pass has at most one seed: identical words no more than the word pass's,
   words no more than theirs plus the seed's sentences and the gaps a join bridges. Below the
   verdict's ``passage_words`` (half the shorter text's words when that is fewer:
   :func:`~dupefind.verify.passage_needed`) on either count, not a copy (on the Markov speed corpus, 2,259
   of 5,047 pairs that were aligned and not reported).

Word ids from hashes are the aligner's ids as long as two different words never share a
64-bit hash (the assumption the shingles, the fingerprints and the boilerplate already rest on).

Every rejection is a true bound (a pair it turns down would have been turned down after a
full alignment); everything else is aligned once, and the verdict is
:func:`~dupefind.verify.is_duplicate` itself, on the passages found. ``tests/test_screen.py``
holds the staged verification equal to aligning every pair.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum

import numpy as np
import numpy.typing as npt

from .align import Side
from .align.compiled import gram_keys
from .align.passages import MAX_REPEATS, MIN_SEEDS, TOUCH, passage_spans
from .align.sentences import FUNCTION_WORDS, SEED_DICE, STEM, _sentences, sentence_fragments
from .arrays import in_sorted, unique
from .boilerplate import Commons, boilerplate_mask
from .config import Scheme
from .jit import kernel
from .shingles import STOPWORDS, ShingleIds, hashed_shingle_ids, shingle_ids
from .text import _BASE_U64, HashedWords, _mix64, _simple_bytes, _word_spans, hash_words, tokenize, word_hashes
from .verify import REWRITTEN_SHARED, Overlap, compact_tokens, counts_in, markup_spans, passage_needed

#: The word seeds of :mod:`dupefind.align.passages`: identical words in a row, function words in a row.
WORD_SEED = 3
STOP_SEED = 5
_STOP_HASHES = np.sort(word_hashes(sorted(STOPWORDS)))
_FUNCTION_HASHES = np.sort(word_hashes(sorted(FUNCTION_WORDS)))
_NO_STEM = np.empty(0, dtype=np.uint64)
#: The word pass's passages :func:`passage_possible` weighs at most (a pair with more is aligned).
MOST_SPANS = 8
Span = tuple[int, int, int, int, int]
"""Words ``ia:ib`` of A and ``ja:jb`` of B a region of the word pass aligns, ``same`` of them identical."""
#: Above this many sentence pairs (two texts of thousands of sentences) the sentence count is
#: not tried: the sentence pass itself decides, as it would have.
MAX_SENTENCE_PAIRS = 1_000_000


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
    """Its distinct stem keys, sorted (empty if ``stems`` is ``None``)."""
    stem_ids: npt.NDArray[np.int64]
    """Each word's position in ``stem_distinct``, -1 for a word without a stem."""
    distinct: npt.NDArray[np.uint64]
    """Its distinct word hashes, sorted."""
    ids: npt.NDArray[np.int64]
    """Each word's position in ``distinct``."""
    markup: npt.NDArray[np.int64] | None = None
    """For each ``k``, how many of its first ``k`` words lie in markup, a tag or a URL
    (:func:`~dupefind.verify.markup_counts`); ``None`` when the text holds none."""



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
    stops = np.flatnonzero(in_sorted(hashes, _STOP_HASHES) & ~mask).astype(np.int64)
    every = np.arange(len(hashes), dtype=np.int64)
    bounds = np.array(_sentences(doc.words.segment_starts.tolist(), len(hashes)), dtype=np.int64).reshape(-1, 2)
    distinct, ids = np.unique(hashes, return_inverse=True)
    stems, word_starts = _stems(doc.text, doc.words, mask)
    stem_ids = np.full(len(hashes) if stems is not None else 0, -1, dtype=np.int64)
    having = stems != 0 if stems is not None else np.zeros(0, dtype=bool)
    stem_distinct, inverse = np.unique(stems[having] if stems is not None else _NO_STEM, return_inverse=True)
    stem_ids[having] = inverse
    runs, run_starts = _sorted_runs(hashes, mask, every, WORD_SEED)
    stop_runs, stop_run_starts = _sorted_runs(hashes, mask, stops, STOP_SEED)
    # The words in markup, as the verdict counts them (most texts hold none).
    # Words not matched up with the hashes (no starts): no markup is taken off, a looser bound.
    markup = None
    if word_starts is not None and len(spans := markup_spans(doc.text)):
        markup = counts_in(spans, word_starts)
    return Probe(stops, runs, run_starts, stop_runs, stop_run_starts, stems, bounds, stem_distinct, stem_ids,
                 distinct, ids.astype(np.int64), markup)


def figures(a: ShingleIds, b: ShingleIds) -> Overlap:
    """Jaccard and both containments of two shingle sets (:func:`dupefind.verify.overlap`)."""
    shared = int(_common(a, b))
    union = len(a) + len(b) - shared
    return Overlap(
        similarity=shared / union if union else 0.0,
        containment_a=shared / len(a) if len(a) else 0.0,
        containment_b=shared / len(b) if len(b) else 0.0,
    )


class Call(Enum):
    """What the cheap checks make of a pair."""

    NOT_A_COPY = "not a copy"
    """Decided: the pair is not reported, and is not aligned."""
    ALIGN = "align"
    """A copy, or possibly one: aligned, and the verdict taken on its passages."""
    SENTENCES = "sentences"
    """No word seed: a copy only if the sentence pass finds a stretch (:func:`fragment_possible`)."""


def call(a: Screened, b: Screened, overlap: Overlap, *, threshold: float, passage_words: int,
         min_passage_words: int, probes: Callable[[Screened], Probe] = probe) -> Call:
    """The cheap checks, in order of cost (see the module's text); ``probes`` gives a document's
    :class:`Probe` (once per document if it caches)."""
    if a.short or b.short:  # too few shingles for containment to tell: identical, or a passage
        if len(a.words.hashes) > 0 and np.array_equal(a.words.hashes, b.words.hashes):
            return Call.ALIGN
    elif overlap.containment >= threshold:
        return Call.ALIGN
    needed = passage_needed(len(a.words.hashes), len(b.words.hashes), passage_words)
    if needed <= 0:
        return Call.NOT_A_COPY
    x, y = probes(a), probes(b)
    spans = (word_spans(a, b, x, y, min_words=max(1, min_passage_words), most=MOST_SPANS, enough=needed)
             if shares_seed(x, y) else [])
    if spans:
        return Call.ALIGN if passage_possible(spans, x, y, passage_words=needed) else Call.NOT_A_COPY
    if sentence_seeds_possible(x, y) is False:
        return Call.NOT_A_COPY
    return Call.SENTENCES


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


def shares_seed(a: Probe, b: Probe) -> bool:
    """Whether the two texts share a run of ``WORD_SEED`` words, or of ``STOP_SEED`` function
    words (counted over the function words alone), without boilerplate: a superset of the
    aligner's seeds, so ``False`` means the aligner has none."""
    return bool(_common(a.runs, b.runs)) or bool(_common(a.stop_runs, b.stop_runs))


def word_spans(a: Screened, b: Screened, x: Probe, y: Probe, *, min_words: int, most: int,
               enough: int | None = None) -> list[Span]:
    """What the aligner's word pass could keep (:func:`~dupefind.align.passages.passage_spans`:
    the first ``most``, or fewer once ``enough`` identical words; none, and the word pass keeps
    no passage), on word ids numbered from
    the hashes as the aligner numbers words: equal words, equal ids; each boilerplate word an
    id of its own that matches nothing."""
    length_a = len(a.words.hashes)
    ids_a, ids_b = x.ids.copy(), _joint(x.distinct, y.distinct)[y.ids]
    ignored_a, ignored_b = np.flatnonzero(a.boilerplate), np.flatnonzero(b.boilerplate)
    ids_a[ignored_a] = -1 - ignored_a
    ids_b[ignored_b] = -1 - length_a - ignored_b
    # The aligner's seeds, from the runs each probe keyed once (equal words, equal hashes; a run
    # holding boilerplate matches nothing in either), instead of keying both texts per pair.
    words = _run_seeds(x.runs, x.run_starts, y.runs, y.run_starts, MAX_REPEATS)
    stops = _run_seeds(x.stop_runs, x.stop_run_starts, y.stop_runs, y.stop_run_starts, MAX_REPEATS)
    width = len(ids_b) + 1
    seeds = unique(np.concatenate((words[0] * width + words[1], stops[0] * width + stops[1])))
    return passage_spans((seeds // width, seeds % width), ids_a, ids_b, min_words=min_words, most=most,
                         enough=enough)


@kernel(nogil=True)
def _run_seeds(keys_a: npt.NDArray[np.uint64], starts_a: npt.NDArray[np.int64], keys_b: npt.NDArray[np.uint64],
               starts_b: npt.NDArray[np.int64],
               most: int) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:  # pragma: no cover - compiled
    """Every pair of starts ``(i, j)`` of equal keys of two sorted key arrays, but for a key
    found more than ``most`` times in B (the aligner's ``gram_seeds``, by a merge)."""
    groups = np.empty((min(len(keys_a), len(keys_b)), 4), dtype=np.int64)  # runs of one key: a0, a1, b0, b1
    count = total = x = y = 0
    while x < len(keys_a) and y < len(keys_b):
        if keys_a[x] < keys_b[y]:
            x += 1
        elif keys_b[y] < keys_a[x]:
            y += 1
        else:
            end_a, end_b = x, y
            while end_a < len(keys_a) and keys_a[end_a] == keys_a[x]:
                end_a += 1
            while end_b < len(keys_b) and keys_b[end_b] == keys_b[y]:
                end_b += 1
            if end_b - y <= most:
                groups[count] = (x, end_a, y, end_b)
                count += 1
                total += (end_a - x) * (end_b - y)
            x, y = end_a, end_b
    first = np.empty(total, dtype=np.int64)
    second = np.empty(total, dtype=np.int64)
    k = 0
    for g in range(count):
        for i in range(groups[g, 0], groups[g, 1]):
            for j in range(groups[g, 2], groups[g, 3]):
                first[k], second[k] = starts_a[i], starts_b[j]
                k += 1
    return first, second


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


def passage_possible(spans: list[Span], x: Probe, y: Probe, *, passage_words: int) -> bool:
    """Whether the aligner can make a passage that meets the verdict's passage rules (one of
    ``passage_words`` identical words, or rewritten passages of that many words on each side,
    both counted outside markup) of a pair whose word pass gives ``spans`` (:func:`word_spans`:
    all of them, or the most looked at).

    A true bound when the sentence pass has at most one seed: the final passages are then the
    word pass's, joined to one another (across at most ``TOUCH`` words each time) or over the
    one seed's pair of sentences (a stretch of one seed joins the passages it overlaps and adds
    none of its own). So their identical words are at most the spans', and their words on one
    side at most the spans' plus the gaps plus the seed's sentence, less the words of a span
    inside the seed's sentences when those share a stem across them (the stretch, cut to the
    words whose stems the other sentence holds, then overlaps the span: it is joined into it,
    and only its words outside the sentence add up).

    Words in markup (``Probe.markup``) do not count: a passage's prose words are at most its
    words less the markup words of the spans inside it (and, of the seed's sentence, at most
    the sentence's prose words), and both rules ask that many (a passage's identical words
    outside markup are its identical words scaled by its share of prose, at most its prose
    words)."""
    if len(spans) >= MOST_SPANS:
        return True
    # The spans' own prose words are part of the bound whatever the sentence pass finds.
    prose_a = sum(ib - ia - _in_markup(x, ia, ib) for ia, ib, _, _, _ in spans)
    prose_b = sum(jb - ja - _in_markup(y, ja, jb) for _, _, ja, jb, _ in spans)
    if min(prose_a, prose_b) >= passage_words:
        return True
    seeds = similar_sentences(x, y, most=MIN_SEEDS)
    if seeds is None or len(seeds) >= MIN_SEEDS:
        return True
    words_a = words_b = TOUCH * (len(spans) - 1)
    if not seeds:
        return min(words_a + prose_a, words_b + prose_b) >= passage_words
    assert x.stems is not None and y.stems is not None  # known, or there would be no seeds
    (a0, a1), (b0, b1) = x.sentences[seeds[0][0]].tolist(), y.sentences[seeds[0][1]].tolist()
    inside_a = inside_b = 0
    for ia, ib, ja, jb, _ in spans:
        # Within both sentences, a stem on each side that the other sentence holds: the stretch
        # (its words from the first to the last such stem, give or take a loose end) overlaps
        # the span, which is joined into it: only its words outside the sentence add up.
        inner_a, inner_b = (max(ia, a0), min(ib, a1)), (max(ja, b0), min(jb, b1))
        joined = (inner_a[0] < inner_a[1] and inner_b[0] < inner_b[1]
                  and _shares_stem(x.stems[inner_a[0] : inner_a[1]], y.stems[inner_b[0] : inner_b[1]]))
        # Words are counted less their markup: outside the sentence the span's, inside it the
        # sentence's (whatever part of it the passage takes holds no more prose than it all).
        inner_prose_a = inner_a[1] - inner_a[0] - _in_markup(x, *inner_a) if joined else 0
        inner_prose_b = inner_b[1] - inner_b[0] - _in_markup(y, *inner_b) if joined else 0
        inside_a += inner_prose_a
        inside_b += inner_prose_b
        words_a += (ib - ia) - _in_markup(x, ia, ib) - inner_prose_a
        words_b += (jb - ja) - _in_markup(y, ja, jb) - inner_prose_b
    # The words inside the sentence count once as the stretch, or as the spans should the
    # sentence pass keep no stretch there: at most the larger of the two.
    words_a += max(a1 - a0 - _in_markup(x, a0, a1), inside_a)
    words_b += max(b1 - b0 - _in_markup(y, b0, b1), inside_b)
    return bool(min(words_a, words_b) >= passage_words)


def _in_markup(probe: Probe, start: int, end: int) -> int:
    """How many of words ``start:end`` lie in markup."""
    return 0 if probe.markup is None else int(probe.markup[end] - probe.markup[start])


def _shares_stem(a: npt.NDArray[np.uint64], b: npt.NDArray[np.uint64]) -> bool:
    """Whether two runs of words have a stem (a key other than 0) in common."""
    return bool(np.intersect1d(a[a != 0], b[b != 0], assume_unique=False).size)


def _joint(first: npt.NDArray[np.uint64], second: npt.NDArray[np.uint64]) -> npt.NDArray[np.int64]:
    """For each value of ``second`` (sorted, distinct), its position in ``first`` (sorted,
    distinct) if there, else a code of its own past ``first``'s: one numbering of both."""
    if not len(first):
        return np.arange(len(second), dtype=np.int64)
    at = np.minimum(np.searchsorted(first, second), len(first) - 1)
    codes: npt.NDArray[np.int64] = np.where(first[at] == second, at, len(first) + np.arange(len(second)))
    return codes


def fragment_possible(a: Side, b: Side) -> bool:
    """Whether the sentence pass finds a stretch that can be a passage on its own (one resting
    on ``MIN_SEEDS`` sentence pairs or more); without a word seed, the only passages there are."""
    return any(f.seeds >= MIN_SEEDS for f in sentence_fragments(a.sentences, b.sentences))


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


def _stems(text: str, words: HashedWords, boilerplate: npt.NDArray[np.bool_]
           ) -> tuple[npt.NDArray[np.uint64] | None, npt.NDArray[np.int64] | None]:
    """:attr:`Screened.stems` (see there), from the text's lower-cased bytes (from its words
    when it is not ASCII); and where each of its words starts (``None`` if its words could not
    be matched up with the hashes)."""
    simple = _simple_bytes(text, same_length=True)
    if simple is None or len(simple) != len(text) or not simple.isascii():
        return _token_stems(text, words, boilerplate)  # bytes are characters only for ASCII
    data = np.frombuffer(simple, dtype=np.uint8)
    starts, ends = _word_spans(data)
    if len(starts) != len(words.hashes):
        return None, None
    if not len(starts):
        return _NO_STEM, starts.astype(np.int64)
    content = ~in_sorted(words.hashes, _FUNCTION_HASHES) & ~boilerplate
    starts = starts.astype(np.int64)
    keys: npt.NDArray[np.uint64] = _stem_keys(data, starts, ends.astype(np.int64), content, STEM)
    return keys, starts


def _token_stems(text: str, words: HashedWords, boilerplate: npt.NDArray[np.bool_]
                 ) -> tuple[npt.NDArray[np.uint64] | None, npt.NDArray[np.int64] | None]:
    """:func:`_stems` of a text that is not ASCII: its words as strings (the tokens
    verification makes: :func:`~dupefind.verify.compact_tokens`), each stem's key taken over its
    UTF-8 bytes (for an ASCII stem the same key as from the bytes of an ASCII text); and where
    each word starts."""
    tokens = compact_tokens(text)
    if len(tokens) != len(words.hashes):
        return None, None
    stems = [w[:STEM] if len(w) > 2 and w not in FUNCTION_WORDS and not w.isdigit() and not dropped else ""
             for w, dropped in zip(tokens.words, boilerplate.tolist())]
    encoded = [stem.encode("utf-8") for stem in stems]
    ends = np.cumsum([len(e) for e in encoded], dtype=np.int64)
    data = np.frombuffer(b"".join(encoded) or b" ", dtype=np.uint8)
    keys: npt.NDArray[np.uint64] = _byte_keys(data, ends - np.array([len(e) for e in encoded], dtype=np.int64), ends)
    return keys, np.asarray(tokens.starts, dtype=np.int64)


@kernel(nogil=True)
def _byte_keys(data: npt.NDArray[np.uint8], starts: npt.NDArray[np.int64],
               ends: npt.NDArray[np.int64]) -> npt.NDArray[np.uint64]:  # pragma: no cover - compiled
    """:func:`_stem_keys`'s key of each span of bytes taken whole; 0 for an empty one."""
    keys = np.zeros(len(starts), dtype=np.uint64)
    for w in range(len(starts)):
        if ends[w] > starts[w]:
            key = np.uint64(0)
            for k in range(starts[w], ends[w]):
                key = _mix64(key * _BASE_U64 + np.uint64(data[k]))
            keys[w] = key | np.uint64(1)
    return keys


@kernel(nogil=True)
def _stem_keys(data: npt.NDArray[np.uint8], starts: npt.NDArray[np.int64], ends: npt.NDArray[np.int64],
               content: npt.NDArray[np.bool_], stem: int) -> npt.NDArray[np.uint64]:  # pragma: no cover - compiled
    """A key of the first ``stem`` bytes of each word of more than two bytes that is ``content``
    and not all digits; 0 for the others (a key is never 0: its last step adds 1 at worst)."""
    keys = np.zeros(len(starts), dtype=np.uint64)
    for w in range(len(starts)):
        s, e = starts[w], ends[w]
        if e - s <= 2 or not content[w]:
            continue
        digits = True
        for k in range(s, e):
            if data[k] < 48 or data[k] > 57:
                digits = False
                break
        if digits:
            continue
        key = np.uint64(0)
        for k in range(s, min(e, s + stem)):
            key = _mix64(key * _BASE_U64 + np.uint64(data[k]))
        keys[w] = key | np.uint64(1)
    return keys


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


@kernel(nogil=True)
def _common(a: npt.NDArray[np.generic], b: npt.NDArray[np.generic]) -> int:  # pragma: no cover - compiled
    """How many values two sorted arrays without repeats share (a merge)."""
    i = j = shared = 0
    while i < len(a) and j < len(b):
        if a[i] < b[j]:
            i += 1
        elif b[j] < a[i]:
            j += 1
        else:
            shared += 1
            i += 1
            j += 1
    return shared
