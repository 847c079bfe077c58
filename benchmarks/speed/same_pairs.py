"""Staged verification against aligning every candidate: the same report, byte for byte?

    python benchmarks/speed/same_pairs.py PATH [PATH ...] [--passage-words N] [--jobs N]

Scans the inputs twice with the default configuration (or ``--passage-words``): once as
``dupefind.scan`` runs (cheap checks first, only what they cannot turn down aligned), once with
every candidate pair prepared in full and aligned, as verification ran before the staged
checks. Prints the candidates' count, both reports' pairs and whether the two JSON reports
(as the JSON report writes them: figures, relation, passages) and clusters are identical (exit 1
if not), with each run's wall time.
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any

import numpy as np

import dupefind
from dupefind import pipeline
from dupefind.config import Config
from dupefind.models import Pair
from dupefind.pipeline import checking, judging
from dupefind.report.json_report import pair_dict
from dupefind.screen import Screened


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--passage-words", type=int, default=Config().passage_words)
    parser.add_argument("--jobs", type=int, default=0)
    args = parser.parse_args()
    config = Config(passage_words=args.passage_words, jobs=args.jobs)
    began = time.perf_counter()
    staged = dupefind.scan(args.paths, config)
    staged_s = time.perf_counter() - began
    real_staged = checking.staged_pair
    real_build = pipeline.build_catalog
    commons: list[Any] = []

    def build(*given: Any, **options: Any) -> Any:
        catalog = real_build(*given, **options)
        commons.append(catalog.commons)
        return catalog

    def ready(doc: Screened, config: Config) -> judging.Reread:
        # Prepared anew from its text; but a document beside a partner may keep common segments
        # the first look set aside (the scan's second look at a pair), and is then read as the
        # pair reads it.
        fresh = judging._prepare(doc.id, doc.text, commons[-1], config)
        return fresh if np.array_equal(fresh.verify.boilerplate, doc.boilerplate) else judging._reread(doc)

    def every_pair(a: Screened, b: Screened, config: Config, **_: object) -> Pair | None:
        pair = judging._pair(ready(a, config), ready(b, config), config)
        return pair if pair.duplicate else None

    pipeline.build_catalog = build  # type: ignore[assignment]  # this script's one run only
    checking.staged_pair = every_pair  # type: ignore[assignment]  # this script's one run only
    try:
        began = time.perf_counter()
        full = dupefind.scan(args.paths, Config(passage_words=args.passage_words, jobs=1))
        full_s = time.perf_counter() - began
    finally:
        checking.staged_pair = real_staged  # type: ignore[assignment]
        pipeline.build_catalog = real_build  # type: ignore[assignment]
    same = ([pair_dict(p) for p in staged.pairs] == [pair_dict(p) for p in full.pairs]
            and staged.clusters == full.clusters)
    print(f"{' '.join(args.paths)} (--passage-words {args.passage_words}): staged {len(staged.pairs):,} pairs "
          f"in {staged_s:.1f} s ({config.processes} processes); every pair aligned {len(full.pairs):,} pairs in "
          f"{full_s:.1f} s (1 process); identical reports: {same}")
    sys.exit(0 if same else 1)


if __name__ == "__main__":
    main()
