"""Config files: which one is found, how it is read, and unknown keys refused by name."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from dupefind.config_file import ConfigFileError, find_config_file, load_config_file

KNOWN = {"threshold", "passage_words", "include", "format"}


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_nearest_file_wins_and_a_pyproject_without_the_table_is_passed_over(tmp_path: Path) -> None:
    top = write(tmp_path / "pyproject.toml", "[tool.dupefind]\nthreshold = 0.3\n")
    write(tmp_path / "a" / "pyproject.toml", "[project]\nname = 'x'\n")
    deep = tmp_path / "a" / "b"
    deep.mkdir()
    assert find_config_file(deep) == top
    dedicated = write(tmp_path / "a" / "dupefind.toml", "threshold = 0.4\n")
    assert find_config_file(deep) == dedicated
    # In one folder, dupefind.toml comes before pyproject.toml.
    write(tmp_path / "a" / "pyproject.toml", "[tool.dupefind]\nthreshold = 0.5\n")
    assert find_config_file(tmp_path / "a") == dedicated


def test_tables_and_top_level_keys(tmp_path: Path) -> None:
    py = load_config_file(write(tmp_path / "pyproject.toml", "[tool.dupefind]\npassage-words = 40\n"), known=KNOWN)
    assert dict(py.values) == {"passage_words": 40}
    assert py.label == f"{tmp_path}/pyproject.toml [tool.dupefind]"
    top = load_config_file(write(tmp_path / "dupefind.toml", "include = ['*.md']\n"), known=KNOWN)
    assert dict(top.values) == {"include": ["*.md"]} and top.label == f"{tmp_path}/dupefind.toml"
    other = load_config_file(write(tmp_path / "any.toml", "[tool.dupefind]\nformat = 'json'\n"), known=KNOWN)
    assert dict(other.values) == {"format": "json"}


@pytest.mark.parametrize(("text", "message"), [
    ("[tool.dupefind]\ntreshold = 0.3\n", "unknown key 'treshold' in [tool.dupefind] (did you mean 'threshold'?)"),
    ("[tool.dupefind]\nthreshold = 0.3\nthreshold_x = 1\n", "unknown key 'threshold_x'"),
    ("[tool.dupefind]\npassage-words = 1\npassage_words = 2\n", "set twice"),
    ("[tool.dupefind\n", "not valid TOML"),
    ("[project]\nname = 'x'\n", "no [tool.dupefind] table"),
    ("tool = 3\n[x]\n", "no [tool.dupefind] table"),
])
def test_bad_files_are_errors_that_say_what_is_wrong(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path / "pyproject.toml", text)
    with pytest.raises(ConfigFileError, match="^" + str(path).replace(".", r"\.") + ": ") as caught:
        load_config_file(path, known=KNOWN)
    assert message in str(caught.value)


def test_a_missing_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigFileError, match="cannot read"):
        load_config_file(tmp_path / "nope.toml", known=KNOWN)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_config_file_that_is_a_pipe_or_a_device_is_refused_unread(tmp_path: Path, no_hang: None) -> None:
    """``--config`` naming a FIFO waited for a writer for ever, and ``/dev/zero`` read until the
    memory ran out: neither is opened for what it may hold."""
    from conftest import run_main

    fifo = tmp_path / "settings.toml"
    os.mkfifo(fifo)
    for path, kind in ((os.devnull, "character device"), (str(fifo), "named pipe (FIFO)")):
        result = run_main(["scan", str(tmp_path), "--config", path, "-q"])
        assert result.exit_code == 2 and f"{path}: cannot read: {kind}, not a regular file" in result.stderr


def dedup_report(tmp_path: Path, *args: str) -> tuple[int, str, dict[str, object]]:
    """Run ``dupefind dedup`` on a copy of two sample articles; the exit code, stderr and report."""
    import json
    import shutil

    from conftest import SAMPLES, run_main

    folder = tmp_path / "in"
    if not folder.exists():
        folder.mkdir()
        for name in ("040_night_trains_return.txt", "041_overnight_train_comeback_spun.txt"):
            shutil.copyfile(SAMPLES / name, folder / name)
    out = tmp_path / "report.json"
    out.unlink(missing_ok=True)
    result = run_main(["dedup", "in", "-o", "kept.jsonl", "--report", "report.json", *args])
    report = json.loads(out.read_text(encoding="utf-8")) if out.exists() else {}
    return result.exit_code, result.stderr, report


def test_file_values_apply_command_line_wins_and_sources_say_where(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    pyproject = write(tmp_path / "pyproject.toml",
                      "[tool.dupefind]\nthreshold = 0.35\nmin-words = 40\nkeep = 'longest'\nmax-chars = 10\n")
    code, err, report = dedup_report(tmp_path, "--threshold", "0.3")
    assert code == 0, err
    config, sources = report["config"], report["config_sources"]
    assert isinstance(config, dict) and isinstance(sources, dict)
    assert (config["threshold"], config["min_words"]) == (0.3, 40)
    assert report["dedup_rule"] == "longest"
    assert sources["threshold"] == "command line"
    assert sources["min_words"] == f"{pyproject} [tool.dupefind]"
    assert sources["num_perm"] == "default"
    # --config names another file, which replaces the one found.
    other = write(tmp_path / "other.toml", "min_words = 45\n")
    code, err, report = dedup_report(tmp_path, "--config", str(other))
    assert code == 0, err
    assert report["config"]["min_words"] == 45 and report["config"]["threshold"] == 0.2  # type: ignore[index]
    assert report["config_sources"]["min_words"] == str(other)  # type: ignore[index]
    assert report["dedup_rule"] == "first"


@pytest.mark.parametrize(("text", "message"), [
    ("[tool.dupefind]\nthresold = 0.3\n", "unknown key 'thresold'"),
    ("[tool.dupefind]\nthreshold = 'high'\n", "'threshold' in "),
    ("[tool.dupefind]\nthreshold = 3\n", "threshold"),
    ("[tool.dupefind]\nexclude = 3\n", "'exclude' in "),
    ("[tool.dupefind]\nfollow-symlinks = 'yes'\n", "must be true or false"),
    ("[tool.dupefind]\nthreshold = true\n", "not true or false"),
    ("[tool.dupefind]\nseed = 1979-05-27\n", "'seed' in "),
    ("[tool.dupefind]\nthreshold = 1979-05-27\n", "must be a finite number"),
    ("[tool.dupefind]\njobs = inf\n", "must be a whole number"),
    ("[tool.dupefind]\njobs = 1.5\n", "must be a whole number"),
    ("[tool.dupefind]\njobs = '2'\n", "must be a whole number"),
    ("[tool.dupefind]\nthreshold = nan\n", "must be a finite number"),
    ("[tool.dupefind]\ninclude = [1, 2]\n", "must be a string"),
    ("[tool.dupefind]\nid-field = 1979-05-27\n", "must be a string"),
])
def test_bad_values_in_the_file_are_usage_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 text: str, message: str) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "pyproject.toml", text)
    code, err, report = dedup_report(tmp_path)
    assert code == 2 and message in err and "Traceback" not in err
    assert report == {}


def test_a_folder_or_pyproject_that_cannot_be_read_is_passed_over(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """A ``pyproject.toml`` that cannot be read (another user's project above this folder)
    cannot tell whether it holds our table: it is passed over, not an error for every command."""
    write(tmp_path / "pyproject.toml", "[tool.dupefind]\nthreshold = 0.3\n")
    below = tmp_path / "below"
    below.mkdir()
    real_read_bytes = Path.read_bytes

    def unreadable(path: Path) -> bytes:
        if path.name == "pyproject.toml":
            raise PermissionError(13, "Permission denied")
        return real_read_bytes(path)

    monkeypatch.setattr(Path, "read_bytes", unreadable)
    monkeypatch.setattr("dupefind.config_file._read", lambda path: (_ for _ in ()).throw(
        ConfigFileError(path, "cannot read: Permission denied")))
    assert find_config_file(below) is None


def test_a_working_folder_that_is_gone_reads_no_config_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from a folder deleted meanwhile (a shell left in it), a command still runs."""
    from conftest import SAMPLES, run_main

    gone = tmp_path / "gone"
    gone.mkdir()
    monkeypatch.chdir(gone)
    gone.rmdir()
    result = run_main(["scan", str(SAMPLES), "-q"])
    assert result.exit_code == 0, result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("option", ["--passage-words", "--min-passage-words", "--min-words", "--boilerplate-min-docs",
                                    "--max-document-mb"])
def test_counts_beyond_any_meaning_are_usage_errors(option: str) -> None:
    """A count past 2**31 - 1 (the compiled checks take 32-bit counts) is refused up front, not
    a crash of the compiled code mid-scan."""
    from conftest import SAMPLES, run_main

    result = run_main(["scan", str(SAMPLES), option, str(2**64), "-q"])
    assert result.exit_code == 2 and option in result.stderr and "Traceback" not in result.stderr


def test_a_flag_set_in_the_file_is_switched_off_on_the_command_line(tmp_path: Path) -> None:
    from conftest import SAMPLES, run_main

    config = write(tmp_path / "flags.toml", "fail-on-duplicates = true\nquiet = true\nfollow-symlinks = true\n")
    on = run_main(["scan", str(SAMPLES), "--config", str(config)])
    assert on.exit_code == 1 and len(on.stdout.splitlines()) == 1  # both flags from the file
    off = run_main(["scan", str(SAMPLES), "--config", str(config), "--no-fail-on-duplicates", "--no-quiet",
                    "--no-follow-symlinks", "--format", "json"])
    assert off.exit_code == 0 and off.stdout.startswith("{")
    import json

    sources = json.loads(off.stdout)["config_sources"]
    assert sources["follow_symlinks"] == "command line" and json.loads(off.stdout)["config"]["follow_symlinks"] is False
