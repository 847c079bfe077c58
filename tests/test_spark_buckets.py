"""The Spark engine's candidate stage, without Spark: band rows split into partitions by bucket (as Spark's hash partitioning splits them), each partition through
:func:`dupefind.spark.buckets.candidate_partition`, give exactly the candidates
:func:`dupefind.candidates.candidate_pairs` gives on the whole collection, with and without a
view's ``max_bucket`` biting, with the engine's own cap, and with the documents holding
boilerplate sketched again (:func:`dupefind.spark.tasks.resketch_rows`) as the local first pass
sketches them."""

from __future__ import annotations

import json
import random
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from conftest import sample_files, sample_text

from dupefind import Config
from dupefind.boilerplate import Commons
from dupefind.candidates import candidate_pairs
from dupefind.catalog import build_catalog, fingerprint_records
from dupefind.models import Location
from dupefind.sources import Record, plan_reading
from dupefind.spark.buckets import candidate_partition
from dupefind.spark.tasks import RecordRow, fingerprint_rows, resketch_rows, scan_views
from dupefind.verify import unpaired
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
    usable = np.array([not unpaired(d) for d in found.documents], dtype=bool)
    ids = [d.id for d in found.documents]
    return {(ids[i], ids[j]) for i, j in candidate_pairs(list(found.sketches), views=views, usable=usable)}


def spark_like_candidates(rows: list[RecordRow], views: tuple[View, ...], config: Config, *, partitions: int,
                          bucket_cap: int = 0, documents: list[tuple[Any, ...]] | None = None
                          ) -> tuple[set[tuple[str, str]], list[Any]]:
    """What the Spark stages do, with Python lists for partitions: explode the band keys with
    their signature rows (of ``documents``, :func:`fingerprint_rows` rows, if given), hash-partition by bucket, find the candidates of each partition; and
    the capped buckets' rows."""
    band_rows = [(view, band, key, doc[0], row, signature, size, held)
                 for doc in (documents if documents is not None else fingerprint_rows(rows, config=config))
                 for view, row, signature, size, bands, held in doc[7] for band, key in enumerate(bands)]
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
    rows = [("a", a, checksum(a), None, None, "copy", copy, checksum(copy), None, None),
            ("b", b + " edited", checksum(b), None, None, "copy", copy, checksum(copy), None, None),
            ("copy", copy, checksum(copy), None, None, "gone", None, 7, None, None)]
    found = list(check_rows(rows, config=Config()))
    assert [r[:2] for r in found if not r[5]] == [("a", "copy")]
    assert sorted(r[0] for r in found if r[5]) == ["b", "gone"]


def test_documents_holding_boilerplate_sketched_again_give_the_local_candidates(tmp_path: Path) -> None:
    """The first rows of each document, those of the documents holding a common segment replaced
    by :func:`resketch_rows` (the common segments counted as Spark counts them), give the
    candidates of the local first pass, which sketches those documents again itself."""
    config = Config()
    quote = ("The minister said the valley would have its railway back before the next winter came. "
             "Engineers surveyed the old viaduct, the tunnel under Carrick Fell and the three stations "
             "closed since nineteen sixty-eight, and found the stonework sound. Farmers, hoteliers and "
             "schoolteachers signed petitions; the county council promised buses to every platform. "
             "Critics called the timetable hopeful and the budget thin, but the first trains were booked.")
    rows = [(i, p, text + "\n" + quote if k % 4 == 0 else text, order, line)
            for k, (i, p, text, order, line) in enumerate(sorted(corpus()))]
    (tmp_path / "c.jsonl").write_text("".join(json.dumps({"id": r[0], "text": r[2]}) + "\n" for r in rows))
    views = scan_views(config)
    catalog = build_catalog(list(plan_reading([str(tmp_path)])), views=views, seed=config.seed,
                            min_words=config.min_words, boilerplate_min_docs=config.boilerplate_min_docs)
    ids = [d.id for d in catalog.documents]
    usable = np.array([not unpaired(d) for d in catalog.documents], dtype=bool)
    expected = {(ids[i], ids[j]) for i, j in candidate_pairs(catalog.sketches, views=views, usable=usable)}

    first = list(fingerprint_rows(rows, config=config))
    held = Counter(key for doc in first for key in doc[9])
    commons = Commons(np.unique(np.array([k for k, n in held.items() if n >= config.boilerplate_min_docs],
                                         dtype=np.int64).view(np.uint64)))
    clean = {doc[0]: doc for doc in resketch_rows(rows, views=views, config=config, commons=commons)}
    assert len(commons.keys) and 0 < len(clean) < len(rows)
    content = [number for number, view in enumerate(views) if view.without_boilerplate]
    assert all(s[0] in content for doc in clean.values() for s in doc[5])
    documents = [(*doc[:7], [s for s in doc[7] if s[0] not in content] + clean[doc[0]][5], *doc[8:])
                 if doc[0] in clean and clean[doc[0]][4] == doc[10] else doc for doc in first]
    found, _ = spark_like_candidates(rows, views, config, partitions=3, documents=documents)
    assert found == expected
    assert spark_like_candidates(rows, views, config, partitions=3)[0] != expected  # the quote's candidates
