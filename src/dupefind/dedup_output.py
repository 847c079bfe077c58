"""Dedup end to end: scan, choose, then read the inputs again in input order and write the kept
records (and the removed ones) as JSONL, or as Parquet when the inputs are Parquet.

A record is written as it came: a JSONL line byte for byte (its line break made ``\\n``, a
byte-order mark dropped), a Parquet row as a JSON object of all its columns (strict JSON, by the
rules of :mod:`dupefind.parquet_rows`) or as a Parquet row with the input's schema and metadata,
a file as ``{"id": ..., "text": ...}`` (the field names of ``Config.id_field`` /
``Config.text_field``). A removed record is the input object with two fields added at its end
(replacing fields of the same names): ``duplicate_of``, the kept id, and ``duplicate_match``,
the pair that ties it to its cluster (``id``, ``similarity``, ``containment``, ``kinds``). Both
files are written atomically (a temporary file renamed into place), and never over an input.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from typing import IO, Any, BinaryIO, Literal, get_args

from .catalog import Progress
from .config import Config, given_config
from .dedup_files import STDOUT, OutputError, Pipe, atomic_files, refuse_overwriting
from .dedup_plan import KEEP_RULES, Chooser, DedupPlan, KeepRule, Removal
from .errors import ConfigError
from .models import Location, Report
from .parquet_rows import ParquetSink, input_schema, json_row, release
from .pipeline import PathArg, path_list, scan
from .sources import STDIN, Record, Unit, plan_reading, read_records, spool_stdin

__all__ = ["OUTPUT_FORMATS", "DedupResult", "OutputError", "OutputFormat", "dedup"]

OutputFormat = Literal["jsonl", "parquet"]
"""How dedup writes its records: JSON Lines, or Parquet (for Parquet inputs only)."""
OUTPUT_FORMATS: tuple[OutputFormat, ...] = get_args(OutputFormat)


@dataclass(frozen=True, slots=True)
class DedupResult:
    """What a dedup did: the scan's report and the keep / remove decisions."""

    report: Report
    """The scan the decisions rest on."""
    plan: DedupPlan
    """Which documents were kept, which removed, and why."""


def dedup(paths: PathArg | Iterable[PathArg], *, output: PathArg, removed: PathArg | None = None,
          keep: KeepRule = "first", config: Config | None = None, stdin: BinaryIO | None = None,
          progress: Progress | None = None, output_format: OutputFormat | None = None) -> DedupResult:
    """Scan ``paths``, keep one record per cluster (by ``keep``) and write the kept records to
    ``output`` and, if given, the removed ones to ``removed`` (``-`` is stdout, for one of the
    two).

    Each file is JSONL, or Parquet when its name ends in ``.parquet``; ``output_format`` chooses
    for both. Parquet output needs Parquet inputs of one schema, which it keeps (with the
    metadata of the first file), the removed records with ``duplicate_of`` (a string) and
    ``duplicate_match`` (a struct) added. ``paths`` as for :func:`~dupefind.scan` (one path, or
    a list; ``str`` or ``Path``). Wrong types, an unknown ``keep`` or ``output_format``, outputs
    that would overwrite an input and Parquet output of other inputs fail before the scan."""
    config = given_config(config)
    paths = path_list(paths)
    if keep not in KEEP_RULES:
        raise ConfigError("keep", f"must be one of {', '.join(KEEP_RULES)}; got {keep!r}")
    targets = [_output_name(output, "output")] + ([_output_name(removed, "removed")] if removed is not None else [])
    if targets.count(STDOUT) > 1:
        raise OutputError("the kept and removed records cannot both go to stdout ('-')")
    if output_format is not None and output_format not in OUTPUT_FORMATS:
        raise ConfigError("output_format", f"must be one of {', '.join(OUTPUT_FORMATS)}; got {output_format!r}")
    formats = [output_format or ("parquet" if t.lower().endswith(".parquet") else "jsonl") for t in targets]
    refuse_overwriting(targets, paths)
    schema = _parquet_schema(paths, config, [t for t, f in zip(targets, formats) if f == "parquet"])
    with _spooled(paths, stdin) as (given, real, shown_as):
        with _spool_handle(real, given) as spool:
            report = scan(given, config, stdin=spool, progress=progress)
        chooser = Chooser(report, keep=keep)
        documents = {d.id for d in report.documents}
        kept: list[str] = []
        gone: list[Removal] = []
        with atomic_files(targets) as files, _RawLines() as raw, _released():
            sinks = [_Named(target, partial(_sink, file, form, removed=number == 1, schema=schema, raw=raw,
                                            config=config))
                     for number, (file, form, target) in enumerate(zip(files, formats, targets))]
            for record in read_records(real, include=config.include, exclude=config.exclude,
                                       follow_symlinks=config.follow_symlinks, id_field=config.id_field,
                                       text_field=config.text_field, shown_as=shown_as,
                                       max_bytes=config.max_document_bytes):
                if not isinstance(record, Record) or record.id not in documents:
                    continue  # skipped, or a repeated id (listed in the report's skipped inputs)
                documents.discard(record.id)
                decision = chooser.decide(record.id)
                if decision is None:
                    kept.append(record.id)
                    sinks[0].add(record, None)
                else:
                    gone.append(decision)
                    if len(sinks) > 1:
                        sinks[1].add(record, decision)
            for sink in sinks:
                sink.close()
    plan = DedupPlan(keep, tuple(sorted(kept)), tuple(sorted(gone, key=lambda r: r.id)))
    return DedupResult(report, plan)


