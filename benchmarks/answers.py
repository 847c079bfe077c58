"""Answers to one question: copies of a source found, independent answers left alone.

    python benchmarks/answers.py [FOLDER] [--lsh-only]

``benchmarks/answers/`` (written for the project, committed: no outside corpus) holds, for each
of four questions (inheritance in OOP, dynamic programming, PageRank, Bayes' theorem), an
encyclopedia-style source (~250-300 words, ``TOPIC-source.txt``), three answers copied from it
as students copy (``TOPIC-cut.txt``: sentences pasted between a few of one's own;
``TOPIC-light.txt``: the first part of the source with words changed here and there;
``TOPIC-heavy.txt``: every sentence reworded, reordered and merged, the facts kept), and four
answers written independently on the same question (``TOPIC-answer-K.txt``: the same facts in
other words, the situation of a class's answers that copy nothing). The true pairs are the
copies with their source; every other pair (same-topic answers, answers and sources, answers
and copies, copies of one source with each other, other topics) is a negative.

The folder is scanned with the default configuration (a collection this small has every pair
verified); ``--lsh-only`` leaves the candidates to LSH alone, as a collection of more than
``dupefind.candidates.EXHAUSTIVE_DOCUMENTS`` documents would.
"""

from __future__ import annotations

import argparse
import time
from itertools import combinations
from pathlib import Path

import dupefind
from dupefind import candidates

HERE = Path(__file__).resolve().parent / "answers"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=HERE)
    parser.add_argument("--lsh-only", action="store_true", help="candidates from LSH alone")
    args = parser.parse_args()
    if args.lsh_only:
        candidates.EXHAUSTIVE_DOCUMENTS = 0
    names = sorted(p.name for p in args.folder.glob("*.txt"))
    kinds = ("cut", "light", "heavy")
    copies = {kind: {frozenset((n, n.replace(f"-{kind}", "-source"))) for n in names if n.endswith(f"-{kind}.txt")}
              for kind in kinds}
    true = set().union(*copies.values())
    between = {frozenset((a, b)) for a, b in combinations(names, 2) if a.split("-")[0] == b.split("-")[0]
               and a.split("-")[1].removesuffix(".txt") in kinds and b.split("-")[1].removesuffix(".txt") in kinds}
    started = time.perf_counter()
    report = dupefind.scan(str(args.folder))
    seconds = time.perf_counter() - started
    found = {frozenset((Path(p.a).name, Path(p.b).name)) for p in report.pairs}
    topic = {frozenset(pair) for pair in combinations(names, 2) if pair[0].split("-")[0] == pair[1].split("-")[0]}
    negatives = topic - true - between
    print(f"{len(names)} texts, {len(names) * (len(names) - 1) // 2} pairs, scan {seconds:.1f} s "
          f"({'LSH only' if args.lsh_only else 'default'})\n")
    print("| pairs | count | reported |")
    print("|---|---:|---:|")
    for kind in kinds:
        print(f"| {kind} copy and its source | {len(copies[kind])} | {len(found & copies[kind])} |")
    print(f"| same question, not a copy | {len(negatives)} | {len(found & negatives)} |")
    print(f"| two copies of one source | {len(between)} | {len(found & between)} |")
    print(f"| other questions | {len(names) * (len(names) - 1) // 2 - len(topic)} | {len(found - topic)} |")
    for pair in sorted(sorted(p) for p in found - true - between):
        print(f"  false pair: {pair[0]} {pair[1]}")
    for pair in sorted(sorted(p) for p in true - found):
        print(f"  missed: {pair[0]} {pair[1]}")


if __name__ == "__main__":
    main()
