"""Short rewrites: PAN13 cases as standalone short texts, scanned and compared.

Usage (from the repository root; the corpus beside it, the folder written outside the repo)::

    python benchmarks/short_rewrites.py generate ../shared/data/pan13-train --out /tmp/short-rewrites
    python benchmarks/short_rewrites.py evaluate /tmp/short-rewrites

``generate`` writes, for up to ``--per-kind`` cases of each obfuscation kind (cases whose
suspicious side has 50-400 words and source side 50-700), the suspicious passage and its
source passage as two text files
(``<kind>-NNN-a.txt`` / ``-b.txt``: a true pair); from the ``01`` pairs (topically related,
no reuse), a passage of each document of the same length range (``neg01-NNN-a/b``: a
same-topic negative pair); and groups of short paragraphs on one subject from different
source documents (``topic-WORD-K.txt``: every pair within a group is a same-topic negative).
A subject is a rare content word (found in 4-12 source documents); each paragraph is the run
of whole sentences (60-250 words) around its first use in one document.

``evaluate`` scans the folder (default configuration) and runs ``compare`` on every true
pair and every same-topic negative pair: recall per kind for both, false pairs among the
negatives for both, and every pair ``compare`` reports that the scan does not. With
``--classes N`` the texts are dealt into classes of at most N (each pair and topic group
whole) and each class is scanned on its own, as a teacher scans one class's essays::

    python benchmarks/short_rewrites.py evaluate /tmp/short-rewrites --classes 100
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from collections import defaultdict
from itertools import combinations
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pan13 import list_pairs, list_subcorpora, read_cases, read_text

import dupefind

KINDS = {"02": "none", "03": "random", "04": "translation", "05": "summary"}
_WORD = re.compile(r"\w+")
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
STOP = frozenset("the of and a in to is was it for with he be on i that by at you are not his this from but had "
                 "which she they or an were we their been has have will would her there can all as if who what "
                 "said".split())


def _words(text: str) -> int:
    return len(_WORD.findall(text))


def _around(text: str, start: int, low: int, high: int) -> str | None:
    """The whole sentences around character ``start``, ``low``-``high`` words."""
    sentences, offset, spans = _SENTENCE.split(text), 0, []
    for sentence in sentences:
        begin = text.index(sentence, offset)
        spans.append((begin, begin + len(sentence)))
        offset = begin + len(sentence)
    centre = next((k for k, (b, e) in enumerate(spans) if b <= start < e), None)
    if centre is None:
        return None
    first = last = centre
    while _words(text[spans[first][0] : spans[last][1]]) < low:
        if last + 1 < len(spans):
            last += 1
        elif first > 0:
            first -= 1
        else:
            return None
    chosen = text[spans[first][0] : spans[last][1]].strip()
    return chosen if _words(chosen) <= high else None


def generate(args: argparse.Namespace) -> None:
    corpus, out, rng = args.corpus, args.out, random.Random(args.seed)
    out.mkdir(parents=True, exist_ok=True)
    if any(out.iterdir()):
        raise SystemExit(f"{out} is not empty")
    written = defaultdict(int)
    for folder in list_subcorpora(corpus, None):
        code = folder.name[:2]
        pairs = list_pairs(folder, None)
        if code == "01":
            for n, (susp, src) in enumerate(rng.sample(pairs, min(args.per_kind, len(pairs)))):
                a, b = read_text(corpus / "susp" / susp), read_text(corpus / "src" / src)
                pa = _around(a, rng.randrange(len(a)), 80, 300)
                pb = _around(b, rng.randrange(len(b)), 80, 300)
                if pa and pb:
                    (out / f"neg01-{n:03d}-a.txt").write_text(pa, "utf-8")
                    (out / f"neg01-{n:03d}-b.txt").write_text(pb, "utf-8")
                    written["neg01"] += 1
            continue
        cases = read_cases(folder, pairs)
        found = [(pair, span) for pair in pairs for span in cases[pair]]
        rng.shuffle(found)
        for (susp, src), span in found:
            if written[KINDS[code]] >= args.per_kind:
                break
            a = read_text(corpus / "susp" / susp)[span.this_offset : span.this_end].strip()
            b = read_text(corpus / "src" / src)[span.source_offset : span.source_offset + span.source_length].strip()
            if not (50 <= _words(a) <= 400 and 50 <= _words(b) <= 700):
                continue
            n = written[KINDS[code]]
            (out / f"{KINDS[code]}-{n:03d}-a.txt").write_text(a, "utf-8")
            (out / f"{KINDS[code]}-{n:03d}-b.txt").write_text(b, "utf-8")
            written[KINDS[code]] += 1
    written["topic"] = _topics(corpus / "src", out, rng, args.topics)
    print(dict(written))


def _topics(sources: Path, out: Path, rng: random.Random, groups: int, *, low: int = 60, high: int = 250) -> int:
    """Groups of same-subject paragraphs (whole sentences, ``low``-``high`` words) from different
    source documents."""
    files = sorted(sources.glob("*.txt"))
    texts = {f.name: read_text(f) for f in files}
    where: dict[str, list[str]] = defaultdict(list)
    for name, text in texts.items():
        for word in {w.lower() for w in _WORD.findall(text)}:
            if len(word) >= 6 and word.isalpha() and word not in STOP:
                where[word].append(name)
    subjects = sorted(w for w, names in where.items() if 4 <= len(names) <= 12)
    made = 0
    for word in rng.sample(subjects, len(subjects)):
        if made >= groups:
            break
        paragraphs = []
        for name in sorted(where[word]):
            text = texts[name]
            match = re.search(rf"\b{word}\b", text, re.IGNORECASE)
            chosen = _around(text, match.start(), low, high) if match else None
            if chosen and all(chosen[:80] != p[:80] for p in paragraphs):
                paragraphs.append(chosen)
        if len(paragraphs) >= 3:
            for k, paragraph in enumerate(paragraphs[:6]):
                (out / f"topic-{word}-{k}.txt").write_text(paragraph, "utf-8")
            made += 1
    return made


def _classes(units: list[list[str]], size: int, seed: int) -> list[list[str]]:
    """The units (a pair, or a group of same-topic paragraphs) shuffled and packed, whole, into
    classes of at most ``size`` texts."""
    order = units[:]
    random.Random(seed).shuffle(order)
    classes: list[list[str]] = [[]]
    for unit in order:
        if classes[-1] and len(classes[-1]) + len(unit) > size:
            classes.append([])
        classes[-1].extend(unit)
    return classes


def evaluate(args: argparse.Namespace) -> None:
    folder: Path = args.folder
    names = sorted(p.name for p in folder.glob("*.txt"))
    true = [(n, n[:-5] + "b.txt") for n in names if n.endswith("-a.txt") and not n.startswith("neg01")]
    negatives = [(n, n[:-5] + "b.txt") for n in names if n.startswith("neg01") and n.endswith("-a.txt")]
    groups: dict[str, list[str]] = defaultdict(list)
    for n in names:
        if n.startswith("topic-"):
            groups[n.rsplit("-", 1)[0]].append(n)
    topical = [pair for members in groups.values() for pair in combinations(members, 2)]
    if args.classes:  # each class scanned on its own, as a teacher scans one class's essays
        units = [list(p) for p in true + negatives] + list(groups.values())
        listed = {n for unit in units for n in unit}
        units += [[n] for n in names if n not in listed]
        classes = _classes(units, args.classes, args.seed)
        print(f"{len(classes)} classes of at most {args.classes} texts, each scanned on its own")
        scanned = set()
        started = time.perf_counter()
        for members in classes:
            report = dupefind.scan([str(folder / n) for n in members])
            scanned |= {tuple(sorted((Path(p.a).name, Path(p.b).name))) for p in report.pairs}
        print(f"scans: {time.perf_counter() - started:.1f} s in all")
    else:
        report = dupefind.scan([str(folder)])
        scanned = {tuple(sorted((Path(p.a).name, Path(p.b).name))) for p in report.pairs}
    judged = {pair: dupefind.compare(read_text(folder / pair[0]), read_text(folder / pair[1])).duplicate
              for pair in true + negatives + topical}
    print(f"{len(names)} texts, scan reported {len(scanned)} pairs\n")
    print("| set | pairs | scan reports | compare reports | compare reports, scan misses |")
    print("|---|---:|---:|---:|---:|")
    kinds = sorted({n.split("-")[0] for n, _ in true})
    missed = []
    for label, pairs in [(k, [p for p in true if p[0].startswith(k + "-")]) for k in kinds] + [
            ("01 passages (negatives)", negatives), ("same-topic paragraphs (negatives)", topical)]:
        by_scan = sum(1 for p in pairs if tuple(sorted(p)) in scanned)
        by_compare = [p for p in pairs if judged[p]]
        gap = [p for p in by_compare if tuple(sorted(p)) not in scanned]
        missed += gap
        print(f"| {label} | {len(pairs)} | {by_scan} | {len(by_compare)} | {len(gap)} |")
    listed = {tuple(sorted(p)) for p in true}
    others = sorted(p for p in scanned if p not in listed)
    print(f"\nscan pairs that are not true pairs: {len(others)}")
    for a, b in others[:20]:
        print(f"  {a} {b}")
    print(f"compare reports, scan misses: {len(missed)}")
    for a, b in missed[:20]:
        print(f"  {a} {b}")
    if args.verbose:
        for a, b in [p for p in negatives + topical if judged[p]]:
            print(f"  compare false pair: {a} {b}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    make = sub.add_parser("generate")
    make.add_argument("corpus", type=Path)
    make.add_argument("--out", type=Path, required=True)
    make.add_argument("--per-kind", type=int, default=100)
    make.add_argument("--topics", type=int, default=30)
    make.add_argument("--seed", type=int, default=13)
    check = sub.add_parser("evaluate")
    check.add_argument("folder", type=Path)
    check.add_argument("--verbose", action="store_true")
    check.add_argument("--classes", type=int, default=0,
                       help="scan classes of at most this many texts apart (pairs and topic groups kept whole)")
    check.add_argument("--seed", type=int, default=13, help="how the texts are dealt into classes")
    args = parser.parse_args()
    generate(args) if args.command == "generate" else evaluate(args)


if __name__ == "__main__":
    main()
