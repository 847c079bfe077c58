"""The whole pipeline: planted copies come back, nothing else does, and the report is deterministic."""

from __future__ import annotations

import json
import os
import pickle
import random
import shutil
from pathlib import Path

import numpy as np
import pytest
from conftest import (
    CLASS_COPIED,
    CLASS_HEAVY,
    CLASS_SOURCE,
    SAMPLES,
    class_answers,
    sample_files,
    sample_text,
    site_pages,
)

import dupefind
from dupefind import Config, InputError, boilerplate, pipeline, resketch
from dupefind.candidates import Sketches
from dupefind.models import Location, PackedPair, Pairs
from dupefind.report import report_json

SEED_PAIR = ("000_313ab52531fab2be.txt", "001_633f16316fbadcf5.txt")
# Articles of the samples that carry no shared boilerplate and are not copies of each other.
UNRELATED = ["010_elm_street_community_garden.txt", "013_how_to_start_a_community_garden.txt",
             "020_tidal_power_explainer.txt", "040_night_trains_return.txt",
             "051_mental_health_first_aiders_at_work.txt", "053_carers_drop_in_opens.txt"]


@pytest.mark.parametrize("exclude", [("ANSWERS.md",), ()], ids=["corpus", "with-answer-key"])
def test_samples_scan_reports_exactly_the_expected_pairs(
        at_repo: Path, answer_pairs: set[tuple[str, str]], exclude: tuple[str, ...]) -> None:
    report = dupefind.scan(["samples"], Config(exclude=exclude))
    expected = {(f"samples/{a}", f"samples/{b}") for a, b in answer_pairs}
    assert len(expected) == 5
    assert {(p.a, p.b) for p in report.pairs} == expected
    assert len(report.pairs) == len(expected)  # each once
    assert [d.id for d in report.documents] == sorted(
        f"samples/{name}" for name in sample_files() + ([] if exclude else ["ANSWERS.md"]))
    assert not any(d.short for d in report.documents)
    assert report.skipped == ()
    for pair in report.pairs:
        assert pair.a < pair.b
        assert pair.duplicate
        assert pair.containment >= report.config["threshold"]  # type: ignore[operator]
        assert pair.passages, f"{pair.a} / {pair.b} has no evidence"
    assert sorted(report.clusters) == sorted(expected)


def test_seed_pair_is_reported(at_repo: Path) -> None:
    report = dupefind.scan([f"samples/{name}" for name in SEED_PAIR])
    (pair,) = report.pairs
    assert (pair.a, pair.b) == tuple(f"samples/{name}" for name in SEED_PAIR)
    assert pair.duplicate and pair.containment >= 0.4
    # The spinner changed content words throughout; the evidence still spans most of the text.
    assert sum(p.words_a for p in pair.passages) >= 0.7 * report.documents[0].words


@pytest.mark.parametrize(("first", "second"), [
    SEED_PAIR,
    ("020_tidal_power_explainer.txt", "021_skerra_island_newsletter.txt"),
    ("030_sourdough_first_month.html", "031_sourdough_lessons_reordered.md"),
    ("040_night_trains_return.txt", "062_garden_birds_in_winter.txt"),
])
def test_compare_is_symmetric(first: str, second: str) -> None:
    text_a, text_b = sample_text(first), sample_text(second)
    forward = dupefind.compare(text_a, text_b, id_a="x", id_b="y")
    backward = dupefind.compare(text_b, text_a, id_a="y", id_b="x")
    assert (forward.a, forward.b) == ("x", "y") and (backward.a, backward.b) == ("y", "x")
    assert forward.similarity == backward.similarity
    assert forward.containment == backward.containment
    assert (forward.containment_a, forward.containment_b) == (backward.containment_b, backward.containment_a)
    assert forward.duplicate == backward.duplicate
    for passage in forward.passages:
        assert text_a[passage.a_start:passage.a_end] == passage.a_text
        assert text_b[passage.b_start:passage.b_end] == passage.b_text


ANSWERS = Path(__file__).resolve().parents[1] / "benchmarks" / "answers"


@pytest.mark.parametrize(("first", "second"), [
    # Each gave another verdict one way than the other when the pair was aligned as asked.
    ("bst-heavy-2.txt", "bst-source.txt"),
    ("tcp-heavy-1.txt", "tcp-light-2.txt"),
    ("vector-heavy-1.txt", "vector-heavy-2.txt"),
])
def test_compare_finds_the_same_passages_either_way(first: str, second: str) -> None:
    text_a, text_b = ((ANSWERS / name).read_text(encoding="utf-8") for name in (first, second))
    forward, backward = dupefind.compare(text_a, text_b), dupefind.compare(text_b, text_a)
    assert forward.duplicate == backward.duplicate
    assert forward.passages, "no evidence either way"
    assert forward.passages == tuple(sorted((p.swapped() for p in backward.passages),
                                            key=lambda p: (p.a_start, p.b_start)))
    if forward.duplicate:
        assert forward.relation is not None and backward.relation is not None
        assert forward.relation.kinds == backward.relation.kinds


def test_a_scan_does_not_depend_on_which_file_name_sorts_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from conftest import EXHAUSTIVE_DOCUMENTS

    from dupefind import candidates

    monkeypatch.setattr(candidates, "EXHAUSTIVE_DOCUMENTS", EXHAUSTIVE_DOCUMENTS)  # two texts: every pair
    texts = [(ANSWERS / name).read_text(encoding="utf-8") for name in ("bst-heavy-2.txt", "bst-source.txt")]
    found = []
    for order in (texts, texts[::-1]):
        folder = tmp_path / str(len(found))
        folder.mkdir()
        for name, text in zip(("a.txt", "b.txt"), order):
            (folder / name).write_text(text, encoding="utf-8")
        found.append(dupefind.scan([str(folder)]).pairs)
    (one,), (other,) = found
    assert one.passages == tuple(sorted((p.swapped() for p in other.passages), key=lambda p: (p.a_start, p.b_start)))
    assert one.relation is not None and other.relation is not None
    assert one.relation.kinds == other.relation.kinds


