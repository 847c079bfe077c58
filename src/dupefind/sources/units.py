"""What the sources stage reads: a :class:`Unit` of input (a file, or a run of JSONL lines or a
Parquet row group) and the :class:`Record` of one document read from it; the kinds of file read."""

from __future__ import annotations

import os
from dataclasses import dataclass

from ..models import Location

KINDS = {".txt": "text", ".md": "text", ".markdown": "text", ".rst": "text", ".html": "html", ".htm": "html",
         ".jsonl": "jsonl", ".parquet": "parquet"}
_SUPPORTED = " ".join(sorted(KINDS)) + " and files without extension that hold text"
STDIN = "-"


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


def read_kind(path: str, *, jsonl: bool = False) -> str | None:
    """How a file is read, by its name (``None``: a type that is not read)."""
    suffix = os.path.splitext(path)[1]
    return "jsonl" if jsonl else KINDS.get(suffix.lower(), "text" if not suffix else None)


def too_large(size: int, max_bytes: int) -> str:
    """Why a document of ``size`` bytes is not read (``size`` no more than ``max_bytes``: a file
    found to hold more when read than its size said)."""
    held = f"{size / 2**20:,.1f} MB" if size > max_bytes else "more when read than its size said"
    return f"too large to read as one document ({held}; the limit is {max_bytes >> 20} MB, set by --max-document-mb)"
