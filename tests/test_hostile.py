"""A hostile folder, as real machines hold them: special files, link loops, dangling links, an
unreadable folder, names that are not UTF-8, empty, binary and huge files, every common
encoding, broken and huge JSONL lines, markup and escape sequences inside articles (issue 9).

A scan of it must raise nothing and never block, give a reason for every input it skips, write
reports that are valid UTF-8 (the JSON one valid under the schema), still find the copies
planted among the junk, and leave every input exactly as it was.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import re
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import run_main, sample_text, validate_report
from rich.console import Console

import dupefind
from dupefind import Config, Report
from dupefind.models import Skipped
from dupefind.report import report_json, report_jsonl
from dupefind.report.html import report_html
from dupefind.report.terminal import report_view
from dupefind.sources import load_text, plan_reading, read_unit
from dupefind.walk import NotRegularFile, shown_name

ROOT = os.geteuid() == 0 if hasattr(os, "geteuid") else False
#: An escape sequence that colours text red, one that sets the terminal's title (left open),
#: a C1 control, a bell, Rich markup and HTML.
ESCAPES = ("Warning \x1b[31mred text\x1b[0m and \x1b]0;title set by an article then \x9b2J and a bell \x07. "
           "[bold]Rich markup[/bold] and <script>alert('html')</script> &amp; stay text.")
HUGE_BYTES = 50 * 2**20


def _write(path: Path, data: bytes | str, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode(encoding))
    return path


def _random_words(source: str, count: int, seed: int) -> str:
    """``count`` words drawn from one article: English-looking, copied from nothing."""
    words = source.split()
    return " ".join(random.Random(seed).choices(words, k=count))


def _huge_file(path: Path, source: str) -> None:
    """A 50 MB text file, written cheaply: one 1 MB run of random words, repeated."""
    block = (_random_words(source, 180_000, seed=50) + "\n").encode()[: 2**20 - 1] + b"\n"
    with open(path, "wb") as handle:
        for _ in range(HUGE_BYTES // len(block)):
            handle.write(block)


def build_tree(root: Path) -> dict[str, str]:
    """The hostile tree under ``root``; returns the skipped paths (relative) and a piece of the
    reason each must give."""
    unrelated = sample_text("012_allotment_waiting_lists.txt")
    # Planted copies, each among junk.
    _write(root / "040_night_trains_return.txt", sample_text("040_night_trains_return.txt"))
    _write(root / os.fsdecode(b"spun \xff\xfe copy.txt"), sample_text("041_overnight_train_comeback_spun.txt"))
    accented = sample_text("010_elm_street_community_garden.txt") + "\nCaf\u00e9 cr\u00e8me, na\u00efve gar\u00e7on.\n"
    _write(root / "enc" / "latin1.txt", accented, "latin-1")
    _write(root / "enc" / "utf16-no-bom.txt", accented, "utf-16-le")
    curly = sample_text("053_carers_drop_in_opens.txt").replace("'", "\u2019") + "\n\u201cWelcome,\u201d she said.\n"
    _write(root / "enc" / "cp1252.txt", curly, "cp1252")
    _write(root / "enc" / "utf8-bom.md", curly, "utf-8-sig")
    cycling = sample_text("060_winter_cycle_commuting.txt")
    _write(root / "enc" / "utf16-bom.txt", cycling, "utf-16")
    tidal = sample_text("020_tidal_power_explainer.txt")
    _write(root / "markup" / "escapes.txt", tidal.replace("\n\n", f"\n\n{ESCAPES}\n\n", 3))
    paragraphs = "".join(f"<p>{p}</p>\n" for p in tidal.split("\n\n"))
    _write(root / "markup" / "copy.html", f"<html><body><script>alert(1)</script><article>{paragraphs}</article>")
    _write(root / os.fsdecode(b"folder \xe9") / "inner.txt", sample_text("013_how_to_start_a_community_garden.txt"))
    # JSONL: one copy, broken lines, a huge record and a huge broken line, odd ids.
    lines = [
        json.dumps({"id": "jsonl-cycling", "text": cycling}).encode(),
        b'{"id": "broken", "text": "no closing quote',
        b"[1, 2, 3]",
        b'{"id": "latin", "text": "caf\xe9 au lait"}',
        json.dumps({"id": "huge-record", "text": _random_words(unrelated, 200_000, seed=3)}).encode(),
        b'{"id": "huge-broken", "text": "' + b"word " * 400_000,
        json.dumps({"id": "\x1b]0;id sets title\x07", "text": "A short record with \x1b[31m escapes."}).encode(),
        b'{"id": "half \\ud800 surrogate", "text": "lone \\udc80 halves"}',
        b"",
        json.dumps({"id": "no-text", "body": "elsewhere"}).encode(),
    ]
    _write(root / "docs.jsonl", b"\n".join(lines) + b"\n")
    # Junk.
    junk = root / "junk"
    junk.mkdir()
    os.mkfifo(junk / "pipe.txt")
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(junk / "sock.txt"))
    (junk / "loop1.txt").symlink_to("loop2.txt")
    (junk / "loop2.txt").symlink_to("loop1.txt")
    (junk / "here").symlink_to("..", target_is_directory=True)  # a link back inside: passed over
    (junk / "gone.txt").symlink_to("../nowhere.txt")
    _write(junk / "empty.txt", b"")
    _write(junk / "blank.md", b"  \n\t \r\n")
    _write(junk / "nul.txt", b"Some text \x00 with a NUL byte in it. " * 20)
    _huge_file(junk / "huge.txt", unrelated)
    _write(junk / "notes.pdf", b"%PDF-1.4 binary")
    _write(junk / "tool.py", "print('not an article')\n")
    try:  # a device node (the null device's numbers), where this user may make one
        os.mknod(junk / "device.txt", stat.S_IFCHR | 0o600, os.makedev(1, 3))
        devices = {"junk/device.txt": "character device: not a regular file, not read"}
    except (OSError, AttributeError):
        devices = {}
    skipped = {
        "junk/pipe.txt": "named pipe (FIFO): not a regular file, not read",
        "junk/sock.txt": "socket: not a regular file, not read",
        "junk/loop1.txt": "symbolic link loop",
        "junk/loop2.txt": "symbolic link loop",
        "junk/gone.txt": "dangling link to ../nowhere.txt",
        "junk/empty.txt": "empty file",
        "junk/blank.md": "empty file",
        "junk/nul.txt": "binary file (contains NUL bytes)",
        "docs.jsonl:2": "malformed JSON",
        "docs.jsonl:3": "not a JSON object",
        "docs.jsonl:4": "line is not UTF-8",
        "docs.jsonl:6": "malformed JSON",
        "docs.jsonl:10": "no field 'text' (fields: body, id)",
        **devices,
    }
    if not ROOT:  # root reads any folder: this part is tested in a subprocess or by simulation
        locked = _write(junk / "locked" / "secret.txt", "never read").parent
        locked.chmod(0)
        skipped["junk/locked"] = "cannot list folder: Permission denied"
    return skipped


PLANTED = {
    ("040_night_trains_return.txt", "spun \\xff\\xfe copy.txt"),
    ("enc/latin1.txt", "enc/utf16-no-bom.txt"),
    ("enc/cp1252.txt", "enc/utf8-bom.md"),
    ("enc/utf16-bom.txt", "jsonl-cycling"),
    ("markup/copy.html", "markup/escapes.txt"),
}


def tree_state(root: Path) -> dict[str, tuple[object, ...]]:
    """Every entry under ``root`` (links not followed): its type and permissions, and for a
    file its size, modification time and content hash, for a link its target."""
    state: dict[str, tuple[object, ...]] = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = os.path.join(folder, name)
            info = os.lstat(path)
            entry: tuple[object, ...] = (info.st_mode,)
            if stat.S_ISREG(info.st_mode):
                with open(path, "rb") as handle:
                    entry += (info.st_size, info.st_mtime_ns, hashlib.file_digest(handle, "sha256").hexdigest())
            elif stat.S_ISLNK(info.st_mode):
                entry += (os.readlink(path),)
            state[os.path.relpath(path, root)] = entry
    return state


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, dict[str, str]]]:
    root = tmp_path_factory.mktemp("hostile")
    skipped = build_tree(root)
    yield root, skipped
    locked = root / "junk" / "locked"
    if locked.exists():
        locked.chmod(0o755)  # so that pytest can remove it


@pytest.fixture(scope="module")
def library_report(tree: tuple[Path, dict[str, str]]) -> Report:
    root, _ = tree
    signal.alarm(120)  # no_hang's handler is not in place at module scope: the default ends the run
    try:
        return dupefind.scan([str(root)], Config(jobs=1))
    finally:
        signal.alarm(0)


def relative(root: Path, path: str) -> str:
    return path.removeprefix(shown_name(str(root)) + "/")


def test_the_scan_finds_the_planted_copies_and_says_why_it_skipped_each_input(
        tree: tuple[Path, dict[str, str]], no_hang: None) -> None:
    """The command as a user runs it (worker processes, JSON on stdout): exit 3 (inputs were
    skipped), nothing on stderr, a report that is valid UTF-8 and valid under the schema."""
    root, expected_skips = tree
    before = tree_state(root)
    done = subprocess.run([sys.executable, "-m", "dupefind", "scan", str(root), "--format", "json", "-j", "2"],
                          capture_output=True, timeout=300, check=False)
    assert done.stderr == b""
    assert done.returncode == 3
    data = json.loads(done.stdout.decode("utf-8"))  # strict: the bytes are UTF-8
    validate_report(data)
    pairs = {tuple(sorted((relative(root, p["a"]), relative(root, p["b"])))) for p in data["pairs"]}
    assert pairs == PLANTED
    skipped = {relative(root, s["path"]): s["reason"] for s in data["skipped"]}
    assert set(skipped) == set(expected_skips)
    for path, reason in expected_skips.items():
        assert reason in skipped[path], (path, skipped[path])
    assert {relative(root, s["path"]) for s in data["ignored"]} == {"junk/notes.pdf", "junk/tool.py"}
    assert all(s["reason"] for s in data["skipped"] + data["ignored"])
    ids = {relative(root, d["id"]) for d in data["documents"]}
    assert {"junk/huge.txt", "huge-record", "folder \\xe9/inner.txt", "half \ufffd surrogate",
            "\x1b]0;id sets title\x07"} <= ids
    huge = next(d for d in data["documents"] if d["id"].endswith("junk/huge.txt"))
    assert huge["chars"] >= HUGE_BYTES - 2**20
    assert tree_state(root) == before


def test_every_report_format_is_valid_utf8_and_safe(library_report: Report, no_hang: None) -> None:
    report = library_report
    for text in (report_json(report), report_jsonl(report), report_html(report)):
        text.encode("utf-8")  # no lone surrogate from a file name can reach a report
    page = report_html(report)
    # Article text is data for the page's script, JSON with < > & escaped (report/html/data.py).
    assert "<script>alert" not in page and "\\u003cscript\\u003ealert('html')\\u003c/script\\u003e" in page
    console = Console(width=100, force_terminal=True, color_system="truecolor", file=open(os.devnull, "w"))  # noqa: SIM115
    with console.capture() as captured:
        console.print(report_view(report, max_passages=0, max_chars=0))
    console.file.close()
    shown = re.sub(r"\x1b\[[0-9;]*m", "", captured.get())  # Rich's own colour codes
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", shown)
    shown.encode("utf-8")
    assert "\\x1b]0;title set by an article" in shown and "[bold]Rich markup[/bold]" in shown
    assert "\\xff\\xfe" in shown  # the name's bytes that are not UTF-8


def test_library_scan_gives_the_same_answer_in_one_process(library_report: Report,
                                                            tree: tuple[Path, dict[str, str]]) -> None:
    root, expected_skips = tree
    pairs = {tuple(sorted((relative(root, p.a), relative(root, p.b)))) for p in library_report.pairs}
    assert pairs == PLANTED
    assert {relative(root, s.path) for s in library_report.skipped} == set(expected_skips)


def test_following_links_out_of_the_folder_ends(tmp_path: Path, no_hang: None) -> None:
    """With --follow-symlinks, links that lead out and back in, or round in a ring, still end:
    every folder is walked once."""
    outside = _write(tmp_path / "outside" / "article.txt", sample_text("040_night_trains_return.txt")).parent
    scanned = _write(tmp_path / "scanned" / "own.txt", sample_text("041_overnight_train_comeback_spun.txt")).parent
    (scanned / "out").symlink_to(outside, target_is_directory=True)
    (outside / "back").symlink_to(scanned, target_is_directory=True)
    (outside / "again").symlink_to(outside, target_is_directory=True)
    (scanned / "ring1").symlink_to("ring2")
    (scanned / "ring2").symlink_to("ring1")
    result = run_main(["scan", str(scanned), "--follow-symlinks", "--format", "json"])
    assert result.exit_code == 3, result.stderr
    data = json.loads(result.stdout)
    assert [d["id"] for d in data["documents"]] == [f"{scanned}/out/article.txt", f"{scanned}/own.txt"]
    reasons = {relative(scanned, s["path"]): s["reason"] for s in data["skipped"]}
    assert set(reasons) == {"out/again", "ring1", "ring2"}  # out/back leads inside: passed over
    assert "already scanned" in reasons["out/again"]
    assert "symbolic link loop" in reasons["ring1"]


def test_a_fifo_swapped_in_after_the_walk_is_refused_without_blocking(tmp_path: Path, no_hang: None) -> None:
    """Between the walk and the read a regular file may become a FIFO: opened without
    blocking, it is refused, both on the first read and when it is re-read."""
    path = _write(tmp_path / "article.txt", sample_text("040_night_trains_return.txt"))
    [unit] = plan_reading([str(tmp_path)])
    assert not isinstance(unit, Skipped)
    [record] = read_unit(unit)
    assert not isinstance(record, Skipped)
    path.unlink()
    os.mkfifo(path)
    [skipped] = read_unit(unit)
    assert skipped == Skipped(str(path), "cannot read: named pipe (FIFO), not a regular file")
    with pytest.raises(NotRegularFile):
        load_text(record.location)
    jsonl = _write(tmp_path / "docs.jsonl", json.dumps({"id": "a", "text": "one"}) + "\n")
    [piece] = plan_reading([str(jsonl)])
    assert not isinstance(piece, Skipped)
    jsonl.unlink()
    os.mkfifo(jsonl)
    assert list(read_unit(piece)) == [Skipped(str(jsonl), "cannot read: named pipe (FIFO), not a regular file")]


def test_a_fifo_named_on_the_command_line_is_skipped(tmp_path: Path, no_hang: None) -> None:
    os.mkfifo(tmp_path / "pipe.jsonl")
    result = run_main(["scan", str(tmp_path / "pipe.jsonl")])
    assert result.exit_code == 2
    assert "named pipe (FIFO): not a regular file, not read (read JSONL from a pipe with '-')" in result.stderr


def test_a_folder_that_cannot_be_listed_is_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """As root every folder can be listed, so the refusal is simulated here; the tree above
    holds a real one when the tests do not run as root."""
    _write(tmp_path / "open" / "article.txt", sample_text("040_night_trains_return.txt"))
    _write(tmp_path / "locked" / "secret.txt", sample_text("041_overnight_train_comeback_spun.txt"))
    real_scandir = os.scandir

    def scandir(path: str | int) -> object:  # (also given a folder's descriptor: rmtree lists by fd)
        if isinstance(path, str) and os.path.basename(path) == "locked":
            raise PermissionError(13, "Permission denied", path)
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    report = dupefind.scan([str(tmp_path)], Config(jobs=1))
    assert [d.id for d in report.documents] == [f"{tmp_path}/open/article.txt"]
    assert report.skipped == (Skipped(f"{tmp_path}/locked", "cannot list folder: Permission denied"),)


def _runs_as_nobody() -> bool:
    """Whether this Python can run as the unprivileged user ``nobody`` (root only)."""
    if not ROOT or shutil.which("runuser") is None:
        return False
    probe = subprocess.run(["runuser", "-u", "nobody", "--", sys.executable, "-c", "import dupefind"],
                           capture_output=True, check=False)
    return probe.returncode == 0


@pytest.mark.skipif(not ROOT, reason="not root: the hostile tree above holds a real unreadable folder")
def test_a_folder_nobody_may_list_is_skipped_for_nobody(no_hang: None) -> None:
    """Run as root, the real refusal is tested as the user ``nobody`` when this Python allows it."""
    if not _runs_as_nobody():
        pytest.skip("this Python cannot run as nobody (its install is private to root)")
    folder = Path(tempfile.mkdtemp(prefix="dupefind-nobody-"))
    try:
        folder.chmod(0o755)
        _write(folder / "article.txt", sample_text("040_night_trains_return.txt"))
        _write(folder / "locked" / "secret.txt", sample_text("041_overnight_train_comeback_spun.txt"))
        (folder / "locked").chmod(0)
        done = subprocess.run(["runuser", "-u", "nobody", "--", sys.executable, "-m", "dupefind", "scan",
                               str(folder), "--format", "json"], capture_output=True, text=True, timeout=300,
                              check=False, env={**os.environ, "NUMBA_CACHE_DIR": str(folder / ".cache")})
        assert done.returncode == 3, done.stderr
        skipped = json.loads(done.stdout)["skipped"]
        assert skipped == [{"path": f"{folder}/locked", "reason": "cannot list folder: Permission denied"}]
    finally:
        (folder / "locked").chmod(0o755)
        shutil.rmtree(folder)


@pytest.mark.skipif(not os.path.isdir("/proc/1"), reason="no /proc here")
def test_scanning_proc_is_a_skip_not_a_traceback(no_hang: None) -> None:
    """/proc/1 holds links that cannot be followed and folders that cannot be listed (unless
    run with every privilege); nothing in it is an article."""
    result = run_main(["scan", "/proc/1", "--format", "json"])
    # Its files have no extension: those that hold text (status, limits) are read as text, the
    # rest skipped with reasons (exit 3); with nothing readable, nothing to scan (exit 2).
    assert result.exit_code in (2, 3), result.stdout[:500]
    if result.exit_code == 2:
        assert result.stderr.startswith("Error: nothing to scan")
    else:
        assert json.loads(result.stdout)["summary"]["skipped"] > 0
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("closed", [(2,), (0, 1, 2)], ids=["stderr", "all"])
def test_closed_standard_streams_end_nothing(tmp_path: Path, closed: tuple[int, ...], no_hang: None) -> None:
    """A scan started with standard streams closed (``>&-``, ``2>&-``, a daemon's) runs to its
    end with its worker processes (which died on their first look at standard error) and
    writes its report; what went to a closed stream is lost, as it would have been."""
    folder = tmp_path / "in"
    folder.mkdir()
    for k in range(300):  # more pieces than one task holds: worker processes are started
        (folder / f"{k:03d}.txt").write_text(f"Note {k}. " + sample_text("040_night_trains_return.txt")[: 300 + k],
                                             encoding="utf-8")
    out = tmp_path / "report.json"

    def close() -> None:
        for fd in closed:
            os.close(fd)

    done = subprocess.run([sys.executable, "-m", "dupefind", "scan", str(folder), "--format", "json", "-j", "2",
                           "-o", str(out)], preexec_fn=close, timeout=300, check=False)
    assert done.returncode == 0
    report = json.loads(out.read_text(encoding="utf-8"))
    assert len(report["documents"]) == 300 and report["pairs"]


@pytest.mark.parametrize(("args", "code"), [(["--format", "json"], 2), ([], 2), (["-q"], 0), (["-q", "--format", "csv"], 2)])
def test_a_report_for_a_closed_stdout_is_refused_not_lost(args: list[str], code: int, no_hang: None) -> None:
    """``dupefind scan . >&-``: the report would be lost and the exit code say all went well;
    it is refused before the scan (2, saying why). ``-q`` wants the exit code alone: it runs."""
    from conftest import SAMPLES

    done = subprocess.run([sys.executable, "-m", "dupefind", "scan", str(SAMPLES), *args], stderr=subprocess.PIPE,
                          text=True, preexec_fn=lambda: os.close(1), timeout=300, check=False)
    assert done.returncode == code, done.stderr
    assert ("standard output is closed" in done.stderr) == (code == 2) and "Traceback" not in done.stderr


@pytest.mark.parametrize("command", [["scan"], ["dedup", "-o", "KEPT"], ["index", "add", "INDEX"],
                                     ["index", "check", "INDEX"]])
def test_reading_a_closed_stdin_is_refused_not_taken_for_an_empty_one(tmp_path: Path, command: list[str],
                                                                       no_hang: None) -> None:
    """``dupefind scan - folder <&-`` read no record from ``-`` and exited 0, as if all was read;
    it is refused before the scan (2, saying why), and nothing is written."""
    from conftest import SAMPLES

    args = [str(tmp_path / "k.jsonl") if a == "KEPT" else str(tmp_path / "i.index") if a == "INDEX" else a
            for a in command]
    if command[:2] == ["index", "check"]:
        assert subprocess.run([sys.executable, "-m", "dupefind", "index", "add", args[2], str(SAMPLES), "-q"],
                              timeout=300, check=False).returncode == 0
    done = subprocess.run([sys.executable, "-m", "dupefind", *args, "-", str(SAMPLES)], stderr=subprocess.PIPE,
                          stdout=subprocess.DEVNULL, text=True, preexec_fn=lambda: os.close(0), timeout=300,
                          check=False)
    assert done.returncode == 2, done.stderr
    assert "standard input is closed" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "k.jsonl").exists() and (command[:2] == ["index", "check"]) == (tmp_path / "i.index").exists()


@pytest.mark.parametrize("columns", ["0", "3", "100000"])
def test_the_terminal_report_keeps_a_sane_width(columns: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """``COLUMNS=0`` drew nothing at all, and ``COLUMNS=100000`` padded every line to 100,000
    characters: the report is drawn between 40 and 500 columns."""
    from conftest import SAMPLES

    monkeypatch.setenv("COLUMNS", columns)
    result = run_main(["scan", str(SAMPLES)])
    lines = result.stdout.splitlines()
    assert result.exit_code == 0 and len(lines) > 20
    assert max(len(line) for line in lines) <= 500
