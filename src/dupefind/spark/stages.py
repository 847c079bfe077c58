"""The scan's stages as Spark work. The work inside each ``mapPartitions`` is in :mod:`.tasks`
(the plain stage functions); what is Spark's own is here: the shuffles that group band keys into
buckets and pairs, count boilerplate segments, and join texts back to pairs by id.
"""

from __future__ import annotations

from functools import partial
from itertools import combinations
from typing import TYPE_CHECKING, Any

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

from ..config import Config
from .tasks import fingerprint_rows, prefilter_rows, verify_rows

if TYPE_CHECKING:  # pragma: no cover
    from pyspark import RDD
    from pyspark.sql import DataFrame, SparkSession

    from .tasks import RecordRow

RECORDS = StructType([StructField("id", StringType(), False), StructField("path", StringType(), False),
                      StructField("text", StringType(), False), StructField("order", LongType(), False),
                      StructField("line", LongType(), False)])
SKETCH = StructType([StructField("view", LongType(), False), StructField("row", LongType(), False),
                     StructField("signature", BinaryType(), False), StructField("size", LongType(), False),
                     StructField("bands", ArrayType(LongType(), False), False)])
FINGERPRINTS = StructType([
    StructField("id", StringType(), False), StructField("path", StringType(), False),
    StructField("order", LongType(), False), StructField("line", LongType(), False),
    StructField("chars", LongType(), False), StructField("words", LongType(), False),
    StructField("short", BooleanType(), False), StructField("sketches", ArrayType(SKETCH, False), False),
    StructField("exact_key", BinaryType(), False), StructField("segments", ArrayType(LongType(), False), False),
])
PACKED = StructType([StructField("a", StringType(), False), StructField("b", StringType(), False),
                     StructField("similarity", DoubleType(), False), StructField("containment", DoubleType(), False),
                     StructField("data", BinaryType(), False)])
PAIR_IDS = StructType([StructField("a", StringType(), False), StructField("b", StringType(), False)])
ROW_PAIRS = StructType([StructField("view", LongType(), False), StructField("ia", StringType(), False),
                        StructField("ra", LongType(), False), StructField("ib", StringType(), False),
                        StructField("rb", LongType(), False)])


