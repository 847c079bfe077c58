"""The index's band keys as runs of blocks: whatever is written, added and removed, in whatever
batches, a lookup finds what a table of ``(code, document)`` rows would hold after the same
``INSERT OR IGNORE`` and ``DELETE`` statements."""

from __future__ import annotations

import sqlite3

import numpy as np
import pytest

from dupefind.index import runs
from dupefind.index.schema import migrate


def _db() -> sqlite3.Connection:
    db = sqlite3.connect(":memory:", isolation_level=None)
    migrate(db)
    return db


def _codes(rng: np.random.Generator, count: int, spread: int) -> np.ndarray:
    """Codes over the whole signed range, ``spread`` distinct values (few: many holders a code)."""
    pool = rng.integers(-(2**63), 2**63 - 1, spread, dtype=np.int64, endpoint=True)
    return pool[rng.integers(0, spread, count)]


@pytest.mark.parametrize(("spread", "at_once"), [(50, 1 << 22), (100_000, 1 << 22), (100_000, 500)])
def test_runs_hold_what_was_added_less_what_was_removed(spread: int, at_once: int,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runs, "MERGED_AT_ONCE", at_once)  # (500: merged a shard or a few at a time)
    rng = np.random.default_rng(spread)
    db = _db()
    held: dict[int, set[int]] = {}  # document -> its codes
    next_doc = 1
    for step in range(60):
        db.execute("BEGIN")
        if step % 4 == 3 and held:  # remove some documents
            gone = rng.choice(sorted(held), size=min(len(held), 3), replace=False).tolist()
            codes = np.concatenate([np.array(sorted(held[d]), dtype=np.int64) for d in gone])
            docs = np.concatenate([np.full(len(held[d]), -d, dtype=np.int64) for d in gone])
            runs.write(db, codes, docs)
            for d in gone:
                del held[d]
        elif step % 4 == 2 and held:  # sketch some again: some codes go, others come
            doc = int(rng.choice(sorted(held)))
            old = np.array(sorted(held[doc]), dtype=np.int64)
            new = np.unique(np.concatenate((old[: len(old) // 2], _codes(rng, 40, spread))))
            runs.write(db, np.concatenate((old, new)),
                       np.concatenate((np.full(len(old), -doc), np.full(len(new), doc))).astype(np.int64))
            held[doc] = set(new.tolist())
        elif step % 8 == 1 and held:  # blind writes, as SQL takes them: a key added again, one never held removed
            doc = int(rng.choice(sorted(held)))
            again = np.array(sorted(held[doc]), dtype=np.int64)[:5]
            absent = _codes(rng, 5, spread)
            absent = absent[~np.isin(absent, list(held[doc]))]
            runs.write(db, np.concatenate((again, absent)),
                       np.concatenate((np.full(len(again), doc), np.full(len(absent), -doc))).astype(np.int64))
        else:  # add documents, a code sometimes twice in one (kept once)
            count = int(rng.integers(1, 30))
            codes, docs = [], []
            for doc in range(next_doc, next_doc + count):
                mine = _codes(rng, int(rng.integers(0, 200)), spread)
                codes.append(mine)
                docs.append(np.full(len(mine), doc, dtype=np.int64))
                held[doc] = set(mine.tolist())
            next_doc += count
            runs.write(db, np.concatenate(codes), np.concatenate(docs), fresh=bool(step % 3))
        db.execute("COMMIT")
        expected = {(c, d) for d, codes in held.items() for c in codes}
        codes, docs = runs.live(db)
        assert set(zip(codes.tolist(), docs.tolist())) == expected
        assert len(codes) == len(expected)
        probes = np.unique(np.concatenate((_codes(rng, 300, spread), rng.choice(codes, min(len(codes), 300))
                                           if len(codes) else codes[:0])))
        for few, small in ((True, 1 << 22), (False, 1 << 22), (False, 10)):  # one block a probe, or every
            with pytest.MonkeyPatch.context() as patch:  # shard the probes reach read whole, or the run whole
                patch.setattr(runs, "_DENSE", 1e9 if few else 0.0)
                patch.setattr(runs, "MERGED_AT_ONCE", small)
                found_codes, found_docs = runs.holders(db, probes)
            wanted = set(probes.tolist())
            assert set(zip(found_codes.tolist(), found_docs.tolist())) == {(c, d) for c, d in expected if c in wanted}
        count = db.execute("SELECT count(*) FROM band_runs").fetchone()[0]
        assert count <= 1 + max(1, len(expected)).bit_length()  # merged as a binary counter


def test_no_code_is_cut_across_blocks_and_no_block_crosses_a_shard() -> None:
    rng = np.random.default_rng(3)
    db = _db()
    codes = np.concatenate((_codes(rng, 5_000, 300), np.full(500, 12345, dtype=np.int64)))
    db.execute("BEGIN")
    runs.write(db, codes, np.arange(1, len(codes) + 1, dtype=np.int64))
    db.execute("COMMIT")
    seen: set[int] = set()
    for first, packed in db.execute("SELECT first, codes FROM band_blocks ORDER BY run, first"):
        block = np.frombuffer(packed, dtype=np.int64)
        assert block[0] == first and (np.diff(block) >= 0).all()
        assert not seen & set(block.tolist())  # every code in one block only
        seen |= set(block.tolist())
        assert len(set((block >> 56).tolist())) == 1  # one shard
        assert len(block) <= runs.BLOCK or len(set(block.tolist())) <= 2
