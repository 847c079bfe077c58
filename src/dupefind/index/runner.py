"""``dupefind.Index``: a scan's stages run over a growing collection kept in an index file.

One pipeline, several runners: ``add`` runs the scan's first pass (sources, then
:func:`~dupefind.catalog.fingerprint_task` in worker processes) and stores what it keeps;
``pairs`` and ``check`` turn the index into the scan's :class:`~dupefind.catalog.Catalog` and
call :func:`~dupefind.pipeline.find_pairs` (candidates, verification, alignment, explanation)
and :func:`~dupefind.pipeline.make_report`, so their answers are a scan's answers.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterable, Sequence
from dataclasses import replace
from functools import partial
from types import TracebackType
from typing import BinaryIO

import numpy as np
import numpy.typing as npt

from ..catalog import Progress, plan_tasks
from ..config import Config
from ..errors import IndexConfigError, IndexFileError, InputError
from ..jit import started_meanwhile
from ..models import Document, PackedPair, Report, Skipped, skip_order
from ..parallel import Workers, ordered_map
from ..pipeline import PathArg, find_pairs, make_report, path_list, views_of, without_changed, without_documents
from ..sources import STDIN, Unit, nothing_to_scan, open_inputs, plan_reading
from ..views import View
from .catalogs import Member, checked_catalog, members, stored_bands, whole_catalog
from .commons import all_keys, clean_entries, document_counts, restate
from .records import Added, Bands, Entry, IndexInfo, Keys, Removed, Stored
from .schema import schema_version
from .store import Store, index_files
from .texts import IndexBatch, IndexTexts, index_task, share, unshare

#: ``check`` runs in the calling process when its input is at most this many bytes (about 4,000
#: articles): starting worker processes costs more than they save on a few articles (measured:
#: 1,000 articles against 100k, 1.7 s in process, 10.4 s with two workers on a loaded machine).
IN_PROCESS_BYTES = 16 << 20

#: ``add`` commits once the documents it wrote since its last commit are this share of those the
#: index held then (and at least after every task). The band keys are hashes, so one commit's keys
#: land on nearly every page of their B-tree and a commit writes about all of it again: commits a
#: task apart made an add quadratic in the index's size (news-like articles: 2,200 documents took
#: 12 s at 5,000 indexed and 27 s at 18,000). Commits that grow with the index write a few times
#: its size in all. A commit also comes after :data:`COMMIT_SECONDS`, so that another writer
#: waiting for the index (up to ``store.BUSY_SECONDS``) gets its turn.
COMMIT_GROWTH = 0.25
COMMIT_SECONDS = 20.0

#: The options that shape what the index stores: fixed when it is made (``boilerplate_min_docs``
#: too: the content view's signatures leave out the segments common in that many documents).
FINGERPRINT_OPTIONS = ("scheme", "ngram", "num_perm", "seed", "min_words", "lsh_threshold", "boilerplate_min_docs")


class Index:
    """A persistent index of documents to add to and check new ones against (an SQLite file).

    ``config``: the options for this session. Those that shape fingerprints
    (:data:`FINGERPRINT_OPTIONS`) are stored when the index is made and must match afterwards
    (:class:`~dupefind.errors.IndexConfigError` names the one that does not); ``None`` takes
    the index's. ``keep_texts`` (chosen when the index is made; ``None``: the index's, or ``True``
    for a new one): store texts compressed, or only
    where they were read. ``create``: make the file when missing.
    """

    def __init__(self, path: str | os.PathLike[str], config: Config | None = None, *, keep_texts: bool | None = None,
                 create: bool = True) -> None:
        if config is not None and not isinstance(config, Config):
            raise TypeError(f"config must be a dupefind.Config, not {type(config).__name__}")
        self.path = os.fspath(path)
        self._store = Store(self.path, create=create)
        try:
            self.config, self.keep_texts = self._settle(config, keep_texts)
            self.views = views_of(self.config)
            self._check_views()
            self._store.value_types = tuple(view.dtype for view in self.views)
        except BaseException:
            self._store.abandon()
            self._store.close()
            raise
        share(self._store)

    def _settle(self, config: Config | None, keep_texts: bool | None) -> tuple[Config, bool]:
        with self._store.errors():
            stored = self._store.meta("config")
        if stored is None:
            from .. import __version__  # the package's version, set once the package has loaded

            config = config or Config()
            fingerprint = {name: config.as_dict()[name] for name in FINGERPRINT_OPTIONS}
            with self._store.writing():
                self._store.set_meta({"config": json.dumps(fingerprint), "texts": "no" if keep_texts is False else "yes",
                                      "created_by": __version__})
            return config, keep_texts is not False
        fingerprint = json.loads(stored)
        kept = self._store.meta("texts") == "yes"
        if keep_texts is not None and keep_texts != kept:
            raise IndexConfigError("keep_texts", f"is {kept} in the index {self.path} (texts "
                                                 f"{'stored' if kept else 'not stored, only where they are'}), not "
                                                 f"{keep_texts}: it is chosen when the index is made")
        if config is None:
            return Config(**fingerprint), kept
        given = config.as_dict()
        for name in FINGERPRINT_OPTIONS:
            if given[name] != fingerprint[name]:
                raise IndexConfigError(name, f"is {fingerprint[name]!r} in the index {self.path}, not {given[name]!r}: "
                                             "an index keeps one fingerprint configuration (make another index to "
                                             "use another)")
        return config, kept

    def _check_views(self) -> None:
        """The candidate views' fingerprints are this code's (a newer dupefind may add or change views)."""
        made = [_view_shape(v) for v in self.views]
        with self._store.errors():
            stored = self._store.meta("views")
            if stored is None:
                with self._store.writing():
                    self._store.set_meta({"views": json.dumps(made)})
            elif json.loads(stored) != made:
                raise IndexFileError(f"{self.path} was built with other candidate views ({stored}) than this "
                                     f"dupefind uses ({json.dumps(made)}): make the index again")

    def __enter__(self) -> Index:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        unshare(self._store)
        self._store.close()

    def add(self, paths: PathArg | Iterable[PathArg], *, replace_changed: bool = False,
            stdin: BinaryIO | None = None, progress: Progress | None = None) -> Added:
        """Add the documents under ``paths`` (as ``scan`` reads them: a list of files and folders,
        or one), one transaction per task of the first pass. An id already indexed with the same
        text is left as it is; with another text it is skipped, or replaced with
        ``replace_changed``."""
        self._store.check_open()
        started = time.perf_counter()
        paths = path_list(paths)
        counts = {"added": 0, "replaced": 0, "unchanged": 0}
        seen: dict[str, str] = {}
        skipped: list[Skipped] = []
        with open_inputs(paths, stdin=stdin) as real:
            tasks, skipped, total = self._plan(paths, real)
            done = 0
            try:
                with self._store.errors():
                    held = self._store.counts()["documents"]
                with self._store.writing():
                    written, since = 0, time.monotonic()  # documents read since the last commit, and when
                    for batch in ordered_map(self._first_pass(keep_texts=self.keep_texts), tasks,
                                             jobs=self.config.processes):
                        skipped += batch.fingerprints.skipped
                        if written and (written >= COMMIT_GROWTH * held or time.monotonic() - since >= COMMIT_SECONDS):
                            self._store.commit_and_go_on()
                            held, written, since = held + written, 0, time.monotonic()
                        self._add_batch(batch, seen, skipped, counts, replace_changed)
                        written += len(batch.fingerprints.documents)
                        done += batch.fingerprints.size
                        if progress is not None:
                            progress("read", len(seen), done, total)
            except IndexFileError:
                self._store.abandon()  # an index this add made and could not write a document to: not left behind
                raise
            if not seen:
                raise InputError(nothing_to_scan(list(paths), skipped, include=self.config.include,
                                                 exclude=self.config.exclude))
        with self._store.errors():
            documents = self._store.counts()["documents"]
        self._store.checkpoint()
        ordered = sorted(skipped, key=skip_order)
        return Added(counts["added"], counts["replaced"], counts["unchanged"],
                     tuple(s for s in ordered if not s.ignored), tuple(s for s in ordered if s.ignored), documents,
                     time.perf_counter() - started)

    def _plan(self, given: Sequence[str], real: Sequence[str]) -> tuple[list[list[Unit]], list[Skipped], int]:
        config = self.config
        names = {r: STDIN for g, r in zip(given, real) if g == STDIN}
        units = [u for u in plan_reading(real, include=config.include, exclude=config.exclude,
                                         follow_symlinks=config.follow_symlinks, shown_as=names,
                                         max_bytes=config.max_document_bytes) if not self._own_file(u)]
        tasks = list(plan_tasks(u for u in units if isinstance(u, Unit)))
        return tasks, [u for u in units if isinstance(u, Skipped)], sum(u.size for t in tasks for u in t)

    def _own_file(self, found: Unit | Skipped) -> bool:
        """Whether a folder's walk found the index itself, or the files SQLite keeps beside it
        (``-wal``, ``-shm``, ``-journal``): they are passed over, not read as documents (the
        index, binary, was "skipped", and the exit code said an input could not be read)."""
        if isinstance(found, Unit) and not found.in_folder:
            return False  # named on the command line: read (and skipped) as asked
        path = found.path if isinstance(found, Unit) else found.path if found.ignored else ""
        return bool(path) and os.path.realpath(path) in {os.path.realpath(name) for name in index_files(self._store.path)}

    def _first_pass(self, *, keep_texts: bool) -> partial[IndexBatch]:
        c = self.config
        return partial(index_task, views=self.views, seed=c.seed, min_words=c.min_words, id_field=c.id_field,
                       text_field=c.text_field, keep_texts=keep_texts)

    def _add_batch(self, batch: IndexBatch, seen: dict[str, str], skipped: list[Skipped], counts: dict[str, int],
                   replace_changed: bool) -> None:
        found = batch.fingerprints
        present = self._store.by_ids([d.id for d in found.documents])
        entries: list[Entry] = []
        replacing: list[Stored] = []
        for k, (member, bands) in enumerate(members(found, views=self.views)):
            doc = member.document
            if doc.id in seen:
                skipped.append(Skipped(_where(doc.path, member.location.line),
                                       f"duplicate id {doc.id!r} (first read from {seen[doc.id]})"))
                continue
            seen[doc.id] = doc.path
            if doc.id not in present and self._indexed_as(member, batch.hashes[k]) is not None:
                counts["unchanged"] += 1  # the same file, added under another spelling of its path
                continue
            if doc.id in present:
                if present[doc.id][1] == batch.hashes[k]:
                    counts["unchanged"] += 1
                    continue
                if not replace_changed:
                    skipped.append(Skipped(_where(doc.path, member.location.line),
                                           f"id {doc.id!r} is already in the index with another text "
                                           "(--replace replaces it)"))
                    continue
                replacing.append(present[doc.id][0])
            entries.append(Entry(
                document=doc, location=replace(member.location, path=os.path.abspath(member.location.path)),
                text_field=self.config.text_field, content_hash=batch.hashes[k], sketches=member.sketches,
                exact_key=member.exact_key or None, segments=member.segments, text=batch.texts[k], band_keys=bands))
        gone = [_segments(s) for s in replacing]
        touched = all_keys([e.segments for e in entries] + gone)
        before = self._store.segment_counts(touched)
        after = before + document_counts(touched, [e.segments for e in entries]) - document_counts(touched, gone)
        c = self.config
        entries, left = clean_entries(entries, touched[after >= c.boilerplate_min_docs], views=self.views, seed=c.seed,
                                      min_words=c.min_words, load=self._texts())
        numbers = self._store.add(entries, replacing=replacing,
                                  replacing_bands=[stored_bands(s, views=self.views) for s in replacing])
        self._restate(touched, before, after, [(numbers[k], entries[k].segments) for k in left],
                      clean=frozenset(numbers))
        counts["added"] += len(entries) - len(replacing)
        counts["replaced"] += len(replacing)

    def _restate(self, touched: Keys, before: npt.NDArray[np.int64], after: npt.NDArray[np.int64],
                 added: list[tuple[int, Keys]], *, clean: frozenset[int] = frozenset()) -> None:
        """Keep the stored rows of the views without boilerplate true to the index's commons
        after a write (:mod:`.commons`; inside the write's transaction)."""
        c = self.config
        restate(self._store, touched, before, after, added, clean=clean, views=self.views, seed=c.seed, min_words=c.min_words,
                min_docs=c.boilerplate_min_docs, load=self._texts())

    def check(self, paths: PathArg | Iterable[PathArg], *, stdin: BinaryIO | None = None,
              progress: Progress | None = None) -> Report:
        """The pairs between the documents under ``paths`` (as for ``scan``) and the indexed ones,
        and among the new ones: what a scan of the index plus these documents would report about
        them. Adds nothing. The report lists the new documents; an id already indexed is skipped."""
        self._store.check_open()
        started = time.perf_counter()
        paths = path_list(paths)
        with open_inputs(paths, stdin=stdin) as real:
            tasks, skipped, total = self._plan(paths, real)
            jobs = self.config.processes if total > IN_PROCESS_BYTES else 1
            with Workers(jobs) as workers, started_meanwhile():
                return self._check(paths, tasks, skipped, workers, progress, started)

    def _check(self, paths: Sequence[str], tasks: list[list[Unit]], skipped: list[Skipped], workers: Workers,
               progress: Progress | None, started: float) -> Report:
        batches = list(ordered_map(self._first_pass(keep_texts=False), tasks, jobs=workers.jobs, workers=workers))
        with self._store.reading():
            new = self._new(batches, skipped)
            if not new:
                raise InputError(nothing_to_scan(list(paths), skipped, include=self.config.include,
                                                 exclude=self.config.exclude))
            c = self.config
            catalog, involving, candidates = checked_catalog(self._store, new, views=self.views, seed=c.seed,
                                                             min_words=c.min_words, min_docs=c.boilerplate_min_docs,
                                                             load=self._texts(), threads=workers.jobs)
            pairs, changed = find_pairs(catalog, self.config, views=self.views, progress=progress,
                                        involving=involving, load=self._texts(), workers=workers,
                                        candidates=candidates)
        # A new file that changed between its two reads is skipped, as a scan skips it.
        fresh = replace(catalog, documents=tuple(catalog.documents[k] for k in sorted(involving)),
                        locations=tuple(catalog.locations[k] for k in sorted(involving)),
                        skipped=tuple(sorted(skipped, key=skip_order)))
        renumbered = {old: new for new, old in enumerate(sorted(involving))}
        documents, kept_skipped, pairs = without_changed(fresh, pairs, {renumbered[k] for k in changed if k in renumbered})
        # An indexed document that can no longer be read as it was added: its pairs dropped, and said.
        _, moved, pairs = _without_moved(catalog.documents, pairs, {k for k in changed if k not in renumbered})
        return make_report(documents, pairs, tuple(sorted((*kept_skipped, *moved), key=skip_order)),
                           self.config, seconds=time.perf_counter() - started)

    def _new(self, batches: list[IndexBatch], skipped: list[Skipped]) -> list[tuple[Member, Bands]]:
        kept: list[tuple[Member, Bands]] = []
        seen: dict[str, str] = {}
        for batch in batches:
            skipped += batch.fingerprints.skipped
            present = self._store.by_ids([d.id for d in batch.fingerprints.documents])
            for k, (member, bands) in enumerate(members(batch.fingerprints, views=self.views)):
                doc = member.document
                where = _where(doc.path, member.location.line)
                if doc.id in seen:
                    skipped.append(Skipped(where, f"duplicate id {doc.id!r} (first read from {seen[doc.id]})"))
                elif doc.id in present:
                    skipped.append(Skipped(where, f"id {doc.id!r} is already in the index (check compares new "
                                                  "documents; `dupefind index remove` it first to check it again)"))
                elif (indexed := self._indexed_as(member, batch.hashes[k])) is not None:
                    skipped.append(Skipped(where, f"the same file is already in the index as {indexed!r} (check "
                                                  "compares new documents)"))
                else:
                    seen[doc.id] = doc.path
                    kept.append((member, bands))
        return kept

    def _indexed_as(self, member: Member, content_hash: bytes) -> str | None:
        """The id under which the file ``member`` was read from is indexed with the same text,
        when another spelling of its path named it (``$PWD/arts/x.txt`` for ``arts/x.txt``:
        the same resolved path); ``None`` otherwise, and for JSONL, Parquet and stdin records."""
        location = member.location
        if location.kind not in ("text", "html") or not member.exact_key:
            return None
        real = os.path.realpath(location.path)
        return next((ident for ident, stored in self._store.same_texts(member.exact_key, content_hash)
                     if stored.kind == location.kind and os.path.realpath(stored.path) == real), None)

    def _texts(self) -> IndexTexts:
        return IndexTexts(self.path, self.config.text_field)

    def pairs(self, *, progress: Progress | None = None) -> Report:
        """Every pair inside the index: the report of a scan of all its documents."""
        self._store.check_open()
        started = time.perf_counter()
        with self._store.reading():
            catalog = whole_catalog(self._store, views=self.views, min_docs=self.config.boilerplate_min_docs)
            pairs, changed = find_pairs(catalog, self.config, views=self.views, progress=progress, load=self._texts())
        documents, skipped, pairs = _without_moved(catalog.documents, pairs, changed)
        return make_report(documents, pairs, skipped, self.config, seconds=time.perf_counter() - started)

    def remove(self, ids: str | Iterable[str]) -> Removed:
        """Remove the documents with these ids (one transaction): a list of ids, or one (a
        string is one id, not the ids of its characters)."""
        self._store.check_open()
        if isinstance(ids, str):
            ids = [ids]
        elif isinstance(ids, (bytes, bytearray)) or not isinstance(ids, Iterable):
            raise TypeError(f"ids must be an id (str) or a list of them, not {type(ids).__name__}")
        wanted = list(ids)
        if not all(isinstance(i, str) for i in wanted):
            raise TypeError(f"each id must be a str: {next(i for i in wanted if not isinstance(i, str))!r}")
        with self._store.writing():
            unique = list(dict.fromkeys(wanted))
            present = self._store.by_ids(unique)
            stored = [present[i][0] for i in unique if i in present]
            gone = [_segments(s) for s in stored]
            touched = all_keys(gone)
            before = self._store.segment_counts(touched)
            self._store.delete(stored, [stored_bands(s, views=self.views) for s in stored])
            self._restate(touched, before, before - document_counts(touched, gone), [])
        return Removed(tuple(s.document.id for s in stored), tuple(i for i in unique if i not in present))

    def info(self) -> IndexInfo:
        """The index's size, contents and configuration."""
        self._store.check_open()
        with self._store.reading():
            counts = self._store.counts()
            created_by = self._store.meta("created_by") or "?"
        size = sum(os.path.getsize(p) for p in (self.path, self.path + "-wal") if os.path.exists(p))
        fingerprint = {name: self.config.as_dict()[name] for name in FINGERPRINT_OPTIONS}
        return IndexInfo(self.path, counts["documents"], counts["short_documents"], counts["batches"],
                         counts["segment_keys"], size, schema_version(), fingerprint, self.keep_texts, created_by)


#: Why an indexed document whose text cannot be read as it was added is left out of a report.
MOVED = ("has moved or changed since it was added to the index, which keeps only where its texts are: its pairs "
         "are left out; if it changed, add it again with `dupefind index add --replace`; if it moved, remove it "
         "with `dupefind index remove` and add it where it is now")


def _without_moved(documents: tuple[Document, ...], pairs: list[PackedPair], moved: set[int]
                   ) -> tuple[tuple[Document, ...], tuple[Skipped, ...], list[PackedPair]]:
    """``documents`` and ``pairs`` without the ``moved`` documents (indexed, whose texts could
    not be read again as they were added), and a skipped entry saying so for each: the rest of
    the report stands, as a scan's does when a file changes under it."""
    skipped = (Skipped(documents[k].path if documents[k].id == documents[k].path
                       else f"{documents[k].path} (id {documents[k].id!r})", MOVED) for k in moved)
    kept, pairs = without_documents(documents, pairs, moved)
    return kept, tuple(sorted(skipped, key=skip_order)), pairs


def _view_shape(view: View) -> dict[str, object]:
    """What of a view shapes the signatures and band keys the index stores."""
    return {"name": view.name, "family": view.family, "ngram": view.ngram, "window": view.window,
            "num_perm": view.num_perm, "lsh_threshold": view.lsh_threshold, "sample": view.sample,
            "without_boilerplate": view.without_boilerplate, "value_bits": view.value_bits,
            "extra_bands": view.extra_bands}


def _segments(stored: Stored) -> Keys:
    return np.frombuffer(stored.segments, dtype=np.uint64)


def _where(path: str, line: int) -> str:
    return f"{path}:{line}" if line else path