def fingerprints(spark: SparkSession, records: RDD[RecordRow], *, config: Config) -> DataFrame:
    """One row per record (:data:`FINGERPRINTS`), computed where the records are read."""
    return spark.createDataFrame(records.mapPartitions(partial(fingerprint_rows, config=config)), FINGERPRINTS)


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
    unique, so a count of rows is a count of documents)."""
    counts = docs.select(F.explode("segments").alias("key")).groupBy("key").count()
    return counts.filter(F.col("count") >= min_docs).select("key")


def identical_texts(docs: DataFrame) -> DataFrame:
    """Documents with the same words (same ``exact_key``) are one group led by its smallest id:
    each other member paired with the lead (as :func:`dupefind.pipeline.identical_groups`);
    documents without words form no group."""
    worded = docs.filter(F.col("words") > 0).select("id", "exact_key")
    leads = worded.groupBy("exact_key").agg(F.min("id").alias("a"))
    return worded.join(leads, "exact_key").filter(F.col("id") != F.col("a")).select("a", F.col("id").alias("b"))


def lsh_candidates(docs: DataFrame, *, config: Config, bucket_cap: int) -> tuple[DataFrame, DataFrame]:
    """Document pairs ``(a, b)``, ``a < b``, with signature rows (of one view, of two
    documents) that share an LSH bucket and pass the containment pre-filter; and the buckets
    left out (one row: ``buckets``, ``members``, ``pairs``).

    Rows with identical signatures (in one view) are collapsed first: one of each group enters
    the buckets, and its pairs are handed on to the others afterwards; the rows of a group
    pair with each other (identical signatures estimate containment 1). A bucket of more than
    ``bucket_cap`` rows (0: no cap) after that is left out and counted.
    """
    rows = (docs.select("id", F.explode("sketches").alias("s"))
            .select("id", "s.view", "s.row", "s.signature", "s.size", "s.bands").filter(F.size("bands") > 0))
    groups = rows.groupBy("view", "signature", "size").agg(F.min(F.struct("id", "row")).alias("rep"),
                                                             F.count("*").alias("n"))
    members = rows.join(groups, ["view", "signature", "size"]).select(
        "view", F.col("rep.id").alias("rep_id"), F.col("rep.row").alias("rep_row"), "id", "n")
    reps = rows.join(groups.select("view", F.col("rep.id").alias("id"), F.col("rep.row").alias("row")),
                     ["view", "id", "row"], "left_semi")
    keyed = reps.select("view", "id", "row", F.posexplode("bands").alias("band", "key"))
    sizes = keyed.groupBy("view", "band", "key").count().filter(F.col("count") > 1)
    over = sizes.filter(F.col("count") > bucket_cap) if bucket_cap else sizes.limit(0)
    capped = over.agg(F.count("*").alias("buckets"), F.coalesce(F.sum("count"), F.lit(0)).alias("members"),
                      F.coalesce(F.sum(F.col("count") * (F.col("count") - 1) / 2), F.lit(0)).cast("long")
                      .alias("pairs"))
    kept = keyed.join(sizes.join(over.select("view", "band", "key"), ["view", "band", "key"], "left_anti"),
                      ["view", "band", "key"], "left_semi")
    x, y = kept.alias("x"), kept.alias("y")
    before = (F.col("x.id") < F.col("y.id")) | ((F.col("x.id") == F.col("y.id")) & (F.col("x.row") < F.col("y.row")))
    colliding = (x.join(y, [F.col(f"x.{c}") == F.col(f"y.{c}") for c in ("view", "band", "key")], "inner")
                 .filter(before)
                 .select(F.col("x.view").alias("view"), F.col("x.id").alias("ia"), F.col("x.row").alias("ra"),
                         F.col("y.id").alias("ib"), F.col("y.row").alias("rb")).distinct())
    signed = reps.select("view", "id", "row", "signature", "size")
    both = (colliding.join(signed.toDF("view", "ia", "ra", "sig_a", "size_a"), ["view", "ia", "ra"])
            .join(signed.toDF("view", "ib", "rb", "sig_b", "size_b"), ["view", "ib", "rb"])
            .select("view", "ia", "ra", "ib", "rb", "sig_a", "sig_b", "size_a", "size_b"))
    spark = docs.sparkSession
    passed = spark.createDataFrame(both.rdd.mapPartitions(partial(prefilter_rows, config=config)), ROW_PAIRS)
    ma = members.select("view", F.col("rep_id").alias("ia"), F.col("rep_row").alias("ra"), F.col("id").alias("ma"))
    mb = members.select("view", F.col("rep_id").alias("ib"), F.col("rep_row").alias("rb"), F.col("id").alias("mb"))
    handed = (passed.join(ma, ["view", "ia", "ra"]).join(mb, ["view", "ib", "rb"]).filter(F.col("ma") != F.col("mb"))
              .select(F.least("ma", "mb").alias("a"), F.greatest("ma", "mb").alias("b")))
    grouped = (members.filter(F.col("n") > 1).groupBy("view", "rep_id", "rep_row")
               .agg(F.sort_array(F.collect_set("id")).alias("ids")))
    inside = spark.createDataFrame(grouped.rdd.flatMap(lambda row: combinations(row.ids, 2)), PAIR_IDS)
    return handed.unionByName(inside), capped


def verified_pairs(candidates: DataFrame, records: DataFrame, docs: DataFrame, commons: DataFrame, *,
                   config: Config, partitions: int) -> DataFrame:
    """The copies among the candidates (:data:`PACKED`): both texts joined to each pair by id
    (with the boilerplate segments each contains) and checked in ``mapPartitions``."""
    ids = candidates.select(F.col("a").alias("id")).union(candidates.select(F.col("b").alias("id"))).distinct()
    needed = docs.join(ids, "id", "left_semi")
    keys = (needed.select("id", F.explode("segments").alias("key")).join(commons, "key", "left_semi")
            .groupBy("id").agg(F.collect_list("key").alias("keys")))
    texts = (records.join(needed.select("id", "order", "path", "line"), ["id", "order", "path", "line"], "left_semi")
             .select("id", "text").join(keys, "id", "left"))
    full = (candidates.join(texts.toDF("a", "text_a", "keys_a"), "a").join(texts.toDF("b", "text_b", "keys_b"), "b")
            .select("a", "text_a", "keys_a", "b", "text_b", "keys_b")
            .repartition(partitions, "a").sortWithinPartitions("a", "b"))
    checked = full.rdd.mapPartitions(partial(verify_rows, config=config))
    return candidates.sparkSession.createDataFrame(checked, PACKED)


def records_frame(spark: SparkSession, records: RDD[Any]) -> DataFrame:
    """The records (:data:`RECORDS`) as a DataFrame: read again wherever it is used (texts are
    never held)."""
    return spark.createDataFrame(records, RECORDS)