def _output_name(value: object, name: str) -> str:
    if not isinstance(value, (str, os.PathLike)) or not isinstance(path := os.fspath(value), str):
        raise TypeError(f"{name} must be a path (str or os.PathLike of str), not {type(value).__name__}")
    if not path:
        raise OutputError(f"{name}: an empty file name")
    return path


def _parquet_schema(paths: Sequence[str], config: Config, targets: Sequence[str]) -> Any:
    """The schema Parquet ``targets`` are written with: the inputs' own, when every input is
    Parquet and all have one schema; ``None`` when there are no Parquet targets (or no input
    to take it from: the scan then says why)."""
    if not targets:
        return None
    if STDOUT in targets:
        raise OutputError("Parquet output needs a file, not stdout ('-')")
    if STDIN in paths:
        raise OutputError(f"{targets[0]}: Parquet output needs Parquet inputs, and standard input is JSONL; "
                          "write JSONL instead")
    files: list[str] = []
    for unit in plan_reading(paths, include=config.include, exclude=config.exclude,
                             follow_symlinks=config.follow_symlinks):
        if isinstance(unit, Unit):
            if unit.kind != "parquet":
                raise OutputError(f"{targets[0]}: Parquet output needs Parquet inputs, and {unit.shown} is "
                                  f"{unit.kind}; write JSONL instead")
            if unit.path not in files:
                files.append(unit.path)
    if not files:
        return None
    try:
        return input_schema(files)
    except (ValueError, RuntimeError) as error:
        raise OutputError(f"{targets[0]}: {error}") from None


def _sink(file: IO[bytes] | Pipe, form: OutputFormat, *, removed: bool, schema: Any, raw: _RawLines,
          config: Config) -> _JsonlSink | ParquetSink:
    if form == "parquet":
        return ParquetSink(file.handle if isinstance(file, Pipe) else file, schema, removed=removed)
    return _JsonlSink(file, raw, config)


class _Named:
    """A sink whose failures to write name its file (of the two, the one the disk could not take)."""

    def __init__(self, target: str, make: Callable[[], _JsonlSink | ParquetSink]) -> None:
        self._target = target
        with self._naming():
            self._sink = make()

    def add(self, record: Record, why: Removal | None) -> None:
        with self._naming():
            self._sink.add(record, why)

    def close(self) -> None:
        with self._naming():
            self._sink.close()

    @contextmanager
    def _naming(self) -> Iterator[None]:
        try:
            yield
        except OSError as error:
            raise OutputError(f"cannot write {'stdout' if self._target == STDOUT else self._target}: "
                              f"{error.strerror or error}") from None


class _JsonlSink:
    """Records written as JSON lines (see the module's docstring)."""

    def __init__(self, file: IO[bytes] | Pipe, raw: _RawLines, config: Config) -> None:
        self._file, self._raw, self._config = file, raw, config

    def add(self, record: Record, why: Removal | None) -> None:
        """One record, kept (``why`` is ``None``) or removed."""
        self._file.write(_kept_line(record, self._raw, self._config) if why is None
                         else _removed_line(record, self._raw, self._config, why))

    def close(self) -> None:
        """Nothing left to write (the file is closed with the others)."""


