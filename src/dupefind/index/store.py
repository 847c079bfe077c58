"""The index file: one SQLite database in WAL mode, read and written only through :class:`Store`.

Writers take the database lock for one batch at a time (``BEGIN IMMEDIATE`` ... ``COMMIT``), so
a crash leaves exactly the batches committed before it; readers see a consistent snapshot
while a writer works (WAL). Every SQLite error is turned into an
:class:`~dupefind.errors.IndexFileError` that names the file.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import shutil
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np
import numpy.typing as npt

from ..candidates import held_flags
from ..errors import IndexFileError
from ..models import Document, Location
from ..walk import file_kind
from . import runs
from .records import Bands, Entry, Keys, Sketch, Stored
from .schema import APPLICATION_ID, migrate, rollback, schema_version

#: The files SQLite keeps beside an index (its write-ahead log, shared memory, rollback
#: journal): part of it while it is open, and committed batches may still be in ``-wal``.
BESIDE = ("-wal", "-shm", "-journal")


def index_files(path: str) -> list[str]:
    """The index at ``path`` and the files SQLite keeps beside it (:data:`BESIDE`)."""
    return [path] + [path + suffix for suffix in BESIDE]

#: Waiting for another writer's batch, at most this many seconds.
BUSY_SECONDS = 60
#: Bytes per page of a new index: a compressed article (~2 KB) is one row of the ``texts``
#: table, and 4 KB pages would hold one each, half empty.
PAGE_SIZE = 16384
#: Parameters per ``IN (...)`` query.
_CHUNK = 500
_NONE = np.empty(0, dtype=np.int64)


_STORED = "doc, id, path, chars, words, short, exact_key, segments"


def _stored(row: tuple[Any, ...], sketches: dict[int, list[Sketch]]) -> Stored:
    doc, ident, path, chars, words, short, exact_key, segments = row
    return Stored(doc, Document(ident, path, chars, words, bool(short)), tuple(sketches.get(doc, ())), exact_key,
                  segments)


def _sketch(sizes: bytes, signatures: bytes, held: bytes | None, dtype: type[np.unsignedinteger[Any]]) -> Sketch:
    counts = np.frombuffer(sizes, dtype=np.uint32)
    values = np.frombuffer(signatures, dtype=dtype)
    return Sketch(counts, values.reshape(len(counts), -1) if len(counts) else values.reshape(0, 0),
                  np.frombuffer(held, dtype=bool) if held is not None else None)


def _held(sketch: Sketch) -> bytes | None:
    held = held_flags(sketch.held)
    return held.tobytes() if held is not None else None


#: Band-key entries a writer holds before it writes them as a run (~64 MB): an add of many
#: small batches makes runs of a few thousand documents, not one a batch, so there are fewer
#: to merge (each merge rewrites what it merges).
PENDING_ENTRIES = 1 << 22

#: The most band keys whose holders :meth:`Store.colliding` counts, to leave out the holders
#: of crowded keys (a check of a few dozen documents; a larger batch reads every holder, and
#: the candidate stage drops the crowded buckets itself: the same pairs).
CROWDED_PROBES = 20_000

def _why(error: sqlite3.OperationalError) -> str:
    """What to do about an error of SQLite's that says nothing of the index's contents."""
    text = str(error).lower()
    if "readonly" in text or "unable to open" in text or "disk i/o" in text:
        return (" (the index file and its folder must be writable, even to read it: SQLite keeps its "
                "write-ahead log and shared memory in files beside it)")
    if "locked" in text or "busy" in text:
        return " (another process holds it: try again when it is done)"
    return ""


#: Free bytes below which a disk I/O error is put down to a full disk (less than a page or two
#: of the index and of its write-ahead log).
FULL_BYTES = 4 * PAGE_SIZE


def _disk_full(error: sqlite3.OperationalError, path: str) -> bool:
    """Whether ``error`` comes of a full disk: SQLite says so (``SQLITE_FULL``: "database or
    disk is full"), or it says only "disk I/O error" (a failed write of its shared memory or
    log, ``ENOSPC`` not told) while the index's folder has no free space left."""
    if getattr(error, "sqlite_errorcode", 0) & 0xFF == sqlite3.SQLITE_FULL or "full" in str(error).lower():
        return True
    if "disk i/o" not in str(error).lower():
        return False
    try:
        free = shutil.disk_usage(os.path.dirname(os.path.abspath(path))).free
    except OSError:
        return False
    return free < FULL_BYTES


