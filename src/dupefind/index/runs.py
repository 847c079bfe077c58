"""The index's LSH band keys as sorted runs of packed blocks: a log-structured merge.

One SQLite row per band key made an add quadratic: a document has ~1,750 keys, hashes that land
all over a clustered B-tree, so each batch rewrote nearly every page of it, and SQLite's floor of
~1 µs a row alone was several times a scan's whole cost a document (benchmarks/RESULTS.md,
thirty-fourth round). Here each write (documents added, removed or sketched again) is one *run*:

- its entries are ``(code, doc)``: the key's :func:`~dupefind.candidates.key_codes` code (as a
  signed 64-bit integer, SQLite's kind) and the document's number, negated for a removal;
- sorted by code (then document), cut into blocks of about :data:`BLOCK` entries, one row of
  ``band_blocks`` each (codes and documents packed), keyed by the run and the block's first code.
  No code is cut across two blocks, and no block crosses a shard (a 1/:data:`SHARDS` slice of the
  code space), so a block holds all of a run's entries of each code in it.

Runs merge as a binary counter: while the run before the newest holds no more entries than the
newest, the two become one. There are then about log2(entries / batch) runs, and an entry is
rewritten about as many times. A merge goes a few shards at a time (it holds about
:data:`MERGED_AT_ONCE` entries, never all of two large runs): of each code and document it keeps
the newest entry, an addition or a removal, as SQL's ``INSERT OR IGNORE`` and ``DELETE`` would
leave a row, and a merge into the oldest run drops the removals (nothing is under them). Two runs
of documents only added (``fresh``) hold no code and document twice: their merge is a sort.

A lookup (:func:`holders`) takes, in each run, the one block where each probe code would be (the
block of the greatest first code not past it: one B-tree descent), or reads the run a shard at a
time when the probes outnumber half its blocks; a key's holders are the documents whose newest
entry of it, over all runs, is an addition.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence

import numpy as np
import numpy.typing as npt

from ..arrays import in_sorted
from ..candidates import key_codes
from .records import Bands

Codes = npt.NDArray[np.int64]
Docs = npt.NDArray[np.int64]

#: Entries a block holds, about (more when one code has more holders): ~1.5 KB a row, so that a
#: lookup of a document's ~1,750 keys reads ~2.6 MB a run (64: twice the rows to write).
BLOCK = 128
#: Slices of the code space a merge or a run's reading goes through one at a time (a million
#: documents' ~1.75 billion entries: ~80 MB a shard).
SHARDS = 256
_SHARD_BITS = 8  # log2(SHARDS)
_SHARD_SHIFT = 64 - _SHARD_BITS
#: Entries a merge reads at once, about (a few shards of large runs; small runs whole): ~50 MB.
MERGED_AT_ONCE = 1 << 22
#: Probes per block of a run from which the whole run is read (a shard at a time) rather than
#: one block looked up for each probe (a descent of the B-tree costs about what reading two
#: blocks does).
_DENSE = 0.5
_NONE = np.empty(0, dtype=np.int64)


def entries(docs: Sequence[int], bands: Sequence[Bands], *, sign: int) -> tuple[Codes, Docs]:
    """The entries of documents numbered ``docs`` with these band keys: added (``sign`` 1) or
    removed (-1)."""
    numbers = np.concatenate([np.full(len(b.keys), sign * n, dtype=np.int64) for n, b in zip(docs, bands)] + [_NONE])
    return codes_of(*columns(bands)), numbers


def columns(bands: Sequence[Bands]) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.uint64]]:
    """The views, bands and keys of several documents' band keys, one after the other."""
    return (np.concatenate([b.views for b in bands] + [_NONE]), np.concatenate([b.bands for b in bands] + [_NONE]),
            np.concatenate([b.keys for b in bands] + [_NONE.view(np.uint64)]))


def codes_of(views: npt.NDArray[np.int64], bands: npt.NDArray[np.int64], keys: npt.NDArray[np.uint64]) -> Codes:
    """Each ``(view, band, key)``'s code, as SQLite holds it (signed)."""
    return key_codes(views.astype(np.uint8), bands.astype(np.uint16), keys).view(np.int64)


def write(db: sqlite3.Connection, codes: Codes, docs: Docs, *, fresh: bool = False) -> None:
    """Write entries as a new run and merge what the rule asks (inside a transaction).
    ``fresh``: additions only, of documents no run holds (a document may repeat a key): a merge
    of two such runs has no key and document twice, and need not look for them."""
    codes, docs = settled(codes, docs, last=False)
    if not len(codes):
        return
    run = _new_run(db, fresh=fresh)
    _finish(db, run, len(codes), _write_blocks(db, run, codes, docs))
    while len(runs := db.execute("SELECT run, entries FROM band_runs ORDER BY run").fetchall()) >= 2:
        (older, older_entries), (newer, newer_entries) = runs[-2], runs[-1]
        if older_entries > newer_entries:
            break
        _merge(db, older, newer, last=len(runs) == 2)


