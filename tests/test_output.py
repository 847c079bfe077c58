"""Where the report goes and how a run ends: nothing to scan, closed pipes, full disks,
devices as --output, and a terminal that never receives an article's control characters
(issue 9, items 10 and 11, and "output failures")."""

from __future__ import annotations

import json
import os
import pty
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path
from typing import IO

import pytest
from conftest import SAMPLES, run_main, sample_text
from rich.console import Console

from dupefind import compare
from dupefind.report.terminal import pair_view, visible

PAIR = ("040_night_trains_return.txt", "041_overnight_train_comeback_spun.txt")


def dupefind(*args: str, stdout: IO[str]) -> subprocess.CompletedProcess[str]:
    """The real process, as a shell runs it, with its stdout sent to ``stdout``."""
    return subprocess.run([sys.executable, "-m", "dupefind", *args], text=True, check=False, stdout=stdout,
                          stderr=subprocess.PIPE)


@pytest.fixture
def big(tmp_path: Path) -> Path:
    """A planted copy among 1,000 short notes, 300 of them identical: reports (rich, JSON) far
    larger than a pipe's buffer."""
    folder = tmp_path / "big"
    folder.mkdir()
    for name in PAIR:
        shutil.copyfile(SAMPLES / name, folder / name)
    lines = (json.dumps({"id": f"note-{n:05d}", "text": "Out of stock." if n % 3 == 0 else f"Note {n}, item {n * 7}."})
             + "\n" for n in range(1000))
    (folder / "notes.jsonl").write_text("".join(lines), encoding="utf-8")
    return folder


def test_the_big_reports_do_not_fit_in_a_pipe(big: Path) -> None:
    """So that the closed-pipe test below really closes the pipe on a writer (64 KiB buffer)."""
    for fmt in ("rich", "json"):
        assert len(run_main(["scan", str(big), "--format", fmt, "-j", "1"], columns=100).stdout) > 4 * 65536


# --- nothing to scan -----------------------------------------------------------------------

@pytest.mark.parametrize("fail", [[], ["--fail-on-duplicates"]])
@pytest.mark.parametrize(("setup", "extra", "says"), [
    ("empty", [], "no file under {folder} (empty folder"),
    ("hidden", [], "no file under {folder} (empty folder, or only hidden files)"),
    ("articles", ["--include", "*.html"], "no file under {folder} matched --include '*.html'"),
    ("articles", ["--exclude", "*.txt"], "or only hidden files or excluded by --exclude"),
    ("code", [], "every file under {folder} was ignored by its type (2 file(s): .py .toml)"),
])
def test_nothing_to_scan_exits_2_saying_why(tmp_path: Path, setup: str, extra: list[str], says: str,
                                            fail: list[str]) -> None:
    folder = tmp_path / setup
    folder.mkdir()
    if setup == "hidden":
        (folder / ".draft.txt").write_text(sample_text(PAIR[0]), encoding="utf-8")
    elif setup == "articles":
        for name in PAIR:
            shutil.copyfile(SAMPLES / name, folder / name)
    elif setup == "code":
        (folder / "tool.py").write_text("print('hello')\n", encoding="utf-8")
        (folder / "pyproject.toml").write_text("[project]\n", encoding="utf-8")
    result = run_main(["scan", str(folder), *extra, *fail])
    assert result.exit_code == 2, result.stdout
    assert result.stdout == ""
    assert result.stderr.startswith("Error: nothing to scan")
    assert says.format(folder=folder) in result.stderr


# --- a reader that stops early ----------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["rich", "json"])
@pytest.mark.parametrize("fail", [True, False])
def test_closed_pipe_ends_quietly_with_the_scans_exit_code(big: Path, fmt: str, fail: bool) -> None:
    """``dupefind scan ... | head``: no traceback, no "Exception ignored" at exit, and the exit
    code still says what the scan found (1: copies, with --fail-on-duplicates; 0 without)."""
    process = subprocess.Popen([sys.executable, "-m", "dupefind", "scan", str(big), "--format", fmt,
                                *(["--fail-on-duplicates"] if fail else []), "-j", "1"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, "COLUMNS": "100"})
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.read(100)
    process.stdout.close()
    error = process.stderr.read().decode()
    assert process.wait(timeout=120) == (1 if fail else 0), error
    assert error == ""


