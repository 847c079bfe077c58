"""Views without boilerplate: the documents holding a long common segment sketched again.

A view may set boilerplate aside (:attr:`~dupefind.views.View.without_boilerplate`): its
signatures are then made without the long common segments (:data:`~dupefind.boilerplate.
LONG_SEGMENT` words or more) that verification sets aside, the quotes and ledes that run in
many documents. Which segments are common is known only once every document has been read, so
the first pass sketches every view on all the words, and this stage then reads again the
documents that hold a long common segment (few, in a collection without them) and replaces
their rows in those views. Every runner calls these functions, so a scan, an index and the
Spark engine propose the same candidates.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from ..arrays import in_sorted
from ..boilerplate import Commons, Keys, is_long, without_boilerplate
from ..candidates import Sketches, held_flags
from ..candidates.sketches import SignatureRows
from ..errors import REREAD_FAILURES
from ..jit import kernel
from ..models import Location
from ..parallel import Workers, ordered_map, release_freed_memory
from ..sketching import checksum, view_sketches
from ..sources import load_text
from ..spool import kept_words
from ..text import HashedWords, _mix64, hash_texts
from ..views import View

if TYPE_CHECKING:
    from ..catalog import Catalog

#: Documents read again per task.
TASK_DOCUMENTS = 256

TextLoader = Callable[[Location], str]
"""Re-reads a document's text from its location (picklable, to run in worker processes)."""


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


def _texts_again(task: Sequence[tuple[int, Location]], load: TextLoader) -> tuple[list[int], list[str]]:
    """The documents of a task whose texts read again are the ones first read, and those texts
    (a text gone or changed is left out)."""
    done: list[int] = []
    texts: list[str] = []
    for document, location in task:
        try:
            text = load(location)
        except REREAD_FAILURES:
            continue
        if location.checksum is None or checksum(text) == location.checksum:
            done.append(document)
            texts.append(text)
    return done, texts


def resketch_task(task: Sequence[tuple[int, Location]], *, views: Sequence[View], seed: int, min_words: int,
                  commons: Commons, load: TextLoader) -> tuple[list[int], tuple[Sketches, ...]]:
    """Read the task's documents again and sketch them without boilerplate (a plain function:
    any worker process can run it): the documents done, and their rows (owners: positions in
    that list). A document whose text is gone or changed keeps its first rows: verification
    finds it changed and drops its pairs."""
    done, texts = _texts_again(task, load)
    return done, clean_sketches(texts, views=views, seed=seed, min_words=min_words, commons=commons)


def losing_task(task: Sequence[tuple[int, Location]], *, views: Sequence[View], seed: int, min_words: int,
                commons: Commons, load: TextLoader) -> tuple[list[int], tuple[Sketches, ...]]:
    """Read the task's documents again (a plain function: any worker process can run it): those
    that lose words to boilerplate, and their rows without it (:func:`losing_rows`; owners:
    positions in that list). A document whose text is gone or changed is left as it is."""
    done, texts = _texts_again(task, load)
    lost, rows = losing_rows(texts, views=views, seed=seed, min_words=min_words, commons=commons)
    return [done[k] for k in lost.tolist()], rows


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