def settled(codes: Codes, docs: Docs, *, last: bool, distinct: bool = False) -> tuple[Codes, Docs]:
    """Entries (oldest first) sorted by code, then document, each ``(code, document)`` once: its
    newest entry, an addition or a removal, as SQL's ``INSERT OR IGNORE`` and ``DELETE`` would
    leave a row. ``last``: no run is under these entries, so a removal has nothing to remove and
    is dropped. ``distinct``: no ``(code, document)`` is there twice (sorted by code alone)."""
    order = np.argsort(codes, kind="stable")  # (two sorted runs one after the other: merged in one pass)
    codes, docs = codes[order], docs[order]
    tied = codes[1:] == codes[:-1]
    if not distinct and tied.any():  # a code held more than once: its entries by document (stable: oldest first)
        held = np.zeros(len(codes), dtype=bool)
        held[1:] |= tied
        held[:-1] |= tied
        at = np.flatnonzero(held)
        group = np.cumsum(np.concatenate(([True], ~tied)))[at]  # (a code's number, then the document: one key)
        docs[at] = docs[at[np.argsort((group << 31) | np.abs(docs[at]), kind="stable")]]
        same = tied & (np.abs(docs[1:]) == np.abs(docs[:-1]))
        if same.any():
            newest = np.flatnonzero(np.concatenate((~same, [True])))
            codes, docs = codes[newest], docs[newest]
    if not last:
        return codes, docs
    keep = docs > 0
    return codes[keep], docs[keep]


def holders(db: sqlite3.Connection, probes: Codes) -> tuple[Codes, Docs]:
    """The ``(code, document)`` of every document holding one of the sorted unique ``probes``."""
    found: dict[int, list[tuple[Codes, Docs]]] = {}
    runs = db.execute("SELECT run, blocks, entries FROM band_runs ORDER BY run").fetchall()
    few = [run for run, blocks, _ in runs if len(probes) < _DENSE * blocks]
    for run, codes, docs in _looked_up(db, few, probes):  # (whole blocks: their other codes too)
        keep = in_sorted(codes, probes)
        found.setdefault(run, []).append((codes[keep], docs[keep]))
    for run, _, entries in (r for r in runs if len(probes) >= _DENSE * r[1]):
        slices = [(0, (0, len(probes)))] if entries <= MERGED_AT_ONCE else _shards_of(probes)  # (small: whole)
        for shard, (start, stop) in slices:
            first, last = _bounds(shard) if entries > MERGED_AT_ONCE else (-(2**63), 2**63 - 1)
            codes, docs = _read(db.execute("SELECT codes, docs FROM band_blocks WHERE run = ? AND first >= ? "
                                           "AND first <= ? ORDER BY first", (run, first, last)))
            keep = in_sorted(codes, probes[start:stop])
            found.setdefault(run, []).append((codes[keep], docs[keep]))
    parts = [part for run in sorted(found) for part in found[run]]  # oldest run first: the newest entry wins
    return settled(np.concatenate([c for c, _ in parts] + [_NONE]), np.concatenate([d for _, d in parts] + [_NONE]),
                   last=True)


def live(db: sqlite3.Connection) -> tuple[Codes, Docs]:
    """Every ``(code, document)`` the runs hold (for tests and inspection: it reads every run
    whole)."""
    codes, docs = _read(db.execute("SELECT codes, docs FROM band_blocks ORDER BY run, first"))
    return settled(codes, docs, last=True)


def _looked_up(db: sqlite3.Connection, runs: list[int], probes: Codes) -> Iterator[tuple[int, Codes, Docs]]:
    """The blocks of ``runs`` where the ``probes`` would be (one descent each), a run at a time."""
    if not runs or not len(probes):
        return
    db.execute("CREATE TEMP TABLE IF NOT EXISTS band_probes (code INTEGER)")
    db.execute("DELETE FROM temp.band_probes")
    db.executemany("INSERT INTO temp.band_probes VALUES (?)", ((code,) for code in probes.tolist()))
    db.execute("CREATE TEMP TABLE IF NOT EXISTS band_probed (run INTEGER PRIMARY KEY)")
    db.execute("DELETE FROM temp.band_probed")
    db.executemany("INSERT INTO temp.band_probed VALUES (?)", ((run,) for run in runs))
    rows = db.execute(
        "SELECT b.run, b.codes, b.docs FROM (SELECT DISTINCT r.run AS run, (SELECT x.first FROM band_blocks x "
        "WHERE x.run = r.run AND x.first <= p.code ORDER BY x.first DESC LIMIT 1) AS first "
        "FROM temp.band_probes p CROSS JOIN temp.band_probed r) w "
        "CROSS JOIN band_blocks b ON b.run = w.run AND b.first = w.first")
    blocks: dict[int, tuple[list[bytes], list[bytes]]] = {}
    for run, packed_codes, packed_docs in rows:
        codes, docs = blocks.setdefault(run, ([], []))
        codes.append(packed_codes)
        docs.append(packed_docs)
    for run, (codes, docs) in blocks.items():
        yield run, *_unpacked(codes, docs)


