"""Reports: JSON and JSONL against the shipped schema, and the Rich view at a fixed width."""

from __future__ import annotations

import dataclasses
import io
import json
from pathlib import Path

import pytest
from conftest import SAMPLES, sample_text, validate_as, validate_report
from jsonschema import Draft202012Validator, ValidationError
from rich.console import Console

import dupefind
from dupefind import Config, Report
from dupefind.report import (
    SCHEMA_VERSION,
    pair_dict,
    report_dict,
    report_json,
    report_jsonl,
    schema,
)
from dupefind.report.terminal import pair_view, report_view
from dupefind.sources import Record, load_text, read_records


@pytest.fixture(scope="module")
def samples_report() -> Report:
    return dupefind.scan([str(SAMPLES)], Config(exclude=("ANSWERS.md",)))


def test_json_report_validates_against_the_schema(samples_report: Report) -> None:
    data = json.loads(report_json(samples_report))
    validate_report(data)
    assert data["schema_version"] == SCHEMA_VERSION
    assert data["tool"] == {"name": "dupefind", "version": dupefind.__version__}
    assert data["summary"] == {"documents": 19, "short_documents": 0, "skipped": 0, "ignored": 0, "pairs": 5,
                               "clusters": 5}
    assert data["config"] == Config(exclude=("ANSWERS.md",)).report_dict()
    assert "seconds" not in json.dumps(data)  # nothing that varies between runs


def test_json_report_has_one_line_per_list_item(samples_report: Report) -> None:
    """Each document, pair, cluster and skipped input is one line: the JSON data of that item."""
    text = report_json(samples_report)
    assert json.loads(text) == report_dict(samples_report)
    items = [json.loads(line.strip().rstrip(",")) for line in text.splitlines() if line.startswith("    {")]
    data = report_dict(samples_report)
    assert items == data["documents"] + data["pairs"] + data["clusters"] + data["skipped"] + data["ignored"]


def test_schema_rejects_what_it_should(samples_report: Report) -> None:
    """The schema has teeth: the validation above could fail."""
    data = report_dict(samples_report)
    for broken in (
        {**data, "schema_version": "2.0"},
        {**data, "extra": 1},
        {**data, "pairs": [{**data["pairs"][0], "similarity": 1.5}]},
        {**data, "documents": [{k: v for k, v in data["documents"][0].items() if k != "words"}]},
    ):
        with pytest.raises(ValidationError):
            validate_report(broken)


def test_passage_texts_in_the_report_index_the_documents(samples_report: Report) -> None:
    data = report_dict(samples_report)
    texts = {r.id: load_text(r.location) for r in read_records([str(SAMPLES)]) if isinstance(r, Record)}
    for pair in data["pairs"]:
        assert pair["passages"]
        for p in pair["passages"]:
            assert texts[pair["a"]][p["a_start"]:p["a_end"]] == p["a_text"]
            assert texts[pair["b"]][p["b_start"]:p["b_end"]] == p["b_text"]


