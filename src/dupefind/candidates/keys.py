"""Signature rows to LSH band keys: the banding datasketch picks for a view, the rows that
have keys (not an empty set's), and each row's key in each band (stage 1 of the candidates)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt

from ..arrays import in_sorted
from ..fingerprint import empty_value
from ..jit import kernel
from ..views import View
from .buckets import row_band_keys
from .sketches import BandKeys, SignatureRows, Sketches

#: The weights of false positives and false negatives for datasketch's choice of bands.
WEIGHTS = (0.2, 0.8)


#: datasketch's choice of bands for the views of the default configuration, by Jaccard
#: threshold and permutations (tested equal to what datasketch chooses): importing datasketch
#: to choose loads SciPy, ~0.4 s of every scan's main process before its candidates.
KNOWN_BANDINGS: dict[tuple[float, int], tuple[int, int]] = {(0.1, 128): (27, 1), (0.3, 128): (42, 3), (0.3, 192): (64, 3)}


@lru_cache(maxsize=16)
def banding(*, threshold: float, num_perm: int) -> tuple[int, int]:
    """The number of bands and rows per band for a Jaccard ``threshold`` (datasketch's choice:
    :data:`KNOWN_BANDINGS`, else asked of datasketch and remembered; it integrates the two
    error curves for it, ~15 ms a call)."""
    known = KNOWN_BANDINGS.get((threshold, num_perm))
    if known is not None:
        return known
    # Imported when used: datasketch loads SciPy (~0.4 s, 56 MB), which workers never need.
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm, weights=WEIGHTS)
    return int(lsh.b), int(lsh.r)


def view_banding(view: View) -> tuple[int, int]:
    """The bands and rows per band of a view (one band of one row for a sampled view): datasketch's
    banding for its threshold, and its :attr:`~dupefind.views.View.extra_bands` after them."""
    if view.sample:
        return (1, 1)
    count, rows = banding(threshold=view.lsh_threshold, num_perm=view.num_perm)
    if view.extra_bands:
        # The extra bands are taken across whole blocks of ``rows + 1`` bands that fill the row
        # (``_band_key``): datasketch's bands must be all of them.
        filling = view.num_perm // rows
        if count != filling or not 0 < view.extra_bands <= filling // (rows + 1) * (rows + 1):
            raise ValueError(f"view {view.name!r}: {view.extra_bands} extra bands of {rows} values do not fit "
                             f"{view.num_perm} permutations beside its {count} bands")
        count += view.extra_bands
    return count, rows


def key_codes(views: npt.NDArray[np.uint8], bands: npt.NDArray[np.uint16],
              keys: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    """One 64-bit code per key of a band of a view (equal codes, the same key: the buckets rest
    on the same assumption, that distinct keys do not share a mixed 64-bit value)."""
    with np.errstate(over="ignore"):
        codes: npt.NDArray[np.uint64] = keys ^ (bands.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)) ^ (
            views.astype(np.uint64) << np.uint64(56))
    return codes


def kept_band_keys(sketches: Sequence[Sketches], *, views: Sequence[View], bands: tuple[int, int],
                   rows: Sequence[npt.NDArray[np.intp]], involving: npt.NDArray[np.bool_] | None,
                   crowded: npt.NDArray[np.uint64] | None) -> BandKeys:
    """The :func:`band_keys` some document flagged in ``involving`` holds (with every holder of
    each; all keys when the flagged hold more than an eighth of them), but the ``crowded`` ones
    (sorted :func:`key_codes`), in :func:`band_keys`' order. Each key is dropped before it is
    spread into the five columns of :class:`BandKeys`: a check's new document keeps a few
    thousand of the millions of keys its partners' rows make."""
    made: list[tuple[int, npt.NDArray[np.intp], npt.NDArray[np.uint16], npt.NDArray[np.uint64]]] = []
    for number, (view, sketch, chosen) in enumerate(zip(views, sketches, rows, strict=True)):
        count, width = view_banding(view)
        start, stop = min(bands[0], count), min(bands[1], count)
        if len(chosen) == 0 or start >= stop:
            continue
        keys = row_band_keys(sketch.signatures, chosen, start, stop, width)
        made.append((number, chosen, np.arange(start, stop, dtype=np.uint16), keys))
    codes = [key_codes(np.full(1, number, dtype=np.uint8), band_numbers[None, :], keys).reshape(-1)
             for number, _, band_numbers, keys in made]
    total = sum(len(c) for c in codes)
    table = None
    if involving is not None:
        flagged = [c.reshape(len(chosen), -1)[involving[sketches[number].owners[chosen]]].reshape(-1)
                   for c, (number, chosen, _, _) in zip(codes, made)]
        if sum(len(f) for f in flagged) <= total // 8:  # few: looked up (many: the buckets sort them out)
            table = np.unique(np.concatenate(flagged)) if flagged else np.empty(0, dtype=np.uint64)
    parts: list[list[npt.NDArray[Any] | None]] = []
    for c, (number, chosen, band_numbers, keys) in zip(codes, made):
        keep = in_sorted(c, table) if table is not None else np.ones(len(c), dtype=bool)
        if crowded is not None:
            keep &= ~in_sorted(c, crowded)
        at = np.flatnonzero(keep)
        row, band = np.divmod(at, len(band_numbers))
        parts.append([np.full(len(at), number, dtype=np.uint8), chosen[row], sketches[number].owners[chosen[row]],
                      band_numbers[band], keys.reshape(-1)[at]])
    if not parts:
        return BandKeys(np.empty(0, np.uint8), np.empty(0, np.intp), np.empty(0, np.intp),
                        np.empty(0, np.uint16), np.empty(0, np.uint64))
    return BandKeys(*(_joined(parts, k) for k in range(5)))


