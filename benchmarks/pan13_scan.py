"""PAN13 as a scan: every suspicious and source document of the corpus in one ``dupefind`` scan.

Usage (from the repository root, the corpus beside it, never copied in)::

    python benchmarks/pan13_scan.py ../shared/data/pan13-train                  # scan + compare
    python benchmarks/pan13_scan.py ../shared/data/pan13-train --candidates-only \\
        --view content:2:150:64:0.2:0.1 --view words:3:0:64:0.2:0.1            # candidate views only

A full run scans ``susp/`` and ``src/`` together with the default configuration and reports,
per sub-corpus, the listed pairs the scan reports (recall among pairs with a case; for ``01``
and the case-less ``05`` pairs, how many are reported), then runs ``dupefind.compare`` on every
listed pair and lists each pair that ``compare`` reports and the scan does not (the target is
none). ``--candidates-only`` stops after the candidate stage and reports, for each view (the
default ones, then each ``--view family:ngram:window:num_perm:lsh_threshold:min_containment``),
its candidate count and the share of listed pairs it proposes.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pan13 import list_pairs, list_subcorpora, read_cases, read_text

import dupefind
from dupefind.candidates import candidate_pairs
from dupefind.catalog import build_catalog
from dupefind.sources import plan_reading
from dupefind.verify import unpaired
from dupefind.views import View, candidate_views

Pair = tuple[str, str]


def listed(corpus: Path) -> dict[str, dict[Pair, bool]]:
    """Per sub-corpus, each listed pair (file names) and whether it holds a case."""
    found: dict[str, dict[Pair, bool]] = {}
    for folder in list_subcorpora(corpus, None):
        pairs = list_pairs(folder, None)
        cases = read_cases(folder, pairs)
        found[folder.name] = {pair: bool(cases[pair]) for pair in pairs}
    return found


def parse_view(spec: str) -> View:
    """``family:ngram:window:num_perm:lsh_threshold:min_containment[:max_bucket]`` (MinHash) or
    ``family:ngram:sample:min_shared:max_gap:max_bucket`` (sampled keys); a ``content`` view is
    sketched without boilerplate, as the scan's."""
    fields = spec.split(":")
    if len(fields) == 6 and "." not in spec:
        family, ngram, sample, shared, gap, bucket = fields
        return View(spec, family, int(ngram), 0, 1, 1.0, 0.0, int(sample), int(shared), int(gap),  # type: ignore[arg-type]
                    int(bucket))
    family, ngram, window, perm, lsh, least, *bucket = fields
    return View(spec, family, int(ngram), int(window), int(perm), float(lsh), float(least),  # type: ignore[arg-type]
                max_bucket=int(bucket[0]) if bucket else 0, without_boilerplate=family == "content")


def candidates_only(corpus: Path, truth: dict[str, dict[Pair, bool]], extra: Sequence[View],
                    confirmed: dict[Pair, bool]) -> str:
    config = dupefind.Config()
    views = candidate_views(scheme=config.scheme, ngram=config.shingle_size, num_perm=config.num_perm,
                            lsh_threshold=config.lsh_threshold, threshold=config.threshold) + tuple(extra)
    began = time.perf_counter()
    catalog = build_catalog(list(plan_reading([str(corpus / "susp"), str(corpus / "src")])), views=views,
                            seed=config.seed, min_words=config.min_words,
                            boilerplate_min_docs=config.boilerplate_min_docs, jobs=config.processes)
    read = time.perf_counter() - began
    names = [Path(d.id).name for d in catalog.documents]
    usable = np.array([not unpaired(d) for d in catalog.documents], dtype=bool)
    lines = [f"{len(names)} documents, first pass {read:.1f} s (all views)", "",
             "Listed pairs with a case proposed (01: listed pairs proposed); last column: pairs that "
             "compare reports, proposed.", "",
             "| view | rows | candidates | " + " | ".join(truth) + " | compare's |",
             "|---|---:|---:|" + "---:|" * (len(truth) + 1)]
    wanted = {p: True for p, yes in confirmed.items() if yes}
    union: set[Pair] = set()
    for number, view in enumerate(views):
        found = {(names[i], names[j]) for i, j in candidate_pairs([catalog.sketches[number]], views=[view],
                                                                   usable=usable)}
        found |= {(b, a) for a, b in found}
        union |= found
        lines.append(f"| {view.name} | {len(catalog.sketches[number])} | {len(found) // 2} | "
                     + " | ".join(_share(found, pairs) for pairs in truth.values()) + f" | {_share(found, wanted)} |")
    lines.append(f"| union | - | {len(union) // 2} | " + " | ".join(_share(union, p) for p in truth.values())
                 + f" | {_share(union, wanted)} |")
    return "\n".join(lines)


