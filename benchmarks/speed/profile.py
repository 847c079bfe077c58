"""Where a scan's time goes: stage timeline, first-pass CPU per document, verification CPU per stage and pair.

    python benchmarks/speed/profile.py /tmp/speed-100k/corpus.jsonl [--passage-words N]

1. A whole ``dupefind.scan`` (default configuration, every core) with the progress callback
   timing when each stage gives its first and last news, then the JSON report written; and
   the wall time of each stage (the first pass, candidates, verification and alignment: the
   scan's own ``pipeline`` functions, timed where it calls them), then of the JSON report;
   with the peak memory of this process and its workers during each stage (``/proc`` read
   every 0.2 s: the sum of RSS, and of PSS, which counts pages forked workers share once; and
   the RSS of this process alone).
2. The first pass in this process only (``catalog.fingerprint_task`` over every piece of the
   input): CPU microseconds per document.
3. Verification of the scan's candidate pairs in this process only (``jobs=1``), stage by
   stage as ``pipeline.check_pairs`` runs them (the same functions, timed one by one): re-reading
   and screening each document, the pairs with a short text turned down at once by what their
   texts hold, the cheap checks per pair and what they decided, making
   documents ready for the aligner, the sentence check, aligning and judging, packing; then CPU
   per pair that is not reported (everything spent on it: its checks, and its alignment when the
   checks could not turn it down) and per reported pair, and per document. ``--verify-every N``
   times one task in N (a sample, for a corpus too large to verify in one process).

CPU times come from ``time.process_time()``, so they hold on a shared, noisy machine; the
timeline is wall time.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from typing import Any

import numpy as np
from run import descendants, memory_of  # (this folder's: the speed runner's readings of /proc)

import dupefind
from dupefind import pipeline
from dupefind.catalog import build_catalog, fingerprint_task
from dupefind.config import Config
from dupefind.models import PackedPair
from dupefind.pipeline import Reread, TaskDocuments, proposed
from dupefind.pipeline.judging import _aligned, _made, _reread
from dupefind.pipeline.kept import KEPT
from dupefind.pipeline.tasks import _grouped, _pair_task
from dupefind.report.json_report import report_json_chunks
from dupefind.screen import Call, Probe, Screened, call, figures, fragment_possible, probe
from dupefind.sources import Unit, plan_reading
from dupefind.views import View, candidate_views


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", help="a JSONL file or a folder")
    parser.add_argument("--first-pass-docs", type=int, default=20_000,
                        help="documents timed in step 2 (the first pieces of the input)")
    parser.add_argument("--passage-words", type=int, default=Config().passage_words,
                        help="the scan's --passage-words")
    parser.add_argument("--skip", default="", help="comma-separated steps to leave out: timeline,first,verify")
    parser.add_argument("--verify-every", type=int, default=1, metavar="N",
                        help="step 3 times one task in N (the scan's tasks, every Nth in order): a sample "
                             "for corpora too large to verify in one process")
    args = parser.parse_args()
    config = Config(passage_words=args.passage_words)
    if "timeline" not in args.skip:
        timeline(args.corpus, config)
    if "first" not in args.skip:
        first_pass(args.corpus, args.first_pass_docs)
    if "verify" not in args.skip:
        verification(args.corpus, config, every=max(1, args.verify_every))


class Memory:
    """Peak memory of this process and its descendants, read from ``/proc`` in a thread. A
    reading under way when :meth:`reset` is called belongs to the stage before: it is dropped."""

    def __init__(self, poll: float = 0.2) -> None:
        self.peak = (0, 0, 0)  # RSS and PSS of all, RSS of this process alone, in bytes, since the last reset
        self._poll = poll
        self._lock = threading.Lock()
        self._generation = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Memory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def reset(self) -> tuple[int, int, int]:
        """The peak so far, and start again from now."""
        with self._lock:
            peak, self.peak = self.peak, (0, 0, 0)
            self._generation += 1
            generation = self._generation
        self._merge(self.now(), generation)
        return peak

    def now(self) -> tuple[int, int, int]:
        usage = [memory_of(pid) for pid in descendants(os.getpid())]  # (this process first)
        return sum(u[0] for u in usage), sum(u[1] for u in usage), usage[0][0]

    def _merge(self, reading: tuple[int, int, int], generation: int) -> None:
        with self._lock:
            if generation == self._generation:
                self.peak = (max(self.peak[0], reading[0]), max(self.peak[1], reading[1]),
                             max(self.peak[2], reading[2]))

    def _run(self) -> None:
        while not self._stop.wait(self._poll):
            generation = self._generation
            self._merge(self.now(), generation)


def timeline(corpus: str, config: Config) -> None:
    with Memory() as memory:
        _timeline(corpus, config, memory)


def _timeline(corpus: str, config: Config, memory: Memory) -> None:
    start = time.perf_counter()
    seen: dict[str, list[float]] = {}

    def progress(stage: str, items: int, done: int, total: int) -> None:
        now = time.perf_counter() - start
        seen.setdefault(stage, [now, now])[1] = now

    stages: list[tuple[str, float, float, tuple[int, int, int]]] = []

    def timed(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
        def run(*args: Any, **kwargs: Any) -> Any:
            began = time.perf_counter()
            memory.reset()
            try:
                return func(*args, **kwargs)
            finally:
                stages.append((name, began - start, time.perf_counter() - start, memory.reset()))
        return run

    # The scan's own stage functions, timed where the scan calls them (in this process; the
    # work they hand to worker processes is inside their time).
    staged = {"build_catalog": "first pass (read, fingerprint, catalog, sketch again)",
              "proposed": "candidates", "_verified": "verification and alignment"}
    real = {name: getattr(pipeline, name) for name in staged}
    for name, label in staged.items():
        setattr(pipeline, name, timed(label, real[name]))
    try:
        report = dupefind.scan([corpus], config, progress=progress)
    finally:
        for name, func in real.items():
            setattr(pipeline, name, func)
    returned = time.perf_counter() - start
    memory.reset()
    with tempfile.TemporaryDirectory() as folder, open(os.path.join(folder, "r.json"), "w") as out:
        out.writelines(report_json_chunks(report))
        written = time.perf_counter() - start
    writing = memory.reset()
    print(f"timeline ({len(report.documents):,} documents, {len(report.pairs):,} pairs, {config.processes} processes):")
    for stage, (first, last) in seen.items():
        print(f"  {stage}: first news {first:.2f} s, last {last:.2f} s")
    print(f"  scan returned {returned:.2f} s, JSON report written {written:.2f} s")
    for label, began, ended, (rss, pss, main) in stages:
        print(f"  stage {label}: {began:.2f} -> {ended:.2f} s ({ended - began:.2f} s); "
              f"peak RSS {rss / 2**20:,.0f} MB, PSS {pss / 2**20:,.0f} MB (this process alone: {main / 2**20:,.0f} MB)")
    print(f"  stage JSON report: {written - returned:.2f} s; peak RSS {writing[0] / 2**20:,.0f} MB, "
          f"PSS {writing[1] / 2**20:,.0f} MB (this process alone: {writing[2] / 2**20:,.0f} MB)")


def _views(config: Config) -> tuple[View, ...]:
    return candidate_views(scheme=config.scheme, ngram=config.shingle_size, num_perm=config.num_perm,
                           lsh_threshold=config.lsh_threshold, threshold=config.threshold)


def first_pass(corpus: str, limit: int) -> None:
    """The first pass in this process over the pieces of input holding the first ``limit``
    documents: fingerprinting each piece, then the whole ``build_catalog`` (which also counts
    the common segments and reads again and sketches again the documents holding one)."""
    config = Config()
    units: list[Unit] = []
    documents, fingerprinting = 0, 0.0

    def fingerprinted(unit: Unit) -> int:
        return len(fingerprint_task([unit], views=_views(config), seed=config.seed, min_words=config.min_words,
                                    id_field=config.id_field, text_field=config.text_field).documents)

    for unit in plan_reading([corpus]):
        if not isinstance(unit, Unit) or documents >= limit:
            continue
        if not units:
            fingerprinted(unit)  # untimed: the compiled code loaded once
        units.append(unit)
        began = time.process_time()
        documents += fingerprinted(unit)
        fingerprinting += time.process_time() - began
    began = time.process_time()
    build_catalog(list(units), views=_views(config), seed=config.seed, min_words=config.min_words,
                  boilerplate_min_docs=config.boilerplate_min_docs, id_field=config.id_field,
                  text_field=config.text_field)
    whole = time.process_time() - began
    print(f"first pass, one process: {documents:,} documents, {whole / documents * 1e6:.0f} µs CPU each "
          f"(fingerprinting {fingerprinting / documents * 1e6:.0f} µs; the rest is counting the common "
          f"segments and reading again and sketching again the documents that hold one)")


def verification(corpus: str, scan_config: Config, *, every: int = 1) -> None:
    config = Config(jobs=1, passage_words=scan_config.passage_words)
    catalog = build_catalog(list(plan_reading([corpus])), views=_views(config), seed=config.seed,
                            min_words=config.min_words, boilerplate_min_docs=config.boilerplate_min_docs,
                            jobs=Config().processes)
    candidates = proposed(catalog, views=_views(config), threads=config.processes)
    KEPT.clear()  # (documents are kept screened across tasks, as in a scan's workers)
    cpu: defaultdict[str, float] = defaultdict(float)
    count: Counter[str] = Counter()
    spent_not_reported = spent_reported = 0.0
    documents = 0
    clock = time.process_time
    words = np.fromiter((d.words for d in catalog.documents), dtype=np.int64, count=len(catalog.documents))
    seen_pairs = 0
    for number, pairs in enumerate(_grouped(candidates, words=words, jobs=Config().processes)):  # the scan's tasks
        if number % every:
            continue
        task = _pair_task(pairs, catalog)
        seen_pairs += len(task.pairs)
        docs = TaskDocuments(task, commons=catalog.commons, config=config)
        ready: dict[int, Reread] = {}
        probed: dict[int, Probe] = {}

        def probes(doc: Screened, probed: dict[int, Probe] = probed) -> Probe:
            if id(doc) not in probed:
                began = clock()
                probed[id(doc)] = probe(doc)
                cpu["probe (per document)"] += clock() - began
                count["documents probed"] += 1
            return probed[id(doc)]

        for index in task.documents:
            began = clock()
            docs.screen(index)
            cpu["re-read + screen (per document)"] += clock() - began
            documents += 1
        began = clock()
        reachable = docs.within_reach(task.pairs)
        took = clock() - began
        cpu["what short texts hold (the task's pairs at once)"] += took
        count["turned down by what short texts hold"] += len(task.pairs) - len(reachable)
        spent_not_reported += took
        for i, j in reachable:
            began = clock()
            a, b = docs.beside(i, j), docs.beside(j, i)
            spent = clock() - began
            cpu["boilerplate of the pair (screened again beside the partner)"] += spent
            figures_ab = figures(a.shingles, b.shingles)
            probe_cpu = cpu["probe (per document)"]
            began = clock()
            decision = call(a, b, figures_ab, threshold=config.threshold, passage_words=config.passage_words,
                            min_passage_words=config.min_passage_words, probes=probes)
            took = clock() - began - (cpu["probe (per document)"] - probe_cpu)
            cpu["cheap checks"] += took
            spent += took
            count[f"call: {decision.value}"] += 1
            pair = None
            if decision is not Call.NOT_A_COPY:
                for doc in (a, b):
                    if id(doc) not in ready:
                        began = clock()
                        ready[id(doc)] = _reread(doc)
                        cpu["tokenise + ready for the aligner (per document)"] += clock() - began
                        count["documents made ready"] += 1
                x, y = ready[id(a)], ready[id(b)]
                possible = True
                if decision is Call.SENTENCES:
                    began = clock()
                    possible = fragment_possible(x.align, y.align)
                    took = clock() - began
                    cpu["sentence check"] += took
                    spent += took
                    if not possible:
                        count["turned down by the sentence check"] += 1
                if possible:
                    began = clock()
                    aligned = _aligned(x, y, config, figures=None if a.short or b.short else figures_ab)
                    took = clock() - began
                    cpu["align + verdict"] += took
                    spent += took
                    count["aligned"] += 1
                    if aligned.duplicate:
                        began = clock()
                        pair = _made(x, y, aligned)
                        took = clock() - began
                        cpu["summary + explain (copies only)"] += took
                        spent += took
                    else:
                        count["aligned, not reported"] += 1
            if pair is None:
                began = clock()
                pair = docs.second_look(i, j, a, b)
                took = clock() - began
                cpu["second look (common segments one holds spared)"] += took
                spent += took
                if pair is not None:
                    count["reported after the second look"] += 1
            if pair is None:
                spent_not_reported += spent
                continue
            began = clock()
            PackedPair.of(pair)
            took = clock() - began
            cpu["pack"] += took
            spent_reported += spent + took
            count["reported"] += 1
    reported = count["reported"]
    not_reported = seen_pairs - reported
    total = sum(cpu.values())
    sample = f" (one task in {every}: {seen_pairs:,} of the {len(candidates):,} candidates)" if every > 1 else ""
    print(f"verification, one process (--passage-words {config.passage_words}){sample}: {seen_pairs:,} candidates, "
          f"{reported:,} reported; {documents:,} documents re-read ({documents / max(1, seen_pairs):.2f} a pair); "
          f"{total:.2f} s CPU in all, {total / max(1, seen_pairs) * 1e3:.3f} ms a pair")
    for stage, seconds in cpu.items():
        print(f"  {stage}: {seconds:.2f} s")
    for what, n in sorted(count.items()):
        print(f"  {what}: {n:,}")
    per_doc = cpu["re-read + screen (per document)"] / max(1, documents)
    probe_doc = cpu["probe (per document)"] / max(1, count["documents probed"])
    ready_doc = cpu["tokenise + ready for the aligner (per document)"] / max(1, count["documents made ready"])
    print(f"  per document: re-read + screen {per_doc * 1e3:.3f} ms; probe {probe_doc * 1e3:.3f} ms; "
          f"tokenise + ready {ready_doc * 1e3:.3f} ms")
    print(f"  per pair not reported ({not_reported:,}): {spent_not_reported / max(1, not_reported) * 1e3:.3f} ms "
          f"(its checks, and its alignment when they could not turn it down; documents apart)")
    print(f"  per reported pair ({reported:,}): {spent_reported / max(1, reported) * 1e3:.3f} ms "
          f"(checks, alignment, explanation, packing; documents apart)")


if __name__ == "__main__":
    main()
