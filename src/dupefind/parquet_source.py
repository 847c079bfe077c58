"""Parquet input: one document per row, the id and text taken from two columns (the
``--id-field`` / ``--text-field`` names), read a row group at a time.

A file is cut into one piece per row group (:func:`parquet_pieces`), which a worker reads on
its own (:func:`read_parquet_piece`); a document is re-read from its row group
(:func:`load_parquet_text`, the last few row groups cached). A row is named ``FILE:ROW`` (ROW
counts from 1 over the whole file) when the id column is missing or null. Needs pyarrow (the
``parquet`` extra); without it a Parquet file is skipped with that reason.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .decoding import NotText, id_text

#: What a Parquet file is skipped with when pyarrow is missing.
NEEDS_PYARROW = "Parquet needs pyarrow: pip install 'dupefind[parquet]'"


def _parquet() -> Any:
    try:
        import pyarrow.parquet as pq  # type: ignore[import-untyped]  # pyarrow ships no type information
    except ImportError:
        raise NotText(NEEDS_PYARROW) from None
    return pq


@lru_cache(maxsize=8)
def layout(path: str) -> tuple[tuple[int, int], ...]:
    """Each row group's first row (0-based, over the file) and its size in bytes."""
    try:
        meta = _parquet().ParquetFile(path).metadata
    except NotText:
        raise
    except Exception as error:  # pyarrow raises its own errors (ArrowInvalid, OSError) for a bad file
        raise NotText(f"not a readable Parquet file ({error})") from None
    groups, first = [], 0
    for group in range(meta.num_row_groups):
        groups.append((first, meta.row_group(group).total_byte_size))
        first += meta.row_group(group).num_rows
    return tuple(groups)


def parquet_pieces(path: str) -> list[tuple[int, int]]:
    """``(row group, bytes)`` for each row group of ``path``; :class:`NotText` when unreadable."""
    return [(group, size) for group, (_, size) in enumerate(layout(path))]


@dataclass(frozen=True, slots=True)
class Oversized:
    """A row's text left unread: it holds more bytes than the limit."""

    size: int
    """Its size in bytes (UTF-8)."""


def read_parquet_piece(path: str, group: int, *, id_field: str, text_field: str,
                       max_bytes: int = 0) -> Iterator[tuple[int, str | None, Any]]:
    """``(row, id or None, text)`` for each row of one row group (row counted from 1 over the
    file); a text of more than ``max_bytes`` bytes (0: no limit) is measured in Arrow's memory
    and never made a Python string: it is given as :class:`Oversized`."""
    first = layout(path)[group][0]
    table = read_group(path, group, (id_field, text_field))
    names = set(table.column_names)
    if text_field not in names:
        have = ", ".join(sorted(_schema_names(path))) or "none"
        raise NotText(f"no column {text_field!r} (columns: {have}); set it with --text-field")
    texts = _texts_within(table.column(text_field), max_bytes)
    ids = table.column(id_field).to_pylist() if id_field in names else [None] * len(texts)
    for index, (ident, text) in enumerate(zip(ids, texts)):
        yield first + index + 1, None if ident is None else id_text(ident), text


def _texts_within(column: Any, max_bytes: int) -> list[Any]:
    """The values of ``column``, each of more than ``max_bytes`` bytes as :class:`Oversized`."""
    sizes = _sizes(column) if max_bytes else None
    if not sizes or all(size is None or size <= max_bytes for size in sizes):
        return list(column.to_pylist())
    import pyarrow as pa

    big = [size if size is not None and size > max_bytes else 0 for size in sizes]
    small = iter(column.filter(pa.array([not size for size in big])).to_pylist())
    return [Oversized(size) if size else next(small) for size in big]


def _sizes(column: Any) -> list[int | None] | None:
    """Each value's size in bytes, computed by Arrow (``None`` for a column of no text type)."""
    import pyarrow as pa
    import pyarrow.compute as pc  # type: ignore[import-untyped]  # pyarrow ships no type information

    sizes: list[int | None] = []
    try:
        for chunk in column.chunks:
            if pa.types.is_dictionary(chunk.type):
                lengths = pc.take(pc.binary_length(chunk.dictionary.cast(pa.large_string())), chunk.indices)
            elif pa.types.is_string(chunk.type) or pa.types.is_large_string(chunk.type):
                lengths = pc.binary_length(chunk)
            else:
                lengths = pc.binary_length(chunk.cast(pa.large_string()))
            sizes += lengths.to_pylist()
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError):
        return None  # not text: the rows are skipped for that
    return sizes


def load_parquet_text(path: str, group: int, row: int, *, text_field: str) -> str:
    """The text of row ``row`` (from 1 over the file) of row group ``group`` again."""
    first = layout(path)[group][0]
    return str(_texts(path, group, text_field)[row - first - 1])


@lru_cache(maxsize=4)
def _texts(path: str, group: int, text_field: str) -> list[Any]:
    return list(read_group(path, group, (text_field,)).column(text_field).to_pylist())


def read_group(path: str, group: int, columns: tuple[str, ...] | None) -> Any:
    """The columns ``columns`` (those the file has; ``None``: all) of one row group, as a pyarrow Table."""
    pq = _parquet()
    handle = pq.ParquetFile(path)
    wanted = None if columns is None else [c for c in columns if c in _schema_names(path)]
    try:
        return handle.read_row_group(group, columns=wanted)
    except Exception as error:  # pyarrow raises its own errors for damaged data
        raise NotText(f"cannot read row group {group} ({error})") from None


@lru_cache(maxsize=8)
def _schema_names(path: str) -> tuple[str, ...]:
    return tuple(_parquet().ParquetFile(path).schema_arrow.names)
