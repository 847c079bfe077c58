"""JSON Lines: a file cut after a line break about every :data:`JSONL_PIECE` bytes (:func:`jsonl_pieces`),
each piece read line by line into records (:func:`read_jsonl`), a line's text read again
(:func:`jsonl_text`)."""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterator

from ..decoding import NotText, id_text
from ..models import Location, Skipped
from ..walk import open_regular
from .units import Record, Unit, too_large

#: JSONL files are cut into pieces of about this many bytes (whole lines) to be read apart.
JSONL_PIECE = 1 << 20


def jsonl_pieces(path: str, shown: str, *, max_bytes: int = 0) -> Iterator[Unit | Skipped]:
    """A JSONL file cut after a line break about every :data:`JSONL_PIECE` bytes; a line found
    longer than ``max_bytes`` (0: no limit) while looking for its end is skipped, and never
    held whole."""
    with open_regular(path) as handle:
        offset, line = 0, 1
        tail = b""
        passing = 0  # > 0: the bytes so far of a line too long, passed over until its end
        while block := handle.read(JSONL_PIECE):
            if passing:
                end = block.find(b"\n") + 1
                passing += end or len(block)
                if not end:
                    continue
                yield Skipped(f"{shown}:{line}", too_large(passing, max_bytes))
                offset, line, passing = offset + passing, line + 1, 0
                block = block[end:]
            block = tail + block
            # Only the line carried over can be longer than a piece, so only it is measured.
            first = block.find(b"\n") + 1
            if max_bytes and (first or len(block)) > max_bytes:
                if not first:
                    passing, tail = len(block), b""
                    continue
                yield Skipped(f"{shown}:{line}", too_large(first, max_bytes))
                offset, line, block = offset + first, line + 1, block[first:]
            cut = block.rfind(b"\n") + 1
            if cut == 0:
                tail = block
                continue
            yield Unit(path, shown, "jsonl", cut, offset, line)
            offset += cut
            line += block.count(b"\n", 0, cut)
            tail = block[cut:]
        if passing:
            yield Skipped(f"{shown}:{line}", too_large(passing, max_bytes))
        elif tail:
            yield Unit(path, shown, "jsonl", len(tail), offset, line)


def read_jsonl(unit: Unit, *, id_field: str, text_field: str) -> Iterator[Record | Skipped]:
    with open_regular(unit.path) as handle:
        handle.seek(unit.offset)
        data = handle.read(unit.size)
    start = 0
    for number in itertools.count(unit.first_line):
        if start >= len(data):
            break
        end = data.find(b"\n", start) + 1 or len(data)
        raw = data[start:end]
        try:
            if raw.strip():
                yield _jsonl_record(raw, unit, number, unit.offset + start, id_field, text_field)
        except NotText as error:
            yield Skipped(f"{unit.shown}:{number}", str(error))
        start = end


def jsonl_text(line: bytes, encoding: str, text_field: str) -> str:
    """The text of a JSONL line read again (as :func:`read_jsonl` first read it)."""
    text = str(json.loads(line.decode(encoding))[text_field])
    return _valid_unicode(text) if _SURROGATE_ESCAPE.search(line) else text


def json_type(value: object) -> str:
    """What a JSON value is, as JSON names it (another value: its type's name)."""
    if value is None:
        return "null"
    return {bool: "a boolean", int: "a number", float: "a number", list: "an array", tuple: "an array",
            dict: "an object"}.get(type(value), type(value).__name__)


def _not_json(constant: str) -> None:
    """``NaN``, ``Infinity`` and ``-Infinity``, which Python's reader takes and JSON has not."""
    raise ValueError(f"{constant} is not JSON")


def _jsonl_record(raw: bytes, unit: Unit, number: int, offset: int, id_field: str, text_field: str) -> Record:
    try:
        line = raw.decode("utf-8-sig")  # a BOM may open the file (Windows tools)
    except UnicodeDecodeError as error:
        raise NotText(f"line is not UTF-8 ({error.reason} at byte {error.start})") from None
    try:
        record = json.loads(line, parse_constant=_not_json)
    except json.JSONDecodeError as error:
        raise NotText(f"malformed JSON: {error.msg} (column {error.colno})") from None
    except RecursionError:
        raise NotText("malformed JSON: nested too deeply to read") from None
    except ValueError as error:  # a number of more digits than Python reads, NaN or Infinity
        raise NotText(f"malformed JSON: {error}") from None
    if not isinstance(record, dict):
        raise NotText(f"not a JSON object but {type(record).__name__}")
    text = record.get(text_field)
    if not isinstance(text, str):
        if text_field in record:
            raise NotText(f"field {text_field!r} is not a string but {json_type(text)}")
        have = ", ".join(sorted(map(str, record))) or "none"
        raise NotText(f"no field {text_field!r} (fields: {have}); set it with --text-field (Config.text_field)")
    if not text.strip():
        raise NotText("empty text")
    ident = record.get(id_field)
    if ident is None:
        ident = f"{unit.shown}:{number}"
    elif isinstance(ident, (dict, list)):
        raise NotText(f"field {id_field!r} is not a string or number")
    elif isinstance(ident, float) or (ident == 0 and not isinstance(ident, (str, bool))):
        ident = _number_as_written(line, id_field)  # 1E2, 1e400, 0.10000000000000001, -0 as they are
    ident = id_text(ident)
    if _SURROGATE_ESCAPE.search(raw):
        ident, text = _valid_unicode(ident), _valid_unicode(text)
    return Record(ident, unit.shown, text,
                  Location(unit.path, "jsonl", line=number, offset=offset, encoding="utf-8-sig"))


class _Written(str):
    """A JSON number as its text in the line."""


def _number_as_written(line: str, id_field: str) -> str:
    """The id field's number as the line writes it (Python's reader makes ``1E2`` the float
    ``100.0`` and ``1e400`` infinity; an integer's digits it keeps, except ``-0``'s sign): read
    again keeping numbers as text, for the rare line whose id is not an integer."""
    record = json.loads(line, parse_float=_Written, parse_int=_Written, parse_constant=_not_json)
    return str(record[id_field])


_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _valid_unicode(value: str) -> str:
    """``value`` with each lone surrogate (a JSON escape such as ``\\ud800`` that no other
    half follows: not a character, and not writable as UTF-8) replaced by U+FFFD, one
    character for one, so that offsets hold. Looked for only in a line where
    ``_SURROGATE_ESCAPE`` finds such an escape."""
    return _SURROGATE.sub("\ufffd", value)
