"""Dedup's Parquet rows written again: as strict JSON objects (:func:`json_row`), or as Parquet
with the input's schema and metadata (:class:`ParquetSink`).

A Parquet value becomes JSON so that every strict reader takes it, and says what it was:

- a float NaN or ±infinity (no JSON number) is ``null``; a float32 or float16 is written with
  the fewest digits that read back as the same value (``0.1``, not ``0.10000000149011612``);
- binary (fixed-size, large or not) is a string of its bytes in base64 (RFC 4648, with padding);
- a timestamp is ISO 8601 (a fraction of a second when there is one), in UTC with ``Z`` when the column
  has a time zone (``2024-01-01T12:00:00Z``), without a zone otherwise; a date ``2024-01-01``; a
  time of day ``12:00:00.5``; a duration ``PT5S`` (seconds, ``-PT1.5S`` when negative);
- a decimal is a string of its exact digits (``"12.50"``);
- a map is an object when its keys are strings, otherwise a list of ``[key, value]`` pairs; a
  struct an object, a list an array, a dictionary-encoded value its value.
"""

from __future__ import annotations

import base64
import datetime
import math
from collections.abc import Sequence
from functools import lru_cache
from typing import IO, Any

import numpy as np

from .dedup_plan import Removal
from .parquet_source import NEEDS_PYARROW, layout, read_group
from .sources import Record

#: The columns a removed row gets (replacing columns of those names), as in JSONL.
ADDED = ("duplicate_of", "duplicate_match")


def _arrow() -> Any:
    try:
        import pyarrow as pa  # type: ignore[import-untyped]  # pyarrow ships no type information
    except ImportError:
        raise RuntimeError(NEEDS_PYARROW) from None
    return pa


def json_row(path: str, group: int, row: int) -> dict[str, Any]:
    """Every column of one row (``row`` from 1 over the file, in row group ``group``) as a JSON
    value, by the rules of this module."""
    table = _group(path, group)
    index = row - layout(path)[group][0] - 1
    return {name: json_value(table.column(number)[index]) for number, name in enumerate(table.column_names)}


@lru_cache(maxsize=2)
def _group(path: str, group: int) -> Any:
    """A whole row group (every column), kept while its rows are written (they come in order)."""
    return read_group(path, group, None)


def release() -> None:
    """Let go of the row groups kept (at the end of a dedup: a later one may read a new file of
    the same name)."""
    _group.cache_clear()


def json_value(scalar: Any) -> Any:
    """One Arrow scalar as a JSON value (see the module's rules)."""
    pa = _arrow()
    types = pa.types
    kind = scalar.type
    if not scalar.is_valid:
        return None
    if types.is_dictionary(kind):
        return json_value(scalar.value)
    if types.is_floating(kind):
        value = scalar.as_py()
        if not math.isfinite(value):
            return None
        return float(str(np.float32(value) if types.is_float32(kind) else np.float16(value))) \
            if kind.bit_width < 64 else value
    if types.is_binary(kind) or types.is_large_binary(kind) or types.is_fixed_size_binary(kind) \
            or getattr(types, "is_binary_view", lambda _: False)(kind):
        return base64.b64encode(scalar.as_py()).decode("ascii")
    if types.is_timestamp(kind):
        return _instant(scalar.value, kind.unit, bool(kind.tz))
    if types.is_duration(kind):
        return _duration(scalar.value, kind.unit)
    if types.is_time(kind):
        return _instant(scalar.value, kind.unit, False).partition("T")[2]
    if types.is_date(kind):
        return scalar.as_py().isoformat()
    if types.is_decimal(kind):
        return str(scalar.as_py())
    if types.is_map(kind):
        pairs = [(json_value(item[0]), json_value(item[1])) for item in scalar.values]
        if all(isinstance(key, str) for key, _ in pairs):
            return dict(pairs)
        return [list(pair) for pair in pairs]
    if types.is_struct(kind):
        return {kind.field(i).name: json_value(scalar[i]) for i in range(kind.num_fields)}
    if types.is_list(kind) or types.is_large_list(kind) or types.is_fixed_size_list(kind) \
            or getattr(types, "is_list_view", lambda _: False)(kind):
        return [json_value(item) for item in scalar.values]
    value = scalar.as_py()
    return value if isinstance(value, (str, int, bool)) else str(value)


