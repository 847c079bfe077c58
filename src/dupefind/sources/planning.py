"""The inputs walked and cut into :class:`~.units.Unit` pieces, without decoding anything
(:func:`plan_reading`); stdin spooled to a file so that it reads like one (:func:`open_inputs`);
why a scan found nothing (:func:`nothing_to_scan`)."""

from __future__ import annotations

import errno
import os
import shutil
import stat
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import BinaryIO

from ..decoding import NotText
from ..errors import InputError
from ..models import Skipped
from ..parquet_source import parquet_pieces
from ..walk import Found, not_regular, plain_spelling, shown_name, walk, why
from .jsonl import jsonl_pieces
from .units import _SUPPORTED, STDIN, Unit, read_kind, too_large


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
            yield from jsonl_pieces(found.path, found.shown, max_bytes=max_bytes)
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
