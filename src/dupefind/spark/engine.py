"""The scan on Spark, in order: the same stages as :func:`dupefind.pipeline.scan`, each a
Spark step over the same plain functions (see :mod:`.stages` and :mod:`.tasks`)."""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from pyspark import StorageLevel
from pyspark.sql import functions as F
from pyspark.sql.types import (
    ArrayType,
    BooleanType,
    DoubleType,
    LongType,
    StringType,
    StructField,
    StructType,
)

from ..config import Config
from ..errors import InputError
from ..models import Document, PackedPair, Pairs, Report, Skipped
from ..pipeline import pair_rank
from ..report.json_report import pair_dict
from ..sources import STDIN, nothing_to_scan, open_inputs
from .components import components
from .inputs import Tagged, read_inputs, tagged_rows
from .session import BUCKET_CAP
from .stages import (
    common_segments,
    fingerprints,
    first_of_each_id,
    identical_texts,
    lsh_candidates,
    records_frame,
    verified_pairs,
)

if TYPE_CHECKING:  # pragma: no cover
    from pyspark import RDD
    from pyspark.sql import DataFrame, SparkSession

PASSAGE = StructType([StructField(n, LongType(), False) for n in ("a_start", "a_end", "b_start", "b_end")]
                     + [StructField("similarity", DoubleType(), False)]
                     + [StructField(n, LongType(), False) for n in ("words_a", "words_b")]
                     + [StructField(n, StringType(), False) for n in ("a_text", "b_text")])
SKIPPED = "path string, reason string, ignored boolean"
PAIRS = StructType([
    StructField("a", StringType(), False), StructField("b", StringType(), False),
    StructField("duplicate", BooleanType(), False),
    *(StructField(n, DoubleType(), False) for n in ("similarity", "containment", "containment_a", "containment_b")),
    StructField("kinds", ArrayType(StringType(), False), False),
    StructField("passages", ArrayType(PASSAGE, False), False),
    StructField("json", StringType(), False),
])


@dataclass(frozen=True, slots=True)
class SparkScan:
    """What a scan on Spark found, as DataFrames (nothing is collected to the driver)."""

    documents: DataFrame
    """``id, path, chars, words, short``: every document scanned."""
    pairs: DataFrame
    """``a, b, duplicate, similarity, containment, containment_a, containment_b, kinds, passages,
    json``: the reported pairs, ``passages`` with offsets and texts, ``json`` the pair as one
    line of the JSON report."""
    clusters: DataFrame
    """``size, ids``: groups of ids connected by reported pairs (``ids`` sorted)."""
    skipped: DataFrame
    """``path, reason, ignored``: inputs and rows that were not scanned (no id, empty text,
    repeated id; ``ignored``: files of a type a folder walk passes over)."""
    capped: DataFrame
    """One row ``buckets, members, pairs``: the LSH buckets larger than the cap, left out."""
    packed: DataFrame
    """``a, b, similarity, containment, data``: the pairs as the local engine keeps them."""


def scan_dataframe(df: DataFrame, *, id_col: str = "id", text_col: str = "text", path_col: str | None = None,
                   config: Config | None = None, bucket_cap: int = BUCKET_CAP) -> SparkScan:
    """Scan the rows of ``df`` (an id and a text per row) for copies, on ``df``'s Spark session."""
    return _scan(df.sparkSession, tagged_rows(df, id_col=id_col, text_col=text_col, path_col=path_col),
                 config or Config(), bucket_cap=bucket_cap)


def _scan(spark: SparkSession, tagged: RDD[Tagged], config: Config, *, bucket_cap: int) -> SparkScan:
    partitions = int(spark.conf.get("spark.sql.shuffle.partitions") or 200)
    records = tagged.filter(lambda t: t[0] == "r").map(lambda t: t[1])
    unread = spark.createDataFrame(tagged.filter(lambda t: t[0] == "s").map(lambda t: (*t[1], False)), SKIPPED)
    # Cached, and filled at once: otherwise the stages that Spark starts side by side (the
    # adaptive planner submits independent shuffles together) each compute the fingerprints.
    found = fingerprints(spark, records, config=config).persist(StorageLevel.MEMORY_AND_DISK)
    found.count()
    docs, repeated = first_of_each_id(found)
    docs = docs.persist(StorageLevel.MEMORY_AND_DISK)
    docs.count()
    commons = common_segments(docs, min_docs=config.boilerplate_min_docs)
    identical = identical_texts(docs)  # only a group's lead is looked up in LSH
    leads = docs.join(identical.select(F.col("b").alias("id")), "id", "left_anti")
    candidates, capped = lsh_candidates(leads, config=config, bucket_cap=bucket_cap)
    candidates = candidates.unionByName(identical).distinct()
    packed = verified_pairs(candidates, records_frame(spark, records), docs, commons, config=config,
                            partitions=partitions).persist(StorageLevel.MEMORY_AND_DISK)
    roots = spark.createDataFrame(components(packed.select("a", "b").rdd.map(tuple), partitions=partitions),
                                  "id string, root string")
    clusters = roots.groupBy("root").agg(F.count("*").alias("size"), F.sort_array(F.collect_list("id")).alias("ids"))
    skipped = unread.unionByName(repeated.select(
        F.when(F.col("line") > 0, F.concat_ws(":", "path", F.col("line").cast("string"))).otherwise(F.col("path"))
        .alias("path"),
        F.concat(F.lit("duplicate id "), _python_repr("id"), F.lit(" (first read from "), F.col("first_path"),
                 F.lit(")")).alias("reason"), F.lit(False).alias("ignored")))
    pairs = spark.createDataFrame(packed.rdd.map(_pair_row), PAIRS)
    return SparkScan(docs.select("id", "path", "chars", "words", "short"), pairs, clusters.select("size", "ids"),
                     skipped, capped, packed)


