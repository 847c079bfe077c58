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
   Otherwise the sentence pass itself runs on the probes (:func:`stretches`: the same
   sentences and stems, numbered by key; the same stretches, to the last bit), and a pair
   whose stretches cannot make a passage of ``passage_words`` is not a copy
   (:func:`pieces_possible`); for a text whose stems are not known, the sentence pass decides
   once the pair is made ready (:func:`fragment_possible`).
5. *Could a passage reach the verdict?* When the word pass does find passages (most often a
   phrase two texts share), :func:`passage_possible` bounds what the aligner can make of them
   if the sentence pass has at most one seed: identical words no more than the word pass's,
   words no more than theirs plus the seed's sentences and the gaps a join bridges. Below the
   verdict's ``passage_words`` (half the shorter text's words when that is fewer:
   :func:`~dupefind.verify.passage_needed`) on either count, not a copy (on the Markov speed corpus, 2,259
   of 5,047 pairs that were aligned and not reported). When that bound cannot tell (two or
   more similar sentence pairs, or one in long sentences) and the word pass has one passage,
   the sentence pass is run on the probes (:func:`stretches`): the passages are then known but
   for their edges (:func:`pieces_possible`), and most pairs of unrelated texts sharing one
   phrase are turned down before either text is made ready (on the Markov corpus, 1,866 of
   the 2,120 pairs still aligned and turned down).

6. *Could it be a summary?* A pair the steps above turn down is still aligned when the summary
   step could find, either way round, a run of sentences that tells one text summarises the
   other (the verdict's last rule, :func:`~dupefind.verify.summary_is_copy`):
   :func:`summary_possible` finds the step's runs on the probes (the same sentences, stems and
   sums as :func:`stretches`; the run's other conditions only remove it). A summary shares
   :data:`~dupefind.verify.REWRITTEN_SHARED` content-word stems with its source, so step 1's
   bound holds for it too.

Word ids from hashes are the aligner's ids as long as two different words never share a
64-bit hash (the assumption the shingles, the fingerprints and the boilerplate already rest on).

Every rejection is a true bound (a pair it turns down would have been turned down after a
full alignment); everything else is aligned once, and the verdict is
:func:`~dupefind.verify.is_duplicate` itself, on the passages found. ``tests/test_screen.py``
holds the staged verification equal to aligning every pair.

The parts:

- :mod:`.documents`: a document screened (:class:`Screened`) and probed (:class:`Probe`);
- :mod:`.stems`: each word's stem key, from the text's bytes;
- :mod:`.reach`: what a text holds, and the pairs with a short text turned down by it (step 1);
- :mod:`.seeds`: the runs of words two texts share, and the aligner's word pass on them (step 4);
- :mod:`.sentences`: similar sentence pairs counted on stems, the sentence pass's seeds (step 4);
- :mod:`.call`: the checks on a pair, in order, and what its word spans can make (step 5).
"""

from __future__ import annotations

from .call import Call, call, figures, passage_possible, pieces_possible
from .documents import Probe, Screened, probe, screened
from .reach import Holdings, holdings, kept_words, pairs_within_reach, passage_within_reach, shares_content
from .seeds import Span, shares_seed, word_spans
from .sentences import fragment_possible, sentence_seeds_possible, similar_sentences, stretches, summary_possible

__all__ = [
    "Call",
    "Holdings",
    "Probe",
    "Screened",
    "Span",
    "call",
    "figures",
    "fragment_possible",
    "holdings",
    "kept_words",
    "pairs_within_reach",
    "passage_possible",
    "passage_within_reach",
    "pieces_possible",
    "probe",
    "screened",
    "sentence_seeds_possible",
    "shares_content",
    "shares_seed",
    "similar_sentences",
    "stretches",
    "summary_possible",
    "word_spans",
]
