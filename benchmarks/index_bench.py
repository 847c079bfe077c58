"""The index against a scan of the same corpus: add speed, size, pairs, check latency.

    python benchmarks/index_bench.py speed CORPUS_DIR NEW_DIR [--work /tmp/index-bench] [--jobs 2] \
        [--singles 200] [--out results.json]
    python benchmarks/index_bench.py checks CORPUS_DIR NEW_DIR [--work /tmp/index-bench]   # steps 4-6 again
    python benchmarks/index_bench.py equality FOLDER [--batches 5] [--seed 1] [--jobs 2]

``speed`` (``CORPUS_DIR``, ``NEW_DIR``: ``benchmarks/speed/generate.py`` outputs, e.g. 100k
articles and 1,000 more made with another ``--seed``), one step after the other, on this machine:

1. ``dupefind scan CORPUS/corpus.jsonl --format json -o scan.json -j J`` as a whole process;
2. ``dupefind index add INDEX CORPUS/corpus.jsonl -j J`` as a whole process: docs/s and the
   ratio to the scan's; the index's size per document, per table (SQLite's ``dbstat``);
3. ``dupefind index pairs INDEX --format json -o pairs.json -j J``: time, and whether
   ``pairs.json`` is byte-identical to ``scan.json``;
4. in this process, ``Index(INDEX).check([one file])`` for ``--singles`` articles of NEW_DIR
   (unrelated to the index) and as many copies of indexed articles (every fifth sentence
   dropped): median and p99 latency, end to end (read, fingerprint, look up, verify, align,
   report), after one warm-up check;
5. ``Index(INDEX).check([NEW/corpus.jsonl])``: the 1,000 new articles at once;
6. the CLI: ``dupefind index check INDEX one.txt --format json`` as a process (start-up included),
   and ``dupefind --version``.

``equality``: the corpus added in ``--batches`` random batches (random order), then ``index
pairs`` compared with a scan (byte-identical JSON), and ``index check`` of a random fifth
against an index of the rest compared with the scan's pairs that involve that fifth.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

import dupefind
from dupefind import Config, Index
from dupefind.report import report_json
from dupefind.sources import Unit, plan_reading


def _run(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def _sizes(index: Path) -> dict[str, int]:
    with sqlite3.connect(index) as db:
        try:
            rows = db.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name").fetchall()
        except sqlite3.OperationalError:  # SQLite built without dbstat
            return {}
    return {str(name): int(size) for name, size in rows}


def _singles(new: Path, corpus: Path, work: Path, count: int) -> tuple[list[str], list[str]]:
    """``count`` unrelated new articles and ``count`` copies of indexed ones, one file each."""
    folder = work / "singles"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    fresh, copies = [], []
    with open(new / "corpus.jsonl", encoding="utf-8") as lines:
        for k, line in zip(range(count), lines):
            path = folder / f"new{k:04d}.txt"
            path.write_text(json.loads(line)["text"], encoding="utf-8")
            fresh.append(str(path))
    with open(corpus / "corpus.jsonl", encoding="utf-8") as lines:
        for k, line in zip(range(count), (line for n, line in enumerate(lines) if n % 97 == 0)):
            sentences = json.loads(line)["text"].split(". ")
            path = folder / f"copy{k:04d}.txt"
            path.write_text(". ".join(s for n, s in enumerate(sentences) if n % 5 != 4), encoding="utf-8")
            copies.append(str(path))
    return fresh, copies


def _latency(index: Index, paths: list[str]) -> dict[str, float]:
    times, found = [], 0
    for path in paths:
        started = time.perf_counter()
        report = index.check([path])
        times.append(time.perf_counter() - started)
        found += bool(report.pairs)
    times.sort()
    return {"median_ms": 1000 * statistics.median(times), "p99_ms": 1000 * times[min(len(times) - 1,
            round(0.99 * (len(times) - 1)))], "max_ms": 1000 * times[-1], "with_pairs": found, "count": len(times)}


def speed(args: argparse.Namespace) -> dict[str, object]:
    work: Path = args.work
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    corpus = args.corpus / "corpus.jsonl"
    with open(corpus, encoding="utf-8") as lines:
        documents = sum(1 for _ in lines)
    index = work / "corpus.index"
    jobs = ["-j", str(args.jobs)]
    result: dict[str, object] = {"documents": documents, "machine": _machine()}
    commands = {
        "scan": ["dupefind", "scan", str(corpus), "--format", "json", "-o", str(work / "scan.json"), *jobs],
        "add": ["dupefind", "index", "add", str(index), str(corpus), *jobs],
        "pairs": ["dupefind", "index", "pairs", str(index), "--format", "json", "-o", str(work / "pairs.json"), *jobs],
    }
    result["commands"] = {k: " ".join(v) for k, v in commands.items()}
    for step, command in commands.items():
        seconds = _run(command)
        result[f"{step}_seconds"] = round(seconds, 2)
        print(f"{step}: {seconds:.1f} s ({documents / seconds:,.0f} docs/s)", flush=True)
    result["add_vs_scan_docs_per_s"] = round(float(str(result["scan_seconds"])) / float(str(result["add_seconds"])), 3)
    result["pairs_identical_to_scan"] = (work / "scan.json").read_bytes() == (work / "pairs.json").read_bytes()
    size = index.stat().st_size
    result["index_bytes"] = size
    result["bytes_per_document"] = round(size / documents)
    result["bytes_per_document_by_table"] = {k: round(v / documents) for k, v in _sizes(index).items()}
    print(json.dumps({k: result[k] for k in ("add_vs_scan_docs_per_s", "pairs_identical_to_scan",
                                             "bytes_per_document", "bytes_per_document_by_table")}), flush=True)
    result.update(checks(index, args))
    return result


def checks(index: Path, args: argparse.Namespace) -> dict[str, object]:
    """Steps 4-6 against an index made by step 2."""
    work: Path = args.work
    result: dict[str, object] = {"checked_at": _machine()}
    fresh, copies = _singles(args.new, args.corpus, work, args.singles)
    with Index(index, Config(jobs=args.jobs)) as opened:
        opened.check(fresh[:1])  # warm-up: compiled code loaded, banding computed
        result["check_unrelated"] = _latency(opened, fresh)
        result["check_copies"] = _latency(opened, copies)
        renamed = work / "new.jsonl"  # the generator numbers every corpus from doc0000000
        with open(args.new / "corpus.jsonl", encoding="utf-8") as lines, open(renamed, "w", encoding="utf-8") as out:
            for line in lines:
                record = json.loads(line)
                out.write(json.dumps({"id": f"new-{record['id']}", "text": record["text"]}) + "\n")
        started = time.perf_counter()
        batch = opened.check([str(renamed)])
        result["check_1000_seconds"] = round(time.perf_counter() - started, 2)
        result["check_1000_documents"] = len(batch.documents)
        result["check_1000_pairs"] = len(batch.pairs)
    print(json.dumps({k: result[k] for k in ("check_unrelated", "check_copies", "check_1000_seconds")}), flush=True)
    cli = ["dupefind", "index", "check", str(index), fresh[1], "--format", "json", "-j", "1"]
    result["cli_check_seconds"] = round(statistics.median(_run(cli) for _ in range(3)), 3)
    result["cli_version_seconds"] = round(statistics.median(_run(["dupefind", "--version"]) for _ in range(3)), 3)
    result["cli_command"] = " ".join(cli)
    return result


def equality(args: argparse.Namespace) -> dict[str, object]:
    config = Config(jobs=args.jobs)
    source: Path = args.corpus
    chooser = random.Random(args.seed)
    # the scan's own walk of the folder (answer keys in JSONL left out)
    paths = sorted({u.shown for u in plan_reading([str(source)], exclude=["*.jsonl"]) if isinstance(u, Unit)})
    whole = dupefind.scan(paths, config)
    chooser.shuffle(paths)
    cuts = sorted(chooser.sample(range(1, len(paths)), args.batches - 1))
    batches = [paths[a:b] for a, b in zip([0, *cuts], [*cuts, len(paths)])]
    work: Path = args.work
    work.mkdir(parents=True, exist_ok=True)
    result: dict[str, object] = {"documents": len(paths), "pairs": len(whole.pairs), "batches": len(batches)}
    path = work / "equality.index"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    with Index(path, config) as index:
        for batch in batches:
            index.add(batch)
        result["pairs_identical_to_scan"] = report_json(index.pairs()) == report_json(whole)
    fifth = set(paths[: len(paths) // 5])
    path = work / "equality-rest.index"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    with Index(path, config) as index:
        index.add([p for p in paths if p not in fifth])
        checked = index.check(sorted(fifth))
    expected = [p for p in whole.pairs if p.a in fifth or p.b in fifth]
    result["check_pairs"] = len(checked.pairs)
    result["check_identical_to_scan"] = list(checked.pairs) == expected
    return result


def _machine() -> dict[str, object]:
    return {"cpus": os.cpu_count(), "python": platform.python_version(), "sqlite": sqlite3.sqlite_version,
            "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "load": os.getloadavg()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    fast = commands.add_parser("speed")
    fast.add_argument("corpus", type=Path)
    fast.add_argument("new", type=Path)
    fast.add_argument("--singles", type=int, default=200)
    again = commands.add_parser("checks", help="steps 4-6 only, on the index a speed run left in --work")
    again.add_argument("corpus", type=Path)
    again.add_argument("new", type=Path)
    again.add_argument("--singles", type=int, default=200)
    same = commands.add_parser("equality")
    same.add_argument("corpus", type=Path)
    same.add_argument("--batches", type=int, default=5)
    same.add_argument("--seed", type=int, default=1)
    for sub in (fast, again, same):
        sub.add_argument("--work", type=Path, default=Path("/tmp/index-bench"))
        sub.add_argument("--jobs", type=int, default=2)
        sub.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    if args.command == "speed":
        result = speed(args)
    elif args.command == "checks":
        result = checks(args.work / "corpus.index", args)
    else:
        result = equality(args)
    text = json.dumps(result, indent=2)
    print(text)
    if args.out is not None:
        args.out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
