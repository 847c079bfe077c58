"""The first pass: batches, worker processes, progress; the result never depends on them."""

from __future__ import annotations

import json
import os
import random
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import dupefind
import dupefind.catalog
import dupefind.sources
from dupefind.candidates import Sketches
from dupefind.catalog import _reorder_rows, _Sketches
from dupefind.report import report_dict

BATCH = 256


@pytest.fixture(autouse=True)
def _small_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    """JSONL files cut into many small pieces, so that the tests' corpora make many tasks."""
    monkeypatch.setattr(dupefind.sources.jsonl, "JSONL_PIECE", 4096)
    monkeypatch.setattr(dupefind.catalog.tasks, "TASK_BYTES", 8192)

WORDS = ("the of and a in to is was it for with that by on this from which they or an were we "
         "river garden market tower signal winter harbour engine letter orchard ladder canvas "
         "pepper lantern meadow copper rocket violin glacier compass").split()


def corpus(path: Path, count: int) -> Path:
    """``count`` random 60-word documents in one JSONL file, three of them copied."""
    rng = random.Random(11)
    texts = [" ".join(rng.choice(WORDS) for _ in range(60)) for _ in range(count)]
    texts += texts[:3]
    with path.open("w", encoding="utf-8") as out:
        for number, text in enumerate(texts):
            out.write(json.dumps({"id": f"doc-{number:05d}", "text": text}) + "\n")
    return path


def without_jobs(report: dupefind.Report) -> str:
    data = report_dict(report)
    assert "jobs" not in data["config"]  # how the scan ran is not part of its report
    return json.dumps(data, sort_keys=True)


def test_worker_processes_give_the_same_report(tmp_path: Path) -> None:
    source = corpus(tmp_path / "docs.jsonl", 3 * BATCH)
    one = dupefind.scan([str(source)], dupefind.Config(jobs=1))
    two = dupefind.scan([str(source)], dupefind.Config(jobs=2))
    assert len(one.documents) == 3 * BATCH + 3
    assert without_jobs(one) == without_jobs(two)
    # The three planted copies are found whatever the number of processes.
    assert {("doc-00000", f"doc-{3 * BATCH:05d}")} <= {(p.a, p.b) for p in two.pairs}


def test_progress_counts_every_document(tmp_path: Path) -> None:
    source = corpus(tmp_path / "docs.jsonl", 2 * BATCH + 10)
    seen: list[tuple[str, int, int, int]] = []
    dupefind.scan([str(source)], dupefind.Config(jobs=2), progress=lambda *step: seen.append(step))
    reading = [step for step in seen if step[0] == "read"]
    assert len(reading) > 10 and reading == sorted(reading)
    assert reading[-1][1] == 2 * BATCH + 13 and reading[-1][2] == reading[-1][3] == source.stat().st_size
    verifying = [step for step in seen if step[0] == "verify"]
    assert verifying and verifying[-1][2] == verifying[-1][3] >= 3


def test_jobs_is_validated() -> None:
    with pytest.raises(dupefind.ConfigError) as caught:
        dupefind.Config(jobs=-1)
    assert caught.value.field == "jobs"


@given(st.permutations(range(12)), st.integers(1, 12))
def test_rows_reordered_in_place_as_numpy_indexing_does(order: list[int], count: int) -> None:
    order = [k for k in order if k < count]  # a permutation of range(count)
    rows = np.arange(len(order) * 3, dtype=np.uint32).reshape(-1, 3)
    expected = rows[order]
    _reorder_rows(rows, np.array(order, dtype=np.intp))
    assert np.array_equal(rows, expected)


def test_rows_grow_in_place() -> None:
    grown = _Sketches(4)
    batches = [np.full((n, 4), n, dtype=np.uint32) for n in (3, 0, 1, 7, 2)]
    first = 0
    for batch in batches:
        grown.extend(Sketches.whole(batch, np.full(len(batch), 5, dtype=np.uint32)), first_document=first)
        first += len(batch)
    assert np.array_equal(grown.sketches().signatures, np.concatenate(batches))
    assert grown.sketches().owners.tolist() == list(range(first))


def test_signature_rows_reserved_and_grown() -> None:
    """Rows fill the room reserved for them and are handed on as its first rows (the rest left
    for the held rows); past it, the array grows and is cut to its rows, not left twice their
    size with zeros."""
    from dupefind.candidates import Sketches
    from dupefind.catalog import _Sketches

    def batch(count: int, value: int) -> Sketches:
        return Sketches(np.arange(count, dtype=np.intp), np.full((count, 4), value, dtype=np.uint32),
                        np.ones(count, dtype=np.uint32))

    roomy = _Sketches(4, expected=10)
    roomy.extend(batch(3, 1), first_document=0)
    roomy.extend(batch(2, 2), first_document=3)
    kept = roomy.sketches()
    assert kept.signatures[:, 0].tolist() == [1, 1, 1, 2, 2] and kept.owners.tolist() == [0, 1, 2, 3, 4]
    assert kept.signatures.base is not None and len(kept.signatures.base) == 10  # the room left for held rows
    tight = _Sketches(4, expected=2)
    for k in range(5):
        tight.extend(batch(3, k), first_document=3 * k)
    grown = tight.sketches()
    assert grown.signatures[:, 0].tolist() == [k for k in range(5) for _ in range(3)]
    assert grown.signatures.flags.owndata and grown.signatures.shape == (15, 4)


def test_jobs_beyond_the_cores_count_as_the_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    # Each worker holds its own interpreter and batches: 1024 of them on 2 cores would only take
    # turns, and run out of memory.
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    assert [dupefind.Config(jobs=j).processes for j in (0, 1, 2, 3, 1024)] == [2, 1, 2, 2, 2]
