"""A view's signatures of some texts, and the checksum that tells a text read again is the same.

:func:`view_sketches` is what the first pass (:mod:`dupefind.catalog`) makes of a batch of
texts in each view, and what :mod:`dupefind.resketch` makes again of a text without its
boilerplate.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from .candidates import Sketches
from .fingerprint import narrowed, pieced_signatures, set_signatures
from .shingles import ShingleIds, sampled_shingles, shingle_ids, shingle_sets, window_pieces
from .text import HashedWords, tokenize
from .verify import least_words_paired
from .views import View


def checksum(text: str) -> int:
    """A checksum of a text as first read, to tell a file changed by the time it is read again."""
    return zlib.crc32(text.encode("utf-8", "surrogatepass"))


def view_sketches(texts: Sequence[str], words: HashedWords, lengths: npt.NDArray[np.intp], *, view: View,
                  seed: int, min_words: int) -> Sketches:
    """The signatures of the texts (their ``words``) in one view; a text too short for the view
    (:func:`unsketched`, by its ``lengths``: its words, boilerplate included) gets one empty row.
    The values are the view's :attr:`~dupefind.views.View.dtype`."""
    short = unsketched(lengths, view=view, min_words=min_words)
    if view.sample:  # one row per kept shingle: the shingle its own one-value "signature", its place its size
        ids, places, owners = sampled_shingles(words, family=view.family, ngram=view.ngram, sample=view.sample)
        kept = ~short[owners]
        return Sketches(owners[kept], ids[kept].reshape(-1, 1), places[kept])
    if view.family == "chars":  # character n-grams need the words as strings
        ids, starts = _char_shingles(texts, ngram=view.ngram)
        owners = np.arange(len(texts), dtype=np.intp)
    elif view.window == 0 and view.family != "content":
        ids, starts = shingle_sets(words, scheme=view.family, ngram=view.ngram)
        owners = np.arange(len(texts), dtype=np.intp)
    else:
        return _window_sketches(words, short, view=view, seed=seed)
    lengths = np.diff(starts, append=len(ids))
    sizes = np.where(short[owners], 0, lengths) if len(owners) else lengths
    keep = np.repeat(sizes > 0, lengths)
    signatures = set_signatures(ids[keep], np.cumsum(sizes) - sizes, num_perm=view.num_perm, seed=seed)
    return Sketches(owners, narrowed(signatures, view.dtype), sizes.astype(np.uint32))


def unsketched(lengths: npt.NDArray[np.intp], *, view: View, min_words: int) -> npt.NDArray[np.bool_]:
    """Which texts of ``lengths`` words get no signature in ``view``: the short ones (fewer than
    ``min_words`` words), but in a view that sketches short texts only those
    :func:`~dupefind.verify.least_words_paired` leaves out (too short to hold a passage that
    could make a copy of them; an identical copy is paired through its group, not its
    signatures)."""
    least = least_words_paired(min_words) if view.short_texts else min_words
    return np.asarray(lengths) < least


def _window_sketches(words: HashedWords, short: npt.NDArray[np.bool_], *, view: View, seed: int) -> Sketches:
    """One row per window (:func:`~dupefind.shingles.window_sets`), each shingle hashed once
    (:func:`~dupefind.shingles.window_pieces`); a short text's rows empty."""
    ids, piece_starts, firsts, ends, owners = window_pieces(words, family=view.family, ngram=view.ngram,
                                                             window=view.window, stride=view.stride)
    emptied = short[owners]
    signatures = pieced_signatures(ids, piece_starts, firsts, ends, num_perm=view.num_perm, seed=seed,
                                   dtype=view.dtype, emptied=emptied)
    bounds = np.append(piece_starts, len(ids))
    sizes = np.where(emptied, 0, bounds[ends] - bounds[firsts])
    return Sketches(owners, signatures, sizes.astype(np.uint32))


def _char_shingles(texts: Sequence[str], *, ngram: int) -> tuple[ShingleIds, npt.NDArray[np.intp]]:
    sets = [shingle_ids(tokenize(text).words, scheme="chars", ngram=ngram) for text in texts]
    sizes = np.array([len(ids) for ids in sets], dtype=np.intp)
    return np.concatenate(sets + [np.empty(0, dtype=np.uint32)]), np.cumsum(sizes) - sizes
