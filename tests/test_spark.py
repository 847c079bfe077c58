"""The Spark engine gives what the local engine gives: byte-identical JSON reports (but for the
``engine`` entry of the config), the same pairs from a DataFrame, and connected components
equal to union-find. One Spark session in local mode for the whole module; skipped only when
pyspark or a Java runtime is missing (CI installs both)."""

from __future__ import annotations

import json
import random
import shutil
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from conftest import (
    CLASS_HEAVY,
    CLASS_SOURCE,
    SAMPLES,
    class_answers,
    run_main,
    sample_files,
    sample_text,
    site_pages,
    validate_report,
)

from dupefind import Config, Report, scan
from dupefind.cluster import clusters
from dupefind.report.json_report import pair_dict, report_json

pyspark = pytest.importorskip("pyspark", reason="the Spark engine's tests need pyspark (the spark extra)")
if shutil.which("java") is None:
    pytest.skip("the Spark engine's tests need a Java runtime", allow_module_level=True)

from dupefind.spark import scan_dataframe, scan_inputs, scan_paths, spark_session  # after the skips
from dupefind.spark.components import components


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    # Small data: two cores, two partitions, and no code generation or adaptive re-planning
    # (compiling dozens of small query plans costs more than running them).
    session = spark_session(master="local[2]", conf={
        "spark.sql.shuffle.partitions": "2", "spark.default.parallelism": "2",
        "spark.sql.codegen.wholeStage": "false", "spark.sql.adaptive.enabled": "false",
        "spark.driver.extraJavaOptions": "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"})
    yield session
    session.stop()


