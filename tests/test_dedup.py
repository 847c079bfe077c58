"""Dedup: one kept per cluster, every document kept or removed, each removed one pointing at a
kept member of its cluster (never a chain); the records written as they came."""

from __future__ import annotations

import io
import json
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SAMPLES, run_main, sample_files, sample_text, validate_report
from hypothesis import given
from hypothesis import strategies as st

import dupefind
from dupefind.cluster import clusters
from dupefind.dedup_output import OutputError, dedup
from dupefind.dedup_plan import KEEP_RULES, check_plan, natural_key, plan_dedup
from dupefind.models import Document, Pair, Relation, Report
from dupefind.report import report_json


def synthetic(edges: list[tuple[int, int]], n: int) -> Report:
    """A report over documents d0..d{n-1} with the given pairs (lengths vary by id)."""
    ids = [f"d{i}" for i in range(n)]
    pairs = []
    for i, j in sorted({(min(e), max(e)) for e in edges if e[0] != e[1]}):
        sim = round(0.3 + ((i * 7 + j * 3) % 10) / 20, 4)
        relation = Relation(("spun",), 0.7, 0.3, 0.9, 0.9, 0.0)
        pairs.append(Pair(ids[i], ids[j], sim, sim, sim, sim, True, (), relation))
    docs = tuple(sorted((Document(d, d, 100 + (k * 37) % 11, 50, False) for k, d in enumerate(ids)),
                        key=lambda d: d.id))
    return Report(config={}, documents=docs, pairs=tuple(pairs),
                  clusters=clusters((p.a, p.b) for p in pairs), skipped=())


def test_a_chain_points_at_the_kept_end_not_at_its_neighbour() -> None:
    report = synthetic([(0, 1), (1, 2), (2, 3)], 4)
    plan = plan_dedup(report, keep="first", order=["d0", "d1", "d2", "d3"])
    assert plan.kept == ("d0",)
    by_id = {r.id: r for r in plan.removed}
    assert {r.duplicate_of for r in plan.removed} == {"d0"}
    assert by_id["d1"].matched == "d0"  # paired directly
    assert by_id["d3"].matched == "d2"  # the figures of the pair one step nearer to d0
    assert by_id["d3"].kinds == ("spun",)
    assert check_plan(report, plan) == []


@given(edges=st.lists(st.tuples(st.integers(0, 11), st.integers(0, 11)), max_size=25),
       keep=st.sampled_from(KEEP_RULES), order=st.permutations(range(12)))
def test_every_document_is_kept_or_removed_and_points_at_a_kept_one(
        edges: list[tuple[int, int]], keep: str, order: list[int]) -> None:
    report = synthetic(edges, 12)
    ids = [f"d{i}" for i in order]
    plan = plan_dedup(report, keep=keep, order=ids)  # type: ignore[arg-type]  # sampled from KEEP_RULES
    assert check_plan(report, plan) == []
    linked = {(p.a, p.b) for p in report.pairs} | {(p.b, p.a) for p in report.pairs}
    for removal in plan.removed:
        assert (removal.id, removal.matched) in linked
    chars = {d.id: d.chars for d in report.documents}
    for members in report.clusters:
        (kept,) = [m for m in members if m in plan.kept]
        if keep == "first":
            assert kept == min(members, key=ids.index)
        elif keep == "longest":
            assert chars[kept] == max(chars[m] for m in members)
        elif keep == "shortest":
            assert chars[kept] == min(chars[m] for m in members)
        else:
            assert kept == min(members, key=natural_key)


def test_oldest_id_compares_numbers_as_numbers() -> None:
    assert sorted(["doc10", "doc9", "doc100", "a"], key=natural_key) == ["a", "doc9", "doc10", "doc100"]
    # Numbers of any length (Python's int refuses more than 4,300 digits) and of any script.
    long = ["x" + "9" * 5000, "x" + "1" * 5001, "x" + "0" * 3 + "9" * 5000, "x10"]
    assert sorted(long, key=natural_key) == ["x10", "x" + "9" * 5000, "x" + "0" * 3 + "9" * 5000, "x" + "1" * 5001]
    assert sorted(["d10", "d\u0663", "d2", "\u00b2"], key=natural_key) == ["d2", "d\u0663", "d10", "\u00b2"]
    report = synthetic([(9, 10)], 11)
    assert plan_dedup(report, keep="oldest-id").kept[:2] == ("d0", "d1")
    assert {r.id for r in plan_dedup(report, keep="oldest-id").removed} == {"d10"}


