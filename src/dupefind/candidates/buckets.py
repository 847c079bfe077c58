"""The compiled passes that make LSH buckets: the buckets of a batch of band keys and the rows
that take part in each (:func:`bucket_rows`, or :func:`signature_buckets` straight from the
signatures), plus the band keys of signature rows (:func:`row_band_keys`). The keys, spread into
parts by their top bits, are made buckets by :mod:`.parts`; every pair of rows of a bucket is
weighed as it is met (:func:`weighed_buckets`) or listed (:func:`bucket_pairs`) by :mod:`.pairing`."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from ..jit import kernel, prefetch_value
from ..text import _mix64
from ..views import View
from .pairing import bucket_pairs, weighed_buckets
from .parts import Buckets, _buckets_of_parts
from .sketches import BandKeys, SignatureRows, Sketches


def bucket_rows(keys: BandKeys, view: int, rules: View) -> Buckets:
    """The buckets of view number ``view``: the rows of two or more documents sharing a key in
    one band (keys are mixed with their band number, one key space for all bands), each
    document by its two lowest rows of the key (two neighbouring windows, which overlap, often
    share a key; more is a long text repeating itself, whose windows would otherwise pair with
    each other by the million), and no bucket of more than the view's ``max_bucket`` documents
    (a key held by more is common phrasing, no one's copy). The keys are spread by their top
    bits (mixed, so evenly) into parts, and each part by its next bits into slots of a few keys,
    each sorted on its own: no sort of every key (tested against the rule written plainly)."""
    documents = int(keys.documents.max()) + 1 if len(keys.documents) else 0
    return _bucket_rows(keys.views, keys.keys, keys.bands, keys.documents, keys.rows, np.uint8(view),
                        np.intp(rules.max_bucket or len(keys.keys)), documents)


def signature_buckets(sketch: Sketches, chosen: npt.NDArray[np.intp], bands: tuple[int, int], rows_per_band: int,
                      rules: View) -> Buckets:
    """:func:`bucket_rows` of the keys :func:`row_band_keys` gives the ``chosen`` rows of one
    view's ``sketch`` in bands ``start <= band < stop``, made straight from the signatures: the
    keys are never held as :class:`BandKeys` (27 bytes a key, beside the bucketing's own 24;
    a band of a million documents' content windows has ~18 million keys). The same buckets, in
    the same order (tested)."""
    documents = int(sketch.owners.max()) + 1 if len(sketch) else 0
    most = np.intp(rules.max_bucket or len(chosen) * max(0, bands[1] - bands[0]))
    return _signature_buckets(sketch.signatures, sketch.owners, chosen, bands[0], bands[1], rows_per_band, most,
                              documents)


@kernel(nogil=True)
def _bucket_rows(views: npt.NDArray[np.uint8], keys: npt.NDArray[np.uint64], bands: npt.NDArray[np.uint16],
                 documents: npt.NDArray[np.intp], rows: npt.NDArray[np.intp], view: np.uint8, most: np.intp,
                 document_count: int) -> Buckets:  # pragma: no cover - compiled
    """:func:`bucket_rows`: the view's keys, mixed with their band, spread by their top bits
    into parts (in order, so equal keys keep their order), then :func:`_buckets_of_parts`."""
    count = 0
    for k in range(len(views)):
        if views[k] == view:
            count += 1
    top = _top_bits(count)
    shift = np.uint64(64 - top)
    firsts = np.zeros((1 << top) + 1, dtype=np.intp)
    for k in range(len(views)):
        if views[k] == view:
            firsts[(_banded(keys[k], bands[k]) >> shift) + np.uint64(1)] += 1
    filled, part_keys, part_documents, part_rows = _parts(firsts, count)
    for k in range(len(views)):  # each key carries its document and row: no lookups later
        if views[k] == view:
            key = _banded(keys[k], bands[k])  # (mixed again: cheaper than holding 8 bytes a key)
            into = key >> shift
            part_keys[filled[into]] = key
            part_documents[filled[into]] = documents[k]
            part_rows[filled[into]] = rows[k]
            filled[into] += 1
    return _buckets_of_parts(part_keys, part_documents, part_rows, firsts, top, most, document_count)


@kernel(nogil=True)
def _signature_buckets(signatures: SignatureRows, owners: npt.NDArray[np.intp], chosen: npt.NDArray[np.intp],
                       start: int, stop: int, rows_per_band: int, most: np.intp,
                       document_count: int) -> Buckets:  # pragma: no cover - compiled
    """:func:`signature_buckets`: each chosen row's keys of bands ``start``-``stop`` made in the
    order :func:`band_keys` lists them (row by row, band by band) and counted into parts
    (:func:`_made_keys`), then spread into their parts with their row and document
    (:func:`_spread_keys`), then :func:`_buckets_of_parts`. (Three kernels, not one: the same
    loops written in one ran a third slower, measured in benchmarks/RESULTS.md.)"""
    made, firsts, top = _made_keys(signatures, chosen, start, stop, rows_per_band)
    part_keys, part_documents, part_rows = _spread_keys(made, firsts, top, owners, chosen, max(0, stop - start))
    made = np.empty(0, dtype=np.uint64)  # let the keys in their first order go
    return _buckets_of_parts(part_keys, part_documents, part_rows, firsts, top, most, document_count)


@kernel(nogil=True)
def _made_keys(signatures: SignatureRows, chosen: npt.NDArray[np.intp], start: int, stop: int,
               rows_per_band: int) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.intp], int]:  # pragma: no cover - compiled
    """The band keys of the ``chosen`` rows, row by row and band by band, each part's count of
    them (from index 1) and the top bits that choose a key's part. Each row's bands are asked
    for :data:`_AHEAD` rows before they are reached (a few bytes of each row of a large array:
    without, two thirds of the time went waiting on memory, measured in benchmarks/RESULTS.md)."""
    bands = max(0, stop - start)
    count = len(chosen) * bands
    top = _top_bits(count)
    shift = np.uint64(64 - top)
    firsts = np.zeros((1 << top) + 1, dtype=np.intp)
    made = np.empty(count, dtype=np.uint64)
    for c in range(len(chosen)):
        if c + _AHEAD < len(chosen) and bands:
            prefetch_value(signatures, chosen[c + _AHEAD], start * rows_per_band)
        signature = signatures[chosen[c]]
        for band in range(start, stop):
            key = _banded(_band_key(signature, band, rows_per_band), np.uint16(band))
            made[c * bands + band - start] = key
            firsts[(key >> shift) + np.uint64(1)] += 1
    return made, firsts, top


@kernel(nogil=True)
def _spread_keys(made: npt.NDArray[np.uint64], firsts: npt.NDArray[np.intp], top: int, owners: npt.NDArray[np.intp],
                 chosen: npt.NDArray[np.intp], bands: int) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.intp],
                                                                     npt.NDArray[np.intp]]:  # pragma: no cover - compiled
    """The ``made`` keys spread into their parts (``firsts``, made where each part starts), in
    order, each with its document and row."""
    shift = np.uint64(64 - top)
    filled, part_keys, part_documents, part_rows = _parts(firsts, len(made))
    for k in range(len(made)):
        key = made[k]
        into = key >> shift
        row = chosen[k // bands]
        part_keys[filled[into]] = key
        part_documents[filled[into]] = owners[row]
        part_rows[filled[into]] = row
        filled[into] += 1
    return part_keys, part_documents, part_rows


@kernel(nogil=True, inline="always")
def _parts(firsts: npt.NDArray[np.intp], count: int) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.uint64],
                                                              npt.NDArray[np.intp], npt.NDArray[np.intp]]:  # pragma: no cover - compiled
    """``firsts`` (each part's count of keys, from index 1) made where each part starts, in
    place; and where each part's next key goes, and room for ``count`` keys with their
    documents and rows."""
    for part in range(len(firsts) - 1):
        firsts[part + 1] += firsts[part]
    return (firsts[:-1].copy(), np.empty(count, dtype=np.uint64), np.empty(count, dtype=np.intp),
            np.empty(count, dtype=np.intp))


@kernel(nogil=True, inline="always")
def _top_bits(count: int) -> int:  # pragma: no cover - compiled
    """Top bits of a key that spread ``count`` keys into parts of about a thousand (at most
    :data:`_TOP_BITS`)."""
    top = 1
    while top < _TOP_BITS and (1 << (top + 10)) < count:
        top += 1
    return top


#: Rows :func:`_made_keys` asks for before it reaches them.
_AHEAD = 16

#: Top bits of a key that spread the keys of a batch into parts, each then spread by its next
#: bits into slots of about four keys and sorted slot by slot (a part fits a core's cache).
_TOP_BITS = 10


@kernel(nogil=True, inline="always")
def _banded(key: np.uint64, band: np.uint16) -> np.uint64:  # pragma: no cover - compiled
    """A band key in the one key space of all bands: the band number mixed in."""
    return _mix64(key ^ (np.uint64(band) * np.uint64(0x9E3779B97F4A7C15)))


@kernel(nogil=True)
def row_band_keys(signatures: SignatureRows, chosen: npt.NDArray[np.intp], start: int, stop: int,
                   rows: int) -> npt.NDArray[np.uint64]:  # pragma: no cover - compiled
    """The key of each band ``start <= band < stop`` of each ``chosen`` signature row (one
    row of keys per chosen row, one column per band): a band's values combined, each
    multiplied in and mixed with splitmix64's finaliser (a one-row band's key is its value)."""
    keys = np.empty((len(chosen), stop - start), dtype=np.uint64)
    for k in range(len(chosen)):
        signature = signatures[chosen[k]]
        for band in range(start, stop):
            keys[k, band - start] = _band_key(signature, band, rows)
    return keys


@kernel(nogil=True, inline="always")
def _band_key(signature: SignatureRows, band: int, rows: int) -> np.uint64:  # pragma: no cover - compiled
    """The key of band ``band`` (of ``rows`` values) of one signature row: of values
    ``band * rows`` on, one after the other, while the row holds them (``per`` such bands).
    Past them (a view's :attr:`~dupefind.views.View.extra_bands`), the bands are taken across
    blocks of ``rows + 1`` of those: extra band ``k`` of a block (``k <= rows``) holds the
    block's values ``k, k + rows + 1, k + 2 (rows + 1), ...``, each in a different band of the
    block, no value in two extra bands; a block's bands and its extra bands lie in the same
    few bytes of a row."""
    per = len(signature) // rows
    if band < per:
        first, step = band * rows, 1
    else:
        block, turn = divmod(band - per, rows + 1)
        first, step = block * rows * (rows + 1) + turn, rows + 1
    key = np.uint64(signature[first])
    for column in range(1, rows):
        key = _mix64(key * np.uint64(0x100000001B3) + np.uint64(signature[first + column * step]))
    return key


__all__ = ["Buckets", "bucket_pairs", "bucket_rows", "row_band_keys", "signature_buckets", "weighed_buckets"]
