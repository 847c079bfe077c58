"""Memory for long documents: two documents of many megabytes, compared and scanned.

    python benchmarks/long_documents.py ../shared/data/pan13-train/src --mb 10 --work /tmp/long

Document A is the folder's ``.txt`` files, in name order, joined until it holds ``--mb``
megabytes; document B is every other one of A's files (in reverse order: reused passages,
moved) joined with files A does not hold, until it is as long. They share about half of their
text, in long stretches, the case where alignment work used to grow with the product of the
lengths. Measured, each as a process of its own (the ``dupefind`` command line):

- ``compare A B --format json``: wall time and peak RSS;
- ``scan`` of a folder holding A, B and ``--others`` ordinary files of the same source:
  wall time and peak RSS of all its processes together (sampled from ``/proc`` every 50 ms).

Linux only (``/proc``). The work folder is made if missing and must be empty.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path


def build(source: Path, megabytes: float, work: Path, others: int) -> tuple[Path, Path, Path]:
    files = sorted(source.glob("*.txt"))
    size = int(megabytes * 1e6)
    a_parts, b_parts, used = [], [], 0
    total = 0
    for used, path in enumerate(files):  # noqa: B007 - ``used`` is read after the loop
        if total >= size:
            break
        a_parts.append(path.read_text(encoding="utf-8", errors="replace"))
        total += len(a_parts[-1].encode("utf-8"))
    b_parts = a_parts[::2][::-1]
    total = sum(len(p.encode("utf-8")) for p in b_parts)
    rest = iter(files[used:])
    for path in rest:
        if total >= size:
            break
        b_parts.append(path.read_text(encoding="utf-8", errors="replace"))
        total += len(b_parts[-1].encode("utf-8"))
    folder = work / "scan"
    folder.mkdir(parents=True)
    a, b = folder / "long_a.txt", folder / "long_b.txt"
    a.write_text("\n\n".join(a_parts), encoding="utf-8")
    b.write_text("\n\n".join(b_parts), encoding="utf-8")
    for path in list(rest)[:others]:
        shutil.copyfile(path, folder / path.name)
    return a, b, folder


def run(command: list[str]) -> tuple[float, float, int]:
    """Wall seconds, peak RSS in MB of the process and its descendants together, exit code."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    while process.poll() is None:
        peak = max(peak, _tree_rss(process.pid))
        time.sleep(0.05)
    return time.perf_counter() - started, peak / 1e6, process.returncode


def _tree_rss(root: int) -> int:
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry))
        rss[int(entry)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, []))
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("source", type=Path, help="a folder of .txt files (real prose)")
    parser.add_argument("--mb", type=float, default=10.0, help="megabytes per long document (default 10)")
    parser.add_argument("--others", type=int, default=200, help="ordinary files scanned with them (default 200)")
    parser.add_argument("--work", type=Path, required=True, help="an empty work folder")
    parser.add_argument("--skip-scan", action="store_true", help="measure compare only")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    if any(args.work.iterdir()):
        sys.exit(f"{args.work} is not empty")
    a, b, folder = build(args.source, args.mb, args.work, args.others)
    dupefind = [sys.executable, "-m", "dupefind"]
    print(f"A: {a.stat().st_size / 1e6:.1f} MB, B: {b.stat().st_size / 1e6:.1f} MB", file=sys.stderr)
    out = args.work / "compare.json"
    seconds, peak, code = run([*dupefind, "compare", str(a), str(b), "--format", "json", "-o", str(out)])
    pair = json.loads(out.read_text(encoding="utf-8")) if out.exists() else {}
    print("| run | wall | peak RSS (all processes) | result |")
    print("|---|---|---|---|")
    print(f"| compare {a.stat().st_size / 1e6:.1f} MB × {b.stat().st_size / 1e6:.1f} MB | {seconds:.1f} s | "
          f"{peak:,.0f} MB | exit {code}, {len(pair.get('passages', []))} passages, "
          f"containment {pair.get('containment', '-')} |")
    if not args.skip_scan:
        report = args.work / "scan.json"
        seconds, peak, code = run([*dupefind, "scan", str(folder), "--format", "json", "-o", str(report)])
        data = json.loads(report.read_text(encoding="utf-8")) if report.exists() else {"summary": {}}
        others = sum(1 for _ in folder.iterdir()) - 2  # fewer than --others when the source ran out
        print(f"| scan of the two and {others} ordinary files | {seconds:.1f} s | {peak:,.0f} MB | "
              f"exit {code}, {data['summary'].get('pairs', '-')} pairs |")


if __name__ == "__main__":
    main()