def without_engine(report: Report) -> Report:
    engine = report.config.get("engine")
    assert isinstance(engine, dict) and engine["name"] == "spark"
    return replace(report, config={k: v for k, v in report.config.items() if k != "engine"})


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """JSONL with what the stages must agree on: copies (verbatim, cut), a repeated id, identical
    short texts, a short text pasted into another, a document identical to one with a copy, a
    malformed line, a record with no text, and boilerplate shared by six otherwise unrelated
    articles; lines shuffled."""
    folder = tmp_path_factory.mktemp("spark-corpus")
    texts = {name: sample_text(name) for name in sample_files() if name.endswith(".txt")}
    footer = "Subscribe to our weekly newsletter for more stories like this one from the valley."
    lines = [json.dumps({"id": name, "text": text}) for name, text in texts.items()]
    names = sorted(texts)
    lines += [json.dumps({"id": f"furniture-{k}", "text": texts[names[k]][:1500] + "\n" + footer + "\n"})
              for k in range(6)]
    half = texts[names[3]]
    lines += [json.dumps({"id": "cut", "text": half[: len(half) // 2]}),
              json.dumps({"id": "twin", "text": texts["040_night_trains_return.txt"]}),  # its pairs are 040's
              json.dumps({"id": names[0], "text": "a later record with the same id as another"}),
              json.dumps({"id": "short-1", "text": "Not available."}), json.dumps({"id": "short-2", "text": "not AVAILABLE"}),
              json.dumps({"id": "short-3", "text": "not available"}), "{broken", json.dumps({"id": "empty", "text": " "})]
    words = texts["062_garden_birds_in_winter.txt"].split()  # a short paragraph pasted into another short text
    lines += [json.dumps({"id": "short-excerpt", "text": " ".join(words[100:126])}),
              json.dumps({"id": "short-host", "text": " ".join(words[300:307] + words[100:126] + words[320:327])})]
    random.Random(7).shuffle(lines)
    (folder / "corpus.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    shutil.copy(SAMPLES / "030_sourdough_first_month.html", folder)
    return folder


def test_jsonl_and_html_report_is_byte_identical(spark: Any, corpus: Path) -> None:
    config = Config(boilerplate_min_docs=3)
    local = scan([str(corpus)], config)
    assert local.skipped and any(d.short for d in local.documents) and len(local.pairs) >= 3
    assert {("041_overnight_train_comeback_spun.txt", "twin"), ("short-excerpt", "short-host")} <= {
        (p.a, p.b) for p in local.pairs}
    assert report_json(without_engine(scan_paths(spark, [str(corpus)], config))) == report_json(local)


@pytest.fixture(scope="module")
def quoted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Copies the content view finds only without boilerplate: three long articles each hold a
    paragraph copied from another long article, its sentences set apart by three quotes each;
    the same 30 quotes run in three unrelated articles too (boilerplate at the default 5
    documents). Sketched on all its words, a window of the copy is three quarters quotes; the
    quotes alone make content-view candidates of every two articles that hold them."""
    rng = random.Random(11)
    syllables = "ka lo mi ren tu sav pel dor fin gra hol ben tis mur vak zel qua nor pim ost".split()
    vocabulary = sorted({"".join(rng.choice(syllables) for _ in range(3)) for _ in range(6000)})
    small = "the of and a in to is was it for with he be on that by at".split()

    def sentence() -> str:  # 16 words, every other one a function word
        return " ".join(rng.choice(small) if k % 2 else rng.choice(vocabulary) for k in range(16)).capitalize() + "."

    def lines(count: int) -> list[str]:
        return [sentence() for _ in range(count)]

    quotes = lines(30)
    texts = {}
    for k in range(3):
        copied = lines(10)
        spaced = [line for n, s in enumerate(copied) for line in (s, *quotes[3 * n : 3 * n + 3])]
        texts[f"long-{k}"] = "\n".join(lines(50) + spaced + lines(50))
        texts[f"copy-{k}"] = "\n".join(lines(90)) + "\n" + " ".join(copied) + "\n" + "\n".join(lines(90))
        texts[f"quoting-{k}"] = "\n".join(lines(45) + quotes)
    folder = tmp_path_factory.mktemp("spark-quoted")
    (folder / "quoted.jsonl").write_text("".join(json.dumps({"id": k, "text": t}) + "\n" for k, t in texts.items()),
                                         encoding="utf-8")
    return folder


def test_report_is_byte_identical_with_the_content_view_without_boilerplate(
        spark: Any, quoted: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The documents holding boilerplate (the long articles, between whose copied lines the
    quotes run) are sketched again without it, on Spark as in the local engine: the copies are
    in both reports, identical."""
    import dupefind.catalog.build

    held: list[set[str]] = []
    resketched = dupefind.catalog.build.resketched

    def recorded(catalog: Any, holders: Any, **options: Any) -> Any:
        held.append({catalog.documents[k].id for k in holders})
        return resketched(catalog, holders, **options)

    with monkeypatch.context() as patch:
        patch.setattr(dupefind.catalog.build, "resketched", recorded)
        local = scan([str(quoted)])
    assert held and {f"long-{k}" for k in range(3)} <= held[0]
    assert {(p.a, p.b) for p in local.pairs} == {(f"copy-{k}", f"long-{k}") for k in range(3)}
    assert report_json(without_engine(scan_paths(spark, [str(quoted)]))) == report_json(local)


def test_report_is_byte_identical_for_a_class_and_a_site(spark: Any, tmp_path: Path) -> None:
    """What one document keeps of the common segments is evidence in its partner, but for the
    widespread ones, on Spark as locally: the class's answers pair with their source, the page
    of site furniture with no page."""
    texts = {**site_pages(24), **class_answers(5), "heavy.txt": CLASS_HEAVY, CLASS_SOURCE: sample_text(CLASS_SOURCE)}
    (tmp_path / "class.jsonl").write_text("".join(json.dumps({"id": k, "text": t}) + "\n" for k, t in texts.items()),
                                          encoding="utf-8")
    local = scan([str(tmp_path)])
    ids = {(p.a, p.b) for p in local.pairs}
    assert {(CLASS_SOURCE, f"answer_{k}.txt") for k in range(5)} | {(CLASS_SOURCE, "heavy.txt")} <= ids
    assert not any("stub.txt" in pair for pair in ids)
    assert report_json(without_engine(scan_paths(spark, [str(tmp_path)]))) == report_json(local)


def test_a_local_parquet_file_gives_the_local_answers_rows_without_an_id_included(spark: Any,
                                                                                   tmp_path: Path) -> None:
    """A row without an id is named ``FILE:ROW`` by the local engine; Spark skipped it ("no id"),
    losing its pairs. A local Parquet file is now planned as the local engine plans it."""
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    names = ["040_night_trains_return.txt", "041_overnight_train_comeback_spun.txt",
             "010_elm_street_community_garden.txt", "011_elm_street_garden_repost.txt"]
    table = pa.table({"id": ["a", None, "c", "d"], "text": [sample_text(n) for n in names]})
    pq.write_table(table, tmp_path / "docs.parquet", row_group_size=2)
    local = scan([str(tmp_path / "docs.parquet")])
    assert any(p.b.endswith("docs.parquet:2") or p.a.endswith("docs.parquet:2") for p in local.pairs)
    assert report_json(without_engine(scan_paths(spark, [str(tmp_path / "docs.parquet")]))) == report_json(local)


def test_parquet_pairs_and_clusters(spark: Any, corpus: Path) -> None:
    config = Config(boilerplate_min_docs=3)
    rows = [json.loads(line) for line in (corpus / "corpus.jsonl").read_text().splitlines() if line.startswith("{\"")]
    unique = {r["id"]: r for r in reversed(rows)}  # Parquet rows have no line order: one row per id here
    parquet = str(corpus.parent / "articles.parquet")
    spark.createDataFrame([(k, r["text"]) for k, r in unique.items() if r["text"].strip()],
                          "key string, body string").write.parquet(parquet)
    found = scan_inputs(spark, [parquet], replace(config, id_field="key", text_field="body"))
    folder = corpus.parent / "as-files"
    folder.mkdir()
    (folder / "c.jsonl").write_text("".join(json.dumps({"id": k, "text": r["text"]}) + "\n"
                                            for k, r in unique.items()), encoding="utf-8")
    local = scan([str(folder)], config)
    assert sorted(r.json for r in found.pairs.collect()) == sorted(
        json.dumps(pair_dict(p), ensure_ascii=False) for p in local.pairs)
    passages = {(r.a, r.b): r.passages for r in found.pairs.collect()}
    for pair in local.pairs:
        assert [(p.a_start, p.a_end, p.a_text) for p in passages[pair.a, pair.b]] == [
            (p.a_start, p.a_end, p.a_text) for p in pair.passages]
    assert sorted(tuple(r.ids) for r in found.clusters.collect()) == sorted(local.clusters)
    assert found.documents.count() == len(local.documents)


def test_components_equal_union_find(spark: Any) -> None:
    rng = random.Random(3)
    edges = [(f"n{rng.randrange(60):02d}", f"n{rng.randrange(60):02d}") for _ in range(45)]
    edges += [(f"chain{k:03d}", f"chain{k + 1:03d}") for k in range(40)]  # a long path: many rounds
    roots = components(spark.sparkContext.parallelize(edges, 2), partitions=2).collect()
    groups: dict[str, list[str]] = {}
    for node, root in roots:
        groups.setdefault(root, []).append(node)
    expected = clusters(e for e in edges if e[0] != e[1])
    assert sorted(tuple(sorted(g)) for g in groups.values()) == sorted(expected)
    assert all(root == min(group) for root, group in groups.items())


def test_oversized_buckets_are_capped_and_counted(spark: Any, at_repo: Path) -> None:
    report = scan_paths(spark, ["samples"], bucket_cap=2)
    engine = report.config["engine"]
    assert isinstance(engine, dict)
    assert engine["bucket_cap"] == 2 and engine["capped_buckets"] > 0 and engine["capped_pairs"] > 0
    assert {(p.a, p.b) for p in report.pairs} <= {(p.a, p.b) for p in scan(["samples"]).pairs}
    validate_report(json.loads(report_json(report)))


def test_cli_samples_report_is_byte_identical(spark: Any, at_repo: Path) -> None:
    local = run_main(["scan", "samples", "--format", "json"])
    remote = run_main(["scan", "samples", "--format", "json", "--engine", "spark", "--spark-master", "local[2]",
                       "--spark-conf", "spark.sql.shuffle.partitions=2"])
    assert remote.exit_code == local.exit_code == 0, remote.stderr
    validate_report(json.loads(remote.stdout))
    head, lists = remote.stdout.split(',\n  "documents": [', 1)
    local_head, local_lists = local.stdout.split(',\n  "documents": [', 1)
    assert lists == local_lists  # documents, pairs, clusters, skipped: byte for byte
    data = json.loads(head + "\n}")
    assert data["config"].pop("engine")["name"] == "spark"
    assert data.get("config_sources", {}).pop("engine", "command line") == "command line"  # where it was set
    assert json.dumps(data, ensure_ascii=False, indent=2)[:-2] == local_head
    assert json.loads(local.stdout)["summary"]["pairs"] == 5


def test_cli_bad_spark_conf_exits_2(at_repo: Path) -> None:
    result = run_main(["scan", "samples", "--engine", "spark", "--spark-conf", "nokey"])
    assert result.exit_code == 2
    assert "--spark-conf" in result.stderr


def test_a_text_changed_since_the_first_read_is_skipped(spark: Any, tmp_path: Path) -> None:
    """A record whose text is not the same when read again for verification (as a file edited
    during the scan) is skipped with the local engine's reason, and its pairs are dropped."""
    from pyspark.sql import functions as F
    from pyspark.sql.types import StringType

    from dupefind.pipeline import CHANGED

    marker = tmp_path / "read-once"
    names = [n for n in sample_files() if n.endswith(".txt")][:4]
    rows = [(n, sample_text(n)) for n in names]
    rows += [("copy-0", rows[0][1] + " One more line."), ("copy-1", rows[1][1] + " One more line.")]

    def read(doc_id: str, text: str) -> str:  # "copy-0" is edited after its first read
        if doc_id != "copy-0":
            return text
        if marker.exists():
            return text + " Edited since."
        marker.touch()
        return text

    frame = spark.createDataFrame(rows, "id string, body string").withColumn(
        "text", F.udf(read, StringType(), useArrow=False)("id", "body"))
    found = scan_dataframe(frame, config=Config())
    (tmp_path / "c.jsonl").write_text("".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in rows))
    unchanged = {(p.a, p.b) for p in scan([str(tmp_path / "c.jsonl")]).pairs}
    expected = {p for p in unchanged if "copy-0" not in p}
    assert marker.exists() and (names[0], "copy-0") in unchanged and (names[1], "copy-1") in expected
    assert {(r.a, r.b) for r in found.pairs.collect()} == expected
    assert {r.id for r in found.documents.collect()} == {i for i, _ in rows} - {"copy-0"}
    assert [(r.path, r.reason) for r in found.skipped.collect()] == [("copy-0", CHANGED)]
    assert sorted(tuple(r.ids) for r in found.clusters.collect()) == sorted(clusters(expected))


def test_a_views_max_bucket_bites_as_in_the_local_engine(spark: Any, corpus: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """With every view's ``max_bucket`` at 2 documents (the driver hands the views to the
    candidate stage), the Spark report is still the local engine's, and the cap changes it."""
    import dupefind.pipeline
    import dupefind.spark.stages
    from dupefind.spark.tasks import scan_views

    config = Config(boilerplate_min_docs=3)
    uncapped = scan([str(corpus)], config)

    def capped(config: Config) -> tuple[Any, ...]:
        return tuple(replace(view, max_bucket=2) for view in scan_views(config))

    monkeypatch.setattr(dupefind.pipeline, "views_of", capped)
    monkeypatch.setattr(dupefind.spark.stages, "scan_views", capped)
    local = scan([str(corpus)], config)
    assert {(p.a, p.b) for p in local.pairs} != {(p.a, p.b) for p in uncapped.pairs}  # the cap bites
    assert report_json(without_engine(scan_paths(spark, [str(corpus)], config))) == report_json(local)


def test_report_is_byte_identical_when_every_pair_of_a_small_collection_is_verified(
        spark: Any, corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A collection of at most ``EXHAUSTIVE_DOCUMENTS`` documents has every pair verified on
    Spark as locally (short texts, repeated ids and identical groups included): with LSH
    proposing nothing in either engine, the same pairs; Spark runs no LSH then, so it caps no
    bucket."""
    from conftest import EXHAUSTIVE_DOCUMENTS

    from dupefind import candidates, pipeline
    from dupefind.spark import engine

    lsh = engine.lsh_candidates

    def nothing(*args: Any, **kwargs: Any) -> Any:
        found, capped = lsh(*args, **kwargs)
        return found.limit(0), capped

    monkeypatch.setattr(candidates, "EXHAUSTIVE_DOCUMENTS", EXHAUSTIVE_DOCUMENTS)
    monkeypatch.setattr(pipeline, "candidate_pairs", lambda *args, **kwargs: [])
    monkeypatch.setattr(engine, "lsh_candidates", nothing)
    config = Config(boilerplate_min_docs=3)
    local = scan([str(corpus)], config)
    assert len(local.documents) <= EXHAUSTIVE_DOCUMENTS and len(local.pairs) >= 3
    assert report_json(without_engine(scan_paths(spark, [str(corpus)], config))) == report_json(local)
    # No LSH bucket is left out when every pair is verified, however small the cap.
    capped = scan_paths(spark, [str(corpus)], config, bucket_cap=2)
    assert report_json(without_engine(capped)) == report_json(local)
    assert capped.config["engine"] == {"name": "spark", "bucket_cap": 2, "capped_buckets": 0, "capped_pairs": 0}


def test_a_local_glob_is_read_as_the_local_engine_reads_the_files_it_names(spark: Any, tmp_path: Path) -> None:
    """Spark read a glob itself (logging a Java stack trace while it looked for a sink's
    metadata under it) and named its documents' paths ``file:///...``; a local glob is now
    expanded as a shell does, and its files planned as the local engine plans them."""
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    names = ["040_night_trains_return.txt", "041_overnight_train_comeback_spun.txt",
             "010_elm_street_community_garden.txt", "011_elm_street_garden_repost.txt"]
    shards = tmp_path / "shards"
    shards.mkdir()
    for k in range(2):
        pq.write_table(pa.table({"id": names[2 * k : 2 * k + 2], "text": [sample_text(n) for n in names[2 * k : 2 * k + 2]]}),
                       shards / f"part-{k}.parquet")
    (shards / "_SUCCESS").write_text("")
    local = scan(sorted(str(p) for p in shards.glob("*.parquet")))
    found = scan_paths(spark, [str(shards / "*.parquet")])
    assert report_json(without_engine(found)) == report_json(local)
    assert [d.path for d in found.documents] == [str(shards / "part-1.parquet")] * 2 + [str(shards / "part-0.parquet")] * 2
    missing = scan_paths(spark, [str(shards / "*.parquet"), str(tmp_path / "none-*.jsonl")])
    assert [(s.path, s.reason) for s in missing.skipped] == [(str(tmp_path / "none-*.jsonl"), "no such file or folder")]
