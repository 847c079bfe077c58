"""The views of a text that propose candidates: each a shingle family, a window and an LSH tuning.

Every view gives each document one MinHash signature (or one per window of a long text); two
documents become a candidate when a signature of one collides with a signature of the other
in an LSH band of the same view. The candidates of all views are unioned and then verified
exactly, so a view only has to *find* copies; precision is the verifier's job.

``stopwords`` (the first view, from :class:`~dupefind.config.Config`'s scheme)
    Stopword 8-grams over the whole text: survives machine spinning, which replaces content
    words and keeps the function words.
``content``
    The content words (every word that is not a function word) as a set of their stems (their
    first :data:`~dupefind.text.STEM` letters, as the aligner compares them), in windows of
    :data:`CONTENT_WINDOW` content words overlapping by half: a text reworded by hand, shuffled
    or translated there and back keeps most of its content words though few of their pairs
    survive, and more of their stems than of the words ("argues" for "argued"), and a short text pasted into a long one fills most of one window of it, where its
    share of the whole long text would be too small to see. Sketched without boilerplate: on
    news, windows sharing one quote that runs in many stories were most of its candidates
    (measured in benchmarks/RESULTS.md), all turned down by verification.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from .config import Scheme

Family = Literal["stopwords", "words", "chars", "content"]


@dataclass(frozen=True, slots=True)
class View:
    """One view of a text for candidate generation."""

    name: str
    """Short name (shown in benchmarks; stable across versions)."""
    family: Family
    """Shingle family (:mod:`dupefind.shingles`)."""
    ngram: int
    """Shingle length in tokens (characters for ``chars``)."""
    window: int
    """Tokens of the family per window (0: the whole text is one set)."""
    num_perm: int
    """MinHash permutations per signature."""
    lsh_threshold: float
    """Jaccard level the LSH bands are tuned for."""
    min_containment: float
    """A colliding pair is kept when its estimated containment (of the smaller set in the
    larger, from the two signatures and set sizes) reaches this."""
    sample: int = 0
    """0: MinHash signatures. Otherwise no signatures: one shingle in ``sample`` (those whose
    id is a multiple of it, the same in every text) is kept as a key of its own, and two
    documents collide on each key they share (a one-row band holding the shingle itself)."""
    min_shared: int = 1
    """For a sampled view: a pair is kept when the two share at least this many keys that lie
    close together in both texts (a copied stretch, not common phrases scattered apart)."""
    max_gap: int = 0
    """For a sampled view: "close together" is within this many shingles of each other in each
    text (0: anywhere)."""
    max_bucket: int = 0
    """A band key held by more than this many documents is common phrasing, not evidence of a
    copy, and pairs no one (0: no limit)."""
    without_boilerplate: bool = False
    """Sketched without the long boilerplate verification sets aside (common segments of
    :data:`~dupefind.boilerplate.LONG_SEGMENT` words or more: :func:`dupefind.boilerplate.
    without_boilerplate`): a quote or a lede found in many documents makes no candidates.
    Which segments are common is known once every document is read, so the documents holding
    one are sketched again then (:mod:`dupefind.resketch`)."""

    short_texts: bool = False
    """Short texts (fewer words than ``min_words``) are sketched in this view too, when they hold
    :data:`~dupefind.verify.LEAST_PASSAGE_WORDS` words or more (otherwise a short text's rows
    are empty): a short text is a copy when a passage holds half its words, which a view of its
    content words finds; a view of whole-text shingles would pair the few shingles of every
    short text with every text that holds one of them."""

    value_bits: Literal[16, 32] = 32
    """Bits kept of each MinHash value: 32, datasketch's own values; 16, their low half
    (:func:`~dupefind.fingerprint.narrowed`), which halves the signatures' memory in a view
    whose signatures never leave dupefind. Two windows then agree on a value by chance once in
    65,536 draws instead of never: a band of three values collides by chance once in 2.8e14,
    and an estimated Jaccard moves by about 1.5e-5."""

    extra_bands: int = 0
    """LSH bands after datasketch's banding, each of as many values taken across its bands
    (:func:`~dupefind.candidates.buckets._band_key`: no two values of one extra band lie in
    one band of datasketch's, so an extra band collides on agreements the others do not ask
    together): more chances for two rows whose values agree often enough, from the same
    signatures (no more hashing, no more memory), for more keys to bucket."""

    @property
    def dtype(self) -> type[np.unsignedinteger[Any]]:
        """The type of this view's signature values."""
        return np.uint16 if self.value_bits == 16 else np.uint32

    @property
    def stride(self) -> int:
        """Tokens between the starts of two windows (half a window)."""
        return max(1, self.window // 2)


#: Content words per window of the ``content`` view (about 100 words of English prose: a
#: paragraph; a short text of up to this many content words is one window).
CONTENT_WINDOW = 50
#: Shingle length of the ``content`` view: single content words' stems. (Pairs of neighbouring
#: content words in windows of 150 found 0.21-0.34 of PAN13's obfuscated excerpts as a scan,
#: sets of words in windows of 50 0.80-0.83, sets of their stems 0.87-0.91 for 15 % more
#: candidates on the Markov corpus; measured in benchmarks/RESULTS.md.)
CONTENT_NGRAM = 1
#: Permutations of the ``content`` view's signatures (one per window). 192 rather than 128:
#: more bands of 3 rows (64 rather than 42) let a reworded passage's windows collide more often
#: (at Jaccard 0.25, in 63 % of window pairs rather than 49 %), and a colliding pair's
#: containment is estimated on more values, so chance pairs are turned down more surely. On
#: PAN13 as a scan the candidate stage proposed 2,941 of the 3,024 listed pairs ``compare``
#: reports rather than 2,857, with 10 % more candidates on the Markov corpus and 1 % more on
#: the news corpus; 256 would propose little more (2,945) for a third more memory (measured in
#: benchmarks/RESULTS.md, twenty-sixth round).
CONTENT_PERM = 192
#: Jaccard level the ``content`` view's bands are tuned for: 64 bands of 3 rows. Two windows of
#: unrelated text share a few common words (Jaccard ~0.01-0.05); bands of 2 rows let such pairs
#: collide by the billion on 100k documents (8.9 billion row pairs measured), 3 rows by the ten
#: million, while windows of a reworded copy (Jaccard 0.3-0.6) still collide in some band.
CONTENT_LSH = 0.3
#: Estimated containment a colliding pair of ``content`` windows must show (of the smaller
#: window's stems in the larger, repeats counted). Over words, 0.35 rather than 0.4 proposed
#: 0.87 of PAN13's obfuscated passages instead of 0.83 and the short summaries' sources 59
#: times in 100 instead of 41, for 17 % more candidates on the generated news corpus. Stems
#: merge words, which raises every pair of windows' containment, a copy's and chance's alike:
#: over stems 0.375 proposes more of the pairs ``compare`` reports on PAN13 than words at 0.35
#: (2,851 of 3,024 against 2,815) for fewer candidates on the Markov corpus (10,888 against
#: 11,738), where 0.35 would propose 2,873 for 16,037 (measured in benchmarks/RESULTS.md).
#: With 192 permutations (:data:`CONTENT_PERM`) the estimate is less noisy, and 0.35 is back:
#: 2,941 proposed for 12,009 Markov candidates, where 0.375 proposes 2,902 for 8,720.
CONTENT_CONTAINMENT = 0.35
#: Bands of the ``content`` view after its 64 (:attr:`View.extra_bands`): a short reworded
#: passage inside a long document shares one or two windows with its source, at Jaccard
#: 0.2-0.35, which a band of 3 rows meets by chance (at 0.25, in 63 % of window pairs with 64
#: bands, 86 % with 128). On PAN13 as a scan, 32 more bands propose 15 more of the 03 pairs,
#: 12 more of 04 and 3 more of the 05 cases (64: 23, 18 and 9) for a candidate stage 1.25-1.4
#: times as long on the Markov corpus (64: 1.75-2.1 times) and 11 % more candidates there, every
#: chance collision still weighed on the whole signatures; fewer permutations with more extra
#: bands let more chance pairs through (160 with 52: 44 % more Markov candidates; measured in
#: benchmarks/RESULTS.md, thirty-second round).
CONTENT_EXTRA_BANDS = 32
#: Documents that may hold one band key of the ``content`` view: a key held by more documents
#: than this is common phrasing (a common collocation, or a quote that runs everywhere), whose
#: pairs grow with the square of the collection (measured in benchmarks/RESULTS.md). A copy
#: collides in other bands too.
CONTENT_MAX_BUCKET = 64

#: Bits kept of each value of the ``content`` view's signatures: its ~17 windows a news-length
#: document are most of a scan's memory (at 32 bits, 8.7 GB for a million documents), and its
#: values are only compared with each other, never given to datasketch.
CONTENT_VALUE_BITS: Literal[16, 32] = 16


def candidate_views(*, scheme: Scheme, ngram: int, num_perm: int, lsh_threshold: float,
                    threshold: float) -> tuple[View, ...]:
    """The views a scan uses: the configured scheme over whole texts, then the ``content``
    windows. ``threshold`` is the verdict's containment threshold (candidates need half)."""
    first = View(scheme, scheme, ngram, 0, num_perm, lsh_threshold, threshold / 2)
    content = View("content", "content", CONTENT_NGRAM, CONTENT_WINDOW, CONTENT_PERM, CONTENT_LSH, CONTENT_CONTAINMENT,
                   max_bucket=CONTENT_MAX_BUCKET, without_boilerplate=True, short_texts=True,
                   value_bits=CONTENT_VALUE_BITS, extra_bands=CONTENT_EXTRA_BANDS)
    return (first, content)