def test_a_passage_seen_from_b() -> None:
    pair = dupefind.compare(*(sample_text(name) for name in SEED_PAIR))
    ops = [e.op for p in pair.passages for e in p.edits]
    assert "insert" in ops and "delete" in ops and "replace" in ops
    for passage in pair.passages:
        swapped = passage.swapped()
        assert (swapped.a_text, swapped.b_text) == (passage.b_text, passage.a_text)
        assert (swapped.a_start, swapped.a_end, swapped.b_start, swapped.b_end) == (
            passage.b_start, passage.b_end, passage.a_start, passage.a_end)
        assert (swapped.words_a, swapped.words_b, swapped.similarity) == (
            passage.words_b, passage.words_a, passage.similarity)
        assert swapped.swapped() == passage
        assert [e.op for e in swapped.edits] == [
            {"insert": "delete", "delete": "insert"}.get(e.op, e.op) for e in passage.edits]


def test_compare_of_a_text_with_itself() -> None:
    text = sample_text("040_night_trains_return.txt")
    pair = dupefind.compare(text, text)
    assert (pair.similarity, pair.containment_a, pair.containment_b, pair.duplicate) == (1.0, 1.0, 1.0, True)
    (passage,) = pair.passages
    assert passage.similarity == 1.0 and passage.a_text == passage.b_text


def build_corpus(folder: Path, names: list[str], jsonl_lines: list[str]) -> None:
    folder.mkdir(parents=True)
    for name in names:
        shutil.copyfile(SAMPLES / name, folder / name)
    (folder / "extra.jsonl").write_text("".join(jsonl_lines), encoding="utf-8")
    (folder / "notes.rtf").write_text("unsupported", encoding="utf-8")


@pytest.mark.parametrize("every_pair", [False, True])
def test_same_input_in_another_order_gives_a_byte_identical_report(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, every_pair: bool) -> None:
    if every_pair:  # the small collection's own rule (the fixture sets it aside)
        from conftest import EXHAUSTIVE_DOCUMENTS

        from dupefind import candidates

        monkeypatch.setattr(candidates, "EXHAUSTIVE_DOCUMENTS", EXHAUSTIVE_DOCUMENTS)
    names = sample_files()
    texts = [sample_text(n) for n in ("040_night_trains_return.txt", "041_overnight_train_comeback_spun.txt",
                                      "013_how_to_start_a_community_garden.txt")]
    lines = [json.dumps({"id": f"rec{n}", "text": t}, ensure_ascii=False) + "\n" for n, t in enumerate(texts)]
    lines.append(json.dumps({"id": "short", "text": "A short note."}) + "\n")
    rnd = random.Random(7)
    shuffled_names, shuffled_lines = names[:], lines[:]
    rnd.shuffle(shuffled_names)
    rnd.shuffle(shuffled_lines)
    build_corpus(tmp_path / "one" / "corpus", names, lines)
    build_corpus(tmp_path / "two" / "corpus", list(reversed(names)), list(reversed(lines)))
    build_corpus(tmp_path / "three" / "corpus", shuffled_names, shuffled_lines)
    reports = []
    for run in ("one", "two", "three"):
        monkeypatch.chdir(tmp_path / run)
        reports.append(report_json(dupefind.scan(["corpus"])))
    assert reports[0] == reports[1] == reports[2]
    data = json.loads(reports[0])
    # The five planted pairs, rec0/rec1/rec2 each with the corpus file it repeats (040, 041,
    # 013), and the copy 040/041 again for each repeat (rec0/041, 040/rec1, rec0/rec1): only a
    # group's first is looked up, and its pairs are extended to the group's members.
    pairs = {(p["a"], p["b"]) for p in data["pairs"]}
    assert len(pairs) == 11
    assert {("corpus/041_overnight_train_comeback_spun.txt", "rec0"), ("corpus/040_night_trains_return.txt", "rec1"),
            ("rec0", "rec1")} <= pairs
    assert {"corpus/040_night_trains_return.txt", "corpus/041_overnight_train_comeback_spun.txt", "rec0",
            "rec1"} in [set(c["ids"]) for c in data["clusters"]]
    assert data["skipped"] == []
    assert data["ignored"] == [{"path": "corpus/notes.rtf", "reason": data["ignored"][0]["reason"]}]


def test_empty_files_and_short_texts_are_not_paired(tmp_path: Path) -> None:
    for n in range(4):
        (tmp_path / f"empty{n}.txt").write_text("" if n % 2 else " \n\n ", encoding="utf-8")
    # Short texts that share no passage of half their words: none is a copy of another (texts
    # of 20 words, each sharing 9 words in a row with the next; a passage must hold 12).
    words = sample_text("040_night_trains_return.txt").split()
    for n in range(30):
        (tmp_path / f"short{n:02d}.txt").write_text(" ".join(words[11 * n:11 * n + 20]), encoding="utf-8")
    # Two identical short texts (case and punctuation aside) are; two that differ by a word and
    # are too short to hold a passage of 12 words are not.
    (tmp_path / "same1.txt").write_text("The meeting moved to Tuesday.", encoding="utf-8")
    (tmp_path / "same2.md").write_text("the MEETING moved to tuesday!\n", encoding="utf-8")
    (tmp_path / "other.txt").write_text("The meeting moved to Wednesday.", encoding="utf-8")
    report = dupefind.scan([str(tmp_path)])
    assert len(report.documents) == 33
    assert all(d.short for d in report.documents)
    assert {s.reason for s in report.skipped} == {"empty file"}
    assert [(p.a, p.b) for p in report.pairs] == [(f"{tmp_path}/same1.txt", f"{tmp_path}/same2.md")]