def test_a_terminal_that_is_not_utf8_gets_escapes_not_a_traceback() -> None:
    done = subprocess.run([sys.executable, "-m", "dupefind", "scan", str(SAMPLES / PAIR[0]), str(SAMPLES / PAIR[1]),
                           "-j", "1"], capture_output=True, check=False,
                          env={**os.environ, "PYTHONIOENCODING": "ascii", "COLUMNS": "100"})
    assert (done.returncode, done.stderr) == (0, b"")
    out = done.stdout.decode("ascii")
    assert "040_night_trains_return.txt  \\u2194  " in out and "1 pair in 1 cluster" in out


# --- writing fails -----------------------------------------------------------------------------

needs_dev_full = pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full here")


@needs_dev_full
def test_full_disk_on_stdout_is_a_clear_error(big: Path) -> None:
    with open("/dev/full", "w") as full:
        done = dupefind("scan", str(big), "--format", "json", "-j", "1", stdout=full)
    assert done.returncode == 2
    assert done.stderr == "Error: cannot write the report to standard output: No space left on device\n"


@needs_dev_full
@pytest.mark.parametrize("device", ["/dev/null", "/dev/full"])
def test_output_to_a_device_is_written_into_never_replaced(big: Path, device: str) -> None:
    """``-o /dev/null`` is written into; renaming a temporary file over it (as a regular report
    is written) would replace the device node itself when run as root."""
    result = run_main(["scan", str(big), "-o", device, "--format", "json", "-j", "1"])
    assert stat.S_ISCHR(os.stat(device).st_mode)
    if device == "/dev/null":
        assert result.exit_code == 0, result.stderr
    else:
        assert result.exit_code == 2
        assert result.stderr == "Error: cannot write the report to /dev/full: No space left on device\n"


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links need privileges there")
def test_an_output_that_is_a_symbolic_link_is_written_through(tmp_path: Path) -> None:
    """``-o report.json`` where ``report.json`` links to a file elsewhere writes that file, as the
    shell's ``>`` does; the temporary file was renamed onto the link, which became a copy and
    left the file it pointed to as it was (also ``--format parquet``, ``dedup``'s outputs)."""
    pair = tmp_path / "in"
    pair.mkdir()
    for name in ("040_night_trains_return.txt", "041_overnight_train_comeback_spun.txt"):
        shutil.copyfile(SAMPLES / name, pair / name)
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "report.json").write_text("last week's report\n", encoding="utf-8")
    runs = {"report.json": ["scan", str(pair), "--format", "json"], "pairs.parquet": ["scan", str(pair)],
            "kept.jsonl": ["dedup", str(pair), "--removed", str(tmp_path / "removed.jsonl")]}
    for name, args in runs.items():
        link = tmp_path / name
        link.symlink_to(shared / name)  # (pairs.parquet and kept.jsonl: links to files not made yet)
        result = run_main([*args, "-o", str(link), "-j", "1", "-q"])
        assert result.exit_code == 0, result.stderr
        assert link.is_symlink() and os.readlink(link) == str(shared / name)
    assert json.loads((shared / "report.json").read_text(encoding="utf-8"))["summary"]["pairs"] == 1
    assert (shared / "pairs.parquet").read_bytes().startswith(b"PAR1")
    assert len((shared / "kept.jsonl").read_text(encoding="utf-8").splitlines()) == 1


FILE_SIZE_LIMIT = """
import resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG instead
resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))
from dupefind.cli import main
sys.argv = ["dupefind", *sys.argv[1:]]
main()
"""


@pytest.mark.skipif(sys.platform == "win32", reason="file size limits are POSIX")
@pytest.mark.parametrize("existing", [False, True])
def test_a_write_that_fails_leaves_no_partial_file(big: Path, tmp_path: Path, existing: bool) -> None:
    """A disk that fills up while the report is written (here: a 4 KB file size limit): a clear
    error, no partial report, and an earlier report at that path left as it was."""
    out = tmp_path / "out" / "report.json"
    out.parent.mkdir()
    if existing:
        out.write_text("earlier report\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", FILE_SIZE_LIMIT, "scan", str(big), "--format", "json", "-j", "1",
                           "-o", str(out)], capture_output=True, text=True, check=False)
    assert done.returncode == 2
    assert done.stderr == f"Error: cannot write the report to {out}: File too large\n"
    assert [p.name for p in out.parent.iterdir()] == (["report.json"] if existing else [])
    if existing:
        assert out.read_text(encoding="utf-8") == "earlier report\n"


def test_output_folder_that_cannot_be_written_fails_before_scanning(big: Path, tmp_path: Path) -> None:
    target = "/proc/dupefind-report.json" if os.path.isdir("/proc") else None
    if target is None:
        pytest.skip("no read-only folder to write into")
    result = run_main(["scan", str(big), "-o", target])
    assert result.exit_code == 2
    assert "Invalid value for '--output': cannot write in /proc" in result.stderr
    assert result.stdout == ""


