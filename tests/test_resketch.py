"""The content view is sketched without boilerplate: a quote in many documents pairs none of them."""

from __future__ import annotations

import json
import random
import tempfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import dupefind
import dupefind.catalog
from dupefind.boilerplate import Commons, boilerplate_mask, is_long, segment_keys, without_boilerplate
from dupefind.candidates import Sketches, candidate_pairs
from dupefind.catalog import build_catalog
from dupefind.config import Config
from dupefind.pipeline import views_of
from dupefind.resketch import clean_sketches, holding, with_held_rows
from dupefind.sketching import view_sketches
from dupefind.sources import plan_reading
from dupefind.text import hash_texts, hash_words

QUOTED = 8  # documents holding the quote (boilerplate from 5)


def _words(rng: random.Random, count: int) -> list[str]:
    return ["".join(rng.choice("bcdfghklmnprstvz") + rng.choice("aeiou") for _ in range(3)) for _ in range(count)]


def _sentences(rng: random.Random, vocabulary: list[str], count: int) -> list[str]:
    return [" ".join(rng.choice(vocabulary) for _ in range(12)).capitalize() + "." for _ in range(count)]


def corpus(path: Path, *, order: int = 0) -> dict[str, str]:
    """Unrelated documents, ``QUOTED`` of them holding one long quote (its own paragraph), and
    ``copy`` that rewords ``doc-00`` (each sentence's words shuffled) and holds the quote too."""
    rng = random.Random(5)
    quote = " ".join(_words(rng, 40)).capitalize() + "."
    texts = {}
    for number in range(24):
        body = _sentences(rng, _words(rng, 400), 10)
        paragraphs = [" ".join(body[:5]), quote, " ".join(body[5:])] if number < QUOTED else [" ".join(body)]
        texts[f"doc-{number:02d}"] = "\n\n".join(paragraphs)
    source = texts["doc-00"].split("\n\n")
    shuffled = []
    for paragraph in (source[0], source[2]):
        for sentence in paragraph.split(". "):
            words = sentence.rstrip(".").lower().split()
            rng.shuffle(words)
            shuffled.append(" ".join(words).capitalize() + ".")
    texts["copy"] = "\n\n".join([" ".join(shuffled[:5]), quote, " ".join(shuffled[5:])])
    ids = sorted(texts)
    random.Random(order).shuffle(ids)
    with path.open("w", encoding="utf-8") as out:
        for doc_id in ids:
            out.write(json.dumps({"id": doc_id, "text": texts[doc_id]}) + "\n")
    return texts


def content_candidates(path: Path, config: Config) -> set[tuple[str, str]]:
    views = views_of(config)
    catalog = build_catalog(list(plan_reading([str(path)])), views=views, seed=config.seed,
                            min_words=config.min_words, boilerplate_min_docs=config.boilerplate_min_docs,
                            jobs=config.processes)
    ids = [d.id for d in catalog.documents]
    pairs = candidate_pairs(catalog.sketches[1:], views=views[1:])
    return {(ids[a], ids[b]) for a, b in pairs}


def test_a_quote_in_many_documents_pairs_none_of_them_in_the_content_view(tmp_path: Path) -> None:
    corpus(tmp_path / "docs.jsonl")
    found = content_candidates(tmp_path / "docs.jsonl", Config())
    assert ("copy", "doc-00") in found  # the reworded copy still collides, quote and all
    assert not {pair for pair in found if "copy" not in pair}


def test_sketched_on_every_word_the_quote_would_pair_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The control: the same corpus with the stage left out proposes the quote's documents."""
    corpus(tmp_path / "docs.jsonl")
    monkeypatch.setattr(dupefind.catalog.build, "needed", lambda views, commons: False)
    found = content_candidates(tmp_path / "docs.jsonl", Config())
    quoted = {f"doc-{k:02d}" for k in range(QUOTED)}
    assert len({pair for pair in found if set(pair) <= quoted}) >= 10


