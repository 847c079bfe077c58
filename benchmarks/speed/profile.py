"""Where a scan's time goes: stage timeline, first-pass CPU per document, verification CPU per pair.

    python benchmarks/speed/profile.py /tmp/speed-100k/corpus.jsonl

1. A whole ``dupefind.scan`` (default configuration, every core) with the progress callback
   timing when each stage gives its first and last news, then the JSON report written.
2. The first pass in this process only (``catalog.fingerprint_task`` over every piece of the
   input): CPU microseconds per document.
3. Verification of the scan's candidate pairs in this process only (``jobs=1``): CPU
   milliseconds per pair, re-reading included.

CPU times come from ``time.process_time()``, so they hold on a shared, noisy machine; the
timeline is wall time.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time

import numpy as np

import dupefind
from dupefind.candidates import candidate_pairs
from dupefind.catalog import build_catalog, fingerprint_task
from dupefind.config import Config
from dupefind.pipeline import _verified
from dupefind.report.json_report import report_json_chunks
from dupefind.sources import Unit, plan_reading
from dupefind.views import View, candidate_views


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", help="a JSONL file or a folder")
    parser.add_argument("--first-pass-docs", type=int, default=20_000,
                        help="documents timed in step 2 (the first pieces of the input)")
    args = parser.parse_args()
    timeline(args.corpus)
    first_pass(args.corpus, args.first_pass_docs)
    verification(args.corpus)


def timeline(corpus: str) -> None:
    start = time.perf_counter()
    seen: dict[str, list[float]] = {}

    def progress(stage: str, items: int, done: int, total: int) -> None:
        now = time.perf_counter() - start
        seen.setdefault(stage, [now, now])[1] = now

    report = dupefind.scan([corpus], Config(), progress=progress)
    returned = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as folder, open(os.path.join(folder, "r.json"), "w") as out:
        out.writelines(report_json_chunks(report))
        written = time.perf_counter() - start
    print(f"timeline ({len(report.documents):,} documents, {len(report.pairs):,} pairs, {Config().processes} processes):")
    for stage, (first, last) in seen.items():
        print(f"  {stage}: first news {first:.2f} s, last {last:.2f} s")
    print(f"  scan returned {returned:.2f} s, JSON report written {written:.2f} s")


def _views(config: Config) -> tuple[View, ...]:
    return candidate_views(scheme=config.scheme, ngram=config.shingle_size, num_perm=config.num_perm,
                           lsh_threshold=config.lsh_threshold, threshold=config.threshold)


def first_pass(corpus: str, limit: int) -> None:
    config = Config()
    documents, cpu = 0, 0.0
    for unit in plan_reading([corpus]):
        if not isinstance(unit, Unit) or documents >= limit:
            continue
        began = time.process_time()
        documents += len(fingerprint_task([unit], views=_views(config), seed=config.seed,
                                          min_words=config.min_words, id_field=config.id_field,
                                          text_field=config.text_field).documents)
        cpu += time.process_time() - began
    print(f"first pass, one process: {documents:,} documents, {cpu / documents * 1e6:.0f} µs CPU each")


def verification(corpus: str) -> None:
    config = Config(jobs=1)
    catalog = build_catalog(list(plan_reading([corpus])), views=_views(config), seed=config.seed,
                            min_words=config.min_words, boilerplate_min_docs=config.boilerplate_min_docs,
                            jobs=Config().processes)
    usable = np.array([not d.short for d in catalog.documents], dtype=bool)
    candidates = sorted(set(candidate_pairs(catalog.sketches, views=_views(config), usable=usable)))
    began = time.process_time()
    found = sum(1 for _ in _verified(candidates, catalog, config, None))
    cpu = time.process_time() - began
    print(f"verification, one process: {len(candidates):,} candidates ({found:,} copies), "
          f"{cpu / max(1, len(candidates)) * 1e3:.2f} ms CPU each")


if __name__ == "__main__":
    main()
