"""Texts held by the caller, scanned like files: :func:`scan_texts`.

The records are written one at a time to a temporary JSONL file (as standard input is), so a
generator of a million texts is never held in memory; the scan then reads that file like any
other input and the file is deleted when the scan is done.
"""

from __future__ import annotations

import dataclasses
import json
import math
import tempfile
from collections.abc import Iterable, Mapping
from typing import Any

from .catalog import Progress
from .config import Config, given_config
from .errors import InputError
from .models import Report, Skipped, skip_order
from .pipeline import scan
from .sources import STDIN, json_type, nothing_to_scan

TextRecord = tuple[str, str] | Mapping[str, Any]
"""An ``(id, text)`` pair, or a mapping with the fields ``Config.id_field`` and ``Config.text_field``."""


def scan_texts(records: Iterable[TextRecord], config: Config | None = None, *,
               progress: Progress | None = None) -> Report:
    """Find the copies among texts given as ``(id, text)`` pairs or mappings (any iterable,
    read once, not held).

    The report is the one :func:`dupefind.scan` gives for the same texts as files named by
    their ids, except that each document's ``path`` is ``-``. A mapping without the id field
    gets ``-:N`` (N counts records from 1); a record whose text is not a non-empty string, or
    whose id is neither a string, a finite number nor ``None`` (bytes, a date, a ``Decimal``),
    is skipped and listed as ``-:N`` with the reason, as a JSONL line would be. Ids must be
    unique (a repeated id is skipped).
    """
    config = given_config(config)
    refused: list[Skipped] = []
    with tempfile.TemporaryFile(prefix="dupefind-texts-", suffix=".jsonl") as spool:
        count = 0
        for count, record in enumerate(records, start=1):
            data = _fields(record, count, config)
            reason = _unusable(data, config)
            if reason is None:
                spool.write(_line(data))
            else:  # a blank line in its place: the records after keep their numbers (-:N)
                refused.append(Skipped(f"{STDIN}:{count}", reason))
                spool.write(b"\n")
        if not count:
            raise InputError("nothing to scan: no text was given")
        if len(refused) == count:
            raise InputError(nothing_to_scan([STDIN], refused))
        spool.seek(0)
        report = scan([STDIN], config, stdin=spool, progress=progress)
    if not refused:
        return report
    return dataclasses.replace(report, skipped=tuple(sorted([*report.skipped, *refused], key=skip_order)))


def _fields(record: TextRecord, number: int, config: Config) -> dict[str, Any]:
    if isinstance(record, Mapping):
        data = {key: record[key] for key in (config.id_field, config.text_field) if key in record}
    elif isinstance(record, tuple) and len(record) == 2:
        data = {config.id_field: record[0], config.text_field: record[1]}
    else:
        raise InputError(f"record {number}: expected an (id, text) pair or a mapping with "
                         f"{config.id_field!r} and {config.text_field!r}; got {type(record).__name__}")
    return data


def _unusable(data: dict[str, Any], config: Config) -> str | None:
    """Why a record cannot be scanned, in the words a JSONL line would get; ``None`` when it
    can (or when the JSONL reader says why: a missing or blank text)."""
    text, ident = data.get(config.text_field, ""), data.get(config.id_field)
    if not isinstance(text, str):
        return f"field {config.text_field!r} is not a string but {json_type(text)}"
    if isinstance(ident, float) and not math.isfinite(ident):
        return f"field {config.id_field!r} is not a finite number ({ident})"
    if ident is not None and not isinstance(ident, (str, int, float)):
        return f"field {config.id_field!r} is not a string or number but {json_type(ident)}"
    return None


def _line(data: dict[str, Any]) -> bytes:
    line = json.dumps(data, ensure_ascii=False)
    # A lone surrogate becomes its JSON escape, which the scan reads as U+FFFD (one character).
    return (line + "\n").encode("utf-8", errors="backslashreplace")
