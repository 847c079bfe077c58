"""Speed benchmark runner: dupefind and its peers, each as a whole process, on one generated corpus.

    python benchmarks/speed/run.py /tmp/speed-100k [--tools dupefind,datasketch,textdedup] \
        [--out results.json] [--dupefind-cmd dupefind] [--dupefind-args "--jobs 2"] \
        [--dupefind-input jsonl|txt] [--textdedup-python /tmp/venv-textdedup/bin/python]

The corpus folder is a ``generate.py`` output (``corpus.jsonl``, ``truth.jsonl``, optionally
``txt/``). Tools, run one after the other in the order given:

- ``dupefind``: ``dupefind scan DIR/corpus.jsonl --format json -o OUT`` (end to end: read,
  fingerprint, candidates, verify, align, report), plus ``--dupefind-args``;
- ``datasketch``: ``peers/datasketch_documented.py``, datasketch as its documentation shows
  (``MinHash(num_perm=128)`` + ``update_batch`` over word 5-grams, ``MinHashLSH(threshold=0.5)``
  insert + query), in this Python;
- ``textdedup``: ``python -m text_dedup.minhash`` of text-dedup 0.4.0 in its own virtual
  environment (word 5-grams, 128 permutations, threshold 0.5, 2 processes) on the local JSONL,
  with ``--debug`` so that it dumps its union-find; ``peers/textdedup_clusters.py`` then (untimed)
  turns that into clusters.

For each tool: wall time (around the whole process), docs/s, peak memory of the process tree
(``/proc`` polled every ``--poll`` seconds: the sum of RSS, and the sum of PSS, which counts pages
shared by forked workers once), the largest single-process RSS from ``/usr/bin/time -v`` when
present, user + system CPU seconds, and quality against the planted copies:

- a planted pair counts as *found* when its two documents end in the same connected component
  of what the tool reports (dupefind: its pairs, and its clusters; datasketch: its LSH pairs;
  text-dedup: its union-find sets, i.e. the copy was removed as a duplicate of the original's
  cluster, or the original of the copy's);
- *pairs reported*: dupefind's and datasketch's pairs; for text-dedup the pairs inside its
  clusters (a cluster of k documents is k (k - 1) / 2 pairs);
- *precision*: the share of reported pairs whose two documents are linked by planted copies
  (a copy and its original, or two places of one wire story). The base articles are
  independent Markov-chain texts, so other reported pairs are false positives (or chance
  overlaps of the chain: see ``realism.py``), except, in the news corpus, pairs that share a
  stretch;
- *shared stretches* (news corpus, ``shared.jsonl``): for every pair of places of a shared
  lede or quote, whether the tool reported the pair, and whether one of dupefind's passages
  overlaps the stretch in both texts, by kind and by length (at least ``LONG_STRETCH`` = 30
  words, the default ``--passage-words``, or fewer); and how many reported pairs are neither
  planted nor sharing a stretch (*unexplained*).

Prints the machine (CPU count and model, memory, date, Python, load before and after each tool),
the exact commands, a Markdown table (one row per tool) and recall by kind of copy; writes all of
it to ``--out`` (default ``DIR/results.json``). Scratch outputs go to a temporary folder, removed
at the end unless ``--keep``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
TOOLS = ("dupefind", "datasketch", "textdedup")
GNU_TIME = Path("/usr/bin/time")
PAGE = os.sysconf("SC_PAGE_SIZE")


# --------------------------------------------------------------------------- measuring a process tree


@dataclass
class Measure:
    wall_s: float = 0.0
    exit_code: int = 0
    peak_rss_mb: float = 0.0  # sum over the process tree, polled
    peak_pss_mb: float = 0.0  # same, proportional set size
    max_process_rss_mb: float | None = None  # /usr/bin/time -v: largest single process
    cpu_s: float | None = None  # /usr/bin/time -v: user + system
    max_processes: int = 0


def children_map() -> dict[int, list[int]]:
    """Parent pid -> child pids, from /proc/*/stat."""
    tree: dict[int, list[int]] = defaultdict(list)
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as handle:
                stat = handle.read()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(b")") + 2 :].split()[1])
        tree[ppid].append(int(entry.name))
    return tree


def descendants(root: int) -> list[int]:
    tree = children_map()
    found, stack = [], [root]
    while stack:
        pid = stack.pop()
        found.append(pid)
        stack.extend(tree.get(pid, ()))
    return found


def memory_of(pid: int) -> tuple[int, int]:
    """(RSS, PSS) in bytes of one process; (0, 0) once it is gone."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as handle:
            rss = int(handle.read().split()[1]) * PAGE
        pss = rss
        with open(f"/proc/{pid}/smaps_rollup", "rb") as handle:
            for line in handle:
                if line.startswith(b"Pss:"):
                    pss = int(line.split()[1]) * 1024
                    break
        return rss, pss
    except (OSError, ValueError, IndexError):
        return 0, 0


def run_measured(command: list[str], *, cwd: Path, log: Path, poll: float,
                 env: dict[str, str] | None = None) -> Measure:
    """Run ``command`` to completion, polling the memory of its whole process tree."""
    timing = log.with_suffix(".time")
    wrapped = [str(GNU_TIME), "-v", "-o", str(timing), *command] if GNU_TIME.exists() else command
    measure = Measure()
    with log.open("wb") as output:
        started = time.perf_counter()
        process = subprocess.Popen(wrapped, cwd=cwd, stdout=output, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, env=env)
        while process.poll() is None:
            pids = descendants(process.pid)[1 if GNU_TIME.exists() else 0 :]
            usage = [memory_of(pid) for pid in pids]
            measure.peak_rss_mb = max(measure.peak_rss_mb, sum(u[0] for u in usage) / 2**20)
            measure.peak_pss_mb = max(measure.peak_pss_mb, sum(u[1] for u in usage) / 2**20)
            measure.max_processes = max(measure.max_processes, len(pids))
            time.sleep(poll)
        measure.wall_s = time.perf_counter() - started
    measure.exit_code = process.returncode
    if timing.exists():
        parse_gnu_time(timing.read_text(), measure)
    return measure


def parse_gnu_time(text: str, measure: Measure) -> None:
    values = {}
    for line in text.splitlines():
        key, _, value = line.strip().rpartition(": ")
        values[key] = value
    if "Maximum resident set size (kbytes)" in values:
        measure.max_process_rss_mb = int(values["Maximum resident set size (kbytes)"]) / 1024
        measure.peak_rss_mb = max(measure.peak_rss_mb, measure.max_process_rss_mb)
    if "User time (seconds)" in values:
        measure.cpu_s = float(values["User time (seconds)"]) + float(values["System time (seconds)"])


# --------------------------------------------------------------------------- the tools


@dataclass
class Outcome:
    """What a tool reported: pairs of ids and groups of ids (both may be empty)."""

    pairs: list[tuple[str, str]] = field(default_factory=list)
    groups: list[list[str]] = field(default_factory=list)
    note: str = ""
    passages: dict[tuple[str, str], list[tuple[int, int, int, int]]] | None = None
    """dupefind only: each reported pair's passages (character spans in a, then in b)."""


@dataclass
class Tool:
    name: str
    command: list[str]
    env: dict[str, str] | None
    read: Callable[[], Outcome]


def dupefind_tool(args: argparse.Namespace, work: Path) -> Tool:
    out = work / "dupefind.json"
    source = args.corpus / ("corpus.jsonl" if args.dupefind_input == "jsonl" else "txt")
    command = [*shlex.split(args.dupefind_cmd), "scan", str(source), "--format", "json", "-o", str(out),
               *shlex.split(args.dupefind_args)]

    def read() -> Outcome:
        report = json.loads(out.read_text(encoding="utf-8"))
        pairs = [(doc_key(p["a"]), doc_key(p["b"])) for p in report["pairs"]]
        groups = [[doc_key(i) for i in c["ids"]] for c in report["clusters"]]
        summary = report.get("summary", {})
        passages = {(doc_key(p["a"]), doc_key(p["b"])): [(q["a_start"], q["a_end"], q["b_start"], q["b_end"])
                                                         for q in p["passages"]] for p in report["pairs"]}
        return Outcome(pairs, groups, f"summary {json.dumps(summary, sort_keys=True)}", passages)

    return Tool("dupefind", command, None, read)


def datasketch_tool(args: argparse.Namespace, work: Path) -> Tool:
    out = work / "datasketch.json"
    command = [args.python, str(HERE / "peers" / "datasketch_documented.py"),
               str(args.corpus / "corpus.jsonl"), str(out)]

    def read() -> Outcome:
        return Outcome([tuple(p) for p in json.loads(out.read_text(encoding="utf-8"))["pairs"]])

    return Tool("datasketch", command, None, read)


def textdedup_tool(args: argparse.Namespace, work: Path) -> Tool:
    output = work / "textdedup-out"
    command = [args.textdedup_python, "-m", "text_dedup.minhash",
               "--path", "json", "--data_files", str(args.corpus / "corpus.jsonl"), "--split", "train",
               "--cache_dir", str(work / "textdedup-cache"), "--output", str(output),
               "--column", "text", "--idx_column", "id", "--debug",
               "--ngram", "5", "--num_perm", "128", "--threshold", "0.5", "--num_proc", "2"]
    # A fresh Hugging Face cache per run: a second run must not reuse the first one's Arrow files.
    env = {**os.environ, "HF_HOME": str(work / "hf-home")}

    def read() -> Outcome:
        clusters = work / "textdedup-clusters.json"
        subprocess.run([args.textdedup_python, str(HERE / "peers" / "textdedup_clusters.py"),
                        str(output), str(clusters)], check=True)
        found = json.loads(clusters.read_text(encoding="utf-8"))
        return Outcome([], found["clusters"], f"kept {found['kept']} documents")

    return Tool("textdedup", command, env, read)


def doc_key(identifier: str) -> str:
    """A report id back to the corpus id: JSONL ids as they are, .txt paths by their stem."""
    return Path(identifier).stem if identifier.endswith(".txt") else identifier


# --------------------------------------------------------------------------- scoring


@dataclass(frozen=True)
class Planted:
    copy: str
    original: str
    kind: str


def load_truth(folder: Path) -> list[Planted]:
    with (folder / "truth.jsonl").open(encoding="utf-8") as lines:
        return [Planted(r["copy"], r["original"], r["kind"]) for r in map(json.loads, lines)]


def components(pairs: Iterable[tuple[str, str]], groups: Iterable[list[str]]) -> dict[str, str]:
    """Document -> representative of its connected component (union-find)."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a: str, b: str) -> None:
        parent[find(a)] = find(b)

    for a, b in pairs:
        union(a, b)
    for group in groups:
        for other in group[1:]:
            union(group[0], other)
    return {x: find(x) for x in parent}


def score(outcome: Outcome, truth: list[Planted]) -> dict[str, Any]:
    component = components(outcome.pairs, outcome.groups)
    found = [p for p in truth if p.copy in component and component[p.copy] == component.get(p.original)]
    if outcome.pairs:
        reported: set[tuple[str, str]] = {(min(a, b), max(a, b)) for a, b in outcome.pairs}
    else:
        reported = {(a, b) for g in outcome.groups for i, a in enumerate(sorted(g)) for b in sorted(g)[i + 1 :]}
    copies = components(((p.copy, p.original) for p in truth), [])
    planted = {pair for pair in reported if pair[0] in copies and copies[pair[0]] == copies.get(pair[1])}
    by_kind = Counter(p.kind for p in truth)
    found_kind = Counter(p.kind for p in found)
    return {
        "recall": round(len(found) / len(truth), 4) if truth else None,
        "found": len(found),
        "planted": len(truth),
        "pairs_reported": len(reported),
        "precision": round(len(reported & planted) / len(reported), 4) if reported else None,
        "recall_by_kind": {k: round(found_kind[k] / n, 4) for k, n in sorted(by_kind.items())},
    }


#: Shared stretches at least this long are the ones a default scan should report
#: (``--passage-words`` 30); shorter ones are written down apart.
LONG_STRETCH = 30


def score_shared(outcome: Outcome, folder: Path, truth: list[Planted]) -> dict[str, Any] | None:
    """Recall of the news corpus's shared stretches (``shared.jsonl``): for every pair of places
    of a stretch, whether the tool reported the pair (*pair*), and (dupefind) whether one of
    its passages overlaps the stretch in both texts (*passage*); by kind and by length."""
    path = folder / "shared.jsonl"
    if not path.exists():
        return None
    reported: set[tuple[str, str]] = {(min(a, b), max(a, b)) for a, b in outcome.pairs}
    if not outcome.pairs:
        reported = {(a, b) for g in outcome.groups for i, a in enumerate(sorted(g)) for b in sorted(g)[i + 1 :]}
    tally: dict[str, Counter[str]] = defaultdict(Counter)
    explained: set[tuple[str, str]] = set()
    with path.open(encoding="utf-8") as lines:
        for record in map(json.loads, lines):
            group = f"{record['kind']} {'>=' if record['words'] >= LONG_STRETCH else '<'} {LONG_STRETCH} words"
            places = record["places"]
            for i, x in enumerate(places):
                for y in places[i + 1 :]:
                    key = tuple(sorted((x["doc"], y["doc"])))
                    tally[group]["expected"] += 1
                    if key not in reported:
                        continue
                    tally[group]["pair"] += 1
                    explained.add(key)
                    if outcome.passages is not None and _covered(outcome.passages, x, y):
                        tally[group]["passage"] += 1
    copies = components(((p.copy, p.original) for p in truth), [])
    explained |= {pair for pair in reported if pair[0] in copies and copies[pair[0]] == copies.get(pair[1])}
    groups = {group: {"expected": t["expected"], "pair": round(t["pair"] / t["expected"], 4),
                      "passage": round(t["passage"] / t["expected"], 4) if outcome.passages is not None else None}
              for group, t in sorted(tally.items())}
    return {"groups": groups, "reported": len(reported), "unexplained": len(reported - explained)}


def _covered(passages: dict[tuple[str, str], list[tuple[int, int, int, int]]], x: dict[str, Any],
             y: dict[str, Any]) -> bool:
    """A passage of the pair overlaps place ``x`` in its document and place ``y`` in the other."""
    if (x["doc"], y["doc"]) not in passages:
        x, y = y, x
    return any(a0 < x["end"] and x["start"] < a1 and b0 < y["end"] and y["start"] < b1
               for a0, a1, b0, b1 in passages.get((x["doc"], y["doc"]), []))


# --------------------------------------------------------------------------- machine and report


def uptime() -> str:
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return Path("/proc/loadavg").read_text().strip()


def machine() -> dict[str, object]:
    model = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    memory = next((line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal")), "0")
    return {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "cpu_count": os.cpu_count(),
        "cpu_model": model,
        "memory_gb": round(int(memory) / 2**20, 1),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "load_before": uptime(),
    }


def versions(args: argparse.Namespace, tools: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}

    def ask(name: str, command: list[str]) -> None:
        try:
            result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
            found[name] = (result.stdout.strip() or result.stderr.strip()).splitlines()[-1]
        except (OSError, subprocess.TimeoutExpired, IndexError) as error:
            found[name] = f"unknown ({error})"

    if "dupefind" in tools:
        ask("dupefind", [*shlex.split(args.dupefind_cmd), "--version"])
        ask("repo", ["git", "-C", str(REPO), "describe", "--always", "--dirty"])
    if "datasketch" in tools:
        ask("datasketch", [args.python, "-c", "import datasketch; print(datasketch.__version__)"])
    if "textdedup" in tools:
        script = "import importlib.metadata as m; print(m.version('text-dedup'), 'datasets', m.version('datasets'))"
        ask("textdedup", [args.textdedup_python, "-c", script])
    return found


def markdown(results: dict[str, Any]) -> str:
    info = results["machine"]
    rows = results["tools"]
    lines = [
        (f"Corpus `{results['corpus']}`: {results['documents']:,} documents, "
         f"{results['planted']:,} planted copies ({results['kinds']})."),
        (f"Machine: {info['cpu_count']} CPUs ({info['cpu_model']}), {info['memory_gb']} GB, "
         f"{info['platform']}, Python {info['python']}; {info['date']}."),
        f"Versions: {results['versions']}.",
        f"Load before: `{info['load_before']}`; after: `{info['load_after']}`.",
        "",
        "| tool | N | wall s | docs/s | peak RSS MB (tree) | peak PSS MB (tree) | recall | pairs reported | precision |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        m, q = row["measure"], row.get("quality") or {}
        fail = "" if m["exit_code"] == 0 else f" (exit {m['exit_code']})"
        lines.append(
            f"| {row['tool']}{fail} | {results['documents']:,} | {m['wall_s']:.1f} | "
            f"{results['documents'] / m['wall_s']:,.0f} | {m['peak_rss_mb']:,.0f} | {m['peak_pss_mb']:,.0f} | "
            f"{fmt(q.get('recall'))} | {count(q.get('pairs_reported'))} | {fmt(q.get('precision'))} |"
        )
    kinds = sorted(results["kinds"])
    lines += ["", "Recall by kind of planted copy:", "",
              "| tool | " + " | ".join(kinds) + " |", "|---|" + "---|" * len(kinds)]
    for row in rows:
        by_kind = (row.get("quality") or {}).get("recall_by_kind", {})
        lines.append(f"| {row['tool']} | " + " | ".join(fmt(by_kind.get(k)) for k in kinds) + " |")
    shared = [row for row in rows if row.get("shared")]
    if shared:
        first = shared[0]["shared"]["groups"]
        groups = sorted(first)
        lines += ["", "Shared stretches (news corpus): expected pairs of places; share reported as a pair "
                  "/ with a passage over the stretch; reported pairs neither planted nor sharing a stretch:", "",
                  "| tool | " + " | ".join(f"{g} ({first[g]['expected']:,})" for g in groups) + " | unexplained |",
                  "|---|" + "---|" * (len(groups) + 1)]
        for row in shared:
            found = row["shared"]["groups"]
            cells = [f"{fmt(found[g]['pair'])} / {fmt(found[g]['passage'])}" for g in groups]
            lines.append(f"| {row['tool']} | " + " | ".join(cells) + f" | {row['shared']['unexplained']:,} |")
    lines += ["", "Commands:", ""]
    lines += [f"- {row['tool']}: `{shlex.join(row['command'])}`" for row in rows]
    lines += ["", "Load around each tool:", ""]
    lines += [f"- {row['tool']}: before `{row['load_before']}`, after `{row['load_after']}`" for row in rows]
    return "\n".join(lines)


def fmt(value: object) -> str:
    return "-" if value is None else f"{value:.3f}"


def count(value: object) -> str:
    return "-" if value is None else f"{value:,}"


# --------------------------------------------------------------------------- main


BUILDERS = {"dupefind": dupefind_tool, "datasketch": datasketch_tool, "textdedup": textdedup_tool}


def run_tool(tool: Tool, truth: list[Planted], work: Path, poll: float, corpus: Path) -> dict[str, Any]:
    print(f"running {tool.name}: {shlex.join(tool.command)}", file=sys.stderr)
    row: dict[str, Any] = {"tool": tool.name, "command": tool.command, "load_before": uptime()}
    log = work / f"{tool.name}.log"
    measure = run_measured(tool.command, cwd=work, log=log, poll=poll, env=tool.env)
    row["load_after"] = uptime()
    row["measure"] = asdict(measure)
    if measure.exit_code != 0:
        tail = log.read_text(errors="replace")[-3000:]
        print(f"{tool.name} failed (exit {measure.exit_code}); end of its output:\n{tail}", file=sys.stderr)
        row["error"] = tail
        return row
    outcome = tool.read()
    row["quality"] = score(outcome, truth)
    row["shared"] = score_shared(outcome, corpus, truth)
    row["note"] = outcome.note
    print(f"  {measure.wall_s:.1f} s, peak RSS {measure.peak_rss_mb:,.0f} MB, "
          f"recall {row['quality']['recall']}", file=sys.stderr)
    return row


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path, help="a generate.py output folder")
    parser.add_argument("--tools", default=",".join(TOOLS), help=f"comma-separated, from {','.join(TOOLS)}")
    parser.add_argument("--out", type=Path, help="results JSON (default: CORPUS/results.json)")
    parser.add_argument("--dupefind-cmd", default="dupefind", help="command that runs dupefind")
    parser.add_argument("--dupefind-args", default="", help="extra arguments for dupefind scan")
    parser.add_argument("--dupefind-input", choices=("jsonl", "txt"), default="jsonl",
                        help="scan corpus.jsonl or the txt/ folder")
    parser.add_argument("--python", default=sys.executable, help="Python with datasketch installed")
    parser.add_argument("--textdedup-python", default="/tmp/venv-textdedup/bin/python",
                        help="Python of the text-dedup 0.4.0 virtual environment")
    parser.add_argument("--poll", type=float, default=0.2, help="memory polling interval, seconds")
    parser.add_argument("--work", type=Path, help="scratch folder (default: a new temporary folder)")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder")
    args = parser.parse_args(argv)
    args.tools = [t.strip() for t in args.tools.split(",") if t.strip()]
    unknown = set(args.tools) - set(TOOLS)
    if unknown:
        parser.error(f"unknown tools: {sorted(unknown)}")
    if not (args.corpus / "corpus.jsonl").exists():
        parser.error(f"{args.corpus} has no corpus.jsonl")
    if args.dupefind_input == "txt" and not (args.corpus / "txt").is_dir():
        parser.error(f"{args.corpus} has no txt/ folder (generate.py --txt)")
    return args


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    args.corpus = args.corpus.resolve()
    truth = load_truth(args.corpus)
    documents = sum(1 for _ in (args.corpus / "corpus.jsonl").open("rb"))
    work = args.work or Path(tempfile.mkdtemp(prefix="dupefind-speed-"))
    work.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {
        "corpus": str(args.corpus), "documents": documents, "planted": len(truth),
        "kinds": dict(sorted(Counter(p.kind for p in truth).items())),
        "machine": machine(), "versions": versions(args, args.tools), "tools": [],
    }
    try:
        for name in args.tools:
            results["tools"].append(run_tool(BUILDERS[name](args, work), truth, work, args.poll, args.corpus))
    finally:
        results["machine"]["load_after"] = uptime()
        if args.keep:
            print(f"scratch outputs kept in {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)
    out = args.out or args.corpus / "results.json"
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(markdown(results))
    print(f"\nresults written to {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
