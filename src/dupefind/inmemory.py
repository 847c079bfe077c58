"""Texts held by the caller, scanned like files: :func:`scan_texts`.

The records are written one at a time to a temporary JSONL file (as standard input is), so a
generator of a million texts is never held in memory; the scan then reads that file like any
other input and the file is deleted when the scan is done.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterable, Mapping
from typing import Any

from .catalog import Progress
from .config import Config, given_config
from .errors import InputError
from .models import Report
from .pipeline import scan
from .sources import STDIN

TextRecord = tuple[str, str] | Mapping[str, Any]
"""An ``(id, text)`` pair, or a mapping with the fields ``Config.id_field`` and ``Config.text_field``."""


def scan_texts(records: Iterable[TextRecord], config: Config | None = None, *,
               progress: Progress | None = None) -> Report:
    """Find the copies among texts given as ``(id, text)`` pairs or mappings (any iterable,
    read once, not held).

    The report is the one :func:`dupefind.scan` gives for the same texts as files named by
    their ids, except that each document's ``path`` is ``-``. A mapping without the id field
    gets ``-:N`` (N counts records from 1); a record whose text is not a non-empty string is
    skipped and listed, as a JSONL line would be. Ids must be unique (a repeated id is skipped).
    """
    config = given_config(config)
    with tempfile.TemporaryFile(prefix="dupefind-texts-", suffix=".jsonl") as spool:
        count = 0
        for count, record in enumerate(records, start=1):
            spool.write(_line(record, count, config))
        if not count:
            raise InputError("nothing to scan: no text was given")
        spool.seek(0)
        return scan([STDIN], config, stdin=spool, progress=progress)


def _line(record: TextRecord, number: int, config: Config) -> bytes:
    if isinstance(record, Mapping):
        data = {key: record[key] for key in (config.id_field, config.text_field) if key in record}
    elif isinstance(record, tuple) and len(record) == 2:
        data = {config.id_field: record[0], config.text_field: record[1]}
    else:
        raise InputError(f"record {number}: expected an (id, text) pair or a mapping with "
                         f"{config.id_field!r} and {config.text_field!r}; got {type(record).__name__}")
    try:
        line = json.dumps(data, ensure_ascii=False)
    except (TypeError, ValueError) as error:
        raise InputError(f"record {number}: {error}") from None
    # A lone surrogate becomes its JSON escape, which the scan reads as U+FFFD (one character).
    return (line + "\n").encode("utf-8", errors="backslashreplace")
