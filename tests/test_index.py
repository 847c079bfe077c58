"""The index gives a scan's answers: batches then ``pairs`` equal one scan, ``check`` equals the
pairs of a scan of old + new that involve the new documents (STYLE habit 18), whatever the
batches and their order; plus its bookkeeping (replace, remove, unchanged re-adds, config)."""

from __future__ import annotations

import functools
import itertools
import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from conftest import CLASS_HEAVY, CLASS_SOURCE, SAMPLES, class_answers, sample_files, site_pages
from hypothesis import given, settings
from hypothesis import strategies as st

import dupefind
from dupefind import Config, Index, IndexConfigError, IndexFileError
from dupefind.boilerplate import Commons
from dupefind.candidates import band_keys, candidate_pairs
from dupefind.catalog import Catalog, build_catalog
from dupefind.index import runs
from dupefind.index.catalogs import stored_bands
from dupefind.index.schema import MIGRATIONS
from dupefind.index.store import Store
from dupefind.pipeline import views_of
from dupefind.report import report_json
from dupefind.resketch import clean_sketches
from dupefind.sources import plan_reading
from dupefind.verify import unpaired

CONFIG = Config(jobs=1)
QUOTE = ("\"We have spent three years listening to residents, engineers and the people who keep this region "
         "running. The plan we publish today is the result of that work. It will not please everyone, but it is "
         "honest about the costs and it is built to last,\" the council leader said at a crowded meeting on Tuesday "
         "evening.")
FOOTER = "Subscribe to the Riverside Weekly newsletter for local news, events and offers every Friday morning."


def _corpus(folder: Path) -> list[str]:
    """The samples (five planted pairs), five of them again with a shared footer line (boilerplate
    when five documents hold it: whether it is depends on which documents are counted), identical
    short texts, a short text pasted into another, a copy of a footer-carrying article, six stories quoting one statement, and
    five answers copying the same sentences of a sample (common: kept in the answers, spared in
    their source) and one rewording them (proposed by the source's held rows)."""
    folder.mkdir(parents=True, exist_ok=True)
    names = [n for n in sample_files() if n.endswith(".txt")]
    paths = []
    for name in names:
        (folder / name).write_text((SAMPLES / name).read_text(encoding="utf-8"), encoding="utf-8")
        paths.append(folder / name)
    for k, name in enumerate(names[2:7]):
        text = (SAMPLES / name).read_text(encoding="utf-8")
        body = "\n".join(text.splitlines()[: 6 + k])
        (folder / f"footer_{k}.txt").write_text(f"{body}\n{FOOTER}\n", encoding="utf-8")
        paths.append(folder / f"footer_{k}.txt")
    # A near copy, not a byte-identical one (identical documents pair as a group, whatever the
    # boilerplate): its figures depend on whether the footer is boilerplate.
    (folder / "footer_copy.txt").write_text((folder / "footer_0.txt").read_text(encoding="utf-8")
                                            + "Reposted with permission.\n", encoding="utf-8")
    paths.append(folder / "footer_copy.txt")
    # A quote run in six unrelated stories: boilerplate, which the content view sketches without.
    for k, name in enumerate(names[8:14]):
        lines = (SAMPLES / name).read_text(encoding="utf-8").splitlines()
        (folder / f"quote_{k}.txt").write_text("\n".join([*lines[:4], QUOTE, *lines[4:9]]) + "\n", encoding="utf-8")
        paths.append(folder / f"quote_{k}.txt")
    for name, text in {**class_answers(5), "class_heavy.txt": CLASS_HEAVY}.items():
        (folder / name).write_text(text, encoding="utf-8")
        paths.append(folder / name)
    for k in range(3):
        (folder / f"short_{k}.txt").write_text("Comments are closed for this article.\n", encoding="utf-8")
        paths.append(folder / f"short_{k}.txt")
    # A short paragraph pasted into another short text: a copy by a passage of half its words.
    words = (SAMPLES / "062_garden_birds_in_winter.txt").read_text(encoding="utf-8").split()
    (folder / "short_excerpt.txt").write_text(" ".join(words[100:126]), encoding="utf-8")
    (folder / "short_host.txt").write_text(" ".join(words[300:307] + words[100:126] + words[320:327]), encoding="utf-8")
    paths += [folder / "short_excerpt.txt", folder / "short_host.txt"]
    return sorted(str(p) for p in paths)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    return _corpus(tmp_path_factory.mktemp("corpus") / "docs")


