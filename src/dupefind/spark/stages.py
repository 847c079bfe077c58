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
FINGERPRINTS = StructType([
    StructField("id", StringType(), False), StructField("path", StringType(), False),
    StructField("order", LongType(), False), StructField("line", LongType(), False),
    StructField("chars", LongType(), False), StructField("words", LongType(), False),
    StructField("short", BooleanType(), False), StructField("size", LongType(), False),
    StructField("signature", BinaryType(), False), StructField("exact_key", BinaryType(), False),
    StructField("segments", ArrayType(LongType(), False), False),
    StructField("bands", ArrayType(LongType(), False), False),
])
PACKED = StructType([StructField("a", StringType(), False), StructField("b", StringType(), False),
                     StructField("similarity", DoubleType(), False), StructField("containment", DoubleType(), False),
                     StructField("data", BinaryType(), False)])
PAIR_IDS = StructType([StructField("a", StringType(), False), StructField("b", StringType(), False)])


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


def identical_short_texts(docs: DataFrame) -> DataFrame:
    """Each short text with words paired with the first (by id) of its identical texts."""
    short = docs.filter(F.col("short") & (F.col("words") > 0)).select("id", "exact_key")
    firsts = short.groupBy("exact_key").agg(F.min("id").alias("a"))
    return short.join(firsts, "exact_key").filter(F.col("id") != F.col("a")).select("a", F.col("id").alias("b"))


def lsh_candidates(docs: DataFrame, *, config: Config, bucket_cap: int) -> tuple[DataFrame, DataFrame]:
    """Pairs ``(a, b)``, ``a < b``, that share an LSH bucket and pass the containment
    pre-filter, and the buckets left out (one row: ``buckets``, ``members``, ``pairs``).

    Documents with identical signatures are collapsed first: one of each group (the smallest
    id) enters the buckets, and its pairs are handed on to the others afterwards; every pair
    inside a group is a candidate (identical signatures estimate containment 1). A bucket of
    more than ``bucket_cap`` members (0: no cap) after that is left out and counted.
    """
    usable = docs.filter(F.size("bands") > 0).select("id", "signature", "size", "bands")
    groups = usable.groupBy("signature", "size").agg(F.min("id").alias("rep"), F.count("*").alias("n"))
    members = usable.join(groups, ["signature", "size"]).select("rep", "id")
    reps = usable.join(groups.select(F.col("rep").alias("id")), "id", "left_semi")
    rows = reps.select("id", F.posexplode("bands").alias("band", "key"))
    sizes = rows.groupBy("band", "key").count().filter(F.col("count") > 1)
    over = sizes.filter(F.col("count") > bucket_cap) if bucket_cap else sizes.limit(0)
    capped = over.agg(F.count("*").alias("buckets"), F.coalesce(F.sum("count"), F.lit(0)).alias("members"),
                      F.coalesce(F.sum(F.col("count") * (F.col("count") - 1) / 2), F.lit(0)).cast("long")
                      .alias("pairs"))
    kept = rows.join(sizes.join(over.select("band", "key"), ["band", "key"], "left_anti"), ["band", "key"],
                     "left_semi")
    x, y = kept.alias("x"), kept.alias("y")
    colliding = (x.join(y, (F.col("x.band") == F.col("y.band")) & (F.col("x.key") == F.col("y.key"))
                        & (F.col("x.id") < F.col("y.id")))
                 .select(F.col("x.id").alias("a"), F.col("y.id").alias("b")).distinct())
    signed = reps.select("id", "signature", "size")
    both = (colliding.join(signed.toDF("a", "sig_a", "size_a"), "a").join(signed.toDF("b", "sig_b", "size_b"), "b")
            .select("a", "b", "sig_a", "sig_b", "size_a", "size_b"))
    passed = docs.sparkSession.createDataFrame(both.rdd.mapPartitions(partial(
        prefilter_rows, num_perm=config.num_perm, min_containment=config.threshold / 2)), PAIR_IDS)
    ma, mb = members.toDF("a", "ma"), members.toDF("b", "mb")
    handed = (passed.join(ma, "a").join(mb, "b")
              .select(F.least("ma", "mb").alias("a"), F.greatest("ma", "mb").alias("b")))
    inside = docs.sparkSession.createDataFrame(
        members.join(groups.filter(F.col("n") > 1).select("rep"), "rep").groupBy("rep")
        .agg(F.sort_array(F.collect_list("id")).alias("ids")).rdd.flatMap(lambda row: combinations(row.ids, 2)),
        PAIR_IDS)
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