def _read(rows: sqlite3.Cursor) -> tuple[Codes, Docs]:
    """Blocks' entries, one after the other."""
    codes, docs = [], []
    for packed_codes, packed_docs in rows:
        codes.append(packed_codes)
        docs.append(packed_docs)
    return _unpacked(codes, docs)


def _unpacked(codes: list[bytes], docs: list[bytes]) -> tuple[Codes, Docs]:
    return (np.frombuffer(b"".join(codes), dtype=np.int64),
            np.frombuffer(b"".join(docs), dtype=np.int32).astype(np.int64))


def _shard(codes: Codes) -> npt.NDArray[np.int64]:
    return (codes >> _SHARD_SHIFT) + SHARDS // 2


def _bounds(shard: int) -> tuple[int, int]:
    """The codes of a shard: ``first <= code <= last``."""
    first = (shard - SHARDS // 2) << _SHARD_SHIFT
    return first, first + (1 << _SHARD_SHIFT) - 1


def _shards_of(codes: Codes) -> Iterator[tuple[int, tuple[int, int]]]:
    """Each shard the sorted ``codes`` reach, with the slice of them in it."""
    shards = _shard(codes)
    present = np.unique(shards)
    starts = np.searchsorted(shards, present)
    stops = np.searchsorted(shards, present, side="right")
    yield from zip(present.tolist(), zip(starts.tolist(), stops.tolist()))


def _new_run(db: sqlite3.Connection, *, fresh: bool) -> int:
    run = db.execute("INSERT INTO band_runs (entries, blocks, fresh) VALUES (0, 0, ?)", (int(fresh),)).lastrowid
    assert run is not None
    return run


def _finish(db: sqlite3.Connection, run: int, count: int, blocks: int) -> None:
    if count:
        db.execute("UPDATE band_runs SET entries = ?, blocks = ? WHERE run = ?", (count, blocks, run))
    else:
        db.execute("DELETE FROM band_runs WHERE run = ?", (run,))


def _write_blocks(db: sqlite3.Connection, run: int, codes: Codes, docs: Docs) -> int:
    """Sorted entries written as blocks of ``run``: how many blocks."""
    if not len(codes):
        return 0
    changes = np.flatnonzero(np.concatenate(([True], codes[1:] != codes[:-1])))  # where each code starts
    cuts = changes[np.minimum(np.searchsorted(changes, np.arange(0, len(codes), BLOCK)), len(changes) - 1)]
    shards = _shard(codes)
    crossings = np.flatnonzero(shards[1:] != shards[:-1]) + 1
    cuts = np.unique(np.concatenate((cuts, crossings, [len(codes)])))
    cuts = cuts[cuts > 0]
    starts = np.concatenate(([0], cuts[:-1]))
    packed = docs.astype(np.int32)
    db.executemany("INSERT INTO band_blocks (run, first, codes, docs) VALUES (?, ?, ?, ?)",
                   ((run, int(codes[a]), codes[a:b].tobytes(), packed[a:b].tobytes())
                    for a, b in zip(starts.tolist(), cuts.tolist())))
    return len(cuts)


def _merge(db: sqlite3.Connection, older: int, newer: int, *, last: bool) -> None:
    """Runs ``older`` and ``newer`` as one new run, a few shards at a time, about
    :data:`MERGED_AT_ONCE` entries (``last``: ``older`` is the oldest run)."""
    sizes = db.execute("SELECT entries, fresh FROM band_runs WHERE run IN (?, ?)", (older, newer)).fetchall()
    entries, fresh = sum(n for n, _ in sizes), all(f for _, f in sizes)
    run = _new_run(db, fresh=fresh)
    count = blocks = 0
    step = SHARDS >> min(max(0, (entries // MERGED_AT_ONCE).bit_length()), _SHARD_BITS)
    for shard in range(0, SHARDS, step):
        first, last_code = _bounds(shard)[0], _bounds(shard + step - 1)[1]
        codes, docs = _read(db.execute("SELECT codes, docs FROM band_blocks WHERE run IN (?, ?) AND first >= ? AND "
                                       "first <= ? ORDER BY run, first", (older, newer, first, last_code)))
        if len(codes):
            codes, docs = settled(codes, docs, last=last, distinct=fresh)
            count += len(codes)
            blocks += _write_blocks(db, run, codes, docs)
    for gone in (older, newer):
        db.execute("DELETE FROM band_blocks WHERE run = ?", (gone,))
        db.execute("DELETE FROM band_runs WHERE run = ?", (gone,))
    _finish(db, run, count, blocks)


def from_rows(db: sqlite3.Connection, rows: sqlite3.Cursor, *, chunk: int = 1 << 20) -> None:
    """Runs made of ``(view, band, key, doc)`` rows (keys signed), ``chunk`` rows a run before
    merging (an index of the schema that kept a row a key)."""
    while batch := rows.fetchmany(chunk):
        views, band, keys, docs = (np.array(column, dtype=np.int64) for column in zip(*batch))
        write(db, codes_of(views, band, keys.view(np.uint64)), docs)