@pytest.fixture(scope="module")
def whole_scan(corpus: list[str]) -> dupefind.Report:
    """The scan the index must give, with the LSH candidates as the tests' index has them (a
    module's fixture is made before the autouse one that sets the small-collection rule aside)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(dupefind.candidates, "EXHAUSTIVE_DOCUMENTS", 0)
        return dupefind.scan(corpus, CONFIG)


def _batches(paths: list[str], cuts: list[int]) -> list[list[str]]:
    bounds = [0, *sorted({c % (len(paths) + 1) for c in cuts}), len(paths)]
    return [paths[a:b] for a, b in itertools.pairwise(bounds) if b > a]


def test_the_corpus_exercises_boilerplate_short_texts_and_copies(whole_scan: dupefind.Report) -> None:
    ids = {(Path(p.a).name, Path(p.b).name) for p in whole_scan.pairs}
    assert ("short_0.txt", "short_1.txt") in ids and ("footer_0.txt", "footer_copy.txt") in ids
    assert ("short_excerpt.txt", "short_host.txt") in ids
    assert {(CLASS_SOURCE, f"answer_{k}.txt") for k in range(5)} | {(CLASS_SOURCE, "class_heavy.txt")} <= {
        tuple(sorted(pair)) for pair in ids}
    assert len(whole_scan.pairs) >= 8


@settings(max_examples=6)
@given(order=st.randoms(use_true_random=False), cuts=st.lists(st.integers(0, 40), max_size=4))
def test_batches_then_pairs_give_the_scans_report(tmp_path_factory: pytest.TempPathFactory, corpus: list[str],
                                                  whole_scan: dupefind.Report, order: object, cuts: list[int]) -> None:
    paths = list(corpus)
    order.shuffle(paths)  # type: ignore[attr-defined]  # a random.Random from hypothesis
    path = tmp_path_factory.mktemp("index") / "docs.index"
    with Index(path, CONFIG) as index:
        for batch in _batches(paths, cuts):
            assert index.add(batch).skipped == ()
        assert report_json(index.pairs()) == report_json(whole_scan)


def test_an_add_of_many_tasks_commits_in_growing_groups_and_gives_the_scans_report(
        tmp_path: Path, corpus: list[str], whole_scan: dupefind.Report, monkeypatch: pytest.MonkeyPatch) -> None:
    """One document a task: the add commits once the documents since its last commit are a
    quarter of those already held, so far fewer times than it has tasks; the tasks written in one
    transaction (boilerplate counted and rows sketched again as each one lands) give the scan's
    pairs."""
    monkeypatch.setattr("dupefind.catalog.tasks.TASK_UNITS", 1)
    commits = []
    going_on = Store.commit_and_go_on
    monkeypatch.setattr(Store, "commit_and_go_on", lambda store: (commits.append(1), going_on(store))[1])
    with Index(tmp_path / "docs.index", CONFIG) as index:
        assert index.add(corpus).added == len(corpus)
        assert report_json(index.pairs()) == report_json(whole_scan)
    with sqlite3.connect(tmp_path / "docs.index") as db:
        assert db.execute("SELECT count(*) FROM batches").fetchone()[0] == len(corpus)
    assert 4 <= len(commits) < len(corpus) // 2


@settings(max_examples=6)
@given(order=st.randoms(use_true_random=False), old_count=st.integers(0, 30), cuts=st.lists(st.integers(0, 40), max_size=3))
def test_check_gives_the_pairs_a_scan_of_old_and_new_gives_about_the_new(
        tmp_path_factory: pytest.TempPathFactory, corpus: list[str], whole_scan: dupefind.Report, order: object,
        old_count: int, cuts: list[int]) -> None:
    paths = list(corpus)
    order.shuffle(paths)  # type: ignore[attr-defined]  # a random.Random from hypothesis
    old, new = paths[:old_count], paths[old_count:]
    path = tmp_path_factory.mktemp("index") / "docs.index"
    with Index(path, CONFIG) as index:
        for batch in _batches(old, cuts):
            index.add(batch)
        report = index.check(new) if new else None
    if report is None:
        return
    fresh = set(new)
    assert list(report.pairs) == [p for p in whole_scan.pairs if p.a in fresh or p.b in fresh]
    assert [d.id for d in report.documents] == sorted(fresh)
    with Index(path) as index:
        assert index.info().documents == len(old)  # check added nothing


Rows = dict[str, list[tuple[bytes, bytes]]]


def _rows(catalog: Catalog) -> Rows:
    """Each document's rows in every view (sizes, signatures), by id."""
    found: Rows = {doc.id: [] for doc in catalog.documents}
    for sketch in catalog.sketches:
        for k, doc in enumerate(catalog.documents):
            mine = sketch.owners == k
            found[doc.id].append((sketch.sizes[mine].tobytes(), sketch.signatures[mine].tobytes()))
    return found


def _scan_catalog(paths: list[str]) -> Catalog:
    return build_catalog(list(plan_reading(paths)), views=views_of(CONFIG), seed=CONFIG.seed,
                         min_words=CONFIG.min_words, boilerplate_min_docs=CONFIG.boilerplate_min_docs)


def _stored(path: Path) -> tuple[Rows, set[tuple[int, str]]]:
    """The rows and band keys (their codes) an index file holds, by id."""
    with sqlite3.connect(path) as db:
        ids = dict(db.execute("SELECT doc, id FROM documents").fetchall())
        rows: Rows = {ident: [] for ident in ids.values()}
        for doc, sizes, signatures in db.execute("SELECT doc, sizes, signatures FROM sketches ORDER BY doc, view"):
            rows[ids[doc]].append((sizes, signatures))
        codes, docs = runs.live(db)
        bands = {(code, ids[doc]) for code, doc in zip(codes.tolist(), docs.tolist())}
    return rows, bands


def _scan_bands(catalog: Catalog) -> set[tuple[int, str]]:
    usable = np.array([not unpaired(d) for d in catalog.documents], dtype=bool)
    keys = band_keys(catalog.sketches, views=views_of(CONFIG), usable=usable)
    codes = runs.codes_of(keys.views.astype(np.int64), keys.bands.astype(np.int64), keys.keys)
    return {(code, catalog.documents[d].id) for code, d in zip(codes.tolist(), keys.documents.tolist())}


def test_furniture_widespread_in_the_index_pairs_no_page_it_holds(tmp_path: Path) -> None:
    """A page of site furniture checked against an index of the site's pages: the furniture is
    widespread in the index plus the page (not in the page alone), spared nowhere, as a scan of
    all finds it; and so are the index's pairs of the class and its source."""
    folder = tmp_path / "site"
    folder.mkdir()
    texts = {**site_pages(24), **class_answers(5), CLASS_SOURCE: (SAMPLES / CLASS_SOURCE).read_text(encoding="utf-8")}
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
    paths = sorted(str(folder / name) for name in texts)
    stub = str(folder / "stub.txt")
    whole = dupefind.scan(paths, CONFIG)
    assert not any(stub in (p.a, p.b) for p in whole.pairs) and len(whole.pairs) >= 5
    with Index(tmp_path / "site.index", CONFIG) as index:
        index.add([p for p in paths if p != stub][:12])
        index.add([p for p in paths if p != stub][12:])
        assert report_json(index.pairs()) == report_json(dupefind.scan([p for p in paths if p != stub], CONFIG))
        assert index.check([stub]).pairs == ()