def keyed_rows(sketches: Sequence[Sketches], *,
               usable: npt.NDArray[np.bool_] | None = None) -> list[npt.NDArray[np.intp]]:
    """For each view, the signature rows that have band keys: those of a set that is not empty,
    of documents ``usable`` (all if not given)."""
    chosen = []
    for sketch in sketches:
        keep = (_not_empty(sketch.signatures, sketch.signatures.dtype.type(empty_value(sketch.signatures.dtype)))
                if len(sketch) else np.zeros(0, dtype=bool))
        if usable is not None:
            keep &= usable[sketch.owners]
        chosen.append(np.flatnonzero(keep))
    return chosen


@kernel(nogil=True)
def _not_empty(signatures: SignatureRows, empty: np.unsignedinteger[Any]) -> npt.NDArray[np.bool_]:  # pragma: no cover - compiled
    """Which rows are not the signature of an empty set (``(signatures != empty).any(axis=1)``
    without a temporary as large as the signatures)."""
    found = np.zeros(len(signatures), dtype=np.bool_)
    for k in range(len(signatures)):
        for value in signatures[k]:
            if value != empty:
                found[k] = True
                break
    return found


def band_keys(sketches: Sequence[Sketches], *, views: Sequence[View],
              usable: npt.NDArray[np.bool_] | None = None, bands: tuple[int, int] | None = None,
              rows: Sequence[npt.NDArray[np.intp]] | None = None) -> BandKeys:
    """The LSH band keys of every signature row of every view (rows of an empty set, and of
    documents not ``usable``, have none); only the bands ``start <= band < stop`` of each view
    when ``bands`` is given. The banding of a view is datasketch's choice for its
    ``lsh_threshold`` and ``num_perm``; a row's keys depend on its signature alone. ``rows``:
    :func:`keyed_rows` of the same sketches and ``usable``, when already known."""
    parts: list[list[npt.NDArray[Any] | None]] = []
    keyed = keyed_rows(sketches, usable=usable) if rows is None else rows
    for number, (view, sketch, chosen) in enumerate(zip(views, sketches, keyed, strict=True)):
        count, width = view_banding(view)
        start, stop = (0, count) if bands is None else (min(bands[0], count), min(bands[1], count))
        chosen_bands = np.arange(start, stop, dtype=np.uint16)
        if len(chosen) == 0 or len(chosen_bands) == 0:
            continue
        keys = row_band_keys(sketch.signatures, chosen, start, stop, width)
        parts.append([np.full(keys.size, number, dtype=np.uint8), np.repeat(chosen, len(chosen_bands)),
                      np.repeat(sketch.owners[chosen], len(chosen_bands)),
                      np.tile(chosen_bands, len(chosen)), keys.reshape(-1)])
    if not parts:
        return BandKeys(np.empty(0, np.uint8), np.empty(0, np.intp), np.empty(0, np.intp),
                        np.empty(0, np.uint16), np.empty(0, np.uint64))
    return BandKeys(*(_joined(parts, k) for k in range(5)))


def _joined(parts: list[list[npt.NDArray[Any] | None]], column: int) -> npt.NDArray[Any]:
    """Column ``column`` of the parts, one after the other; the parts' own arrays of that column
    are let go as it is made (the keys of a band of a million documents' windows: ~0.5 GB, which
    would otherwise be held twice)."""
    arrays = [part[column] for part in parts]
    for part in parts:
        part[column] = None
    found = [a for a in arrays if a is not None]
    del arrays
    return found[0] if len(found) == 1 else np.concatenate(found)