@pytest.mark.parametrize("fillers", [0, 240])
def test_a_short_text_is_a_copy_by_a_passage_of_half_its_words(tmp_path: Path, fillers: int) -> None:
    """Short texts have too few shingles for containment: a passage holding half the shorter
    text's words (at least 12) makes them copies, in a small folder (every pair verified) and
    in a large one (the content view proposes them)."""
    words = sample_text("040_night_trains_return.txt").split()
    vocabulary = sorted({w.strip(".,;:!?\"'()").lower() for name in sample_files() for w in sample_text(name).split()} - {""})
    rng = random.Random(5)
    for n in range(fillers):  # word salad of the samples' words: shares no run of words with anything
        (tmp_path / f"filler{n:03d}.txt").write_text(" ".join(rng.sample(vocabulary, 30)), encoding="utf-8")
    # 26 words pasted into 40 of other words: half of the shorter text (13), and more.
    (tmp_path / "excerpt.txt").write_text(" ".join(words[100:126]), encoding="utf-8")
    (tmp_path / "host.txt").write_text(" ".join(words[300:307] + words[100:126] + words[320:327]), encoding="utf-8")
    # 40-word texts sharing 15 words in a row: under half of either (20), not a copy.
    (tmp_path / "one.txt").write_text(" ".join(words[200:240]), encoding="utf-8")
    (tmp_path / "two.txt").write_text(" ".join(words[360:385] + words[225:240]), encoding="utf-8")
    report = dupefind.scan([str(tmp_path)])
    assert all(d.short for d in report.documents)
    assert [(p.a, p.b) for p in report.pairs] == [(f"{tmp_path}/excerpt.txt", f"{tmp_path}/host.txt")]
    assert dupefind.compare(" ".join(words[100:126]), (tmp_path / "host.txt").read_text()).duplicate
    assert not dupefind.compare((tmp_path / "one.txt").read_text(), (tmp_path / "two.txt").read_text()).duplicate


def test_texts_without_words_are_not_paired(tmp_path: Path) -> None:
    """A file of punctuation has no words; two such files are not copies of each other."""
    (tmp_path / "rule.txt").write_text("----------\n", encoding="utf-8")
    (tmp_path / "stars.txt").write_text("* * *\n", encoding="utf-8")
    (tmp_path / "article.txt").write_text(sample_text("040_night_trains_return.txt"), encoding="utf-8")
    report = dupefind.scan([str(tmp_path)])
    assert report.pairs == ()


def test_partial_copy_has_high_containment_on_the_short_side(tmp_path: Path) -> None:
    article = sample_text("053_carers_drop_in_opens.txt")
    host = "\n\n".join([sample_text("013_how_to_start_a_community_garden.txt"), article,
                        sample_text("051_mental_health_first_aiders_at_work.txt")])
    (tmp_path / "a_article.txt").write_text(article, encoding="utf-8")
    (tmp_path / "b_host.txt").write_text(host, encoding="utf-8")
    for name in ("040_night_trains_return.txt", "062_garden_birds_in_winter.txt"):
        shutil.copyfile(SAMPLES / name, tmp_path / name)
    report = dupefind.scan([str(tmp_path)])
    words = {d.id: d.words for d in report.documents}
    assert words[f"{tmp_path}/b_host.txt"] >= 3 * words[f"{tmp_path}/a_article.txt"]
    (pair,) = report.pairs
    assert (pair.a, pair.b) == (f"{tmp_path}/a_article.txt", f"{tmp_path}/b_host.txt")
    assert pair.containment_a >= 0.9
    assert pair.containment_b <= 0.4
    assert pair.containment == pair.containment_a
    # The evidence is the article, found in the middle of the host.
    assert sum(p.words_a for p in pair.passages) >= 0.9 * words[pair.a]
    assert min(p.b_start for p in pair.passages) >= len(sample_text("013_how_to_start_a_community_garden.txt"))


HEADER = "Menu | Home | Local News | Sport | What's On | Letters | Subscribe"
FOOTER = """We would like to hear what you think of this story, and of all of the stories that we publish.
If you have something to say, please write to the editor at the address that is printed on the back page of this issue.
All of the articles on this site are the property of the Valley Courier, and none of them may be copied in whole or in part without the permission of the editor, which will not be unreasonably withheld.
The views that are expressed in the articles are those of the authors and are not necessarily those of the Valley Courier or of any of its staff.
Share this story with a friend by email, or on any of the social networks that you use."""


def test_shared_boilerplate_makes_no_pairs(tmp_path: Path) -> None:
    for name in UNRELATED:
        (tmp_path / name).write_text(f"{HEADER}\n\n{sample_text(name).strip()}\n\n{FOOTER}\n", encoding="utf-8")
    assert dupefind.scan([str(tmp_path)]).pairs == ()
    # The control: were the boilerplate not set aside, it alone would pair these articles.
    unguarded = dupefind.scan([str(tmp_path)], Config(boilerplate_min_docs=len(UNRELATED) + 1))
    assert len(unguarded.pairs) >= 10