def _kept_line(record: Record, raw: _RawLines, config: Config) -> bytes:
    if record.location.kind == "jsonl":
        return raw.line(record.location) + b"\n"
    return _dump(_as_object(record, raw, config))


def _removed_line(record: Record, raw: _RawLines, config: Config, why: Removal) -> bytes:
    added = {"duplicate_of": why.duplicate_of,
             "duplicate_match": {"id": why.matched, "similarity": why.similarity, "containment": why.containment,
                                 "kinds": list(why.kinds)}}
    if record.location.kind == "jsonl":
        line = raw.line(record.location)
        data = json.loads(line, parse_float=_finite)
        body = line.rstrip()
        if body.endswith(b"}") and not any(key in data for key in added):
            # The line as it came, the two fields written in before its closing brace: its
            # numbers, escapes and repeated keys stay as they were (decoding them, then encoding
            # them again, wrote 1e2 as 100.0 and lost digits of long numbers).
            fields = _dump(added)[1:-2]  # '"duplicate_of": ..., "duplicate_match": {...}'
            return body[:-1].rstrip() + (b", " if data else b"") + fields + b"}\n"
    else:
        data = _as_object(record, raw, config)
    data.pop("duplicate_of", None)  # (fields of the same names are replaced, at the end)
    data.pop("duplicate_match", None)
    return _dump({**data, **added})


def _as_object(record: Record, raw: _RawLines, config: Config) -> dict[str, Any]:
    if record.location.kind == "jsonl":
        loaded: dict[str, Any] = json.loads(raw.line(record.location))
        return loaded
    if record.location.kind == "parquet":
        location = record.location
        return json_row(location.path, location.offset, location.line)
    return {config.id_field: record.id, config.text_field: record.text}


def _finite(text: str) -> float | None:
    """A JSON number read as a float: ``None`` past the floats' range (``1e400``), which a line
    decoded and written again (it had fields named as the added ones) could not write as JSON."""
    value = float(text)
    return value if math.isfinite(value) else None


def _dump(data: dict[str, Any]) -> bytes:
    # A lone surrogate (read from a JSON escape) goes back out as the same escape.
    return (json.dumps(data, ensure_ascii=False, allow_nan=False) + "\n").encode("utf-8", errors="backslashreplace")


class _RawLines:
    """JSONL lines read again from their files (one open handle per file)."""

    def __init__(self) -> None:
        self._handles: dict[str, IO[bytes]] = {}

    def __enter__(self) -> _RawLines:
        return self

    def __exit__(self, *exc: object) -> None:
        for handle in self._handles.values():
            handle.close()

    def line(self, location: Location) -> bytes:
        handle = self._handles.get(location.path)
        if handle is None:
            handle = self._handles[location.path] = open(location.path, "rb")  # noqa: SIM115  # closed in __exit__
        handle.seek(location.offset)
        line = handle.readline().rstrip(b"\r\n")
        return line.removeprefix(b"\xef\xbb\xbf")


@contextmanager
def _released() -> Iterator[None]:
    try:
        yield
    finally:
        release()


@contextmanager
def _spooled(paths: Sequence[str], stdin: BinaryIO | None
             ) -> Iterator[tuple[list[str], list[str], dict[str, str]]]:
    """Stdin copied once to a temporary file, read by the scan and again by the writer."""
    if STDIN not in paths:
        yield list(paths), list(paths), {}
        return
    with tempfile.TemporaryDirectory(prefix="dupefind-dedup-") as folder:
        spool = os.path.join(folder, "stdin.jsonl")
        spool_stdin(stdin, spool)
        yield list(paths), [spool if p == STDIN else p for p in paths], {spool: STDIN}


@contextmanager
def _spool_handle(real: Sequence[str], given: Sequence[str]) -> Iterator[BinaryIO | None]:
    """The spooled stdin opened again, for the scan to read as its stdin."""
    spools = [r for r, g in zip(real, given) if g == STDIN]
    if not spools:
        yield None
        return
    with open(spools[0], "rb") as handle:
        yield handle
