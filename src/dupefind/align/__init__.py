"""Two texts to the passages they share, with character offsets in both (rapidfuzz lives here).

- :mod:`.passages`: the passes in order, and the best passage of each clash kept;
- :mod:`.words`: seeds, chains and the word alignment of each chain (the passages);
- :mod:`.joining`: passages joined (by a sentence fragment, or touching), each word counted once;
- :mod:`.sentences`: stretches of reworded sentences (shared content words, few identical phrases);
- :mod:`.terms`: a text's words as codes, its sentences and their content-word stems;
- :mod:`.vectors`: a pair's sentences as tf-isf vectors, and their similar pairs;
- :mod:`.summary`: per pair, whether A summarises B, and then the summary as one passage;
- :mod:`.compiled`, :mod:`.sentence_kernels`, :mod:`.sentence_seeds`: the hot loops of both, compiled with numba.
"""

from __future__ import annotations

from .passages import Side, align, align_sides, side
from .summary import LOOSE_COSINE, summarised, told_summaries
from .terms import content_terms
from .vectors import SentencePair, paired

__all__ = ["LOOSE_COSINE", "SentencePair", "Side", "align", "align_sides", "content_terms", "paired", "side", "summarised",
           "told_summaries"]
