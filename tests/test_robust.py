"""Robustness of the engine: how the library is called, long and repeated documents, files that
change under the scan, compiled kernels without a writable cache."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest
from conftest import REPO, SAMPLES, sample_files, sample_text
from hypothesis import given
from hypothesis import strategies as st

import dupefind
from dupefind import Config, jit, pipeline, verify
from dupefind.align import words as word_pass
from dupefind.align.sentence_kernels import sentence_products, similar_sentences
from dupefind.align.sentences import Fragment, _overlaps, _SeedIndex, _self_contained, _Spans
from dupefind.align.summary import LOOSE_COSINE
from dupefind.align.terms import Sentences, Vocabulary
from dupefind.align.vectors import BEST_SHARE, MAX_MATCHES, SEED_COSINE, SEED_DICE, SentencePair, _norms
from dupefind.parallel import IN_FLIGHT, WorkerError, Workers, ordered_map
from dupefind.pipeline import CHANGED
from dupefind.report import report_json
from dupefind.text import hash_words, tokenize


def test_one_path_as_a_string_or_a_path_is_one_path(at_repo: Path) -> None:
    listed = dupefind.scan(["samples"])
    for one in ("samples", Path("samples"), [Path("samples")], ("samples",)):
        report = dupefind.scan(one)
        assert report.documents == listed.documents
        assert list(report.pairs) == list(listed.pairs)


def test_two_scans_of_the_same_inputs_are_equal_reports(at_repo: Path) -> None:
    first, second = dupefind.scan("samples"), dupefind.scan("samples")
    assert first == second  # (their wall times are no part of it)


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


def test_workers_started_by_a_thread_outlive_it() -> None:
    """Workers end with the process that started them (Linux: PR_SET_PDEATHSIG, which fires
    when the starting *thread* ends); those a thread other than the main one started must
    outlive that thread, for the caller that keeps the pool."""
    import threading

    with Workers(2) as pool:
        first: list[tuple[int, int]] = []
        starter = threading.Thread(target=lambda: first.extend(ordered_map(_pid, range(6), jobs=2, workers=pool)))
        starter.start()
        starter.join()
        time.sleep(0.5)  # (a worker killed with its starting thread would be gone by now)
        again = list(ordered_map(_pid, range(6), jobs=2, workers=pool))
        assert [t for t, _ in again] == list(range(6)) and {p for _, p in again} == {p for _, p in first}


def test_a_worker_started_by_the_main_thread_ends_with_its_parent(tmp_path: Path) -> None:
    """A parent killed outright (a second Ctrl-C during its cleanup, SIGKILL) leaves no worker
    running on (Linux)."""
    if not sys.platform.startswith("linux"):
        pytest.skip("PR_SET_PDEATHSIG is Linux's")
    script = tmp_path / "parent.py"
    script.write_text(
        "import sys, time\n"
        "sys.path.insert(0, sys.argv[1])\n"
        "from test_robust import _pid\n"
        "from dupefind.parallel import Workers, ordered_map\n"
        "pool = Workers(2)\n"
        "pids = sorted({p for _, p in ordered_map(_pid, range(4), jobs=2, workers=pool)})\n"
        "print(*pids, flush=True)\n"
        "time.sleep(60)\n", encoding="utf-8")
    parent = subprocess.Popen([sys.executable, str(script), str(Path(__file__).parent)], stdout=subprocess.PIPE, text=True)
    assert parent.stdout is not None
    pids = [int(p) for p in parent.stdout.readline().split()]
    assert len(pids) == 2
    parent.kill()
    parent.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(p) for p in pids):
        time.sleep(0.1)
    assert not any(_alive(p) for p in pids)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat_file:
            return stat_file.read().split()[2] != "Z"  # (a zombie is gone, only not yet reaped)
    except OSError:
        return False


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


# --- groups of identical documents -----------------------------------------------------------

def _identical_corpus(path: Path, order: list[int]) -> Path:
    """30 identical copies of one article (one with other spacing and capitals), its spun copy
    and two unrelated articles, as JSONL records in the given order."""
    seed = sample_text("040_night_trains_return.txt")
    records = [{"id": f"copy-{k:02d}", "text": seed} for k in range(30)]
    records[17]["text"] = seed.upper().replace(" ", "  ")  # the same words, another text
    records += [{"id": "spun", "text": sample_text("041_overnight_train_comeback_spun.txt")},
                {"id": "other-1", "text": sample_text("020_tidal_power_explainer.txt")},
                {"id": "other-2", "text": sample_text("053_carers_drop_in_opens.txt")}]
    path.write_text("".join(json.dumps(records[k]) + "\n" for k in order), encoding="utf-8")
    return path


def test_identical_documents_are_one_group_paired_with_its_first(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    count = 33
    straight = dupefind.scan(_identical_corpus(tmp_path / "a.jsonl", list(range(count))), Config(jobs=1))
    pairs = {(p.a, p.b) for p in straight.pairs}
    # Each copy with the first of the group (the smallest id), not with each other; the spun
    # copy, found with the first, with every copy (it copies each of them).
    assert pairs == {("copy-00", f"copy-{k:02d}") for k in range(1, 30)} | {(f"copy-{k:02d}", "spun") for k in range(30)}
    assert len(straight.pairs) == 59
    assert straight.clusters == (tuple(sorted([f"copy-{k:02d}" for k in range(30)] + ["spun"])),)
    for pair in straight.pairs:
        if pair.b.startswith("copy"):
            assert pair.similarity == 1.0 and pair.passages and pair.passages[0].similarity == 1.0
            assert pair.relation is not None and "verbatim" in pair.relation.kinds
    # The same pairs in any input order and with any number of processes.
    order = list(range(count))
    random.Random(3).shuffle(order)
    monkeypatch.setattr(pipeline.tasks, "PAIRS_PER_TASK", 7)  # several tasks, in two worker processes
    shuffled = dupefind.scan(_identical_corpus(tmp_path / "b.jsonl", order), Config(jobs=2))
    assert _comparable(shuffled, "b.jsonl") == _comparable(straight, "a.jsonl")


def _comparable(report: dupefind.Report, name: str) -> str:
    data = json.loads(report_json(report))
    assert "jobs" not in data["config"]
    return json.dumps(data, sort_keys=True).replace(name, "corpus.jsonl")


# --- files that change under the scan ----------------------------------------------------------

def _grow(path: Path) -> None:
    path.write_text(path.read_text(encoding="utf-8") + " And one more sentence.", encoding="utf-8")


def _same_size(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("the", "THE", 1), encoding="utf-8")


def _shrink(path: Path) -> None:
    path.write_text(path.read_text(encoding="utf-8")[:500], encoding="utf-8")


@pytest.mark.parametrize("change", [_grow, _same_size, _shrink, Path.unlink], ids=["grew", "edited", "shrank",
                                                                                   "vanished"])
def test_a_file_that_changes_between_the_two_reads_is_skipped_not_misaligned(
        tmp_path: Path, change: Callable[[Path], None]) -> None:
    folder = _corpus_folder(tmp_path / "articles", 0)
    changed = folder / "041_overnight_train_comeback_spun.txt"

    def between_the_passes(stage: str, *counts: int) -> None:
        if stage == "read" and changed.exists() and not hasattr(between_the_passes, "done"):
            between_the_passes.done = True  # type: ignore[attr-defined]  # once
            change(changed)

    report = dupefind.scan(folder, Config(jobs=1), progress=between_the_passes)
    name = changed.as_posix()
    assert [s for s in report.skipped if s.path == name] == [dupefind.Skipped(name, CHANGED)]
    assert name not in {d.id for d in report.documents}
    assert all(name not in (p.a, p.b) for p in report.pairs)
    assert len(report.pairs) == 4  # the other planted pairs are still found


# --- bounded memory for long documents -------------------------------------------------------

TERM_SENTENCES = st.lists(st.lists(st.sampled_from([*range(12), -1]), max_size=9), max_size=12)


def _sentences_of(raw: list[list[int]]) -> Sentences:
    terms = [t for s in raw for t in s]
    ends = np.cumsum([len(s) for s in raw]).astype(np.int64)
    codes = np.array(terms, dtype=np.int64)
    return Sentences(ends - np.array([len(s) for s in raw], dtype=np.int64), ends,
                     Vocabulary([], {}, np.zeros(0, dtype=np.int64)), codes, codes)


@given(TERM_SENTENCES, TERM_SENTENCES, st.sampled_from([SEED_COSINE, LOOSE_COSINE]))
def test_sparse_sentence_seeds_are_the_dense_ones(raw_a: list[list[int]], raw_b: list[list[int]], floor: float) -> None:
    # Found at the seeds' own level, or at the summary step's lower one and then filtered.
    a, b = _sentences_of(raw_a), _sentences_of(raw_b)
    vectors = SentencePair(a.term, a, b.term, b, 12, joint=np.arange(13, dtype=np.int64), floor=floor)
    seeds = vectors.seeds()
    dot, common, squares_a, sizes_a, squares_b, sizes_b = sentence_products(
        a.term, a.starts, a.ends, b.term, b.starts, b.ends, vectors.isf, vectors.shared)
    cosine, seeds_a, seeds_b = similar_sentences(
        dot, common, _norms(squares_a, sizes_a), _norms(squares_b, sizes_b),
        np.maximum(sizes_a, 1).astype(float), np.maximum(sizes_b, 1).astype(float),
        SEED_COSINE, SEED_DICE, BEST_SHARE, MAX_MATCHES)
    assert seeds == list(zip(seeds_a.tolist(), seeds_b.tolist()))
    assert vectors.cosine == {s: float(cosine[s]) for s in seeds}


@given(st.lists(st.integers(0, 6), min_size=0, max_size=400), st.lists(st.integers(0, 6), min_size=0, max_size=400))
def test_windowed_alignment_is_a_valid_alignment(seq_a: list[int], seq_b: list[int]) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(word_pass, "MAX_CELLS", 500)
        patch.setattr(word_pass, "WINDOW", 20)
        steps = word_pass._opcodes(seq_a, seq_b)
    # The steps cover both sequences in order, and "equal" steps hold equal words.
    assert [s[1:3] for s in steps if s[1] < s[2]] == _runs([(s[1], s[2]) for s in steps if s[1] < s[2]], len(seq_a))
    assert [s[3:5] for s in steps if s[3] < s[4]] == _runs([(s[3], s[4]) for s in steps if s[3] < s[4]], len(seq_b))
    for tag, i1, i2, j1, j2 in steps:
        if tag == "equal":
            assert seq_a[i1:i2] == seq_b[j1:j2]


@given(st.lists(st.integers(0, 6), min_size=1, max_size=400), st.integers(0, 3))
def test_windowed_alignment_of_a_sequence_with_itself_is_one_equal_step(seq: list[int], extra: int) -> None:
    """A block running past a window's three quarters was dropped whole, and half a window
    passed by unaligned: two identical books read 86 % identical."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(word_pass, "MAX_CELLS", 500)
        patch.setattr(word_pass, "WINDOW", 20)
        assert word_pass._opcodes(seq, seq) == [("equal", 0, len(seq), 0, len(seq))]
        longer = word_pass._opcodes(seq, seq + [9] * extra)  # (equal up to the end of the shorter)
    assert longer[0] == ("equal", 0, len(seq), 0, len(seq))


