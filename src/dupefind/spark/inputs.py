"""Inputs to records on Spark: local files and folders (a local glob expanded as a shell does)
are planned as the local engine plans them (:func:`dupefind.sources.plan_reading`) and read by
the executors with :func:`dupefind.sources.read_unit`; Parquet and JSON Lines on any file system
Spark reads (``hdfs://``, ``s3a://``, their globs), Parquet dataset folders and DataFrames are
read by Spark.

Every record carries its order among records with the same id (a repeated id keeps the first,
as in the local engine): for planned inputs, its place in the input order; for rows Spark reads,
a hash of its text (a DataFrame has no order that survives repartitioning).
"""

from __future__ import annotations

import glob
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..models import Skipped
from ..sources import Record, Unit, plan_reading, read_unit
from .tasks import RecordRow, text_order

if TYPE_CHECKING:  # pragma: no cover
    from pyspark import RDD
    from pyspark.sql import DataFrame, SparkSession

#: A record (``("r", RecordRow)``) or an input that was skipped (``("s", (path, reason))``).
Tagged = tuple[str, tuple[Any, ...]]

_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_GLOB = re.compile(r"[*?\[]")
#: What Spark reads itself, by the end of the path.
SPARK_FORMATS = {".parquet": "parquet", ".jsonl": "json", ".json": "json", ".jsonl.gz": "json", ".json.gz": "json"}


@dataclass(frozen=True, slots=True)
class Inputs:
    """The records to scan, and the inputs skipped while planning them."""

    tagged: RDD[Tagged]
    """Records and skipped inputs, as the executors read them."""
    planned_skips: tuple[Skipped, ...]
    """Inputs skipped before reading (missing paths, unsupported files)."""


def read_by_spark(path: str) -> bool:
    """Whether ``path`` is read by Spark (a URI, or a Parquet dataset folder) rather than
    planned as local files. A local Parquet *file* is planned as the local engine plans it, a
    row group a piece: its rows without an id are then named ``FILE:ROW`` as there, not skipped
    (the same answers on both engines)."""
    if _URI.match(path):
        return True
    return path.rstrip("/").lower().endswith(".parquet") and not os.path.isfile(path)


def expand_globs(paths: Sequence[str]) -> list[str]:
    """``paths`` with each local glob (``shards/*.parquet``) replaced by the paths it matches,
    sorted, as a shell expands it (names starting with ``.`` left out): they are then read as
    the local engine reads the files a shell named, with the same ids and paths. A path that
    exists as written, a URI, and a glob that matches nothing stay as they are (the last is
    then skipped as missing, as the local engine skips it)."""
    expanded: list[str] = []
    for path in paths:
        if _URI.match(path) or not _GLOB.search(path) or os.path.lexists(path):
            expanded.append(path)
        else:
            expanded += sorted(glob.glob(path)) or [path]
    return expanded


def read_inputs(spark: SparkSession, paths: Sequence[str], *, include: Sequence[str] = (),
                exclude: Sequence[str] = (), follow_symlinks: bool = False, id_field: str = "id",
                text_field: str = "text", shown_as: dict[str, str] | None = None, max_bytes: int = 0) -> Inputs:
    """The records under ``paths``: local ones planned here, the others read by Spark."""
    paths = expand_globs(paths)
    local = [p for p in paths if not read_by_spark(p)]
    remote = [p for p in paths if read_by_spark(p)]
    planned = list(plan_reading(local, include=include, exclude=exclude, follow_symlinks=follow_symlinks,
                                shown_as=shown_as, max_bytes=max_bytes))
    units = [(index, u) for index, u in enumerate(planned) if isinstance(u, Unit)]
    parts: list[RDD[Tagged]] = []
    sc = spark.sparkContext
    if units:
        slices = max(1, min(len(units), sc.defaultParallelism))
        parts.append(sc.parallelize(units, slices).flatMap(
            lambda item: _read_unit(item, id_field=id_field, text_field=text_field)))
    for path in remote:
        frame = _spark_read(spark, path)
        parts.append(tagged_rows(frame, id_col=id_field, text_col=text_field, path_col="_dupefind_path"))
    tagged = sc.union(parts) if parts else sc.emptyRDD()
    return Inputs(tagged, tuple(u for u in planned if isinstance(u, Skipped)))


def _spark_read(spark: SparkSession, path: str) -> DataFrame:
    from pyspark.sql import functions as F

    lowered = path.rstrip("/").lower()
    kind = next((f for end, f in SPARK_FORMATS.items() if lowered.endswith(end)), "parquet")
    reader = spark.read.format(kind)
    if kind == "json":
        reader = reader.option("mode", "DROPMALFORMED")
    return reader.load(path).withColumn("_dupefind_path", F.input_file_name())


def _read_unit(item: tuple[int, Unit], *, id_field: str, text_field: str) -> Iterator[Tagged]:
    index, unit = item
    for position, found in enumerate(read_unit(unit, id_field=id_field, text_field=text_field)):
        if isinstance(found, Record):
            row: RecordRow = (found.id, found.path, found.text, (index << 32) | position, found.location.line)
            yield "r", row
        else:
            yield "s", (found.path, found.reason)


def tagged_rows(frame: DataFrame, *, id_col: str, text_col: str, path_col: str | None = None) -> RDD[Tagged]:
    """The rows of a DataFrame as records (the id as a string; the path from ``path_col``, or
    the id); a row without a text or an id is skipped with the reason."""
    from pyspark.sql import functions as F

    missing = [c for c in (id_col, text_col, path_col) if c is not None and c not in frame.columns]
    if missing:
        from ..errors import InputError

        have = ", ".join(frame.columns) or "none"
        raise InputError(f"no column {missing[0]!r} in the input (columns: {have}); set it with --id-field/--text-field")
    path = F.col(path_col).cast("string") if path_col else F.col(id_col).cast("string")
    columns = frame.select(F.col(id_col).cast("string").alias("id"), path.alias("path"),
                           F.col(text_col).cast("string").alias("text"))
    return columns.rdd.map(_tag_row)


def _tag_row(row: Any) -> Tagged:
    ident, path, text = row[0], row[1], row[2]
    if ident is None:
        return "s", (path or "?", "no id")
    if text is None or not text.strip():
        return "s", (f"{path}:{ident}" if path != ident else ident, "empty text")
    record: RecordRow = (ident, path, text, text_order(text), 0)
    return "r", record
