"""An ``index add`` killed with SIGKILL leaves an index that opens, passes SQLite's integrity
check, holds exactly the batches committed before the kill, and completes when the same add is
run again; ``check`` runs while a writer adds (a real process, killed for real)."""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from conftest import SAMPLES, run_main, sample_files

import dupefind
from dupefind import Config, Index, InputError
from dupefind.index import runs
from dupefind.report import report_json


def _articles(folder: Path, count: int) -> list[str]:
    """``count`` unrelated articles of 150-250 words drawn from the samples' words (seeded)."""
    words = [w for name in sample_files() if name.endswith(".txt")
             for w in (SAMPLES / name).read_text(encoding="utf-8").split()]
    chooser = random.Random(7)
    folder.mkdir()
    for k in range(count):
        text = " ".join(chooser.choices(words, k=chooser.randint(150, 250)))
        (folder / f"a{k:05d}.txt").write_text(text, encoding="utf-8")
    return sorted(str(p) for p in folder.iterdir())


def _consistent(path: Path) -> tuple[int, int]:
    """Integrity check, whole batches only, and band keys, segment counts and segment holders
    that match the documents; the number of batches and of documents."""
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        batches = db.execute("SELECT batch, documents FROM batches").fetchall()
        for batch, documents in batches:
            assert db.execute("SELECT count(*) FROM documents WHERE batch = ?", (batch,)).fetchone()[0] == documents
        total = db.execute("SELECT count(*) FROM documents").fetchone()[0]
        assert total == sum(d for _, d in batches)
        numbers = {doc for (doc,) in db.execute("SELECT doc FROM documents")}
        assert set(runs.live(db)[1].tolist()) == numbers
        assert db.execute("SELECT count(*) FROM texts").fetchone()[0] == total
        keys = [np.frombuffer(s, dtype=np.uint64) for (s,) in db.execute("SELECT segments FROM documents")]
        found, counts = np.unique(np.concatenate(keys), return_counts=True) if keys else ([], [])
        held = db.execute("SELECT key, doc FROM segment_docs").fetchall()
        assert sorted(held) == sorted((int(key), doc) for doc, keys in db.execute("SELECT doc, segments FROM documents")
                                      for key in np.frombuffer(keys, dtype=np.uint64).view(np.int64))
        stored = dict(db.execute("SELECT key, docs FROM segments").fetchall())
        assert stored == dict(zip(np.asarray(found, dtype=np.uint64).view(np.int64).tolist(),
                                  np.asarray(counts).tolist()))
    return len(batches), total


def test_a_killed_add_leaves_the_committed_batches_and_the_same_add_completes(tmp_path: Path) -> None:
    paths = _articles(tmp_path / "docs", 6000)  # 256 files a batch: 24 batches
    copy = tmp_path / "warm-copy.txt"
    copy.write_text(Path(paths[0]).read_text(encoding="utf-8"), encoding="utf-8")
    with Index(tmp_path / "warm.index", Config(jobs=1)) as warm:  # compiled code and banding loaded here first,
        warm.add(paths[:2])  # the aligner's too (a check finding a copy), so that the reader's checks
        assert warm.check([str(copy)]).pairs  # below take less time than the writer's add (~15 s) would
        warm.check(paths[2:3])
    index = tmp_path / "docs.index"
    command = [sys.executable, "-m", "dupefind", "index", "add", str(index), str(tmp_path / "docs"), "--jobs", "1"]
    writer = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 300
        committed = 0
        while committed < 2 and time.monotonic() < deadline and writer.poll() is None:
            time.sleep(0.05)
            if index.exists():
                try:
                    with sqlite3.connect(f"file:{index}?mode=ro", uri=True) as db:
                        committed = db.execute("SELECT count(*) FROM batches").fetchone()[0]
                except sqlite3.OperationalError:
                    committed = 0  # the tables are not made yet
        # a reader while the writer adds
        with Index(index, create=False) as reader:
            with pytest.raises(InputError, match="is already in the index"):
                reader.check([paths[0]])
            probe = tmp_path / "probe.txt"
            probe.write_text(Path(paths[1]).read_text(encoding="utf-8"), encoding="utf-8")
            assert [(p.a, p.b) for p in reader.check([str(probe)]).pairs] == [(paths[1], str(probe))]
        assert writer.poll() is None, "the add finished before it could be killed"
        os.kill(writer.pid, signal.SIGKILL)
    finally:
        writer.kill()
        writer.wait()
    batches, documents = _consistent(index)
    assert batches >= 2 and 0 < documents < len(paths)
    again = subprocess.run(command, capture_output=True, text=True, check=False)
    assert again.returncode == 0, again.stderr
    assert f"{len(paths) - documents:,} added" in again.stdout and f"{documents:,} already there" in again.stdout
    assert _consistent(index)[1] == len(paths)
    config = Config(jobs=1)
    with Index(index, config) as complete:
        assert report_json(complete.pairs()) == report_json(dupefind.scan([str(tmp_path / "docs")], config))


