"""``dupefind index``, in process through the console entry point: the same reports and exit
codes as ``scan`` (README, "Keeping an index")."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SAMPLES, run_main, validate_report


def _folder(tmp_path: Path, names: list[str]) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    for name in names:
        shutil.copyfile(SAMPLES / name, folder / name)
    return folder


def test_add_check_pairs_remove_info(tmp_path: Path) -> None:
    docs = _folder(tmp_path, ["040_night_trains_return.txt", "062_garden_birds_in_winter.txt",
                              "010_elm_street_community_garden.txt"])
    index = str(tmp_path / "docs.index")
    added = run_main(["index", "add", index, str(docs), "--jobs", "1"])
    assert added.exit_code == 0, added.stderr
    assert "3 added, 0 replaced, 0 already there, 0 skipped" in added.stdout

    spun = tmp_path / "new" / "041_overnight_train_comeback_spun.txt"
    spun.parent.mkdir()
    shutil.copyfile(SAMPLES / spun.name, spun)
    checked = run_main(["index", "check", index, str(spun), "--format", "json", "--fail-on-duplicates", "-j", "1"])
    assert checked.exit_code == 1, checked.stderr
    report = json.loads(checked.stdout)
    validate_report(report)
    assert [(p["a"], p["b"]) for p in report["pairs"]] == [(str(docs / "040_night_trains_return.txt"), str(spun))]
    assert [d["id"] for d in report["documents"]] == [str(spun)]
    assert run_main(["index", "check", index, str(spun), "--format", "json"]).exit_code == 0
    shown = run_main(["index", "check", index, str(spun), "-j", "1"], columns=100).stdout.splitlines()
    start = shown.index(next(line for line in shown if line.startswith("Pairs")))
    header = next(k for k in range(start, len(shown)) if shown[k].startswith("#"))
    assert " ".join(line.strip() for line in shown[start:header]).endswith("; * in the index)")
    row = shown[header + 2].split()  # the indexed side marked, the new one not
    assert row[2] == "*" and row[1].startswith("docs/040") and row[3].startswith("new/041") and row[4] == "spun"
    assert "040_night_trains_return.txt (indexed)  ↔  " in "\n".join(shown)
    scanned = run_main(["scan", str(docs), str(spun), "-j", "1"], columns=100).stdout
    assert "(indexed)" not in scanned and "in the index" not in scanned

    assert run_main(["index", "add", index, str(spun), "-j", "1"]).exit_code == 0
    pairs = run_main(["index", "pairs", index, "--format", "json", "-j", "1"])
    scan = run_main(["scan", str(docs), str(spun), "--format", "json", "-j", "1"])
    assert pairs.exit_code == scan.exit_code == 0 and pairs.stdout == scan.stdout

    removed = run_main(["index", "remove", index, str(spun), "nothing-here"])
    assert removed.exit_code == 3 and "1 removed, 1 not found" in removed.stdout and "nothing-here" in removed.stderr

    info = run_main(["index", "info", index, "--format", "json"])
    facts = json.loads(info.stdout)
    assert (facts["documents"], facts["schema_version"], facts["texts"]) == (3, 7, "stored")
    assert facts["config"]["num_perm"] == 128
    assert "documents        3" in run_main(["index", "info", index]).stdout


def test_a_changed_document_is_skipped_unless_replaced(tmp_path: Path) -> None:
    docs = _folder(tmp_path, ["040_night_trains_return.txt"])
    index = str(tmp_path / "i.index")
    assert run_main(["index", "add", index, str(docs), "-j", "1"]).exit_code == 0
    (docs / "040_night_trains_return.txt").write_text("A new text. " * 80, encoding="utf-8")
    refused = run_main(["index", "add", index, str(docs), "-j", "1"])
    assert refused.exit_code == 3 and "--replace" in refused.stderr
    replaced = run_main(["index", "add", index, str(docs), "--replace", "-j", "1"])
    assert replaced.exit_code == 0 and "1 replaced" in replaced.stdout


def test_errors_are_messages_with_exit_code_2(tmp_path: Path) -> None:
    docs = _folder(tmp_path, ["040_night_trains_return.txt"])
    index = str(tmp_path / "i.index")
    assert run_main(["index", "add", index, str(docs), "-j", "1", "--num-perm", "64"]).exit_code == 0
    refused = run_main(["index", "check", index, str(docs), "--num-perm", "128"])
    assert refused.exit_code == 2 and "'--num-perm'" in refused.stderr and "64" in refused.stderr
    other = str(tmp_path / "other.index")  # the content view's signatures leave out what is boilerplate
    assert run_main(["index", "add", other, str(docs), "-j", "1", "--boilerplate-min-docs", "3"]).exit_code == 0
    refused = run_main(["index", "check", other, str(docs), "--boilerplate-min-docs", "5"])
    assert refused.exit_code == 2 and "'--boilerplate-min-docs'" in refused.stderr and "3" in refused.stderr
    facts = json.loads(run_main(["index", "info", other, "--format", "json"]).stdout)
    assert facts["config"]["boilerplate_min_docs"] == 3
    garbage = tmp_path / "garbage.index"
    garbage.write_text("hello\n" * 1000, encoding="utf-8")
    for args in (["index", "info", str(garbage)], ["index", "pairs", str(tmp_path / "missing.index")],
                 ["index", "check", str(garbage), str(docs)]):
        result = run_main(args)
        assert result.exit_code == 2 and result.stderr.startswith("Error: ") and "Traceback" not in result.stderr


def test_a_report_is_never_written_over_the_files_beside_the_index(tmp_path: Path) -> None:
    """``-o INDEX-wal`` wrote the report where SQLite keeps the index's last batches: the report
    was lost when the index next opened (or the batches with it). The files SQLite keeps beside
    an index are refused as outputs, whether they exist or not, and nothing is written."""
    docs = _folder(tmp_path, ["040_night_trains_return.txt"])
    index = str(tmp_path / "i.index")
    assert run_main(["index", "add", index, str(docs), "-j", "1"]).exit_code == 0
    before = sorted(p.name for p in tmp_path.iterdir())
    for suffix in ("-wal", "-shm", "-journal"):
        for args in (["check", index, str(docs)], ["pairs", index]):
            result = run_main(["index", *args, "--format", "json", "-o", index + suffix])
            assert result.exit_code == 2, result.stderr
            assert f"the index's {suffix} file" in result.stderr and "Traceback" not in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == before


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_an_index_path_that_is_a_pipe_or_a_device_is_refused_before_sqlite_opens_it(tmp_path: Path) -> None:
    """SQLite opened ``INDEX`` whatever it was: ``index add /dev/null`` left ``/dev/null-journal``
    in ``/dev``, and a FIFO was "a disk I/O error" or "an empty file"."""
    docs = _folder(tmp_path, ["040_night_trains_return.txt"])
    fifo = tmp_path / "pipe.index"
    os.mkfifo(fifo)
    for args in (["add", str(fifo), str(docs)], ["check", str(fifo), str(docs)], ["info", str(fifo)]):
        result = run_main(["index", *args])
        assert result.exit_code == 2, result.stderr
        assert result.stderr == f"Error: {fifo} is a named pipe (FIFO), not an index file\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["docs", "pipe.index"]


@pytest.mark.parametrize("name", ["archive.txt", "archive"])
def test_an_index_inside_the_folder_it_reads_is_not_read_as_a_document(tmp_path: Path, name: str) -> None:
    """``index add docs/archive.txt docs`` read the index it had just made as an input: "skipped
    docs/archive.txt: binary file", exit 3, with its ``-wal`` and ``-shm`` "ignored by type"."""
    docs = _folder(tmp_path, ["040_night_trains_return.txt", "041_overnight_train_comeback_spun.txt"])
    index = str(docs / name)
    added = run_main(["index", "add", index, str(docs), "-j", "1"])
    assert added.exit_code == 0, added.stderr
    assert "2 added, 0 replaced, 0 already there, 0 skipped in" in added.stdout
    again = run_main(["index", "add", index, str(docs), "-j", "1"])
    assert again.exit_code == 0 and "0 added, 0 replaced, 2 already there, 0 skipped in" in again.stdout
    shutil.copyfile(SAMPLES / "010_elm_street_community_garden.txt", docs / "010_elm_street_community_garden.txt")
    checked = run_main(["index", "check", index, str(docs), "-j", "1", "--format", "json"])
    assert checked.exit_code == 3, checked.stderr  # (the two indexed documents: skipped, as ids already there)
    assert [s["path"] for s in json.loads(checked.stdout)["skipped"]] == [
        f"{docs}/040_night_trains_return.txt", f"{docs}/041_overnight_train_comeback_spun.txt"]


