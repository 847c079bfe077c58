"""One :class:`~.units.Unit` of input to its records, wherever it runs (:func:`read_unit`), and
one document's text read again from its :class:`~dupefind.models.Location` (:func:`load_text`)."""

from __future__ import annotations

import os
from collections.abc import Iterator

from ..decoding import NotText, as_text, decode, looks_like_text
from ..htmltext import html_to_text
from ..models import Location, Skipped
from ..parquet_source import Oversized, load_parquet_text, read_parquet_piece
from ..walk import open_regular, why
from .jsonl import jsonl_text, read_jsonl
from .units import Record, Unit, too_large


def read_unit(unit: Unit, *, id_field: str = "id", text_field: str = "text") -> Iterator[Record | Skipped]:
    """The records of one piece of input, or why each part of it was skipped."""
    try:
        if unit.kind == "jsonl":
            yield from read_jsonl(unit, id_field=id_field, text_field=text_field)
            return
        if unit.kind == "parquet":
            yield from _read_parquet(unit, id_field=id_field, text_field=text_field)
            return
        with open_regular(unit.path) as handle:
            data = handle.read(unit.max_bytes + 1 if unit.max_bytes else -1)
            if unit.max_bytes and len(data) > unit.max_bytes:  # grown since it was measured, or a file
                # whose size the file system does not tell (/proc/kallsyms: 0 bytes, and megabytes read)
                yield Skipped(unit.shown, too_large(os.fstat(handle.fileno()).st_size, unit.max_bytes))
                return
        text, encoding = _decode_guessed(data) if unit.guessed else decode(data)
        if unit.kind == "html":
            text = html_to_text(text)
        if not text.strip():
            raise NotText("empty file" if not data.strip() else "no text in file")
        yield Record(unit.shown, unit.shown, text, Location(unit.path, unit.kind, encoding=encoding))
    except OSError as error:
        yield Skipped(unit.shown, f"cannot read: {why(error)}")
    except NotText as error:
        yield Skipped(unit.shown, str(error), ignored=unit.guessed and unit.in_folder)


def _decode_guessed(data: bytes) -> tuple[str, str]:
    """A file without extension: its text when it decodes as a text file does and
    :func:`looks_like_text`; otherwise :class:`NotText`."""
    try:
        text, encoding = decode(data)
    except NotText as error:
        raise NotText(f"no extension, and not text: {error}") from None
    if not looks_like_text(text):
        raise NotText("no extension, and not text: control characters")
    return text, encoding


def _read_parquet(unit: Unit, *, id_field: str, text_field: str) -> Iterator[Record | Skipped]:
    for row, ident, text in read_parquet_piece(unit.path, unit.offset, id_field=id_field, text_field=text_field,
                                               max_bytes=unit.max_bytes):
        where = f"{unit.shown}:{row}"
        if isinstance(text, Oversized):
            yield Skipped(where, too_large(text.size, unit.max_bytes))
        elif not isinstance(text, str):
            yield Skipped(where, f"column {text_field!r} is not text here ({type(text).__name__})")
        elif not text.strip():
            yield Skipped(where, "empty text")
        else:
            yield Record(ident if ident is not None else where, unit.shown, text,
                         Location(unit.path, "parquet", line=row, offset=unit.offset))


def load_text(location: Location, *, text_field: str = "text", max_bytes: int = 0) -> str:
    """The text of a document again, from where it was first read. ``max_bytes`` (0: no limit),
    the first pass's limit: a file now larger, or a JSONL line, is not read past it (a file that
    grew to gigabytes between the two passes is no longer the one read) and raises ValueError
    (one of :data:`~dupefind.errors.REREAD_FAILURES`: the document changed)."""
    if location.kind == "parquet":
        return load_parquet_text(location.path, location.offset, location.line, text_field=text_field)
    with open_regular(location.path) as handle:
        if location.kind == "jsonl":
            handle.seek(location.offset)
            line = handle.readline(max_bytes + 3) if max_bytes else handle.readline()  # a longer line is cut: not JSON
        else:
            data = handle.read(max_bytes + 1) if max_bytes else handle.read()
            if max_bytes and len(data) > max_bytes:
                raise ValueError(f"{location.path} is now larger than {max_bytes} bytes")
    if location.kind == "jsonl":
        return jsonl_text(line, location.encoding, text_field)
    text = as_text(data, location.encoding)  # as first read: a NUL is U+FFFD
    return html_to_text(text) if location.kind == "html" else text
