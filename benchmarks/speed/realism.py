"""Realism check of a generated corpus: how often do unrelated documents share phrases?

    python benchmarks/speed/realism.py /tmp/speed-10k [--text-source ../shared/data/pan13-train/src] \
        [--sample 2000] [--seed 1]

A Markov chain trained on a few million words copies phrases of its training text, so unrelated
generated documents share word n-grams more often than real documents do; this is what a
near-duplicate detector sees as noise. For ``--sample`` generated documents that are not planted
copies (``truth.jsonl``) and as many real documents of ``--text-source`` (those of at least 400
words, each cut to a random 400-900 words like the generated ones), it prints and writes to
``DIR/realism.json`` the share of document pairs that share

- at least one word 5-gram (lower-cased words), and
- at least one "stopword 8-gram": 8 consecutive words after keeping only the function words of
  ``dupefind.shingles.STOPWORDS`` (dupefind's default shingles).

Needs ``dupefind`` importable (for its function-word list).
"""

from __future__ import annotations

import argparse
import json
import random
import re
from collections.abc import Iterable
from pathlib import Path

from dupefind.shingles import STOPWORDS

REPO = Path(__file__).resolve().parents[2]
DEFAULT_SOURCE = REPO / ".." / "shared" / "data" / "pan13-train" / "src"
_WORD = re.compile(r"\w+(?:['’]\w+)*")


def words_of(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def grams(words: list[str], n: int) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def sharing_share(docs: list[set[tuple[str, ...]]]) -> float:
    """Share of unordered document pairs with at least one gram in common (bitset postings)."""
    postings: dict[tuple[str, ...], int] = {}
    for index, doc in enumerate(docs):
        bit = 1 << index
        for gram in doc:
            postings[gram] = postings.get(gram, 0) | bit
    linked = 0
    for index, doc in enumerate(docs):
        mask = 0
        for gram in doc:
            mask |= postings[gram]
        linked += (mask & ~(1 << index)).bit_count()
    pairs = len(docs) * (len(docs) - 1)
    return linked / pairs if pairs else 0.0


def generated_sample(folder: Path, size: int, rng: random.Random) -> list[list[str]]:
    copies = {json.loads(line)["copy"] for line in (folder / "truth.jsonl").open(encoding="utf-8")}
    texts = []
    with (folder / "corpus.jsonl").open(encoding="utf-8") as corpus:
        for line in corpus:
            record = json.loads(line)
            if record["id"] not in copies:
                texts.append(record["text"])
            if len(texts) >= 4 * size:
                break
    return [words_of(t) for t in rng.sample(texts, min(size, len(texts)))]


def real_sample(source: Path, size: int, rng: random.Random) -> list[list[str]]:
    docs = []
    for path in sorted(source.glob("*.txt")):
        words = words_of(path.read_text("utf-8", errors="replace"))
        if len(words) >= 400:
            docs.append(words)
    picked = rng.sample(docs, min(size, len(docs)))
    out = []
    for words in picked:
        length = min(len(words), rng.randint(400, 900))
        start = rng.randrange(len(words) - length + 1)
        out.append(words[start : start + length])
    return out


def measure(docs: Iterable[list[str]]) -> dict[str, float]:
    docs = list(docs)
    stop = [[w for w in d if w in STOPWORDS] for d in docs]
    return {
        "docs": len(docs),
        "mean_words": round(sum(map(len, docs)) / max(1, len(docs)), 1),
        "pairs_sharing_word5": round(sharing_share([grams(d, 5) for d in docs]), 5),
        "pairs_sharing_stop8": round(sharing_share([grams(d, 8) for d in stop]), 5),
    }


def check(folder: Path, source: Path, *, size: int = 2000, seed: int = 1) -> dict[str, object]:
    rng = random.Random(f"{seed}-realism")
    generated = measure(generated_sample(folder, size, rng))
    real = measure(real_sample(source, size, rng))
    ratio = {
        key: round(generated[key] / real[key], 2) if real[key] else None
        for key in ("pairs_sharing_word5", "pairs_sharing_stop8")
    }
    result = {"generated": generated, "real": real, "generated_over_real": ratio}
    (folder / "realism.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print("| sample | docs | mean words | pairs sharing a word 5-gram | pairs sharing a stopword 8-gram |")
    print("|---|---|---|---|---|")
    for name, row in (("generated", generated), ("real (PAN src)", real)):
        print(f"| {name} | {row['docs']} | {row['mean_words']} | {row['pairs_sharing_word5']:.2%} "
              f"| {row['pairs_sharing_stop8']:.2%} |")
    print(f"generated / real: word 5-gram x{ratio['pairs_sharing_word5']}, "
          f"stopword 8-gram x{ratio['pairs_sharing_stop8']}")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path, help="a generate.py output folder")
    parser.add_argument("--text-source", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--sample", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    check(args.folder, args.text_source, size=args.sample, seed=args.seed)


if __name__ == "__main__":
    main()