def test_the_quote_is_boilerplate_that_would_pair_unrelated_stories_in_the_content_view(corpus: list[str]) -> None:
    """The quote is common; sketched on all the words, the content view would pair the unrelated
    stories quoting it (verification turns them down), sketched without it, it pairs none: an
    index that stored rows on all the words would differ from the scan there."""
    views = views_of(CONFIG)
    content = [k for k, view in enumerate(views) if view.without_boilerplate]
    catalog = _scan_catalog(corpus)
    unrelated = {k for k, d in enumerate(catalog.documents) if Path(d.id).name.startswith("quote_")
                 and Path(d.id).name not in ("quote_0.txt", "quote_1.txt")}  # those two quote a planted pair
    assert len(unrelated) == 4 and len(catalog.commons.keys)
    texts = [Path(d.id).read_text(encoding="utf-8") for d in catalog.documents]
    everything = clean_sketches(texts, views=views, seed=CONFIG.seed, min_words=CONFIG.min_words, commons=Commons())
    usable = np.array([not unpaired(d) for d in catalog.documents], dtype=bool)
    for sketches, pairing in ((everything, True), (catalog.sketches, False)):
        pairs = candidate_pairs([sketches[k] for k in content], views=[views[k] for k in content], usable=usable)
        assert any(i in unrelated and j in unrelated for i, j in pairs) == pairing


@settings(max_examples=6)
@given(order=st.randoms(use_true_random=False), cuts=st.lists(st.integers(0, 40), max_size=4),
       gone=st.lists(st.integers(0, 100), max_size=6))
def test_the_index_stores_the_rows_and_band_keys_of_a_scan(tmp_path_factory: pytest.TempPathFactory,
                                                           corpus: list[str], order: object, cuts: list[int],
                                                           gone: list[int]) -> None:
    """Whatever the batches, their order and the documents removed since, every stored row and
    band key is the scan's of the documents present: the content view's sketched without the
    boilerplate of those documents."""
    paths = list(corpus)
    order.shuffle(paths)  # type: ignore[attr-defined]  # a random.Random from hypothesis
    path = tmp_path_factory.mktemp("index") / "docs.index"
    removed = sorted({paths[k % len(paths)] for k in gone})
    with Index(path, CONFIG) as index:
        for batch in _batches(paths, cuts):
            index.add(batch)
        index.remove(removed)
    catalog = _scan_catalog([p for p in corpus if p not in removed])
    assert _stored(path) == (_rows(catalog), _scan_bands(catalog))


def test_an_index_of_locations_sketches_again_from_the_files(tmp_path: Path, corpus: list[str]) -> None:
    quoted = [p for p in corpus if Path(p).name.startswith("quote_")]
    with Index(tmp_path / "i.index", CONFIG, keep_texts=False) as index:
        for path in corpus:  # the quote becomes common with the fifth story: the first four are read again
            index.add([path])
    assert len(quoted) >= CONFIG.boilerplate_min_docs
    catalog = _scan_catalog(corpus)
    assert _stored(tmp_path / "i.index") == (_rows(catalog), _scan_bands(catalog))


