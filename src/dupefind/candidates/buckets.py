"""The compiled passes over LSH buckets: the buckets of a batch of band keys and the rows
that take part in each (:func:`bucket_rows`, or :func:`signature_buckets` straight from the
signatures), every pair of rows of a bucket weighed as it is met (:func:`weighed_buckets`) or
listed (:func:`bucket_pairs`), plus the band keys of signature rows (:func:`row_band_keys`)."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from ..jit import kernel
from ..text import _mix64
from ..views import View
from .sketches import BandKeys, SignatureRows, Sketches

Buckets = tuple[npt.NDArray[np.intp], npt.NDArray[np.intp], npt.NDArray[np.intp], npt.NDArray[np.intp]]
"""Rows bucket after bucket, their documents, and where each bucket starts and how many rows it holds."""


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
    order :func:`band_keys` lists them (row by row, band by band) and counted into parts, then
    spread into their parts with their row and document, then :func:`_buckets_of_parts`."""
    bands = max(0, stop - start)
    count = len(chosen) * bands
    top = _top_bits(count)
    shift = np.uint64(64 - top)
    firsts = np.zeros((1 << top) + 1, dtype=np.intp)
    made = np.empty(count, dtype=np.uint64)
    for c in range(len(chosen)):
        signature = signatures[chosen[c]]
        for band in range(start, stop):
            key = _banded(_band_key(signature, band, rows_per_band), np.uint16(band))
            made[c * bands + band - start] = key
            firsts[(key >> shift) + np.uint64(1)] += 1
    filled, part_keys, part_documents, part_rows = _parts(firsts, count)
    for k in range(count):
        key = made[k]
        into = key >> shift
        row = chosen[k // bands]
        part_keys[filled[into]] = key
        part_documents[filled[into]] = owners[row]
        part_rows[filled[into]] = row
        filled[into] += 1
    made = np.empty(0, dtype=np.uint64)  # let the keys in their first order go
    return _buckets_of_parts(part_keys, part_documents, part_rows, firsts, top, most, document_count)


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


@kernel(nogil=True)
def _buckets_of_parts(part_keys: npt.NDArray[np.uint64], part_documents: npt.NDArray[np.intp],
                      part_rows: npt.NDArray[np.intp], firsts: npt.NDArray[np.intp], top: int, most: np.intp,
                      document_count: int) -> Buckets:  # pragma: no cover - compiled
    """The buckets of keys spread into parts by their top ``top`` bits (part ``p``:
    ``firsts[p]:firsts[p + 1]``): each part spread again by its next bits into slots of a few
    keys, each slot sorted by insertion; then each run of equal keys is a bucket when it holds
    two documents or more, but not too many, each by its two lowest rows. ``seen`` says which
    run last met a document (a run of two keys, most of them, needs no lookup)."""
    largest = 0
    for part in range(1 << top):
        largest = max(largest, firsts[part + 1] - firsts[part])
    slot_keys = np.empty(largest, dtype=np.uint64)
    slot_documents = np.empty(largest, dtype=np.intp)
    slot_rows = np.empty(largest, dtype=np.intp)
    slot_firsts = np.zeros((1 << _slot_bits(largest)) + 1, dtype=np.intp)
    seen = np.full(document_count, -1, dtype=np.intp)
    lowest = np.zeros(document_count, dtype=np.intp)
    second = np.zeros(document_count, dtype=np.intp)
    count = len(part_keys)
    out = np.empty(count // 8 + 16, dtype=np.intp)  # grown as needed: most keys pair no one
    out_documents = np.empty(len(out), dtype=np.intp)
    starts = np.empty(len(out) // 2, dtype=np.intp)
    sizes = np.empty(len(out) // 2, dtype=np.intp)
    written = buckets_found = runs = 0
    for part in range(1 << top):
        begin, end = firsts[part], firsts[part + 1]
        size = end - begin
        if size < 2:
            continue
        low = _slot_bits(size)
        low_shift = np.uint64(64 - top - low)
        mask = np.uint64((1 << low) - 1)
        slot_firsts[: (1 << low) + 1] = 0
        for k in range(begin, end):
            slot_firsts[((part_keys[k] >> low_shift) & mask) + np.uint64(1)] += 1
        for slot in range(1 << low):
            slot_firsts[slot + 1] += slot_firsts[slot]
        for k in range(begin, end):
            slot = (part_keys[k] >> low_shift) & mask
            slot_keys[slot_firsts[slot]] = part_keys[k]
            slot_documents[slot_firsts[slot]] = part_documents[k]
            slot_rows[slot_firsts[slot]] = part_rows[k]
            slot_firsts[slot] += 1
        # ``slot_firsts[slot]`` is now where slot ``slot`` ends.
        slot_begin = 0
        for slot in range(1 << low):
            slot_end = slot_firsts[slot]
            for k in range(slot_begin + 1, slot_end):  # by key; equal keys stay in order
                key, document, row = slot_keys[k], slot_documents[k], slot_rows[k]
                j = k - 1
                while j >= slot_begin and slot_keys[j] > key:
                    slot_keys[j + 1], slot_documents[j + 1], slot_rows[j + 1] = slot_keys[j], slot_documents[j], slot_rows[j]
                    j -= 1
                slot_keys[j + 1], slot_documents[j + 1], slot_rows[j + 1] = key, document, row
            start = slot_begin
            while start < slot_end:
                stop = start + 1
                while stop < slot_end and slot_keys[stop] == slot_keys[start]:
                    stop += 1
                if stop - start == 2:  # two rows: a bucket when of two documents
                    if slot_documents[start] != slot_documents[start + 1] and most >= 2:
                        if written + 2 > len(out):
                            out = _grown(out, written + 2)
                            out_documents = _grown(out_documents, len(out))
                        if buckets_found == len(starts):
                            starts = _grown(starts, 2 * len(starts))
                            sizes = _grown(sizes, len(starts))
                        starts[buckets_found] = written
                        sizes[buckets_found] = 2
                        buckets_found += 1
                        for k in range(start, stop):
                            out[written] = slot_rows[k]
                            out_documents[written] = slot_documents[k]
                            written += 1
                elif stop - start > 2:
                    runs += 1
                    holders = 0
                    for k in range(start, stop):
                        document, row = slot_documents[k], slot_rows[k]
                        if seen[document] != runs:
                            seen[document] = runs
                            holders += 1
                            lowest[document] = row
                            second[document] = -1
                        elif row < lowest[document]:
                            second[document] = lowest[document]
                            lowest[document] = row
                        elif second[document] < 0 or row < second[document]:
                            second[document] = row
                    if 2 <= holders <= most:
                        if written + 2 * (stop - start) > len(out):
                            out = _grown(out, written + 2 * (stop - start))
                            out_documents = _grown(out_documents, len(out))
                        if buckets_found == len(starts):
                            starts = _grown(starts, 2 * len(starts))
                            sizes = _grown(sizes, len(starts))
                        starts[buckets_found] = written
                        for k in range(start, stop):
                            document, row = slot_documents[k], slot_rows[k]
                            if row == lowest[document] or row == second[document]:
                                out[written] = row
                                out_documents[written] = document
                                written += 1
                        sizes[buckets_found] = written - starts[buckets_found]
                        buckets_found += 1
                start = stop
            slot_begin = slot_end
    return (out[:written].copy(), out_documents[:written].copy(), starts[:buckets_found].copy(),
            sizes[:buckets_found].copy())


@kernel(nogil=True, inline="always")
def _slot_bits(size: int) -> int:  # pragma: no cover - compiled
    """Bits that spread a part of ``size`` keys into slots of about four keys (20 at most)."""
    low = 1
    while low < 20 and (1 << (low + 2)) < size:
        low += 1
    return low


@kernel(nogil=True, inline="always")
def _banded(key: np.uint64, band: np.uint16) -> np.uint64:  # pragma: no cover - compiled
    """A band key in the one key space of all bands: the band number mixed in."""
    return _mix64(key ^ (np.uint64(band) * np.uint64(0x9E3779B97F4A7C15)))


@kernel(nogil=True)
def _grown(values: npt.NDArray[np.intp], least: int) -> npt.NDArray[np.intp]:  # pragma: no cover - compiled
    """``values`` in an array at least twice as long and holding ``least``."""
    grown = np.empty(max(2 * len(values), least), dtype=values.dtype)
    grown[: len(values)] = values
    return grown


#: Top bits of a key that spread the keys of a batch into parts, each then spread by its next
#: bits into slots of about four keys and sorted slot by slot (a part fits a core's cache).
_TOP_BITS = 10


@kernel(nogil=True)
def weighed_buckets(rows: npt.NDArray[np.intp], starts: npt.NDArray[np.intp], sizes: npt.NDArray[np.intp],
                     owners: npt.NDArray[np.intp], signatures: SignatureRows,
                     set_sizes: npt.NDArray[np.uint32], held: npt.NDArray[np.bool_], least: float,
                     width: np.int64) -> npt.NDArray[np.int64]:  # pragma: no cover - compiled
    """The document pairs (codes ``i * width + j``, ``i < j``, with repeats) of every two rows of
    a bucket (``rows[start : start + size]``) of two documents, not both ``held`` rows, whose
    estimated containment (:func:`estimated_containment`, the same arithmetic) reaches ``least``."""
    found = np.empty(1024, dtype=np.int64)
    count = 0
    perms = signatures.shape[1]
    for bucket in range(len(starts)):
        end = starts[bucket] + sizes[bucket]
        for x in range(starts[bucket], end):
            first = rows[x]
            for y in range(x + 1, end):
                second = rows[y]
                a, b = owners[first], owners[second]
                if a == b or (held[first] and held[second]):
                    continue
                agreeing = 0
                for k in range(perms):
                    if signatures[first, k] == signatures[second, k]:
                        agreeing += 1
                similarity = agreeing / perms
                size_a, size_b = set_sizes[first], set_sizes[second]
                total = np.float64(size_a) + size_b
                smaller = np.float64(max(min(size_a, size_b), 1))
                if similarity * total / ((1 + similarity) * smaller) >= least:
                    if count == len(found):
                        grown = np.empty(2 * len(found), dtype=np.int64)
                        grown[:count] = found
                        found = grown
                    found[count] = min(a, b) * width + max(a, b)
                    count += 1
    return found[:count].copy()


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
    """The key of band ``band`` (of ``rows`` values) of one signature row."""
    key = np.uint64(signature[band * rows])
    for column in range(1, rows):
        key = _mix64(key * np.uint64(0x100000001B3) + np.uint64(signature[band * rows + column]))
    return key


@kernel(nogil=True)
def bucket_pairs(rows: npt.NDArray[np.intp], documents: npt.NDArray[np.intp], starts: npt.NDArray[np.intp],
                 sizes: npt.NDArray[np.intp], width: np.int64) -> npt.NDArray[np.int64]:  # pragma: no cover - compiled
    """Every two rows of a bucket of different documents, as codes ``low * width + high`` of
    the two rows (repeats across buckets kept)."""
    count = 0
    for bucket in range(len(starts)):
        count += sizes[bucket] * (sizes[bucket] - 1) // 2
    codes = np.empty(count, dtype=np.int64)
    found = 0
    for bucket in range(len(starts)):
        end = starts[bucket] + sizes[bucket]
        for x in range(starts[bucket], end):
            for y in range(x + 1, end):
                if documents[x] != documents[y]:
                    codes[found] = min(rows[x], rows[y]) * width + max(rows[x], rows[y])
                    found += 1
    return codes[:found].copy()