def test_the_scan_gives_one_report_in_any_order_and_with_any_jobs(tmp_path: Path) -> None:
    reports = []
    for order, jobs in ((0, 1), (1, 2), (2, 1)):
        corpus(tmp_path / f"docs-{order}.jsonl", order=order)
        report = dupefind.scan(tmp_path / f"docs-{order}.jsonl", Config(jobs=jobs))
        reports.append([(p.a, p.b, p.similarity, p.passages) for p in report.pairs])
    assert reports[0] == reports[1] == reports[2]
    assert ("copy", "doc-00") in {pair[:2] for pair in reports[0]}


LONG = "A shared line of many words that runs in every text."
SHORT = "Short shared line."


def test_the_words_left_are_those_the_mask_keeps_in_each_text_less_short_segments() -> None:
    own = "Words of its own that no other text holds, written out at length for the test, " * 2
    texts = [f"{LONG}\n{own}one.\n{SHORT}", "", f"{LONG}\n{own}two, and more here.",
             f"Nothing shared at all in this one, none.\n{own}\n{LONG}\n{SHORT}", LONG]
    commons = Commons(np.unique(np.concatenate([segment_keys(hash_words(LONG)), segment_keys(hash_words(SHORT))])))
    clean = without_boilerplate(hash_texts(texts), commons)
    for k, text in enumerate(texts):
        words = hash_words(text)
        long = np.zeros(len(words), dtype=bool)
        if LONG in text:  # the long line's words, where boilerplate_mask sets them aside
            start = len(hash_words(text[: text.index(LONG)]))
            long[start : start + len(hash_words(LONG))] = True
        end = clean.text_starts[k + 1] if k + 1 < len(texts) else len(clean.hashes)
        kept = words.hashes[~(boilerplate_mask(words, commons) & long)]
        assert np.array_equal(clean.hashes[clean.text_starts[k] : end], kept)
    # The long line goes from three texts; the short line stays, and so does the text that is
    # all boilerplate (it is its content).
    assert len(clean.hashes) == sum(len(hash_words(t)) for t in texts) - 3 * len(hash_words(LONG))


def test_holders_are_the_documents_with_a_long_common_segment() -> None:
    keys = np.array([5, 9, 2, 7, 9, 8], dtype=np.uint64)  # odd keys: long segments
    commons = Commons(np.array([7, 8, 9], dtype=np.uint64))
    assert holding(keys, np.array([2, 0, 1, 2, 1]), commons).tolist() == [True, False, False, True, False]
    assert is_long(segment_keys(hash_words(LONG))).all() and not is_long(segment_keys(hash_words(SHORT))).any()


def test_held_rows_follow_the_new_rows_of_their_document() -> None:
    rows = np.arange(12, dtype=np.uint32).reshape(6, 2)
    sketches = Sketches(np.array([0, 0, 1, 2, 2, 2]), rows, np.arange(6, dtype=np.uint32))
    new = Sketches(np.array([0, 1, 1]), np.full((3, 2), 99, dtype=np.uint32) + np.arange(3, dtype=np.uint32)[:, None],
                   np.array([7, 8, 9], dtype=np.uint32))
    out = with_held_rows(Sketches(sketches.owners, rows.copy(), sketches.sizes), np.array([0, 2]), new)
    assert out.owners.tolist() == [0, 0, 0, 1, 2, 2, 2, 2, 2]
    assert out.signatures[:, 0].tolist() == [99, 0, 2, 4, 100, 101, 6, 8, 10]
    assert out.sizes.tolist() == [7, 0, 1, 2, 8, 9, 3, 4, 5]
    assert out.flags().tolist() == [False, True, True, False, False, False, True, True, True]


def test_a_held_row_equal_to_a_clean_row_of_its_document_is_dropped() -> None:
    rows = np.arange(8, dtype=np.uint32).reshape(4, 2)
    sketches = Sketches(np.array([0, 0, 1, 1]), rows, np.array([5, 6, 7, 8], dtype=np.uint32))
    new = Sketches(np.array([0, 1]), rows[[0, 1]].copy(), np.array([5, 6], dtype=np.uint32))  # rows 0 and 1 again
    out = with_held_rows(Sketches(sketches.owners, rows.copy(), sketches.sizes), np.array([0, 1]), new)
    # Document 0's first row equals its new one: not kept as held. Document 1's new row equals
    # a row of document 0, not one of its own: its first rows stay, held.
    assert out.owners.tolist() == [0, 0, 1, 1, 1]
    assert out.signatures[:, 0].tolist() == [0, 2, 2, 4, 6]
    assert out.flags().tolist() == [False, True, False, True, True]