def _python_repr(column: str) -> Any:
    """``repr(id)`` as Python writes it in the local engine's message (a Python UDF: quotes and
    escapes follow Python's rules)."""
    return F.udf(repr, StringType(), useArrow=False)(F.col(column))


def _pair_row(row: Any) -> tuple[Any, ...]:
    pair = PackedPair(row.a, row.b, row.similarity, row.containment, bytes(row.data)).unpack()
    passages = [(p.a_start, p.a_end, p.b_start, p.b_end, p.similarity, p.words_a, p.words_b, p.a_text, p.b_text)
                for p in pair.passages]
    kinds = list(pair.relation.kinds) if pair.relation else []
    return (pair.a, pair.b, pair.duplicate, pair.similarity, pair.containment, pair.containment_a,
            pair.containment_b, kinds, passages, json.dumps(pair_dict(pair), ensure_ascii=False))


def scan_inputs(spark: SparkSession, paths: Sequence[str], config: Config | None = None, *,
                bucket_cap: int = BUCKET_CAP, shown_as: dict[str, str] | None = None) -> SparkScan:
    """Scan files, folders and what Spark reads (Parquet, JSONL, globs, ``hdfs://``, ``s3a://``)."""
    config = config or Config()
    inputs = read_inputs(spark, paths, include=config.include, exclude=config.exclude,
                         follow_symlinks=config.follow_symlinks, id_field=config.id_field,
                         text_field=config.text_field, shown_as=shown_as)
    found = _scan(spark, inputs.tagged, config, bucket_cap=bucket_cap)
    planned = spark.createDataFrame([(s.path, s.reason, s.ignored) for s in inputs.planned_skips], SKIPPED)
    return replace(found, skipped=found.skipped.unionByName(planned))


def scan_paths(spark: SparkSession, paths: Sequence[str], config: Config | None = None, *,
               bucket_cap: int = BUCKET_CAP) -> Report:
    """:func:`dupefind.scan` on Spark: the same :class:`~dupefind.models.Report` (its ``config``
    gains an ``engine`` entry). The report lists every document, so they are brought to the
    driver; ``python -m dupefind.spark`` writes a scan's outputs to a folder instead."""
    config = config or Config()
    started = time.perf_counter()
    with open_inputs(paths) as real:
        found = scan_inputs(spark, real, config, bucket_cap=bucket_cap,
                            shown_as={r: STDIN for g, r in zip(paths, real) if g == STDIN})
        skipped = sorted((Skipped(r.path, r.reason, r.ignored) for r in found.skipped.toLocalIterator()),
                         key=_skip_order)
        documents = tuple(Document(r.id, r.path, r.chars, r.words, r.short)
                          for r in found.documents.orderBy("id").toLocalIterator())
        if not documents:
            raise InputError(nothing_to_scan(list(paths), skipped, include=config.include, exclude=config.exclude))
        pairs = sorted((PackedPair(r.a, r.b, r.similarity, r.containment, bytes(r.data))
                        for r in found.packed.toLocalIterator()), key=pair_rank)
        groups = [tuple(r.ids) for r in found.clusters.toLocalIterator()]
        capped = found.capped.first()
    engine = {"name": "spark", "bucket_cap": bucket_cap, "capped_buckets": int(capped.buckets) if capped else 0,
              "capped_pairs": int(capped.pairs) if capped else 0}
    return Report(
        config={**config.as_dict(), "engine": engine}, documents=documents, pairs=Pairs(pairs),
        clusters=tuple(sorted(groups, key=lambda g: (-len(g), g))),  # the local engine's order
        skipped=tuple(s for s in skipped if not s.ignored), ignored=tuple(s for s in skipped if s.ignored),
        seconds=time.perf_counter() - started,
    )


def _skip_order(s: Skipped) -> tuple[str, str]:
    return (s.path, s.reason)
