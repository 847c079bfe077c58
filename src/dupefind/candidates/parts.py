"""The sort at the heart of the bucketing: keys spread into parts by their top bits (by
:mod:`.buckets`) made buckets, each part spread again by its next bits into slots of a few keys,
sorted slot by slot, and each run of equal keys a bucket (:func:`_buckets_of_parts`, giving
:data:`Buckets`)."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from ..jit import kernel

Buckets = tuple[npt.NDArray[np.intp], npt.NDArray[np.intp], npt.NDArray[np.intp], npt.NDArray[np.intp]]
"""Rows bucket after bucket, their documents, and where each bucket starts and how many rows it holds."""


@kernel(nogil=True)
def _buckets_of_parts(part_keys: npt.NDArray[np.uint64], part_documents: npt.NDArray[np.intp],
                      part_rows: npt.NDArray[np.intp], firsts: npt.NDArray[np.intp], top: int, most: np.intp,
                      document_count: int) -> Buckets:  # pragma: no cover - compiled
    """The buckets of keys spread into parts by their top ``top`` bits (part ``p``:
    ``firsts[p]:firsts[p + 1]``): each part spread again by its next bits into slots of a few
    keys, each slot sorted by insertion; then each run of equal keys is a bucket when it holds
    two documents or more, but not too many, each by its two lowest rows. ``seen`` says which
    run last met a document (a run of two keys, most of them, needs no lookup). The room for
    the buckets found is made part by part, for as many as a part could give, before its runs
    are read: an array the loop over runs may replace is one the compiled loop cannot keep at
    hand (made inside that loop, the passes took three times as long, measured in
    benchmarks/RESULTS.md)."""
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
            slot_begin = slot_end
        # The slots follow the keys' next bits in order, each sorted: the part is sorted. Its
        # runs give at most a row a key and a bucket every two keys.
        if written + size > len(out):
            out = _grown(out, written + size)
            out_documents = _grown(out_documents, len(out))
        if buckets_found + size // 2 > len(starts):
            starts = _grown(starts, buckets_found + size // 2)
            sizes = _grown(sizes, len(starts))
        start = 0
        while start < size:
            stop = start + 1
            key = slot_keys[start]
            while stop < size and slot_keys[stop] == key:
                stop += 1
            if stop == start + 1:  # most keys: held by one row
                start = stop
                continue
            if stop - start == 2:  # two rows: a bucket when of two documents
                if slot_documents[start] != slot_documents[start + 1] and most >= 2:
                    starts[buckets_found] = written
                    sizes[buckets_found] = 2
                    buckets_found += 1
                    for k in range(start, stop):
                        out[written] = slot_rows[k]
                        out_documents[written] = slot_documents[k]
                        written += 1
            elif stop - start > 2:
                grouped = _grouped(slot_documents, slot_rows, start, stop)
                holders = 1 if grouped else 0
                if grouped:  # a scan's keys: each document's rows together and ascending, no lookups
                    for k in range(start + 1, stop):
                        if slot_documents[k] != slot_documents[k - 1]:
                            holders += 1
                else:
                    runs += 1
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
                    starts[buckets_found] = written
                    for k in range(start, stop):  # each document by its two lowest rows
                        document, row = slot_documents[k], slot_rows[k]
                        if ((k < start + 2 or document != slot_documents[k - 2]) if grouped
                                else (row == lowest[document] or row == second[document])):
                            out[written] = row
                            out_documents[written] = document
                            written += 1
                    sizes[buckets_found] = written - starts[buckets_found]
                    buckets_found += 1
            start = stop
    return (out[:written].copy(), out_documents[:written].copy(), starts[:buckets_found].copy(),
            sizes[:buckets_found].copy())


@kernel(nogil=True, inline="always")
def _grouped(documents: npt.NDArray[np.intp], rows: npt.NDArray[np.intp], start: int,
             stop: int) -> bool:  # pragma: no cover - compiled
    """Whether ``documents[start:stop]`` do not decrease and each document's ``rows`` ascend."""
    for k in range(start + 1, stop):
        if documents[k] < documents[k - 1] or (documents[k] == documents[k - 1] and rows[k] <= rows[k - 1]):
            return False
    return True


@kernel(nogil=True, inline="always")
def _slot_bits(size: int) -> int:  # pragma: no cover - compiled
    """Bits that spread a part of ``size`` keys into slots of about four keys (20 at most)."""
    low = 1
    while low < 20 and (1 << (low + 2)) < size:
        low += 1
    return low


@kernel(nogil=True)
def _grown(values: npt.NDArray[np.intp], least: int) -> npt.NDArray[np.intp]:  # pragma: no cover - compiled
    """``values`` in an array at least twice as long and holding ``least``."""
    grown = np.empty(max(2 * len(values), least), dtype=values.dtype)
    grown[: len(values)] = values
    return grown
