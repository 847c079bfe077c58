"""Held rows: a first pass's rows with a document's new rows (without boilerplate) put before
them, its old rows flagged held unless equal to a new one; moved in place, in compiled loops."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from ..arrays import in_sorted
from ..candidates import Sketches
from ..candidates.sketches import SignatureRows
from ..jit import kernel
from ..text import _mix64


def _new_rows(owners: npt.NDArray[np.intp], signatures: SignatureRows, sizes: npt.NDArray[np.uint32],
              chosen: npt.NDArray[np.intp], other: Sketches) -> npt.NDArray[np.bool_]:
    """Which of the rows ``chosen`` (of ``owners``, ``signatures``, ``sizes``) are not equal
    (same document, size and signature) to a row of ``other`` (owners numbered alike): a
    document's windows before its first boilerplate are the same with it and without it, and a
    held row equal to a clean row of its document would pair with no one the clean row does not
    (about half the held rows of a news story quoting someone once). Rows are matched by a
    64-bit hash of their first values, then compared in full (the signatures are not copied)."""
    mine = _row_hashes(owners, signatures, sizes, chosen)
    theirs = _row_hashes(other.owners, other.signatures, other.sizes, np.arange(len(other), dtype=np.intp))
    order = np.argsort(theirs, kind="stable")
    return _unmatched(mine, chosen, owners, signatures, sizes, theirs[order], order, other.owners, other.signatures,
                      other.sizes)


@kernel(nogil=True)
def _unmatched(mine: npt.NDArray[np.uint64], chosen: npt.NDArray[np.intp], owners: npt.NDArray[np.intp],
               signatures: SignatureRows, sizes: npt.NDArray[np.uint32], ranked: npt.NDArray[np.uint64],
               order: npt.NDArray[np.intp], other_owners: npt.NDArray[np.intp],
               other_signatures: SignatureRows,
               other_sizes: npt.NDArray[np.uint32]) -> npt.NDArray[np.bool_]:  # pragma: no cover - compiled
    """:func:`_new_rows` once the rows are hashed (``ranked``: the other rows' hashes sorted,
    ``order`` their rows): a row is new unless a row of the same hash is equal to it in full."""
    new = np.ones(len(chosen), dtype=np.bool_)
    for k in range(len(chosen)):
        row = chosen[k]
        at = np.searchsorted(ranked, mine[k])
        while at < len(ranked) and ranked[at] == mine[k] and new[k]:
            j = order[at]
            if owners[row] == other_owners[j] and sizes[row] == other_sizes[j]:
                same = True
                for column in range(signatures.shape[1]):
                    if signatures[row, column] != other_signatures[j, column]:
                        same = False
                        break
                if same:
                    new[k] = False
            at += 1
    return new


#: Signature values hashed to match rows: two windows of one document with the same size and
#: the same first 8 minima (of 128) are almost always the same window.
_HASHED_COLUMNS = 8


@kernel(nogil=True)
def _row_hashes(owners: npt.NDArray[np.intp], signatures: SignatureRows, sizes: npt.NDArray[np.uint32],
                chosen: npt.NDArray[np.intp]) -> npt.NDArray[np.uint64]:  # pragma: no cover - compiled
    """A 64-bit hash of the document, size and first :data:`_HASHED_COLUMNS` values of the
    signature of each row ``chosen`` (rows of one hash are then compared in full)."""
    found = np.empty(len(chosen), dtype=np.uint64)
    for k in range(len(chosen)):
        row = chosen[k]
        value = _mix64(np.uint64(owners[row]) * np.uint64(0x9E3779B97F4A7C15) + np.uint64(sizes[row]))
        for column in range(min(_HASHED_COLUMNS, signatures.shape[1])):
            value = _mix64(value * np.uint64(0x100000001B3) + np.uint64(signatures[row, column]))
        found[k] = value
    return found


def with_held_rows(sketches: Sketches, documents: npt.NDArray[np.intp], rows: Sketches) -> Sketches:
    """``sketches`` (a first pass's, on all the words) with the rows of ``documents`` (distinct,
    ascending) flagged :attr:`~dupefind.candidates.Sketches.held`, but those equal to one of
    their document's new ``rows`` (owners: positions in ``documents``), which are put before
    them: each document's rows as :func:`clean_sketches` gives them, clean then held. The
    signatures are moved inside their own array, grown where it lies (``sketches`` is not to
    be used after); owners, sizes and flags are written once into their new arrays, with no
    array of row numbers as long as the signatures (a million documents' content windows:
    ~18 million rows)."""
    if not len(documents):
        return sketches
    new_owners = documents[rows.owners]  # ascending: ``rows`` is ordered by owner
    chosen = in_sorted(sketches.owners, documents)
    mine = np.flatnonzero(chosen)
    kept = np.ones(len(sketches), dtype=bool)
    kept[mine] = _new_rows(sketches.owners, sketches.signatures, sketches.sizes, mine,
                           Sketches(new_owners, rows.signatures, rows.sizes))
    del mine
    count = len(sketches)
    total = int(kept.sum()) + len(new_owners)
    signatures = sketches.signatures
    room = _reserved(signatures)
    if room is not None and max(count, total) <= len(room):  # grown into rows reserved beyond its end
        signatures = room
    elif signatures.flags.owndata and signatures.flags.c_contiguous:
        if total > count:
            signatures.resize((total, signatures.shape[1]), refcheck=False)
    else:
        moved = np.empty((max(count, total), signatures.shape[1]), dtype=signatures.dtype)
        moved[:count] = signatures
        signatures = moved
    owners = np.empty(total, dtype=np.intp)
    sizes = np.empty(total, dtype=np.uint32)
    held = np.empty(total, dtype=bool)
    _merged(signatures, sketches.owners, sketches.sizes, sketches.flags() | chosen, kept, new_owners,
            rows.sizes, rows.signatures, owners, sizes, held)
    if total < len(signatures) and signatures is not room and signatures.flags.owndata:
        signatures.resize((max(total, 1), signatures.shape[1]), refcheck=False)
    return Sketches(owners, signatures[:total], sizes, held)


def _reserved(rows: SignatureRows) -> SignatureRows | None:
    """The array whose first rows ``rows`` are (the first pass reserves rows beyond the ones it
    fills: :class:`dupefind.catalog._Sketches`), or ``None`` when ``rows`` are not such a prefix."""
    base = rows.base
    if (isinstance(base, np.ndarray) and base.flags.owndata and base.flags.c_contiguous and base.ndim == 2
            and base.dtype == rows.dtype and base.shape[1] == rows.shape[1] and rows.flags.c_contiguous
            and rows.ctypes.data == base.ctypes.data):
        return base
    return None


@kernel(nogil=True)
def _merged(signatures: SignatureRows, owners: npt.NDArray[np.intp], sizes: npt.NDArray[np.uint32],
            held: npt.NDArray[np.bool_], kept: npt.NDArray[np.bool_], new_owners: npt.NDArray[np.intp],
            new_sizes: npt.NDArray[np.uint32], new_signatures: SignatureRows, out_owners: npt.NDArray[np.intp],
            out_sizes: npt.NDArray[np.uint32], out_held: npt.NDArray[np.bool_]) -> None:  # pragma: no cover - compiled
    """:func:`with_held_rows`'s rows in place: the ``kept`` rows of ``signatures`` (the first
    ``len(owners)``) moved to the front, in order; then, from the end, each place takes the
    last kept row not placed or the last new row, whichever comes later (by owner; a
    document's new rows before its kept ones), with its owner, size and flag (``held`` for a
    kept row, none for a new one). A kept row only moves towards the end, so it is never
    overwritten before it is moved."""
    front = 0
    for row in range(len(owners)):
        if kept[row]:
            if front != row:
                signatures[front] = signatures[row]
            front += 1
    old = len(owners) - 1  # the last kept row not placed (its signature now at ``front - 1``)
    while old >= 0 and not kept[old]:
        old -= 1
    new = len(new_owners) - 1
    for place in range(front + len(new_owners) - 1, -1, -1):
        if old >= 0 and (new < 0 or owners[old] >= new_owners[new]):
            front -= 1
            if place != front:
                signatures[place] = signatures[front]
            out_owners[place], out_sizes[place], out_held[place] = owners[old], sizes[old], held[old]
            old -= 1
            while old >= 0 and not kept[old]:
                old -= 1
        else:
            signatures[place] = new_signatures[new]
            out_owners[place], out_sizes[place], out_held[place] = new_owners[new], new_sizes[new], False
            new -= 1
