"""scan's CSV and Parquet output, --top, --quiet and --config from the command line."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import SAMPLES, run_main
from rich.console import Console

import dupefind
from dupefind.cli.output import LONG_REPORT, _progress


@pytest.fixture
def in_repo(at_repo: Path) -> Path:
    return at_repo


def test_csv_on_stdout_parses_back_to_the_pairs(in_repo: Path) -> None:
    result = run_main(["scan", "samples/", "--format", "csv"])
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout, newline="")))
    report = dupefind.scan(["samples/"])
    assert [(r["a"], r["b"]) for r in rows] == [(p.a, p.b) for p in report.pairs]
    assert [float(r["containment"]) for r in rows] == [p.containment for p in report.pairs]
    assert [int(r["passages"]) for r in rows] == [len(p.passages) for p in report.pairs]
    assert rows[2]["kind"] == "verbatim+reordered"


def test_csv_ids_that_a_spreadsheet_would_run_are_written_as_text(tmp_path: Path) -> None:
    article = (Path(__file__).parent.parent / "samples" / "010_elm_street_community_garden.txt").read_text()
    ids = ['=HYPERLINK("http://example.com","x")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "plain-id"]
    source = tmp_path / "docs.jsonl"
    source.write_text("".join(json.dumps({"id": ident, "text": article + " " + "extra " * k}) + "\n"
                              for k, ident in enumerate(ids)))
    result = run_main(["scan", str(source), "--format", "csv"])
    assert result.exit_code == 0, result.stderr
    cells = {cell for row in csv.DictReader(io.StringIO(result.stdout, newline="")) for cell in (row["a"], row["b"])}
    assert cells == {"'" + ident for ident in ids[:4]} | {"plain-id"}
    # The JSON report keeps them as they are.
    report = json.loads(run_main(["scan", str(source), "--format", "json"]).stdout)
    assert {p["a"] for p in report["pairs"]} | {p["b"] for p in report["pairs"]} == set(ids)


def test_parquet_needs_an_output_and_round_trips(in_repo: Path, tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    refused = run_main(["scan", "samples/", "--format", "parquet"])
    assert refused.exit_code == 2 and "--output" in refused.stderr
    out = tmp_path / "pairs.parquet"
    result = run_main(["scan", "samples/", "--format", "parquet", "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    rows = pq.read_table(out).to_pylist()
    assert [(r["a"], r["b"], r["similarity"]) for r in rows] == [
        (p.a, p.b, p.similarity) for p in dupefind.scan(["samples/"]).pairs]
    assert [p.name for p in tmp_path.iterdir()] == ["pairs.parquet"]  # no temporary file left


def test_parquet_goes_into_a_pipe_which_stays_a_pipe(in_repo: Path, tmp_path: Path) -> None:
    """A named pipe (or a device) given as the Parquet output is written into: never replaced
    by a file, nor removed (the Parquet writer deletes a path it fails to write)."""
    import os
    import threading

    pq = pytest.importorskip("pyarrow.parquet")
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(pipe.read_bytes()))
    reader.start()
    result = run_main(["scan", "samples/", "--format", "parquet", "-o", str(pipe)])
    reader.join(timeout=60)
    assert result.exit_code == 0, result.stderr
    assert pipe.is_fifo()
    got = tmp_path / "got.parquet"
    got.write_bytes(received[0])
    assert pq.read_table(got).num_rows == 5
    written = tmp_path / "pairs.parquet"
    assert run_main(["scan", "samples/", "--format", "parquet", "-o", str(written)]).exit_code == 0
    assert written.stat().st_mode & 0o777 == 0o666 & ~_umask()


def _umask() -> int:
    import os

    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_quiet_prints_the_summary_only_and_still_writes_the_file(in_repo: Path, tmp_path: Path) -> None:
    quiet = run_main(["scan", "samples/", "-q"])
    assert quiet.exit_code == 0 and quiet.stderr == ""
    (line,) = quiet.stdout.splitlines()
    assert line.startswith("dupefind  20 documents scanned (0 short), 0 skipped, 5 pairs in 5 clusters")
    out = tmp_path / "r.json"
    written = run_main(["scan", "samples/", "-q", "--format", "json", "-o", str(out), "--fail-on-duplicates"])
    assert written.exit_code == 1 and len(written.stdout.splitlines()) == 1
    assert len(json.loads(out.read_text(encoding="utf-8"))["pairs"]) == 5


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv"])
@pytest.mark.parametrize("dash", [[], ["-o", "-"]], ids=["stdout", "dash"])
def test_quiet_leaves_a_machine_report_on_stdout_and_says_the_summary_on_stderr(in_repo: Path, fmt: str,
                                                                               dash: list[str]) -> None:
    """A pipeline's ``-q`` silences the chatter, never the report it asked for."""
    loud, quiet = (run_main(["scan", "samples/", "--format", fmt, *dash, *q]) for q in ([], ["-q"]))
    assert quiet.exit_code == loud.exit_code == 0
    mask = re.compile(r'"seconds": [0-9.]+')
    assert mask.sub("", quiet.stdout) == mask.sub("", loud.stdout) and len(quiet.stdout.splitlines()) >= 6
    assert quiet.stderr.startswith("dupefind  20 documents scanned") and loud.stderr == ""


