"""The command line, in process, through the console entry point and its exit-code mapping.

Exit codes (README, "Exit codes"): 0 the scan finished; 1 duplicates found with
``--fail-on-duplicates``; 2 usage error or nothing to scan; 3 finished but inputs were skipped.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest
from conftest import REPO, SAMPLES, run_main, sample_text, validate_as, validate_report

import dupefind
from dupefind.cli import cli


@pytest.fixture
def copies(tmp_path: Path) -> Path:
    """A folder with one spun copy among unrelated articles."""
    folder = tmp_path / "copies"
    folder.mkdir()
    for name in ("040_night_trains_return.txt", "041_overnight_train_comeback_spun.txt",
                 "062_garden_birds_in_winter.txt"):
        shutil.copyfile(SAMPLES / name, folder / name)
    return folder


@pytest.fixture
def unrelated(tmp_path: Path) -> Path:
    folder = tmp_path / "unrelated"
    folder.mkdir()
    for name in ("010_elm_street_community_garden.txt", "020_tidal_power_explainer.txt",
                 "030_sourdough_first_month.html", "053_carers_drop_in_opens.txt"):
        shutil.copyfile(SAMPLES / name, folder / name)
    return folder


def test_scan_samples_finishes_with_0_and_fails_on_duplicates_with_1(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    result = run_main(["scan", "samples", "--exclude", "ANSWERS.md"])
    assert result.exit_code == 0, result.stderr
    assert "19 documents scanned" in result.stdout and "5 pairs" in result.stdout
    assert result.stderr == ""
    result = run_main(["scan", "samples", "--exclude", "ANSWERS.md", "--fail-on-duplicates"])
    assert result.exit_code == 1
    assert "5 pairs" in result.stdout


def test_no_copies_exits_0(unrelated: Path) -> None:
    for extra in ([], ["--fail-on-duplicates"]):
        result = run_main(["scan", str(unrelated), *extra])
        assert result.exit_code == 0, result.stdout + result.stderr
        assert "4 documents scanned (0 short), 0 skipped, 0 pairs" in result.stdout


def test_skipped_input_exits_3_and_lists_it(unrelated: Path) -> None:
    (unrelated / "scan.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    result = run_main(["scan", str(unrelated)])
    assert result.exit_code == 3
    assert "Skipped inputs" in result.stdout
    assert "scan.txt" in result.stdout and "binary file (contains NUL bytes)" in result.stdout


def test_file_ignored_by_type_is_listed_but_does_not_change_the_exit_code(unrelated: Path) -> None:
    """A folder walk passes over files it does not read (a repository's .py, .toml): they are
    counted and listed, but they are not inputs that failed (issue 9, item 13)."""
    (unrelated / "slides.pptx").write_bytes(b"PK\x03\x04")
    (unrelated / "pyproject.toml").write_text("[project]\n", encoding="utf-8")
    result = run_main(["scan", str(unrelated)])
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "0 skipped, 2 ignored by type" in result.stdout
    assert "Skipped inputs" not in result.stdout
    assert "Ignored by type (not read; not an error): 2 file(s), .pptx, .toml" in result.stdout
    data = json.loads(run_main(["scan", str(unrelated), "--format", "json"]).stdout)
    validate_report(data)
    assert data["summary"]["skipped"] == 0 and data["summary"]["ignored"] == 2
    assert [Path(i["path"]).name for i in data["ignored"]] == ["pyproject.toml", "slides.pptx"]
    # The same file named on the command line is an input that could not be read.
    assert run_main(["scan", str(unrelated), str(unrelated / "slides.pptx")]).exit_code == 3


def test_duplicates_win_over_skipped_with_fail_on_duplicates(copies: Path) -> None:
    (copies / "empty.txt").write_bytes(b"")
    assert run_main(["scan", str(copies)]).exit_code == 3
    assert run_main(["scan", str(copies), "--fail-on-duplicates"]).exit_code == 1


@pytest.mark.parametrize(("args", "option"), [
    (["--threshold", "0"], "--threshold"),
    (["--threshold", "2"], "--threshold"),
    (["--num-perm", "3"], "--num-perm"),
    (["--ngram", "0"], "--ngram"),
    (["--scheme", "x"], "--scheme"),
    (["--min-words", "0"], "--min-words"),
    (["--boilerplate-min-docs", "1"], "--boilerplate-min-docs"),
    (["--lsh-threshold", "1.5"], "--lsh-threshold"),
    (["--seed", "-1"], "--seed"),
    (["--max-passages", "-1"], "--max-passages"),
    (["--threshold", "abc"], "--threshold"),
    (["--text-field", ""], "--text-field"),
])
def test_bad_option_values_exit_2_naming_the_option(unrelated: Path, args: list[str], option: str) -> None:
    result = run_main(["scan", str(unrelated), *args])
    assert result.exit_code == 2
    assert f"'{option}'" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_bad_option_value_for_compare(tmp_path: Path) -> None:
    a = tmp_path / "a.txt"
    a.write_text(sample_text("040_night_trains_return.txt"), encoding="utf-8")
    result = run_main(["compare", str(a), str(a), "--ngram", "40"])
    assert result.exit_code == 2
    assert "'--ngram'" in result.stderr and "1 to 32" in result.stderr


def test_compare_help_has_no_scan_only_options() -> None:
    """compare works on two files' exact shingle sets: no LSH, no MinHash, no workers, no
    collection to count boilerplate in, no folders to walk (issue 9, item 12)."""
    help_text = " ".join(run_main(["compare", "--help"]).stdout.split())
    scan_help = " ".join(run_main(["scan", "--help"]).stdout.split())
    for option in ("--lsh-threshold", "--jobs", "--boilerplate-min-docs", "--num-perm", "--seed", "--include",
                   "--exclude", "--follow-symlinks", "--id-field", "--text-field"):
        assert option not in help_text, option
        assert option in scan_help, option
    assert "scan" not in help_text.replace("dupefind compare", "")
    assert "0 shows all. [default: 0;" in help_text and "0 shows all. [default: 3;" in scan_help


def test_compare_html_page_is_about_the_pair(tmp_path: Path) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(sample_text("040_night_trains_return.txt"), encoding="utf-8")
    b.write_text(sample_text("041_overnight_train_comeback_spun.txt"), encoding="utf-8")
    page = run_main(["compare", str(a), str(b), "--format", "html"]).stdout
    assert "documents scanned" not in page and "Skipped" not in page
    assert f'Compared <span class="id">{a}</span> with <span class="id">{b}</span>: a copy' in page
    assert page.count('<tr><th class="head" colspan="2">passage') >= 1


def test_scan_max_passages_0_shows_every_passage(tmp_path: Path) -> None:
    """The reordered sample pair has 7 passages: 3 are shown by default, all 7 with 0."""
    for name in ("030_sourdough_first_month.html", "031_sourdough_lessons_reordered.md"):
        shutil.copyfile(SAMPLES / name, tmp_path / name)
    shown = {}
    for limit in ("3", "0", "5"):
        out = run_main(["scan", str(tmp_path), "--max-passages", limit, "--max-chars", "20"]).stdout
        shown[limit] = len(re.findall(r"^│ \[\d+:\d+\] \d+% identical", out, re.MULTILINE))
        assert ("more passage(s)" in out) == (limit != "0"), limit
    assert shown == {"3": 3, "0": 7, "5": 5}


def test_missing_path_only_exits_2(tmp_path: Path) -> None:
    missing = str(tmp_path / "nowhere")
    result = run_main(["scan", missing])
    assert result.exit_code == 2
    assert "nothing to scan" in result.stderr and missing in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_missing_path_among_good_ones_exits_3(unrelated: Path, tmp_path: Path) -> None:
    result = run_main(["scan", str(unrelated), str(tmp_path / "nowhere.txt")])
    assert result.exit_code == 3
    assert "no such file or folder" in result.stdout


def test_no_arguments_is_a_usage_error() -> None:
    result = run_main(["scan"])
    assert result.exit_code == 2
    assert "Missing argument" in result.stderr


def test_format_json_parses_and_validates(copies: Path) -> None:
    result = run_main(["scan", str(copies), "--format", "json"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    validate_report(data)
    assert [(Path(p["a"]).name, Path(p["b"]).name) for p in data["pairs"]] == [
        ("040_night_trains_return.txt", "041_overnight_train_comeback_spun.txt")]
    assert result.stderr == ""


def test_format_jsonl_lines_parse(copies: Path) -> None:
    result = run_main(["scan", str(copies), "--format", "jsonl"])
    assert result.exit_code == 0
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["type"] for r in records] == ["header", "document", "document", "document", "pair", "cluster"]
    for record in records:
        validate_as("jsonl_record", record)


def test_options_reach_the_config(copies: Path) -> None:
    result = run_main(["scan", str(copies), "--format", "json", "--scheme", "words", "--ngram", "4",
                       "--num-perm", "64", "--seed", "7", "--threshold", "0.5", "--min-words", "20",
                       "--include", "*.txt", "--exclude", "062*", "--min-passage-words", "5"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    config = data["config"]
    assert (config["scheme"], config["ngram"], config["num_perm"], config["seed"]) == ("words", 4, 64, 7)
    assert (config["threshold"], config["min_words"], config["min_passage_words"]) == (0.5, 20, 5)
    assert (config["include"], config["exclude"]) == (["*.txt"], ["062*"])
    assert len(data["documents"]) == 2


def test_output_file_is_written_and_stdout_stays_empty(copies: Path, tmp_path: Path) -> None:
    for fmt, check in (("json", lambda text: validate_report(json.loads(text))),
                       ("rich", lambda text: text.startswith("dupefind  3 documents scanned")),
                       ("html", lambda text: text.startswith("<!DOCTYPE html>"))):
        target = tmp_path / f"report.{fmt}"
        result = run_main(["scan", str(copies), "--format", fmt, "--output", str(target)])
        assert result.exit_code == 0, result.stderr
        assert result.stdout == ""
        text = target.read_text(encoding="utf-8")
        assert check(text) is not False
        umask = os.umask(0)
        os.umask(umask)
        assert target.stat().st_mode & 0o777 == 0o666 & ~umask
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []  # no temp files left


def test_an_output_replaced_keeps_its_permissions(copies: Path, tmp_path: Path) -> None:
    """A report written over an existing file keeps that file's permissions, as the shell's
    ``>`` does (it was given the umask's: a report kept private became readable by all)."""
    for fmt, mode in (("json", 0o600), ("html", 0o640), ("rich", 0o604)):
        target = tmp_path / f"report.{fmt}"
        target.write_text("old report\n", encoding="utf-8")
        target.chmod(mode)
        result = run_main(["scan", str(copies), "--format", fmt, "--output", str(target)])
        assert result.exit_code == 0, result.stderr
        assert target.read_text(encoding="utf-8") != "old report\n"
        assert target.stat().st_mode & 0o777 == mode, (fmt, oct(target.stat().st_mode))


def test_output_into_a_missing_folder_is_an_error_not_a_crash(copies: Path, tmp_path: Path) -> None:
    target = tmp_path / "no" / "such" / "folder" / "report.json"
    result = run_main(["scan", str(copies), "--format", "json", "-o", str(target)])
    assert result.exit_code == 2, (result.exit_code, result.exception)
    assert "'--output'" in result.stderr or str(target) in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert not target.exists()


def test_output_onto_a_folder_is_a_usage_error(copies: Path, tmp_path: Path) -> None:
    result = run_main(["scan", str(copies), "--format", "json", "-o", str(tmp_path)])
    assert result.exit_code == 2
    assert "'--output'" in result.stderr and "Traceback" not in result.stderr
    assert tmp_path.is_dir()


def test_stdin_jsonl(tmp_path: Path) -> None:
    texts = [sample_text("040_night_trains_return.txt"), sample_text("041_overnight_train_comeback_spun.txt"),
             sample_text("062_garden_birds_in_winter.txt")]
    data = "".join(json.dumps({"id": f"doc{n}", "text": t}) + "\n" for n, t in enumerate(texts))
    data += json.dumps({"text": texts[2]}) + "\n"
    result = run_main(["scan", "-", "--format", "json"], input=data)
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert [d["id"] for d in report["documents"]] == ["-:4", "doc0", "doc1", "doc2"]
    assert {d["path"] for d in report["documents"]} == {"-"}
    assert sorted((p["a"], p["b"]) for p in report["pairs"]) == [("-:4", "doc2"), ("doc0", "doc1")]


def test_stdin_with_custom_fields() -> None:
    text = sample_text("040_night_trains_return.txt")
    data = "".join(json.dumps({"url": f"u{n}", "body": text}) + "\n" for n in range(2))
    result = run_main(["scan", "-", "--format", "json", "--id-field", "url", "--text-field", "body"], input=data)
    assert result.exit_code == 0, result.stderr
    assert [(p["a"], p["b"]) for p in json.loads(result.stdout)["pairs"]] == [("u0", "u1")]


def test_compare_a_copy_and_unrelated_texts(tmp_path: Path) -> None:
    a, b, c = (tmp_path / n for n in ("a.txt", "b.md", "c.html"))
    a.write_text(sample_text("040_night_trains_return.txt"), encoding="utf-8")
    b.write_text(sample_text("041_overnight_train_comeback_spun.txt"), encoding="utf-8")
    shutil.copyfile(SAMPLES / "030_sourdough_first_month.html", c)

    copy = run_main(["compare", str(a), str(b)])
    assert copy.exit_code == 0, copy.stderr
    assert "copy: similarity" in copy.stdout
    assert run_main(["compare", str(a), str(b), "--fail-on-duplicates"]).exit_code == 1
    other = run_main(["compare", str(a), str(c), "--fail-on-duplicates"])
    assert other.exit_code == 0, other.stderr
    assert "not a copy" in other.stdout

    as_json = run_main(["compare", str(a), str(b), "--format", "json"])
    assert as_json.exit_code == 0
    pair = json.loads(as_json.stdout)
    validate_as("pair", pair)
    assert (pair["a"], pair["b"], pair["duplicate"]) == (str(a), str(b), True)
    assert pair["passages"] and all(p["a_text"] and p["b_text"] for p in pair["passages"])
    unrelated = json.loads(run_main(["compare", str(a), str(c), "--format", "json"]).stdout)
    assert unrelated["duplicate"] is False


def test_compare_unusable_file_exits_2(tmp_path: Path) -> None:
    a = tmp_path / "a.txt"
    a.write_text(sample_text("040_night_trains_return.txt"), encoding="utf-8")
    for bad in (tmp_path / "missing.txt", tmp_path / "empty.txt"):
        if bad.name == "empty.txt":
            bad.write_text("", encoding="utf-8")
        result = run_main(["compare", str(a), str(bad)])
        assert result.exit_code == 2
        assert bad.name in result.stderr
        assert "Traceback" not in result.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_compare_given_a_pipe_does_not_point_at_stdin(tmp_path: Path) -> None:
    """``dupefind compare <(curl ...) b.txt`` was told to "read JSONL from a pipe with '-'",
    scan's hint, and ``compare - b.txt`` then said "-: no such file or folder"."""
    a = tmp_path / "a.txt"
    a.write_text(sample_text("040_night_trains_return.txt"), encoding="utf-8")
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    for given in (str(fifo), "-"):
        result = run_main(["compare", given, str(a)])
        assert result.exit_code == 2 and "'-'" not in result.stderr
        assert "compare reads files, not pipes or standard input" in result.stderr


def test_version() -> None:
    result = run_main(["--version"])
    assert result.exit_code == 0
    assert result.stdout == f"dupefind, version {dupefind.__version__}\n"


def test_python_m_dupefind_entry_point(tmp_path: Path) -> None:
    """The real process: ``python -m dupefind`` maps errors to the documented codes."""
    done = subprocess.run([sys.executable, "-m", "dupefind", "--version"], capture_output=True, text=True, check=False)
    assert (done.returncode, done.stdout.strip()) == (0, f"dupefind, version {dupefind.__version__}")
    done = subprocess.run([sys.executable, "-m", "dupefind", "scan", str(tmp_path / "gone")],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 2
    assert done.stderr.startswith("Error: nothing to scan")
    done = subprocess.run([sys.executable, "-m", "dupefind", "scan", "-"], input="", capture_output=True, text=True,
                          check=False)
    assert (done.returncode, done.stderr) == (2, "Error: nothing to scan: standard input ('-') held no JSONL line\n")
    done = subprocess.run([sys.executable, "-m", "dupefind", "scan", str(SAMPLES), "--threshold", "0"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 2 and "'--threshold'" in done.stderr


def test_help_lists_exit_codes() -> None:
    result = run_main(["--help"])
    assert result.exit_code == 0
    assert "Exit codes" in result.stdout and "--fail-on-duplicates" in result.stdout


def all_options() -> list[str]:
    names: set[str] = set()
    commands: list[click.Command] = [cli, *cli.commands.values()]  # type: ignore[attr-defined]
    for command in commands:
        for param in command.params:
            if isinstance(param, click.Option):
                names.update(opt for opt in param.opts + param.secondary_opts if opt.startswith("--"))
    return sorted(names)


def test_every_option_is_in_the_readme() -> None:
    readme = REPO / "README.md"
    assert readme.exists(), "README.md is missing"
    text = readme.read_text(encoding="utf-8")
    options = all_options()
    assert {"--threshold", "--format", "--output", "--include", "--text-field", "--version"} <= set(options)
    missing = [opt for opt in options if not re.search(rf"(?<![\w-]){re.escape(opt)}(?![\w-])", text)]
    assert missing == [], f"options not documented in README.md: {missing}"


def readme_defaults(text: str) -> dict[str, str]:
    """The option table of the README: option name to its "default" cell."""
    table: dict[str, str] = {}
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3:
            for option in re.findall(r"`(--[\w-]+)", cells[0]):
                table[option] = cells[2]
    return table


def test_readme_defaults_match_the_cli() -> None:
    readme = REPO / "README.md"
    assert readme.exists(), "README.md is missing"
    table = readme_defaults(readme.read_text(encoding="utf-8"))
    command = cli.commands["scan"]  # type: ignore[attr-defined]
    checked = 0
    for param in command.params:
        if not isinstance(param, click.Option) or param.default is None or param.multiple:
            continue
        option = param.opts[0]
        assert option in table, f"{option} is not in the README's option table"
        cell = table[option].replace("`", "")
        if param.is_flag:
            assert cell == "off", (option, cell)
        else:
            assert str(param.default) in re.split(r"[\s,]+", cell), (option, param.default, cell)
        checked += 1
    assert checked >= 10


def test_compare_refuses_a_file_over_the_document_limit(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    with open(big, "wb") as handle:
        handle.truncate(5 << 30)  # sparse: read whole, 5 GB
    small = SAMPLES / "040_night_trains_return.txt"
    result = run_main(["compare", str(big), str(small)])
    assert result.exit_code == 2
    assert "too large to read as one document (5,120.0 MB; the limit is 64 MB" in result.stderr
    result = run_main(["compare", str(small), str(small), "--max-document-mb", "1", "--format", "json"])
    assert result.exit_code == 0 and json.loads(result.stdout)["duplicate"]


def test_a_report_is_never_written_over_an_input(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    shutil.copytree(SAMPLES, folder)
    target = folder / "010_elm_street_community_garden.txt"
    before = target.read_bytes()
    for args in (["scan", str(folder), "--format", "json", "-o", str(target)],  # inside a scanned folder
                 ["scan", str(target), str(folder / "011_elm_street_garden_repost.txt"), "-o", str(target)],
                 ["compare", str(target), str(folder / "011_elm_street_garden_repost.txt"), "-o", str(target)]):
        result = run_main(args)
        assert result.exit_code == 2, (args, result.output)
        assert "is one of the inputs" in result.stderr and "never written over an input" in result.stderr
        assert target.read_bytes() == before
    # A new report in the scanned folder, and the same again: last run's report.json is not read.
    report = folder / "report.json"
    for _ in range(2):
        result = run_main(["scan", str(folder), "--format", "json", "-o", str(report)])
        assert result.exit_code == 0, result.output
        assert json.loads(report.read_text())["summary"]["pairs"] == 5
    # Nor over an index.
    index = tmp_path / "articles.db"
    assert run_main(["index", "add", str(index), str(folder)]).exit_code == 0
    stored = index.read_bytes()
    result = run_main(["index", "pairs", str(index), "--format", "json", "-o", str(index)])
    assert result.exit_code == 2 and "is one of the inputs" in result.stderr
    assert index.read_bytes() == stored


def test_compare_refuses_a_file_of_several_records(tmp_path: Path) -> None:
    """``compare`` takes one document a file: a JSONL file of several records is refused (it
    compared the first record alone, silently); a JSONL file of one record is that record."""
    text = (SAMPLES / "010_elm_street_community_garden.txt").read_text(encoding="utf-8")
    many = tmp_path / "many.jsonl"
    many.write_text("".join(json.dumps({"id": k, "text": text}) + "\n" for k in "ab"), encoding="utf-8")
    one = tmp_path / "one.jsonl"
    one.write_text(json.dumps({"id": "a", "text": text}) + "\n", encoding="utf-8")
    refused = run_main(["compare", str(many), str(SAMPLES / "010_elm_street_community_garden.txt")])
    assert refused.exit_code == 2 and "holds more than one document" in refused.stderr
    same = run_main(["compare", str(one), str(SAMPLES / "010_elm_street_community_garden.txt"), "--format", "json"])
    assert same.exit_code == 0 and json.loads(same.stdout)["duplicate"]


def test_compare_names_the_argument_in_every_message_about_it(tmp_path: Path) -> None:
    """A missing file said ``Invalid value: /nope.txt: ...``, a folder ``Invalid value for 'FILE_A'``."""
    good = str(SAMPLES / "040_night_trains_return.txt")
    for args, hint in (([good, str(tmp_path / "nope.txt")], "'FILE_B'"), ([str(tmp_path / "nope.txt"), good], "'FILE_A'"),
                       ([str(tmp_path), good], "'FILE_A'")):
        result = run_main(["compare", *args])
        assert result.exit_code == 2 and f"Invalid value for {hint}: " in result.stderr, result.stderr


def test_top_with_a_format_that_lists_every_pair_says_so(tmp_path: Path) -> None:
    result = run_main(["scan", str(SAMPLES), "--top", "2", "--format", "csv"])
    assert result.exit_code == 0 and len(result.stdout.splitlines()) == 6  # the header and every pair
    assert "--top applies to the rich report only; the csv report lists every pair" in result.stderr
    assert "--top" not in run_main(["scan", str(SAMPLES), "--top", "2"]).stderr
