"""Pairs as CSV and Parquet: one row per pair, read back to the same figures."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from dupefind.models import Pair, Relation, Report
from dupefind.report.csv_report import COLUMNS, report_csv, report_csv_chunks, write_pairs_parquet


def report_of(pairs: list[Pair]) -> Report:
    return Report(config={}, documents=(), pairs=tuple(pairs), clusters=(), skipped=())


PAIRS = [
    Pair('a, "quoted"', "b\nnew line", 0.5, 0.75, 0.75, 0.6, True, (),
         Relation(("verbatim", "partial"), 1.0, 0.0, 0.9, 0.4, 0.0)),
    Pair("=cmd()", "ü/日本.txt", 0.25, 0.3, 0.2, 0.3, True, (), None),
]


def test_csv_parses_back_to_the_pairs() -> None:
    rows = list(csv.reader(io.StringIO(report_csv(report_of(PAIRS)), newline="")))
    assert tuple(rows[0]) == COLUMNS
    assert len(rows) == 1 + len(PAIRS)
    for row, pair in zip(rows[1:], PAIRS):
        record = dict(zip(COLUMNS, row))
        # An id a spreadsheet would run as a formula is written as text (OWASP: an apostrophe first).
        assert (record["a"], record["b"]) == tuple("'" + i if i.startswith("=") else i for i in (pair.a, pair.b))
        assert float(record["similarity"]) == pair.similarity
        assert float(record["containment_a"]) == pair.containment_a
        assert float(record["containment_b"]) == pair.containment_b
        assert int(record["passages"]) == len(pair.passages)
    assert rows[1][2] == "verbatim+partial" and rows[2][2] == ""


def test_csv_chunks_join_to_the_whole() -> None:
    many = report_of(PAIRS * 7)
    chunks = list(report_csv_chunks(many, rows_per_chunk=3))
    assert len(chunks) > 3
    assert "".join(chunks) == report_csv(many)


def test_parquet_round_trip(tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    path = tmp_path / "pairs.parquet"
    write_pairs_parquet(report_of(PAIRS), str(path))
    table = pq.read_table(path)
    assert tuple(table.column_names) == COLUMNS
    rows = table.to_pylist()
    assert [(r["a"], r["b"], r["similarity"], r["containment"], r["passages"]) for r in rows] == [
        (p.a, p.b, p.similarity, p.containment, len(p.passages)) for p in PAIRS]
    assert rows[0]["kind"] == "verbatim+partial"