def _runs(spans: list[tuple[int, int]], length: int) -> list[tuple[int, int]]:
    """``spans`` if they tile ``0:length`` in order (else something that differs from them)."""
    position = 0
    for start, end in spans:
        if start != position:
            return []
        position = end
    return spans if position == length else []


def test_a_long_copy_aligned_in_windows_keeps_its_passage(monkeypatch: pytest.MonkeyPatch) -> None:
    words = sample_text("040_night_trains_return.txt").split()
    rng = random.Random(5)
    text_a = " ".join(words * 6)
    text_b = " ".join(w if rng.random() > 0.05 else "changed" for w in words * 6)  # 5 % of words replaced
    whole = dupefind.compare(text_a, text_b)
    monkeypatch.setattr(word_pass, "MAX_CELLS", 400 * 400)
    monkeypatch.setattr(word_pass, "WINDOW", 300)
    windowed = dupefind.compare(text_a, text_b)
    assert windowed.duplicate and whole.duplicate
    for pair, text in ((windowed, text_a), (whole, text_a)):
        covered = sum(p.a_end - p.a_start for p in pair.passages)
        assert covered > 0.9 * len(text)
    identical = sum(p.identical_words for p in windowed.passages)
    assert identical >= 0.97 * sum(p.identical_words for p in whole.passages)
    for passage in windowed.passages:
        assert passage.a_text == text_a[passage.a_start : passage.a_end]
        for edit in passage.edits:
            if edit.op == "equal":
                assert text_a[edit.a_start : edit.a_end].split() == text_b[edit.b_start : edit.b_end].split()


