"""Compare shingling schemes: how well each separates copies from non-copies.

For each scheme it prints, on the bundled samples (planted pairs from samples/ANSWERS.md vs
every other pair) and optionally on PAN13's topically related negatives (01-no-plagiarism):
the Jaccard and containment of the seed pair, the lowest containment of a planted copy, the
highest containment of a non-copy, and the margin between the two.

    python benchmarks/schemes.py samples [--pan ../shared/data/pan13-train --pan-limit 300]
"""

from __future__ import annotations

import argparse
import itertools
import sys
from pathlib import Path

from dupefind.boilerplate import find_commons, segment_keys
from dupefind.sources import Record, read_records
from dupefind.text import tokenize
from dupefind.verify import overlap, prepare

SCHEMES = [
    ("words", 5),
    ("words", 3),
    ("words", 2),
    ("chars", 5),
    ("chars", 7),
    ("chars", 10),
    ("stopwords", 6),
    ("stopwords", 7),
    ("stopwords", 8),
    ("stopwords", 11),
]
SEEDS = ("000_313ab52531fab2be.txt", "001_633f16316fbadcf5.txt")


def expected_pairs(samples: Path) -> set[tuple[str, str]]:
    block = (samples / "ANSWERS.md").read_text("utf-8").split("expected-pairs:", 1)[1]
    lines = block.split("```", 1)[0].strip().splitlines()
    return {tuple(sorted(line.split())) for line in lines if line.strip()}  # type: ignore[misc]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("samples", type=Path)
    parser.add_argument("--pan", type=Path, help="PAN13 training corpus folder (optional)")
    parser.add_argument("--pan-limit", type=int, default=300, help="01 negatives to use")
    args = parser.parse_args()

    records = [
        r
        for r in read_records([str(args.samples)])
        if isinstance(r, Record) and not r.id.endswith("ANSWERS.md")
    ]
    names = {r.id: Path(r.id).name for r in records}
    commons = find_commons((segment_keys(r.text, tokenize(r.text)) for r in records), min_docs=5)
    truth = expected_pairs(args.samples)
    pan = []
    if args.pan:
        lines = (args.pan / "01-no-plagiarism" / "pairs").read_text().split("\n")[: args.pan_limit]
        pan = [
            ((args.pan / "susp" / s).read_text("utf-8"), (args.pan / "src" / r).read_text("utf-8"))
            for s, r in (line.split() for line in lines if line.strip())
        ]

    print(
        "| scheme | n | seeds Jaccard | seeds containment | min planted containment | max non-copy containment (samples) | max PAN-01 containment | margin |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for scheme, n in SCHEMES:
        prep = {
            r.id: prepare(r.id, r.text, commons=commons, scheme=scheme, ngram=n, min_words=50)
            for r in records
        }  # type: ignore[arg-type]
        copies, others = [], []
        seeds = None
        for a, b in itertools.combinations(sorted(prep), 2):
            fig = overlap(prep[a], prep[b])
            key = tuple(sorted((names[a], names[b])))
            (copies if key in truth else others).append(fig.containment)
            if key == SEEDS:
                seeds = fig
        pan_max = 0.0
        for x, y in pan:
            fig = overlap(
                prepare("a", x, commons=commons, scheme=scheme, ngram=n, min_words=50),  # type: ignore[arg-type]
                prepare("b", y, commons=commons, scheme=scheme, ngram=n, min_words=50),
            )  # type: ignore[arg-type]
            pan_max = max(pan_max, fig.containment)
        worst_neg = max(max(others), pan_max)
        assert seeds is not None
        print(
            f"| {scheme} | {n} | {seeds.similarity:.3f} | {seeds.containment:.3f} | {min(copies):.3f} | "
            f"{max(others):.3f} | {pan_max:.3f}{'' if pan else ' (not run)'} | {min(copies) - worst_neg:+.3f} |"
        )


if __name__ == "__main__":
    sys.exit(main())