def test_top_limits_the_pairs_shown(in_repo: Path) -> None:
    out = run_main(["scan", "samples/", "--top", "2", "--max-chars", "50"], columns=80).stdout
    assert "3 more pair(s) not shown: --top 0 shows all" in out
    assert out.count("  ↔  ") == 2  # two pair views
    assert all(len(line.rstrip()) <= 80 for line in out.splitlines())


def test_scan_config_file_and_sources(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, in_repo: Path) -> None:
    samples = str(in_repo / "samples")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "dupefind.toml").write_text('threshold = 0.5\nformat = "json"\ntop = 3\n', encoding="utf-8")
    data = json.loads(run_main(["scan", samples, "--min-words", "40"]).stdout)
    assert (data["config"]["threshold"], data["config"]["min_words"]) == (0.5, 40)
    assert data["config_sources"]["threshold"] == f"{tmp_path}/dupefind.toml"
    assert data["config_sources"]["min_words"] == "command line"
    assert all(p["containment"] >= 0.5 or p["passages"] for p in data["pairs"])
    # The command line wins over the file, for the format too.
    assert run_main(["scan", samples, "--format", "csv"]).stdout.startswith("a,b,kind,")
    (tmp_path / "dupefind.toml").write_text("threshold = 7\n", encoding="utf-8")
    bad = run_main(["scan", samples])
    assert bad.exit_code == 2 and f"(set in {tmp_path}/dupefind.toml)" in bad.stderr


def test_a_long_report_shows_a_drawing_progress_on_a_terminal() -> None:
    screen = io.StringIO()
    console = Console(file=screen, force_terminal=True, width=80)
    with _progress(console, LONG_REPORT) as advance:
        for _ in range(LONG_REPORT):
            advance()
    assert "drawing the report" in screen.getvalue()
    quiet = io.StringIO()
    with _progress(Console(file=quiet, force_terminal=True), LONG_REPORT - 1) as advance:
        advance()
    with _progress(Console(file=quiet), LONG_REPORT) as advance:  # not a terminal
        advance()
    assert quiet.getvalue() == ""


def test_output_dash_is_stdout_and_an_empty_name_is_refused_up_front(in_repo: Path, tmp_path: Path) -> None:
    """``-o -`` writes the report to standard output (it wrote a file named ``-``); ``-o ''``
    is a usage error before the scan (it failed only after the whole scan)."""
    dash = run_main(["scan", "samples/", "--format", "json", "-o", "-"])
    assert dash.exit_code == 0 and json.loads(dash.stdout)["pairs"]
    assert not Path("-").exists()
    empty = run_main(["scan", "samples/", "-o", ""])
    assert empty.exit_code == 2 and "empty file name" in empty.stderr


def test_a_pairs_only_report_names_the_skipped_inputs_on_stderr(tmp_path: Path) -> None:
    """CSV and Parquet hold the pairs alone: the inputs skipped (exit 3) are named on stderr, or
    nothing said which."""
    folder = tmp_path / "in"
    shutil.copytree(SAMPLES, folder)
    (folder / "empty.txt").write_text("", encoding="utf-8")
    result = run_main(["scan", str(folder), "--format", "csv"])
    assert result.exit_code == 3
    assert "empty.txt: empty file" in result.stderr and "empty.txt" not in result.stdout


def test_a_report_written_into_the_scanned_folder_is_a_note(tmp_path: Path) -> None:
    """``scan f -o f/report.txt``: the next scan of ``f`` reads the report as a document; said on
    stderr (a .json report is ignored by type: nothing to say)."""
    folder = tmp_path / "f"
    folder.mkdir()
    for name in ("040_night_trains_return.txt", "041_overnight_train_comeback_spun.txt"):
        shutil.copyfile(SAMPLES / name, folder / name)
    noted = run_main(["scan", str(folder), "-o", str(folder / "report.txt"), "-q"])
    assert noted.exit_code == 0 and "will read the report as a document" in noted.stderr
    quiet = run_main(["scan", str(folder), "--format", "json", "-o", str(folder / "report.json"), "-q"])
    assert quiet.exit_code == 0 and "note" not in quiet.stderr


PAIR = (str(SAMPLES / "040_night_trains_return.txt"), str(SAMPLES / "041_overnight_train_comeback_spun.txt"))


