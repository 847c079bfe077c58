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

from ..candidates import exhaustive
from ..config import Config, given_config
from ..errors import InputError
from ..models import Document, PackedPair, Report, Skipped, skip_order
from ..pipeline import CHANGED, make_report, pair_rank
from ..report.json_report import pair_dict
from ..sources import STDIN, nothing_to_scan, open_inputs
from ..verify import least_words_paired
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
    with_members,
    without_boilerplate,
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


def _scan(spark: SparkSession, tagged: RDD[Tagged], config: Config, *, bucket_cap: int,
          with_clusters: bool = True) -> SparkScan:
    partitions = int(spark.conf.get("spark.sql.shuffle.partitions") or 200)
    records = tagged.filter(lambda t: t[0] == "r").map(lambda t: t[1])
    unread = spark.createDataFrame(tagged.filter(lambda t: t[0] == "s").map(lambda t: (*t[1], False)), SKIPPED)
    # Each intermediate used twice is kept, and filled at once: otherwise the stages that Spark
    # starts side by side (the adaptive planner submits independent shuffles together) each
    # compute it again.
    found = _kept(fingerprints(spark, records, config=config))
    docs, repeated = first_of_each_id(found)
    docs = _kept(docs)
    commons = _kept(common_segments(docs, min_docs=config.boilerplate_min_docs))
    # Once the common segments are known, the documents holding one are sketched again in the
    # views that set boilerplate aside (the local first pass ends so); only LSH uses the rows.
    sketched = without_boilerplate(docs, records, commons, config=config)
    identical = identical_texts(docs)  # only a group's lead is looked up in LSH
    members = identical.select(F.col("b").alias("id"))
    size = docs.agg(F.count("*").alias("documents"), F.coalesce(F.sum("words"), F.lit(0)).alias("words")).collect()[0]
    if exhaustive(int(size["documents"]), int(size["words"])):  # every pair, as the local engine proposes them
        paired = F.col("words") >= least_words_paired(config.min_words)  # (not only with identical texts)
        candidates = every_pair(docs.filter(paired).join(members, "id", "left_anti"))
        capped = spark.createDataFrame([(0, 0, 0)], "buckets long, members long, pairs long")  # no bucket left out
    else:
        leads = sketched.join(members, "id", "left_anti")
        candidates, capped = lsh_candidates(leads, config=config, bucket_cap=bucket_cap, partitions=partitions)
    candidates = _kept(with_members(candidates, identical).unionByName(identical).distinct())
    # The texts are read again here (the records are not kept): a text that changed since the
    # fingerprints were made is caught as the local engine catches it.
    checked = _kept(verified_pairs(candidates, records_frame(spark, records), docs, commons, config=config,
                                   partitions=partitions))
    changed = checked.filter("changed").select(F.col("a").alias("id")).distinct()
    packed = (checked.filter(~F.col("changed")).select("a", "b", "similarity", "containment", "data")
              .join(F.broadcast(changed.withColumnRenamed("id", "a")), "a", "left_anti")
              .join(F.broadcast(changed.withColumnRenamed("id", "b")), "b", "left_anti")
              .select("a", "b", "similarity", "containment", "data"))
    gone = docs.join(F.broadcast(changed), "id", "left_semi")
    if with_clusters:
        roots = spark.createDataFrame(components(packed.select("a", "b").rdd.map(tuple), partitions=partitions),
                                      "id string, root string")
        clusters = roots.groupBy("root").agg(F.count("*").alias("size"), F.sort_array(F.collect_list("id")).alias("ids"))
    else:
        clusters = spark.createDataFrame([], "root string, size long, ids array<string>")
    skipped = unread.unionByName(repeated.select(
        _where("path", "line"),
        F.concat(F.lit("duplicate id "), _python_repr("id"), F.lit(" (first read from "), F.col("first_path"),
                 F.lit(")")).alias("reason"), F.lit(False).alias("ignored"))).unionByName(gone.select(
        _where("path", "line"), F.lit(CHANGED).alias("reason"), F.lit(False).alias("ignored")))
    pairs = spark.createDataFrame(packed.rdd.map(_pair_row), PAIRS)
    documents = docs.join(F.broadcast(changed), "id", "left_anti").select("id", "path", "chars", "words", "short")
    return SparkScan(documents, pairs, clusters.select("size", "ids"), skipped, capped, packed)