@given(st.lists(st.integers(0, 4), max_size=12), st.lists(st.integers(0, 3), max_size=12), st.randoms(),
       st.sampled_from(["owned", "room", "view"]))
def test_held_rows_in_place_as_by_hand(counts: list[int], new_counts: list[int], rng: random.Random,
                                       layout: str) -> None:
    """Any documents, any rows each (some none), any of them given new rows; the signatures in
    an array of their own (grown in place), the first rows of a larger one (as the first pass
    reserves them: grown into the rest when they fit, else copied) or a view of another (copied)."""
    owners = np.repeat(np.arange(len(counts), dtype=np.intp), counts)
    signatures = np.arange(2 * len(owners), dtype=np.uint32).reshape(-1, 2)
    sketches = Sketches(owners, signatures, np.arange(len(owners), dtype=np.uint32))
    documents = np.array(sorted(rng.sample(range(len(counts)), min(len(counts), len(new_counts)))), dtype=np.intp)
    new_counts = new_counts[: len(documents)]
    new_owners = np.repeat(np.arange(len(documents), dtype=np.intp), new_counts)
    new = Sketches(new_owners, 1000 + np.arange(2 * len(new_owners), dtype=np.uint32).reshape(-1, 2),
                   1000 + np.arange(len(new_owners), dtype=np.uint32))
    by_hand = []  # (owner, signature row, size, held), document by document
    for doc in range(len(counts)):
        chosen = doc in documents.tolist()
        if chosen:
            at = documents.tolist().index(doc)
            by_hand += [(doc, new.signatures[k].tolist(), int(new.sizes[k]), False)
                        for k in np.flatnonzero(new_owners == at)]
        by_hand += [(doc, signatures[k].tolist(), int(sketches.sizes[k]), chosen) for k in np.flatnonzero(owners == doc)]
    twice = np.vstack([signatures, signatures])
    given = {"owned": signatures.copy(), "room": twice[: len(signatures)], "view": twice[len(signatures) :]}[layout]
    out = with_held_rows(Sketches(owners, given, sketches.sizes), documents, new)
    found = [(int(o), r.tolist(), int(z), bool(h)) for o, r, z, h in zip(out.owners, out.signatures, out.sizes, out.flags())]
    assert found == by_hand


def test_a_text_losing_words_to_boilerplate_keeps_its_rows_on_all_its_words_as_held_rows(tmp_path: Path) -> None:
    """Its rows without the quote, then its first-pass rows flagged held (but those equal to a
    clean row); a text that keeps the quote (most of it) or holds none gets no held row."""
    texts = corpus(tmp_path / "docs.jsonl")
    quote = texts["doc-00"].split("\n\n")[1]
    config = Config()
    views = views_of(config)
    commons = Commons(segment_keys(hash_words(quote)))
    chosen = [texts["doc-00"], quote + "\n\nThat is what the whole of the long quote said, word for word, to us.",
              texts["doc-20"]]
    assert all(len(hash_words(text)) >= config.min_words for text in chosen)
    rows = clean_sketches(chosen, views=views, seed=config.seed, min_words=config.min_words, commons=commons)
    content = rows[1]
    words = hash_texts(chosen)
    first = view_sketches(chosen, words, np.diff(words.text_starts, append=len(words)), view=views[1],
                          seed=config.seed, min_words=config.min_words)
    held = content.flags()
    assert held.any() and set(content.owners[held].tolist()) == {0}
    clean = {row.tobytes() for row in content.signatures[~held & (content.owners == 0)]}
    # Its first rows, but those equal to one of its clean rows (windows before the quote).
    assert [row.tobytes() for row in content.signatures[held]] == [
        row.tobytes() for row in first.signatures[first.owners == 0] if row.tobytes() not in clean]
    assert not held[content.owners == 0][: int((~held & (content.owners == 0)).sum())].any()  # clean rows first
    for owner in (1, 2):  # nothing lost: the clean rows are the first ones
        assert np.array_equal(content.signatures[content.owners == owner], first.signatures[first.owners == owner])