@pytest.mark.parametrize(("message", "said"), [
    ("attempt to write a readonly database", "must be writable, even to read it"),
    ("unable to open database file", "must be writable, even to read it"),
    ("database is locked", "another process holds it"),
])
def test_sqlite_errors_that_are_not_damage_say_what_to_do(tmp_path: Path, message: str, said: str) -> None:
    """An index in a folder that cannot be written to (SQLite's write-ahead log lives beside
    it) was called "damaged: make it again"; it is not, and the message says what is wrong."""
    from dupefind import IndexFileError
    from dupefind.index.store import Store

    store = Store(str(tmp_path / "idx.db"), create=True)
    with pytest.raises(IndexFileError) as caught, store.errors():
        raise sqlite3.OperationalError(message)
    assert said in str(caught.value) and "damaged" not in str(caught.value)
    with pytest.raises(IndexFileError, match="damaged"), store.errors():
        raise sqlite3.DatabaseError("file is not a database")


def test_an_empty_file_is_no_index_to_read_but_one_to_make(tmp_path: Path) -> None:
    """A 0-byte file is what a truncated index looks like: reading it is an error (``info`` and
    ``pairs`` wrote a schema into it and reported 0 documents); adding to it makes an index."""
    from conftest import run_main

    path = tmp_path / "empty.idx"
    path.write_bytes(b"")
    for command in (["info"], ["pairs"]):
        result = run_main(["index", *command, str(path)])
        assert result.exit_code == 2 and "an empty file, not an index" in result.stderr
    assert path.stat().st_size == 0
    with Index(path, create=True) as index:
        index.add(sorted(str(p) for p in SAMPLES.glob("*.txt"))[:3])
        assert index.info().documents == 3


class _FailingWrites(sqlite3.Connection):
    """A connection whose writes fail as SQLite's do when a write of its log or shared memory
    fails for want of space: with a bare "disk I/O error" (``ENOSPC`` not told)."""

    def execute(self, sql: str, *args: Any) -> sqlite3.Cursor:
        if sql.lstrip().upper().startswith("INSERT"):
            raise sqlite3.OperationalError("disk I/O error")
        return super().execute(sql, *args)

    def executemany(self, sql: str, *args: Any) -> sqlite3.Cursor:
        return self.execute(sql) if sql.lstrip().upper().startswith("INSERT") else super().executemany(sql, *args)


@pytest.mark.parametrize(("free", "said"), [
    (0, "cannot write the index {path}: the disk is full (disk I/O error)"),
    (1 << 30, "must be writable, even to read it"),
])
def test_adding_to_an_index_on_a_full_disk_says_the_disk_is_full(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                 free: int, said: str) -> None:
    """``index add`` to an existing index on a full disk blamed the index's permissions (SQLite
    says only "disk I/O error" when its shared memory cannot grow); with no space left in the
    index's folder it says the disk is full, and the index keeps what it held."""
    import dupefind.index.store as store

    path = tmp_path / "i.db"
    first = sorted(str(SAMPLES / name) for name in sample_files() if name.endswith(".txt"))
    assert run_main(["index", "add", str(path), *first[:3], "--jobs", "1"]).exit_code == 0
    connect, disk_usage = sqlite3.connect, shutil.disk_usage

    def failing(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        return connect(*args, **kwargs, factory=_FailingWrites)

    def disk(folder: str) -> Any:
        real = disk_usage(folder)
        return type(real)(real.total, real.total - free, free)

    monkeypatch.setattr(store.sqlite3, "connect", failing)
    monkeypatch.setattr(store.shutil, "disk_usage", disk)
    result = run_main(["index", "add", str(path), *first[3:6], "--jobs", "1"])
    assert result.exit_code == 2 and said.format(path=path) in " ".join(result.stderr.split()), result.stderr
    monkeypatch.undo()
    with Index(path, create=False) as index:
        assert index.info().documents == 3