SPANS = st.lists(st.tuples(st.integers(0, 40), st.integers(0, 12)), max_size=30)


@given(SPANS, SPANS)
def test_fragments_kept_by_bisection_are_those_kept_by_comparing_all(raw_a: list[tuple[int, int]],
                                                                     raw_b: list[tuple[int, int]]) -> None:
    frags = [Fragment(s, s + n, t, t + m, 0.5, 1) for (s, n), (t, m) in zip(raw_a, raw_b)]
    plain: list[Fragment] = []
    for frag in frags:
        if not any(_overlaps(frag, other) for other in plain):
            plain.append(frag)
    fast: list[Fragment] = []
    on_a, on_b = _Spans(), _Spans()
    for frag in frags:
        if not on_a.overlaps(frag.a_start, frag.a_end) and not on_b.overlaps(frag.b_start, frag.b_end):
            fast.append(frag)
            on_a.add(frag.a_start, frag.a_end)
            on_b.add(frag.b_start, frag.b_end)
    assert fast == plain


@given(st.lists(st.tuples(st.integers(0, 15), st.integers(0, 15)), max_size=40, unique=True),
       st.lists(st.tuples(st.integers(0, 15), st.integers(0, 15)), min_size=1, max_size=6, unique=True),
       st.integers(0, 15), st.integers(0, 15), st.integers(0, 15), st.integers(0, 15))
