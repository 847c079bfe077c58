"""The Spark engine against the local engine: same report, time and memory, per-stage figures.

    python benchmarks/spark_bench.py compare CORPUS [--cores 1 2] [--work /tmp/spark-bench]
    python benchmarks/spark_bench.py stages CORPUS [--cores 2]

``compare`` runs ``dupefind scan CORPUS --format json`` as a whole process with the local engine
and with ``--engine spark --spark-master local[N]`` for each N of ``--cores``, measuring wall time
and peak memory of the process tree (the JVM and Python workers included, polled from /proc as
``benchmarks/speed/run.py`` does), and checks that each Spark report is byte-identical to the
local one once the config's ``engine`` entry (and where it was set, in ``config_sources``) is removed.

``buckets`` measures LSH bucket sizes (no Spark) and what a cap on them costs.

``events`` sums a Spark event log (``compare`` writes one per Spark run) by stage call site.

``stages`` runs the Spark stages one at a time in one process (each forced with a count) and
prints, per stage, its rows, wall seconds and CPU seconds (the JVM and Python workers included): the sizes of the intermediates (signatures, band rows,
candidate pairs before and after the pre-filter, verified pairs) and the throughputs the scale
plan (docs/scale.md) extrapolates from.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "speed"))

from run import descendants, machine, memory_of  # benchmarks/speed/run.py: the same measuring

sys.path.remove(str(HERE / "speed"))  # its profile.py would stand in for the standard library's (pyspark's)

TICK = os.sysconf("SC_CLK_TCK")


@dataclass
class Measure:
    exit_code: int = 0
    wall_s: float = 0.0
    cpu_s: float = 0.0
    peak_rss_mb: float = 0.0
    peak_pss_mb: float = 0.0


def run_measured(command: list[str], *, cwd: Path, log: Path, poll: float) -> Measure:
    """Run ``command`` to completion, polling its whole process tree: peak memory (as
    ``speed/run.py`` does) and CPU time, the last figure read of each process (user + system,
    its reaped children's included) summed. GNU time's figure would miss the JVM, which the
    driver never waits for."""
    measure = Measure()
    cpu: dict[int, float] = {}
    with log.open("wb") as output:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdout=output, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        while process.poll() is None:
            pids = descendants(process.pid)
            usage = [memory_of(pid) for pid in pids]
            measure.peak_rss_mb = max(measure.peak_rss_mb, sum(u[0] for u in usage) / 2**20)
            measure.peak_pss_mb = max(measure.peak_pss_mb, sum(u[1] for u in usage) / 2**20)
            for pid in pids:
                cpu[pid] = max(cpu.get(pid, 0.0), _cpu_of(pid))
            time.sleep(poll)
        measure.wall_s = time.perf_counter() - started
    measure.exit_code = process.returncode
    measure.cpu_s = sum(cpu.values())
    return measure


def _tree_cpu() -> float:
    """CPU seconds of this process and everything under it (the JVM, its Python workers)."""
    return sum(_cpu_of(pid) for pid in descendants(os.getpid()))


def _cpu_of(pid: int) -> float:
    """User + system seconds of a process and of its children it has waited for (0 once gone)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            fields = handle.read().rsplit(b")", 1)[1].split()
        return sum(int(v) for v in fields[11:15]) / TICK
    except (OSError, ValueError, IndexError):
        return 0.0


def compare(args: argparse.Namespace) -> None:
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    scan = [sys.executable, "-m", "dupefind", "scan", str(args.corpus), "--format", "json"]
    runs: dict[str, list[str]] = {"local": [*scan, "-o", str(work / "local.json")]}
    for cores in args.cores:
        runs[f"spark-local[{cores}]"] = [*scan, "-o", str(work / f"spark-{cores}.json"), "--engine", "spark",
                                         "--spark-master", f"local[{cores}]", "--spark-conf",
                                         f"spark.sql.shuffle.partitions={args.partitions}",
                                         "--spark-conf", f"spark.driver.memory={args.driver_memory}",
                                         "--spark-conf", "spark.eventLog.enabled=true",
                                         "--spark-conf", f"spark.eventLog.dir=file://{work.resolve()}/events-{cores}"]
        (work / f"events-{cores}").mkdir(exist_ok=True)
    print(json.dumps(machine()))
    local_text = None
    for name, command in runs.items():
        measure = run_measured(command, cwd=work, log=work / f"{name}.log", poll=0.2)
        output = work / ("local.json" if name == "local" else f"spark-{name[12:-1]}.json")
        text = output.read_text(encoding="utf-8") if output.exists() else ""
        identical = ""
        if name == "local":
            local_text = text
        elif text:
            engine = json.loads(text)["config"]["engine"]
            identical = f", identical to local: {_same(text, local_text)}, engine {engine}"
        pairs = json.loads(text)["summary"]["pairs"] if text else "?"
        print(f"{name}: exit {measure.exit_code}, {measure.wall_s:.1f} s wall, cpu {measure.cpu_s:.1f} s, "
              f"peak RSS {measure.peak_rss_mb:,.0f} MB (PSS {measure.peak_pss_mb:,.0f} MB), "
              f"{pairs} pairs{identical}", flush=True)


def _same(spark_text: str, local_text: str | None) -> bool:
    """Whether the Spark report is the local one byte for byte but for the config's ``engine``
    entry: the lists (every line from ``"documents"`` on) compared as bytes, the head (version,
    tool, config, summary) re-written without ``engine`` exactly as dupefind writes it."""
    if local_text is None:
        return False
    marker = ',\n  "documents": ['
    spark_head, _, spark_lists = spark_text.partition(marker)
    local_head, _, local_lists = local_text.partition(marker)
    head = json.loads(spark_head + "\n}")
    head["config"].pop("engine")
    head.get("config_sources", {}).pop("engine", None)  # where the engine was chosen
    return spark_lists == local_lists and json.dumps(head, ensure_ascii=False, indent=2)[:-2] == local_head


def stages(args: argparse.Namespace) -> None:
    from dupefind import Config
    from dupefind.spark import spark_session
    from dupefind.spark import stages as st
    from dupefind.spark.components import components
    from dupefind.spark.inputs import read_inputs

    spark = spark_session(master=f"local[{args.cores[0]}]",
                          conf={"spark.sql.shuffle.partitions": str(args.partitions),
                                "spark.driver.memory": args.driver_memory})
    config = Config()
    clock = [time.perf_counter(), _tree_cpu()]

    def lap(stage: str, rows: int) -> None:
        now, cpu = time.perf_counter(), _tree_cpu()
        print(f"{stage:<34} {rows:>12,} rows {now - clock[0]:8.1f} s wall {cpu - clock[1]:8.1f} s cpu", flush=True)
        clock[0], clock[1] = now, cpu

    inputs = read_inputs(spark, [str(args.corpus)])
    records = inputs.tagged.filter(lambda t: t[0] == "r").map(lambda t: t[1])
    lap("read (records)", records.count())
    found = st.fingerprints(spark, records, config=config).cache()
    lap("fingerprints (signatures)", found.count())
    docs, _ = st.first_of_each_id(found)
    docs = docs.cache()
    lap("one per id", docs.count())
    commons = st.common_segments(docs, min_docs=config.boilerplate_min_docs).cache()
    lap("boilerplate segments (common)", commons.count())
    from pyspark.sql import functions as F

    sketched = st.without_boilerplate(docs, records, commons, config=config).cache()
    lap("sketched again (without boilerplate)", sketched.count())
    rows = sketched.select(F.explode("sketches").alias("s")).select(F.explode("s.bands")).count()
    lap("band rows", rows)
    candidates, capped = st.lsh_candidates(sketched, config=config, bucket_cap=2000, partitions=args.partitions)
    candidates = candidates.unionByName(st.identical_texts(docs)).distinct().cache()
    lap("candidate pairs (pre-filtered)", candidates.count())
    print(f"capped buckets: {capped.first()}")
    packed = st.verified_pairs(candidates, st.records_frame(spark, records), docs, commons, config=config,
                               partitions=args.partitions).filter("not changed").cache()
    lap("verified pairs", packed.count())
    roots = components(packed.select("a", "b").rdd.map(tuple), partitions=args.partitions)
    lap("connected components (members)", roots.count())
    spark.stop()


def buckets(args: argparse.Namespace) -> None:
    """LSH bucket sizes on the corpus (local functions, no Spark), and what a cap on bucket size
    costs: candidate pairs (and, given ``--report``, reported pairs) that no bucket under the cap
    proposes. Bucket sizes grow in proportion to the collection, so a cap of ``c`` here stands
    for a cap of ``c * 100M / N`` on a hundred million documents."""
    import numpy as np

    from dupefind import Config
    from dupefind.candidates import BandKeys, band_keys, colliding_rows, filter_candidates
    from dupefind.catalog import build_catalog
    from dupefind.sources import plan_reading
    from dupefind.spark.tasks import scan_views
    from dupefind.text import mix64
    from dupefind.verify import unpaired

    config = Config()
    views = scan_views(config)
    started = time.perf_counter()
    catalog = build_catalog(list(plan_reading([str(args.corpus)])), views=views, seed=config.seed,
                            min_words=config.min_words, boilerplate_min_docs=config.boilerplate_min_docs,
                            jobs=config.processes)
    usable = np.array([not unpaired(d) for d in catalog.documents], dtype=bool)
    keys = band_keys(catalog.sketches, views=views, usable=usable)
    with np.errstate(over="ignore"):
        bucket = mix64(keys.keys ^ (keys.bands.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15))
                       ^ keys.views.astype(np.uint64))
    _, inverse, counts = np.unique(bucket, return_inverse=True, return_counts=True)
    size = counts[inverse]
    documents = len(catalog.documents)
    print(f"documents {documents:,}, signature rows {sum(len(s) for s in catalog.sketches):,}, "
          f"band rows {len(keys):,}, buckets {len(counts):,}, shared buckets {(counts > 1).sum():,}, "
          f"largest bucket {counts.max():,}, colliding row pairs (with repeats) "
          f"{int((counts * (counts - 1) // 2).sum()):,} ({time.perf_counter() - started:.1f} s)")
    for low, high in ((2, 2), (3, 5), (6, 10), (11, 100), (101, 10**9)):
        chosen = (counts >= low) & (counts <= high)
        print(f"  buckets of {low}-{high} rows: {chosen.sum():,}, pairs {int((counts[chosen] * (counts[chosen] - 1) // 2).sum()):,}")
    full = set(filter_candidates(colliding_rows(keys, views=views), catalog.sketches, views=views))
    reported: set[tuple[str, str]] = set()
    if args.report:
        reported = {(p["a"], p["b"]) for p in json.loads(Path(args.report).read_text())["pairs"]}
    ids = [d.id for d in catalog.documents]
    print(f"candidates after the pre-filter: {len(full):,}; reported pairs: {len(reported):,}")
    for cap in (2, 3, 5, 10, 20):
        keep = size <= cap
        sub = BandKeys(keys.views[keep], keys.rows[keep], keys.documents[keep], keys.bands[keep], keys.keys[keep])
        found = set(filter_candidates(colliding_rows(sub, views=views), catalog.sketches, views=views))
        lost = {(ids[a], ids[b]) for a, b in full - found}
        print(f"  cap {cap} (= {cap * 100_000_000 // max(documents, 1):,} at 100M): candidates {len(found):,}, "
              f"lost {len(full - found):,}, reported pairs lost {len(lost & reported):,}")


