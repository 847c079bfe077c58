"""scan_texts: texts from memory give what scan gives for the same texts as files."""

from __future__ import annotations

import weakref
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import sample_files, sample_text
from hypothesis import given, settings
from hypothesis import strategies as st

import dupefind
from dupefind.models import Report
from dupefind.report import report_json
from dupefind.sources import Record, read_records

NAMES = sample_files()


def without_paths(report: Report) -> tuple[Any, ...]:
    docs = tuple((d.id, d.chars, d.words, d.short) for d in report.documents)
    return report.config, docs, list(report.pairs), report.clusters, report.skipped


@pytest.fixture(scope="module")
def scanned_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, str], Report]:
    """The samples scanned as files, and each one's text as the scan reads it (HTML: the visible text)."""
    folder = tmp_path_factory.mktemp("files")
    for name in NAMES:
        (folder / name).write_text(sample_text(name), encoding="utf-8")
    texts = {r.id: r.text for r in read_records([str(folder)]) if isinstance(r, Record)}
    return texts, dupefind.scan([str(folder)], dupefind.Config(jobs=1))


@settings(max_examples=4)
@given(order=st.permutations(range(len(NAMES))), as_mapping=st.lists(st.booleans(), min_size=len(NAMES),
                                                                    max_size=len(NAMES)))
def test_scan_texts_equals_scan_of_the_files(scanned_files: tuple[dict[str, str], Report], order: list[int],
                                             as_mapping: list[bool]) -> None:
    texts, expected = scanned_files
    ids = sorted(texts)
    records: list[tuple[str, str] | dict[str, str]] = []
    for k in order:
        doc_id, text = ids[k], texts[ids[k]]
        records.append({"id": doc_id, "text": text, "extra": "x"} if as_mapping[k] else (doc_id, text))
    report = dupefind.scan_texts(iter(records), dupefind.Config(jobs=1))
    assert without_paths(report) == without_paths(expected)
    assert {d.path for d in report.documents} == {"-"}


def test_records_are_not_held(tmp_path: Path) -> None:
    """Each text can be freed once written: the scan keeps none of them alive."""

    class Tracked(str):
        pass

    alive: list[weakref.ref[Tracked]] = []

    def records() -> Iterator[tuple[str, str]]:
        for n, name in enumerate(NAMES):
            text = Tracked(sample_text(name))
            alive.append(weakref.ref(text))
            if n >= 2:
                assert alive[n - 2]() is None, "an earlier text is still held"
            yield f"doc{n}", text

    report = dupefind.scan_texts(records(), dupefind.Config(jobs=1))
    assert len(report.documents) == len(NAMES) and len(report.pairs) == 5


def test_field_names_missing_ids_and_bad_records() -> None:
    text = sample_text("040_night_trains_return.txt")
    config = dupefind.Config(id_field="key", text_field="body", jobs=1)
    report = dupefind.scan_texts([{"key": "a", "body": text}, {"body": text}, {"key": "c", "body": 5}], config)
    assert [d.id for d in report.documents] == ["-:2", "a"]
    assert [(s.path, s.reason) for s in report.skipped] == [("-:3", "field 'body' is not a string but a number")]
    assert report_json(report).count('"duplicate": true') == 1
    with pytest.raises(dupefind.InputError, match="record 1"):
        dupefind.scan_texts(["just a string"])  # type: ignore[list-item]  # the point of the test


def test_texts_and_ids_of_types_json_has_not_are_skipped_and_listed() -> None:
    import datetime
    import decimal
    text = sample_text("040_night_trains_return.txt")
    records: list[Any] = [("a", text), ("bytes", b"xx"), ("date", datetime.date(2024, 1, 1)),
                          (decimal.Decimal("1.5"), text), (float("nan"), text), (None, text), ("b", text)]
    report = dupefind.scan_texts(records, dupefind.Config(jobs=1))
    assert [d.id for d in report.documents] == ["-:6", "a", "b"]  # the records after keep their numbers
    assert [(s.path, s.reason) for s in report.skipped] == [
        ("-:2", "field 'text' is not a string but bytes"), ("-:3", "field 'text' is not a string but date"),
        ("-:4", "field 'id' is not a string or number but Decimal"), ("-:5", "field 'id' is not a finite number (nan)")]
    with pytest.raises(dupefind.InputError, match="every input was skipped: -:1: field 'text' is not a string but bytes"):
        dupefind.scan_texts([("a", b"xx")])
