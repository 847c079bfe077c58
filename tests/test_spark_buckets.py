"""The Spark engine's candidate stage, without Spark: band rows split into partitions by bucket (as Spark's hash partitioning splits them), each partition through
:func:`dupefind.spark.buckets.candidate_partition`, give exactly the candidates
:func:`dupefind.candidates.candidate_pairs` gives on the whole collection, with and without a
view's ``max_bucket`` biting, and with the engine's own cap."""

from __future__ import annotations

import random
from dataclasses import replace
from typing import Any

import numpy as np
import pytest
from conftest import sample_files, sample_text

from dupefind import Config
from dupefind.candidates import candidate_pairs
from dupefind.catalog import fingerprint_records
from dupefind.models import Location
from dupefind.sources import Record
from dupefind.spark.buckets import candidate_partition
from dupefind.spark.tasks import RecordRow, fingerprint_rows, scan_views
from dupefind.views import View


def corpus() -> list[RecordRow]:
    """The samples, cut and pasted into one another (buckets of several documents), in a
    shuffled order."""
    texts = [sample_text(n) for n in sample_files() if n.endswith(".txt")]
    rng = random.Random(5)
    rows: list[RecordRow] = [(f"s{k:02d}", f"s{k:02d}", t, 0, 0) for k, t in enumerate(texts)]
    for k in range(12):
        a, b = rng.sample(texts, 2)
        rows.append((f"m{k:02d}", f"m{k:02d}", a[: len(a) // 2] + "\n\n" + b[len(b) // 3 :], 0, 0))
    rng.shuffle(rows)
    return rows


def local_candidates(rows: list[RecordRow], views: tuple[View, ...], config: Config) -> set[tuple[str, str]]:
    records = sorted((Record(i, p, t, Location(p, "text")) for i, p, t, _, _ in rows), key=lambda r: r.id)
    found = fingerprint_records(records, views=views, seed=config.seed, min_words=config.min_words)
    usable = np.array([not d.short for d in found.documents], dtype=bool)
    ids = [d.id for d in found.documents]
    return {(ids[i], ids[j]) for i, j in candidate_pairs(list(found.sketches), views=views, usable=usable)}


def spark_like_candidates(rows: list[RecordRow], views: tuple[View, ...], config: Config, *, partitions: int,
                          bucket_cap: int = 0) -> tuple[set[tuple[str, str]], list[Any]]:
    """What the Spark stages do, with Python lists for partitions: explode the band keys with
    their signature rows, hash-partition by bucket, find the candidates of each partition; and
    the capped buckets' rows."""
    band_rows = [(view, band, key, doc[0], row, signature, size)
                 for doc in fingerprint_rows(rows, config=config)
                 for view, row, signature, size, bands in doc[7] for band, key in enumerate(bands)]
    parts: list[list[Any]] = [[] for _ in range(partitions)]
    for r in band_rows:
        parts[hash(r[:3]) % partitions].append(r)
    for part in parts:
        random.Random(len(part)).shuffle(part)  # rows arrive in any order
    found = [c for part in parts for c in candidate_partition(part, views=views, bucket_cap=bucket_cap)]
    return {(a, b) for a, b, _, _ in found if a is not None}, [c for c in found if c[0] is None]


@pytest.mark.parametrize("partitions", [1, 3])
def test_partitions_give_the_local_candidates(partitions: int) -> None:
    config = Config()
    rows = corpus()
    views = scan_views(config)
    expected = local_candidates(rows, views, config)
    found, capped = spark_like_candidates(rows, views, config, partitions=partitions)
    assert expected and found == expected and not capped


def test_a_views_max_bucket_applies_as_in_the_local_engine() -> None:
    config = Config()
    rows = corpus()
    views = tuple(replace(v, max_bucket=2) for v in scan_views(config))
    expected = local_candidates(rows, views, config)
    assert expected != local_candidates(rows, scan_views(config), config)  # the cap bites here
    found, _ = spark_like_candidates(rows, views, config, partitions=3)
    assert found == expected


def test_the_engines_cap_leaves_out_and_counts_large_buckets() -> None:
    config = Config()
    rows = corpus()
    views = scan_views(config)
    uncapped, _ = spark_like_candidates(rows, views, config, partitions=2)
    found, capped = spark_like_candidates(rows, views, config, partitions=2, bucket_cap=2)
    assert capped and all(members > 2 and pairs == members * (members - 1) // 2 for _, _, members, pairs in capped)
    assert found < uncapped


def test_check_rows_finds_copies_and_texts_changed_since_the_first_read() -> None:
    from dupefind.sketching import checksum
    from dupefind.spark.tasks import check_rows

    a, b = (sample_text(n) for n in [n for n in sample_files() if n.endswith(".txt")][:2])
    copy = a + " One more line."
    rows = [("a", a, checksum(a), None, "copy", copy, checksum(copy), None),
            ("b", b + " edited", checksum(b), None, "copy", copy, checksum(copy), None),
            ("copy", copy, checksum(copy), None, "gone", None, 7, None)]
    found = list(check_rows(rows, config=Config()))
    assert [r[:2] for r in found if not r[5]] == [("a", "copy")]
    assert sorted(r[0] for r in found if r[5]) == ["b", "gone"]