def _share(found: set[Pair], pairs: dict[Pair, bool]) -> str:
    positives = [p for p, case in pairs.items() if case] or list(pairs)
    hit = sum(1 for p in positives if p in found)
    return f"{hit}/{len(positives)} ({hit / len(positives):.3f})"


def _compare(task: tuple[str, str, str]) -> tuple[Pair, bool]:
    corpus, susp, src = task
    a, b = read_text(Path(corpus) / "susp" / susp), read_text(Path(corpus) / "src" / src)
    return (susp, src), dupefind.compare(a, b).duplicate


def compared(corpus: Path, truth: dict[str, dict[Pair, bool]], jobs: int, cache: Path | None) -> dict[Pair, bool]:
    """``compare(...).duplicate`` of every listed pair (read from ``cache`` when it exists;
    written to it otherwise)."""
    if cache is not None and cache.exists():
        return {(a, b): bool(v) for a, b, v in json.loads(cache.read_text())}
    every = [pair for pairs in truth.values() for pair in pairs]
    with ProcessPoolExecutor(jobs) as pool:
        found = dict(pool.map(_compare, [(str(corpus), a, b) for a, b in every], chunksize=32))
    if cache is not None:
        cache.write_text(json.dumps([[a, b, v] for (a, b), v in found.items()]))
    return found


def full(corpus: Path, truth: dict[str, dict[Pair, bool]], jobs: int, cache: Path | None) -> str:
    began = time.perf_counter()
    report = dupefind.scan([str(corpus / "susp"), str(corpus / "src")], dupefind.Config(jobs=jobs))
    took = time.perf_counter() - began
    reported = {(Path(p.a).name, Path(p.b).name) for p in report.pairs}
    reported |= {(b, a) for a, b in reported}
    every = [pair for pairs in truth.values() for pair in pairs]
    by_compare = compared(corpus, truth, jobs, cache)
    listed_all = set(every) | {(b, a) for a, b in every}
    lines = [f"scan: {len(report.documents)} documents, {len(report.pairs)} pairs reported, {took:.1f} s "
             f"({jobs} jobs); reported pairs not listed in any sub-corpus: "
             f"{sum(1 for p in report.pairs if (Path(p.a).name, Path(p.b).name) not in listed_all)}", "",
             "| sub-corpus | positives reported by scan | negatives reported by scan | compare reports | "
             "compare reports, scan misses |", "|---|---:|---:|---:|---:|"]
    missed: list[tuple[str, Pair]] = []
    for name, pairs in truth.items():
        positives = [p for p, case in pairs.items() if case]
        negatives = [p for p, case in pairs.items() if not case]
        hit = sum(1 for p in positives if p in reported)
        false = sum(1 for p in negatives if p in reported)
        confirmed = [p for p in pairs if by_compare[p]]
        gap = [p for p in confirmed if p not in reported]
        missed += [(name, p) for p in gap]
        pos = f"{hit}/{len(positives)} ({hit / len(positives):.3f})" if positives else "-"
        lines.append(f"| {name} | {pos} | {false}/{len(negatives)} | {len(confirmed)} | {len(gap)} |")
    lines += ["", "compare reports, scan misses (sub-corpus, suspicious, source):"]
    lines += [f"  {name[:2]} {a} {b}" for name, (a, b) in missed]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--candidates-only", action="store_true")
    parser.add_argument("--view", action="append", default=[], help="family:ngram:window:perm:lsh:min_containment")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--compare-cache", type=Path, help="JSON file of compare's verdicts (reused if present)")
    args = parser.parse_args(argv)
    truth = listed(args.corpus)
    if args.candidates_only:
        confirmed = compared(args.corpus, truth, args.jobs, args.compare_cache)
        print(candidates_only(args.corpus, truth, [parse_view(v) for v in args.view], confirmed))
    else:
        print(full(args.corpus, truth, args.jobs, args.compare_cache))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