def test_a_reader_gone_early_leaves_the_exit_code_of_the_command(tmp_path: Path) -> None:
    """``dupefind index info INDEX | head -1`` exited 1 ("duplicates found"): click's answer to
    a closed pipe. ``add``, ``remove`` and ``info`` end quietly with their own exit code."""
    docs = _folder(tmp_path, ["040_night_trains_return.txt"])
    index = str(tmp_path / "i.index")
    for args, code in ((["add", index, str(docs), "-j", "1"], 0), (["info", index], 0),
                       (["info", index, "--format", "json"], 0), (["remove", index, "nothing.txt"], 3),
                       (["add", index, str(docs), str(tmp_path / "missing.txt"), "-j", "1"], 3)):
        read, write = os.pipe()
        os.close(read)  # the reader is gone before the first line: every write fails
        done = subprocess.run([sys.executable, "-m", "dupefind", "index", *args], stdout=write, stderr=subprocess.PIPE,
                              text=True, timeout=300, check=False)
        os.close(write)
        assert done.returncode == code, (args, done.stderr)
        assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr


def test_locations_only_on_an_index_that_stores_texts_says_so(tmp_path: Path) -> None:
    """The message said "is True in the index (texts stored), not False": the library's
    ``keep_texts``, the opposite of the option the user gave."""
    index = tmp_path / "i.index"
    assert run_main(["index", "add", str(index), str(SAMPLES)]).exit_code == 0
    again = run_main(["index", "add", str(index), str(SAMPLES), "--locations-only"])
    assert again.exit_code == 2 and "--locations-only" in again.stderr
    assert "stores its documents' texts" in again.stderr and "True" not in again.stderr


def test_options_the_index_keeps_are_said_to_come_from_it(tmp_path: Path) -> None:
    """Not "default" when they are not: ``index pairs`` of an index made with ``--ngram 6`` says
    its ngram came from the index; given again on the command line, the report is the scan's."""
    docs = _folder(tmp_path, ["040_night_trains_return.txt", "041_overnight_train_comeback_spun.txt"])
    index = str(tmp_path / "docs.index")
    assert run_main(["index", "add", index, str(docs), "--ngram", "6", "-j", "1", "-q"]).exit_code == 0
    sources = json.loads(run_main(["index", "pairs", index, "--format", "json", "-j", "1"]).stdout)["config_sources"]
    assert sources["ngram"] == "index" and sources["num_perm"] == "default" and sources["threshold"] == "default"
    again = run_main(["index", "pairs", index, "--format", "json", "--ngram", "6", "-j", "1"])
    scan = run_main(["scan", str(docs), "--format", "json", "--ngram", "6", "-j", "1"])
    assert again.stdout == scan.stdout