def test_an_unknown_rule_is_refused() -> None:
    with pytest.raises(dupefind.ConfigError, match="keep"):
        plan_dedup(synthetic([], 2), keep="newest")  # type: ignore[arg-type]  # the point of the test


def corpus(folder: Path) -> Path:
    """Sample articles as files, plus a JSONL file whose records carry extra fields."""
    folder.mkdir()
    for name in sample_files():
        shutil.copyfile(SAMPLES / name, folder / name)
    lines = [
        {"id": "rec-a", "text": sample_text("040_night_trains_return.txt"), "lang": "en", "meta": {"n": 1.50}},
        {"id": "rec-b", "text": sample_text("013_how_to_start_a_community_garden.txt"), "lang": "en"},
        {"id": "rec-c", "text": "A short note that is nobody's copy.", "tags": ["x"]},
    ]
    body = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)
    (folder / "zz_records.jsonl").write_text(body, encoding="utf-8")
    return folder


def test_dedup_writes_every_record_once_and_agrees_with_the_scan(tmp_path: Path) -> None:
    folder = corpus(tmp_path / "in")
    kept_path, removed_path = tmp_path / "kept.jsonl", tmp_path / "removed.jsonl"
    result = dedup([str(folder)], output=str(kept_path), removed=str(removed_path))
    # The same scan as `scan`, and one kept per cluster of that scan.
    scanned = dupefind.scan([str(folder)])
    assert report_json(result.report) == report_json(scanned)
    assert check_plan(scanned, result.plan) == []
    kept = [json.loads(line) for line in kept_path.read_text(encoding="utf-8").splitlines()]
    removed = [json.loads(line) for line in removed_path.read_text(encoding="utf-8").splitlines()]
    kept_ids = [k["id"] for k in kept]
    assert sorted(kept_ids) == list(result.plan.kept)
    assert sorted(r["id"] for r in removed) == [r.id for r in result.plan.removed]
    assert sorted(kept_ids + [r["id"] for r in removed]) == sorted(d.id for d in scanned.documents)
    assert all(r["duplicate_of"] in kept_ids for r in removed)
    # First by input order: files by name, so the .jsonl file (named last) loses to 040 and 013.
    assert {r["id"] for r in removed} >= {"rec-a", "rec-b"}
    rec_a = next(r for r in removed if r["id"] == "rec-a")
    assert rec_a["duplicate_of"] == f"{folder}/040_night_trains_return.txt"
    assert rec_a["lang"] == "en" and rec_a["meta"] == {"n": 1.5}
    assert rec_a["duplicate_match"]["similarity"] > 0.9 and "verbatim" in rec_a["duplicate_match"]["kinds"]
    # A kept JSONL record is its input line byte for byte; a file becomes {id, text}.
    source_lines = (folder / "zz_records.jsonl").read_text(encoding="utf-8").splitlines()
    assert source_lines[2] in kept_path.read_text(encoding="utf-8").splitlines()
    first = next(k for k in kept if k["id"].endswith("000_313ab52531fab2be.txt"))
    assert first["text"] == sample_text("000_313ab52531fab2be.txt")
    # The report with the listing validates against the schema.
    listing = json.loads(report_json(result.report, dedup=result.plan))
    validate_report(listing)
    assert {d["id"] for d in listing["dedup"] if d["action"] == "keep"} == set(result.plan.kept)


def test_dedup_from_stdin_names_records_as_scan_does(tmp_path: Path) -> None:
    text = sample_text("040_night_trains_return.txt")
    body = "".join(json.dumps({"text": text, "n": n}) + "\n" for n in range(3)).encode()
    out = tmp_path / "kept.jsonl"
    result = dedup(["-"], output=str(out), removed=str(tmp_path / "gone.jsonl"), stdin=io.BytesIO(body))
    assert result.plan.kept == ("-:1",)
    assert [r.duplicate_of for r in result.plan.removed] == ["-:1", "-:1"]
    assert json.loads(out.read_text(encoding="utf-8")) == {"text": text, "n": 0}


def test_dedup_never_writes_over_an_input(tmp_path: Path) -> None:
    folder = corpus(tmp_path / "in")
    target = folder / "zz_records.jsonl"
    before = target.read_bytes()
    with pytest.raises(OutputError, match="among the inputs"):
        dedup([str(folder)], output=str(target))
    with pytest.raises(OutputError, match="same file"):
        dedup([str(folder)], output=str(tmp_path / "x.jsonl"), removed=str(tmp_path / "x.jsonl"))
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in"]


