"""A folder of N identical articles, scanned end to end: the time and the report size.

Before identical documents were grouped, N copies cost N (N - 1) / 2 verified and aligned pairs;
now each copy is paired with the group's first, so the work and the report grow with N.

    python benchmarks/identical_documents.py samples/040_night_trains_return.txt --count 10000 \\
        --words 600 --folder /tmp/identical

The article is the given text's first ``--words`` words (repeated if it is shorter), written
``--count`` times into ``--folder`` (made if missing, must be empty); the scan is the
``dupefind`` command line (``--format json -o``), run as a process of its own and timed whole.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("text", type=Path, help="a text file the article is cut from")
    parser.add_argument("--count", type=int, default=10_000, help="identical documents (default 10000)")
    parser.add_argument("--words", type=int, default=600, help="words per document (default 600)")
    parser.add_argument("--folder", type=Path, required=True, help="where the documents are written")
    parser.add_argument("--jobs", type=int, default=0, help="dupefind --jobs (default 0: every core)")
    args = parser.parse_args()
    words = args.text.read_text(encoding="utf-8").split()
    article = " ".join((words * (args.words // max(len(words), 1) + 1))[: args.words])
    args.folder.mkdir(parents=True, exist_ok=True)
    if any(args.folder.iterdir()):
        sys.exit(f"{args.folder} is not empty")
    docs = args.folder / "docs"
    docs.mkdir()
    for k in range(args.count):
        (docs / f"page{k:06d}.txt").write_text(article, encoding="utf-8")
    out = args.folder / "report.json"
    command = [sys.executable, "-m", "dupefind", "scan", str(docs), "--format", "json", "-o", str(out),
               "--jobs", str(args.jobs)]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode not in (0, 1):
        sys.exit(f"dupefind failed ({done.returncode}): {done.stderr}")
    report = json.loads(out.read_text(encoding="utf-8"))
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)  # dupefind and its workers
    print("| documents | words each | wall | CPU (all processes) | pairs | clusters | JSON report | peak RSS (largest process) |")
    print("|---|---|---|---|---|---|---|---|")
    print(f"| {args.count:,} | {args.words} | {seconds:.1f} s | {usage.ru_utime + usage.ru_stime:.1f} s | "
          f"{report['summary']['pairs']:,} | {report['summary']['clusters']} | {out.stat().st_size / 1e6:.1f} MB | "
          f"{usage.ru_maxrss / 1024:.0f} MB |")


if __name__ == "__main__":
    main()