def test_the_extension_of_the_output_picks_the_format(tmp_path: Path) -> None:
    """``-o report.html`` without --format wrote terminal text into report.html, with exit 0."""
    for name, check in (("r.html", lambda t: t.lstrip().lower().startswith("<!doctype html")),
                        ("r.HTM", lambda t: "<html" in t), ("r.json", lambda t: json.loads(t)["pairs"]),
                        ("r.jsonl", lambda t: json.loads(t.splitlines()[0])["type"] == "header"),
                        ("r.csv", lambda t: t.startswith("a,b,kind,")), ("r.txt", lambda t: "↔" in t)):
        result = run_main(["scan", str(SAMPLES), "-o", str(tmp_path / name)])
        assert result.exit_code == 0, result.stderr
        assert check((tmp_path / name).read_text(encoding="utf-8")), name
    compared = run_main(["compare", *PAIR, "-o", str(tmp_path / "pair.json")])
    assert compared.exit_code == 0 and json.loads((tmp_path / "pair.json").read_text(encoding="utf-8"))["passages"]
    assert run_main(["compare", *PAIR, "-o", str(tmp_path / "pair.html")]).exit_code == 0
    assert "<html" in (tmp_path / "pair.html").read_text(encoding="utf-8")
    unknown = run_main(["scan", str(SAMPLES), "-o", str(tmp_path / "report.out")])
    assert unknown.exit_code == 0 and "↔" in (tmp_path / "report.out").read_text(encoding="utf-8")


def test_the_extension_wins_over_a_config_file_and_an_explicit_contradiction_is_refused(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "dupefind.toml").write_text('format = "json"\n', encoding="utf-8")
    assert run_main(["scan", str(SAMPLES), "-o", "r.html"]).exit_code == 0
    assert "<html" in (tmp_path / "r.html").read_text(encoding="utf-8")
    for args in (["scan", str(SAMPLES), "--format", "rich"], ["scan", str(SAMPLES), "--format", "jsonl"],
                 ["compare", *PAIR, "--format", "rich"]):
        refused = run_main([*args, "-o", "refused.json"])
        assert refused.exit_code == 2 and "'--format'" in refused.stderr and "names a JSON one" in refused.stderr
        assert not (tmp_path / "refused.json").exists()
    no_csv = run_main(["compare", *PAIR, "-o", "pair.csv"])
    assert no_csv.exit_code == 2 and "names a CSV report, which compare does not write" in no_csv.stderr
    # Whatever --format says: the advice never asks for a format the command lacks.
    no_csv = run_main(["compare", *PAIR, "-o", "pair.csv", "--format", "json"])
    assert no_csv.exit_code == 2 and "name the file otherwise (.html, .json, .jsonl, .txt)" in no_csv.stderr
    assert "--format csv" not in no_csv.stderr
    noted = run_main(["scan", str(SAMPLES), "--format", "csv", "-o", "pairs.txt"])
    assert noted.exit_code == 0 and "pairs.txt will hold the CSV report" in noted.stderr
    assert (tmp_path / "pairs.txt").read_text(encoding="utf-8").startswith("a,b,kind,")


def test_a_report_in_a_file_is_followed_by_the_summary_and_the_skipped_inputs_on_stderr(tmp_path: Path) -> None:
    """``scan samples /nonexistent -o r.html`` printed nothing at all (exit 3), while ``-q``
    printed the summary: the mistyped folder went unnoticed."""
    missing = str(tmp_path / "nonexistent")
    loud = run_main(["scan", str(SAMPLES), missing, "-o", str(tmp_path / "r.html")])
    assert loud.exit_code == 3 and loud.stdout == ""
    assert loud.stderr.startswith("dupefind  20 documents scanned (0 short), 1 skipped")
    assert f"skipped {missing}: no such file or folder" in loud.stderr
    quiet = run_main(["scan", str(SAMPLES), missing, "-o", str(tmp_path / "r.html"), "-q"])
    assert quiet.exit_code == 3 and "1 skipped" in quiet.stdout and "no such file" not in quiet.stdout + quiet.stderr


@pytest.mark.parametrize("args", [["--format", "json", "-q"], ["-o", "{out}"]], ids=["quiet", "output"])
def test_the_summary_on_stderr_is_one_line_when_stderr_is_no_terminal(tmp_path: Path, args: list[str]) -> None:
    """In a log, the summary was hard-wrapped at 80 columns (``grep 'pairs in'`` missed it)."""
    result = run_main(["scan", str(SAMPLES), *(a.format(out=tmp_path / "r.json") for a in args)], columns=40)
    (line,) = result.stderr.splitlines()
    assert re.fullmatch(r"dupefind  20 documents scanned \(0 short\), 0 skipped, 5 pairs in 5 clusters, [\d.]+ s", line)
