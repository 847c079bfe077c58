"""Answers to one question: copies of a source found, independent answers left alone.

    python benchmarks/answers.py [FOLDER] [--lsh-only]

``benchmarks/answers/`` (written for the project, committed: no outside corpus) holds, for each
question, an encyclopedia-style source (``TOPIC-source.txt``) and answers copied from it as
students copy: ``TOPIC-cut.txt`` (sentences pasted, with a few words of one's own between them),
``TOPIC-light[-N].txt`` (the source's information in its order, words and phrases changed),
``TOPIC-heavy[-N].txt`` (reworded, reordered, merged and split throughout, the facts kept).

- Four questions (inheritance in OOP, dynamic programming, PageRank, Bayes' theorem; sources
  of ~250-300 words) have one copy of each kind and four answers written independently on the
  same question (``TOPIC-answer-K.txt``: the same facts in other words, the situation of a
  class's answers that copy nothing).
- Ten more (the vector space model, the TCP handshake, binary search trees, hash tables,
  photosynthesis, natural selection, supply and demand, public-key cryptography, the
  greenhouse effect, deadlock; sources of ~430-450 words) have a cut copy and two light and two
  heavy copies each, written by two other hands following the instructions of the
  Clough & Stevenson (2009) short-answer corpus; their heavy copies were asked to keep hardly
  any run of more than three or four of the source's words. Independent answers written the
  same way were not kept: two writers of one model answering one question wrote the same
  sentences (benchmarks/RESULTS.md, tenth round), which no one would call independent.

The true pairs are the copies with their source; every other pair of one question (answers
with sources, answers and copies, answers with each other) is a negative, but for two copies of
one source (counted apart); pairs of two questions are negatives too.

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
    copies = {kind: {frozenset((n, f"{topic_of(n)}-source.txt")) for n in names if kind_of(n) == kind}
              for kind in kinds}
    true = set().union(*copies.values())
    between = {frozenset((a, b)) for a, b in combinations(names, 2)
               if topic_of(a) == topic_of(b) and kind_of(a) in kinds and kind_of(b) in kinds}
    started = time.perf_counter()
    report = dupefind.scan(str(args.folder))
    seconds = time.perf_counter() - started
    found = {frozenset((Path(p.a).name, Path(p.b).name)) for p in report.pairs}
    topic = {frozenset(pair) for pair in combinations(names, 2) if topic_of(pair[0]) == topic_of(pair[1])}
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


def topic_of(name: str) -> str:
    """``TOPIC`` of ``TOPIC-KIND[-N].txt``."""
    return name.split("-")[0]


def kind_of(name: str) -> str:
    """``KIND`` of ``TOPIC-KIND[-N].txt`` (``source``, ``cut``, ``light``, ``heavy``, ``answer``)."""
    return name.removesuffix(".txt").split("-")[1]


if __name__ == "__main__":
    main()