class Store:
    """An open index file (``create``: made when missing)."""

    def __init__(self, path: str, *, create: bool) -> None:
        self.path = path
        self.value_types: tuple[type[np.unsignedinteger[Any]], ...] = ()
        """The type of each view's signature values (:attr:`~dupefind.views.View.dtype`), told
        by the index once it knows its views (``uint32`` for a view not told)."""
        exists = os.path.exists(path)
        if not exists and not create:
            raise IndexFileError(f"no index at {path} (make one with `dupefind index add {path} PATH...`)")
        if exists and os.path.isdir(path):
            raise IndexFileError(f"{path} is a folder, not an index file")
        if exists and not os.path.isfile(path):  # SQLite would open it, and make a journal beside /dev/null
            raise IndexFileError(f"{path} is a {file_kind(os.stat(path).st_mode)}, not an index file")
        if exists and not create and os.path.getsize(path) == 0:  # (what a truncated index looks like)
            raise IndexFileError(f"{path} is an empty file, not an index (make one with `dupefind index add {path} "
                                 "PATH...`)")
        folder = os.path.dirname(os.path.abspath(path))
        if not exists and not os.path.isdir(folder):
            raise IndexFileError(f"cannot make the index {path}: folder {folder} does not exist")
        self.closed = False
        self.made = not exists
        """Whether this opening made the file (see :meth:`abandon`)."""
        self._pending: list[tuple[runs.Codes, runs.Docs]] = []
        """Band-key entries written and not yet in a run (:meth:`_band_entries`)."""
        self._pending_entries = 0
        self._pending_fresh = True
        try:
            self._open(path, exists)
        except BaseException:
            self.abandon()
            self.close()
            raise

    def _open(self, path: str, exists: bool) -> None:
        with self.errors():
            # An absolute path is a file's name to SQLite: never ":memory:" (a database nowhere) nor
            # a "file:" URI (whose name, and whether it is a file at all, SQLite would read from it).
            self.db = sqlite3.connect(os.path.abspath(path), isolation_level=None, timeout=BUSY_SECONDS,
                                      check_same_thread=False)
            self._check_kind()
            if not exists or os.path.getsize(path) == 0:
                self.db.execute(f"PRAGMA page_size = {PAGE_SIZE}")
            if self.db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                self.db.execute("PRAGMA journal_mode = WAL")
            self.db.execute("PRAGMA synchronous = NORMAL")
            self.db.execute("PRAGMA cache_size = -65536")  # 64 MB of pages
            try:
                migrate(self.db)
            except IndexFileError as error:
                raise IndexFileError(f"{path}: {error}") from None

    def _check_kind(self) -> None:
        application = self.db.execute("PRAGMA application_id").fetchone()[0]
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        tables = self.db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        if application != APPLICATION_ID and (tables or version):
            raise IndexFileError(f"{self.path} is a SQLite database but not a dupefind index")
        if version > schema_version():
            raise IndexFileError(f"{self.path} was made by a newer dupefind (index schema {version}; this version "
                                 f"reads up to {schema_version()}): upgrade dupefind to use it")

    @contextmanager
    def errors(self) -> Iterator[None]:
        """SQLite's errors as :class:`IndexFileError` naming the file (an index used after it
        was closed is a :class:`ValueError`, as a closed file's is: nothing is wrong with it)."""
        self.check_open()
        try:
            yield
        except sqlite3.ProgrammingError as error:
            self.check_open()
            raise IndexFileError(f"{self.path} cannot be used as an index: {error}") from None
        except sqlite3.OperationalError as error:
            if _disk_full(error, self.path):  # (a fault of the disk, not of the index)
                raise IndexFileError(f"cannot write the index {self.path}: the disk is full ({error})") from None
            raise IndexFileError(f"{self.path} cannot be used as an index: {error}{_why(error)}") from None
        except sqlite3.DatabaseError as error:
            raise IndexFileError(f"{self.path} cannot be used as an index: {error} (not a dupefind index, or a "
                                 "damaged one: make it again with `dupefind index add`)") from None

    @contextmanager
    def reading(self) -> Iterator[None]:
        """One consistent snapshot for the queries inside (a writer may commit meanwhile)."""
        with self.errors():
            self.db.execute("BEGIN")
            try:
                yield
            finally:
                rollback(self.db)

    @contextmanager
    def writing(self) -> Iterator[None]:
        """One transaction, holding the write lock: all of it is committed, or none."""
        with self.errors():
            self.db.execute("BEGIN IMMEDIATE")
            try:
                yield
                self._write_pending()
            except BaseException:
                self._pending, self._pending_entries, self._pending_fresh = [], 0, True
                rollback(self.db)
                raise
            self.db.execute("COMMIT")

    def commit_and_go_on(self) -> None:
        """Inside :meth:`writing`: commit what is written so far, and go on in a new transaction."""
        self._write_pending()
        self.db.execute("COMMIT")
        self.db.execute("BEGIN IMMEDIATE")

    def checkpoint(self) -> None:
        """Copy what the write-ahead log holds into the index and empty the log (its file is
        otherwise left as large as the largest run of writes: 26 MB beside a 17 MB index after
        an add). Best effort: a reader holding an old snapshot leaves the rest for later."""
        with self.errors(), contextlib.suppress(sqlite3.OperationalError):
            self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def check_open(self) -> None:
        if self.closed:
            raise ValueError(f"the index {self.path} is closed (used after close() or after its with block)")

    def close(self) -> None:
        self.closed = True
        if hasattr(self, "db"):
            self.db.close()

    def abandon(self) -> None:
        """After a failure (a full disk): when this opening made the index file and no document
        was committed to it, close it and remove the file (and SQLite's files beside it), so that
        a failed first ``add`` leaves no stub that looks like an index."""
        if not self.made:
            return
        if hasattr(self, "db") and not self.closed:
            with contextlib.suppress(sqlite3.Error):
                if self.db.execute("SELECT count(*) FROM documents").fetchone()[0]:
                    return  # committed batches: kept, as after any interrupted add
        self.close()
        for name in index_files(self.path):
            with contextlib.suppress(OSError):
                os.unlink(name)

    # --- meta -----------------------------------------------------------------------------

    def meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, values: dict[str, str]) -> None:
        """Inside :meth:`writing`."""
        self.db.executemany("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", values.items())

    # --- writing ---------------------------------------------------------------------------

    def add(self, entries: Sequence[Entry], *, replacing: Sequence[Stored] = (),
            replacing_bands: Sequence[Bands] = ()) -> list[int]:
        """Store ``entries`` as one batch, after deleting ``replacing`` (inside :meth:`writing`):
        their document numbers."""
        self.delete(replacing, replacing_bands)
        first = self.db.execute("SELECT coalesce(max(doc), 0) + 1 FROM documents").fetchone()[0]
        batch = self.db.execute("INSERT INTO batches (documents, added_at) VALUES (?, ?)",
                                (len(entries), dt.datetime.now(dt.UTC).isoformat(timespec="seconds"))).lastrowid
        numbers = range(first, first + len(entries))
        self.db.executemany(
            f"INSERT INTO documents ({_STORED}, content_hash, location, batch) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            ((n, e.document.id, e.document.path, e.document.chars, e.document.words, int(e.document.short),
              e.exact_key, e.segments.tobytes(), e.content_hash, _location_json(e.location, e.text_field), batch)
             for n, e in zip(numbers, entries)))
        self.db.executemany("INSERT INTO sketches (doc, view, sizes, signatures, held) VALUES (?, ?, ?, ?, ?)",
                            ((n, view, sketch.sizes.tobytes(), sketch.signatures.tobytes(), _held(sketch))
                             for n, e in zip(numbers, entries) for view, sketch in enumerate(e.sketches)))
        self.db.executemany("INSERT INTO texts (doc, data) VALUES (?, ?)",
                            ((n, e.text) for n, e in zip(numbers, entries) if e.text is not None))
        self._band_entries(*runs.entries(numbers, [e.band_keys for e in entries], sign=1), fresh=True)
        self._count_segments([e.segments for e in entries], +1)
        self._holders("INSERT INTO segment_docs (key, doc) VALUES (?, ?)", numbers, [e.segments for e in entries])
        return list(numbers)

    def delete(self, stored: Sequence[Stored], bands: Sequence[Bands]) -> None:
        """Delete documents with their band keys, sketches, text and segment counts (inside
        :meth:`writing`)."""
        if not stored:
            return
        self._band_entries(*runs.entries([s.doc for s in stored], bands, sign=-1))
        segments = [np.frombuffer(s.segments, dtype=np.uint64) for s in stored]
        self._count_segments(segments, -1)
        self._holders("DELETE FROM segment_docs WHERE key = ? AND doc = ?", [s.doc for s in stored], segments)
        for table in ("sketches", "texts", "documents"):
            self.db.executemany(f"DELETE FROM {table} WHERE doc = ?", ((s.doc,) for s in stored))

    def _holders(self, statement: str, docs: Iterable[int], per_document: Sequence[Keys]) -> None:
        numbers = np.concatenate([np.full(len(k), n, dtype=np.int64) for n, k in zip(docs, per_document)] + [_NONE])
        keys = np.concatenate([k.view(np.int64) for k in per_document] + [_NONE])
        order = np.lexsort((numbers, keys))
        self.db.executemany(statement, zip(keys[order].tolist(), numbers[order].tolist()))

    def replace_sketches(self, changes: Sequence[tuple[int, dict[int, Sketch], Bands, Bands]]) -> None:
        """Replace some documents' rows in some views (each change: the document, its new rows
        by view number, its band keys in those views before and after; inside :meth:`writing`)."""
        self.db.executemany("UPDATE sketches SET sizes = ?, signatures = ?, held = ? WHERE doc = ? AND view = ?",
                            ((s.sizes.tobytes(), s.signatures.tobytes(), _held(s), doc, view)
                             for doc, rows, _, _ in changes for view, s in rows.items()))
        docs = [doc for doc, _, _, _ in changes]
        removed = runs.entries(docs, [old for _, _, old, _ in changes], sign=-1)
        added = runs.entries(docs, [new for _, _, _, new in changes], sign=1)
        self._band_entries(np.concatenate((removed[0], added[0])), np.concatenate((removed[1], added[1])))

    def _band_entries(self, codes: runs.Codes, docs: runs.Docs, *, fresh: bool = False) -> None:
        """Band-key entries written (inside :meth:`writing`): held until there are
        :data:`PENDING_ENTRIES` of them, or the transaction commits, then written as one run
        (``fresh``: of documents just numbered, :func:`.runs.write`)."""
        self._pending.append((codes, docs))
        self._pending_entries += len(codes)
        self._pending_fresh &= fresh
        if self._pending_entries >= PENDING_ENTRIES:
            self._write_pending()

    def _write_pending(self) -> None:
        if self._pending:
            pending, fresh = self._pending, self._pending_fresh
            self._pending, self._pending_entries, self._pending_fresh = [], 0, True
            runs.write(self.db, np.concatenate([c for c, _ in pending]), np.concatenate([d for _, d in pending]),
                       fresh=fresh)

    def _count_segments(self, per_document: list[Keys], sign: int) -> None:
        if not per_document:
            return
        keys, counts = np.unique(np.concatenate(per_document), return_counts=True)
        rows = zip(keys.view(np.int64).tolist(), (sign * counts).tolist())
        self.db.executemany("INSERT INTO segments (key, docs) VALUES (?, ?) "
                            "ON CONFLICT (key) DO UPDATE SET docs = docs + excluded.docs", rows)
        if sign < 0:
            self.db.execute("DELETE FROM segments WHERE docs <= 0")

    # --- reading ---------------------------------------------------------------------------

    def by_ids(self, ids: Sequence[str]) -> dict[str, tuple[Stored, bytes]]:
        """The stored documents with these ids, with their content hashes."""
        rows: list[tuple[Any, ...]] = []
        for k in range(0, len(ids), _CHUNK):
            chunk = ids[k : k + _CHUNK]
            rows += self.db.execute(f"SELECT {_STORED}, content_hash FROM documents WHERE id IN "
                                    f"({','.join('?' * len(chunk))})", chunk).fetchall()
        sketches = self._sketches([row[0] for row in rows])
        return {row[1]: (_stored(row[:-1], sketches), row[-1]) for row in rows}

    def by_numbers(self, docs: Sequence[int]) -> list[Stored]:
        rows: list[tuple[Any, ...]] = []
        for k in range(0, len(docs), _CHUNK):
            chunk = docs[k : k + _CHUNK]
            rows += self.db.execute(f"SELECT {_STORED} FROM documents WHERE doc IN ({','.join('?' * len(chunk))})",
                                    chunk).fetchall()
        sketches = self._sketches([row[0] for row in rows])
        return [_stored(row, sketches) for row in rows]

    def _sketches(self, docs: Sequence[int]) -> dict[int, list[Sketch]]:
        found: dict[int, list[Sketch]] = {}
        for k in range(0, len(docs), _CHUNK):
            chunk = docs[k : k + _CHUNK]
            for doc, view, sizes, signatures, held in self.db.execute(
                    f"SELECT doc, view, sizes, signatures, held FROM sketches WHERE doc IN ({','.join('?' * len(chunk))}) "
                    "ORDER BY doc, view", chunk):
                found.setdefault(doc, []).append(_sketch(sizes, signatures, held, self._value_type(view)))
        return found

    def _value_type(self, view: int) -> type[np.unsignedinteger[Any]]:
        return self.value_types[view] if view < len(self.value_types) else np.uint32

    def size(self) -> tuple[int, int]:
        """How many documents the index holds, and how many words they hold."""
        documents, words = self.db.execute("SELECT count(*), coalesce(sum(words), 0) FROM documents").fetchone()
        return int(documents), int(words)

    def numbers(self) -> set[int]:
        """The number of every document."""
        return {row[0] for row in self.db.execute("SELECT doc FROM documents")}

    def everything(self) -> list[Stored]:
        """Every document."""
        sketches: dict[int, list[Sketch]] = {}
        for doc, view, sizes, signatures, held in self.db.execute(
                "SELECT doc, view, sizes, signatures, held FROM sketches ORDER BY doc, view"):
            sketches.setdefault(doc, []).append(_sketch(sizes, signatures, held, self._value_type(view)))
        return [_stored(row, sketches) for row in self.db.execute(f"SELECT {_STORED} FROM documents")]

    def colliding(self, bands: Sequence[Bands], *,
                  most: Sequence[int] = ()) -> tuple[set[int], list[tuple[int, int, int]]]:
        """The documents that have one of these band keys (:func:`.runs.holders`), and apart, as
        ``(view, band, key)``, the keys of a view ``v`` held by more than ``most[v]`` indexed
        documents (0 or none given: no limit), whose holders are left out unless another key
        names them. Keys are counted for a few documents' keys only (at most
        :data:`CROWDED_PROBES`; with more, every holder is kept, as the candidate stage sorts
        out their buckets anyway)."""
        views, band, keys = runs.columns(bands)
        probes, first = np.unique(runs.codes_of(views, band, keys), return_index=True)
        self._write_pending()  # (inside a writer's transaction: what it wrote counts)
        held, docs = runs.holders(self.db, probes)
        crowded: list[tuple[int, int, int]] = []
        limit = max(most, default=0)
        if limit and len(probes) <= CROWDED_PROBES:
            at = np.searchsorted(probes, held)
            counts = np.bincount(at, minlength=len(probes))
            allowed = np.array([most[v] if v < len(most) else 0 for v in views[first].tolist()], dtype=np.int64)
            over = (allowed > 0) & (counts > allowed)
            crowded = sorted(zip(views[first][over].tolist(), band[first][over].tolist(),
                                 keys[first][over].view(np.int64).tolist()))
            docs = docs[~over[at]]
        return set(docs.tolist()), crowded

    def _temporary(self, name: str, columns: str, rows: Iterable[tuple[int, ...]]) -> None:
        """A temporary table ``name`` holding ``rows`` (this connection only; outside the index)."""
        self.db.execute(f"CREATE TEMP TABLE IF NOT EXISTS {name} ({columns})")
        self.db.execute(f"DELETE FROM temp.{name}")
        marks = ",".join("?" * (columns.count(",") + 1))
        self.db.executemany(f"INSERT INTO temp.{name} VALUES ({marks})", rows)

    def same_texts(self, exact_key: bytes, content_hash: bytes) -> list[tuple[str, Location]]:
        """The ids and locations of the documents with this text (its words' hash, then its own)."""
        rows = self.db.execute("SELECT id, location FROM documents WHERE exact_key = ? AND content_hash = ?",
                               (exact_key, content_hash)).fetchall()
        return [(ident, location_of(data)[0]) for ident, data in rows]

    def same_words(self, exact_keys: Sequence[bytes]) -> set[int]:
        """The documents whose words hash to one of ``exact_keys`` (identical texts)."""
        found: set[int] = set()
        for key in set(exact_keys):
            found.update(doc for (doc,) in self.db.execute("SELECT doc FROM documents WHERE exact_key = ?", (key,)))
        return found

    def segment_counts(self, keys: Keys) -> npt.NDArray[np.int64]:
        """In how many indexed documents each of the sorted unique ``keys`` occurs."""
        signed = keys.view(np.int64)
        self._temporary("wanted", "key INTEGER", ((key,) for key in signed.tolist()))
        found = self.db.execute("SELECT s.key, s.docs FROM temp.wanted w CROSS JOIN segments s ON s.key = w.key")
        counts = dict(found.fetchall())
        return np.array([counts.get(key, 0) for key in signed.tolist()], dtype=np.int64)

    def holding(self, keys: Keys) -> set[int]:
        """The documents that hold one of the segment ``keys``."""
        self._temporary("held", "key INTEGER", ((key,) for key in sorted(set(keys.view(np.int64).tolist()))))
        rows = self.db.execute("SELECT DISTINCT s.doc FROM temp.held h CROSS JOIN segment_docs s ON s.key = h.key")
        return {doc for (doc,) in rows}

    def common_segments(self, min_docs: int) -> Keys:
        """The sorted segment keys found in at least ``min_docs`` indexed documents."""
        rows = self.db.execute("SELECT key FROM segments WHERE docs >= ?", (min_docs,)).fetchall()
        keys = np.array([key for (key,) in rows], dtype=np.int64).view(np.uint64)
        keys.sort()
        return keys

    def text_of(self, doc: int) -> tuple[bytes | None, str, bytes]:
        """A document's compressed text (or ``None``), its location (JSON) and its content hash."""
        row = self.db.execute("SELECT t.data, d.location, d.content_hash FROM documents d LEFT JOIN texts t "
                              "ON t.doc = d.doc WHERE d.doc = ?", (doc,)).fetchone()
        if row is None:
            raise IndexFileError(f"{self.path}: document {doc} was removed while it was being read")
        return row[0], str(row[1]), bytes(row[2])

    def counts(self) -> dict[str, int]:
        """Documents, short documents, banded documents, batches and segment keys."""
        row = self.db.execute("SELECT count(*), coalesce(sum(short), 0) FROM documents").fetchone()
        batches = self.db.execute("SELECT count(*) FROM batches").fetchone()[0]
        segments = self.db.execute("SELECT count(*) FROM segments").fetchone()[0]
        return {"documents": row[0], "short_documents": row[1], "batches": batches,
                "segment_keys": segments}


def _location_json(location: Location, text_field: str) -> str:
    return json.dumps({"path": location.path, "kind": location.kind, "line": location.line,
                       "offset": location.offset, "encoding": location.encoding, "text_field": text_field})


def location_of(data: str) -> tuple[Location, str]:
    """A stored location (JSON) as a :class:`Location` and the JSONL text field."""
    fields = json.loads(data)
    text_field = fields.pop("text_field")
    return Location(**fields), str(text_field)
