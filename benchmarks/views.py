"""Candidate views measured on a generated corpus: candidates, planted pairs proposed, first-pass CPU.

Usage (a corpus made by ``benchmarks/speed/generate.py``: ``corpus.jsonl`` and ``truth.jsonl``)::

    python benchmarks/views.py /tmp/speed-10k --view content:2:4:2:64

For the default views and each ``--view`` (the syntax of ``pan13_scan.py``), the number of
candidate pairs it proposes and the planted pairs among them, per kind of copy. Then the
first pass's CPU per document in this process (with the documents read and sketched again),
with the first (stopword) view only and with all default views, each timed in turn in the same run.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pan13_scan import parse_view

import dupefind
from dupefind.candidates import candidate_pairs
from dupefind.catalog import build_catalog
from dupefind.models import Skipped
from dupefind.sources import Unit, plan_reading
from dupefind.verify import unpaired
from dupefind.views import View, candidate_views


def default_views() -> tuple[View, ...]:
    config = dupefind.Config()
    return candidate_views(scheme=config.scheme, ngram=config.shingle_size, num_perm=config.num_perm,
                           lsh_threshold=config.lsh_threshold, threshold=config.threshold)


def first_pass_cpu(corpus: str, limit: int) -> tuple[float, float]:
    """CPU seconds per document of the whole first pass (``build_catalog`` in this process: read,
    fingerprint, count the common segments, read again and sketch again the documents that hold
    one) over the pieces of input that hold the first ``limit`` documents, with the stopword view
    only and with all default views, each timed twice in turn (the least of the two is kept), so
    that the load of the machine weighs on both alike."""
    config = dupefind.Config()
    units: list[Unit | Skipped] = []
    for unit in plan_reading([corpus]):
        if isinstance(unit, Unit) and (unit.kind != "jsonl" or unit.first_line <= limit):
            units.append(unit)
    settings = (default_views()[:1], default_views())
    best = [float("inf"), float("inf")]
    for _ in range(2):
        for k, views in enumerate(settings):
            began = time.process_time()
            catalog = build_catalog(units, views=views, seed=config.seed, min_words=config.min_words,
                                    boilerplate_min_docs=config.boilerplate_min_docs, id_field=config.id_field,
                                    text_field=config.text_field)
            best[k] = min(best[k], (time.process_time() - began) / max(1, len(catalog.documents)))
    return best[0], best[1]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--view", action="append", default=[])
    parser.add_argument("--cpu-limit", type=int, default=5000, help="documents timed for the first pass (0: not timed)")
    args = parser.parse_args(argv)
    corpus = str(args.folder / "corpus.jsonl")
    truth = [json.loads(line) for line in (args.folder / "truth.jsonl").read_text().splitlines() if line]
    config = dupefind.Config()
    views = default_views() + tuple(parse_view(v) for v in args.view)
    catalog = build_catalog(list(plan_reading([corpus])), views=views, seed=config.seed,
                            min_words=config.min_words, boilerplate_min_docs=config.boilerplate_min_docs,
                            jobs=config.processes)
    ids = [d.id for d in catalog.documents]
    usable = np.array([not unpaired(d) for d in catalog.documents], dtype=bool)
    kinds = sorted({t["kind"] for t in truth})
    print(f"{len(ids)} documents, {len(truth)} planted pairs\n")
    print("| view | rows | candidates | " + " | ".join(kinds) + " | all |")
    print("|---|---:|---:|" + "---:|" * (len(kinds) + 1))
    union: set[tuple[str, str]] = set()
    for number, view in enumerate(views):
        pairs = {(ids[i], ids[j]) for i, j in candidate_pairs([catalog.sketches[number]], views=[view],
                                                              usable=usable)}
        pairs |= {(b, a) for a, b in pairs}
        union |= pairs
        print(_row(view.name, str(len(catalog.sketches[number])), pairs, truth, kinds))
    print(_row("union", "-", union, truth, kinds))
    if args.cpu_limit <= 0:
        return 0
    only_first, every = first_pass_cpu(corpus, args.cpu_limit)
    print(f"\nfirst pass, one process, {args.cpu_limit} documents: stopword view only "
          f"{only_first * 1e6:.0f} µs CPU per document, default views {every * 1e6:.0f} µs "
          f"({every / only_first:.2f}x)")
    return 0


def _row(name: str, rows: str, pairs: set[tuple[str, str]], truth: list[dict[str, str]], kinds: list[str]) -> str:
    cells = []
    for kind in kinds + ["all"]:
        mine = [t for t in truth if kind in ("all", t["kind"])]
        hit = sum(1 for t in mine if (t["copy"], t["original"]) in pairs)
        cells.append(f"{hit}/{len(mine)}")
    return f"| {name} | {rows} | {len(pairs) // 2} | " + " | ".join(cells) + " |"


if __name__ == "__main__":
    raise SystemExit(main())