def resketched(catalog: Catalog, holders: npt.NDArray[np.intp], *, views: Sequence[View], seed: int,
               min_words: int, text_field: str = "text", load: TextLoader | None = None, jobs: int = 1,
               workers: Workers | None = None, spooled: Mapping[int, tuple[str, int]] | None = None) -> Catalog:
    """``catalog`` with the documents ``holders`` (indexes, those holding a common segment)
    sketched again without boilerplate in the views that ask for it (in ``jobs`` processes,
    those of ``workers`` if given): the rows of those that lose words, as
    :func:`clean_sketches` gives them, their first rows flagged held. A holder in ``spooled``
    is sketched from the words its first pass kept (the file and its place there:
    :mod:`dupefind.spool`) instead of its text read again, which gives the same rows."""
    if not needed(views, catalog.commons) or not len(holders):
        return catalog
    read = load or partial(load_text, text_field=text_field)
    chosen = sorted(set(np.asarray(holders).tolist()))
    kept = spooled or {}
    files: dict[str, list[tuple[int, int, Location]]] = {}
    again: list[int] = []
    for k in chosen:
        path, place = kept.get(k, ("", 0))
        if path:
            files.setdefault(path, []).append((k, place, catalog.locations[k]))
        else:
            again.append(k)
    results = list(ordered_map(partial(spooled_losing_task, views=tuple(views), seed=seed, min_words=min_words,
                                       commons=catalog.commons, load=read),
                               sorted(files.items(), key=lambda item: item[1][0][0]), jobs=jobs, workers=workers))
    tasks = [[(k, catalog.locations[k]) for k in again[start : start + TASK_DOCUMENTS]]
             for start in range(0, len(again), TASK_DOCUMENTS)]
    results += ordered_map(partial(losing_task, views=tuple(views), seed=seed, min_words=min_words,
                                   commons=catalog.commons, load=read), tasks, jobs=jobs, workers=workers)
    documents = np.array([k for done, _ in results for k in done], dtype=np.intp)
    counts = [len(done) for done, _ in results]
    order = np.argsort(documents, kind="stable")
    per_view: list[list[Sketches | None]] = [[rows[number] for _, rows in results] for number in range(len(views))]
    del results  # (each task's rows are let go as they are gathered)
    sketches = list(catalog.sketches)
    for number, view in enumerate(views):
        if view.without_boilerplate:
            rows = _gathered(per_view[number], counts, order, view=view)
            release_freed_memory()  # (the tasks' rows, let go: not held beside the rows that replace them)
            sketches[number] = with_held_rows(sketches[number], documents[order], rows)
    return replace(catalog, sketches=tuple(sketches))


def spooled_losing_task(task: tuple[str, list[tuple[int, int, Location]]], *, views: Sequence[View], seed: int,
                        min_words: int, commons: Commons,
                        load: TextLoader) -> tuple[list[int], tuple[Sketches, ...]]:
    """:func:`losing_task` of the documents whose words one first-pass task kept in a file (a
    plain function: any worker process can run it): ``task`` is the file and the documents,
    each with its place there and its location. Should the file be gone or cut short, the
    texts are read again."""
    path, unordered = task
    documents = sorted(unordered, key=lambda document: document[1])
    try:
        words = kept_words(path, [place for _, place, _ in documents])
    except (OSError, ValueError):
        return losing_task([(k, location) for k, _, location in documents], views=views, seed=seed,
                           min_words=min_words, commons=commons, load=load)
    lost, rows = losing_rows_of(words, views=views, seed=seed, min_words=min_words, commons=commons)
    return [documents[k][0] for k in lost.tolist()], rows


def _gathered(parts: list[Sketches | None], counts: list[int], order: npt.NDArray[np.intp], *,
              view: View) -> Sketches:
    """The rows of consecutive batches of documents (``parts``, batch ``k`` of ``counts[k]``
    documents, its rows owned by ``0 .. counts[k] - 1``; rows without boilerplate: none is held)
    as one, each owned by its document's place in ``order`` and sorted by it (a document's rows
    keep their order). Copied once into place, each part let go (``parts[k] = None``) once
    copied: the rows are never held twice."""
    firsts = np.cumsum([0] + counts)
    owners = np.concatenate([np.empty(0, dtype=np.intp)] + [p.owners + first for p, first in zip(parts, firsts)
                                                             if p is not None]).astype(np.intp)
    rank = np.empty(len(order), dtype=np.intp)
    rank[order] = np.arange(len(order), dtype=np.intp)
    owners = rank[owners]
    moved = np.argsort(owners, kind="stable")  # row k of the result is row moved[k] of the parts
    place = np.empty(len(moved), dtype=np.intp)
    place[moved] = np.arange(len(moved), dtype=np.intp)
    signatures = np.empty((len(owners), view.num_perm), dtype=view.dtype)
    sizes = np.empty(len(owners), dtype=np.uint32)
    start = 0
    for k, part in enumerate(parts):
        if part is None:
            continue
        stop = start + len(part)
        signatures[place[start:stop]] = part.signatures
        sizes[place[start:stop]] = part.sizes
        parts[k] = None
        start = stop
    return Sketches(owners[moved], signatures, sizes)
