"""The news-like corpus (``generate.py --kind news``): articles that share text as syndicated news does.

Real news is not a set of independent texts: agencies' wire stories run on many sites, articles
open with another's lede, and the same quotes and stock sentences recur in unrelated stories.
That shared text is what a near-duplicate detector has to verify and set apart from copies.
On top of the Markov-chain base articles and the planted copies of ``generate.py`` (same plan,
same kinds; their originals and copies take no part in what follows), the other documents get:

- **wire stories** (``--wire-share`` of the documents, 1 %): a few extra articles, each run in
  3-12 places (one story in five in 20-60), each place keeping the first 60-100 % of its
  paragraphs behind a dateline of its own (``"LONDON (Wire) - "``). Every place after the first
  is a planted copy of the first (``truth.jsonl``, kind ``wire``, detail: the share kept);
- **shared ledes** (``--lede-share`` of the documents, 8 %): the article opens with the first
  1-3 paragraphs of an earlier article (its *source*; a source already reused is chosen again
  two times in five, so some ledes run in many places) in place of as many of its own;
- **recurring quotes**: a pool of ``n / 40`` quotes (``"<a sentence of 8-40 words>," said
  <Name>.``), each document holding none (half of them), one (35 %) or two, chosen with a
  Zipf-like popularity (at most 60 places a quote), each as a paragraph of its own after the
  lede; the popular ones are in enough documents to be boilerplate.

Written besides the usual files: ``shared.jsonl``, one line per shared stretch:
``{"stretch": "lede:doc0000123", "kind": "lede" | "quote", "words": N, "places": [{"doc": id,
"start": C, "end": C}, ...]}`` (character offsets into each document's text, end exclusive,
each stretch in two places or more): every pair of places is an expected shared-passage pair.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
import time
from collections import Counter
from dataclasses import dataclass, field

from generate import Chain, Copier, articles, doc_id, plan_copies, sentences, write_txt

CITIES = ["LONDON", "WASHINGTON", "NEW YORK", "PARIS", "BRUSSELS", "TOKYO", "BERLIN", "SYDNEY",
          "MADRID", "CHICAGO", "TORONTO", "NAIROBI", "MUMBAI", "SEOUL", "ROME", "DUBLIN"]
FIRST = ["Maria", "John", "Ahmed", "Li", "Sarah", "David", "Elena", "James", "Aisha", "Carlos",
         "Anna", "Peter", "Fatima", "Tom", "Julia", "Robert", "Grace", "Daniel", "Nina", "Victor"]
LAST = ["Smith", "Garcia", "Chen", "Okafor", "Müller", "Rossi", "Kowalski", "Tanaka", "Silva",
        "Johnson", "Haddad", "Novak", "Brown", "Dubois", "Patel", "Larsen", "Kim", "Moreau"]
MAX_QUOTE_PLACES = 60
LEDE_AGAIN = 0.4  # chance that a lede reuse picks a source already reused


@dataclass
class Roles:
    """What each document index is in the news corpus."""

    wire: dict[int, tuple[int, int]] = field(default_factory=dict)  # index -> (story, place number)
    lede_of: dict[int, int] = field(default_factory=dict)  # reuser -> source
    lede_size: dict[int, int] = field(default_factory=dict)  # source -> paragraphs of its lede
    quotes: dict[int, list[int]] = field(default_factory=dict)  # index -> quote numbers
    stories: int = 0


def plan_roles(n: int, reserved: set[int], args: argparse.Namespace, rng: random.Random) -> Roles:
    roles = Roles()
    free = [i for i in range(n) if i not in reserved]
    wire_slots = min(len(free) // 4, round(n * args.wire_share))
    chosen = sorted(rng.sample(free, wire_slots)) if wire_slots else []
    story = 0
    while chosen:
        size = rng.randint(20, 60) if rng.random() < 0.2 else rng.randint(3, 12)
        take = sorted(rng.sample(chosen, min(size, len(chosen))))
        for place, index in enumerate(take):
            roles.wire[index] = (story, place)
        chosen = [i for i in chosen if i not in set(take)]
        story += 1
    roles.stories = story
    plain = [i for i in free if i not in roles.wire]
    pool: list[int] = []  # plain documents that are not reusers: possible sources
    used: list[int] = []  # sources already reused
    for index in plain:
        if pool and rng.random() < args.lede_share:
            if used and rng.random() < LEDE_AGAIN:
                source = rng.choice(used)
            else:
                source = rng.choice(pool)
                if source not in roles.lede_size:
                    roles.lede_size[source] = rng.randint(1, 3)
                    used.append(source)
            roles.lede_of[index] = source
        else:
            pool.append(index)
    pool_size = max(20, n // 40)
    weights = [1 / (rank + 1) ** 1.1 for rank in range(pool_size)]
    places: Counter[int] = Counter()
    for index in plain:
        count = rng.choices((0, 1, 2), (0.5, 0.35, 0.15))[0]
        picked: list[int] = []
        while len(picked) < count:
            quote = rng.choices(range(pool_size), weights)[0]
            if places[quote] < MAX_QUOTE_PLACES and quote not in picked:
                picked.append(quote)
                places[quote] += 1
            elif len(places) >= pool_size and all(places[q] >= MAX_QUOTE_PLACES for q in range(pool_size)):
                break
        if picked:
            roles.quotes[index] = picked
    return roles


def quote_pool(chain: Chain, size: int, seed: int) -> list[str]:
    """``size`` quotes, each a sentence of 8-40 words of extra articles, with a speaker."""
    rng = random.Random(f"{seed}-speakers")
    found: list[str] = []
    for text in articles(chain, max(10, size // 4), seed + 104_729):
        for sentence in sentences(text.split()):
            if 8 <= len(sentence) <= 40 and len(found) < size:
                body = " ".join(sentence).rstrip(".!?")
                found.append(f"\"{body},\" said {rng.choice(FIRST)} {rng.choice(LAST)}.")
        if len(found) >= size:
            break
    while len(found) < size:  # a tiny chain: repeat with numbered speakers
        found.append(f"{found[len(found) % max(1, len(found))]} ({len(found)})")
    return found


Paragraphs = list[tuple[str, str | None]]  # (paragraph, the stretch it belongs to)


def place(paragraphs: Paragraphs) -> tuple[str, dict[str, tuple[int, int]]]:
    """The text, and the character span of each stretch (its first to its last paragraph)."""
    spans: dict[str, tuple[int, int]] = {}
    offset = 0
    for text, stretch in paragraphs:
        if stretch is not None:
            start = spans[stretch][0] if stretch in spans else offset
            spans[stretch] = (start, offset + len(text))
        offset += len(text) + 2
    return "\n\n".join(text for text, _ in paragraphs), spans


def generate_news(args: argparse.Namespace, chain: Chain, started: float) -> dict[str, object]:
    n = args.n
    plan = plan_copies(n, args.copy_share, args.kinds, random.Random(f"{args.seed}-plan"))
    reserved = set(plan.originals) | set(plan.originals.values())
    roles = plan_roles(n, reserved, args, random.Random(f"{args.seed}-news"))
    synonyms = None
    if "spin" in plan.kinds.values():
        from spun import load_wordnet

        synonyms = load_wordnet(args.wordnet)
    copier = Copier(synonyms, random.Random(f"{args.seed}-copies"))
    layout = random.Random(f"{args.seed}-news-layout")
    stories = [t.split("\n\n") for t in articles(chain, roles.stories, args.seed + 7919)]
    quotes = quote_pool(chain, max(20, n // 40), args.seed)
    wanted = set(plan.originals.values())
    kept: dict[int, str] = {}
    ledes: dict[int, list[str]] = {}
    first_place: dict[int, int] = {}
    stretches: dict[str, list[dict[str, object]]] = {}
    words_of: dict[str, int] = {}
    args.out.mkdir(parents=True, exist_ok=True)
    total_words = 0
    kinds: Counter[str] = Counter()
    with (args.out / "corpus.jsonl").open("w", encoding="utf-8", newline="\n") as corpus, \
            (args.out / "truth.jsonl").open("w", encoding="utf-8", newline="\n") as truth:
        for index, text in enumerate(articles(chain, n, args.seed, args.backoff)):
            if index in plan.originals:
                original = plan.originals[index]
                kind = plan.kinds[index]
                text, detail = copier.make(kind, kept.pop(original), text)
                truth.write(json.dumps({"copy": doc_id(index), "original": doc_id(original),
                                        "kind": kind, "detail": detail}) + "\n")
                kinds[kind] += 1
            elif index in wanted:
                kept[index] = text
            elif index in roles.wire:
                story, number = roles.wire[index]
                paragraphs = stories[story]
                share = round(layout.uniform(0.6, 1.0), 3)
                keep = max(1, math.ceil(share * len(paragraphs)))
                dateline = f"{layout.choice(CITIES)} (Wire) - "
                text = "\n\n".join([dateline + paragraphs[0], *paragraphs[1:keep]])
                if number == 0:
                    first_place[story] = index
                else:
                    truth.write(json.dumps({"copy": doc_id(index), "original": doc_id(first_place[story]),
                                            "kind": "wire", "detail": share}) + "\n")
                    kinds["wire"] += 1
            else:
                text = news_article(index, text, roles, ledes, quotes, stretches, words_of, layout)
            corpus.write(json.dumps({"id": doc_id(index), "text": text}, ensure_ascii=False) + "\n")
            total_words += text.count(" ") + text.count("\n\n") + 1
            if args.txt:
                write_txt(args.out, index, text)
            if args.progress and (index + 1) % 100_000 == 0:
                print(f"  {index + 1:,} documents, {time.perf_counter() - started:.0f} s", file=sys.stderr)
    shared = 0
    with (args.out / "shared.jsonl").open("w", encoding="utf-8", newline="\n") as out:
        for stretch, places in stretches.items():
            if len(places) >= 2:
                out.write(json.dumps({"stretch": stretch, "kind": stretch.split(":")[0],
                                      "words": words_of[stretch], "places": places}) + "\n")
                shared += len(places) * (len(places) - 1) // 2
    meta: dict[str, object] = {
        "kind": "news", "n": n, "seed": args.seed, "copy_share": args.copy_share, "txt": args.txt,
        "backoff": args.backoff, "wire_share": args.wire_share, "lede_share": args.lede_share,
        "copies": sum(kinds.values()), "kinds": dict(sorted(kinds.items())),
        "wire_stories": roles.stories, "lede_reusers": len(roles.lede_of), "lede_sources": len(roles.lede_size),
        "quotes": len(quotes), "quoted_documents": len(roles.quotes),
        "expected_shared_pairs": shared, "mean_words": round(total_words / max(1, n), 1),
        "text_source": str(args.text_source.name), "chain_words": len(chain.vocab),
    }
    return meta


def news_article(index: int, text: str, roles: Roles, ledes: dict[int, list[str]], quotes: list[str],
                 stretches: dict[str, list[dict[str, object]]], words_of: dict[str, int],
                 rng: random.Random) -> str:
    """A plain document's text with its lede reused (or kept for reuse) and its quotes."""
    own = text.split("\n\n")
    paragraphs: Paragraphs = [(p, None) for p in own]
    lede = 0
    if index in roles.lede_of:
        source = roles.lede_of[index]
        lede = len(ledes[source])
        rest = own[lede:] if len(own) > lede else own
        paragraphs = [(p, f"lede:{doc_id(source)}") for p in ledes[source]] + [(p, None) for p in rest]
    elif index in roles.lede_size:
        lede = min(roles.lede_size[index], len(own))
        ledes[index] = own[:lede]
        paragraphs = [(p, f"lede:{doc_id(index)}" if k < lede else None) for k, p in enumerate(own)]
    for quote in roles.quotes.get(index, []):
        where = rng.randint(lede, len(paragraphs))
        paragraphs.insert(where, (quotes[quote], f"quote:{quote}"))
    text, spans = place(paragraphs)
    for stretch, (start, end) in spans.items():
        stretches.setdefault(stretch, []).append({"doc": doc_id(index), "start": start, "end": end})
        words_of.setdefault(stretch, len(text[start:end].split()))
    return text
