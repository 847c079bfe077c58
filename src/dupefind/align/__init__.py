"""Two texts to the passages they share, with character offsets in both (rapidfuzz lives here).

- :mod:`.passages`: seeds, chains and the word alignment of each chain (the passages);
- :mod:`.sentences`: stretches of reworded sentences (shared content words, few identical phrases);
- :mod:`.summary`: per pair, whether A summarises B, and then the summary as one passage;
- :mod:`.compiled`: the hot loops of both, compiled with numba.
"""

from __future__ import annotations

from .passages import Side, align, align_sides, side
from .sentences import SentencePair, content_terms, paired
from .summary import LOOSE_COSINE, summarised

__all__ = ["LOOSE_COSINE", "SentencePair", "Side", "align", "align_sides", "content_terms", "paired", "side", "summarised"]