# --- the terminal ---------------------------------------------------------------------------

HOSTILE = ("\x1b[31mred alert\x1b[0m and \x1b]0;owned title\x07 then \x9b2J a bell \x07, a backspace \x08, "
           "a lone \rreturn, a tab\tand a DEL \x7f. ")


def test_visible_escapes_every_control_but_newline_and_tab() -> None:
    assert visible("plain text\n\twith [b]markup[/b] ☕") == "plain text\n\twith [b]markup[/b] ☕"
    assert visible(HOSTILE) == (
        "\\x1b[31mred alert\\x1b[0m and \\x1b]0;owned title\\x07 then \\x9b2J a bell \\x07, a backspace \\x08, "
        "a lone \\rreturn, a tab\tand a DEL \\x7f. ")
    assert visible("windows line\r\nend") == "windows line\r\nend"  # Rich prints a CRLF as a line end


def test_control_characters_in_articles_and_ids_never_reach_the_terminal(tmp_path: Path) -> None:
    """Escape sequences inside an article and inside ids are shown escaped in the rich report,
    even with colours on: the only ESC bytes written are Rich's own colour codes."""
    article = sample_text(PAIR[0])
    copy = article.replace("\n\n", f"\n\n{HOSTILE}\n\n", 2)
    lines = [json.dumps({"id": "\x1b]0;id title\x07a", "text": article + HOSTILE}),
             json.dumps({"id": "b\x1b[2J", "text": copy})]
    (tmp_path / "docs.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "empty\x1b[5m.txt").write_text("", encoding="utf-8")
    plain = run_main(["scan", str(tmp_path), "--max-chars", "0"]).stdout
    plain = re.sub(r"\[-|-\]|\{\+|\+\}", "", plain)  # without the plain marks of the words that differ
    pair = compare(article + HOSTILE, copy, id_a="\x1b]0;id title\x07a", id_b="b\x1b[2J")
    console = Console(width=100, force_terminal=True, color_system="truecolor", record=False,
                      file=open(os.devnull, "w"))  # noqa: SIM115  # closed below
    with console.capture() as captured:
        console.print(pair_view(pair))
    console.file.close()
    coloured = captured.get()
    assert "\\x1b]0;id title\\x07a" in plain and "b\\x1b[2J" in plain and "empty\\x1b[5m.txt" in plain
    assert "red alert\\x1b[0m and \\x1b]0;owned title\\x07" in plain and "\\x9b2J" in plain
    for out in (plain, re.sub(r"\x1b\[[0-9;]*m", "", coloured)):  # Rich's own SGR colour codes
        assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", out), repr(out[:200])
    assert "\\x1b]0;id title\\x07a" in re.sub(r"\x1b\[[0-9;]*m", "", coloured)


@pytest.mark.parametrize("width", [40, 60, 80, 100, 160])
def test_a_pair_view_names_both_ids_whole_at_every_width(width: int) -> None:
    """Ids are folded onto more lines when the terminal is narrow, never cut: they name files."""
    long_a, long_b = "reports/2026/" + "a" * 30 + "_community_garden.txt", "b" * 45 + "_repost.txt"
    pair = compare(sample_text(PAIR[0]), sample_text(PAIR[1]), id_a=long_a, id_b=long_b)
    console = Console(width=width, file=open(os.devnull, "w"), color_system=None)  # noqa: SIM115  # closed below
    with console.capture() as captured:
        console.print(pair_view(pair, max_passages=1, max_chars=50))
    console.file.close()
    lines = captured.get().splitlines()
    assert all(len(line) <= width for line in lines)
    heading = "".join(line.strip() for line in lines[: next(i for i, line in enumerate(lines) if "copy:" in line)])
    assert f"{long_a}  ↔  {long_b}".replace(" ", "") in heading.replace(" ", "")
    top = next(i for i, line in enumerate(lines) if line.startswith("┌"))
    head = lines[top + 1 : next(i for i in range(top, len(lines)) if lines[i].startswith("├"))]
    for side, (letter, name) in enumerate((("A", long_a), ("B", long_b))):  # each column's head, read down
        assert "".join(line.split("│")[side + 1].strip() for line in head).replace(" ", "") == letter + name
    assert "…" not in heading


ESCAPE = "\x1b["


@pytest.mark.parametrize(("color", "coloured"), [("auto", False), ("always", True), ("never", False)])
def test_color_option_colours_a_pipe_and_an_output_file_only_when_asked(tmp_path: Path, color: str,
                                                                         coloured: bool) -> None:
    args = ["scan", str(SAMPLES), "--top", "1", "--max-passages", "1", "--color", color]
    piped = run_main(args)
    assert piped.exit_code == 0 and (ESCAPE in piped.stdout) == coloured
    assert "\n".join(line.rstrip() for line in piped.stdout.splitlines()[:1]).startswith(
        "\x1b[1mdupefind  \x1b[0m20 documents" if coloured else "dupefind  20 documents")
    written = run_main([*args, "-o", str(tmp_path / "report.txt")])
    assert written.exit_code == 0 and (ESCAPE in (tmp_path / "report.txt").read_text(encoding="utf-8")) == coloured
    compared = run_main(["compare", str(SAMPLES / PAIR[0]), str(SAMPLES / PAIR[1]), "--color", color])
    assert (ESCAPE in compared.stdout) == coloured
    assert ESCAPE not in run_main(["scan", str(SAMPLES), "--top", "1"]).stdout  # the choice ends with its command


# --- live progress never draws over the report ------------------------------------------------

def on_a_terminal_stderr(args: list[str], *, stdout: IO[str] | None = None) -> str:
    """Run the real process with stderr on a pseudo-terminal and stdout sent to ``stdout`` (not
    a terminal: a pipe to ``less`` as far as the process can tell), or to the terminal too
    when None; what the terminal got."""
    master, slave = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "dupefind", *args], stdout=slave if stdout is None else stdout,
                               stderr=slave)
    os.close(slave)
    got = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # (EIO: the process has closed the terminal)
            break
        if not chunk:
            break
        got += chunk
    os.close(master)
    assert process.wait(timeout=120) in (0, 3), got
    return got.decode("utf-8", "replace")


