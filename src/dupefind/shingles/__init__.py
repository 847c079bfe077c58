"""Token streams to hashed shingle ids (sorted, unique ``uint32`` numpy arrays).

- :mod:`.windows`: the whole stage, as it was in ``shingles.py`` (cut into modules next).
"""

from __future__ import annotations

from ..text import word_hashes as word_hashes  # (the tests import it from here, where it was)
from .windows import (
    MIN_STOPWORD_SHARE,
    STOPWORDS,
    ShingleIds,
    hashed_shingle_ids,
    sampled_shingles,
    shingle_ids,
    shingle_sets,
    window_pieces,
    window_sets,
)

__all__ = [
    "MIN_STOPWORD_SHARE",
    "STOPWORDS",
    "ShingleIds",
    "hashed_shingle_ids",
    "sampled_shingles",
    "shingle_ids",
    "shingle_sets",
    "window_pieces",
    "window_sets",
]