def every_pair(usable: DataFrame) -> DataFrame:
    """Every pair ``(a, b)``, ``a < b``, of the documents of ``usable`` (column ``id``)."""
    ids = usable.select("id")
    return (ids.withColumnRenamed("id", "a").crossJoin(ids.withColumnRenamed("id", "b"))
            .filter(F.col("a") < F.col("b")))


def _kept(frame: DataFrame) -> DataFrame:
    """``frame`` persisted (memory, then disk) and computed now."""
    frame = frame.persist(StorageLevel.MEMORY_AND_DISK)
    frame.count()
    return frame


def _where(path: str, line: str) -> Any:
    """Where a record was read, as the local engine names it: ``path:line`` in a JSONL file."""
    return F.when(F.col(line) > 0, F.concat_ws(":", path, F.col(line).cast("string"))).otherwise(F.col(path)).alias("path")


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
                bucket_cap: int = BUCKET_CAP, shown_as: dict[str, str] | None = None,
                with_clusters: bool = True) -> SparkScan:
    """Scan files, folders and what Spark reads (Parquet, JSONL, globs, ``hdfs://``, ``s3a://``).
    ``with_clusters=False`` leaves ``clusters`` empty (for a caller that clusters the pairs it
    collects, as :func:`scan_paths` does)."""
    config = given_config(config)
    inputs = read_inputs(spark, paths, include=config.include, exclude=config.exclude,
                         follow_symlinks=config.follow_symlinks, id_field=config.id_field,
                         text_field=config.text_field, shown_as=shown_as, max_bytes=config.max_document_bytes)
    found = _scan(spark, inputs.tagged, config, bucket_cap=bucket_cap, with_clusters=with_clusters)
    planned = spark.createDataFrame([(s.path, s.reason, s.ignored) for s in inputs.planned_skips], SKIPPED)
    return replace(found, skipped=found.skipped.unionByName(planned))


def scan_paths(spark: SparkSession, paths: Sequence[str], config: Config | None = None, *,
               bucket_cap: int = BUCKET_CAP) -> Report:
    """:func:`dupefind.scan` on Spark: the same :class:`~dupefind.models.Report` (its ``config``
    gains an ``engine`` entry). The report lists every document, so they are brought to the
    driver, and the pairs are clustered there as the local engine clusters them (the pairs are
    all collected anyway); ``python -m dupefind.spark`` writes a scan's outputs to a folder
    instead, clusters found on Spark."""
    config = given_config(config)
    started = time.perf_counter()
    with open_inputs(paths) as real:
        found = scan_inputs(spark, real, config, bucket_cap=bucket_cap,
                            shown_as={r: STDIN for g, r in zip(paths, real) if g == STDIN}, with_clusters=False)
        skipped = sorted((Skipped(r.path, r.reason, r.ignored) for r in found.skipped.toLocalIterator()),
                         key=skip_order)
        documents = tuple(Document(r.id, r.path, r.chars, r.words, r.short)
                          for r in found.documents.orderBy("id").toLocalIterator())
        if not documents:
            raise InputError(nothing_to_scan(list(paths), skipped, include=config.include, exclude=config.exclude))
        pairs = sorted((PackedPair(r.a, r.b, r.similarity, r.containment, bytes(r.data))
                        for r in found.packed.toLocalIterator()), key=pair_rank)
        capped = found.capped.first()
    engine = {"name": "spark", "bucket_cap": bucket_cap, "capped_buckets": int(capped.buckets) if capped else 0,
              "capped_pairs": int(capped.pairs) if capped else 0}
    report = make_report(documents, pairs, skipped, config, seconds=time.perf_counter() - started)
    return replace(report, config={**report.config, "engine": engine})