def test_every_jsonl_line_is_a_valid_record_of_its_type(samples_report: Report, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(sample_text("040_night_trains_return.txt"), encoding="utf-8")
    (tmp_path / "b.txt").write_text(sample_text("041_overnight_train_comeback_spun.txt"), encoding="utf-8")
    (tmp_path / "c.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "d.txt").write_bytes(b"")
    with_skipped = dupefind.scan([str(tmp_path)])
    full = schema()
    for report in (samples_report, with_skipped):
        lines = report_jsonl(report).splitlines()
        records = [json.loads(line) for line in lines]
        kinds = [r["type"] for r in records]
        assert kinds[0] == "header" and kinds.count("header") == 1
        # Header first, then documents, pairs, clusters, skipped, ignored, in that order.
        order = ["header", "document", "pair", "cluster", "skipped", "ignored"]
        assert kinds == sorted(kinds, key=order.index)
        data = report_dict(report)
        assert kinds.count("document") == len(data["documents"])
        assert kinds.count("pair") == len(data["pairs"])
        assert kinds.count("cluster") == len(data["clusters"])
        assert kinds.count("skipped") == len(data["skipped"])
        assert kinds.count("ignored") == len(data["ignored"])
        for record in records:
            validate_as("jsonl_record", record)
            body = {k: v for k, v in record.items() if k != "type"}
            if record["type"] == "header":
                assert set(body) == {"schema_version", "tool", "config", "summary"}
                header_schema = {**full, "required": list(body)}
                header_schema["properties"] = {k: full["properties"][k] for k in body}
                Draft202012Validator(header_schema).validate(body)
            else:
                validate_as(record["type"], body)
    types = [json.loads(line)["type"] for line in report_jsonl(with_skipped).splitlines()]
    assert types[-2:] == ["skipped", "ignored"]


def test_report_json_is_identical_twice(samples_report: Report) -> None:
    first = report_json(samples_report)
    assert first == report_json(samples_report)
    assert first.endswith("}\n")
    again = dupefind.scan([str(SAMPLES)], Config(exclude=("ANSWERS.md",)))
    assert report_json(again) == first
    assert report_jsonl(again) == report_jsonl(samples_report)


def test_pair_dict_is_a_valid_pair() -> None:
    pair = dupefind.compare(sample_text("040_night_trains_return.txt"),
                            sample_text("041_overnight_train_comeback_spun.txt"))
    validate_as("pair", pair_dict(pair))


def render(renderable: object, width: int = 100) -> str:
    console = Console(width=width, record=True, color_system=None, file=io.StringIO())
    console.print(renderable)
    return console.export_text()


BRACKETS = "Style notes: write [b]bold[/b] and [i]italic[/i] in the forum, or [red]alert[/red] text."


@pytest.fixture
def bracket_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Report:
    """A verbatim copy of an article that contains Rich markup, scanned as ``brk/...``."""
    folder = tmp_path / "brk"
    folder.mkdir()
    article = sample_text("040_night_trains_return.txt").replace("\n\n", f"\n\n{BRACKETS}\n\n", 1)
    (folder / "[draft] a.txt").write_text(article, encoding="utf-8")
    (folder / "copy.txt").write_text(article, encoding="utf-8")
    (folder / "other.txt").write_text(sample_text("062_garden_birds_in_winter.txt"), encoding="utf-8")
    (folder / "skip.odt").write_bytes(b"PK")
    (folder / "empty.txt").write_bytes(b"")
    monkeypatch.chdir(tmp_path)
    report = dupefind.scan(["brk"])
    return dataclasses.replace(report, seconds=1.25)


GOLDEN_TOP = """\
dupefind  3 documents scanned (0 short), 1 skipped, 1 ignored by type, 1 pair in 1 cluster, 1.25 s

Pairs, most similar first (ids under brk/)
#   A               B          kind        sim   A in B   B in A   pass
───────────────────────────────────────────────────────────────────────
1   [draft] a.txt   copy.txt   verbatim   1.00     1.00     1.00      1
"""


def test_rich_view_golden(bracket_report: Report) -> None:
    out = render(report_view(bracket_report))
    lines = [line.rstrip() for line in out.splitlines()]
    assert all(len(line) <= 100 for line in lines)
    assert "\n".join(lines[:6]) + "\n" == GOLDEN_TOP
    # Article text and ids are never parsed as markup: brackets stay, literally.
    assert "[b]bold[/b]" in out and "[red]alert[/red]" in out
    assert "\n#1  [draft] a.txt  ↔  copy.txt ───" in out  # the folder all ids share is dropped; the pair's #
    assert "copy: similarity 1.00, containment 1.00 of A in B, 1.00 of B in A, 1 matching passage(s)" in out
    assert "Skipped inputs" in out and "brk/empty.txt" in out and "empty file" in out
    assert "Ignored by type (not read; not an error): 1 file(s), .odt (listed in --format json)" in out


def test_rich_view_is_stable(bracket_report: Report) -> None:
    assert render(report_view(bracket_report)) == render(report_view(bracket_report))


def test_rich_view_limits_passages_and_characters(bracket_report: Report) -> None:
    (pair,) = bracket_report.pairs
    out = render(pair_view(pair, max_passages=1, max_chars=60), width=400)
    assert "more characters; --max-chars 0 shows all" in out
    full = render(pair_view(pair, max_passages=0, max_chars=0), width=200)
    assert "more characters" not in full and "[b]bold[/b]" in full


def test_rich_view_without_pairs(tmp_path: Path) -> None:
    (tmp_path / "one.txt").write_text(sample_text("040_night_trains_return.txt"), encoding="utf-8")
    out = render(report_view(dataclasses.replace(dupefind.scan([str(tmp_path)]), seconds=0.0)))
    assert out.splitlines()[0].rstrip() == (
        "dupefind  1 document scanned (0 short), 0 skipped, 0 pairs in 0 clusters, 0.00 s")
    assert "Pairs, most similar first" not in out


def test_html_report_escapes_article_text(tmp_path: Path) -> None:
    from dupefind.report.html import report_html

    article = sample_text("040_night_trains_return.txt").replace(
        "\n\n", "\n\nA forum post said <script>alert('x')</script> & left.\n\n", 1)
    (tmp_path / "a.txt").write_text(article, encoding="utf-8")
    (tmp_path / "b.txt").write_text(article, encoding="utf-8")
    page = report_html(dupefind.scan([str(tmp_path)]))
    assert page.startswith("<!DOCTYPE html>") and page.endswith("</html>\n")
    assert "<script>alert" not in page  # the article's markup is data for the page's own script
    assert "\\u003cscript\\u003ealert('x')\\u003c/script\\u003e \\u0026 left" in page


def test_short_ids_drop_the_shared_folder_and_elide_the_middle() -> None:
    from dupefind.report.terminal import elide, short_id

    short = short_id(["data/2024/a.txt", "data/2024/b/c.txt", "data/2024/bb.txt"])
    assert [short(i) for i in ("data/2024/a.txt", "data/2024/b/c.txt")] == ["a.txt", "b/c.txt"]
    assert short_id(["x/a", "x/"])("x/a") == "x/a"  # no id may become empty
    assert short_id(["ab/1", "ac/2"])("ab/1") == "ab/1"  # a shared start that is no folder stays
    assert short_id(["a\x1b[2J.txt"])("a\x1b[2J.txt") == "a\\x1b[2J.txt"  # still made visible
    assert elide("samples/011_elm_street_garden_repost.txt", 20) == "samples/0…repost.txt"
    assert len(elide("x" * 50, 9)) == 9 and elide("short", 9) == "short"
    assert elide("日本語の長い名前のファイル.txt", 12).count("…") == 1


def long_report(tmp_path: Path, count: int) -> Report:
    """``count`` verbatim copies of one article, under long folder and file names."""
    folder = tmp_path / "a-rather-long-folder-name" / "with-another-level-below-it"
    folder.mkdir(parents=True)
    text = sample_text("040_night_trains_return.txt")
    for n in range(count):
        (folder / f"{n:02d}-an-article-name-that-goes-on-and-on-for-a-while.txt").write_text(text, encoding="utf-8")
    return dataclasses.replace(dupefind.scan([str(tmp_path)], dupefind.Config(jobs=1)), seconds=0.5)


def test_rich_view_reads_at_80_columns_and_top_limits_the_pairs(tmp_path: Path) -> None:
    report = long_report(tmp_path, 4)  # four identical copies: each paired with the first
    assert len(report.pairs) == 3
    out = render(report_view(report, max_passages=1, max_chars=100, top=1), width=80)
    lines = out.splitlines()
    assert all(len(line.rstrip()) <= 80 for line in lines)
    header = next(line for line in lines if line.startswith("#"))
    assert header.split() == ["#", "A", "B", "kind", "sim", "A", "in", "B", "B", "in", "A", "pass"]
    (row,) = [line for line in lines if line.startswith("1 ")]
    assert row.count("…") == 2 and "with-another-level-below-it/" not in row  # shared folder dropped, middle cut
    title = "".join(out.split())  # a long title wraps
    assert f"(idsunder{tmp_path}/a-rather-long-folder-name/with-another-level-below-it/)" in title
    assert "2 more pair(s) not shown: --top 0 shows all" in out
    assert sum(line.startswith(("1 ", "2 ")) for line in lines) == 1


def test_line_separators_inside_strings_are_escaped_so_an_item_is_one_line() -> None:
    """JSON allows U+2028, U+2029 and U+0085 raw inside strings; ``str.splitlines`` (and
    JavaScript before ES2019) takes them for line breaks, and one record read as three."""
    import dupefind
    from dupefind.report import report_json
    from dupefind.report.json_report import report_jsonl

    text = "Line one\u2028line two\x85 and\u2029 more words of the same note. " * 20
    report = dupefind.scan_texts([("a\u2028id", text), ("b", text)])
    lines = report_jsonl(report).splitlines()
    assert [json.loads(line)["type"] for line in lines] == ["header", "document", "document", "pair", "cluster"]
    whole = report_json(report)
    assert not any(char in whole for char in "\u2028\u2029\x85")
    assert json.loads(whole)["pairs"][0]["passages"][0]["a_text"].startswith("Line one\u2028line two\x85")


@pytest.mark.parametrize("char", ["\u2028", "\u2029", "\x85"])
def test_each_line_separator_alone_is_escaped(char: str) -> None:
    """One of the three in an otherwise plain text (ASCII or not) is escaped on its own."""
    from dupefind.report.json_report import _ITEM, _one_line

    for text in (f"plain {char} text", f"caf\u00e9 {char} text"):
        line = _one_line(_ITEM.encode({"t": text}))
        assert char not in line and len(line.splitlines()) == 1 and json.loads(line) == {"t": text}
    assert _one_line(_ITEM.encode({"t": "caf\u00e9"})) == '{"t": "caf\u00e9"}'


def pairs_part(out: str) -> str:
    """What a rendered report shows from its table of pairs to the first pair view, one line."""
    part = out.split("Pairs, most similar first", 1)[1].split("\n#1  ", 1)[0]
    return " ".join(part.split())


@pytest.mark.parametrize("width", [40, 50, 60, 70])
def test_a_narrow_terminal_gets_one_record_per_pair_and_never_a_cut_figure(samples_report: Report,
                                                                           width: int) -> None:
    """At 60 columns the table dropped its kind and passages columns and showed ``0.…``."""
    out = render(report_view(samples_report, max_passages=1, max_chars=50), width=width)
    assert all(len(line.rstrip()) <= width for line in out.splitlines())
    part = pairs_part(out)
    assert "…" not in part
    for n, pair in enumerate(samples_report.pairs, start=1):
        assert pair.relation is not None
        record = part.split(f" {n}. ", 1)[1].split(f" {n + 1}. ", 1)[0]
        assert " + ".join(pair.relation.kinds) in record
        for figure in (f"sim {pair.similarity:.2f}", f"A in B {pair.containment_a:.2f}",
                       f"B in A {pair.containment_b:.2f}", f"{len(pair.passages)} passage"):
            assert figure in record, (figure, record)
        assert record.replace(" ", "").startswith(f"{pair.a}↔{pair.b}".replace(f"{SAMPLES}/", ""))
    wide = render(report_view(samples_report, max_passages=1, max_chars=50), width=80)
    assert "A in B   B in A" in wide and " 1. " not in pairs_part(wide)  # 80 columns: the table


def test_ids_that_differ_in_the_middle_stay_apart_and_each_pair_view_has_its_number(tmp_path: Path) -> None:
    """``newsroom-story-2024-03-01-final.txt`` and its kin all read ``newsroo…nal.txt`` at 80
    columns; the pair views below carried no number to find their row by."""
    folder = tmp_path / "collide"
    folder.mkdir()
    for day, sample in (("03-01", "040_night_trains_return.txt"), ("03-02", "041_overnight_train_comeback_spun.txt"),
                        ("04-01", "010_elm_street_community_garden.txt"), ("04-02", "011_elm_street_garden_repost.txt")):
        (folder / f"newsroom-story-2024-{day}-final.txt").write_text(sample_text(sample), encoding="utf-8")
    report = dupefind.scan([str(folder)], Config(jobs=1))
    assert len(report.pairs) == 2
    out = render(report_view(report, max_passages=1, max_chars=50), width=80)
    rows = [line.split()[1:3] for line in out.splitlines() if line[:1] in "12" and line[1:2] == " "]
    cells = [cell for row in rows for cell in row]
    assert len(cells) == 4 and len(set(cells)) == 4, cells
    for row, pair in zip(rows, report.pairs, strict=True):
        for cell, id in zip(row, (pair.a, pair.b), strict=True):
            assert id.split("2024-")[1][:5] in cell, (cell, id)
    for n, pair in enumerate(report.pairs, start=1):
        assert f"\n#{n}  {pair.a.rsplit('/', 1)[1]}  ↔  " in out


def test_a_newline_or_tab_in_a_file_name_is_shown_escaped_on_one_row(tmp_path: Path) -> None:
    """``new⏎line.txt`` read as two table rows, and ``tab⇥name.txt``, its tab counted as one cell
    but printed as eight, was cut although the table had room."""
    folder = tmp_path / "odd"
    folder.mkdir()
    (folder / "new\nline.txt").write_text(sample_text("040_night_trains_return.txt"), encoding="utf-8")
    (folder / "tab\tname.txt").write_text(sample_text("041_overnight_train_comeback_spun.txt"), encoding="utf-8")
    (folder / "x.odt").write_bytes(b"PK")
    report = dupefind.scan([str(folder)], Config(jobs=1))
    out = render(report_view(report, max_passages=1, max_chars=40), width=100)
    assert "\t" not in out
    (row,) = [line for line in out.splitlines() if line.startswith("1 ")]
    assert "new\\nline.txt" in row and "tab\\tname.txt" in row
    assert "#1  new\\nline.txt  ↔  tab\\tname.txt" in out or "#1  tab\\tname.txt  ↔  new\\nline.txt" in out


def test_ids_of_a_family_keep_what_differs_and_never_pass_the_width() -> None:
    from rich.cells import cell_len

    from dupefind.report.terminal_ids import IdCutter

    family = [f"newsroom-story-2024-0{m}-0{d}-final.txt" for m in (3, 4) for d in (1, 2)]
    others = ["012_allotment_waiting_lists.txt", "a.txt", "ab.txt", "日本語の長い名前のファイル-1.txt",
              "日本語の長い名前のファイル-2.txt"]
    cut = IdCutter(family + others)
    for width in range(1, 40):
        for name in family + others:
            assert cell_len(cut(name, width)) <= max(width, 2), (name, width)
    for width in range(10, 36):
        assert len({cut(name, width) for name in family}) == 4, width
        assert len({cut(name, width) for name in others[-2:]}) == 2, width


def test_ids_that_differ_only_in_the_middle_stay_apart_when_a_longer_id_joins_their_family() -> None:
    """``…_1_in_winter_final_copy.txt`` and ``…_2_…`` read alike (``article…opy.txt``) once
    ``…_1_in_winter_final_copy_.txt`` was of their family: the span kept whole was the one that
    differs from all of them, too long to fit. No two ids shown together read alike, at any
    width, with or without the index mark after them."""
    from hypothesis import given, settings
    from hypothesis import strategies as st
    from rich.cells import cell_len

    from dupefind.report.terminal_ids import IdCutter

    birds = [f"article_about_garden_birds_{c}_in_winter_final_copy.txt" for c in (1, 2, 3)]
    family = [*birds, "article_about_garden_birds_1_in_winter_final_copy_.txt"]
    for suffixes in ({}, {family[1]: " *", family[3]: " *"}):
        cut = IdCutter(family, suffixes=suffixes) if suffixes else IdCutter(family)
        for width in range(8, 60):
            shown = [cut(name, width) + suffixes.get(name, "") for name in family]
            assert len(set(shown)) == 4, (width, shown)
            assert all(cell_len(s) <= width for s in shown), (width, shown)
            assert all(c in cut(name, width) for c, name in zip("123", birds, strict=True)), (width, shown)
    assert [IdCutter(family)(name, 15) for name in birds] == ["art…ds_1_in…txt", "art…ds_2_in…txt", "art…ds_3_in…txt"]

    parts = st.text("ab_1.", min_size=0, max_size=12)

    @settings(max_examples=200, deadline=None)
    @given(st.lists(st.tuples(parts, parts, parts), min_size=2, max_size=8))
    def distinct(shapes: list[tuple[str, str, str]]) -> None:
        names = sorted({f"story{a}-2024-{b}-final{c}.txt" for a, b, c in shapes})
        cut = IdCutter(names)
        for width in range(10, 40):
            assert len({cut(name, width) for name in names}) == len(names), width

    distinct()


def test_the_table_of_pairs_shows_ids_that_differ_in_the_middle_apart(tmp_path: Path) -> None:
    """The report of four copies named ``article_about_garden_birds_{1,2,3}_in_winter_final_copy.txt``
    and ``…_1_…_copy_.txt``, at 80 columns and others: each id shown in the table stands for one
    file."""
    story = sample_text("062_garden_birds_in_winter.txt")
    names = [f"article_about_garden_birds_{c}_in_winter_final_copy.txt" for c in (1, 2, 3)]
    names.append("article_about_garden_birds_1_in_winter_final_copy_.txt")
    for k, name in enumerate(names):
        (tmp_path / name).write_text(story + " extra" * k, encoding="utf-8")
    report = dupefind.scan([str(tmp_path)], Config(jobs=1))
    assert len({id for pair in report.pairs for id in (pair.a, pair.b)}) == 4
    for width in (80, 90, 100, 110):
        out = render(report_view(report, max_passages=0), width=width)
        rows = [line.split() for line in out.splitlines() if line.split()[:1] in [[str(n)] for n in range(1, 7)]]
        assert len(rows) == len(report.pairs), out  # (a table: narrower, each pair is a record, ids whole)
        stands_for: dict[str, set[str]] = {}
        for row, pair in zip(rows, report.pairs, strict=True):
            stands_for.setdefault(row[1], set()).add(pair.a)
            stands_for.setdefault(row[2], set()).add(pair.b)
        assert all(len(ids) == 1 for ids in stands_for.values()), (width, stands_for)


def test_the_terminal_report_lists_groups_of_three_copies_or_more(tmp_path: Path) -> None:
    """A moderator's first question is which articles are one story: the terminal report listed
    pairs only (JSON and HTML list the clusters)."""
    story = sample_text("040_night_trains_return.txt")
    for name in ("one.txt", "two.txt", "three.txt"):
        (tmp_path / name).write_text(story.replace("night", name[:-4]), encoding="utf-8")
    (tmp_path / "alone.txt").write_text(sample_text("062_garden_birds_in_winter.txt"), encoding="utf-8")
    report = dupefind.scan([str(tmp_path)])
    assert report.clusters == ((str(tmp_path / "one.txt"), str(tmp_path / "three.txt"), str(tmp_path / "two.txt")),)
    console = Console(width=100, file=io.StringIO(), color_system=None)
    console.print(report_view(report))
    shown = console.file.getvalue()  # type: ignore[attr-defined]
    assert "Groups of copies (1 group of 3 documents or more)" in shown
    assert "1. 3 documents: one.txt, three.txt, two.txt" in shown
    two = dupefind.scan([str(tmp_path / "one.txt"), str(tmp_path / "two.txt")])
    console = Console(width=100, file=io.StringIO(), color_system=None)
    console.print(report_view(two))
    assert "Groups of copies" not in console.file.getvalue()  # type: ignore[attr-defined]


def test_the_report_is_the_same_for_every_jobs_value(tmp_path: Path) -> None:
    from conftest import run_main
    for name in ["010_elm_street_community_garden.txt", "011_elm_street_garden_repost.txt",
                 "040_night_trains_return.txt"]:
        (tmp_path / name).write_text(sample_text(name), encoding="utf-8")
    reports = [run_main(["scan", str(tmp_path), "-j", jobs, "--format", "json"]).stdout for jobs in ("1", "2", "0")]
    assert reports[0] == reports[1] == reports[2]
    data = json.loads(reports[0])
    assert "jobs" not in data["config"] and "jobs" not in data["config_sources"]
    validate_report(data)
    validate_report({**data, "config": {**data["config"], "jobs": 2}})  # a report of 1.4 still validates
