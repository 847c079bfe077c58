"""Paths, folders, JSONL files and stdin to records: an id, the text, and where to re-read it.

Nothing here keeps texts: :func:`read_records` yields them one at a time, and
:func:`load_text` reads one again from its :class:`~dupefind.models.Location` when a later
stage needs it. Inputs that cannot be used become :class:`~dupefind.models.Skipped` entries
with the reason; nothing the user gave is ever modified.
"""

from __future__ import annotations

import json
import os
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
    names = shown_as or {}
    for given in paths:
        shown = names.get(given, given)
        path = Path(given)
        if path.is_dir():
            yield from _walk(path, include=include, exclude=exclude, follow=follow_symlinks,
                             id_field=id_field, text_field=text_field)
        elif path.exists():
            yield from _read_file(path, shown, id_field=id_field, text_field=text_field,
                                  jsonl=shown == STDIN)
        else:
            yield Skipped(shown, "no such file or folder")


def load_text(location: Location, *, text_field: str = "text") -> str:
    """The text of a document again, from where it was first read."""
    if location.kind == "jsonl":
        with open(location.path, "rb") as handle:
            handle.seek(location.offset)
            record = json.loads(handle.readline().decode(location.encoding))
        return str(record[text_field])
    text = Path(location.path).read_bytes().decode(location.encoding)
    return html_to_text(text) if location.kind == "html" else text


def _walk(root: Path, *, include: Sequence[str], exclude: Sequence[str], follow: bool,
          id_field: str, text_field: str) -> Iterator[Record | Skipped]:
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
            yield from _read_file(path, shown, id_field=id_field, text_field=text_field)
        stack.extend(reversed(subfolders))  # visit subfolders in name order, depth first


def _read_file(path: Path, shown: str, *, id_field: str, text_field: str,
               jsonl: bool = False) -> Iterator[Record | Skipped]:
    kind = "jsonl" if jsonl else KINDS.get(path.suffix.lower())
    if kind is None:
        supported = " ".join(sorted(KINDS))
        yield Skipped(shown, f"unsupported file type ({path.suffix or 'no extension'}); supported: {supported}")
        return
    try:
        if kind == "jsonl":
            yield from _read_jsonl(path, shown, id_field=id_field, text_field=text_field)
            return
        data = path.read_bytes()
        text, encoding = _decode(data)
        if kind == "html":
            text = html_to_text(text)
        if not text.strip():
            raise _Unusable("empty file" if not data.strip() else "no text in file")
        yield Record(shown, shown, text, Location(str(path), kind, encoding=encoding))
    except OSError as error:
        yield Skipped(shown, f"cannot read: {error.strerror or error}")
    except _Unusable as error:
        yield Skipped(shown, str(error))


def _read_jsonl(path: Path, shown: str, *, id_field: str, text_field: str) -> Iterator[Record | Skipped]:
    with open(path, "rb") as handle:
        offset = 0
        for number, raw in enumerate(handle, start=1):
            where = f"{shown}:{number}"
            try:
                if raw.strip():
                    yield _jsonl_record(raw, path, shown, number, offset, id_field, text_field)
            except _Unusable as error:
                yield Skipped(where, str(error))
            offset += len(raw)


def _jsonl_record(raw: bytes, path: Path, shown: str, number: int, offset: int,
                  id_field: str, text_field: str) -> Record:
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
        ident = f"{shown}:{number}"
    elif isinstance(ident, (dict, list)):
        raise _Unusable(f"field {id_field!r} is not a string or number")
    return Record(str(ident), shown, text,
                  Location(str(path), "jsonl", line=number, offset=offset, encoding="utf-8-sig"))


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
