"""The sources stage: paths, folders, JSONL and Parquet files and stdin to records: an id, the
text, and where to re-read it.

Reading comes in two steps so that it can run in many processes: :func:`plan_reading` walks
the inputs and cuts them into :class:`Unit` pieces (a file, or a run of whole JSONL lines)
without decoding anything, and :func:`read_unit` turns one piece into records wherever it
runs. :func:`read_records` does both in turn. Nothing here keeps texts: records are yielded one
at a time, and :func:`load_text` reads one again from its
:class:`~dupefind.models.Location` when a later stage needs it. Inputs that cannot be used
become :class:`~dupefind.models.Skipped` entries with the reason; nothing the user gave is ever
modified.

The modules: :mod:`.units` (what is read: :class:`Unit`, :class:`Record`, the kinds of file),
:mod:`.planning` (the inputs walked and cut into units; why nothing was found), :mod:`.reading`
(a unit to records, a text read again), :mod:`.jsonl` (JSON Lines cut at line breaks, each line
a record).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from ..models import Skipped
from .jsonl import JSONL_PIECE, json_type
from .planning import nothing_to_scan, open_inputs, plan_reading, spool_stdin
from .reading import load_text, read_unit
from .units import KINDS, STDIN, Record, Unit, read_kind, too_large


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


__all__ = ["JSONL_PIECE", "KINDS", "STDIN", "Record", "Unit", "json_type", "load_text", "nothing_to_scan",
           "open_inputs", "plan_reading", "read_kind", "read_records", "read_unit", "spool_stdin", "too_large"]