def test_the_words_kept_on_disk_are_the_words_hashed_again() -> None:
    """A first-pass task's word hashes written to disk and read back for some of its texts are
    what hashing those texts alone gives (segments and empty texts included)."""
    from dupefind.spool import keep_words, kept_words

    rng = random.Random(2)
    vocabulary = _words(rng, 50)
    texts = [" ".join(_sentences(rng, vocabulary, rng.choice([0, 1, 3, 6]))) for _ in range(30)] + ["", "...", "one"]
    with tempfile.TemporaryDirectory() as folder:
        path = keep_words(hash_texts(texts), folder)
        for chosen in ([0], [30, 31, 32], sorted(rng.sample(range(len(texts)), 12)), list(range(len(texts)))):
            again, kept = hash_texts([texts[k] for k in chosen]), kept_words(path, chosen)
            assert kept.hashes.tolist() == again.hashes.tolist()
            assert kept.segment_starts.tolist() == again.segment_starts.tolist()
            assert kept.text_starts.tolist() == again.text_starts.tolist()
        Path(path).write_bytes(Path(path).read_bytes()[:-8])
        with pytest.raises(ValueError, match="cut short"):
            kept_words(path, [0])


def _catalog_rows(path: Path, jobs: int) -> list[tuple[bytes, ...]]:
    config = Config()
    views = views_of(config)
    catalog = build_catalog(list(plan_reading([str(path)])), views=views, seed=config.seed,
                            min_words=config.min_words, boilerplate_min_docs=config.boilerplate_min_docs, jobs=jobs)
    return [(s.owners.tobytes(), s.signatures.tobytes(), s.sizes.tobytes(), s.flags().tobytes())
            for s in catalog.sketches]


@pytest.mark.parametrize("jobs", [1, 2])
def test_sketched_again_from_the_words_kept_or_from_the_texts_read_again_alike(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: int) -> None:
    """The documents holding the quote are sketched again from the word hashes their first pass
    kept on disk; read again instead (no folder for them, or their file gone), the rows are the
    same, and the folder is gone once the first pass ends."""
    corpus(tmp_path / "docs.jsonl")
    folders: list[str] = []
    real = dupefind.catalog.tasks.keep_words

    def keep(words: object, folder: str) -> str:
        folders.append(folder)
        return real(words, folder)  # type: ignore[arg-type]

    if jobs == 1:  # (worker processes do not see the patch)
        monkeypatch.setattr(dupefind.catalog.tasks, "keep_words", keep)
    kept = _catalog_rows(tmp_path / "docs.jsonl", jobs)
    if jobs == 1:
        assert folders and not any(Path(folder).exists() for folder in folders)
    monkeypatch.setattr(dupefind.catalog.tasks, "keep_words", lambda words, folder: "")
    assert _catalog_rows(tmp_path / "docs.jsonl", jobs) == kept
    monkeypatch.setattr(dupefind.catalog.tasks, "keep_words", lambda words, folder: str(tmp_path / "gone.u64"))
    assert _catalog_rows(tmp_path / "docs.jsonl", 1) == kept


def test_a_repeated_id_set_aside_leaves_the_words_kept_of_the_others_in_place(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Documents whose id was read before are set aside from their task; the others keep their
    places in the task's file of words, so they are sketched again as from their texts."""
    texts = corpus(tmp_path / "docs.jsonl")
    lines = (tmp_path / "docs.jsonl").read_text(encoding="utf-8").splitlines()
    repeated = [json.dumps({"id": doc_id, "text": texts["doc-03"]}) for doc_id in ("doc-01", "doc-05", "copy")]
    (tmp_path / "docs.jsonl").write_text("\n".join(lines[:6] + repeated[:2] + lines[6:] + repeated[2:]) + "\n",
                                         encoding="utf-8")
    kept = _catalog_rows(tmp_path / "docs.jsonl", 1)
    monkeypatch.setattr(dupefind.catalog.tasks, "keep_words", lambda words, folder: "")
    assert _catalog_rows(tmp_path / "docs.jsonl", 1) == kept
