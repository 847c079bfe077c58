"""Paths, folders, JSONL files and stdin to records: an id, the text, and where to re-read it.

Reading comes in two steps so that it can run in many processes: :func:`plan_reading` walks
the inputs and cuts them into :class:`Unit` pieces (a file, or a run of whole JSONL lines)
without decoding anything, and :func:`read_unit` turns one piece into records wherever it
runs. :func:`read_records` does both in turn. Nothing here keeps texts: records are yielded one
at a time, and :func:`load_text` reads one again from its
:class:`~dupefind.models.Location` when a later stage needs it. Inputs that cannot be used
become :class:`~dupefind.models.Skipped` entries with the reason; nothing the user gave is ever
modified.
"""

from __future__ import annotations

import errno
import itertools
import json
import os
import re
import shutil
import stat
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import BinaryIO

from .decoding import NotText, as_text, decode, id_text, looks_like_text
from .errors import InputError
from .htmltext import html_to_text
from .models import Location, Skipped
from .parquet_source import Oversized, load_parquet_text, parquet_pieces, read_parquet_piece
from .walk import Found, not_regular, open_regular, plain_spelling, shown_name, walk, why

KINDS = {".txt": "text", ".md": "text", ".markdown": "text", ".rst": "text", ".html": "html", ".htm": "html",
         ".jsonl": "jsonl", ".parquet": "parquet"}
_SUPPORTED = " ".join(sorted(KINDS)) + " and files without extension that hold text"
STDIN = "-"
#: JSONL files are cut into pieces of about this many bytes (whole lines) to be read apart.
JSONL_PIECE = 1 << 20


@dataclass(frozen=True, slots=True)
class Unit:
    """A piece of input that can be read on its own: one file, or a run of whole JSONL lines."""

    path: str
    """The file to open."""
    shown: str
    """The name it is reported under (``-`` for stdin's spool file)."""
    kind: str
    """``text``, ``html`` or ``jsonl``."""
    size: int
    """Bytes to read (for a JSONL piece) or the file's size: the measure of progress."""
    offset: int = 0
    """For a JSONL piece: byte offset of its first line."""
    first_line: int = 1
    """For a JSONL piece: 1-based number of its first line."""
    guessed: bool = False
    """A file without extension, read only if it holds text (:func:`~dupefind.decoding.looks_like_text`)."""
    in_folder: bool = False
    """Found by a folder walk (a guessed file that is not text is then ignored, not skipped)."""
    max_bytes: int = 0
    """For a Parquet row group: a row whose text holds more bytes is skipped unread; for a file
    read as one document, a file found to hold more when read (0: no limit)."""


@dataclass(frozen=True, slots=True)
class Record:
    """One document as read: its id, the input it came from, its text and how to re-read it."""

    id: str
    """Unique id: the file path, or the JSONL record's id."""
    path: str
    """The input path it was read from (``-`` for stdin)."""
    text: str
    """The text (the extracted visible text for HTML)."""
    location: Location
    """Where :func:`load_text` finds the text again."""


@contextmanager
def open_inputs(paths: Sequence[str], *, stdin: BinaryIO | None = None) -> Iterator[list[str]]:
    """The paths with ``-`` replaced by a temporary copy of stdin, deleted afterwards.

    Standard input is spooled to disk so that its records can be re-read like a file.
    """
    if STDIN not in paths:
        yield list(paths)
        return
    with tempfile.TemporaryDirectory(prefix="dupefind-") as folder:
        spool = os.path.join(folder, "stdin.jsonl")
        spool_stdin(stdin, spool)
        yield [spool if path == STDIN else path for path in paths]


def spool_stdin(stdin: BinaryIO | None, spool: str) -> None:
    """Standard input (or ``stdin``) copied to the file ``spool``; a temporary folder without
    room for it is an :class:`InputError` that says so, not a traceback."""
    try:
        with open(spool, "wb") as out:
            shutil.copyfileobj(stdin if stdin is not None else sys.stdin.buffer, out)
    except OSError as error:
        raise InputError(f"cannot copy standard input to {os.path.dirname(spool)}: {error.strerror or error} "
                         "(set TMPDIR to a folder with room for it)") from None