def test_progress_stays_off_a_terminal_that_a_pager_reads(tmp_path: Path) -> None:
    """``dupefind scan . | less -R``: stderr is the terminal the pager has taken over, so live
    progress (scanning, then drawing a long report) would draw over it; with the report in a
    file it is shown."""
    notes = tmp_path / "notes.jsonl"  # 12 identical notes: a long report
    notes.write_text("".join(json.dumps({"id": f"n{k}", "text": "Out of stock."}) + "\n" for k in range(12)),
                     encoding="utf-8")
    args = ["scan", str(notes), "-j", "1"]
    with open(tmp_path / "piped.txt", "w", encoding="utf-8") as piped:
        said = on_a_terminal_stderr(args, stdout=piped)
    assert "\x1b[" not in said and "drawing the report" not in said
    assert "Pairs, most similar first" in (tmp_path / "piped.txt").read_text(encoding="utf-8")
    with open(os.devnull, "w", encoding="utf-8") as null:
        said = on_a_terminal_stderr([*args, "-o", str(tmp_path / "report.txt")], stdout=null)
    assert "reading and fingerprinting" in said


def test_without_colour_the_words_that_differ_are_marked_in_plain_text() -> None:
    """Piped, in a file or under ``--color never``, ``Night Train`` and ``Overnight Train``
    looked the same: nothing marked the words that differ."""
    pair = compare(sample_text(PAIR[0]), sample_text(PAIR[1]))
    shown = {}
    for name, options in (("plain", {"color_system": None}), ("no_color", {"force_terminal": True, "no_color": True}),
                          ("colour", {"force_terminal": True, "color_system": "truecolor"})):
        console = Console(width=100, file=open(os.devnull, "w"), **options)  # type: ignore[arg-type]  # noqa: SIM115  # closed below
        with console.capture() as captured:
            console.print(pair_view(pair, max_passages=1, max_chars=300))
        console.file.close()
        shown[name] = captured.get()
    for name in ("plain", "no_color"):
        assert "The [-Quiet Return-] of the [-Night-] Train" in re.sub(r"\x1b\[[0-9;]*m", "", shown[name])
        assert "{+Overnight+}" in re.sub(r"\x1b\[[0-9;]*m", "", shown[name])
    assert ESCAPE not in shown["plain"]
    assert "[-Night-]" not in shown["colour"] and "Overnight" in shown["colour"] and ESCAPE in shown["colour"]


def test_color_never_writes_no_escape_code_on_a_terminal() -> None:
    """``--color never`` on a terminal still wrote bold, dim and italic (283 SGR sequences)."""
    said = on_a_terminal_stderr(["compare", str(SAMPLES / PAIR[0]), str(SAMPLES / PAIR[1]), "--color", "never"])
    assert "{+Overnight+}" in said and "\x1b" not in said
