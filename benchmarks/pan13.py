#!/usr/bin/env python3
"""PAN 2013 text-alignment benchmark for dupefind.

For every (suspicious, source) pair of the selected PAN13 sub-corpora, align
the two texts, score the passages with the PAN measures (precision, recall,
granularity, plagdet; see ``pan_measures.py``) against the truth cases, and
score pair detection (``.duplicate``) against "the pair holds a case".

Usage::

    python benchmarks/pan13.py ../shared/data/pan13-train [--subcorpus 02 03]
        [--limit N] [--jobs N] [--out DIR] [--json FILE] [--aligner dupefind|naive]

Aligners:

* ``dupefind`` (default): ``dupefind.compare(suspicious_text, source_text)``;
  every passage of the result is a detection, whatever ``.duplicate`` says.
* ``naive``: the documented baseline below, a word-3-gram seed-and-extend
  aligner; it reports a pair as duplicate when it finds any passage.

Detections are written as PAN XML (one file per pair, one folder per
sub-corpus) into ``--out`` (default: a new temporary folder), so the official
PAN evaluator can be run on them too.  The corpus itself is only read.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import re
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pan_measures import (
    PairKey,
    Span,
    count_chars,
    evaluate,
    pair_from_xml_name,
    read_annotations,
    write_detections,
    xml_name,
)

REPO_ROOT = Path(__file__).resolve().parents[1]
SUBCORPUS_PATTERN = re.compile(r"^\d\d-[\w-]+$")
NEGATIVE_SUBCORPUS = "01"
ALIGNERS = ("dupefind", "naive")


# --------------------------------------------------------------------------
# Records
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Alignment:
    """What an aligner says about one pair: pair verdict and passages."""

    duplicate: bool
    spans: tuple[Span, ...]


@dataclass(frozen=True)
class Task:
    """One pair to align; everything a worker process needs."""

    corpus_dir: str
    subcorpus: str
    pair: PairKey
    aligner: str


@dataclass(frozen=True)
class PairOutcome:
    """The aligner's answer for one pair and the time it took (reading included).

    A pair whose aligner raised has no passages, is not reported, and keeps the error.
    """

    subcorpus: str
    pair: PairKey
    alignment: Alignment
    seconds: float
    error: str | None = None


@dataclass(frozen=True)
class SubcorpusReport:
    """Figures of one sub-corpus (or of all selected ones, named "all")."""

    name: str
    pairs: int
    cases: int
    precision: float
    recall: float
    granularity: float
    plagdet: float
    detections: int
    pairs_with_detections: int
    detected_chars: int
    positives: int
    positives_reported: int
    negatives: int
    negatives_reported: int


@dataclass(frozen=True)
class PairDetection:
    """Pair-level detection quality over all selected sub-corpora."""

    true_positives: int
    false_positives: int
    false_negatives: int
    precision: float | None
    recall: float | None


@dataclass(frozen=True)
class Timing:
    """Wall-clock cost of the alignment run."""

    pairs: int
    jobs: int
    wall_seconds: float
    pairs_per_second: float
    aligner_seconds: float


@dataclass(frozen=True)
class BenchmarkReport:
    """Everything the benchmark prints or writes as JSON."""

    aligner: str
    corpus: str
    limit: int | None
    out_dir: str
    subcorpora: tuple[SubcorpusReport, ...]
    overall: SubcorpusReport
    pair_detection: PairDetection
    timing: Timing
    errors: tuple[str, ...]


# --------------------------------------------------------------------------
# Naive baseline aligner: word-3-gram seed-and-extend
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class NaiveParams:
    """Knobs of the naive baseline, in words (one setting for every sub-corpus)."""

    ngram: int = 3
    max_gap: int = 30
    min_seeds: int = 4
    min_words: int = 15
    max_occurrences: int = 4


@dataclass(frozen=True)
class Token:
    """A lower-cased word and its character range in the text."""

    text: str
    start: int
    end: int


@dataclass
class _Cluster:
    """Mutable bounding box of a growing group of seeds (word indices)."""

    a_lo: int
    a_hi: int
    b_lo: int
    b_hi: int
    seeds: int


WORD = re.compile(r"\w+")


def tokenize(text: str) -> list[Token]:
    """Words of ``text`` (``\\w+``), lower-cased, with character offsets."""
    return [Token(m.group().lower(), m.start(), m.end()) for m in WORD.finditer(text)]


def find_seeds(
    a: Sequence[Token], b: Sequence[Token], params: NaiveParams
) -> list[tuple[int, int]]:
    """All (i, j) such that the word n-grams starting at a[i] and b[j] are equal.

    N-grams that occur more than ``max_occurrences`` times in ``b`` are ignored.
    """
    n = params.ngram
    positions: dict[tuple[str, ...], list[int]] = {}
    for j in range(len(b) - n + 1):
        positions.setdefault(tuple(t.text for t in b[j : j + n]), []).append(j)
    seeds: list[tuple[int, int]] = []
    for i in range(len(a) - n + 1):
        hits = positions.get(tuple(t.text for t in a[i : i + n]), [])
        if len(hits) <= params.max_occurrences:
            seeds.extend((i, j) for j in hits)
    return seeds


def _near(lo: int, hi: int, other_lo: int, other_hi: int, gap: int) -> bool:
    """Whether two index ranges overlap or are at most ``gap`` apart."""
    return other_lo <= hi + gap and lo <= other_hi + gap


def _cluster_seeds(seeds: Sequence[tuple[int, int]], gap: int) -> list[_Cluster]:
    """Greedy single pass over seeds in suspicious order, then merge near clusters."""
    clusters: list[_Cluster] = []
    for i, j in sorted(seeds):
        for cluster in reversed(clusters):
            if i - cluster.a_hi <= gap and _near(cluster.b_lo, cluster.b_hi, j, j, gap):
                cluster.a_hi = max(cluster.a_hi, i)
                cluster.b_lo, cluster.b_hi = min(cluster.b_lo, j), max(cluster.b_hi, j)
                cluster.seeds += 1
                break
        else:
            clusters.append(_Cluster(i, i, j, j, 1))
    return _merge_clusters(clusters, gap)


def _merge_clusters(clusters: list[_Cluster], gap: int) -> list[_Cluster]:
    """Merge clusters that are near each other on both sides, until none are."""
    merged = True
    while merged:
        merged = False
        kept: list[_Cluster] = []
        for cluster in sorted(clusters, key=lambda c: (c.a_lo, c.b_lo)):
            for other in kept:
                if _near(other.a_lo, other.a_hi, cluster.a_lo, cluster.a_hi, gap) and _near(
                    other.b_lo, other.b_hi, cluster.b_lo, cluster.b_hi, gap
                ):
                    other.a_lo, other.a_hi = (
                        min(other.a_lo, cluster.a_lo),
                        max(other.a_hi, cluster.a_hi),
                    )
                    other.b_lo, other.b_hi = (
                        min(other.b_lo, cluster.b_lo),
                        max(other.b_hi, cluster.b_hi),
                    )
                    other.seeds += cluster.seeds
                    merged = True
                    break
            else:
                kept.append(cluster)
        clusters = kept
    return clusters


def _cluster_span(cluster: _Cluster, a: Sequence[Token], b: Sequence[Token], n: int) -> Span:
    """Character span covering the cluster's first to last n-gram on both sides."""
    a_start, a_end = a[cluster.a_lo].start, a[cluster.a_hi + n - 1].end
    b_start, b_end = b[cluster.b_lo].start, b[cluster.b_hi + n - 1].end
    return Span(a_start, a_end - a_start, b_start, b_end - b_start)


