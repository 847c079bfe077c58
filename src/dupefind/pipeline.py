"""The stages in order: the table of contents of a scan, and the one-pair comparison."""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache, partial
from typing import BinaryIO

import numpy as np

from .align import Side, align_sides, side
from .boilerplate import Commons
from .candidates import candidate_pairs
from .catalog import Catalog, Progress, build_catalog
from .cluster import clusters
from .config import Config
from .errors import InputError
from .explain import explain
from .models import Location, PackedPair, Pair, Pairs, Report
from .parallel import Workers, ordered_map
from .sources import STDIN, load_text, nothing_to_scan, open_inputs, plan_reading
from .verify import Prepared, is_duplicate, overlap, prepare
from .views import candidate_views

#: Candidate pairs checked per task (the pairs of one task share a cache of re-read texts).
PAIRS_PER_TASK = 64


PathArg = str | os.PathLike[str]
"""A path as the library takes it: a string or a :class:`pathlib.Path`."""


def scan(paths: PathArg | Iterable[PathArg], config: Config | None = None, *, stdin: BinaryIO | None = None,
         progress: Progress | None = None) -> Report:
    """Find the copies among the documents under ``paths`` (``-`` reads JSONL from stdin).

    ``paths`` is a list of files and folders, or one of them (a ``str`` or a ``Path`` is one
    path, never a sequence of characters); anything else raises :class:`TypeError`.

    ``progress``, if given, is called as the documents are read with the number read so far,
    the bytes of input read and the bytes in all.
    """
    config = config or Config()
    started = time.perf_counter()
    names = _path_list(paths)
    with open_inputs(names, stdin=stdin) as real, Workers(config.processes) as workers:
        units = list(plan_reading(real, include=config.include, exclude=config.exclude,
                                  follow_symlinks=config.follow_symlinks, shown_as=_stdin_names(names, real)))
        views = candidate_views(scheme=config.scheme, ngram=config.shingle_size, num_perm=config.num_perm,
                                lsh_threshold=config.lsh_threshold, threshold=config.threshold)
        catalog = build_catalog(units, views=views, seed=config.seed, min_words=config.min_words,
                                boilerplate_min_docs=config.boilerplate_min_docs, id_field=config.id_field,
                                text_field=config.text_field, jobs=config.processes, progress=progress,
                                workers=workers)
        if not catalog.documents:
            raise InputError(nothing_to_scan(names, catalog.skipped, include=config.include, exclude=config.exclude))
        usable = np.array([not d.short for d in catalog.documents], dtype=bool)
        candidates = candidate_pairs(catalog.sketches, views=views, usable=usable)
        candidates += _identical_short_texts(catalog)
        pairs = sorted(_verified(sorted(set(candidates)), catalog, config, progress, workers), key=_rank)
    return Report(
        config=config.as_dict(), documents=catalog.documents, pairs=Pairs(pairs),
        clusters=clusters((p.a, p.b) for p in pairs), skipped=tuple(s for s in catalog.skipped if not s.ignored),
        ignored=tuple(s for s in catalog.skipped if s.ignored),
        seconds=time.perf_counter() - started,
    )


def compare(text_a: str, text_b: str, config: Config | None = None, *, id_a: str = "a",
            id_b: str = "b") -> Pair:
    """Compare two texts: the figures, the verdict and every matching passage."""
    config = config or Config()
    a, b = (_prepare(i, t, Commons(), config) for i, t in ((id_a, text_a), (id_b, text_b)))
    return _pair(a, b, config)


def _verified(candidates: list[tuple[int, int]], catalog: Catalog, config: Config,
              progress: Progress | None, workers: Workers) -> Iterator[PackedPair]:
    """Each candidate pair re-read, verified and aligned (in ``config.processes`` processes);
    the copies, in the candidates' order."""
    check = partial(check_pairs, commons=catalog.commons, config=config)
    tasks = (_pair_task(candidates[k : k + PAIRS_PER_TASK], catalog)
             for k in range(0, len(candidates), PAIRS_PER_TASK))
    done = 0
    for found, task_size in ordered_map(check, tasks, jobs=config.processes, workers=workers):
        yield from found
        done += task_size
        if progress is not None:
            progress("verify", done, done, len(candidates))


@dataclass(frozen=True, slots=True)
class PairTask:
    """Candidate pairs to check, with where to re-read each of their documents."""

    pairs: list[tuple[int, int]]
    """Index pairs into the catalog."""
    documents: dict[int, tuple[str, Location]]
    """The id and location of each document the pairs name."""


def _pair_task(pairs: list[tuple[int, int]], catalog: Catalog) -> PairTask:
    needed = sorted({index for pair in pairs for index in pair})
    return PairTask(pairs, {i: (catalog.documents[i].id, catalog.locations[i]) for i in needed})


