"""A folder of licence files: documents made mostly of text run in hundreds of others.

    python benchmarks/licence_files.py DOC_ROOT --out FOLDER [--jobs 2]

Gathers every ``DOC_ROOT/*/copyright`` file (a Debian machine's ``/usr/share/doc``: one per
package, most of it licence texts, GPL, BSD, Expat, Apache, each run in dozens to hundreds of
files beside a few lines of the package's own) into ``FOLDER/copyright.jsonl`` (id: the package)
and scans it with the default configuration. Nothing is committed: the files are the machine's.

Such a folder is nearly all documents that keep their common text as content (the boilerplate
rule's exception, ``dupefind.boilerplate.CONTENT_SHARE``), so its pairs grow with the square of
the files sharing a licence. Printed: the scan's time, its pairs and clusters, the pairs by kind,
and how many pairs share only a passage at a pair similarity below 0.05 (two files under
different licences sharing a stretch of one, the pairs the widespread rule sets apart).
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from pathlib import Path

import dupefind
from dupefind import Config


def gather(root: Path, out: Path) -> Path:
    """The copyright files under ``root`` as one JSONL file in ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    corpus = out / "copyright.jsonl"
    with corpus.open("w", encoding="utf-8") as records:
        for path in sorted(root.glob("*/copyright")):
            if path.is_file():
                text = path.read_bytes().decode("utf-8", errors="replace")
                records.write(json.dumps({"id": path.parent.name, "text": text}) + "\n")
    return corpus


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path, help="a documentation tree (/usr/share/doc)")
    parser.add_argument("--out", type=Path, required=True, help="where the JSONL corpus is written")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    corpus = gather(args.root, args.out)
    started = time.perf_counter()
    report = dupefind.scan([str(corpus)], Config(jobs=args.jobs))
    elapsed = time.perf_counter() - started
    kinds = Counter(" ".join(p.relation.kinds) if p.relation is not None else "(no passages)" for p in report.pairs)
    dull = sum(p.relation is not None and p.relation.kinds == ("passage",) and p.similarity < 0.05
               for p in report.pairs)
    sizes = sorted((len(c) for c in report.clusters), reverse=True)
    print(f"{len(report.documents)} documents, {len(report.pairs):,} pairs, {len(report.clusters)} clusters "
          f"(largest {sizes[:3]}), scan {elapsed:.1f} s ({args.jobs} jobs)")
    print(f"pairs sharing only a passage, similarity below 0.05: {dull:,}")
    for kind, count in kinds.most_common():
        print(f"  {count:>8,}  {kind}")


if __name__ == "__main__":
    main()