def naive_align(text_a: str, text_b: str, params: NaiveParams = NaiveParams()) -> Alignment:
    """Baseline aligner: word-3-gram seed-and-extend.

    1. Seeds: equal lower-cased word 3-grams (those frequent in the source skipped).
    2. Extend: seeds within ``max_gap`` words of a group on both sides join it;
       near groups are merged.
    3. Filter: a group needs ``min_seeds`` seeds and ``min_words`` words on each
       side; groups overlapping a better-supported group (either side) are dropped.
    4. Each group becomes a passage from its first to its last 3-gram on each side.

    The pair is a duplicate when any passage is found.
    """
    a, b = tokenize(text_a), tokenize(text_b)
    clusters = [
        c
        for c in _cluster_seeds(find_seeds(a, b, params), params.max_gap)
        if c.seeds >= params.min_seeds
        and min(c.a_hi - c.a_lo, c.b_hi - c.b_lo) + params.ngram >= params.min_words
    ]
    spans = tuple(sorted(_cluster_span(c, a, b, params.ngram) for c in _drop_overlapping(clusters)))
    return Alignment(duplicate=bool(spans), spans=spans)


def _drop_overlapping(clusters: Sequence[_Cluster]) -> list[_Cluster]:
    """Keep the best-supported clusters; drop any overlapping a kept one on either side."""
    kept: list[_Cluster] = []
    for cluster in sorted(clusters, key=lambda c: -c.seeds):
        if not any(
            _near(k.a_lo, k.a_hi, cluster.a_lo, cluster.a_hi, 0)
            or _near(k.b_lo, k.b_hi, cluster.b_lo, cluster.b_hi, 0)
            for k in kept
        ):
            kept.append(cluster)
    return kept