def check_pairs(task: PairTask, *, commons: Commons, config: Config) -> tuple[list[PackedPair], int]:
    """Verify and align the pairs of one task; the copies among them (packed: smaller to send
    and to keep), and how many were checked (a plain function: any worker process can run it)."""

    @lru_cache(maxsize=64)
    def prepared(index: int) -> Reread:
        doc_id, location = task.documents[index]
        return _prepare(doc_id, load_text(location, text_field=config.text_field), commons, config)

    pairs = (_pair(prepared(i), prepared(j), config) for i, j in task.pairs)
    return [PackedPair.of(pair) for pair in pairs if pair.duplicate], len(task.pairs)


@dataclass(frozen=True, slots=True)
class Reread:
    """A document re-read, made ready for the verification and the alignment of its pairs."""

    verify: Prepared
    """What verification needs."""
    align: Side
    """What alignment needs (computed once per document, not once per pair)."""


def _pair(x: Reread, y: Reread, config: Config) -> Pair:
    a, b = x.verify, y.verify
    figures = overlap(a, b)
    # Identical short texts are evidence in full, however few their words.
    shortest = min(len(a.tokens), len(b.tokens))
    min_words = min(config.min_passage_words, shortest) if a.short or b.short else config.min_passage_words
    passages = align_sides(x.align, y.align, min_words=max(1, min_words))
    return Pair(
        a=a.id, b=b.id, similarity=round(figures.similarity, 4),
        containment=round(figures.containment, 4), containment_a=round(figures.containment_a, 4),
        containment_b=round(figures.containment_b, 4),
        duplicate=is_duplicate(a, b, figures, passages, threshold=config.threshold,
                               passage_words=config.passage_words),
        passages=passages,
        relation=explain(passages, a.tokens, b.tokens),
    )


def _prepare(doc_id: str, text: str, commons: Commons, config: Config) -> Reread:
    prepared = prepare(doc_id, text, commons=commons, scheme=config.scheme, ngram=config.shingle_size,
                       min_words=config.min_words)
    ignore = prepared.boilerplate if prepared.boilerplate.any() else None
    return Reread(prepared, side(text, prepared.tokens, ignore, segment_starts=prepared.segment_starts))


def _identical_short_texts(catalog: Catalog) -> list[tuple[int, int]]:
    """Each short text paired with the first identical one: a group of a thousand "N/A"
    records is one cluster of a thousand, not half a million pairs."""
    first: dict[bytes, int] = {}
    pairs: list[tuple[int, int]] = []
    for index, doc in enumerate(catalog.documents):
        if doc.short and doc.words:
            pairs.extend([(first[catalog.exact_keys[index]], index)] if catalog.exact_keys[index] in first else [])
            first.setdefault(catalog.exact_keys[index], index)
    return pairs


def _path_list(paths: PathArg | Iterable[PathArg]) -> list[str]:
    """``paths`` as a list of strings: one path alone is a list of one."""
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    elif isinstance(paths, (bytes, bytearray)) or not isinstance(paths, Iterable):
        raise TypeError(f"paths must be a path (str or os.PathLike) or a list of them, not {type(paths).__name__}")
    out: list[str] = []
    for path in paths:
        if not isinstance(path, (str, os.PathLike)):
            raise TypeError(f"each path must be a str or os.PathLike, not {type(path).__name__}: {path!r}")
        name = os.fspath(path)
        if not isinstance(name, str):
            raise TypeError(f"each path must be a str or os.PathLike of str, not bytes: {path!r}")
        out.append(name)
    return out

def _stdin_names(given: Sequence[str], real: Sequence[str]) -> dict[str, str]:
    return {r: STDIN for g, r in zip(given, real) if g == STDIN}


def _rank(pair: PackedPair) -> tuple[float, float, str, str]:
    return (-pair.similarity, -pair.containment, pair.a, pair.b)


# The steps under check_pairs, for runners that bring the texts themselves (the Spark engine
# joins them to the pairs instead of re-reading files).


def prepare_document(doc_id: str, text: str, *, commons: Commons, config: Config) -> Reread:
    """A document made ready for the verification and the alignment of its pairs."""
    return _prepare(doc_id, text, commons, config)


def judge_pair(a: Reread, b: Reread, *, config: Config) -> Pair:
    """The verdict on two prepared documents (``a`` first: the smaller id in a scan), with its
    figures and passages, as :func:`check_pairs` gives it."""
    return _pair(a, b, config)


def pair_rank(pair: PackedPair) -> tuple[float, float, str, str]:
    """The order of a scan's pairs: most similar first, then most contained, then by ids."""
    return _rank(pair)
