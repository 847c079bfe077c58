"""Token streams to hashed shingle ids (sorted, unique ``uint32`` numpy arrays).

- :mod:`.whole`: one set per text, in a scheme (``stopwords``, ``words``, ``chars``);
- :mod:`.windows`: one set per window of a long text, or the pieces the windows are cut into;
- :mod:`.sampled`: a text's shingles whose id is a multiple of the sample, with their places;
- :mod:`.common`: the id arrays' type, and the function words with the table the compiled
  kernels (numba) of all three look them up in.
"""

from __future__ import annotations

from ..text import word_hashes as word_hashes  # (the tests import it from here, where it was)
from .common import STOPWORD_KEYS, STOPWORDS, ShingleIds
from .sampled import sampled_shingles
from .whole import MIN_STOPWORD_SHARE, hashed_shingle_ids, shingle_ids, shingle_sets
from .windows import window_pieces, window_sets

__all__ = [
    "MIN_STOPWORD_SHARE",
    "STOPWORDS",
    "STOPWORD_KEYS",
    "ShingleIds",
    "hashed_shingle_ids",
    "sampled_shingles",
    "shingle_ids",
    "shingle_sets",
    "window_pieces",
    "window_sets",
]