# --------------------------------------------------------------------------
# dupefind aligner
# --------------------------------------------------------------------------


def dupefind_align(text_a: str, text_b: str) -> Alignment:
    """``dupefind.compare`` (A = suspicious, B = source); all passages are detections."""
    import dupefind  # imported here: the naive baseline must run without it

    result = dupefind.compare(text_a, text_b)
    spans = tuple(
        Span(p.a_start, p.a_end - p.a_start, p.b_start, p.b_end - p.b_start)
        for p in result.passages
    )
    return Alignment(duplicate=bool(result.duplicate), spans=spans)


def dupefind_missing() -> str | None:
    """Why ``dupefind.compare`` cannot be used, or None when it can."""
    try:
        import dupefind
    except ImportError as exc:
        return f"cannot import dupefind ({exc}); run `pip install -e .` in the repo"
    if not callable(getattr(dupefind, "compare", None)):
        return "dupefind has no compare() yet"
    return None


def align(aligner: str, text_a: str, text_b: str) -> Alignment:
    """Run the named aligner on one pair."""
    if aligner == "naive":
        return naive_align(text_a, text_b)
    if aligner == "dupefind":
        return dupefind_align(text_a, text_b)
    raise ValueError(f"unknown aligner {aligner!r}")


# --------------------------------------------------------------------------
# Corpus
# --------------------------------------------------------------------------


def read_text(path: Path) -> str:
    """A corpus document: UTF-8, line ends kept (offsets count every character)."""
    with path.open(encoding="utf-8", newline="") as handle:
        return handle.read()


def list_subcorpora(corpus_dir: Path, wanted: Sequence[str] | None) -> list[Path]:
    """Sub-corpus folders (``NN-name``), restricted to ``wanted`` prefixes or names."""
    folders = sorted(
        p for p in corpus_dir.iterdir() if p.is_dir() and SUBCORPUS_PATTERN.match(p.name)
    )
    if not wanted:
        return folders
    chosen = [p for p in folders if any(p.name == w or p.name[:2] == w for w in wanted)]
    unknown = [w for w in wanted if not any(p.name == w or p.name[:2] == w for p in folders)]
    if unknown:
        raise SystemExit(f"unknown sub-corpus {', '.join(unknown)} in {corpus_dir}")
    return chosen


def list_pairs(folder: Path, limit: int | None) -> list[PairKey]:
    """Pairs of a sub-corpus in its ``pairs`` file order (else XML name order)."""
    pairs_file = folder / "pairs"
    if pairs_file.exists():
        pairs = [
            (fields[0], fields[1])
            for fields in (line.split() for line in read_text(pairs_file).splitlines())
            if len(fields) >= 2
        ]
    else:
        pairs = [pair_from_xml_name(p.name) for p in sorted(folder.glob("*.xml"))]
    return pairs[:limit] if limit is not None else pairs


def read_cases(folder: Path, pairs: Sequence[PairKey]) -> dict[PairKey, list[Span]]:
    """Truth cases of each pair (an empty list for a pair without a case)."""
    cases: dict[PairKey, list[Span]] = {}
    for pair in pairs:
        found = read_annotations(folder / xml_name(pair))
        cases[pair] = list(found.get(pair, []))
    return cases


# --------------------------------------------------------------------------
# Running
# --------------------------------------------------------------------------


def run_task(task: Task) -> PairOutcome:
    """Worker: read one pair, align it, time it; an aligner failure is recorded, not raised."""
    started = time.perf_counter()
    corpus = Path(task.corpus_dir)
    susp, src = task.pair
    text_a, text_b = read_text(corpus / "susp" / susp), read_text(corpus / "src" / src)
    try:
        alignment, error = align(task.aligner, text_a, text_b), None
    except Exception as exc:
        alignment, error = Alignment(False, ()), f"{type(exc).__name__}: {exc}"
    elapsed = time.perf_counter() - started
    return PairOutcome(task.subcorpus, task.pair, alignment, elapsed, error)


