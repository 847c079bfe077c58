"""Robustness of the engine: how the library is called, long and repeated documents, files that
change under the scan, compiled kernels without a writable cache."""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import REPO, SAMPLES, sample_files

import dupefind
from dupefind.parallel import IN_FLIGHT, WorkerError, Workers, ordered_map


def test_one_path_as_a_string_or_a_path_is_one_path(at_repo: Path) -> None:
    listed = dupefind.scan(["samples"])
    for one in ("samples", Path("samples"), [Path("samples")], ("samples",)):
        report = dupefind.scan(one)
        assert report.documents == listed.documents
        assert list(report.pairs) == list(listed.pairs)


@pytest.mark.parametrize("bad", [b"samples", 42, [b"samples"], [None]])
def test_anything_else_is_a_type_error(bad: object) -> None:
    with pytest.raises(TypeError, match="path"):
        dupefind.scan(bad)  # type: ignore[arg-type]  # the wrong type on purpose


# --- the library as a plain script; one pool of workers --------------------------------------

README_EXAMPLE = '''\
{preamble}import dupefind

report = dupefind.scan([{folder!r}], config=dupefind.Config(threshold=0.25, jobs=2))
for pair in report.pairs:                     # most similar first
    print(pair.a, pair.b, pair.similarity, pair.containment_a, pair.containment_b)
print(len(report.documents), report.clusters, report.skipped)
'''


def _corpus_folder(folder: Path, fillers: int) -> Path:
    """The samples (five planted pairs) among ``fillers`` unrelated little texts: enough files
    for the first pass to cut into several tasks (and so start worker processes)."""
    folder.mkdir()
    for name in sample_files():
        shutil.copy(SAMPLES / name, folder / name)
    rng = random.Random(7)
    words = [f"w{k}" for k in range(5000)]
    for k in range(fillers):
        (folder / f"filler{k:04d}.txt").write_text(" ".join(rng.choice(words) for _ in range(80)))
    return folder


@pytest.mark.parametrize("preamble", ["", "import multiprocessing\nmultiprocessing.set_start_method('spawn')\n"],
                         ids=["default", "spawn"])
def test_readme_example_runs_as_a_script_without_a_main_guard(tmp_path: Path, preamble: str) -> None:
    folder = _corpus_folder(tmp_path / "articles", 260)  # more than one task of the first pass
    script = tmp_path / "example.py"
    script.write_text(README_EXAMPLE.format(preamble=preamble, folder=str(folder)))
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=300,
                          cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 6  # five pairs, then the summary: printed once, not once per worker
    assert lines[-1].startswith(f"{260 + len(sample_files())} ")
    assert "Traceback" not in done.stderr


def _pid(task: int) -> tuple[int, int]:
    return task, os.getpid()


def _fail(task: int) -> int:
    if task == 5:
        raise ValueError("task five is bad")
    return task


@pytest.fixture(scope="module")
def workers() -> Iterator[Workers]:
    with Workers(2) as pool:
        yield pool


def test_one_pool_serves_every_map_in_order(workers: Workers) -> None:
    first = list(ordered_map(_pid, range(40), jobs=2, workers=workers))
    second = list(ordered_map(_pid, range(40), jobs=2, workers=workers))
    assert [t for t, _ in first] == [t for t, _ in second] == list(range(40))
    pids = {p for _, p in first}
    assert len(pids) == 2 and os.getpid() not in pids
    assert {p for _, p in second} == pids  # the same processes, not a pool per map


def test_tasks_in_flight_are_bounded(workers: Workers) -> None:
    pulled: list[int] = []

    def tasks() -> Iterator[int]:
        for k in range(100):
            pulled.append(k)
            yield k

    results = ordered_map(_pid, tasks(), jobs=2, workers=workers)
    for done, (task, _) in enumerate(results):
        assert task == done
        assert len(pulled) <= done + 1 + IN_FLIGHT * 2  # never all the tasks at once


def test_an_error_in_a_worker_reaches_the_caller_and_the_pool_recovers(workers: Workers) -> None:
    with pytest.raises(ValueError, match="task five is bad"):
        list(ordered_map(_fail, range(20), jobs=2, workers=workers))
    assert list(ordered_map(_fail, range(5), jobs=2, workers=workers)) == list(range(5))


def test_a_worker_that_dies_is_an_error_not_a_hang() -> None:
    with pytest.raises(WorkerError, match="ended without answering"):
        list(ordered_map(os._exit, [3, 3, 3, 3], jobs=2))


# --- compiled kernels without a writable install folder or home ------------------------------

READ_ONLY = '''\
import os, sys, tempfile
allowed = [a for a in sys.argv[1:2] if a]
real = tempfile.TemporaryFile
def guarded(*args, dir=None, **kwargs):
    # Only the folders in ``allowed`` can be written: the install folder (and every other) cannot.
    if dir is not None and not any(os.path.abspath(dir).startswith(a) for a in allowed):
        raise PermissionError(13, "Permission denied (read-only for this test)", str(dir))
    return real(*args, dir=dir, **kwargs)
tempfile.TemporaryFile = guarded
sys.argv = ["dupefind", *sys.argv[2:]]
from dupefind.cli import main
main()
'''


def _read_only_run(tmp_path: Path, writable: str, *args: str) -> subprocess.CompletedProcess[str]:
    script = tmp_path / "read_only.py"
    script.write_text(READ_ONLY)
    env = {k: v for k, v in os.environ.items() if k not in ("NUMBA_CACHE_DIR", "XDG_CACHE_HOME")}
    env.update(HOME=str(tmp_path / "home-is-a-file" / "home"), TMPDIR=str(tmp_path / "tmp"))
    (tmp_path / "home-is-a-file").touch()  # so no home folder can be made, even by root
    (tmp_path / "tmp").mkdir(exist_ok=True)
    return subprocess.run([sys.executable, str(script), writable, *args], capture_output=True, text=True,
                          env=env, timeout=600, cwd=REPO)


def test_kernels_cache_in_a_private_temporary_folder_when_nothing_else_is_writable(tmp_path: Path) -> None:
    temporary = str(tmp_path / "tmp")
    version = _read_only_run(tmp_path, temporary, "--version")
    assert version.returncode == 0, version.stderr
    assert "dupefind" in version.stdout
    first = _read_only_run(tmp_path, temporary, "scan", "samples/", "--format", "json", "--jobs", "1")
    assert first.returncode == 0, first.stderr
    assert "compiling the fast paths (once" in first.stderr  # a cold cache: the user is told
    cached = list((tmp_path / "tmp").glob("dupefind-numba-*/**/*.nbi"))
    assert cached, "the kernels were not cached in the temporary folder"
    second = _read_only_run(tmp_path, temporary, "scan", "samples/", "--format", "json", "--jobs", "1")
    assert second.returncode == 0, second.stderr
    assert "compiling" not in second.stderr  # warm: nothing said
    assert json.loads(second.stdout)["pairs"] == json.loads(first.stdout)["pairs"]


def test_kernels_run_uncached_when_no_folder_at_all_is_writable(tmp_path: Path) -> None:
    done = _read_only_run(tmp_path, "", "--version")
    assert done.returncode == 0, done.stderr
    assert "dupefind" in done.stdout and "Traceback" not in done.stderr
    assert not list((tmp_path / "tmp").glob("**/*.nbi"))
