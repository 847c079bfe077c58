"""The stages in order: the table of contents of a scan, and the one-pair comparison.

- :mod:`.tasks`: the candidate pairs grouped into tasks, each document re-read once per task;
- :mod:`.checking`: a task's pairs checked, its documents re-read and screened once;
- :mod:`.kept`: the documents a process keeps screened across the tasks it runs;
- :mod:`.judging`: one pair judged, the cheap checks first, then the alignment and the verdict.

The names re-exported here are looked up in the submodule that calls them: a test that
replaces one replaces it there.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Sequence
from functools import partial
from typing import BinaryIO

import numpy as np
import numpy.typing as npt

from ..boilerplate import Commons
from ..candidates import candidate_pairs, every_pair, exhaustive
from ..catalog import Catalog, Progress, build_catalog
from ..cluster import clusters
from ..config import Config, given_config
from ..errors import InputError
from ..jit import started_meanwhile
from ..models import Document, Location, PackedPair, Pair, Pairs, Report, Skipped, skip_order
from ..parallel import Workers, ordered_map
from ..sources import STDIN, nothing_to_scan, open_inputs, plan_reading
from ..verify import unpaired
from ..views import View, candidate_views
from .checking import Checked, TaskDocuments, TextLoader, check_pairs
from .judging import Reread, _pair, _prepare, judge_pair, prepare_document, staged_pair
from .kept import KEPT
from .tasks import PairTask, _grouped, _pair_task

__all__ = [
    "CHANGED",
    "Checked",
    "PairTask",
    "PathArg",
    "Reread",
    "TaskDocuments",
    "TextLoader",
    "check_pairs",
    "compare",
    "find_pairs",
    "identical_groups",
    "judge_pair",
    "make_report",
    "pair_rank",
    "path_list",
    "prepare_document",
    "proposed",
    "scan",
    "staged_pair",
    "views_of",
    "with_members",
    "without_changed",
    "without_documents",
]

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
    config = given_config(config)
    started = time.perf_counter()
    names = path_list(paths)
    with open_inputs(names, stdin=stdin) as real, Workers(config.processes) as workers, started_meanwhile():
        units = list(plan_reading(real, include=config.include, exclude=config.exclude,
                                  follow_symlinks=config.follow_symlinks, shown_as=_stdin_names(names, real),
                                  max_bytes=config.max_document_bytes))
        views = views_of(config)
        catalog = build_catalog(units, views=views, seed=config.seed, min_words=config.min_words,
                                boilerplate_min_docs=config.boilerplate_min_docs, id_field=config.id_field,
                                text_field=config.text_field, jobs=config.processes, progress=progress,
                                workers=workers)
        if not catalog.documents:
            raise InputError(nothing_to_scan(names, catalog.skipped, include=config.include, exclude=config.exclude))
        candidates = proposed(catalog, views=views, threads=config.processes)
        catalog = catalog.without_sketches()  # (the signatures are done with: not held while verifying)
        pairs, changed = find_pairs(catalog, config, views=views, progress=progress, workers=workers,
                                    candidates=candidates)
    documents, skipped, pairs = without_changed(catalog, pairs, changed)
    return make_report(documents, pairs, skipped, config, seconds=time.perf_counter() - started)


def views_of(config: Config) -> tuple[View, ...]:
    """The candidate views of a scan with ``config``."""
    return candidate_views(scheme=config.scheme, ngram=config.shingle_size, num_perm=config.num_perm,
                           lsh_threshold=config.lsh_threshold, threshold=config.threshold)


def find_pairs(catalog: Catalog, config: Config, *, views: Sequence[View], progress: Progress | None = None,
               involving: frozenset[int] | None = None, load: TextLoader | None = None,
               workers: Workers | None = None,
               candidates: list[tuple[int, int]] | None = None) -> tuple[list[PackedPair], set[int]]:
    """The copies among the documents of ``catalog``, most similar first, and the documents that
    changed since the first pass: the :func:`proposed` candidates (``candidates`` if the caller
    already has them), each verified and aligned (in ``workers`` if given). ``involving``, if
    given, keeps only the candidates that name one of these documents (the index checks new
    documents this way); ``load`` re-reads a text (default:
    :func:`~dupefind.sources.load_text` from its location)."""
    if candidates is None:
        candidates = proposed(catalog, views=views, involving=involving, threads=config.processes)
    pairs, changed = _verified(candidates, catalog, config, progress, load, workers)
    asked = set(candidates)
    while extra := _led_again(catalog, changed, involving, asked):
        # A group of identical documents whose first changed, or moved out of an index, is
        # led by its next member: its members' pairs with one another stand, as in a scan
        # without that first (its members' pairs with the rest were asked of each of them).
        asked.update(extra)
        more, more_changed = _verified(extra, catalog, config, progress, load, workers)
        pairs += more
        changed |= more_changed
    pairs.sort(key=_rank)
    return pairs, changed


def _led_again(catalog: Catalog, changed: set[int], involving: frozenset[int] | None,
               asked: set[tuple[int, int]]) -> list[tuple[int, int]]:
    """For each group of identical documents (:func:`identical_groups`) whose first is among
    ``changed``: its first member not changed paired with its other members not changed, less
    the pairs already ``asked`` (and only those naming one of ``involving``, if given)."""
    if not changed:
        return []
    groups: dict[int, list[int]] = {}
    for first, member in identical_groups(catalog)[1]:
        if first in changed:
            groups.setdefault(first, [first]).append(member)
    extra = []
    for members in groups.values():
        left = [k for k in sorted(members) if k not in changed]
        extra += [(left[0], k) for k in left[1:]
                  if (left[0], k) not in asked and (involving is None or left[0] in involving or k in involving)]
    return extra


def proposed(catalog: Catalog, *, views: Sequence[View], involving: frozenset[int] | None = None,
             threads: int = 1, crowded: npt.NDArray[np.uint64] | None = None,
             collection: tuple[int, int] | None = None) -> list[tuple[int, int]]:
    """The candidate pairs of ``catalog``, sorted and unique: those of the LSH views (identical
    documents as one group, each member then proposed with its group's partners), or every
    pair of a small collection (:func:`~dupefind.candidates.exhaustive`), and the identical
    documents themselves; only those naming one of ``involving`` if given.
    ``crowded``: keys that pair no one (:func:`~dupefind.candidates.candidate_pairs`).
    ``collection``: the documents and words of the whole collection, when ``catalog`` holds
    only some of them (an index's check; a small collection's catalog must then hold them all)."""
    leads, identical = identical_groups(catalog)
    usable = leads & np.array([not unpaired(d) for d in catalog.documents], dtype=bool)
    flagged = None
    if involving is not None:  # a member of an identical group is proposed through its group's first
        flagged = np.zeros(len(catalog.documents), dtype=bool)
        flagged[list(involving)] = True
        for first, member in identical:
            flagged[first] |= flagged[member]
    if collection is None:
        collection = (len(catalog.documents), sum(d.words for d in catalog.documents))
    if exhaustive(*collection):
        found = every_pair(usable, flagged)
    else:
        found = candidate_pairs(catalog.sketches, views=views, usable=usable, threads=threads, involving=flagged,
                                crowded=crowded)
    candidates = with_members(found, identical) + identical
    if involving is not None:
        candidates = [(i, j) for i, j in candidates if i in involving or j in involving]
    return sorted(set(candidates))


def make_report(documents: tuple[Document, ...], pairs: list[PackedPair], skipped: Sequence[Skipped],
                config: Config, *, seconds: float = 0.0) -> Report:
    """The report of ``pairs`` (ranked as :func:`find_pairs` gives them) found among ``documents``;
    ``skipped`` holds the inputs not read and the files ignored for their type."""
    return Report(config=config.report_dict(), documents=documents, pairs=Pairs(pairs),
                  clusters=clusters((p.a, p.b) for p in pairs), skipped=tuple(s for s in skipped if not s.ignored),
                  ignored=tuple(s for s in skipped if s.ignored), seconds=seconds)


def compare(text_a: str, text_b: str, config: Config | None = None, *, id_a: str = "a",
            id_b: str = "b") -> Pair:
    """Compare two texts: the figures, the verdict and every matching passage."""
    for name, value in (("text_a", text_a), ("text_b", text_b)):
        if not isinstance(value, str):
            raise TypeError(f"{name} must be a str (decode bytes first), not {type(value).__name__}")
    config = given_config(config)
    a, b = (_prepare(i, t, Commons(), config) for i, t in ((id_a, text_a), (id_b, text_b)))
    return _pair(a, b, config)


def _verified(candidates: list[tuple[int, int]], catalog: Catalog, config: Config, progress: Progress | None,
              load: TextLoader | None, workers: Workers | None) -> tuple[list[PackedPair], set[int]]:
    """Each candidate pair re-read, verified and aligned (in ``config.processes`` processes):
    the copies, in the candidates' order, and the documents that changed since the first pass."""
    check = partial(check_pairs, commons=catalog.commons, config=config, load=load)
    words = np.fromiter((d.words for d in catalog.documents), dtype=np.int64, count=len(catalog.documents))
    tasks = (_pair_task(pairs, catalog) for pairs in _grouped(candidates, words=words, jobs=config.processes))
    found: list[PackedPair] = []
    changed: set[int] = set()
    done = 0
    try:
        for checked in ordered_map(check, tasks, jobs=config.processes, workers=workers):
            found += checked.pairs
            changed.update(checked.changed)
            done += checked.count
            if progress is not None:
                progress("verify", done, done, len(candidates))
    finally:
        KEPT.clear()  # (tasks run here with one process; worker processes end with the scan)
    return found, changed



def identical_groups(catalog: Catalog) -> tuple[npt.NDArray[np.bool_], list[tuple[int, int]]]:
    """Documents with the same words (same :attr:`~Catalog.exact_keys`) are one group, led by
    its first document (the smallest id): which documents lead a group or stand alone (only
    they are looked up in LSH, so a document like the group is paired with its first), and each
    other member paired with its group's first. A thousand identical pages cost a thousand
    pairs, not half a million; documents without words form no group. A document proposed with
    a group's first is then proposed with its members too (:func:`with_members`)."""
    count = len(catalog.documents)
    if not count:
        return np.ones(0, dtype=bool), []
    _, first, inverse = np.unique(catalog.exact_keys, return_index=True, return_inverse=True)
    lead = first[inverse.reshape(-1)]
    words = np.array([d.words > 0 for d in catalog.documents], dtype=bool)
    member = words & (lead != np.arange(count))
    return ~member, list(zip(lead[member].tolist(), np.flatnonzero(member).tolist()))


def with_members(candidates: list[tuple[int, int]], identical: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The candidates of the groups' firsts extended to their members: a document proposed with
    a group's first is proposed with each document identical to it, as it would have been had
    they all been looked up (``identical``: each member with its group's first, as
    :func:`identical_groups` gives them). A member's pairs cost one per pair of its first."""
    if not identical:
        return candidates
    members: dict[int, list[int]] = {}
    for first, member in identical:
        members.setdefault(first, []).append(member)
    found = set(candidates)
    for a, b in candidates:
        for x in [a, *members.get(a, ())]:
            for y in [b, *members.get(b, ())]:
                found.add((min(x, y), max(x, y)))
    return sorted(found)


def without_changed(catalog: Catalog, pairs: list[PackedPair], changed: set[int]
                     ) -> tuple[tuple[Document, ...], tuple[Skipped, ...], list[PackedPair]]:
    """The documents, the skipped inputs and the pairs, with the documents that changed during
    the scan moved to the skipped inputs and their pairs dropped."""
    if not changed:
        return catalog.documents, catalog.skipped, pairs
    skipped = [*catalog.skipped, *(Skipped(_where(catalog.documents[k], catalog.locations[k]), CHANGED)
                                   for k in sorted(changed))]
    documents, pairs = without_documents(catalog.documents, pairs, changed)
    return documents, tuple(sorted(skipped, key=skip_order)), pairs


def without_documents(documents: tuple[Document, ...], pairs: list[PackedPair], gone: set[int]
                      ) -> tuple[tuple[Document, ...], list[PackedPair]]:
    """``documents`` and ``pairs`` without the documents numbered in ``gone`` and their pairs."""
    if not gone:
        return documents, pairs
    ids = {documents[k].id for k in gone}
    return tuple(d for d in documents if d.id not in ids), [p for p in pairs if p.a not in ids and p.b not in ids]


#: Why a document that changed between the two reads of a scan is skipped.
CHANGED = "changed during the scan (its text when re-read differs from the first read); its pairs are dropped"


def _where(document: Document, location: Location) -> str:
    return f"{document.path}:{location.line}" if location.line else document.path


def path_list(paths: PathArg | Iterable[PathArg]) -> list[str]:
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



def pair_rank(pair: PackedPair) -> tuple[float, float, str, str]:
    """The order of a scan's pairs: most similar first, then most contained, then by ids."""
    return _rank(pair)