def run_all(tasks: Sequence[Task], jobs: int) -> Iterator[PairOutcome]:
    """Outcomes in the order of ``tasks``, computed by ``jobs`` processes."""
    if jobs <= 1:
        yield from map(run_task, tasks)
        return
    with multiprocessing.get_context("spawn").Pool(jobs) as pool:
        yield from pool.imap(run_task, tasks, chunksize=4)


def subcorpus_report(
    name: str, cases: dict[PairKey, list[Span]], outcomes: Sequence[PairOutcome]
) -> SubcorpusReport:
    """PAN measures and pair-detection counts of one group of pairs."""
    detections = {o.pair: list(o.alignment.spans) for o in outcomes}
    scores = evaluate(cases, detections)
    positive = {pair for pair, spans in cases.items() if spans}
    reported = {o.pair for o in outcomes if o.alignment.duplicate}
    return SubcorpusReport(
        name=name,
        pairs=len(outcomes),
        cases=sum(len(spans) for spans in cases.values()),
        precision=scores.precision,
        recall=scores.recall,
        granularity=scores.granularity,
        plagdet=scores.plagdet,
        detections=sum(len(spans) for spans in detections.values()),
        pairs_with_detections=sum(1 for spans in detections.values() if spans),
        detected_chars=sum(count_chars(spans) for spans in detections.values()),
        positives=len(positive),
        positives_reported=len(positive & reported),
        negatives=len(outcomes) - len(positive),
        negatives_reported=len(reported - positive),
    )


def pair_detection(overall: SubcorpusReport) -> PairDetection:
    """Pair-level precision and recall from the pooled counts."""
    tp, fp = overall.positives_reported, overall.negatives_reported
    fn = overall.positives - tp
    return PairDetection(
        true_positives=tp,
        false_positives=fp,
        false_negatives=fn,
        precision=tp / (tp + fp) if tp + fp else None,
        recall=tp / overall.positives if overall.positives else None,
    )


def check_out_dir(out: Path) -> Path:
    """Refuse an output folder inside the repository or one that is not empty.

    Detections are derived from the corpus, so they stay out of the repository;
    an empty folder guarantees no stale XML of an earlier run is mixed in.
    """
    resolved = out.resolve()
    if resolved == REPO_ROOT or REPO_ROOT in resolved.parents:
        raise SystemExit(f"--out must be outside the repository ({REPO_ROOT})")
    if resolved.exists() and any(resolved.iterdir()):
        raise SystemExit(f"--out {resolved} is not empty")
    return resolved


def benchmark(args: argparse.Namespace) -> BenchmarkReport:
    """Align all selected pairs, write detection XMLs, compute every figure."""
    corpus_dir = Path(args.corpus_dir).resolve()
    folders = list_subcorpora(corpus_dir, args.subcorpus)
    out_dir = check_out_dir(Path(args.out) if args.out else Path(tempfile.mkdtemp(prefix="pan13-")))
    pairs_of = {f.name: list_pairs(f, args.limit) for f in folders}
    cases_of = {f.name: read_cases(f, pairs_of[f.name]) for f in folders}
    tasks = [
        Task(str(corpus_dir), name, pair, args.aligner)
        for name, pairs in pairs_of.items()
        for pair in pairs
    ]

    started = time.perf_counter()
    outcomes = list(run_all(tasks, args.jobs))
    wall = time.perf_counter() - started

    for outcome in outcomes:
        write_detections(out_dir / outcome.subcorpus, outcome.pair, outcome.alignment.spans)
    reports = tuple(
        subcorpus_report(name, cases_of[name], [o for o in outcomes if o.subcorpus == name])
        for name in pairs_of
    )
    all_cases = {pair: spans for cases in cases_of.values() for pair, spans in cases.items()}
    overall = subcorpus_report("all", all_cases, outcomes)
    timing = Timing(
        pairs=len(outcomes),
        jobs=args.jobs,
        wall_seconds=wall,
        pairs_per_second=len(outcomes) / wall if wall > 0 else 0.0,
        aligner_seconds=sum(o.seconds for o in outcomes),
    )
    return BenchmarkReport(
        aligner=args.aligner,
        corpus=str(corpus_dir),
        limit=args.limit,
        out_dir=str(out_dir),
        subcorpora=reports,
        overall=overall,
        pair_detection=pair_detection(overall),
        timing=timing,
        errors=tuple(f"{o.subcorpus}/{xml_name(o.pair)}: {o.error}" for o in outcomes if o.error),
    )


