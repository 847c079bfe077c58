"""Rows without boilerplate: which documents hold a long common segment, and their rows sketched
on the words left once the boilerplate is set aside (beside their rows on all their words,
held)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from ..arrays import in_sorted
from ..boilerplate import Commons, Keys, is_long, without_boilerplate
from ..candidates import Sketches, held_flags
from ..sketching import view_sketches
from ..text import HashedWords, hash_texts
from ..views import View
from .merge import with_held_rows


def needed(views: Sequence[View], commons: Commons) -> bool:
    """Whether any document may need sketching again: a view sets boilerplate aside and some
    segment is common."""
    return any(view.without_boilerplate for view in views) and len(commons.keys) > 0


def holding(segment_keys: Keys, segment_counts: npt.NDArray[np.intp], commons: Commons) -> npt.NDArray[np.bool_]:
    """Which documents hold a long common segment, the boilerplate a view without it leaves out
    (``segment_keys``: each document's, one after the other, ``segment_counts`` of them each)."""
    owners = np.repeat(np.arange(len(segment_counts), dtype=np.intp), segment_counts)
    held = np.zeros(len(segment_counts), dtype=bool)
    held[owners[in_sorted(segment_keys, commons.keys) & is_long(segment_keys)]] = True
    return held


def clean_sketches(texts: Sequence[str], *, views: Sequence[View], seed: int, min_words: int,
                   commons: Commons) -> tuple[Sketches, ...]:
    """The rows of ``texts`` (documents ``0 .. n - 1``) in each view that sets boilerplate
    aside (no rows for the other views): sketched on the words :func:`~dupefind.boilerplate.
    without_boilerplate` leaves; and for a text that loses words to it, its rows on all its
    words too, after those, :attr:`~dupefind.candidates.Sketches.held` (as
    :func:`with_held_rows` makes them of a scan's first rows). A held row pairs with any row but
    another held row: a quote two documents hold makes no candidate of them, but a source whose
    sentences many answers copy (common, so left out of its rows) still collides with an answer
    that rewords them. A text is short by all its words, as in the first pass."""
    lengths, clean, lost = _cleaned(hash_texts(texts), commons=commons)
    losing = [texts[k] for k in lost.tolist()]
    whole = hash_texts(losing)  # (hashed again: few texts)
    found = []
    for view in views:
        if not view.without_boilerplate:
            found.append(Sketches.empty(view.num_perm, view.dtype))
            continue
        rows = view_sketches(texts, clean, lengths, view=view, seed=seed, min_words=min_words)
        if not len(lost):
            found.append(rows)
            continue
        first = view_sketches(losing, whole, lengths[lost], view=view, seed=seed, min_words=min_words)
        held = with_held_rows(Sketches(lost[first.owners], first.signatures, first.sizes), lost, _rows_of(rows, lost))
        others = np.flatnonzero(~in_sorted(rows.owners, lost))
        owners = np.concatenate([rows.owners[others], held.owners])
        order = np.argsort(owners, kind="stable")  # (two sets of documents: their rows keep their order)
        found.append(Sketches(owners[order], np.concatenate([rows.signatures[others], held.signatures])[order],
                              np.concatenate([rows.sizes[others], held.sizes])[order],
                              held_flags(np.concatenate([np.zeros(len(others), dtype=bool), held.flags()])[order])))
    return tuple(found)


def losing_rows(texts: Sequence[str], *, views: Sequence[View], seed: int, min_words: int,
                commons: Commons) -> tuple[npt.NDArray[np.intp], tuple[Sketches, ...]]:
    """The texts that lose words to boilerplate (their positions, ascending) and their rows
    without it in each view that sets it aside (owners: positions among those texts): what
    :func:`clean_sketches` gives them beside their rows on all their words, which a scan
    already holds from its first pass (:func:`with_held_rows`)."""
    return losing_rows_of(hash_texts(texts), views=views, seed=seed, min_words=min_words, commons=commons)


def losing_rows_of(words: HashedWords, *, views: Sequence[View], seed: int, min_words: int,
                   commons: Commons) -> tuple[npt.NDArray[np.intp], tuple[Sketches, ...]]:
    """:func:`losing_rows` of texts already hashed (``words``: :func:`~dupefind.text.hash_texts`
    of them)."""
    lengths, clean, lost = _cleaned(words, commons=commons)
    return lost, tuple(_rows_of(view_sketches((), clean, lengths, view=view, seed=seed, min_words=min_words), lost)
                       if view.without_boilerplate and len(lost) else Sketches.empty(view.num_perm, view.dtype)
                       for view in views)


def _cleaned(words: HashedWords, *,
             commons: Commons) -> tuple[npt.NDArray[np.intp], HashedWords, npt.NDArray[np.intp]]:
    """The texts' lengths (all their words: a text is short by them), their words less
    boilerplate, and the texts that lose words to it (ascending)."""
    lengths = np.diff(words.text_starts, append=len(words))
    clean = without_boilerplate(words, commons)
    return lengths, clean, np.flatnonzero(np.diff(clean.text_starts, append=len(clean)) < lengths)


def _rows_of(rows: Sketches, chosen: npt.NDArray[np.intp]) -> Sketches:
    """The rows of the documents ``chosen`` (ascending), owners numbered by their place there."""
    mine = np.flatnonzero(in_sorted(rows.owners, chosen))
    return Sketches(np.searchsorted(chosen, rows.owners[mine]).astype(np.intp), rows.signatures[mine],
                    rows.sizes[mine])
