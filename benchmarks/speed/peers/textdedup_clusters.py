"""Turn text-dedup's debug union-find (``uf.pkl``) into clusters of document ids.

    /tmp/venv-textdedup/bin/python benchmarks/speed/peers/textdedup_clusters.py OUTPUT_DIR CLUSTERS.json

Runs in text-dedup's own virtual environment (unpickling needs ``text_dedup``), after the timed
run. ``python -m text_dedup.minhash ... --idx_column id --debug`` dumps its union-find, keyed by
the ``id`` column, to ``OUTPUT_DIR/uf.pkl``; text-dedup keeps one document per union-find set
(its root) and removes the others as duplicates. Writes ``{"clusters": [[id, ...], ...]}`` (sets
of two or more ids, sorted) and ``{"kept": N}`` (documents in the saved deduplicated dataset).
"""

from __future__ import annotations

import json
import pickle  # nosec: our own output
import sys
from collections import defaultdict
from pathlib import Path


def main(output: str, out: str) -> None:
    folder = Path(output)
    with (folder / "uf.pkl").open("rb") as handle:
        uf = pickle.load(handle)  # nosec
    groups: dict[object, list[str]] = defaultdict(list)
    for node in list(uf.parent):
        groups[uf.find(node)].append(str(node))
    clusters = sorted(sorted(ids) for ids in groups.values() if len(ids) > 1)
    kept = None
    try:
        from datasets import load_from_disk

        kept = len(load_from_disk(str(folder)))
    except Exception as error:
        print(f"could not read the deduplicated dataset: {error}", file=sys.stderr)
    Path(out).write_text(json.dumps({"clusters": clusters, "kept": kept}), encoding="utf-8")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    main(sys.argv[1], sys.argv[2])
