"""datasketch used exactly as its documentation shows, as one process: the speed benchmark's first peer.

    python benchmarks/speed/peers/datasketch_documented.py CORPUS.jsonl OUT.json

Per document: ``MinHash(num_perm=128)`` and ``update_batch`` over its word 5-grams (the
lower-cased words of ``text.split()``, joined by spaces, encoded UTF-8); all signatures inserted
into ``MinHashLSH(threshold=0.5, num_perm=128)``, then every document queried. Writes
``{"pairs": [[id, id], ...]}`` (each unordered pair once, ids sorted). No verification step:
LSH candidates are the answer, as in the documentation's examples.
"""

from __future__ import annotations

import json
import sys

from datasketch import MinHash, MinHashLSH

NUM_PERM = 128
NGRAM = 5


def shingles(text: str) -> set[str]:
    words = text.lower().split()
    return {" ".join(words[i : i + NGRAM]) for i in range(max(1, len(words) - NGRAM + 1))}


def main(corpus: str, out: str) -> None:
    lsh = MinHashLSH(threshold=0.5, num_perm=NUM_PERM)
    signatures: dict[str, MinHash] = {}
    with open(corpus, encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            m = MinHash(num_perm=NUM_PERM)
            m.update_batch([s.encode("utf8") for s in shingles(record["text"])])
            lsh.insert(record["id"], m)
            signatures[record["id"]] = m
    pairs: set[tuple[str, str]] = set()
    for key, m in signatures.items():
        for other in lsh.query(m):
            if other != key:
                pairs.add((min(key, other), max(key, other)))
    with open(out, "w", encoding="utf-8") as handle:
        json.dump({"pairs": sorted(pairs)}, handle)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    main(sys.argv[1], sys.argv[2])
