"""Pairs as table rows: CSV (``--format csv``) and Parquet (``--format parquet``), one row per
pair, most similar first, for spreadsheets and data pipelines.

Columns (:data:`COLUMNS`): the two ids, the figures, the kind (kinds joined with ``+``, empty
when the pair has no passages) and the number of passages. The passages themselves are in the
JSON report. Parquet needs the ``parquet`` extra (pyarrow), imported only when asked for.

A CSV id that a spreadsheet would run as a formula (one starting with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return: a JSONL id is whatever the file says, such as
``=HYPERLINK(...)``) is written with an apostrophe before it, as OWASP advises against CSV
injection; spreadsheets show the id as text. The Parquet and JSON reports keep ids as they are.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

from ..errors import DupefindError
from ..models import Pair, Report

COLUMNS = ("a", "b", "kind", "similarity", "containment", "containment_a", "containment_b", "passages")
#: What a spreadsheet takes for the start of a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def pair_row(pair: Pair) -> tuple[str, str, str, float, float, float, float, int]:
    """One pair as a row of :data:`COLUMNS`."""
    kind = "+".join(pair.relation.kinds) if pair.relation is not None else ""
    return (pair.a, pair.b, kind, pair.similarity, pair.containment, pair.containment_a, pair.containment_b,
            len(pair.passages))


def report_csv_chunks(report: Report, *, rows_per_chunk: int = 1000) -> Iterator[str]:
    """The pairs as CSV (RFC 4180: a header line, then one line per pair, ``\\r\\n`` line ends,
    fields with commas, quotes or line breaks quoted), a chunk of rows at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for number, pair in enumerate(report.pairs, start=1):
        row = pair_row(pair)
        writer.writerow((as_text_cell(row[0]), as_text_cell(row[1]), *row[2:]))
        if number % rows_per_chunk == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def as_text_cell(value: str) -> str:
    """``value`` as a CSV cell no spreadsheet runs as a formula (an apostrophe before it when
    it starts like one)."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def report_csv(report: Report) -> str:
    """The pairs as one CSV text."""
    return "".join(report_csv_chunks(report))


def write_pairs_parquet(report: Report, path: str) -> None:
    """The pairs as a Parquet file of :data:`COLUMNS` (written as given: the caller makes it atomic)."""
    pa, pq = _pyarrow()
    columns: list[list[Any]] = [[] for _ in COLUMNS]
    for pair in report.pairs:
        for column, value in zip(columns, pair_row(pair)):
            column.append(value)
    types = [pa.string(), pa.string(), pa.string(), pa.float64(), pa.float64(), pa.float64(), pa.float64(),
             pa.int32()]
    table = pa.table({name: pa.array(values, type=kind) for name, values, kind in zip(COLUMNS, columns, types)})
    pq.write_table(table, path)


def _pyarrow() -> tuple[Any, Any]:
    try:
        import pyarrow as pa  # type: ignore[import-untyped]  # pyarrow ships no type information
        import pyarrow.parquet as pq  # type: ignore[import-untyped]  # (as above)
    except ImportError:
        raise DupefindError("Parquet needs pyarrow: pip install 'dupefind[parquet]'") from None
    return pa, pq

