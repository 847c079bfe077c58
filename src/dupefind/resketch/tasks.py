"""The documents holding boilerplate sketched again, in tasks any worker process runs (their
texts read again, or the word hashes their first pass kept: :mod:`dupefind.spool`), and a
catalog with their rows replaced (:func:`resketched`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from ..boilerplate import Commons
from ..candidates import Sketches
from ..errors import REREAD_FAILURES
from ..models import Location
from ..parallel import Workers, ordered_map, release_freed_memory
from ..sketching import checksum
from ..sources import load_text
from ..spool import kept_words
from ..views import View
from .clean import clean_sketches, losing_rows, losing_rows_of, needed
from .merge import with_held_rows

if TYPE_CHECKING:
    from ..catalog import Catalog


#: Documents read again per task.
TASK_DOCUMENTS = 256


TextLoader = Callable[[Location], str]
"""Re-reads a document's text from its location (picklable, to run in worker processes)."""


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
