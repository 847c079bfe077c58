"""Signatures to candidate pairs by LSH banding: the only module that touches ``MinHashLSH``.

LSH is approximate by design (datasketch's own ``MinHashLSH.query`` docstring says so): every
candidate is re-checked exactly by :mod:`dupefind.verify`.
"""

from __future__ import annotations

from collections.abc import Sequence

from datasketch import MinHashLSH

from .fingerprint import Signature, as_minhash

Candidate = tuple[int, int]


def candidate_pairs(signatures: Sequence[Signature | None], *, threshold: float, num_perm: int,
                    seed: int) -> list[Candidate]:
    """Index pairs ``(i, j)``, ``i < j``, whose signatures share an LSH band; ``None`` is skipped.

    The bands are tuned for Jaccard ``threshold``, weighting missed pairs above false ones,
    since false candidates only cost a verification.
    """
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm, weights=(0.2, 0.8))
    minhashes = {i: as_minhash(sig, seed=seed) for i, sig in enumerate(signatures) if sig is not None}
    for index, minhash in minhashes.items():
        lsh.insert(index, minhash, check_duplication=False)
    found: set[Candidate] = set()
    for index, minhash in minhashes.items():
        found.update((index, other) for other in lsh.query(minhash) if other > index)
    return sorted(found)