def test_self_contained_by_index_is_the_plain_rule(seeds: list[tuple[int, int]], cluster: list[tuple[int, int]],
                                                   i0: int, i1: int, j0: int, j1: int) -> None:
    in_a, in_b = {i for i, _ in cluster}, {j for _, j in cluster}
    plain = not any((j0 <= j <= j1 and j not in in_b and not i0 <= i <= i1)
                    or (i0 <= i <= i1 and i not in in_a and not j0 <= j <= j1) for i, j in sorted(seeds))
    assert _self_contained(cluster, _SeedIndex(sorted(seeds)), i0, i1, j0, j1) == plain


@given(st.text(alphabet=list("ab É.'\u2019\n1\u00df\u3042\u0301\ufb01-"), max_size=120), st.integers(2, 20))
def test_a_long_text_tokenised_in_pieces_gives_the_tokens_of_the_whole(text: str, piece: int) -> None:
    whole = tokenize(text)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(verify.prepared, "PIECE", piece)
        pieces = verify.compact_tokens(text)
    assert pieces.words == whole.words
    assert list(pieces.starts) == list(whole.starts) and list(pieces.ends) == list(whole.ends)


@given(st.text(alphabet=list("ab É.!'\n\n1\u00df\u3042\ufb01"), max_size=150), st.integers(2, 30))
def test_a_long_text_hashed_in_pieces_gives_the_hashes_of_the_whole(text: str, piece: int) -> None:
    tokens = tokenize(text)
    whole = hash_words(text, tokens)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(verify.prepared, "PIECE", piece)
        pieces = verify.hashed_words(text, verify.compact_tokens(text))
    assert pieces.hashes.tolist() == whole.hashes.tolist()
    assert pieces.segment_starts.tolist() == whole.segment_starts.tolist()


def test_kernels_compiled_from_other_sources_are_never_loaded(tmp_path: Path) -> None:
    """numba checks a cached kernel against the file that defines it only, while a kernel holds
    the code of the kernels it calls from other files: the cache is a folder named after a
    digest of every source, so an edit anywhere (here, a file that defines no kernel) gives
    another folder, and the same sources installed anew (new times) the same one."""
    package = tmp_path / "package"
    (package / "stage").mkdir(parents=True)
    (package / "caller.py").write_text("from .stage.callee import f\n")
    (package / "stage" / "callee.py").write_text("def f():\n    return 1\n")
    (package / "stage" / "__pycache__").mkdir()
    (package / "stage" / "__pycache__" / "callee.cpython-311.pyc").write_bytes(b"compiled")
    first = jit.sources_digest(package)
    os.utime(package / "stage" / "callee.py", (0, 0))
    (package / "stage" / "__pycache__" / "other.pyc").write_bytes(b"more")
    assert jit.sources_digest(package) == first  # times and caches are not the sources
    (package / "stage" / "callee.py").write_text("def f():\n    return 2\n")
    assert jit.sources_digest(package) != first
    assert jit.CACHE_DIR is not None
    assert Path(jit.CACHE_DIR).name == f"{jit._VERSION_PREFIX}{jit.sources_digest()}"
    assert os.environ["NUMBA_CACHE_DIR"] == jit.CACHE_DIR  # what the workers take