def read_records(
    paths: Sequence[str],
    *,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    follow_symlinks: bool = False,
    id_field: str = "id",
    text_field: str = "text",
    shown_as: dict[str, str] | None = None,
    max_bytes: int = 0,
) -> Iterator[Record | Skipped]:
    """Every document under ``paths`` (files and folders, recursively), or why it was skipped.

    ``shown_as`` maps a path to the name it is reported under (stdin's spool file to ``-``);
    ``max_bytes`` as :func:`plan_reading` takes it.
    """
    for unit in plan_reading(paths, include=include, exclude=exclude, follow_symlinks=follow_symlinks,
                             shown_as=shown_as, max_bytes=max_bytes):
        if isinstance(unit, Skipped):
            yield unit
        else:
            yield from read_unit(unit, id_field=id_field, text_field=text_field)


def plan_reading(
    paths: Sequence[str],
    *,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    follow_symlinks: bool = False,
    shown_as: dict[str, str] | None = None,
    max_bytes: int = 0,
) -> Iterator[Unit | Skipped]:
    """The pieces to read under ``paths``, in order, or why an input is skipped. Files are
    listed, not opened, except JSONL files, which are scanned for their line breaks.

    A path is read as :func:`~dupefind.walk.plain_spelling` writes it, so a file's id (its
    path, or the folder's joined with its path inside it) does not depend on ``./`` or a
    trailing ``/``. Only regular files are read (:mod:`dupefind.walk`). A file a folder walk finds with a type
    that is not read is listed as ignored; a file given by name is skipped instead. A file read
    as one document, or a JSONL line, of more than ``max_bytes`` bytes (0: no limit) is skipped
    unread (its size is known before it is read: a folder holding one huge file does not fill
    the memory).

    A file reached again through the paths given (a folder given twice, or a folder and a file
    or folder inside it) is read once, under the name it was first reached by, and a reason to
    skip something is given once: it is one input, not a duplicate of itself. (A file of a type
    that is not read is no input a walk read: named on the command line, it is still skipped.)"""
    names = shown_as or {}
    once = _Once() if len(paths) > 1 else None
    for given in paths:
        if given not in names:
            given = plain_spelling(given)
        shown = names.get(given, shown_name(given))
        try:
            info = os.stat(given)
        except OSError as error:
            yield Skipped(shown, _missing(given, error))
            continue
        if stat.S_ISDIR(info.st_mode):
            for found in walk(given, include=include, exclude=exclude, follow_symlinks=follow_symlinks):
                if once is not None and not once.first(found):
                    continue
                if isinstance(found, Skipped):
                    yield found
                else:
                    yield from _plan_file(found, in_folder=True, max_bytes=max_bytes)
        elif stat.S_ISREG(info.st_mode):
            found = Found(given, shown, info.st_size)
            if once is None or once.first(found, named=True):
                yield from _plan_file(found, jsonl=shown == STDIN, max_bytes=max_bytes)
        else:
            yield Skipped(shown, not_regular(info.st_mode) + " (read JSONL from a pipe with '-')")


class _Once:
    """The files (by real path: two hard links are two files, as a folder's walk reads them) and
    the reasons to skip met so far."""

    def __init__(self) -> None:
        self.files: set[str] = set()
        self.skips: set[tuple[str, str]] = set()

    def first(self, found: Found | Skipped, *, named: bool = False) -> bool:
        """Whether ``found`` is met for the first time (a file ``named`` on the command line of
        a type that is not read always is: see :func:`plan_reading`)."""
        if isinstance(found, Skipped):
            reason = (found.path, found.reason)
            new = reason not in self.skips
            self.skips.add(reason)
            return new
        if named and read_kind(found.path) is None:
            return True
        real = os.path.realpath(found.path)
        new = real not in self.files
        self.files.add(real)
        return new


def read_unit(unit: Unit, *, id_field: str = "id", text_field: str = "text") -> Iterator[Record | Skipped]:
    """The records of one piece of input, or why each part of it was skipped."""
    try:
        if unit.kind == "jsonl":
            yield from _read_jsonl(unit, id_field=id_field, text_field=text_field)
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
        text = str(json.loads(line.decode(location.encoding))[text_field])
        return _valid_unicode(text) if _SURROGATE_ESCAPE.search(line) else text
    text = as_text(data, location.encoding)  # as first read: a NUL is U+FFFD
    return html_to_text(text) if location.kind == "html" else text