def events(args: argparse.Namespace) -> None:
    """Per-stage figures from a Spark event log (``compare`` writes one per Spark run, in
    ``WORK/events-N``): each stage's call site, wall seconds, executor seconds, input/output
    records and shuffle bytes, summed by call site."""
    totals: dict[str, list[float]] = {}
    for log in sorted(Path(args.corpus).rglob("events_*")):
        if log.suffix == ".zstd":  # Spark 4 compresses event logs with zstd; the zstd tool reads them
            text = subprocess.run(["zstd", "-dcq", str(log)], capture_output=True, check=False).stdout.decode()
        else:
            text = log.read_text(encoding="utf-8")
        for line in text.splitlines():
            try:
                event = json.loads(line)
            except json.JSONDecodeError:
                continue  # the last line of a log still being written
            if event.get("Event") != "SparkListenerStageCompleted":
                continue
            info = event["Stage Info"]
            metrics = {a["Name"]: a.get("Value", 0) for a in info.get("Accumulables", [])}
            name = info["Stage Name"].split(" at ")[-1]
            wall = (info.get("Completion Time", 0) - info.get("Submission Time", 0)) / 1000
            row = totals.setdefault(name, [0, 0, 0, 0, 0, 0])
            for k, value in enumerate((1, wall, float(metrics.get("internal.metrics.executorRunTime", 0)) / 1000,
                                       float(metrics.get("internal.metrics.input.recordsRead", 0))
                                       + float(metrics.get("internal.metrics.shuffle.read.recordsRead", 0)),
                                       float(metrics.get("internal.metrics.shuffle.write.bytesWritten", 0)) / 2**20,
                                       float(metrics.get("internal.metrics.memoryBytesSpilled", 0)) / 2**20)):
                row[k] += value
    print(f"{'call site':<40} {'stages':>6} {'wall s':>8} {'exec s':>8} {'records in':>12} {'shuffle MB':>10}")
    for name, (count, wall, run, records, shuffled, _) in sorted(totals.items(), key=lambda t: -t[1][1]):
        print(f"{name:<40} {count:>6.0f} {wall:>8.1f} {run:>8.1f} {records:>12,.0f} {shuffled:>10.1f}")
    print(f"{'all':<40} {sum(r[0] for r in totals.values()):>6.0f} {sum(r[1] for r in totals.values()):>8.1f} "
          f"{sum(r[2] for r in totals.values()):>8.1f} {'':>12} {sum(r[4] for r in totals.values()):>10.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=["compare", "stages", "buckets", "events"])
    parser.add_argument("corpus", type=Path, help="a folder or JSONL file (events: the event-log folder)")
    parser.add_argument("--cores", type=int, nargs="+", default=[1, 2], help="Spark local[N] runs")
    parser.add_argument("--partitions", type=int, default=8, help="spark.sql.shuffle.partitions")
    parser.add_argument("--driver-memory", default="4g")
    parser.add_argument("--work", default="/tmp/spark-bench", help="folder for the reports and logs")
    parser.add_argument("--report", default=None, help="buckets: the local JSON report (reported pairs lost)")
    args = parser.parse_args()
    {"compare": compare, "stages": stages, "buckets": buckets, "events": events}[args.mode](args)


if __name__ == "__main__":
    main()
