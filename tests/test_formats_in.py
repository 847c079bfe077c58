"""More inputs: .rst, files without extension that hold text, Parquet (rows by id/text columns)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from conftest import sample_files, sample_text

import dupefind
from dupefind.models import Skipped
from dupefind.sources import Record, load_text, read_records

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

ARTICLE = sample_text("040_night_trains_return.txt")


def read(paths: list[str], **options: str) -> tuple[dict[str, Record], list[Skipped]]:
    records: dict[str, Record] = {}
    skipped: list[Skipped] = []
    for item in read_records(paths, **options):  # type: ignore[arg-type]  # keyword options of read_records
        if isinstance(item, Skipped):
            skipped.append(item)
        else:
            records[item.id] = item
    return records, skipped


def test_rst_and_text_without_extension_are_read(tmp_path: Path) -> None:
    (tmp_path / "guide.rst").write_text("Title\n=====\n\n" + ARTICLE, encoding="utf-8")
    (tmp_path / "README").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "LATIN1").write_bytes("Caf\xe9 cr\xe8me, na\xefve fa\xe7ade. ".encode("cp1252") * 20)
    (tmp_path / "blob").write_bytes(b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 4)
    (tmp_path / "controls").write_bytes(b"text \x01\x02\x03\x04\x05 more" * 50)
    records, skipped = read([str(tmp_path)])
    assert sorted(Path(r).name for r in records) == ["LATIN1", "README", "guide.rst"]
    assert records[f"{tmp_path}/README"].text == ARTICLE
    assert "Café crème" in records[f"{tmp_path}/LATIN1"].text
    # Found in a folder, a file without extension that is not text is ignored (not a failure).
    assert {Path(s.path).name: s.ignored for s in skipped} == {"blob": True, "controls": True}
    assert all("no extension, and not text" in s.reason for s in skipped)
    # Given by name, it is skipped.
    _, named = read([str(tmp_path / "blob")])
    assert [(s.ignored, "no extension, and not text" in s.reason) for s in named] == [(False, True)]
    assert load_text(records[f"{tmp_path}/README"].location) == ARTICLE


def write_parquet(path: Path, columns: dict[str, list[object]], row_group_size: int = 3) -> Path:
    pq.write_table(pa.table(columns), path, row_group_size=row_group_size)
    return path


def test_parquet_rows_by_column_over_row_groups(tmp_path: Path) -> None:
    texts = [sample_text(n) for n in sample_files()[:7]]
    path = write_parquet(tmp_path / "docs.parquet", {
        "key": ["a", None, "c", "d", "e", "f", "g"], "body": texts, "lang": ["en"] * 7})
    records, skipped = read([str(path)], id_field="key", text_field="body")
    assert skipped == []
    assert list(records) == ["a", f"{path}:2", "c", "d", "e", "f", "g"]
    for record, text in zip(records.values(), texts):
        assert record.text == text
        assert load_text(record.location, text_field="body") == text  # re-read from its row group
    assert records["g"].location.offset == 2  # the third row group


def test_parquet_bad_rows_and_columns_are_skipped_with_reasons(tmp_path: Path) -> None:
    path = write_parquet(tmp_path / "mixed.parquet", {"id": ["a", "b", "c"], "text": [ARTICLE, "  ", None]})
    records, skipped = read([str(path)])
    assert list(records) == ["a"]
    assert [(s.path, s.reason) for s in skipped] == [
        (f"{path}:2", "empty text"), (f"{path}:3", "column 'text' is not text here (NoneType)")]
    _, skipped = read([str(path)], text_field="body")
    assert [s.path for s in skipped] == [str(path)] and "no column 'body' (columns: id, text)" in skipped[0].reason
    broken = tmp_path / "broken.parquet"
    broken.write_bytes(b"PAR1 not really")
    _, skipped = read([str(broken)])
    assert [s.path for s in skipped] == [str(broken)] and "not a readable Parquet file" in skipped[0].reason


def test_parquet_scan_equals_jsonl_scan(tmp_path: Path) -> None:
    names = sample_files()
    ids, texts = [f"doc{n:02d}" for n in range(len(names))], [sample_text(n) for n in names]
    (tmp_path / "p").mkdir()
    (tmp_path / "j").mkdir()
    write_parquet(tmp_path / "p" / "docs.parquet", {"id": ids, "text": texts}, row_group_size=4)
    (tmp_path / "j" / "docs.jsonl").write_text(
        "".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in zip(ids, texts)), encoding="utf-8")
    config = dupefind.Config(jobs=1)
    from_parquet, from_jsonl = dupefind.scan([str(tmp_path / "p")], config), dupefind.scan([str(tmp_path / "j")], config)
    assert list(from_parquet.pairs) == list(from_jsonl.pairs) and len(from_parquet.pairs) >= 4
    assert from_parquet.clusters == from_jsonl.clusters


def test_dedup_passes_parquet_rows_through(tmp_path: Path) -> None:
    path = write_parquet(tmp_path / "docs.parquet", {
        "id": ["a", "b", "c"], "text": [ARTICLE, ARTICLE, sample_text("013_how_to_start_a_community_garden.txt")],
        "score": [1.5, 2.5, 3.5]})
    kept, removed = tmp_path / "kept.jsonl", tmp_path / "removed.jsonl"
    dupefind.dedup([str(path)], output=str(kept), removed=str(removed))
    assert [json.loads(line)["id"] for line in kept.read_text(encoding="utf-8").splitlines()] == ["a", "c"]
    (gone,) = [json.loads(line) for line in removed.read_text(encoding="utf-8").splitlines()]
    assert gone["score"] == 2.5 and gone["text"] == ARTICLE and gone["duplicate_of"] == "a"


def lossy_table() -> object:
    """Two copies of one article, with the column types JSON has no form for."""
    import datetime
    import decimal
    return pa.table({
        "id": ["a", "b"], "text": [ARTICLE, ARTICLE],
        "score": pa.array([float("nan"), float("-inf")]),
        "blob": pa.array([b"\x00\xff", b"ok"], pa.binary()),
        "f32": pa.array([0.1, 0.2], pa.float32()),
        "ts": pa.array([datetime.datetime(2024, 1, 1, 12)] * 2, pa.timestamp("ns", tz="UTC")),
        "day": pa.array([datetime.date(2024, 1, 2)] * 2),
        "wait": pa.array([5, -1500], pa.duration("ms")),
        "price": pa.array([decimal.Decimal("12.50")] * 2, pa.decimal128(5, 2)),
        "m": pa.array([[("k", 1)], [("j", 2)]], pa.map_(pa.string(), pa.int32())),
    }).replace_schema_metadata({b"origin": b"crawl"})


def strict(line: str) -> dict[str, object]:
    def refuse(constant: str) -> object:
        raise ValueError(f"{constant} is not JSON")
    loaded: dict[str, object] = json.loads(line, parse_constant=refuse)
    return loaded


def test_dedup_of_parquet_to_jsonl_writes_strict_json_with_documented_forms(tmp_path: Path) -> None:
    path = tmp_path / "in.parquet"
    pq.write_table(lossy_table(), path)
    kept, removed = tmp_path / "kept.jsonl", tmp_path / "removed.jsonl"
    dupefind.dedup([str(path)], output=str(kept), removed=str(removed), config=dupefind.Config(jobs=1))
    (a,) = [strict(line) for line in kept.read_text(encoding="utf-8").splitlines()]
    (b,) = [strict(line) for line in removed.read_text(encoding="utf-8").splitlines()]
    assert {k: v for k, v in a.items() if k != "text"} == {
        "id": "a", "score": None, "blob": "AP8=", "f32": 0.1, "ts": "2024-01-01T12:00:00Z", "day": "2024-01-02",
        "wait": "PT0.005S", "price": "12.50", "m": {"k": 1}}
    assert (b["blob"], b["f32"], b["wait"], b["duplicate_of"]) == ("b2s=", 0.2, "-PT1.5S", "a")


def test_dedup_of_parquet_to_parquet_keeps_the_schema_and_metadata(tmp_path: Path) -> None:
    table = lossy_table()
    (tmp_path / "in").mkdir()
    pq.write_table(table, tmp_path / "in" / "part-0.parquet")
    kept, removed = tmp_path / "kept.parquet", tmp_path / "removed.parquet"
    dupefind.dedup([str(tmp_path / "in")], output=str(kept), removed=str(removed), config=dupefind.Config(jobs=1))
    kept_table, removed_table = pq.read_table(kept), pq.read_table(removed)
    assert kept_table.schema.equals(pq.read_schema(tmp_path / "in" / "part-0.parquet"), check_metadata=True)
    assert kept_table.drop_columns(["score"]).to_pylist() == table.slice(0, 1).drop_columns(  # type: ignore[attr-defined]
        ["score"]).to_pylist()
    assert removed_table.schema.names[-2:] == ["duplicate_of", "duplicate_match"]
    assert removed_table.schema.metadata == {b"origin": b"crawl"}
    assert str(removed_table.schema.field("duplicate_match").type) == (
        "struct<id: string, similarity: double, containment: double, kinds: list<element: string>>")
    (row,) = removed_table.to_pylist()
    assert row["blob"] == b"ok" and row["duplicate_of"] == "a" and row["duplicate_match"]["id"] == "a"
    assert row["duplicate_match"]["kinds"] == ["verbatim"]
    # As JSONL too when asked, whatever the names say.
    as_jsonl = tmp_path / "kept.out"
    dupefind.dedup([str(tmp_path / "in")], output=str(as_jsonl), config=dupefind.Config(jobs=1),
                   output_format="jsonl")
    assert strict(as_jsonl.read_text(encoding="utf-8"))["id"] == "a"


def test_parquet_output_of_other_inputs_is_refused_before_the_scan(tmp_path: Path) -> None:
    from dupefind.dedup_output import OutputError
    (tmp_path / "docs.jsonl").write_text(json.dumps({"id": "a", "text": ARTICLE}) + "\n", encoding="utf-8")
    with pytest.raises(OutputError, match="Parquet output needs Parquet inputs"):
        dupefind.dedup([str(tmp_path / "docs.jsonl")], output=str(tmp_path / "kept.parquet"))
    pq.write_table(pa.table({"id": ["x"], "text": [ARTICLE]}), tmp_path / "one.parquet")
    with pytest.raises(OutputError, match="standard input is JSONL"):
        dupefind.dedup([str(tmp_path / "one.parquet"), "-"], output=str(tmp_path / "kept.parquet"),
                       stdin=io.BytesIO(b'{"id": "y", "text": "words"}\n'))
    pq.write_table(pa.table({"id": [1], "text": [ARTICLE]}), tmp_path / "two.parquet")
    with pytest.raises(OutputError, match="other columns"):
        dupefind.dedup([str(tmp_path / "one.parquet"), str(tmp_path / "two.parquet")],
                       output=str(tmp_path / "kept.out"), output_format="parquet")
    assert not (tmp_path / "kept.parquet").exists() and not (tmp_path / "kept.out").exists()


@pytest.mark.parametrize("encoding", ["plain", "dictionary", "large"])
def test_a_parquet_row_larger_than_the_limit_is_skipped_as_a_jsonl_line_is(tmp_path: Path, encoding: str) -> None:
    from conftest import run_main
    huge = "word " * (3 * 2**20 // 5)  # ~3 MiB
    texts = pa.array([ARTICLE, huge, ARTICLE + " More."], pa.large_string() if encoding == "large" else pa.string())
    column = texts.dictionary_encode() if encoding == "dictionary" else texts
    path = tmp_path / "docs.parquet"
    pq.write_table(pa.table({"id": ["first", "huge", "after"], "text": column}), path)
    records, skipped = read([str(path)], max_bytes=2**20)  # type: ignore[arg-type]  # an int option
    assert list(records) == ["first", "after"]
    reason = "too large to read as one document (3.0 MB; the limit is 1 MB, set by --max-document-mb)"
    assert [(s.path, s.reason) for s in skipped] == [(f"{path}:2", reason)]
    assert load_text(records["after"].location) == ARTICLE + " More."
    result = run_main(["scan", str(path), "-j1", "--max-document-mb", "1", "--format", "json"])
    assert result.exit_code == 3
    assert json.loads(result.stdout)["skipped"] == [{"path": f"{path}:2", "reason": reason}]