_PER_SECOND = {"s": 1, "ms": 1_000, "us": 1_000_000, "ns": 1_000_000_000}
_EPOCH = datetime.datetime(1970, 1, 1)


def _instant(value: int, unit: str, utc: bool) -> str:
    """``value`` units since the epoch in ISO 8601 (a fraction of a second when there is one)."""
    seconds, fraction = divmod(value, _PER_SECOND[unit])
    return (_EPOCH + datetime.timedelta(seconds=seconds)).isoformat() + _fraction(fraction, unit) + ("Z" if utc else "")


def _duration(value: int, unit: str) -> str:
    """``value`` units as an ISO 8601 duration in seconds (``PT5S``, ``PT0.25S``, ``-PT3S``)."""
    seconds, fraction = divmod(abs(value), _PER_SECOND[unit])
    return f"{'-' if value < 0 else ''}PT{seconds}{_fraction(fraction, unit)}S"


def _fraction(fraction: int, unit: str) -> str:
    """``.5`` for 500 ms: the digits of a fraction of a second, without trailing zeros."""
    digits = str(fraction).rjust(len(str(_PER_SECOND[unit])) - 1, "0").rstrip("0")
    return "." + digits if digits else ""


def input_schema(paths: Sequence[str]) -> Any:
    """The one schema (with its metadata, from the first file) of the Parquet files ``paths``;
    :class:`ValueError` naming the first file whose columns differ."""
    import pyarrow.parquet as pq  # type: ignore[import-untyped]  # pyarrow ships no type information

    schemas = [(path, pq.ParquetFile(path).schema_arrow) for path in paths]
    first_path, first = schemas[0]
    for path, schema in schemas[1:]:
        if not schema.equals(first, check_metadata=False):
            raise ValueError(f"{path} has other columns than {first_path}; Parquet output needs one schema")
    return first


def removed_schema(schema: Any) -> Any:
    """``schema`` with ``duplicate_of`` (the kept id, as its report names it) and
    ``duplicate_match`` (the pair: ``id``, ``similarity``, ``containment``, ``kinds``) at its end."""
    pa = _arrow()
    for name in ADDED:
        if name in schema.names:
            schema = schema.remove(schema.get_field_index(name))
    match = pa.struct([("id", pa.string()), ("similarity", pa.float64()), ("containment", pa.float64()),
                       ("kinds", pa.list_(pa.string()))])
    return schema.append(pa.field("duplicate_of", pa.string())).append(pa.field("duplicate_match", match))


class ParquetSink:
    """Rows of the input's Parquet files written to ``handle`` with the input's schema (a removed
    row with :data:`ADDED` columns), a row group of the input at a time."""

    def __init__(self, handle: IO[bytes], schema: Any, *, removed: bool) -> None:
        import pyarrow.parquet as pq

        self._pa = _arrow()
        self._schema = schema
        self._out = removed_schema(schema) if removed else schema
        self._writer = pq.ParquetWriter(handle, self._out)
        self._group: tuple[str, int] | None = None
        self._rows: list[int] = []
        self._why: list[Removal] = []

    def add(self, record: Record, why: Removal | None) -> None:
        """The row ``record`` was read from, kept (``why`` is ``None``) or removed."""
        path, group, row = record.location.path, record.location.offset, record.location.line
        if self._group != (path, group):
            self._flush()
            self._group = (path, group)
        self._rows.append(row - layout(path)[group][0] - 1)
        if why is not None:
            self._why.append(why)

    def close(self) -> None:
        """The rows left written, and the file's footer."""
        self._flush()
        self._writer.close()

    def _flush(self) -> None:
        if self._group is None or not self._rows:
            return
        pa = self._pa
        table = _group(*self._group).take(self._rows).select(self._schema.names).cast(self._schema)
        if self._why:
            for name in ADDED:
                if name in table.column_names:
                    table = table.drop_columns([name])
            match = [{"id": w.matched, "similarity": w.similarity, "containment": w.containment, "kinds": list(w.kinds)}
                     for w in self._why]
            table = table.append_column(self._out.field("duplicate_of"), pa.array([w.duplicate_of for w in self._why],
                                                                                   pa.string()))
            table = table.append_column(self._out.field("duplicate_match"),
                                        pa.array(match, self._out.field("duplicate_match").type))
        self._writer.write_table(table.replace_schema_metadata(self._out.metadata))
        self._rows, self._why = [], []