def nothing_to_scan(paths: Sequence[str], skipped: Sequence[Skipped], *, include: Sequence[str] = (),
                    exclude: Sequence[str] = ()) -> str:
    """Why a scan of ``paths`` found no document, given what was skipped or ignored."""
    if not paths:
        return "nothing to scan: no file or folder was given"
    failed = [s for s in skipped if not s.ignored]
    ignored = [s for s in skipped if s.ignored]
    where = ", ".join(shown_name(p) for p in paths)
    if failed:
        reasons = "; ".join(f"{s.path}: {s.reason}" for s in failed[:5])
        more = f" (and {len(failed) - 5} more)" if len(failed) > 5 else ""
        also = f"; {len(ignored)} file(s) ignored by type" if ignored else ""
        return f"nothing to scan, every input was skipped: {reasons}{more}{also}"
    if ignored:
        types = sorted({os.path.splitext(s.path)[1].lower() or "no extension" for s in ignored})
        return (f"nothing to scan: every file under {where} was ignored by its type ({len(ignored)} file(s): "
                f"{' '.join(types)}); dupefind reads {_SUPPORTED}")
    if include:
        patterns = " ".join(f"--include {p!r}" for p in include)
        return f"nothing to scan: no file under {where} matched {patterns}"
    if list(paths) == [STDIN]:
        return "nothing to scan: standard input ('-') held no JSONL line"
    files = [p for p in paths if p != STDIN and os.path.isfile(p)]
    if files and len(files) == len(paths):
        return f"nothing to scan: {where} held no record (an empty JSONL or Parquet file)"
    excluded = " or excluded by --exclude" if exclude else ""
    return f"nothing to scan: no file under {where} (empty folder, or only hidden files{excluded})"


def _missing(given: str, error: OSError) -> str:
    """Why a path given by name cannot be used."""
    if error.errno in (errno.ENOENT, errno.ENOTDIR):
        try:
            return f"dangling link to {shown_name(os.readlink(given))} (the target does not exist)"
        except OSError:
            return "no such file or folder"
    if error.errno == errno.ELOOP:
        return "symbolic link loop (following it never ends), not followed"
    return f"cannot read: {why(error)}"


def too_large(size: int, max_bytes: int) -> str:
    """Why a document of ``size`` bytes is not read (``size`` no more than ``max_bytes``: a file
    found to hold more when read than its size said)."""
    held = f"{size / 2**20:,.1f} MB" if size > max_bytes else "more when read than its size said"
    return f"too large to read as one document ({held}; the limit is {max_bytes >> 20} MB, set by --max-document-mb)"


def read_kind(path: str, *, jsonl: bool = False) -> str | None:
    """How a file is read, by its name (``None``: a type that is not read)."""
    suffix = os.path.splitext(path)[1]
    return "jsonl" if jsonl else KINDS.get(suffix.lower(), "text" if not suffix else None)


def _plan_file(found: Found, *, jsonl: bool = False, in_folder: bool = False,
               max_bytes: int = 0) -> Iterator[Unit | Skipped]:
    suffix = os.path.splitext(found.path)[1]
    kind = read_kind(found.path, jsonl=jsonl)
    if kind is None:
        yield Skipped(found.shown, f"unsupported file type ({shown_name(suffix) or 'no extension'}); "
                                   f"supported: {_SUPPORTED}", ignored=in_folder)
        return
    try:
        if kind == "jsonl":
            yield from _jsonl_pieces(found.path, found.shown, max_bytes=max_bytes)
        elif kind == "parquet":
            for group, size in parquet_pieces(found.path):
                yield Unit(found.path, found.shown, kind, size, offset=group, max_bytes=max_bytes)
        elif max_bytes and found.size > max_bytes:
            yield Skipped(found.shown, too_large(found.size, max_bytes))
        else:
            yield Unit(found.path, found.shown, kind, found.size, guessed=not suffix, in_folder=in_folder,
                       max_bytes=max_bytes)
    except OSError as error:
        yield Skipped(found.shown, f"cannot read: {why(error)}")
    except NotText as error:
        yield Skipped(found.shown, str(error))


def _jsonl_pieces(path: str, shown: str, *, max_bytes: int = 0) -> Iterator[Unit | Skipped]:
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


def _read_jsonl(unit: Unit, *, id_field: str, text_field: str) -> Iterator[Record | Skipped]:
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
