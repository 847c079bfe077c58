"""Short texts (fewer words than ``--min-words``): what a scan reports among them, and what they cost.

Usage (from the repository root; the corpus beside it, everything written outside the repo)::

    python benchmarks/short_texts.py snippets ../shared/data/pan13-train --out /tmp/snips
    python benchmarks/short_texts.py evaluate /tmp/snips [--min-words N]
    python benchmarks/short_texts.py flood samples/040_night_trains_return.txt --n 50000 --words 20 \\
        --out /tmp/flood.jsonl

``snippets`` writes texts of 20-49 words (whole sentences) from the PAN13 source documents:
one at a random place of each document (``rand-NNNNN.txt``), and groups of up to six around
the first use of a rare word (in 4-12 documents) in different documents (``topic-WORD-K.txt``,
as ``short_rewrites.py`` makes its same-topic paragraphs): short texts on one subject written
apart. There is no truth: the source documents are crawled
web pages, some of which share text (a site's footer, a template, a press release), so
``evaluate`` lists every pair it reports with its passages, to be read.

``evaluate`` scans a folder or JSONL file (default configuration, or ``--min-words``) and
prints the pairs, their kinds and figures, and the passages of each pair that is not identical.

``flood`` writes ``--n`` JSONL records of ``--words`` words drawn at random from one file's
words (``--vocabulary K``: from the K most common words of the PAN13 sources instead, by their
frequency, given the corpus with ``--pan``): many short texts from one small vocabulary, which
share most of their content words by chance; none is a copy.
"""

from __future__ import annotations

import argparse
import collections
import json
import random
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pan13 import read_text
from short_rewrites import _around, _topics

import dupefind


def snippets(args: argparse.Namespace) -> None:
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=False)
    rng = random.Random(args.seed)
    for path in sorted((args.corpus / "src").glob("*.txt")):
        text = read_text(path)
        for _ in range(10) if text else ():
            found = _around(text, rng.randrange(len(text)), 20, 49)
            if found:
                (out / f"rand-{path.stem[-5:]}.txt").write_text(found, encoding="utf-8")
                break
    groups = _topics(args.corpus / "src", out, rng, args.groups, low=20, high=49)
    print(f"{len(list(out.iterdir()))} texts ({groups} topic groups) -> {out}")


def evaluate(args: argparse.Namespace) -> None:
    config = dupefind.Config(min_words=args.min_words) if args.min_words else dupefind.Config()
    started = time.perf_counter()
    report = dupefind.scan([str(args.folder)], config)
    took = time.perf_counter() - started
    short = sum(d.short for d in report.documents)
    print(f"{len(report.documents)} texts ({short} short), {len(report.pairs)} pairs, {took:.1f} s")
    kinds = collections.Counter(p.relation.kinds if p.relation else ("identical",) for p in report.pairs)
    for kind, count in kinds.most_common():
        print(f"  {' + '.join(kind)}: {count}")
    for pair in report.pairs:
        if pair.relation is None or (pair.relation.identical == 1.0 and min(pair.relation.coverage_a,
                                                                               pair.relation.coverage_b) == 1.0):
            continue
        r = pair.relation
        print(f"\n{Path(pair.a).name} {Path(pair.b).name}: {' + '.join(r.kinds)}, identical {r.identical:.2f}, "
              f"coverage {r.coverage_a:.2f} / {r.coverage_b:.2f}, containment {pair.containment:.2f}")
        for passage in pair.passages:
            print(f"  A [{passage.words_a} words]: {' '.join(passage.a_text.split())[:200]}")
            print(f"  B [{passage.words_b} words]: {' '.join(passage.b_text.split())[:200]}")


def flood(args: argparse.Namespace) -> None:
    rng = random.Random(args.seed)
    if args.vocabulary:
        counts: collections.Counter[str] = collections.Counter()
        for path in sorted((args.pan / "src").glob("*.txt"))[:400]:
            counts.update(w.lower() for w in re.findall(r"[A-Za-z']+", path.read_text(encoding="utf-8", errors="replace")))
        words, weights = zip(*counts.most_common(args.vocabulary), strict=True)
        draw = lambda: rng.choices(words, weights, k=args.words)  # noqa: E731
    else:
        pool = args.source.read_text(encoding="utf-8").split()
        draw = lambda: [rng.choice(pool) for _ in range(args.words)]  # noqa: E731
    with args.out.open("w", encoding="utf-8") as out:
        for k in range(args.n):
            out.write(json.dumps({"id": f"d{k}", "text": " ".join(draw())}) + "\n")
    print(f"{args.n} texts of {args.words} words -> {args.out}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    one = commands.add_parser("snippets")
    one.add_argument("corpus", type=Path)
    one.add_argument("--out", type=Path, required=True)
    one.add_argument("--groups", type=int, default=60)
    one.add_argument("--seed", type=int, default=7)
    two = commands.add_parser("evaluate")
    two.add_argument("folder", type=Path)
    two.add_argument("--min-words", type=int, default=0)
    three = commands.add_parser("flood")
    three.add_argument("source", type=Path, nargs="?", default=Path("samples/040_night_trains_return.txt"))
    three.add_argument("--n", type=int, default=50_000)
    three.add_argument("--words", type=int, default=20)
    three.add_argument("--vocabulary", type=int, default=0)
    three.add_argument("--pan", type=Path, default=Path("../shared/data/pan13-train"))
    three.add_argument("--seed", type=int, default=3)
    three.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    {"snippets": snippets, "evaluate": evaluate, "flood": flood}[args.command](args)


if __name__ == "__main__":
    main()