def test_a_check_sketches_its_catalog_as_a_scan_of_old_and_new(tmp_path: Path, corpus: list[str],
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Two of the quoting stories indexed (the quote is not common yet), four checked: the
    check's catalog holds the indexed stories that quote it, sketched without it, as a scan of
    old + new sketches them."""
    from dupefind.index import runner

    seen: list[Catalog] = []
    plain = runner.find_pairs

    def spy(catalog: Catalog, *args: Any, **kwargs: Any) -> Any:
        seen.append(catalog)
        return plain(catalog, *args, **kwargs)

    monkeypatch.setattr(runner, "find_pairs", spy)
    quoted = [p for p in corpus if Path(p).name.startswith("quote_")]
    old = [p for p in corpus if p not in quoted[2:]]
    with Index(tmp_path / "i.index", CONFIG) as index:
        index.add(old)
        index.check(quoted[2:])
    scanned = _rows(_scan_catalog(corpus))
    checked = _rows(seen[0])
    assert set(quoted[:2]) <= set(checked)
    assert checked == {ident: scanned[ident] for ident in checked}


def test_boilerplate_is_decided_on_what_the_index_holds_when_asked(tmp_path: Path, corpus: list[str]) -> None:
    """The rule: a check counts segments over the index as it is plus the checked documents, so
    the same check can change after more documents make a line common; each answer equals the
    scan of the documents present then."""
    footers = [p for p in corpus if Path(p).name.startswith("footer_") and "copy" not in p]
    new = [p for p in corpus if Path(p).name == "footer_copy.txt"]
    with Index(tmp_path / "i.index", CONFIG) as index:
        index.add(footers[:3])
        before = index.check(new)
        index.add(footers[3:])
        after = index.check(new)
    for report, present in ((before, footers[:3]), (after, footers)):
        scanned = dupefind.scan(present + new, CONFIG)
        assert list(report.pairs) == [p for p in scanned.pairs if new[0] in (p.a, p.b)]
    assert [p.similarity for p in before.pairs] != [p.similarity for p in after.pairs]


def test_remove_and_replace_give_the_scan_of_what_is_left(tmp_path: Path, corpus: list[str]) -> None:
    changed = tmp_path / "changed"
    changed.mkdir()
    with Index(tmp_path / "i.index", CONFIG) as index:
        index.add(corpus)
        removed = index.remove([corpus[0], corpus[5], "no-such-id"])
        assert removed.removed == (corpus[0], corpus[5]) and removed.missing == ("no-such-id",)
        assert report_json(index.pairs()) == report_json(dupefind.scan(corpus[1:5] + corpus[6:], CONFIG))
        # the same texts again: unchanged; an edited text: skipped, or replaced when asked
        target = Path(corpus[7])
        original = target.read_text(encoding="utf-8")
        again = index.add(corpus[6:9])
        assert (again.added, again.unchanged, again.skipped) == (0, 3, ())
        target.write_text(original.replace("the", "a"), encoding="utf-8")
        try:
            refused = index.add([corpus[7]])
            assert refused.added == 0 and "--replace" in refused.skipped[0].reason
            assert index.add([corpus[7]], replace_changed=True).replaced == 1
            expected = dupefind.scan(corpus[1:5] + corpus[6:], CONFIG)
        finally:
            target.write_text(original, encoding="utf-8")
        assert report_json(index.pairs()) == report_json(expected)


def test_an_option_that_changes_fingerprints_is_refused_by_name(tmp_path: Path, corpus: list[str]) -> None:
    with Index(tmp_path / "i.index", Config(num_perm=64, jobs=1)) as index:
        index.add(corpus[:3])
    with pytest.raises(IndexConfigError) as refused:
        Index(tmp_path / "i.index", Config(jobs=1))
    assert refused.value.field == "num_perm" and "64" in str(refused.value)
    with Index(tmp_path / "i.index") as index:  # no config: the index's own
        assert index.config.num_perm == 64
    with Index(tmp_path / "i.index", Config(num_perm=64, threshold=0.5, jobs=1)) as index:  # verdict options are free
        assert index.check(corpus[3:5]).config["threshold"] == 0.5


def test_files_that_are_not_usable_indexes_are_refused_clearly(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.index"
    garbage.write_bytes(b"not a database at all\n" * 100)
    other = tmp_path / "other.sqlite"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE t (x)")
    newer = tmp_path / "newer.index"
    Index(newer).close()
    with sqlite3.connect(newer) as db:
        db.execute("PRAGMA user_version = 99")
    for path, words in ((garbage, "cannot be used as an index"), (other, "not a dupefind index"),
                        (newer, "newer dupefind"), (tmp_path / "missing.index", "no index at")):
        with pytest.raises(IndexFileError, match=words):
            Index(path, create=False)
    assert garbage.read_bytes() == b"not a database at all\n" * 100  # nothing the user gave is modified


def test_an_index_of_schema_2_is_refused_with_what_to_do(tmp_path: Path, corpus: list[str]) -> None:
    """Schema 2 stored no held rows, which a migration cannot make without the texts and the
    options: such an index is refused, unchanged, with the way out."""
    path = tmp_path / "old.index"
    with Index(path, CONFIG) as index:
        index.add(corpus[:3])
    with sqlite3.connect(path) as db:  # the index as schema 2 left it
        db.execute("ALTER TABLE sketches DROP COLUMN held")
        db.execute("DELETE FROM _migrations WHERE name = 'm003_held_rows'")
        db.execute("PRAGMA user_version = 2")
    before = path.read_bytes()
    with pytest.raises(IndexFileError, match=r"index schema 2.*make the index again"):
        Index(path)
    assert path.read_bytes() == before


def test_an_index_of_32_bit_content_signatures_is_refused_with_what_to_do(tmp_path: Path, corpus: list[str]) -> None:
    """An index made while the content view kept 32-bit values (its stored views say nothing of
    the bits) holds signatures this version would read wrong: refused, unchanged, with the way
    out; and the 16-bit signatures an index stores are read back as they were made."""
    path = tmp_path / "old.index"
    with Index(path, CONFIG) as index:
        index.add(corpus[:3])
        stored = index._store.everything()
    content = [number for number, view in enumerate(views_of(CONFIG)) if view.value_bits == 16]
    assert content and all(s.sketches[k].signatures.dtype == np.uint16 for s in stored for k in content)
    with sqlite3.connect(path) as db:  # the views as the older dupefind wrote them
        views = json.loads(db.execute("SELECT value FROM meta WHERE key = 'views'").fetchone()[0])
        for view in views:
            view.pop("value_bits")
        db.execute("UPDATE meta SET value = ? WHERE key = 'views'", (json.dumps(views),))
    before = path.read_bytes()
    with pytest.raises(IndexFileError, match=r"other candidate views.*make the index again"):
        Index(path)
    assert path.read_bytes() == before


def _band_rows(path: Path) -> list[tuple[int, int, int, int]]:
    """The ``(view, band, key, doc)`` of every band key of an index's documents, made again
    from their signatures (as schema 6 and before kept them, a row each; keys signed)."""
    with Index(path) as index, index._store.reading():
        rows = []
        for stored in index._store.everything():
            bands = stored_bands(stored, views=index.views)
            rows += zip(bands.views.tolist(), bands.bands.tolist(), bands.keys.view(np.int64).tolist(),
                        [stored.doc] * len(bands.keys))
    return sorted(set(rows))


def _as_schema(path: Path, version: int) -> None:
    """The index at ``path`` as schema ``version`` left it: the later steps unrecorded, its band
    keys a row each (schema 6 and before), and its record of the views as that dupefind wrote it
    (schema 5 and before: 128 values a content window)."""
    rows = _band_rows(path)
    with sqlite3.connect(path) as db:
        db.executemany("DELETE FROM _migrations WHERE name = ?", [(m.__name__,) for m in MIGRATIONS[version:]])
        db.execute(f"PRAGMA user_version = {version}")
        db.execute("DROP TABLE band_runs")
        db.execute("DROP TABLE band_blocks")
        db.execute("""CREATE TABLE band_keys (
               view INTEGER NOT NULL, band INTEGER NOT NULL, key INTEGER NOT NULL, doc INTEGER NOT NULL,
               PRIMARY KEY (view, band, key, doc)) WITHOUT ROWID""")
        db.executemany("INSERT INTO band_keys VALUES (?, ?, ?, ?)", rows)
        if version == 6:
            return
        views = json.loads(db.execute("SELECT value FROM meta WHERE key = 'views'").fetchone()[0])
        assert [v["num_perm"] for v in views if v["family"] == "content"] == [192]
        for view in views:
            view["num_perm"] = 128 if view["family"] == "content" else view["num_perm"]
        db.execute("UPDATE meta SET value = ? WHERE key = 'views'", (json.dumps(views),))


def test_an_index_of_schema_3_is_refused_when_it_holds_short_texts_it_did_not_sketch(tmp_path: Path,
                                                                                      corpus: list[str]) -> None:
    """Schema 3 gave short texts no rows (they paired only when identical): an index holding a
    short text of 12 words or more is refused, unchanged, with the way out; one holding none
    such is brought to schema 4 as it is (and then refused by the step after: its content
    signatures are of words, not stems)."""
    short = [p for p in corpus if Path(p).name.startswith("short_")]
    assert any(len(Path(p).read_text(encoding="utf-8").split()) >= 12 for p in short)
    for chosen, refused in ((corpus[:2], False), (corpus[:2] + short, True)):
        path = tmp_path / f"old-{refused}.index"
        with Index(path, CONFIG) as index:
            index.add(chosen)
        _as_schema(path, 3)
        before = path.read_bytes()
        message = r"index schema 3.*short texts" if refused else r"index schema 4.*2 documents"
        with pytest.raises(IndexFileError, match=message + ".*make the index again"):
            Index(path)
        assert path.read_bytes() == before


@pytest.mark.parametrize("version", [4, 5])
def test_an_index_of_schema_4_or_5_is_refused_when_it_holds_documents(tmp_path: Path, corpus: list[str],
                                                                      version: int) -> None:
    """Schema 4 sketched the content view on whole words, schema 5 kept 128 values a content
    window; this version sketches stems, 192 values: an index holding documents is refused,
    unchanged, with the way out (their new signatures need the texts); an index holding none
    is brought up to date (its record of the views written again) and used."""
    for chosen in ([], corpus[:3]):
        path = tmp_path / f"old-{len(chosen)}.index"
        with Index(path, CONFIG) as index:
            if chosen:
                index.add(chosen)
        _as_schema(path, version)
        before = path.read_bytes()
        if chosen:
            with pytest.raises(IndexFileError, match=rf"index schema {version}.*3 documents.*make the index again"):
                Index(path)
            assert path.read_bytes() == before
        else:
            with Index(path) as index:
                index.add(corpus[:2])
                assert len(index.pairs().documents) == 2


def test_an_index_of_schema_6_has_its_band_keys_made_runs_and_answers_as_before(tmp_path: Path,
                                                                                corpus: list[str]) -> None:
    """Schema 6 kept a row a band key: opened, the rows become runs of blocks (in runs of a few
    rows each here, merged as they come), the table goes, and the index holds the scan's keys and
    gives the scan's pairs and checks, as the index it was made as."""
    path = tmp_path / "old.index"
    with Index(path, CONFIG) as index:
        index.add(corpus[2:])
        pairs, checked = index.pairs(), index.check(corpus[:2])
    expected = _stored(path)
    rows = _band_rows(path)
    _as_schema(path, 6)
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT count(*) FROM band_keys").fetchone()[0] == len(rows) > 1000
    small = functools.partial(runs.from_rows, chunk=97)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(runs, "from_rows", small)
        Index(path).close()
    with sqlite3.connect(path) as db:
        tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert "band_keys" not in tables and {"band_runs", "band_blocks"} <= tables
        assert db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
        assert db.execute("SELECT count(*) FROM band_runs").fetchone()[0] <= 1 + (len(rows) // 97).bit_length()
    assert _stored(path) == expected
    with Index(path) as index:
        assert report_json(index.pairs()) == report_json(pairs)
        assert report_json(index.check(corpus[:2])) == report_json(checked)


def test_a_damaged_index_gives_a_clear_error(tmp_path: Path, corpus: list[str]) -> None:
    path = tmp_path / "i.index"
    with Index(path, CONFIG) as index:
        index.add(corpus)
    data = bytearray(path.read_bytes())
    for start in range(4096 * 2, len(data), 4096 * 3):  # scribble over every third page after the header's
        data[start : start + 4096] = b"\xa5" * min(4096, len(data) - start)
    path.write_bytes(bytes(data))
    with pytest.raises(IndexFileError, match="damaged"), Index(path, create=False) as index:
        index.pairs()


def test_an_index_of_locations_rereads_texts_and_says_when_a_source_moved(tmp_path: Path, corpus: list[str]) -> None:
    folder = tmp_path / "docs"
    paths = _corpus(folder)
    with Index(tmp_path / "i.index", CONFIG, keep_texts=False) as index:
        index.add(paths[:12])
        assert report_json(index.pairs()) == report_json(dupefind.scan(paths[:12], CONFIG))
        assert not index.info().texts
        with pytest.raises(IndexConfigError, match="chosen when the index is made"):
            Index(tmp_path / "i.index", CONFIG, keep_texts=True)
        scanned = dupefind.scan(paths[:12], CONFIG).pairs
        victim = scanned[0].a  # a document with a pair
        Path(victim).rename(tmp_path / "moved.txt")
        # The pairs of the document that moved are left out, and the report says so; the rest stand.
        whole = index.pairs()
        assert [s.path for s in whole.skipped] == [victim]
        assert "moved or changed since it was added" in whole.skipped[0].reason
        assert victim not in {d.id for d in whole.documents}
        assert [(p.a, p.b) for p in whole.pairs] == [(p.a, p.b) for p in scanned if victim not in (p.a, p.b)]
        # A check leaves it out too, and names it when a new document's candidates needed it.
        copy = tmp_path / "copy.txt"
        copy.write_text((tmp_path / "moved.txt").read_text(encoding="utf-8"), encoding="utf-8")
        checked = index.check([str(copy)])
        assert [s.path for s in checked.skipped] == [victim]
        assert [(p.a, p.b) for p in checked.pairs] == [(str(copy), scanned[0].b)]  # its partner, still there


def test_one_path_is_one_path_and_a_missing_folder_is_named(tmp_path: Path, corpus: list[str]) -> None:
    with Index(tmp_path / "i.index", CONFIG) as index:
        assert index.add(corpus[0]).added == 1  # a str is one path, not a sequence of characters
        assert [d.id for d in index.check(Path(corpus[1])).documents] == [corpus[1]]
    with pytest.raises(IndexFileError, match="does not exist"):
        Index(tmp_path / "no such folder" / "i.index")


def test_a_sampled_view_with_a_bucket_limit_gives_the_scans_pairs(
        tmp_path: Path, corpus: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """With a view whose common keys pair no one, a check still equals the scan: every indexed
    holder of a new document's keys is in the check's catalog."""
    from dupefind import pipeline
    from dupefind.views import View

    plain = pipeline.candidate_views

    def with_sampled(**knobs: object) -> tuple[View, ...]:
        return (*plain(**knobs), View("sampled", "words", 3, 0, 1, 1.0, 0.0, sample=4, min_shared=2,  # type: ignore[arg-type]
                                      max_gap=30, max_bucket=3))

    monkeypatch.setattr(pipeline, "candidate_views", with_sampled)
    whole = dupefind.scan(corpus, CONFIG)
    new = corpus[::3]
    with Index(tmp_path / "i.index", CONFIG) as index:
        index.add([p for p in corpus if p not in new])
        report = index.check(new)
        assert list(report.pairs) == [p for p in whole.pairs if p.a in new or p.b in new]
        index.add(new)
        assert report_json(index.pairs()) == report_json(whole)



def _near_copies(folder: Path, corpus: list[str]) -> list[str]:
    """The corpus and five near copies of one of its articles (each with a sentence of its own
    appended): keys of that article held by six documents."""
    folder.mkdir(parents=True, exist_ok=True)
    text = Path(corpus[0]).read_text(encoding="utf-8")
    extra = []
    for k in range(5):
        path = folder / f"near_{k}.txt"
        path.write_text(f"{text}\nAddendum number {k} was written by desk {k * 7 + 3}.\n", encoding="utf-8")
        extra.append(str(path))
    return sorted(corpus + extra)


@pytest.fixture(scope="module")
def crowded_corpus(tmp_path_factory: pytest.TempPathFactory, corpus: list[str]) -> list[str]:
    return _near_copies(tmp_path_factory.mktemp("near") / "docs", corpus)


@settings(max_examples=5, deadline=None)
@given(order=st.randoms(use_true_random=False), old_count=st.integers(4, 34))
def test_keys_held_past_the_bucket_limit_give_the_scans_pairs(tmp_path_factory: pytest.TempPathFactory,
                                                              crowded_corpus: list[str], order: object,
                                                              old_count: int) -> None:
    """With the content view's bucket limit at 2, keys of the near copies are held by more
    indexed documents than that: a check reads none of their holders, yet gives the scan's
    pairs (the keys are named to the candidate stage, where they pair no one, as in the scan)."""
    from dupefind import pipeline
    from dupefind import views as view_module
    from dupefind.index import runner

    patch = pytest.MonkeyPatch()
    patch.setattr(view_module, "CONTENT_MAX_BUCKET", 2)
    try:
        whole = dupefind.scan(crowded_corpus, CONFIG)
        paths = list(crowded_corpus)
        order.shuffle(paths)  # type: ignore[attr-defined]  # a random.Random from hypothesis
        old, new = paths[:old_count], paths[old_count:]
        seen: list[set[tuple[str, str]]] = []
        plain = runner.find_pairs

        def spy(catalog: Catalog, *args: Any, candidates: list[tuple[int, int]], **kwargs: Any) -> Any:
            seen.append({(catalog.documents[i].id, catalog.documents[j].id) for i, j in candidates})
            return plain(catalog, *args, candidates=candidates, **kwargs)

        patch.setattr(runner, "find_pairs", spy)
        with Index(tmp_path_factory.mktemp("index") / "docs.index", CONFIG) as index:
            index.add(old)
            report = index.check(new)
        fresh = set(new)
        assert list(report.pairs) == [p for p in whole.pairs if p.a in fresh or p.b in fresh]
        scanned = _scan_catalog(crowded_corpus)
        proposed = {(scanned.documents[i].id, scanned.documents[j].id)
                    for i, j in pipeline.proposed(scanned, views=views_of(CONFIG))}
        assert seen == [{pair for pair in proposed if fresh & set(pair)}]
    finally:
        patch.undo()


def test_the_bucket_limit_leaves_indexed_holders_unread(tmp_path: Path, crowded_corpus: list[str],
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """The case above happens: keys of a checked near copy are held by more indexed documents
    than the limit, and are named instead of read; the check still gives the scan's pairs."""
    from dupefind import views as view_module
    from dupefind.index import catalogs

    monkeypatch.setattr(view_module, "CONTENT_MAX_BUCKET", 2)
    named: list[int] = []
    plain = catalogs._codes

    def spy(keys: Any) -> Any:
        named.append(len(keys))
        return plain(keys)

    monkeypatch.setattr(catalogs, "_codes", spy)
    new = [p for p in crowded_corpus if p.endswith("near_4.txt")]
    with Index(tmp_path / "i.index", CONFIG) as index:
        index.add([p for p in crowded_corpus if p not in new])
        report = index.check(new)
    assert named and named[0] > 0
    whole = dupefind.scan(crowded_corpus, CONFIG)
    assert list(report.pairs) == [p for p in whole.pairs if new[0] in (p.a, p.b)] and len(report.pairs) >= 5


def test_a_crowded_key_pairs_no_one_even_when_one_holder_is_read(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """A key held past the limit by indexed documents that are not read, and by one that is (a
    holder of a sentence the check makes common: it is sketched again, so read whatever its
    keys): the key still pairs no one, as in the scan; were it not named to the candidate
    stage, its bucket would hold just that document and the new one, and pair them.

    Six variants of an article keep its content words and change every function word (the
    content view's windows alike, no function-word shingle shared); an indexed story opens
    with the article's first paragraph (its function words changed too), then a sentence four
    checked stories also hold; the checked copy of the article shares that paragraph's content
    words, in the same windows, and nothing else."""
    import re

    from dupefind import views as view_module
    from dupefind.shingles import STOPWORDS

    monkeypatch.setattr(view_module, "CONTENT_MAX_BUCKET", 2)
    names = [n for n in sample_files() if n.endswith(".txt")]
    article = (SAMPLES / names[0]).read_text(encoding="utf-8")
    stops = sorted(STOPWORDS)
    sentence = "The regional transit authority confirmed the new timetable for every northern route on Thursday."

    def variant(k: int) -> str:
        def swap(match: re.Match[str]) -> str:
            word = match.group(0).lower()
            return stops[(stops.index(word) + k + 1) % len(stops)] if word in STOPWORDS else match.group(0)
        return re.sub(r"[A-Za-z']+", swap, article)

    def write(name: str, text: str) -> str:
        (tmp_path / name).write_text(text, encoding="utf-8")
        return str(tmp_path / name)

    opening = " ".join(variant(6).split()[:160])  # the article's content words, no function-word shingle of it
    old = [write(f"variant_{k}.txt", variant(k)) for k in range(6)]
    old.append(write("opening.txt", f"{opening}\n{sentence}\n" + (SAMPLES / names[3]).read_text(encoding="utf-8")))
    new = [write("copy.txt", f"{article}\n{sentence}\n")]
    new += [write(f"story_{k}.txt", (SAMPLES / names[5 + k]).read_text(encoding="utf-8") + f"\n{sentence}\n")
            for k in range(3)]
    whole = dupefind.scan(old + new, CONFIG)
    with Index(tmp_path / "i.index", CONFIG) as index:
        index.add(old)
        report = index.check(new)
    assert list(report.pairs) == [p for p in whole.pairs if p.a in new or p.b in new]
    assert not any({Path(p.a).name, Path(p.b).name} == {"copy.txt", "opening.txt"} for p in report.pairs)


def test_a_check_of_a_small_collection_verifies_every_pair(tmp_path: Path, corpus: list[str],
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """Index and new documents together at most ``EXHAUSTIVE_DOCUMENTS``: with LSH proposing
    nothing (no candidates, no stored band key in common), a check still reports what a scan of old + new reports about the new documents
    (every pair verified in both), the copies among them included: the check reads every
    indexed document."""
    from conftest import EXHAUSTIVE_DOCUMENTS

    from dupefind import candidates, pipeline

    monkeypatch.setattr(candidates, "EXHAUSTIVE_DOCUMENTS", EXHAUSTIVE_DOCUMENTS)
    monkeypatch.setattr(pipeline, "candidate_pairs", lambda *args, **kwargs: [])
    monkeypatch.setattr(Store, "colliding", lambda self, *args, **kwargs: (set(), []))  # the index's band lookup
    from test_pipeline import _small_collection

    (tmp_path / "more").mkdir()
    _small_collection(tmp_path / "more")  # a paragraph shared reworded
    hosts = [str(tmp_path / "more" / f"rewrite_host_{side}.txt") for side in "ab"]
    new = [p for p in corpus if Path(p).name == "011_elm_street_garden_repost.txt"] + hosts[1:]
    old = [p for p in corpus if p not in new] + hosts[:1]
    assert len(old) + len(new) <= EXHAUSTIVE_DOCUMENTS and len(new) == 2
    whole = dupefind.scan(old + new, CONFIG)
    with Index(tmp_path / "i.index", CONFIG) as index:
        index.add(old)
        report = index.check(new)
    assert list(report.pairs) == [p for p in whole.pairs if p.a in new or p.b in new]
    names = {frozenset((Path(p.a).name, Path(p.b).name)) for p in report.pairs}
    assert {frozenset(("010_elm_street_community_garden.txt", "011_elm_street_garden_repost.txt")),
            frozenset(("rewrite_host_a.txt", "rewrite_host_b.txt"))} <= names


def test_remove_takes_one_id_as_one_id(tmp_path: Path) -> None:
    """``remove("ab")`` removes the document ``ab``, not ``a`` and ``b`` (a string was read as
    the ids of its characters); anything but ids is a TypeError."""
    records = tmp_path / "abc.jsonl"
    text = (SAMPLES / "010_elm_street_community_garden.txt").read_text(encoding="utf-8")
    records.write_text("".join(json.dumps({"id": i, "text": f"{i} {text}"}) + "\n" for i in ("a", "b", "ab")),
                       encoding="utf-8")
    with Index(tmp_path / "i.index", CONFIG) as index:
        index.add(records)
        assert index.remove("ab").removed == ("ab",)
        assert index.info().documents == 2
        for bad in (None, 5, b"a", ["a", 1]):
            with pytest.raises(TypeError):
                index.remove(bad)  # type: ignore[arg-type]
        assert index.info().documents == 2


def test_an_index_used_after_it_is_closed_says_so(tmp_path: Path) -> None:
    """Not "damaged: make it again", which would have a good index thrown away."""
    with dupefind.Index(tmp_path / "a.index", dupefind.Config(jobs=1)) as index:
        index.add([str(SAMPLES / "040_night_trains_return.txt")])
    for use in (index.info, index.pairs, lambda: index.add([str(SAMPLES)]), lambda: index.remove("x")):
        with pytest.raises(ValueError, match="is closed"):
            use()
    with pytest.raises(TypeError, match="config must be"):
        dupefind.Index(tmp_path / "b.index", {"jobs": 1})  # type: ignore[arg-type]  # wrong on purpose
    with dupefind.Index(tmp_path / "a.index") as again:
        assert again.info().documents == 1


@pytest.mark.parametrize("moved", [["a"], ["a", "b"]], ids=["its-first", "its-first-two"])
def test_identical_documents_stay_paired_when_their_group_first_has_moved(tmp_path: Path, moved: list[str]) -> None:
    """Each member of a group of identical documents is paired with the group's first; when
    that first can no longer be read (a locations-only index whose file moved; a file changed
    during a scan), the group is led by its next member, as in a scan of the files still there."""
    folder = tmp_path / "docs"
    folder.mkdir()
    for name in ("a", "b", "c", "d"):
        shutil.copyfile(SAMPLES / "040_night_trains_return.txt", folder / f"{name}.txt")
    for name in ("062_garden_birds_in_winter.txt", "010_elm_street_community_garden.txt"):
        shutil.copyfile(SAMPLES / name, folder / name)
    config = dupefind.Config(jobs=1)
    with dupefind.Index(tmp_path / "docs.index", config, keep_texts=False) as index:
        index.add([str(folder)])
        for name in moved:
            (folder / f"{name}.txt").rename(tmp_path / f"{name}.moved")
        report = index.pairs()
        new = tmp_path / "new"
        new.mkdir()
        shutil.copyfile(SAMPLES / "040_night_trains_return.txt", new / "e.txt")
        checked = index.check([str(new)])
    scanned = dupefind.scan([str(folder)], config)
    assert [(p.a, p.b) for p in report.pairs] == [(p.a, p.b) for p in scanned.pairs] != []
    assert sorted(s.path for s in report.skipped) == sorted(str(folder / f"{name}.txt") for name in moved)
    both = dupefind.scan([str(folder), str(new)], config)
    assert [(p.a, p.b) for p in checked.pairs] == [(p.a, p.b) for p in both.pairs if str(new / "e.txt") in (p.a, p.b)]


@pytest.mark.parametrize("name", [":memory:", "file:x.index", "file:y.index?mode=memory"])
def test_an_index_named_as_sqlite_names_special_databases_is_that_file(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch,
                                                                         name: str) -> None:
    """SQLite reads ``:memory:`` as a database nowhere and ``file:...`` as a URI (x.index was
    written instead of file:x.index); an index is always the file named."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "x.index").write_bytes(b"")
    with dupefind.Index(name, dupefind.Config(jobs=1)) as index:
        index.add([str(SAMPLES / "040_night_trains_return.txt")])
    assert (tmp_path / name).is_file() and (tmp_path / "x.index").read_bytes() == b""
    with dupefind.Index(name, create=False) as again:
        assert again.info().documents == 1


def test_the_index_knows_a_file_it_holds_under_another_spelling(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "arts"
    folder.mkdir()
    for name in sample_files()[:4]:
        shutil.copy(SAMPLES / name, folder / name)
    monkeypatch.chdir(tmp_path)
    one = sample_files()[0]
    with Index(tmp_path / "i.db", Config(jobs=1)) as index:
        assert index.add(["arts"]).added == 4
        assert index.add(["./arts/"]).unchanged == 4  # the same ids
        again = index.add([str(folder)])  # absolute ids, the same files
        assert (again.added, again.unchanged) == (0, 4)
        monkeypatch.chdir(folder)
        assert index.add(["."]).unchanged == 4
        assert index.info().documents == 4
        (tmp_path / "copy.txt").write_text((folder / one).read_text(encoding="utf-8"), encoding="utf-8")
        report = index.check([str(folder / one), str(tmp_path / "copy.txt")])
        assert [(s.path, s.reason) for s in report.skipped] == [
            (str(folder / one), f"the same file is already in the index as 'arts/{one}' (check compares new documents)")]
        assert (str(tmp_path / "copy.txt"), f"arts/{one}") in {(p.a, p.b) for p in report.pairs}  # a real copy is one
        assert all(str(folder / one) not in (p.a, p.b) for p in report.pairs)


@pytest.mark.parametrize("pages", [3, 12])  # full while the index is made; full at its first batch
def test_a_full_disk_is_named_and_leaves_no_stub_of_a_new_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                pages: int) -> None:
    import dupefind.index.store as store

    connect = sqlite3.connect

    def small_disk(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        db = connect(*args, **kwargs)
        db.execute(f"PRAGMA max_page_count = {pages}")  # SQLite's own "database or disk is full" past it
        return db

    monkeypatch.setattr(store.sqlite3, "connect", small_disk)
    docs = tmp_path / "docs"
    docs.mkdir()
    for name in sample_files()[:6]:
        shutil.copy(SAMPLES / name, docs / name)
    path = tmp_path / "i.db"
    with pytest.raises(IndexFileError, match=r"cannot write the index .*i\.db: the disk is full"), \
            Index(path, Config(jobs=1)) as index:
        index.add([str(docs)])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["docs"]
