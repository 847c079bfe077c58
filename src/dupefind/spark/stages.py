"""The scan's stages as Spark work. The work inside each ``mapPartitions`` is in :mod:`.tasks`
(the plain stage functions); what is Spark's own is here: the shuffles that group band keys into
buckets and pairs, count boilerplate segments, join the rows sketched again without boilerplate
to their documents, and join texts back to pairs by id.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import partial
from typing import TYPE_CHECKING, Any

import numpy as np
from pyspark import StorageLevel
from pyspark.sql import Window
from pyspark.sql import functions as F
from pyspark.sql.types import (
    ArrayType,
    BinaryType,
    BooleanType,
    DoubleType,
    LongType,
    StringType,
    StructField,
    StructType,
)

from ..boilerplate import WIDESPREAD, Commons
from ..config import Config
from ..resketch import needed
from ..views import View
from .buckets import FOUND, candidate_partition
from .tasks import check_rows, fingerprint_rows, resketch_rows, scan_views

if TYPE_CHECKING:  # pragma: no cover
    from pyspark import RDD, Broadcast
    from pyspark.sql import DataFrame, SparkSession

    from .tasks import RecordRow

RECORDS = StructType([StructField("id", StringType(), False), StructField("path", StringType(), False),
                      StructField("text", StringType(), False), StructField("order", LongType(), False),
                      StructField("line", LongType(), False)])
SKETCH = StructType([StructField("view", LongType(), False), StructField("row", LongType(), False),
                     StructField("signature", BinaryType(), False), StructField("size", LongType(), False),
                     StructField("bands", ArrayType(LongType(), False), False),
                     StructField("held", BooleanType(), False)])
FINGERPRINTS = StructType([
    StructField("id", StringType(), False), StructField("path", StringType(), False),
    StructField("order", LongType(), False), StructField("line", LongType(), False),
    StructField("chars", LongType(), False), StructField("words", LongType(), False),
    StructField("short", BooleanType(), False), StructField("sketches", ArrayType(SKETCH, False), False),
    StructField("exact_key", BinaryType(), False), StructField("segments", ArrayType(LongType(), False), False),
    StructField("checksum", LongType(), False),
])
#: A document's rows sketched again without boilerplate (:func:`.tasks.resketch_rows`).
CLEAN = StructType([StructField("id", StringType(), False), StructField("path", StringType(), False),
                    StructField("order", LongType(), False), StructField("line", LongType(), False),
                    StructField("checksum", LongType(), False), StructField("clean", ArrayType(SKETCH, False), False)])
#: The pairs checked: a copy (``changed`` false), or a document read again whose text is not
#: the one first read (``changed`` true, its id in ``a``, the rest null).
CHECKED = StructType([StructField("a", StringType(), False), StructField("b", StringType(), True),
                      StructField("similarity", DoubleType(), True), StructField("containment", DoubleType(), True),
                      StructField("data", BinaryType(), True), StructField("changed", BooleanType(), False)])


def fingerprints(spark: SparkSession, records: RDD[RecordRow], *, config: Config) -> DataFrame:
    """One row per record (:data:`FINGERPRINTS`), computed where the records are read."""
    return spark.createDataFrame(records.mapPartitions(partial(fingerprint_rows, config=config)), FINGERPRINTS,
                                 verifySchema=False)


def first_of_each_id(found: DataFrame) -> tuple[DataFrame, DataFrame]:
    """The documents, one per id (the first in input order), and the others with the path the
    kept one came from (``id, path, line, first_path``). Only repeated ids are ranked."""
    repeated = found.groupBy("id").count().filter(F.col("count") > 1).select("id")
    order = Window.partitionBy("id").orderBy("order", "path", "line")
    ranked = (found.join(F.broadcast(repeated), "id", "left_semi")
              .withColumn("rank", F.row_number().over(order))
              .withColumn("first_path", F.first("path").over(order)))
    kept = found.join(F.broadcast(repeated), "id", "left_anti").unionByName(
        ranked.filter(F.col("rank") == 1).drop("rank", "first_path"))
    return kept, ranked.filter(F.col("rank") > 1).select("id", "path", "line", "first_path")


def common_segments(docs: DataFrame, *, min_docs: int) -> DataFrame:
    """The keys of the segments found in at least ``min_docs`` documents (a document's keys are
    unique, so a count of rows is a count of documents), each ``widespread`` or not (found in
    :data:`~dupefind.boilerplate.WIDESPREAD` times as many)."""
    counts = docs.select(F.explode("segments").alias("key")).groupBy("key").count()
    return counts.filter(F.col("count") >= min_docs).select(
        "key", (F.col("count") >= WIDESPREAD * min_docs).alias("widespread"))


def without_boilerplate(docs: DataFrame, records: RDD[RecordRow], commons: DataFrame, *, config: Config
                        ) -> DataFrame:
    """``docs`` with the documents that hold a common segment sketched again in the views that
    set boilerplate aside, as the local engine's first pass ends (:mod:`dupefind.resketch`):
    their rows there (and band keys) replaced by rows of their words less boilerplate. The
    records are read again in ``mapPartitions`` (:func:`.tasks.resketch_rows`: the local
    :func:`~dupefind.resketch.holding` and :func:`~dupefind.resketch.clean_sketches`, the
    common segments broadcast), and only the rows of the documents that hold one are joined
    back, by the record they came from and its checksum: a record whose text is not the one
    first read keeps its first rows, as locally. ``docs`` as it is when no view asks for it or
    no segment is common."""
    views = scan_views(config)
    keys = np.array([row.key for row in commons.collect()], dtype=np.int64)
    found = Commons(np.unique(keys.view(np.uint64)))
    if not needed(views, found):
        return docs
    spark = docs.sparkSession
    shared = spark.sparkContext.broadcast(found)
    clean = spark.createDataFrame(records.mapPartitions(partial(_resketched, views=views, config=config,
                                                                commons=shared)), CLEAN, verifySchema=False)
    others = [number for number, view in enumerate(views) if not view.without_boilerplate]
    kept = F.filter("sketches", lambda s: s["view"].isin(others)) if others else F.array().cast(ArrayType(SKETCH))
    return (docs.join(clean, ["id", "path", "order", "line", "checksum"], "left")
            .withColumn("sketches", F.when(F.col("clean").isNull(), F.col("sketches"))
                        .otherwise(F.concat(kept, F.col("clean"))))
            .drop("clean"))


def _resketched(rows: Iterable[RecordRow], *, views: tuple[View, ...], config: Config,
                commons: Broadcast[Commons]) -> Iterator[tuple[Any, ...]]:
    return resketch_rows(rows, views=views, config=config, commons=commons.value)


def identical_texts(docs: DataFrame) -> DataFrame:
    """Documents with the same words (same ``exact_key``) are one group led by its smallest id:
    each other member paired with the lead (as :func:`dupefind.pipeline.identical_groups`);
    documents without words form no group."""
    worded = docs.filter(F.col("words") > 0).select("id", "exact_key")
    leads = worded.groupBy("exact_key").agg(F.min("id").alias("a"))
    return worded.join(leads, "exact_key").filter(F.col("id") != F.col("a")).select("a", F.col("id").alias("b"))


def with_members(candidates: DataFrame, identical: DataFrame) -> DataFrame:
    """The candidates (``a < b``) of the groups' leads extended to their members, as
    :func:`dupefind.pipeline.with_members` extends them: each side of a pair stands for its
    group (its lead and the members ``identical`` pairs with it)."""
    group = identical.select(F.col("a").alias("lead"), F.col("b").alias("doc"))
    group = group.unionByName(group.select("lead").distinct().withColumn("doc", F.col("lead")))
    one = (candidates.join(group.withColumnRenamed("lead", "a"), "a", "left")
           .select(F.coalesce("doc", "a").alias("x"), "b"))
    both = (one.join(group.withColumnRenamed("lead", "b"), "b", "left")
            .select("x", F.coalesce("doc", "b").alias("y")))
    return both.select(F.least("x", "y").alias("a"), F.greatest("x", "y").alias("b")).distinct()


def lsh_candidates(docs: DataFrame, *, config: Config, bucket_cap: int, partitions: int
                   ) -> tuple[DataFrame, DataFrame]:
    """Document pairs ``(a, b)``, ``a < b``, with signature rows (of one view, of two documents)
    that share an LSH bucket and pass the containment pre-filter, as
    :func:`dupefind.candidates.candidate_pairs` gives them; and the buckets left out by
    ``bucket_cap`` (one row: ``buckets``, ``members``, ``pairs``).

    The band rows, each with its signature row, are hash-partitioned by bucket, so each
    partition holds whole buckets and the local engine's
    :func:`~dupefind.candidates.colliding_rows` and
    :func:`~dupefind.candidates.filter_candidates` run on it as on the whole collection
    (:mod:`.buckets`). A bucket of more than ``bucket_cap`` documents (0: no cap) is left out
    first and counted; each view's own ``max_bucket`` is the local engine's rule.
    """
    views = scan_views(config)
    if any(view.sample for view in views):  # its filter needs all the collisions of a pair together
        raise ValueError("the Spark engine does not run sampled views")
    rows = (docs.select("id", F.explode("sketches").alias("s"))
            .select("id", "s.view", "s.row", "s.signature", "s.size", "s.held", "s.bands")
            .filter(F.size("bands") > 0))
    # Each band row carries its signature row: one hash shuffle, no join. A band row alone in
    # its bucket pairs no one (most of the content windows' rows: bands of three rows rarely
    # collide by chance) and is dropped on the JVM side, counted over its bucket within the
    # partition the shuffle made, before any row is handed to a Python worker.
    bucket = Window.partitionBy("view", "band", "key")
    signed = (rows.select("view", F.posexplode("bands").alias("band", "key"), "id", "row", "signature", "size",
                          "held")
              .repartition(partitions, "view", "band", "key")
              .withColumn("holders", F.count(F.lit(1)).over(bucket)).filter(F.col("holders") > 1).drop("holders"))
    spark = docs.sparkSession
    found = _persisted(spark.createDataFrame(signed.rdd.mapPartitions(
        partial(candidate_partition, views=views, bucket_cap=bucket_cap)), FOUND, verifySchema=False))
    over = found.filter(F.col("a").isNull())
    capped = over.agg(F.count("*").alias("buckets"), F.coalesce(F.sum("members"), F.lit(0)).cast("long")
                      .alias("members"), F.coalesce(F.sum("pairs"), F.lit(0)).cast("long").alias("pairs"))
    return found.filter(F.col("a").isNotNull()).select("a", "b"), capped


def _persisted(frame: DataFrame) -> DataFrame:
    return frame.persist(StorageLevel.MEMORY_AND_DISK)


def verified_pairs(candidates: DataFrame, records: DataFrame, docs: DataFrame, commons: DataFrame, *,
                   config: Config, partitions: int) -> DataFrame:
    """The copies among the candidates (:data:`CHECKED`), checked in ``mapPartitions`` by
    :func:`dupefind.pipeline.check_pairs` (:func:`.tasks.check_rows`): both texts, read again,
    joined to each pair by id with the checksum of the first read and the boilerplate segments
    each contains. A document whose text read again is not the first one (or is gone) gives a
    row ``changed`` instead of its pairs."""
    ids = candidates.select(F.col("a").alias("id")).union(candidates.select(F.col("b").alias("id"))).distinct()
    needed = docs.join(ids, "id", "left_semi")
    keys = (needed.select("id", F.explode("segments").alias("key")).join(commons, "key")
            .groupBy("id").agg(F.collect_list("key").alias("keys"),
                               F.collect_list(F.when(F.col("widespread"), F.col("key"))).alias("wide")))
    texts = (needed.select("id", "order", "path", "line", "checksum")
             .join(records, ["id", "order", "path", "line"], "left")
             .select("id", "text", "checksum").join(keys, "id", "left"))
    full = (candidates.join(texts.toDF("a", "text_a", "sum_a", "keys_a", "wide_a"), "a")
            .join(texts.toDF("b", "text_b", "sum_b", "keys_b", "wide_b"), "b")
            .select("a", "text_a", "sum_a", "keys_a", "wide_a", "b", "text_b", "sum_b", "keys_b", "wide_b")
            .repartition(partitions, "a").sortWithinPartitions("a", "b"))
    checked = full.rdd.mapPartitions(partial(check_rows, config=config))
    return candidates.sparkSession.createDataFrame(checked, CHECKED, verifySchema=False)


def records_frame(spark: SparkSession, records: RDD[Any]) -> DataFrame:
    """The records (:data:`RECORDS`) as a DataFrame: read again wherever it is used (texts are
    never held)."""
    return spark.createDataFrame(records, RECORDS, verifySchema=False)