# --------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------


def _fmt(value: float | None) -> str:
    """Three decimals, or "n/a"."""
    return "n/a" if value is None else f"{value:.3f}"


def _share(part: int, whole: int) -> str:
    """``part/whole (xx.x%)``."""
    return f"{part}/{whole} ({100 * part / whole:.1f}%)" if whole else "-"


def markdown(report: BenchmarkReport) -> str:
    """The report as Markdown, ready to paste into benchmarks/RESULTS.md."""
    rows = (*report.subcorpora, report.overall)
    limit = f", first {report.limit} pairs per sub-corpus" if report.limit else ""
    lines = [
        f"### PAN13 text alignment, aligner `{report.aligner}`{limit}",
        "",
        "| Sub-corpus | Pairs | Cases | Precision | Recall | Granularity | Plagdet |",
        "|---|---:|---:|---:|---:|---:|---:|",
        *(
            f"| {r.name} | {r.pairs} | {r.cases} | {_fmt(r.precision)} | {_fmt(r.recall)} "
            f"| {_fmt(r.granularity)} | {_fmt(r.plagdet)} |"
            for r in rows
        ),
        "",
        "Pair detection (`.duplicate`); positives are pairs with at least one case.",
        "",
        "| Sub-corpus | Positives reported (recall) | Negatives reported (false positives) "
        "| Pairs with passages | Detections | Detected chars |",
        "|---|---:|---:|---:|---:|---:|",
        *(
            f"| {r.name} | {_share(r.positives_reported, r.positives)} "
            f"| {_share(r.negatives_reported, r.negatives)} | {r.pairs_with_detections} "
            f"| {r.detections} | {r.detected_chars} |"
            for r in rows
        ),
        "",
    ]
    pd, t = report.pair_detection, report.timing
    lines += [
        f"Pair detection over all pairs: precision {_fmt(pd.precision)}, recall {_fmt(pd.recall)} "
        f"(TP {pd.true_positives}, FP {pd.false_positives}, FN {pd.false_negatives}).",
        "",
        f"Alignment run: {t.pairs} pairs in {t.wall_seconds:.1f} s wall with {t.jobs} jobs "
        f"({t.pairs_per_second:.1f} pairs/s; {t.aligner_seconds:.1f} s summed per pair, "
        "reading included).",
        "",
    ]
    if report.errors:
        lines += [
            f"**{len(report.errors)} pairs failed** (scored as no passages), e.g. "
            f"{report.errors[0]}",
            "",
        ]
    return "\n".join(lines)


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(
        description="PAN13 text-alignment benchmark (precision, recall, granularity, plagdet)."
    )
    parser.add_argument("corpus_dir", help="PAN13 corpus folder, e.g. ../shared/data/pan13-train")
    parser.add_argument("--out", help="folder for detection XMLs (default: new temp folder)")
    parser.add_argument("--limit", type=int, help="only the first N pairs of each sub-corpus")
    parser.add_argument(
        "--subcorpus", nargs="+", metavar="NN", help="sub-corpora by number or name (default: all)"
    )
    parser.add_argument(
        "--jobs", type=int, default=os.cpu_count() or 1, help="worker processes (default: CPUs)"
    )
    parser.add_argument("--aligner", choices=ALIGNERS, default="dupefind")
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    args = parser.parse_args(argv)
    if args.limit is not None and args.limit < 1:
        parser.error("--limit must be at least 1")
    if args.jobs < 1:
        parser.error("--jobs must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark, print Markdown, optionally write JSON."""
    args = parse_args(argv)
    if args.aligner == "dupefind":
        problem = dupefind_missing()
        if problem:
            print(f"error: {problem} (use --aligner naive for the baseline)", file=sys.stderr)
            return 2
    report = benchmark(args)
    print(markdown(report))
    print(f"Detection XMLs: {report.out_dir}", file=sys.stderr)
    if args.json:
        Path(args.json).write_text(json.dumps(asdict(report), indent=2) + "\n", encoding="utf-8")
    for error in report.errors:
        print(f"failed: {error}", file=sys.stderr)
    return 1 if report.errors else 0


if __name__ == "__main__":
    sys.exit(main())