def test_cli_dedup_writes_both_files_and_the_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus(tmp_path / "in")
    monkeypatch.chdir(tmp_path)
    result = run_main(["dedup", "in", "-o", "kept.jsonl", "--removed", "removed.jsonl", "--keep", "longest",
                       "--report", "report.json", "--threshold", "0.3"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert "kept" in result.stderr and "removed" in result.stderr and "rule longest" in result.stderr
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    validate_report(report)
    assert report["dedup_rule"] == "longest"
    assert report["config_sources"]["threshold"] == "command line"
    assert report["config_sources"]["min_words"] == "default"
    chars = {d["id"]: d["chars"] for d in report["documents"]}
    removed = [json.loads(line) for line in (tmp_path / "removed.jsonl").read_text(encoding="utf-8").splitlines()]
    assert removed and all(chars[r["duplicate_of"]] >= chars[r["id"]] for r in removed)
    drops = {d["id"]: d["duplicate_of"] for d in report["dedup"] if d["action"] == "drop"}
    assert drops == {r["id"]: r["duplicate_of"] for r in removed}
    # For people: what was removed, and a copy of what (stderr), a line each.
    said = [line for line in result.stderr.splitlines() if line.startswith("  removed ")]
    assert len(said) == len(removed)
    for r in removed:
        assert any(line.startswith(f"  removed {r['id']}: a copy of {r['duplicate_of']}") for line in said), r["id"]


def test_cli_dedup_quiet_and_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = corpus(tmp_path / "in")
    monkeypatch.chdir(tmp_path)
    quiet = run_main(["dedup", "in", "-o", "kept.jsonl", "-q"])
    assert (quiet.exit_code, quiet.stdout, quiet.stderr) == (0, "", "")
    over = run_main(["dedup", "in", "-o", str(folder / "zz_records.jsonl")])
    assert over.exit_code == 2 and "never overwrites an input" in over.stderr
    missing = run_main(["dedup", "in"])
    assert missing.exit_code == 2 and "--output" in missing.stderr
    bad = run_main(["dedup", "in", "-o", "k.jsonl", "--keep", "newest"])
    assert bad.exit_code == 2 and "--keep" in bad.stderr


def test_cli_dedup_outputs_replaced_keep_their_permissions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The kept and removed records written over existing files keep those files' permissions."""
    corpus(tmp_path / "in")
    monkeypatch.chdir(tmp_path)
    for name, mode in (("kept.jsonl", 0o600), ("removed.jsonl", 0o640)):
        (tmp_path / name).write_text("old\n", encoding="utf-8")
        (tmp_path / name).chmod(mode)
    done = run_main(["dedup", "in", "-o", "kept.jsonl", "--removed", "removed.jsonl", "-q"])
    assert done.exit_code == 0, done.stderr
    for name, mode in (("kept.jsonl", 0o600), ("removed.jsonl", 0o640)):
        assert (tmp_path / name).read_text(encoding="utf-8") != "old\n"
        assert (tmp_path / name).stat().st_mode & 0o777 == mode, name


def test_cli_dedup_report_never_writes_over_an_input_or_the_records(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """``--report`` is checked before the scan as ``scan -o`` is: never an input, never the kept
    or the removed records' file (each would be lost under the report)."""
    folder = corpus(tmp_path / "in")
    monkeypatch.chdir(tmp_path)
    target = folder / "zz_records.jsonl"
    before = target.read_bytes()
    over = run_main(["dedup", "in", "-o", "kept.jsonl", "--report", str(target), "-q"])
    assert over.exit_code == 2 and "--report" in over.stderr and "never written over an input" in over.stderr
    for report in ("kept.jsonl", "removed.jsonl"):
        same = run_main(["dedup", "in", "-o", "kept.jsonl", "--removed", "removed.jsonl", "--report", report, "-q"])
        assert same.exit_code == 2 and "kept or removed records' file" in same.stderr
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in"]


def test_dedup_writes_into_a_pipe_and_never_replaces_it(tmp_path: Path) -> None:
    """A device or a named pipe given as an output is written into, never replaced by a file
    (as root, ``-o /dev/null`` would otherwise replace the system's /dev/null)."""
    import os
    import threading

    folder = corpus(tmp_path / "in")
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(pipe.read_bytes()))
    reader.start()
    result = dedup([str(folder)], output=str(pipe))
    reader.join(timeout=60)
    assert pipe.is_fifo()
    lines = received[0].decode("utf-8").splitlines()
    assert len(lines) == len(result.plan.kept) > 0


def test_a_removed_jsonl_record_is_its_line_with_two_fields_added(tmp_path: Path) -> None:
    """Numbers, escapes and repeated keys stay as written (decoded and encoded again, ``1e2``
    read ``100.0`` and a long number lost digits)."""
    text = sample_text("040_night_trains_return.txt")
    original = json.dumps({"id": "orig", "text": text})
    odd = ('{"id": "copy", "x": 1e2, "f": 1.50, "p": 0.1000000000000000055511151231257827, '
           '"name": "caf\\u00e9", "k": 1, "k": 2, "text": ' + json.dumps(text) + "}  ")
    # A field of the same name: replaced (the line decoded and written again, as strict JSON: a
    # number past the floats' range, which Python reads as infinity, is null).
    empty_copy = '{"text": ' + json.dumps(text) + ', "big": 1e400, "duplicate_of": "old"}'
    (tmp_path / "in.jsonl").write_text("\n".join([original, odd, empty_copy]) + "\n", encoding="utf-8")
    result = dedup(tmp_path / "in.jsonl", output=tmp_path / "kept.jsonl", removed=tmp_path / "removed.jsonl")
    lines = (tmp_path / "removed.jsonl").read_text(encoding="utf-8").splitlines()
    assert [r.id for r in result.plan.removed] == [f"{tmp_path / 'in.jsonl'}:3", "copy"]
    spliced = next(line for line in lines if '"id": "copy"' in line)
    assert spliced.startswith(odd.rstrip()[:-1] + ', "duplicate_of": "orig", "duplicate_match": {"id": ')
    record = json.loads(spliced)
    assert record["duplicate_of"] == "orig" and record["k"] == 2 and list(record)[-2:] == ["duplicate_of", "duplicate_match"]
    replaced = json.loads(next(line for line in lines if '"id": "copy"' not in line), parse_constant=lambda c: pytest.fail(f"{c} is not JSON"))
    assert replaced["duplicate_of"] == "orig" and list(replaced) == ["text", "big", "duplicate_of", "duplicate_match"]
    assert replaced["big"] is None


def test_a_boolean_id_is_named_as_json_writes_it(tmp_path: Path) -> None:
    text = sample_text("040_night_trains_return.txt")
    (tmp_path / "in.jsonl").write_text(json.dumps({"id": True, "text": text}) + "\n" +
                                       json.dumps({"id": 7, "text": text}) + "\n", encoding="utf-8")
    result = dedup([tmp_path / "in.jsonl"], output=tmp_path / "kept.jsonl", removed=tmp_path / "removed.jsonl")
    assert result.plan.kept == ("true",)
    assert json.loads((tmp_path / "removed.jsonl").read_text(encoding="utf-8"))["duplicate_of"] == "true"


def test_the_library_dedup_takes_paths_as_scan_does_and_fails_before_scanning(tmp_path: Path,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    folder = corpus(tmp_path / "in")
    one = dedup(folder, output=tmp_path / "a.jsonl")  # one Path: one path, never its characters
    assert one.plan == dedup([str(folder)], output=str(tmp_path / "b.jsonl")).plan
    assert (tmp_path / "a.jsonl").read_bytes() == (tmp_path / "b.jsonl").read_bytes()

    def no_scan(*args: object, **kwargs: object) -> None:
        raise AssertionError("scanned before refusing")

    monkeypatch.setattr("dupefind.dedup_output.scan", no_scan)
    with pytest.raises(dupefind.ConfigError, match="keep must be one of"):
        dedup(folder, output=tmp_path / "c.jsonl", keep="newest")  # type: ignore[arg-type]  # wrong on purpose
    with pytest.raises(TypeError, match=r"config must be a dupefind\.Config"):
        dedup(folder, output=tmp_path / "c.jsonl", config={"threshold": 0.5})  # type: ignore[arg-type]  # wrong on purpose
    with pytest.raises(TypeError, match="output must be a path"):
        dedup(folder, output=3)  # type: ignore[arg-type]  # wrong on purpose
    with pytest.raises(TypeError, match="paths must be"):
        dedup(b"in", output=tmp_path / "c.jsonl")  # type: ignore[arg-type]  # wrong on purpose
    with pytest.raises(OutputError, match="both go to stdout"):
        dedup(folder, output="-", removed="-")


def _dedup_cli(*args: str, timeout: int = 300) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "dupefind", "dedup", *args], capture_output=True, timeout=timeout,
                          check=False)


def test_cli_dedup_writes_to_stdout_and_ends_quietly_when_its_reader_does(tmp_path: Path) -> None:
    folder = corpus(tmp_path / "in")
    listed = _dedup_cli(str(folder), "-o", str(tmp_path / "kept.jsonl"))
    to_stdout = _dedup_cli(str(folder), "-o", "-", "--removed", str(tmp_path / "removed.jsonl"))
    assert to_stdout.returncode == listed.returncode == 0, to_stdout.stderr
    assert to_stdout.stdout == (tmp_path / "kept.jsonl").read_bytes() and not (Path.cwd() / "-").exists()
    report = _dedup_cli(str(folder), "-o", str(tmp_path / "k2.jsonl"), "--report", "-", "-q")
    assert json.loads(report.stdout)["dedup"] and report.stderr == b""
    both = _dedup_cli(str(folder), "-o", "-", "--report", "-")
    assert both.returncode == 2 and b"only one of --output, --removed and --report" in both.stderr
    big = tmp_path / "big.jsonl"  # more than a pipe holds: the writer meets the closed pipe
    with big.open("w", encoding="utf-8") as out:
        for k in range(400):
            out.write(json.dumps({"id": f"r{k}", "text": f"Record {k}. " + sample_text("040_night_trains_return.txt")[k:]}) + "\n")
    for target in ("-", "/dev/stdout"):
        head = subprocess.run(f"{shlex.quote(sys.executable)} -m dupefind dedup {big} -o {target} -q "
                              f"--removed {tmp_path / 'r.jsonl'} | head -1", shell=True, capture_output=True,
                              timeout=300, check=False, executable="/bin/bash")
        assert head.returncode == 0 and head.stderr == b"" and head.stdout.startswith(b'{"id": "r0"')
    full = _dedup_cli(str(folder), "-o", "/dev/full")
    assert full.returncode == 2 and b"No space left on device" in full.stderr and b"Traceback" not in full.stderr


def _pair(a: str, b: str, coverage_a: float, coverage_b: float, kinds: tuple[str, ...]) -> Pair:
    return Pair(a, b, 0.3, max(coverage_a, coverage_b), coverage_a, coverage_b, True, (),
                Relation(kinds, 1.0, 0.0, coverage_a, coverage_b, 0.0))


def _report(pairs: list[Pair], chars: dict[str, int]) -> Report:
    docs = tuple(Document(d, d, n, n // 6, False) for d, n in sorted(chars.items()))
    return Report(config={}, documents=docs, pairs=tuple(pairs), clusters=clusters((p.a, p.b) for p in pairs),
                  skipped=())


@pytest.mark.parametrize("keep", KEEP_RULES)
def test_a_document_is_removed_only_for_one_it_is_mostly_inside(keep: str) -> None:
    """Two articles sharing a quote are both kept; an excerpt goes for the article around it,
    never the article for its excerpt; a copy of the article goes for it, and an excerpt of
    that copy for the kept article, through the copy."""
    chars = {"article": 6000, "copy": 6100, "excerpt": 900, "quoting": 5000, "excerpt-of-copy": 800}
    report = _report([
        _pair("article", "quoting", 0.05, 0.06, ("passage",)),  # a shared quote: no document inside the other
        _pair("article", "excerpt", 0.15, 1.0, ("verbatim", "partial")),
        _pair("article", "copy", 0.98, 0.97, ("verbatim",)),
        _pair("copy", "excerpt-of-copy", 0.13, 0.95, ("verbatim", "partial")),
    ], chars)
    plan = plan_dedup(report, keep=keep, order=["excerpt", "quoting", "article", "copy", "excerpt-of-copy"])  # type: ignore[arg-type]  # from KEEP_RULES
    assert check_plan(report, plan) == []
    removed = {r.id: r.duplicate_of for r in plan.removed}
    if keep == "first":  # the excerpt comes first: kept, and the article around it too
        assert removed == {"copy": "article", "excerpt-of-copy": "article"}
    elif keep == "shortest":  # the excerpts are kept, and so are the articles around them
        assert removed == {"copy": "article"}
    elif keep == "longest":
        assert removed == {"article": "copy", "excerpt": "copy", "excerpt-of-copy": "copy"}
    else:  # oldest-id: "article" sorts first
        assert removed == {"copy": "article", "excerpt": "article", "excerpt-of-copy": "article"}
    assert "quoting" in plan.kept


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_disk_names_the_output_it_could_not_write(tmp_path: Path) -> None:
    text = sample_text("040_night_trains_return.txt")
    (tmp_path / "in.jsonl").write_text(json.dumps({"id": "a", "text": text}) + "\n"
                                       + json.dumps({"id": "b", "text": text}) + "\n", encoding="utf-8")
    with pytest.raises(OutputError, match=r"^cannot write /dev/full: No space left on device$"):
        dedup(tmp_path / "in.jsonl", output=tmp_path / "kept.jsonl", removed="/dev/full",
              config=dupefind.Config(jobs=1))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl"]