def test_kernels_of_other_sources_are_removed_once_unused_for_a_day(tmp_path: Path) -> None:
    old, recent, current = (tmp_path / f"{jit._VERSION_PREFIX}{name}" for name in ("old", "recent", "current"))
    unrelated = tmp_path / "someone-elses"
    for folder in (old, recent, current, unrelated):
        (folder / "kernels").mkdir(parents=True)
    two_days_ago = time.time() - 2 * 24 * 3600
    for folder in (old, current, unrelated):
        os.utime(folder, (two_days_ago, two_days_ago))
    jit._remove_stale(tmp_path, keep=current)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in (recent, current, unrelated))



def test_numba_started_meanwhile_is_started_by_the_end_of_the_block(monkeypatch: pytest.MonkeyPatch) -> None:
    # Started in a thread while the block runs, done when it ends; a start that fails is left
    # for the kernel that needs it to report.
    ran: list[str] = []
    with jit.started_meanwhile():
        ran.append("block")
    assert ran == ["block"] and jit._first.signatures
    assert not any(t.name == "dupefind-numba-start" for t in threading.enumerate())

    def failing(value: int) -> int:
        raise RuntimeError("no compiler")

    raised: list[object] = []
    monkeypatch.setattr(threading, "excepthook", raised.append)
    monkeypatch.setattr(jit, "_first", failing)
    with jit.started_meanwhile():
        pass
    assert raised == []

@pytest.mark.parametrize(("a", "b", "config"), [(None, "x", None), (b"a", b"a", None), ("a", 3, None),
                                                ("text", "text", {"threshold": 0.3})])
def test_compare_misuse_is_a_type_error_that_says_what(a: object, b: object, config: object) -> None:
    """``compare`` of anything but two strings (or with a dict for a Config) is a TypeError naming
    what is wrong (it was ``object of type 'NoneType' has no len()`` or an AttributeError)."""
    with pytest.raises(TypeError, match="must be a"):
        dupefind.compare(a, b, config)  # type: ignore[arg-type]


# --- Ctrl-C ------------------------------------------------------------------------------------


class _InterruptedWhileLoading(type(sys)):  # type: ignore[misc]  # a module whose names raise
    def __getattr__(self, name: str) -> object:
        raise KeyboardInterrupt


