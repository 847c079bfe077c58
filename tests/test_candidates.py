"""Candidates: LSH banding finds similar signatures, skips short texts, returns sorted i < j,
and finds what datasketch's own ``MinHashLSH`` finds."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from datasketch import MinHashLSH

from dupefind.candidates import (
    WEIGHTS,
    BandKeys,
    Candidate,
    Sketches,
    band_keys,
    bucket_candidates,
    candidate_pairs,
    colliding_rows,
    filter_candidates,
    key_codes,
    keyed_rows,
    signature_candidates,
    union,
    view_banding,
)
from dupefind.candidates.buckets import bucket_rows, signature_buckets
from dupefind.candidates.keys import KNOWN_BANDINGS, kept_band_keys
from dupefind.candidates.pairing import _differing_nibbles, low_nibbles
from dupefind.config import Config
from dupefind.fingerprint import as_minhash, signatures
from dupefind.pipeline import views_of
from dupefind.views import View

RNG = np.random.default_rng(11)


@pytest.fixture(autouse=True)
def _fixed_rng() -> None:
    """Each test draws the same numbers however the tests are selected or ordered."""
    global RNG
    RNG = np.random.default_rng(11)


def random_ids(count: int) -> np.ndarray:
    return np.unique(RNG.integers(0, 2**32, count, dtype=np.uint32))


def view(threshold: float, num_perm: int, min_containment: float = 0.0, window: int = 0) -> View:
    return View("test", "words", 3, window, num_perm, threshold, min_containment)


def pairs_of(sigs: np.ndarray, sizes: np.ndarray, usable: np.ndarray, *, threshold: float, num_perm: int,
             min_containment: float = 0.0) -> list[Candidate]:
    """The candidates of one signature per document, in one view."""
    return candidate_pairs([Sketches.whole(sigs, sizes)], views=[view(threshold, num_perm, min_containment)],
                           usable=usable)


def everyone(sigs: np.ndarray) -> np.ndarray:
    return np.ones(len(sigs), dtype=bool)


def sizes(sigs: np.ndarray, size: int = 300) -> np.ndarray:
    return np.full(len(sigs), size, dtype=np.uint32)


def near_copy(ids: np.ndarray, share_changed: float) -> np.ndarray:
    """``ids`` with ``share_changed`` of its members replaced by new random ones."""
    changed = int(len(ids) * share_changed)
    kept = RNG.permutation(ids)[changed:]
    return np.unique(np.concatenate([kept, random_ids(changed)]))


def test_near_identical_become_a_candidate_unrelated_do_not() -> None:
    base = random_ids(400)
    batch = [random_ids(400), base, random_ids(400), near_copy(base, 0.05), random_ids(400)]
    sigs = signatures(batch, num_perm=128, seed=1)
    assert pairs_of(sigs, sizes(sigs), everyone(sigs), threshold=0.1, num_perm=128) == [(1, 3)]


def test_several_groups_sorted_with_i_below_j() -> None:
    first, second = random_ids(300), random_ids(300)
    batch = [near_copy(second, 0.1), first, near_copy(first, 0.1), second, near_copy(first, 0.05)]
    sigs = signatures(batch, num_perm=128, seed=9)
    found = pairs_of(sigs, sizes(sigs), everyone(sigs), threshold=0.2, num_perm=128)
    assert found == [(0, 3), (1, 2), (1, 4), (2, 4)]
    assert found == sorted(found)
    assert all(i < j for i, j in found)


def test_rows_not_usable_are_skipped() -> None:
    base = random_ids(300)
    sigs = signatures([base, base, near_copy(base, 0.02)], num_perm=64, seed=1)
    with_gaps = np.stack([sigs[0], sigs[0], sigs[1], sigs[0], sigs[2], sigs[0]])
    usable = np.array([False, True, True, False, True, False])
    assert pairs_of(with_gaps, sizes(with_gaps), usable, threshold=0.1, num_perm=64) == [(1, 2), (1, 4), (2, 4)]
    assert pairs_of(with_gaps, sizes(with_gaps), np.zeros(6, dtype=bool), threshold=0.1, num_perm=64) == []
    assert pairs_of(np.empty((0, 64), dtype=np.uint32), np.zeros(0, dtype=np.uint32), np.zeros(0, dtype=bool),
                           threshold=0.1, num_perm=64) == []


def test_empty_shingle_sets_are_never_candidates() -> None:
    sigs = signatures([np.empty(0, dtype=np.uint32)] * 3, num_perm=32, seed=1)
    assert pairs_of(sigs, sizes(sigs), everyone(sigs), threshold=0.1, num_perm=32) == []


def test_identical_signatures_are_a_candidate_once() -> None:
    sig = signatures([random_ids(100)], num_perm=32, seed=1)[0]
    sigs = np.stack([sig, sig.copy()])
    assert pairs_of(sigs, sizes(sigs), everyone(sigs), threshold=0.5, num_perm=32) == [(0, 1)]


@pytest.mark.parametrize("threshold", [0.1, 0.3, 0.5])
def test_same_candidates_as_datasketch_minhashlsh(threshold: float) -> None:
    """The banding is datasketch's: with no containment asked for, the pairs are exactly those
    its ``MinHashLSH`` returns."""
    bases = [random_ids(200) for _ in range(12)]
    batch = bases + [near_copy(b, share) for b in bases for share in (0.3, 0.6, 0.8, 0.9)]
    sigs = signatures(batch, num_perm=128, seed=3)
    lsh = MinHashLSH(threshold=threshold, num_perm=128, weights=WEIGHTS)
    for index, sig in enumerate(sigs):
        lsh.insert(index, as_minhash(sig, seed=3))
    theirs = {(i, j) for i, sig in enumerate(sigs) for j in lsh.query(as_minhash(sig, seed=3)) if i < j}
    ours = pairs_of(sigs, sizes(sigs), everyone(sigs), threshold=threshold, num_perm=128)
    assert set(ours) == theirs and len(theirs) >= len(bases)


@pytest.mark.parametrize(("threshold", "num_perm"), sorted(KNOWN_BANDINGS))
def test_known_bandings_are_datasketchs(threshold: float, num_perm: int) -> None:
    """The bands written down for the default views (sparing every scan SciPy's import) are
    the ones datasketch chooses."""
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm, weights=WEIGHTS)
    assert KNOWN_BANDINGS[threshold, num_perm] == (lsh.b, lsh.r)


def test_the_default_views_bandings_are_known() -> None:
    """A scan with the default configuration never imports datasketch to choose its bands."""
    for view in views_of(Config()):
        assert view.sample or (view.lsh_threshold, view.num_perm) in KNOWN_BANDINGS


def test_chance_agreements_are_not_candidates() -> None:
    """Two sets sharing a handful of members collide in a one-row band now and then; their
    estimated containment is far below what is asked, so they are left out."""
    base = random_ids(400)
    batch = [base, np.unique(np.concatenate([base[:4], random_ids(396)]))]
    partners = [near_copy(base, 0.5)]
    sigs = signatures(batch + partners, num_perm=128, seed=5)
    every = pairs_of(sigs, sizes(sigs, 400), everyone(sigs), threshold=0.1, num_perm=128)
    kept = pairs_of(sigs, sizes(sigs, 400), everyone(sigs), threshold=0.1, num_perm=128,
                           min_containment=0.1)
    assert (0, 2) in kept and (1, 2) not in kept and (0, 1) not in kept
    assert set(kept) <= set(every)


def test_containment_uses_the_sizes_of_the_sets() -> None:
    """A small set inside a large one: a low Jaccard similarity, a high containment."""
    large = random_ids(2000)
    small = RNG.permutation(large)[:200]
    sigs = signatures([large, np.sort(small)], num_perm=128, seed=2)
    both = np.array([2000, 200], dtype=np.uint32)
    assert pairs_of(sigs, both, everyone(sigs), threshold=0.05, num_perm=128, min_containment=0.5) == [(0, 1)]
    equal = np.array([2000, 2000], dtype=np.uint32)
    assert pairs_of(sigs, equal, everyone(sigs), threshold=0.05, num_perm=128, min_containment=0.5) == []


def test_windows_pair_their_documents_once() -> None:
    """A document with several rows (windows): a pair of documents is proposed once, however
    many of their windows collide, and two windows of one document are never a pair."""
    base, other = random_ids(200), random_ids(200)
    sigs = signatures([base, near_copy(base, 0.1), other, base, near_copy(other, 0.05)], num_perm=64, seed=4)
    # document 0 owns rows 0-1, document 1 rows 2-3, document 2 row 4
    sketch = Sketches(np.array([0, 0, 1, 1, 2]), sigs, np.full(5, 200, dtype=np.uint32))
    # rows: base, near base | other, base | near other
    assert candidate_pairs([sketch], views=[view(0.3, 64)]) == [(0, 1), (1, 2)]


def test_stages_compose_and_batches_agree() -> None:
    """``candidate_pairs`` is ``band_keys`` -> ``colliding_rows`` -> ``filter_candidates``;
    keys made for a few bands at a time give the same collisions as all at once (what an
    index or a Spark job does with them)."""
    bases = [random_ids(150) for _ in range(5)]
    batch = bases + [near_copy(b, 0.4) for b in bases]
    sigs = signatures(batch, num_perm=64, seed=8)
    sketches, views = [Sketches.whole(sigs, sizes(sigs, 150))], [view(0.2, 64)]
    keys = band_keys(sketches, views=views)
    assert len(keys) == len(sigs) * 32 and set(keys.documents.tolist()) == set(range(len(sigs)))
    whole = colliding_rows(keys, views=views)
    parts = union([colliding_rows(band_keys(sketches, views=views, bands=(k, k + 5)), views=views)
                   for k in range(0, 32, 5)])
    assert (whole.first.tolist(), whole.second.tolist()) == (parts.first.tolist(), parts.second.tolist())
    assert filter_candidates(whole, sketches, views=views) == candidate_pairs(sketches, views=views)
    assert {(i, i + 5) for i in range(5)} <= set(candidate_pairs(sketches, views=views))


def test_a_text_repeating_itself_does_not_pair_its_windows_by_the_million() -> None:
    """A long text made of one block repeated: its windows share every key; at most two of a
    document's rows take part in a bucket, so it still pairs with a copy, in a few pairs."""
    sig = signatures([random_ids(150)], num_perm=64, seed=2)[0]
    rows = np.stack([sig] * 3000 + [sig])
    sketch = Sketches(np.array([0] * 3000 + [1]), rows, np.full(3001, 150, dtype=np.uint32))
    views = [view(0.1, 64)]
    collisions = colliding_rows(band_keys([sketch], views=views), views=views)
    assert set(collisions.first.tolist()) <= {0, 1} and set(collisions.second.tolist()) == {3000}
    assert candidate_pairs([sketch], views=views) == [(0, 1)]


def test_a_key_held_by_more_documents_than_max_bucket_pairs_no_one() -> None:
    """``max_bucket`` counts the documents holding a key, not their rows: a document with two
    windows on one key is one holder; over the limit, the key pairs no one, and documents that
    also share a rarer key still pair through it."""
    common = signatures([random_ids(150)], num_perm=16, seed=6)[0]
    rare = signatures([random_ids(150)], num_perm=16, seed=6)[0]
    # documents 0-2 hold `common` (document 0 in two windows); documents 1 and 2 also hold `rare`
    rows = np.stack([common, common, common, common, rare, rare])
    sketch = Sketches(np.array([0, 0, 1, 2, 1, 2]), rows, np.full(6, 150, dtype=np.uint32))

    def capped(limit: int) -> list[Candidate]:
        return candidate_pairs([sketch], views=[View("test", "words", 3, 10, 16, 0.1, 0.0, max_bucket=limit)])

    assert capped(0) == capped(3) == [(0, 1), (0, 2), (1, 2)]
    assert capped(2) == [(1, 2)]


@pytest.mark.parametrize("perms", [40, 192])
def test_low_nibbles_count_the_values_agreeing_on_their_low_bits(perms: int) -> None:
    """``low_nibbles`` keeps each value's low four bits, sixteen to a word, the last word's
    unused bits zero; the nibbles of two rows that differ are the values whose low bits differ
    (so the values agreeing on them are at least the values agreeing): rows differing from a
    base in their low bits, their high bits or both."""
    base = RNG.integers(0, 2**16, perms, dtype=np.uint16)
    rows = [base.copy()]
    for mask in (0x000F, 0xFFF0, 0x0101, 0xFFFF):
        for changed in (1, perms // 3, perms):
            row = base.copy()
            at = RNG.choice(perms, changed, replace=False)
            row[at] ^= np.maximum(RNG.integers(0, 2**16, changed, dtype=np.uint16) & mask, 1 if mask & 1 else 16)
            rows.append(row)
    signatures = np.array(rows, dtype=np.uint16)
    words = low_nibbles(signatures)
    assert words.shape == (len(rows), -(-perms // 16))
    unpacked = (words[:, :, None] >> (4 * np.arange(16, dtype=np.uint64))) & np.uint64(0xF)
    assert np.array_equal(unpacked.reshape(len(rows), -1)[:, :perms], signatures & 0xF)
    assert not unpacked.reshape(len(rows), -1)[:, perms:].any()
    for one in range(len(rows)):
        for two in range(len(rows)):
            differing = int(_differing_nibbles(words, one, two))
            assert differing == int(((signatures[one] & 0xF) != (signatures[two] & 0xF)).sum())
            assert perms - differing >= int((signatures[one] == signatures[two]).sum())


@pytest.mark.parametrize("perms", [40, 192])
def test_weighing_on_low_bits_first_turns_down_only_pairs_the_values_turn_down(perms: int) -> None:
    """``bucket_candidates`` weighs pairs on their values' low bits before the values: the
    pairs it keeps are the pairs the plain estimate keeps, when the rows of a bucket agree on
    about as many values as the containment asks for, their other values differing in the low
    bits only (the screen decides), in the high bits only (the values decide) or both."""
    least = 0.4
    needed = int(np.ceil(least / (2 - least) * perms))  # agreeing values of equal sizes at the edge
    base = RNG.integers(0, 2**16, perms, dtype=np.uint16)
    rows = []
    for mask in (0x000F, 0xFFF0, 0xFFFF):
        for agreeing in range(needed - 3, needed + 4):
            row = base.copy()
            at = RNG.choice(perms, perms - agreeing, replace=False)
            row[at] ^= np.maximum(RNG.integers(0, 2**16, len(at), dtype=np.uint16) & mask, 1 if mask & 1 else 16)
            rows.append(row)
    signatures = np.array([base, *rows], dtype=np.uint16)
    owners = np.arange(len(signatures), dtype=np.intp)
    sketch = Sketches(owners, signatures, np.full(len(signatures), 50, dtype=np.uint32))
    one = View("test", "words", 3, 50, perms, 0.5, least, value_bits=16)
    keys = BandKeys(np.zeros(len(signatures), np.uint8), owners, owners, np.zeros(len(signatures), np.uint16),
                    np.zeros(len(signatures), np.uint64))  # one bucket of every row
    expected = filter_candidates(colliding_rows(keys, views=[one]), [sketch], views=[one])
    assert bucket_candidates(keys, [sketch], views=[one]) == expected
    kept = [pair for pair in expected if pair[0] == 0]  # the base's pairs: some reach it, some not
    assert 0 < len(kept) < len(rows)


def test_buckets_larger_than_the_room_first_made_keep_every_row_and_pair() -> None:
    """The bucketing makes room for its buckets part by part and the weighing for its pairs row
    by row: fifty copies of one text, each with two windows, give one bucket of every band
    holding a hundred rows (more than the room first made for a batch's rows) and 1,225 pairs
    (more than the weighing's first 1,024), all of them found."""
    sigs = np.repeat(signatures([random_ids(200)], num_perm=32, seed=3), 100, axis=0)
    windows = Sketches(np.repeat(np.arange(50), 2).astype(np.intp), sigs, np.full(100, 200, dtype=np.uint32))
    one = View("test", "words", 3, 10, 32, 0.5, 0.5)
    keys = band_keys([windows], views=[one])
    rows, _, starts, sizes = bucket_rows(keys, 0, one)
    assert len(starts) == view_banding(one)[0] and set(sizes.tolist()) == {100} and len(rows) == 100 * len(starts)
    everyone = [(i, j) for i in range(50) for j in range(i + 1, 50)]
    assert bucket_candidates(keys, [windows], views=[one]) == everyone
    assert candidate_pairs([windows], views=[one]) == everyone


@pytest.mark.parametrize("max_bucket", [0, 3])
def test_buckets_weighed_in_one_pass_give_the_two_stages_pairs(max_bucket: int) -> None:
    """``bucket_candidates`` (what ``candidate_pairs`` runs) is ``filter_candidates`` after
    ``colliding_rows``: documents with several windows, windows of one document, near copies,
    chance agreements, a containment asked for and a bucket cap, on two views."""
    bases = [random_ids(120) for _ in range(6)]
    sets = bases + [near_copy(b, share) for b in bases for share in (0.2, 0.5, 0.8)] + [bases[0], bases[0]]
    sigs = signatures(sets, num_perm=32, seed=12)
    owners = np.sort(RNG.integers(0, 9, len(sets)))
    windows = Sketches(owners, sigs, RNG.integers(60, 200, len(sets)).astype(np.uint32))
    whole = Sketches.whole(sigs[:9], sizes(sigs[:9], 120))
    views = [View("a", "words", 3, 0, 32, 0.3, 0.1, max_bucket=max_bucket),
             View("b", "words", 3, 10, 32, 0.1, 0.3, max_bucket=max_bucket)]
    sketches = [whole, windows]
    keys = band_keys(sketches, views=views)
    two_stages = filter_candidates(colliding_rows(keys, views=views), sketches, views=views)
    assert bucket_candidates(keys, sketches, views=views) == two_stages and len(two_stages) > 3


@pytest.mark.parametrize("max_bucket", [0, 1, 3])
def test_buckets_made_from_signatures_are_the_buckets_of_the_band_keys(max_bucket: int) -> None:
    """``signature_buckets`` (keys made inside the bucketing, never held) gives the buckets
    ``bucket_rows`` makes of ``band_keys``, in the same order, for each batch of bands; and
    ``signature_candidates`` (what a scan runs) the pairs ``bucket_candidates`` gives: documents
    with several windows, a document with one window three times and one twice (runs of two
    rows of one document), near copies, chance agreements, empty rows, a cap of one document."""
    bases = [random_ids(120) for _ in range(6)]
    sets = bases + [near_copy(b, share) for b in bases for share in (0.2, 0.5, 0.8)] + [bases[0]] * 3 + [bases[1]] * 2
    sigs = signatures(sets, num_perm=32, seed=12)
    sigs[3] = np.iinfo(np.uint32).max  # an empty set's row: no keys
    owners = np.concatenate([np.sort(RNG.integers(0, 9, len(sets) - 5)), [9, 9, 9, 10, 10]])
    windows = Sketches(owners, sigs, RNG.integers(60, 200, len(sets)).astype(np.uint32))
    whole = Sketches.whole(sigs[:9], sizes(sigs[:9], 120))
    views = [View("a", "words", 3, 0, 32, 0.3, 0.1, max_bucket=max_bucket),
             View("b", "words", 3, 10, 32, 0.1, 0.3, max_bucket=max_bucket)]
    sketches = [whole, windows]
    rows = keyed_rows(sketches)
    buckets = 0
    for number, (one, sketch, chosen) in enumerate(zip(views, sketches, rows, strict=True)):
        count, per_band = view_banding(one)
        for start in range(0, count, 3):
            stop = min(count, start + 3)
            keys = band_keys(sketches, views=views, bands=(start, stop), rows=rows)
            expected = bucket_rows(keys, number, one)
            made = signature_buckets(sketch, chosen, (start, stop), per_band, one)
            assert all(np.array_equal(a, b) for a, b in zip(made, expected, strict=True))
            buckets += len(made[2])
    everything = (0, max(view_banding(v)[0] for v in views))
    expected_pairs = bucket_candidates(band_keys(sketches, views=views), sketches, views=views)
    assert signature_candidates(sketches, views=views, bands=everything, rows=rows) == expected_pairs
    if max_bucket == 1:  # no key is held by two to one documents
        assert buckets == 0 and expected_pairs == []
    else:
        assert buckets > 10 and len(expected_pairs) > 3


@pytest.mark.parametrize("in_order", [False, True])
@pytest.mark.parametrize(("keys_drawn", "max_bucket"), [(50, 0), (50, 4), (3_000, 0), (40_000, 6)])
def test_buckets_spread_by_key_bits_are_the_buckets_of_the_rule(keys_drawn: int, max_bucket: int,
                                                                  in_order: bool) -> None:
    """``bucket_rows`` (keys spread into parts and slots by their bits, each slot sorted on its
    own) gives the buckets of the rule written plainly: per band and key, the documents holding
    it, each by its two lowest rows, when two to ``max_bucket`` documents hold it. With few keys
    and many, a key held by a tenth of the rows (a long run in one slot), documents holding a
    key with three rows or more, two views and three bands, with and without a cap; the keys in
    no order, and in a scan's (each document's rows together and ascending, documents
    ascending: the buckets' members are then read without lookups)."""
    count = 4 * keys_drawn
    values = RNG.integers(0, max(2, keys_drawn // 3), count).astype(np.uint64)
    values[: count // 10] = 7
    documents = RNG.integers(0, max(3, keys_drawn // 10), count).astype(np.intp)
    rows = RNG.permutation(count).astype(np.intp)
    if in_order:
        documents.sort()
        rows = np.arange(count, dtype=np.intp)
    keys = BandKeys(RNG.integers(0, 2, count).astype(np.uint8), rows, documents,
                    RNG.integers(0, 3, count).astype(np.uint16), values)
    for view in (0, 1):
        rows, documents, starts, sizes = bucket_rows(keys, view, View("v", "words", 3, 0, 16, 0.5, 0.0,
                                                                       max_bucket=max_bucket))
        found = sorted(sorted(zip(documents[a : a + n].tolist(), rows[a : a + n].tolist()))
                       for a, n in zip(starts.tolist(), sizes.tolist()))
        assert found == _reference_buckets(keys, view, max_bucket) and len(found) > 3


def _reference_buckets(keys: BandKeys, view: int, max_bucket: int) -> list[list[tuple[int, int]]]:
    """The buckets of a view the slow, documented way, each as its (document, row) members sorted."""
    buckets: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for number, row, document, band, key in zip(keys.views.tolist(), keys.rows.tolist(), keys.documents.tolist(),
                                                keys.bands.tolist(), keys.keys.tolist(), strict=True):
        if number == view:
            buckets.setdefault((band, key), []).append((document, row))
    found = []
    for members in buckets.values():
        holders = {document for document, _ in members}
        if 2 <= len(holders) <= (max_bucket or len(members)):
            found.append(sorted((d, r) for d in holders for r in sorted(r for e, r in members if e == d)[:2]))
    return sorted(found)


def _reference_collisions(keys: BandKeys, views: list[View]) -> set[tuple[int, int, int]]:
    """Colliding rows the slow, documented way: per view, band and key, the documents holding
    it (none when more than the view's ``max_bucket``), each by its two lowest rows; every two
    of those rows of different documents."""
    buckets: dict[tuple[int, int, int], list[tuple[int, int]]] = {}
    for number, row, document, band, key in zip(keys.views.tolist(), keys.rows.tolist(), keys.documents.tolist(),
                                                keys.bands.tolist(), keys.keys.tolist(), strict=True):
        buckets.setdefault((number, band, key), []).append((document, row))
    found = set()
    for (number, _, _), members in buckets.items():
        holders = {document for document, _ in members}
        if views[number].max_bucket and len(holders) > views[number].max_bucket:
            continue
        kept = [(d, r) for d in holders for r in sorted(r for e, r in members if e == d)[:2]]
        found |= {(number, min(r, s), max(r, s)) for d, r in kept for e, s in kept if d != e}
    return found


@pytest.mark.parametrize("max_bucket", [0, 4])
def test_colliding_rows_match_a_reference_in_any_order_of_the_keys(max_bucket: int) -> None:
    """Rows drawn from a few values collide often, several per document and key; the keys in
    any order (a Spark partition holds them in no particular one) give the reference's pairs."""
    owners = RNG.integers(0, 12, 80)
    rows = RNG.integers(0, 3, (80, 16)).astype(np.uint32)  # few values: many shared keys
    sketch = Sketches(owners, rows, np.full(80, 50, dtype=np.uint32))
    views = [View("a", "words", 3, 10, 16, 0.5, 0.0, max_bucket=max_bucket)]
    keys = band_keys([sketch], views=views)
    shuffled = RNG.permutation(len(keys))
    mixed = BandKeys(*(part[shuffled] for part in (keys.views, keys.rows, keys.documents, keys.bands, keys.keys)))
    expected = _reference_collisions(keys, views)
    for some in (keys, mixed):
        collisions = colliding_rows(some, views=views)
        assert set(zip(collisions.views.tolist(), collisions.first.tolist(), collisions.second.tolist())) == expected
    assert len(expected) > 20


def test_threads_do_not_change_the_candidates() -> None:
    """Band batches filtered in two threads give the candidates of one."""
    bases = [random_ids(150) for _ in range(8)]
    sigs = signatures(bases + [near_copy(b, share) for b in bases for share in (0.3, 0.6)], num_perm=64, seed=3)
    sketches, views = [Sketches.whole(sigs, sizes(sigs, 150))], [view(0.1, 64, 0.05)]
    one = candidate_pairs(sketches, views=views)
    assert candidate_pairs(sketches, views=views, threads=2) == one and len(one) > 8


@pytest.mark.parametrize(("threshold", "rows"), [(0.1, 1), (0.7, 3), (0.8, 4)])
def test_band_keys_are_the_values_of_a_band_combined(threshold: float, rows: int) -> None:
    """Each band key is its values combined as documented (multiplied in, then mixed), the same
    for the band wherever a row lies."""
    from dupefind.text import mix64

    sigs = RNG.integers(0, 2**32, (7, 12), dtype=np.uint32)
    sigs[5] = sigs[2]
    keys = band_keys([Sketches.whole(sigs, sizes(sigs))], views=[View("t", "words", 3, 0, 12, threshold, 0.0)])
    by_row = keys.keys.reshape(len(sigs), -1)
    assert by_row.shape[1] == 12 // rows
    for band in range(by_row.shape[1]):
        part = sigs[:, band * rows : (band + 1) * rows]
        combined = part[:, 0].astype(np.uint64)
        with np.errstate(over="ignore"):
            for column in range(1, rows):
                combined = mix64(combined * np.uint64(0x100000001B3) + part[:, column])
        assert by_row[:, band].tolist() == combined.tolist()
    assert by_row[5].tolist() == by_row[2].tolist() and len(set(by_row[:, 0].tolist())) == 6


@pytest.mark.parametrize("max_bucket", [0, 4])
def test_candidates_involving_some_documents_are_those_of_all_that_name_them(max_bucket: int) -> None:
    """Only the keys the flagged documents hold are bucketed, yet a bucket still counts every
    holder: with a cap, a key the flagged documents share with many others pairs no one, as
    without the flags. Rows drawn from few values share keys often."""
    owners = np.sort(RNG.integers(0, 15, 90))
    rows = RNG.integers(0, 3, (90, 16)).astype(np.uint32)
    sketch = Sketches(owners, rows, np.full(90, 50, dtype=np.uint32))
    views = [View("a", "words", 3, 10, 16, 0.5, 0.0, max_bucket=max_bucket)]
    every = candidate_pairs([sketch], views=views)
    for chosen in ([0], [3, 7], [14], list(range(15))):
        involving = np.zeros(15, dtype=bool)
        involving[chosen] = True
        expected = [(i, j) for i, j in every if involving[i] or involving[j]]
        assert candidate_pairs([sketch], views=views, involving=involving) == expected
        assert candidate_pairs([sketch], views=views, involving=involving, threads=2) == expected
    uncapped = candidate_pairs([sketch], views=[replace(views[0], max_bucket=0)])
    assert len(every) > 5 and (every != uncapped) == bool(max_bucket)  # with the cap, some keys pair no one


def _kept_reference(keys: BandKeys, involving: np.ndarray | None, crowded: np.ndarray | None) -> BandKeys:
    """The keys a flagged document holds (all, when the flagged hold more than an eighth of
    them), but the crowded ones: filtered after every key is made."""
    codes = key_codes(keys.views, keys.bands, keys.keys)
    keep = np.ones(len(codes), dtype=bool)
    if involving is not None:
        flagged = codes[involving[keys.documents]]
        if len(flagged) <= len(codes) // 8:
            keep &= np.isin(codes, flagged)
    if crowded is not None:
        keep &= ~np.isin(codes, crowded)
    return BandKeys(keys.views[keep], keys.rows[keep], keys.documents[keep], keys.bands[keep], keys.keys[keep])


@pytest.mark.parametrize("flagged", [[], [0], [3, 7], list(range(12)), list(range(40))])
def test_kept_band_keys_are_the_band_keys_filtered(flagged: list[int]) -> None:
    """Keys dropped before they are spread out are those dropped after: the same keys, in
    the same order, in two views of different banding, for few flagged documents (filtered
    by theirs), many (not filtered) or none, with and without crowded keys."""
    owners = np.sort(RNG.integers(0, 40, 200))
    first = Sketches(owners, RNG.integers(0, 4, (200, 16)).astype(np.uint32), np.full(200, 50, dtype=np.uint32))
    second = Sketches(np.arange(40), RNG.integers(0, 3, (40, 24)).astype(np.uint32), np.full(40, 80, dtype=np.uint32))
    views = [View("a", "words", 3, 10, 16, 0.5, 0.0, max_bucket=4), View("b", "words", 3, 0, 24, 0.3, 0.0)]
    rows = keyed_rows([first, second])
    involving = np.zeros(40, dtype=bool)
    involving[flagged] = True
    every = band_keys([first, second], views=views)
    crowded = np.sort(np.unique(key_codes(every.views, every.bands, every.keys))[::5])
    for bands in [(0, 3), (2, 100)]:
        keys = band_keys([first, second], views=views, bands=bands, rows=rows)
        for involved, named in [(involving, None), (involving, crowded), (None, crowded)]:
            kept = kept_band_keys([first, second], views=views, bands=bands, rows=rows, involving=involved,
                                  crowded=named)
            expected = _kept_reference(keys, involved, named)
            for column in ("views", "rows", "documents", "bands", "keys"):
                assert getattr(kept, column).tolist() == getattr(expected, column).tolist(), column
            assert len(kept) <= len(keys) and (len(kept) > 0) == bool(flagged or involved is None)


def test_keys_named_crowded_pair_no_one() -> None:
    """A key named crowded (held by more documents elsewhere than its view allows) pairs no
    one, as if its other holders were present; documents that also share another key still pair."""
    common = signatures([random_ids(150)], num_perm=16, seed=6)[0]
    rare = signatures([random_ids(150)], num_perm=16, seed=6)[0]
    rows = np.stack([common, common, rare, rare, common])  # documents 0-2 hold `common`, 1 and 2 `rare` too
    sketch = Sketches(np.array([0, 1, 1, 2, 2]), rows, np.full(5, 150, dtype=np.uint32))
    views = [View("test", "words", 3, 10, 16, 0.1, 0.0, max_bucket=3)]
    assert candidate_pairs([sketch], views=views) == [(0, 1), (0, 2), (1, 2)]
    keys = band_keys([sketch], views=views)
    of_common = keys.rows == 0
    crowded = np.sort(key_codes(keys.views[of_common], keys.bands[of_common], keys.keys[of_common]))
    assert candidate_pairs([sketch], views=views, crowded=crowded) == [(1, 2)]
    assert candidate_pairs([sketch], views=views, crowded=crowded[:0]) == [(0, 1), (0, 2), (1, 2)]


def test_sixteen_bit_values_propose_what_thirty_two_bit_values_do() -> None:
    """A view keeping the low 16 bits of each value (the content view, to halve its memory)
    proposes the same pairs from the narrowed signatures: copies at several levels of change,
    unrelated sets, and empty sets (whose narrowed rows are still empty: no band keys)."""
    from dupefind.fingerprint import narrowed

    bases = [random_ids(150) for _ in range(40)]
    sets = bases + [near_copy(b, share) for b, share in zip(bases, np.linspace(0.0, 0.9, 40))]
    sets += [np.empty(0, dtype=np.uint32)] * 3
    sigs = signatures(sets, num_perm=128, seed=5)
    size = np.array([len(s) for s in sets], dtype=np.uint32)
    wide = View("wide", "words", 3, 0, 128, 0.3, 0.35)
    narrow = replace(wide, value_bits=16)
    low = narrowed(sigs, narrow.dtype)
    assert low.dtype == np.uint16 and np.array_equal(low, (sigs & 0xFFFF).astype(np.uint16))
    expected = candidate_pairs([Sketches.whole(sigs, size)], views=[wide])
    assert 10 <= len(expected) < 40  # the lightly changed copies, not the heavily changed ones
    assert candidate_pairs([Sketches.whole(low, size)], views=[narrow]) == expected
    keys = band_keys([Sketches.whole(low, size)], views=[narrow])
    assert not np.isin(keys.documents, [80, 81, 82]).any()  # the empty sets' rows have no keys


def test_extra_bands_take_their_values_across_the_bands_of_a_block() -> None:
    """A view's extra bands come after datasketch's, each of as many values: extra band ``k``
    of block ``b`` (``rows + 1`` bands of consecutive values) holds the block's values ``k, k +
    rows + 1, ...``, no two of them in one band of the block and none in two extra bands; the
    first bands' keys are unchanged."""
    from dupefind.text import mix64

    rows, perms, extra = 3, 24, 8  # 8 bands of 3 values: two blocks of 4, eight extra bands
    sigs = RNG.integers(0, 2**32, (5, perms), dtype=np.uint32)
    plain = View("t", "words", 3, 0, perms, 0.5, 0.0)
    assert view_banding(plain) == (8, rows)
    more = replace(plain, extra_bands=extra)
    assert view_banding(more) == (8 + extra, rows)
    keys = band_keys([Sketches.whole(sigs, sizes(sigs))], views=[more]).keys.reshape(len(sigs), -1)
    base = band_keys([Sketches.whole(sigs, sizes(sigs))], views=[plain]).keys.reshape(len(sigs), -1)
    assert keys[:, :8].tolist() == base.tolist()
    used: set[int] = set()
    for k in range(extra):
        block, turn = divmod(k, rows + 1)
        columns = [block * rows * (rows + 1) + turn + m * (rows + 1) for m in range(rows)]
        assert len({c // rows for c in columns}) == rows and not used & set(columns)
        used |= set(columns)
        combined = sigs[:, columns[0]].astype(np.uint64)
        with np.errstate(over="ignore"):
            for c in columns[1:]:
                combined = mix64(combined * np.uint64(0x100000001B3) + sigs[:, c])
        assert keys[:, 8 + k].tolist() == combined.tolist()
    with pytest.raises(ValueError, match="extra bands"):
        view_banding(replace(plain, extra_bands=9))
    # Bands of datasketch's that leave values unused (27 of 1 value of 128) take no extra bands.
    with pytest.raises(ValueError, match="extra bands"):
        view_banding(View("t", "words", 3, 0, 128, 0.1, 0.0, extra_bands=4))


def test_an_extra_band_proposes_a_pair_no_band_of_datasketch_s_meets() -> None:
    """Two rows that agree on values 0, 4 and 8 only (one in each of three bands of 3) collide in
    no band of datasketch's, and in the first extra band."""
    perms = 24
    a = RNG.integers(0, 2**32, perms, dtype=np.uint32)
    b = a ^ np.uint32(1)
    b[[0, 4, 8]] = a[[0, 4, 8]]
    sigs = np.stack([a, b])
    sketches = [Sketches.whole(sigs, sizes(sigs))]
    plain = View("t", "words", 3, 0, perms, 0.5, 0.0)
    assert candidate_pairs(sketches, views=[plain]) == []
    assert candidate_pairs(sketches, views=[replace(plain, extra_bands=4)]) == [(0, 1)]
