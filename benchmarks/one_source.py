"""Many answers copied from one source: a class of students, each given the same article.

    python benchmarks/one_source.py generate ../shared/data/pan13-train/src --out /tmp/one-source
    python benchmarks/one_source.py generate ../shared/data/pan13-train/src --out /tmp/os-verbatim1 \
        --cut-edits 0 --seed 1
    python benchmarks/one_source.py evaluate /tmp/one-source

``generate`` takes ``--tasks`` source texts (the first 30 sentences of a PAN13 source document
of 45 sentences or more) and writes for each, in its own folder ``taskN``: ``source.txt``;
``--per-kind`` answers of each kind made from a run of 7-9 of its first 12 sentences
(``cut``: copied, ``--cut-edits`` of the words changed, 3 % by default, 0: verbatim, as a
student cuts and pastes, which makes the copied sentences common in every cut answer and leaves
them most of its words; ``light``: half of the sentences copied, the others
with a quarter of their words deleted or padded; ``heavy``: every sentence with 45 % of its
words deleted or padded, some sentences dropped); and three answers from later sentences of
the same document (same topic, no copy). Several answers copy the same sentences, so those
sentences are common to five documents or more: what ``--boilerplate-min-docs`` calls
boilerplate. That is the situation of a class answering one question from one source, which
site furniture and syndicated quotes are not.

``evaluate`` scans the folder with the default configuration and with
``--boilerplate-min-docs 1000`` (no boilerplate): the source pairs found per kind, and for
each source pair found only without boilerplate, whether the default scan's candidate stage
proposed it and whether its verification (with the boilerplate) confirms it.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from collections import Counter
from pathlib import Path

import dupefind
from dupefind.catalog import build_catalog
from dupefind.config import Config
from dupefind.pipeline import check_pairs, proposed, views_of
from dupefind.pipeline.tasks import _pair_task
from dupefind.sources import plan_reading

KINDS = ("cut", "light", "heavy")
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_PADDING = ("really", "also", "indeed", "quite", "very", "the", "a")


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.split(text) if len(s.split()) >= 6]


def _edited(rng: random.Random, sentence: str, rate: float) -> str:
    """``rate`` of the words deleted (half) or padded with a filler word (half)."""
    out = []
    for word in sentence.split():
        draw = rng.random()
        if draw < rate / 2:
            continue
        out.append(f"{rng.choice(_PADDING)} {word}" if draw < rate else word)
    return " ".join(out)


def generate(sources: Path, out: Path, *, tasks: int, per_kind: int, seed: int, cut_edits: float = 0.03) -> int:
    rng = random.Random(seed)
    made = 0
    for path in rng.sample(sorted(sources.glob("*.txt")), len(list(sources.glob("*.txt")))):
        found = _sentences(path.read_text(encoding="utf-8", errors="replace"))
        if len(found) < 45:
            continue
        source, later = found[:30], found[32:]
        folder = out / f"task{made}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "source.txt").write_text(" ".join(source), encoding="utf-8")
        for k in range(per_kind):
            start = rng.randrange(4)
            (folder / f"cut{k}.txt").write_text(
                " ".join(_edited(rng, s, cut_edits) if cut_edits else s for s in source[start : start + 7]),
                encoding="utf-8")
            start = rng.randrange(4)
            (folder / f"light{k}.txt").write_text(
                " ".join(s if rng.random() < 0.5 else _edited(rng, s, 0.25) for s in source[start : start + 8]),
                encoding="utf-8")
            start = rng.randrange(4)
            (folder / f"heavy{k}.txt").write_text(
                " ".join(_edited(rng, s, 0.45) for s in source[start : start + 9] if rng.random() < 0.85),
                encoding="utf-8")
        for k in range(3):
            (folder / f"other{k}.txt").write_text(" ".join(later[k * 4 : k * 4 + 8]), encoding="utf-8")
        made += 1
        if made == tasks:
            break
    return made


def _ordered(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


def _source_pairs(folder: Path) -> dict[tuple[str, str], str]:
    """Each (source, answer) pair of the folder, with the answer's kind."""
    pairs = {}
    for task in sorted(folder.glob("task*")):
        for answer in sorted(task.glob("*.txt")):
            kind = answer.stem.rstrip("0123456789")
            if kind in KINDS:
                pairs[_ordered(str(task / "source.txt"), str(answer))] = kind
    return pairs


def evaluate(folder: Path) -> str:
    truth = _source_pairs(folder)
    files = [str(p) for p in sorted(folder.glob("task*/*.txt"))]
    lines = [f"{len(files)} texts, {len(truth)} source pairs", "",
             "| configuration | " + " | ".join(KINDS) + " | pairs reported |", "|---|" + "---:|" * (len(KINDS) + 1)]
    found: dict[int, set[tuple[str, str]]] = {}
    for min_docs in (Config().boilerplate_min_docs, 1000):
        report = dupefind.scan(files, Config(boilerplate_min_docs=min_docs))
        found[min_docs] = {_ordered(p.a, p.b) for p in report.pairs}
        hits = Counter(kind for pair, kind in truth.items() if pair in found[min_docs])
        every = Counter(truth.values())
        lines.append(f"| --boilerplate-min-docs {min_docs} | "
                     + " | ".join(f"{hits[k]}/{every[k]}" for k in KINDS) + f" | {len(report.pairs)} |")
    config = Config(jobs=1)
    default = config.boilerplate_min_docs
    lost = sorted(pair for pair in truth if pair in found[1000] and pair not in found[default])
    if lost:
        views = views_of(config)
        catalog = build_catalog(list(plan_reading(files)), views=views, seed=config.seed, min_words=config.min_words,
                                boilerplate_min_docs=default)
        where = {doc.id: k for k, doc in enumerate(catalog.documents)}
        candidates = set(proposed(catalog, views=views))
        lines += ["", "Source pairs found only without boilerplate:", ""]
        for a, b in lost:
            pair = (min(where[a], where[b]), max(where[a], where[b]))
            confirmed = check_pairs(_pair_task([pair], catalog), commons=catalog.commons, config=config).pairs
            lines.append(f"- {truth[(a, b)]}: {a} / {b}: proposed {pair in candidates}, "
                         f"confirmed by verification {bool(confirmed)}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("generate")
    make.add_argument("sources", type=Path, help="a folder of source texts (PAN13's src)")
    make.add_argument("--out", type=Path, required=True)
    make.add_argument("--tasks", type=int, default=10)
    make.add_argument("--per-kind", type=int, default=5)
    make.add_argument("--seed", type=int, default=5)
    make.add_argument("--cut-edits", type=float, default=0.03, help="share of a cut answer's words changed")
    check = commands.add_parser("evaluate")
    check.add_argument("folder", type=Path)
    args = parser.parse_args(argv)
    if args.command == "generate":
        made = generate(args.sources, args.out, tasks=args.tasks, per_kind=args.per_kind, seed=args.seed,
                        cut_edits=args.cut_edits)
        print(f"{made} tasks written to {args.out}")
    else:
        print(evaluate(args.folder))
    return 0


if __name__ == "__main__":
    sys.exit(main())