def test_ctrl_c_while_the_modules_load_ends_quietly(monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    """The entry point answers a Ctrl-C before the command line's modules have loaded."""
    from dupefind import console

    monkeypatch.setitem(sys.modules, "dupefind.cli", _InterruptedWhileLoading("dupefind.cli"))
    handlers = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
    try:
        with pytest.raises(SystemExit) as ended:
            console.main()
    finally:  # (the entry point answers stop signals for the process: this one is pytest's)
        for number, handler in handlers.items():
            signal.signal(number, handler)
    assert ended.value.code == console.EXIT_INTERRUPTED == 130
    assert capsys.readouterr().err == "\nInterrupted.\n"


def test_importing_the_package_loads_no_stage() -> None:
    """`import dupefind` loads its names when first used, so a command starts at once."""
    loaded = subprocess.run(
        [sys.executable, "-c", "import sys, dupefind; print(sorted(m for m in sys.modules if m.startswith(('dupefind.', 'numba', 'click'))))"],
        capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"
    names = subprocess.run([sys.executable, "-c", "import dupefind; print(dupefind.Config().ngram, dupefind.pipeline.__name__, dupefind.__version__ != '')"],
                           capture_output=True, text=True, check=True).stdout.split()
    assert names == [str(dupefind.Config().ngram), "dupefind.pipeline", "True"]
    # Every public name is what it names, whatever was loaded first (a stage module of the same
    # name, `dupefind.dedup_plan` beside the function `dupefind.dedup`, must not take its place).
    kinds = subprocess.run([sys.executable, "-c", "import dupefind.report.json_report, dupefind.cli, dupefind, types; "
                            "print(sorted(n for n in dupefind.__all__ if isinstance(getattr(dupefind, n), types.ModuleType)))"],
                           capture_output=True, text=True, check=True).stdout
    assert kinds.strip() == "[]"
    assert "dedup" in dir(dupefind) and callable(dupefind.dedup)


def _children(pid: int) -> list[int]:
    try:
        tasks = Path(f"/proc/{pid}/task").iterdir()
        return [int(c) for task in tasks for c in (task / "children").read_text().split()]
    except OSError:
        return []


@pytest.mark.parametrize("after", [0.0, 0.5], ids=["as-workers-start", "in-the-first-pass"])
def test_ctrl_c_during_a_scan_ends_it_quietly_with_its_workers(tmp_path: Path, after: float) -> None:
    """Ctrl-C at a terminal signals the whole process group: the scan ends with one line and
    code 130, no traceback (from it or a worker just starting), its workers gone, and the report
    file it was to replace untouched."""
    if not sys.platform.startswith("linux"):
        pytest.skip("reads /proc")
    rng = random.Random(11)
    vocabulary = [f"w{i}" for i in range(3000)]
    with (tmp_path / "many.jsonl").open("w", encoding="utf-8") as out:
        for i in range(6000):
            out.write(json.dumps({"id": f"d{i}", "text": " ".join(rng.choices(vocabulary, k=400))}) + "\n")
    report = tmp_path / "report.json"
    report.write_text("last run's report\n", encoding="utf-8")
    scan = subprocess.Popen([sys.executable, "-m", "dupefind", "scan", str(tmp_path / "many.jsonl"), "--jobs", "2",
                             "--format", "json", "-o", str(report)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(_children(scan.pid)) < 2 and scan.poll() is None:
        time.sleep(0.05)
    workers = _children(scan.pid)
    assert len(workers) >= 2, "the scan ended before its workers were seen"
    time.sleep(after)
    assert scan.poll() is None, "the scan ended before Ctrl-C"
    os.killpg(scan.pid, signal.SIGINT)
    _, err = scan.communicate(timeout=60)
    assert scan.returncode == 130, err
    assert "Traceback" not in err and err.strip().endswith("Interrupted.")
    assert report.read_text(encoding="utf-8") == "last run's report\n"
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(p) for p in workers):
        time.sleep(0.1)
    assert not any(_alive(p) for p in workers)


@pytest.mark.parametrize(("name", "code", "says"), [("SIGTERM", 143, "Stopped by SIGTERM."), ("SIGHUP", 129, ""),
                                                    ("SIGINT", 130, "Interrupted.")])
@pytest.mark.parametrize("twice", [False, True], ids=["once", "passed-on-again"])
def test_a_stop_signal_ends_a_scan_with_its_temporary_files_removed(tmp_path: Path, name: str, code: int, says: str,
                                                                    twice: bool) -> None:
    """SIGTERM (``timeout``, a cancelled CI job) and SIGHUP (a closed terminal) end a scan as
    Ctrl-C does: its spooled stdin and word files removed, 128 + the signal. The same signal
    again at once (a wrapper passing on what the group had) does not cut the cleanup short."""
    if not sys.platform.startswith("linux"):
        pytest.skip("reads /proc")
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    rng = random.Random(3)
    words = [f"w{i}" for i in range(3000)]
    body = "".join(json.dumps({"id": f"d{i}", "text": " ".join(rng.choices(words, k=300))}) + "\n" for i in range(6000))
    scan = subprocess.Popen([sys.executable, "-m", "dupefind", "scan", "-", "-q", "--jobs", "2"], stdin=subprocess.PIPE,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "TMPDIR": str(temporary)})
    assert scan.stdin is not None
    scan.stdin.write(body)
    scan.stdin.close()
    scan.stdin = None  # (communicate() would flush it)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(_children(scan.pid)) < 2 and scan.poll() is None:
        time.sleep(0.05)
    assert scan.poll() is None and any(temporary.iterdir()), "the scan ended before it was stopped"
    signum = getattr(signal, name)
    scan.send_signal(signum)
    if twice:
        time.sleep(0.05)
        scan.send_signal(signum)
    _, err = scan.communicate(timeout=60)
    assert scan.returncode == code and "Traceback" not in err and err.strip().endswith(says)
    assert list(temporary.iterdir()) == []