def test_copy_inside_boilerplate_is_still_found(tmp_path: Path) -> None:
    for name in UNRELATED:
        (tmp_path / name).write_text(f"{HEADER}\n\n{sample_text(name).strip()}\n\n{FOOTER}\n", encoding="utf-8")
    spun = sample_text("041_overnight_train_comeback_spun.txt")
    (tmp_path / "zz_copy.txt").write_text(f"{HEADER}\n\n{spun.strip()}\n\n{FOOTER}\n", encoding="utf-8")
    report = dupefind.scan([str(tmp_path)])
    assert [(Path(p.a).name, Path(p.b).name) for p in report.pairs] == [
        ("040_night_trains_return.txt", "zz_copy.txt")]
    # The shared footer is not part of the evidence.
    for passage in report.pairs[0].passages:
        assert "Valley Courier" not in passage.a_text


def _write(folder: Path, texts: dict[str, str]) -> None:
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")


def test_a_class_copying_one_source_is_found_though_its_sentences_are_common(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Five answers copy the same sentences of a source: boilerplate by count, kept in each
    answer (most of its words), set aside in the source. What an answer keeps is evidence in
    its partner too, so each answer pairs with the source (as ``compare`` says)."""
    _write(tmp_path, {CLASS_SOURCE: sample_text(CLASS_SOURCE), **class_answers(5)})
    source = str(tmp_path / CLASS_SOURCE)
    wanted = {tuple(sorted((source, str(tmp_path / f"answer_{k}.txt")))) for k in range(5)}
    report = dupefind.scan([str(tmp_path)], Config(jobs=1))
    assert wanted <= {(p.a, p.b) for p in report.pairs}
    assert all(dupefind.compare(*(Path(path).read_text(encoding="utf-8") for path in pair)).duplicate
               for pair in wanted)
    # The control: were it set aside in the source all the same, the answers would be lost.
    monkeypatch.setattr(pipeline.checking, "spared_beside", lambda *args, **kwargs: np.empty(0, dtype=np.uint64))
    assert not wanted & {(p.a, p.b) for p in dupefind.scan([str(tmp_path)], Config(jobs=1)).pairs}


def test_an_answer_rewording_sentences_the_class_copied_is_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A sixth answer rewords the sentences five others copy verbatim: in the source they are
    common, but the answer does not hold them (only reworded) and shares other text with the
    source (similar sentences), so in that pair they are no boilerplate, and the answer pairs
    with the source."""
    reworded = (CLASS_COPIED.replace("two main ways", "two principal ways").replace("older", "earlier")
                .replace("is allowed to flow", "may flow").replace("best-known", "most famous")
                .replace("has been generating", "has generated"))
    assert all(sentence not in CLASS_COPIED for sentence in reworded.split(". "))
    _write(tmp_path, {CLASS_SOURCE: sample_text(CLASS_SOURCE), **class_answers(5),
                      "reworded.txt": reworded + "\nThat is my summary of the two kinds of tidal plant.\n"})
    wanted = tuple(sorted((str(tmp_path / CLASS_SOURCE), str(tmp_path / "reworded.txt"))))
    assert wanted in {(p.a, p.b) for p in dupefind.scan([str(tmp_path)], Config(jobs=1)).pairs}
    # The control: with only what a partner keeps spared, the common sentences stay set aside.
    spared = pipeline.checking.spared_beside
    monkeypatch.setattr(pipeline.checking, "spared_beside", lambda held, other, keeps, commons, related=False: spared(
        held, other, keeps, commons))
    assert wanted not in {(p.a, p.b) for p in dupefind.scan([str(tmp_path)], Config(jobs=1)).pairs}


def test_an_answer_rewording_the_class_heavily_is_proposed_by_the_sources_held_rows(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The source holds the class's common sentences, so its content windows are sketched
    without them; its held rows, on all its words, still collide with a heavy rewording."""
    _write(tmp_path, {CLASS_SOURCE: sample_text(CLASS_SOURCE), **class_answers(5), "heavy.txt": CLASS_HEAVY})
    wanted = tuple(sorted((str(tmp_path / CLASS_SOURCE), str(tmp_path / "heavy.txt"))))
    assert wanted in {(p.a, p.b) for p in dupefind.scan([str(tmp_path)], Config(jobs=1)).pairs}
    with_held_rows = resketch.with_held_rows

    def without_held(sketches: Sketches, documents: np.ndarray, rows: Sketches) -> Sketches:
        out = with_held_rows(sketches, documents, rows)
        clean = ~out.flags()
        return Sketches(out.owners[clean], out.signatures[clean], out.sizes[clean])

    monkeypatch.setattr(resketch.tasks, "with_held_rows", without_held)  # the control: no held rows
    assert wanted not in {(p.a, p.b) for p in dupefind.scan([str(tmp_path)], Config(jobs=1)).pairs}


def test_a_page_of_site_furniture_pairs_with_no_page_of_a_large_site(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A page that is only the site's header and footer keeps them (they are most of it), but
    found in 4 x --boilerplate-min-docs pages they are widespread, and spared in no partner:
    the stub pairs with none of the 24 pages (it would with each, tying them all into one
    cluster)."""
    _write(tmp_path, site_pages(24))
    stub = str(tmp_path / "stub.txt")
    report = dupefind.scan([str(tmp_path)], Config(jobs=1))
    assert not any(stub in (p.a, p.b) for p in report.pairs)
    monkeypatch.setattr(boilerplate, "WIDESPREAD", 100)  # the control: spared, it pairs
    assert sum(stub in (p.a, p.b) for p in dupefind.scan([str(tmp_path)], Config(jobs=1)).pairs) == 24


def test_files_running_different_widespread_texts_do_not_pair_on_the_stretch_they_share(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Licence files, as a system's documentation holds by the hundred: each is mostly one of
    two texts run in a dozen files (its licence) and a disclaimer run in all 24 (widespread),
    so each keeps its common text as its content. Two files under one licence are copies; two
    under different licences share only the disclaimer, furniture of that pair as of any other:
    no pair (with it, all 144 would tie the two groups into one cluster)."""
    disclaimer = " ".join(sample_text("062_garden_birds_in_winter.txt").split()[:60])
    licences = {"a": sample_text("012_allotment_waiting_lists.txt"), "b": sample_text("060_winter_cycle_commuting.txt")}
    _write(tmp_path, {f"{licence}_{k:02d}.txt": f"Files: package-{licence}-{k}\nCopyright: {2000 + k} Maintainer number {k}\n\n"
                      f"{text}\n\n{disclaimer}\n" for licence, text in licences.items() for k in range(12)})

    def crossing(report: dupefind.Report) -> int:
        return sum(Path(p.a).name[0] != Path(p.b).name[0] for p in report.pairs)

    report = dupefind.scan([str(tmp_path)], Config(jobs=1))
    assert len(report.pairs) == 2 * 66 and crossing(report) == 0 and len(report.clusters) == 2
    # The control: without the disclaimer set aside, every crossing pair shares it as a passage.
    monkeypatch.setattr(pipeline.checking, "shunned_beside", lambda *args: np.empty(0, dtype=np.uint64))
    assert crossing(dupefind.scan([str(tmp_path)], Config(jobs=1))) == 144


def test_nothing_to_scan_raises_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="nothing to scan"):
        dupefind.scan([str(tmp_path / "missing.txt"), str(tmp_path / "gone")])


def test_empty_folder_is_nothing_to_scan(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"nothing to scan: no file under .* \(empty folder"):
        dupefind.scan([str(tmp_path)])


def test_no_input_at_all_is_nothing_to_scan_said_plainly() -> None:
    with pytest.raises(InputError, match="no file or folder was given"):
        dupefind.scan([])
    with pytest.raises(InputError, match="no text was given"):
        dupefind.scan_texts([])


def test_an_empty_jsonl_file_named_is_nothing_to_scan_said_of_a_file(tmp_path: Path) -> None:
    (tmp_path / "records.jsonl").write_text("", encoding="utf-8")
    with pytest.raises(InputError, match=r"records.jsonl held no record \(an empty JSONL or Parquet file\)"):
        dupefind.scan([str(tmp_path / "records.jsonl")])


def test_repeated_ids_are_skipped(tmp_path: Path) -> None:
    text = sample_text("040_night_trains_return.txt")
    (tmp_path / "a.jsonl").write_text(json.dumps({"id": "same", "text": text}) + "\n", encoding="utf-8")
    (tmp_path / "b.jsonl").write_text(json.dumps({"id": "same", "text": text}) + "\n", encoding="utf-8")
    report = dupefind.scan([str(tmp_path)])
    assert [d.id for d in report.documents] == ["same"]
    (document,) = report.documents
    (skipped,) = report.skipped
    assert {document.path, skipped.path.removesuffix(":1")} == {f"{tmp_path}/a.jsonl", f"{tmp_path}/b.jsonl"}
    assert "duplicate id 'same'" in skipped.reason and document.path in skipped.reason
    assert os.path.exists(tmp_path / "b.jsonl")


@pytest.mark.parametrize("scheme", ["words", "chars"])
def test_other_schemes_find_the_verbatim_copy(at_repo: Path, scheme: str) -> None:
    report = dupefind.scan(["samples/010_elm_street_community_garden.txt", "samples/011_elm_street_garden_repost.txt",
                            "samples/040_night_trains_return.txt"], Config(scheme=scheme))  # type: ignore[arg-type]
    assert [(p.a, p.b) for p in report.pairs] == [
        ("samples/010_elm_street_community_garden.txt", "samples/011_elm_street_garden_repost.txt")]
    assert report.config["scheme"] == scheme


# How each planted copy was made (samples/ANSWERS.md), as the kinds a pair is labelled with.
PLANTED_KINDS = {
    "000_313ab52531fab2be.txt": "spun",
    "010_elm_street_community_garden.txt": "verbatim",
    "020_tidal_power_explainer.txt": "partial",
    "030_sourdough_first_month.html": "reordered",
    "040_night_trains_return.txt": "spun",
}


def test_planted_pairs_are_labelled_with_how_they_were_made(at_repo: Path) -> None:
    report = dupefind.scan(["samples"], Config(exclude=("ANSWERS.md",)))
    labels = {Path(p.a).name: p.relation for p in report.pairs}
    assert set(labels) == set(PLANTED_KINDS)
    for name, kind in PLANTED_KINDS.items():
        relation = labels[name]
        assert relation is not None and kind in relation.kinds, (name, relation)
    spun = labels["040_night_trains_return.txt"]
    assert spun is not None and spun.substituted >= 0.1 and spun.substitutions
    verbatim = labels["010_elm_street_community_garden.txt"]
    assert verbatim is not None and verbatim.identical >= 0.95 and "spun" not in verbatim.kinds


def test_identical_short_texts_are_labelled_verbatim(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("The meeting moved to Tuesday.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("the MEETING moved to tuesday!", encoding="utf-8")
    (pair,) = dupefind.scan([str(tmp_path)]).pairs
    assert pair.duplicate
    assert pair.relation is not None and "verbatim" in pair.relation.kinds, pair.relation


def test_texts_that_share_nothing_are_not_labelled_similar() -> None:
    """"similar" means a rewrite or summary (README, "Explaining a pair"), not "unrelated"."""
    pair = dupefind.compare(sample_text("040_night_trains_return.txt"), sample_text("062_garden_birds_in_winter.txt"))
    assert not pair.duplicate and pair.passages == ()
    assert pair.relation is None or "similar" not in pair.relation.kinds, pair.relation


def test_a_scans_pairs_are_held_packed_and_read_as_pairs() -> None:
    """A scan keeps its pairs compressed; read back they are whole pairs, passages and all."""
    report = dupefind.scan([str(SAMPLES)], Config(exclude=("ANSWERS.md",)))
    pairs = report.pairs
    assert isinstance(pairs, Pairs) and len(pairs) == 5
    listed = list(pairs)
    assert pairs == tuple(listed) and tuple(listed) == pairs and pairs == Pairs(listed)
    assert pairs[0] == listed[0] and pairs[-1] == listed[-1]
    assert list(pairs[1:3]) == listed[1:3]
    assert pairs != tuple(listed[:4]) and pairs != Pairs(listed[::-1])
    seed = next(p for p in pairs if "313ab52531fab2be" in p.a)
    texts = [sample_text(name) for name in ("000_313ab52531fab2be.txt", "001_633f16316fbadcf5.txt")]
    assert seed.passages and all(texts[0][p.a_start : p.a_end] == p.a_text and texts[1][p.b_start : p.b_end] == p.b_text
                                 and p.edits for p in seed.passages)
    packed = PackedPair.of(seed)
    assert packed.unpack() == seed
    assert len(packed.data) < len(pickle.dumps(seed)) / 2


def test_an_excerpt_inside_a_long_article_is_proposed_and_found(tmp_path: Path) -> None:
    """A ~150-word excerpt of one article pasted into a long article made of others: the
    whole-text view sees a small share of the host; a window of the host holds the excerpt."""
    from dupefind.candidates import candidate_pairs
    from dupefind.catalog import build_catalog
    from dupefind.sources import plan_reading
    from dupefind.views import candidate_views

    samples = Path(__file__).resolve().parents[1] / "samples"
    words = (samples / "020_tidal_power_explainer.txt").read_text("utf-8").split()
    excerpt = " ".join(words[100:250])
    others = ["012_allotment_waiting_lists.txt", "053_carers_drop_in_opens.txt", "060_winter_cycle_commuting.txt",
              "061_library_of_things.txt", "062_garden_birds_in_winter.txt", "052_online_forums_mental_health.txt"]
    parts = [(samples / name).read_text("utf-8") for name in others]
    host = "\n\n".join(parts[:3] + [excerpt] + parts[3:])
    (tmp_path / "host.txt").write_text(host, "utf-8")
    (tmp_path / "excerpt.txt").write_text(excerpt, "utf-8")
    assert len(host.split()) > 1500
    views = candidate_views(scheme="stopwords", ngram=8, num_perm=128, lsh_threshold=0.1, threshold=0.2)
    catalog = build_catalog(list(plan_reading([str(tmp_path)])), views=views, seed=1, min_words=50,
                            boilerplate_min_docs=5)
    assert candidate_pairs(catalog.sketches[1:], views=views[1:]) == [(0, 1)]  # the content windows
    report = dupefind.scan([str(tmp_path)], dupefind.Config(jobs=1))
    assert [(Path(p.a).name, Path(p.b).name) for p in report.pairs] == [("excerpt.txt", "host.txt")]


def test_a_reworded_excerpt_inside_a_long_article_is_proposed_and_found(tmp_path: Path) -> None:
    """The same excerpt reworded by hand, as far as word pairs go: the words of each sentence
    in another order and one word in seven replaced. Few pairs of neighbouring words survive;
    the content windows see the same words and propose the pair, which is verified a copy."""
    import random

    from dupefind.candidates import candidate_pairs
    from dupefind.catalog import build_catalog
    from dupefind.sources import plan_reading
    from dupefind.views import candidate_views

    samples = Path(__file__).resolve().parents[1] / "samples"
    original = (samples / "020_tidal_power_explainer.txt").read_text("utf-8").split()[100:250]
    draw = random.Random(4)
    sentences, sentence = [], []
    for word in original:
        sentence.append(word.strip(".,;:"))
        if word.endswith("."):
            sentences.append(sentence)
            sentence = []
    reworded = []
    for words in sentences + [sentence]:
        draw.shuffle(words)
        reworded.append(" ".join("also" if k % 7 == 6 else w for k, w in enumerate(words)).capitalize() + ".")
    others = ["012_allotment_waiting_lists.txt", "053_carers_drop_in_opens.txt", "060_winter_cycle_commuting.txt",
              "061_library_of_things.txt", "062_garden_birds_in_winter.txt", "052_online_forums_mental_health.txt"]
    parts = [(samples / name).read_text("utf-8") for name in others]
    (tmp_path / "host.txt").write_text("\n\n".join(parts[:3] + [" ".join(reworded)] + parts[3:]), "utf-8")
    (tmp_path / "excerpt.txt").write_text(" ".join(original), "utf-8")
    views = candidate_views(scheme="stopwords", ngram=8, num_perm=128, lsh_threshold=0.1, threshold=0.2)
    catalog = build_catalog(list(plan_reading([str(tmp_path)])), views=views, seed=1, min_words=50,
                            boilerplate_min_docs=5)
    assert candidate_pairs(catalog.sketches[:1], views=views[:1]) == []  # no stopword 8-gram survives
    assert candidate_pairs(catalog.sketches[1:], views=views[1:]) == [(0, 1)]  # the content windows
    report = dupefind.scan([str(tmp_path)], dupefind.Config(jobs=1))
    assert [(Path(p.a).name, Path(p.b).name) for p in report.pairs] == [("excerpt.txt", "host.txt")]


def test_tasks_hold_every_candidate_once_and_few_documents_per_pair() -> None:
    """Candidates of documents sharing quotes (cliques that overlap, spanning the collection):
    the tasks hold each pair once, whatever order the candidates came in, and re-read far fewer
    documents than one per pair."""
    import random

    from dupefind.pipeline.tasks import _grouped

    draw = random.Random(3)
    cliques = [draw.sample(range(2000), 12) for _ in range(400)]
    candidates = sorted({(min(a, b), max(a, b)) for clique in cliques for a in clique for b in clique if a != b})
    tasks = list(_grouped(candidates))
    assert sorted(pair for task in tasks for pair in task) == candidates
    shuffled = candidates[:]
    draw.shuffle(shuffled)
    assert sorted(pair for task in _grouped(shuffled) for pair in task) == candidates
    reads = sum(len({d for pair in task for d in pair}) for task in tasks)
    assert reads < 0.8 * len(candidates)  # sorted by document index: 1.05 per pair


def _small_collection(folder: Path) -> dict[str, str]:
    """The plain-text samples but the six pages that carry one site's furniture (``compare``
    sees two texts alone and counts furniture as evidence; a scan sets it aside), and two
    articles that share one paragraph, reworded in one of them (a copy only the alignment
    sees), written to ``folder``: their texts by file name."""
    from test_align_sentences import reworded

    site = {"012", "050", "052", "060", "061", "062"}  # samples/ANSWERS.md: "the shared site boilerplate"
    texts = {path.name: path.read_text(encoding="utf-8") for path in sorted(SAMPLES.glob("*.txt"))
             if path.name[:3] not in site}
    night = next(p for p in sample_text("040_night_trains_return.txt").split("\n\n") if len(p.split()) > 60)
    texts["rewrite_host_a.txt"] = sample_text("013_how_to_start_a_community_garden.txt") + "\n\n" + night
    texts["rewrite_host_b.txt"] = (sample_text("053_carers_drop_in_opens.txt") + "\n\n"
                                   + reworded(night, random.Random(3)))
    _write(folder, texts)
    return texts


def test_a_small_collection_reports_what_compare_reports_of_every_pair(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A collection of at most ``EXHAUSTIVE_DOCUMENTS`` documents has every pair verified: with
    LSH proposing nothing at all, the scan reports exactly the pairs ``compare`` reports."""
    from conftest import EXHAUSTIVE_DOCUMENTS

    from dupefind import candidates

    texts = _small_collection(tmp_path)
    monkeypatch.setattr(candidates, "EXHAUSTIVE_DOCUMENTS", EXHAUSTIVE_DOCUMENTS)
    monkeypatch.setattr(pipeline, "candidate_pairs", lambda *args, **kwargs: [])
    assert len(texts) <= EXHAUSTIVE_DOCUMENTS
    found = {frozenset((Path(p.a).name, Path(p.b).name)) for p in dupefind.scan(str(tmp_path)).pairs}
    names = sorted(texts)
    expected = {frozenset((a, b)) for k, a in enumerate(names) for b in names[k + 1:]
                if dupefind.compare(texts[a], texts[b]).duplicate}
    assert frozenset(("rewrite_host_a.txt", "rewrite_host_b.txt")) in expected
    assert len(expected) >= 3
    assert found == expected


@pytest.mark.parametrize("past", ["documents", "words"])
def test_a_larger_collection_has_the_lsh_candidates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     past: str) -> None:
    """Past either limit (documents, or words times documents less one) only LSH (here
    proposing nothing) and identical texts make candidates."""
    from conftest import EXHAUSTIVE_DOCUMENTS

    from dupefind import candidates

    texts = _small_collection(tmp_path)
    words = sum(d.words for d in dupefind.scan(str(tmp_path)).documents)
    monkeypatch.setattr(candidates, "EXHAUSTIVE_DOCUMENTS", len(texts) - 1 if past == "documents" else EXHAUSTIVE_DOCUMENTS)
    monkeypatch.setattr(candidates, "EXHAUSTIVE_WORD_PAIRS", (len(texts) - 1) * words - (past == "words"))
    assert candidates.exhaustive(len(texts), words) is False
    monkeypatch.setattr(candidates, "EXHAUSTIVE_DOCUMENTS", len(texts))
    monkeypatch.setattr(candidates, "EXHAUSTIVE_WORD_PAIRS", (len(texts) - 1) * words)
    assert candidates.exhaustive(len(texts), words) is True
    monkeypatch.setattr(candidates, "EXHAUSTIVE_DOCUMENTS", len(texts) - 1 if past == "documents" else EXHAUSTIVE_DOCUMENTS)
    monkeypatch.setattr(candidates, "EXHAUSTIVE_WORD_PAIRS", (len(texts) - 1) * words - (past == "words"))
    monkeypatch.setattr(pipeline, "candidate_pairs", lambda *args, **kwargs: [])
    found = {frozenset((Path(p.a).name, Path(p.b).name)) for p in dupefind.scan(str(tmp_path)).pairs}
    names = sorted(texts)
    identical = {frozenset((a, b)) for k, a in enumerate(names) for b in names[k + 1:]
                 if texts[a].split() == texts[b].split()}
    assert found == identical


def test_tasks_of_every_pair_read_each_document_a_few_times() -> None:
    """Every pair of 100 documents (a small collection): tasks of tiles, each document read
    about once per tile of the others (pairs sorted by their two numbers alone: 3,262 reads)."""
    from dupefind.pipeline.tasks import DOCUMENTS_PER_TASK, _grouped

    candidates = [(a, b) for a in range(100) for b in range(a + 1, 100)]
    tasks = list(_grouped(candidates))
    assert sorted(pair for task in tasks for pair in task) == candidates
    assert all(len({d for pair in task for d in pair}) <= DOCUMENTS_PER_TASK for task in tasks)
    assert sum(len({d for pair in task for d in pair}) for task in tasks) <= 700


def test_dense_candidates_go_in_tasks_of_large_tiles() -> None:
    """Texts written from one small vocabulary: each document a candidate with dozens of others
    chosen at random. Tasks of 64 documents read each document about once per pair; tiles of
    many documents read it a few times in all, within the words a task may hold."""
    import random

    from dupefind.pipeline.tasks import WORDS_PER_DENSE_TASK, _grouped, _reads

    draw = random.Random(5)
    candidates = sorted({(min(a, b), max(a, b)) for a, b in ((draw.randrange(3000), draw.randrange(3000))
                                                              for _ in range(60_000)) if a != b})
    words = np.full(3000, 80, dtype=np.int64)
    plain = list(_grouped(candidates))
    dense = list(_grouped(candidates, words=words, jobs=2))
    assert sorted(pair for task in dense for pair in task) == candidates
    assert _reads(plain) > 0.9 * len(candidates)
    assert _reads(dense) < 0.25 * len(candidates)  # 0.2 here: five tiles of 600, 15 pairs of tiles
    assert len(dense) >= 8  # four tasks a worker at least
    assert all(80 * len({d for pair in task for d in pair}) <= WORDS_PER_DENSE_TASK for task in dense)
    # Sparse candidates keep the tasks they had.
    sparse = candidates[:500]
    assert list(_grouped(sparse, words=words, jobs=2)) == list(_grouped(sparse))


def test_answers_to_one_question_copies_found_independent_answers_not(monkeypatch: pytest.MonkeyPatch) -> None:
    """``benchmarks/answers/`` (written for the project): sources with cut, light and heavy
    copies of each, and for four questions four answers written independently. A scan
    reports every cut and light copy with its source and the heavy copies of the first four
    questions (those of the ten others are reworded so thoroughly that some share no passage
    the verdict can see: measured in benchmarks/RESULTS.md), and no pair but copies with their
    source and copies of one source with each other (88 same-question pairs copy nothing)."""
    from conftest import EXHAUSTIVE_DOCUMENTS, REPO

    from dupefind import candidates

    monkeypatch.setattr(candidates, "EXHAUSTIVE_DOCUMENTS", EXHAUSTIVE_DOCUMENTS)
    folder = REPO / "benchmarks" / "answers"
    names = sorted(p.name for p in folder.glob("*.txt"))
    found = {frozenset((Path(p.a).name, Path(p.b).name)) for p in dupefind.scan(str(folder)).pairs}
    topic = {name: name.split("-")[0] for name in names}
    kind = {name: name.removesuffix(".txt").split("-")[1] for name in names}
    copies = {frozenset((name, f"{topic[name]}-source.txt")) for name in names if kind[name] in ("cut", "light", "heavy")}
    required = {pair for pair in copies if all(kind[n] != "heavy" or topic[n] in ("bayes", "dynamic", "inheritance",
                                                                                      "pagerank") for n in pair)}
    between = {frozenset((a, b)) for a in names for b in names if a != b and topic[a] == topic[b]
               and kind[a] in ("cut", "light", "heavy") and kind[b] in ("cut", "light", "heavy")}
    assert len(required) == 4 * 3 + 10 * 3 and sum(kind[n] == "answer" for n in names) == 16
    assert required <= found <= copies | between


def test_a_process_keeps_the_documents_it_screened_across_tasks(tmp_path: Path) -> None:
    """A document in the pairs of two tasks run by one process is re-read once (dense candidates
    pair each document with dozens of others, in many tasks), and the tasks give what they give
    with nothing kept."""
    from dupefind.pipeline import check_pairs
    from dupefind.pipeline.kept import KEPT
    from dupefind.pipeline.tasks import _pair_task
    from dupefind.sources import load_text, plan_reading
    from dupefind.views import candidate_views

    for name in ("040_night_trains_return.txt", "041_overnight_train_comeback_spun.txt", "060_winter_cycle_commuting.txt"):
        (tmp_path / name).write_text(sample_text(name), encoding="utf-8")
    views = candidate_views(scheme="stopwords", ngram=8, num_perm=128, lsh_threshold=0.1, threshold=0.2)
    catalog = pipeline.build_catalog(list(plan_reading([str(tmp_path)])), views=views, seed=1, min_words=50,
                                     boilerplate_min_docs=5)
    config = Config(jobs=1)
    read: list[str] = []

    def load(location: Location) -> str:
        read.append(Path(location.path).name)
        return load_text(location, text_field="text")

    tasks = [_pair_task([(0, 1)], catalog), _pair_task([(0, 2), (1, 2)], catalog)]
    KEPT.clear()
    try:
        kept = [check_pairs(task, commons=catalog.commons, config=config, load=load) for task in tasks]
        assert sorted(read) == sorted(path.name for path in tmp_path.iterdir())  # each once
        fresh = []
        for task in tasks:
            KEPT.clear()
            fresh.append(check_pairs(task, commons=catalog.commons, config=config, load=load))
        assert len(read) == 3 + 2 + 3  # with nothing kept: each task reads its documents
        assert kept == fresh and len(kept[0].pairs) == 1
    finally:
        KEPT.clear()


def test_the_documents_kept_are_bounded_by_their_words() -> None:
    from dupefind.boilerplate import Commons
    from dupefind.pipeline.kept import KeptDocuments, Made
    from dupefind.screen import screened

    kept = KeptDocuments(words=25)
    docs = [screened(f"d{k}", " ".join(["word"] * 10), commons=Commons(), scheme="stopwords", ngram=8, min_words=50)
            for k in range(4)]
    for k, doc in enumerate(docs):
        kept.put(("k", k), doc)
        assert kept.words <= 25
    assert kept.get(("k", 0)) is None and kept.get(("k", 3)) is not None  # the oldest went first
    assert kept.put(("k", 9), screened("big", " ".join(["word"] * 40), commons=Commons(), scheme="stopwords",
                                       ngram=8, min_words=50)) == Made() and kept.get(("k", 9)) is None
