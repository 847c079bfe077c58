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

import itertools
import json
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from fnmatch import fnmatch
from pathlib import Path
from typing import BinaryIO

from charset_normalizer import from_bytes

from .htmltext import html_to_text
from .models import Location, Skipped

KINDS = {".txt": "text", ".md": "text", ".markdown": "text", ".html": "html", ".htm": "html",
         ".jsonl": "jsonl"}
STDIN = "-"
_SNIFF = 8192
# Byte-order marks, longest first (UTF-32's starts like UTF-16's).
_BOMS = ((b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"), (b"\xef\xbb\xbf", "utf-8-sig"),
         (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
_LEGACY_DEFAULT = "cp1252"
_CHAOS_TIE = 0.01
_MOSTLY_ASCII = 0.05
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


class _Unusable(Exception):
    """A file or record that cannot be read; the message is the reason shown to the user."""


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
        with open(spool, "wb") as out:
            shutil.copyfileobj(stdin if stdin is not None else sys.stdin.buffer, out)
        yield [spool if path == STDIN else path for path in paths]


def read_records(
    paths: Sequence[str],
    *,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    follow_symlinks: bool = False,
    id_field: str = "id",
    text_field: str = "text",
    shown_as: dict[str, str] | None = None,
) -> Iterator[Record | Skipped]:
    """Every document under ``paths`` (files and folders, recursively), or why it was skipped.

    ``shown_as`` maps a path to the name it is reported under (stdin's spool file to ``-``).
    """
    for unit in plan_reading(paths, include=include, exclude=exclude, follow_symlinks=follow_symlinks,
                             shown_as=shown_as):
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
) -> Iterator[Unit | Skipped]:
    """The pieces to read under ``paths``, in order, or why an input is skipped. Files are
    listed, not opened, except JSONL files, which are scanned for their line breaks."""
    names = shown_as or {}
    for given in paths:
        shown = names.get(given, given)
        path = Path(given)
        if path.is_dir():
            yield from _walk(path, include=include, exclude=exclude, follow=follow_symlinks)
        elif path.exists():
            yield from _plan_file(path, shown, jsonl=shown == STDIN)
        else:
            yield Skipped(shown, "no such file or folder")


def read_unit(unit: Unit, *, id_field: str = "id", text_field: str = "text") -> Iterator[Record | Skipped]:
    """The records of one piece of input, or why each part of it was skipped."""
    try:
        if unit.kind == "jsonl":
            yield from _read_jsonl(unit, id_field=id_field, text_field=text_field)
            return
        data = Path(unit.path).read_bytes()
        text, encoding = _decode(data)
        if unit.kind == "html":
            text = html_to_text(text)
        if not text.strip():
            raise _Unusable("empty file" if not data.strip() else "no text in file")
        yield Record(unit.shown, unit.shown, text, Location(unit.path, unit.kind, encoding=encoding))
    except OSError as error:
        yield Skipped(unit.shown, f"cannot read: {error.strerror or error}")
    except _Unusable as error:
        yield Skipped(unit.shown, str(error))


def load_text(location: Location, *, text_field: str = "text") -> str:
    """The text of a document again, from where it was first read."""
    if location.kind == "jsonl":
        with open(location.path, "rb") as handle:
            handle.seek(location.offset)
            line = handle.readline()
        text = str(json.loads(line.decode(location.encoding))[text_field])
        return _valid_unicode(text) if _SURROGATE_ESCAPE.search(line) else text
    text = Path(location.path).read_bytes().decode(location.encoding)
    return html_to_text(text) if location.kind == "html" else text


def _walk(root: Path, *, include: Sequence[str], exclude: Sequence[str], follow: bool) -> Iterator[Unit | Skipped]:
    real_root = root.resolve()
    visited = {real_root}
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
        except OSError as error:
            yield Skipped(folder.as_posix(), f"cannot list folder: {error.strerror or error}")
            continue
        subfolders: list[Path] = []
        for entry in entries:
            path = Path(entry.path)
            shown = path.as_posix()
            relative = path.relative_to(root).as_posix()
            if entry.name.startswith("."):
                continue  # hidden files and folders (.git, .cache) are not content
            if entry.is_symlink():
                target = path.resolve()
                inside = target == real_root or real_root in target.parents
                if inside:
                    continue  # its target is read under its own name
                if not follow:
                    yield Skipped(shown, "symbolic link out of the scanned folder (use --follow-symlinks to read it)")
                    continue
                if target.is_dir():
                    if target in visited:
                        yield Skipped(shown, "symbolic link loop")
                        continue
                    visited.add(target)
            if entry.is_dir():
                if not _excluded(relative, entry.name, exclude):
                    subfolders.append(path)
                continue
            if _excluded(relative, entry.name, exclude) or not _included(relative, entry.name, include):
                continue
            yield from _plan_file(path, shown)
        stack.extend(reversed(subfolders))  # visit subfolders in name order, depth first


def _plan_file(path: Path, shown: str, *, jsonl: bool = False) -> Iterator[Unit | Skipped]:
    kind = "jsonl" if jsonl else KINDS.get(path.suffix.lower())
    if kind is None:
        supported = " ".join(sorted(KINDS))
        yield Skipped(shown, f"unsupported file type ({path.suffix or 'no extension'}); supported: {supported}")
        return
    try:
        if kind == "jsonl":
            yield from _jsonl_pieces(path, shown)
        else:
            yield Unit(str(path), shown, kind, path.stat().st_size)
    except OSError as error:
        yield Skipped(shown, f"cannot read: {error.strerror or error}")


def _jsonl_pieces(path: Path, shown: str) -> Iterator[Unit]:
    """A JSONL file cut after a line break about every :data:`JSONL_PIECE` bytes."""
    with open(path, "rb") as handle:
        offset, line = 0, 1
        tail = b""
        while block := handle.read(JSONL_PIECE):
            block = tail + block
            cut = block.rfind(b"\n") + 1
            if cut == 0:
                tail = block
                continue
            yield Unit(str(path), shown, "jsonl", cut, offset, line)
            offset += cut
            line += block.count(b"\n", 0, cut)
            tail = block[cut:]
        if tail:
            yield Unit(str(path), shown, "jsonl", len(tail), offset, line)


def _read_jsonl(unit: Unit, *, id_field: str, text_field: str) -> Iterator[Record | Skipped]:
    with open(unit.path, "rb") as handle:
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
        except _Unusable as error:
            yield Skipped(f"{unit.shown}:{number}", str(error))
        start = end


def _jsonl_record(raw: bytes, unit: Unit, number: int, offset: int, id_field: str, text_field: str) -> Record:
    try:
        line = raw.decode("utf-8-sig")  # a BOM may open the file (Windows tools)
    except UnicodeDecodeError as error:
        raise _Unusable(f"line is not UTF-8 ({error.reason} at byte {error.start})") from None
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        raise _Unusable(f"malformed JSON: {error.msg} (column {error.colno})") from None
    if not isinstance(record, dict):
        raise _Unusable(f"not a JSON object but {type(record).__name__}")
    text = record.get(text_field)
    if not isinstance(text, str):
        have = ", ".join(sorted(map(str, record))) or "none"
        raise _Unusable(f"no string field {text_field!r} (fields: {have}); set it with --text-field")
    if not text.strip():
        raise _Unusable("empty text")
    ident = record.get(id_field)
    if ident is None:
        ident = f"{unit.shown}:{number}"
    elif isinstance(ident, (dict, list)):
        raise _Unusable(f"field {id_field!r} is not a string or number")
    ident = str(ident)
    if _SURROGATE_ESCAPE.search(raw):
        ident, text = _valid_unicode(ident), _valid_unicode(text)
    return Record(ident, unit.shown, text,
                  Location(unit.path, "jsonl", line=number, offset=offset, encoding="utf-8-sig"))


_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _valid_unicode(value: str) -> str:
    """``value`` with each lone surrogate (a JSON escape such as ``\\ud800`` that no other
    half follows: not a character, and not writable as UTF-8) replaced by U+FFFD, one
    character for one, so that offsets hold. Looked for only in a line where
    ``_SURROGATE_ESCAPE`` finds such an escape."""
    return _SURROGATE.sub("\ufffd", value)


def _decode(data: bytes) -> tuple[str, str]:
    if not data.strip():
        raise _Unusable("empty file")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as error:
                raise _Unusable(f"cannot decode as {encoding} despite its byte-order mark ({error.reason})") from None
    if b"\x00" in data[:_SNIFF]:
        raise _Unusable("binary file (contains NUL bytes)")
    try:
        return data.decode("utf-8-sig"), "utf-8-sig"
    except UnicodeDecodeError:
        pass
    matches = list(from_bytes(data))
    # A few accented letters or curly quotes in English text fit many legacy encodings about
    # equally well (detectors even pick CJK ones). Like browsers (WHATWG's default for legacy
    # Western text), take Windows-1252 when the text is nearly all ASCII or when it is among
    # the detector's near-best, and it decodes every byte.
    near = [m.encoding for m in matches if m.chaos <= matches[0].chaos + _CHAOS_TIE]
    high = sum(byte >= 0x80 for byte in data)
    if _LEGACY_DEFAULT in near or high <= _MOSTLY_ASCII * len(data):
        try:
            return data.decode(_LEGACY_DEFAULT), _LEGACY_DEFAULT
        except UnicodeDecodeError:
            pass
    if not matches:
        raise _Unusable("cannot decode: not UTF-8, and no other text encoding fits")
    return data.decode(matches[0].encoding), matches[0].encoding


def _excluded(relative: str, name: str, patterns: Sequence[str]) -> bool:
    return any(fnmatch(relative, p) or fnmatch(name, p) for p in patterns)


def _included(relative: str, name: str, patterns: Sequence[str]) -> bool:
    return not patterns or any(fnmatch(relative, p) or fnmatch(name, p) for p in patterns)
