"""Hand-computed checks of the PAN measures in benchmarks/pan_measures.py."""

from __future__ import annotations

import json
import math
import random
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "benchmarks"))

import pan13
from pan_measures import (
    CASE_FEATURE,
    DETECTION_FEATURE,
    Span,
    count_chars,
    detects,
    evaluate,
    granularity,
    macro_precision,
    macro_recall,
    pair_from_xml_name,
    plagdet,
    plagdet_score,
    read_annotations,
    read_annotations_dir,
    write_detections,
    xml_name,
)

PAIR = ("suspicious-document00001.txt", "source-document00002.txt")
CASE = Span(100, 200, 1000, 200)


def test_perfect_detection_scores_one() -> None:
    cases = {PAIR: [CASE]}
    scores = evaluate(cases, {PAIR: [CASE]})
    assert scores.precision == 1.0
    assert scores.recall == 1.0
    assert scores.granularity == 1.0
    assert scores.plagdet == 1.0


def test_half_covering_detection() -> None:
    # First half of the case on both sides: 100 + 100 of its 200 + 200 characters.
    half = Span(100, 100, 1000, 100)
    cases, dets = {PAIR: [CASE]}, {PAIR: [half]}
    assert macro_recall(cases, dets) == pytest.approx(0.5)
    assert macro_precision(cases, dets) == pytest.approx(1.0)
    assert granularity(cases, dets) == 1.0
    # F1(1, 0.5) = 2/3, granularity 1.
    assert plagdet(cases, dets) == pytest.approx(2 / 3)


def test_half_on_one_side_only_counts_that_side() -> None:
    # Whole suspicious side (200) but only half of the source side (100): 300 / 400.
    dets = {PAIR: [Span(100, 200, 1000, 100)]}
    assert macro_recall({PAIR: [CASE]}, dets) == pytest.approx(0.75)


def test_two_disjoint_halves_granularity_two() -> None:
    first = Span(100, 100, 1000, 100)
    second = Span(200, 100, 1100, 100)
    cases, dets = {PAIR: [CASE]}, {PAIR: [first, second]}
    scores = evaluate(cases, dets)
    assert scores.recall == pytest.approx(1.0)
    assert scores.precision == pytest.approx(1.0)
    assert scores.granularity == pytest.approx(2.0)
    assert scores.plagdet == pytest.approx(1 / math.log2(3))


def test_detection_without_case_has_precision_zero() -> None:
    other_pair = ("suspicious-document00003.txt", "source-document00004.txt")
    stray = Span(0, 50, 0, 50)
    # Alone: no case anywhere -> precision 0 and recall 0 (official convention).
    assert macro_precision({}, {other_pair: [stray]}) == 0.0
    assert macro_recall({}, {other_pair: [stray]}) == 0.0
    assert plagdet({}, {other_pair: [stray]}) == 0.0
    # Next to a perfect detection it halves the precision: (1 + 0) / 2.
    cases = {PAIR: [CASE]}
    dets = {PAIR: [CASE], other_pair: [stray]}
    assert macro_precision(cases, dets) == pytest.approx(0.5)
    assert macro_recall(cases, dets) == pytest.approx(1.0)


def test_detection_in_same_pair_off_the_case_has_precision_zero() -> None:
    # Overlaps the case on the suspicious side only: does not detect it.
    wrong_source = Span(100, 200, 5000, 200)
    assert not detects(CASE, wrong_source)
    cases, dets = {PAIR: [CASE]}, {PAIR: [wrong_source]}
    assert macro_precision(cases, dets) == 0.0
    assert macro_recall(cases, dets) == 0.0
    assert granularity(cases, dets) == 1.0


def test_no_detections() -> None:
    cases = {PAIR: [CASE]}
    assert macro_recall(cases, {}) == 0.0
    assert macro_recall(cases, {PAIR: []}) == 0.0
    assert macro_precision(cases, {}) == 0.0
    assert granularity(cases, {}) == 1.0
    assert plagdet(cases, {}) == 0.0


def test_no_cases_and_no_detections_is_perfect() -> None:
    # Official convention: the empty detection of an empty truth scores 1.
    scores = evaluate({PAIR: []}, {})
    assert (scores.precision, scores.recall, scores.granularity, scores.plagdet) == (1, 1, 1, 1)


def test_same_pair_names_must_match() -> None:
    swapped = (PAIR[0], "source-document09999.txt")
    assert macro_recall({PAIR: [CASE]}, {swapped: [CASE]}) == 0.0


def test_repeated_detection_counts_once() -> None:
    # The official evaluator reads annotations into sets.
    scores = evaluate({PAIR: [CASE]}, {PAIR: [CASE, CASE]})
    assert scores.granularity == 1.0
    assert scores.plagdet == 1.0


def test_touching_ranges_do_not_overlap() -> None:
    assert not detects(Span(0, 100, 0, 100), Span(100, 10, 0, 10))
    assert detects(Span(0, 100, 0, 100), Span(99, 1, 99, 1))


def test_multi_case_corpus() -> None:
    """Three pairs, three cases, five detections.

    Cases:
      c1 = P1 this [0,100)   src [0,100)    size 200
      c2 = P1 this [200,300) src [300,400)  size 200
      c3 = P2 this [0,50)    src [0,50)     size 100   (never detected)
    Detections:
      d1 = P1 this [0,100)   src [0,100)    = c1                      -> covers 200/200 of itself
      d2 = P1 this [250,350) src [350,400)  size 150; overlaps c2 on
           this [250,300) = 50 and src [350,400) = 50                 -> precision 100/150 = 2/3
      d5 = P1 this [200,210) src [300,310)  size 20, inside c2        -> precision 20/20 = 1
      d3 = P1 this [500,520) src [600,620)  touches no case           -> precision 0
      d4 = P3 this [0,10)    src [0,10)     pair without cases        -> precision 0
    Recall:
      c1: 200/200 = 1
      c2: this side [200,210) U [250,300) = 10 + 50 = 60,
          src side  [300,310) U [350,400) = 10 + 50 = 60  -> 120/200 = 0.6
      c3: 0
      recall = (1 + 0.6 + 0) / 3 = 1.6 / 3 = 8/15
    Precision = (1 + 2/3 + 1 + 0 + 0) / 5 = (8/3) / 5 = 8/15
    Granularity: c1 <- {d1}, c2 <- {d2, d5}, c3 undetected -> (1 + 2) / 2 = 1.5
    F1 = 8/15 (precision == recall); plagdet = (8/15) / log2(2.5) = 0.40345...
    """
    p1, p2, p3 = ("s1", "r1"), ("s2", "r2"), ("s3", "r3")
    cases = {
        p1: [Span(0, 100, 0, 100), Span(200, 100, 300, 100)],
        p2: [Span(0, 50, 0, 50)],
    }
    dets = {
        p1: [
            Span(0, 100, 0, 100),
            Span(250, 100, 350, 50),
            Span(200, 10, 300, 10),
            Span(500, 20, 600, 20),
        ],
        p3: [Span(0, 10, 0, 10)],
    }
    scores = evaluate(cases, dets)
    assert scores.recall == pytest.approx(8 / 15)
    assert scores.precision == pytest.approx(8 / 15)
    assert scores.granularity == pytest.approx(1.5)
    assert scores.plagdet == pytest.approx((8 / 15) / math.log2(2.5))
    assert scores.plagdet == pytest.approx(0.403451, abs=1e-6)


@pytest.mark.parametrize(
    ("case", "detections", "expected"),
    [
        (Span(0, 100, 0, 100), [Span(50, 100, 50, 100)], 0.5),
        (Span(0, 100, 0, 100), [Span(25, 75, 25, 75)], 0.75),
        (Span(0, 100, 0, 100), [Span(50, 100, 50, 100), Span(25, 75, 25, 75)], 0.75),
        (Span(0, 100, 0, 100), [Span(0, 200, 0, 200)], 1.0),
        (Span(0, 100, 0, 100), [Span(100, 100, 100, 100)], 0.0),
    ],
)
def test_single_case_recall(case: Span, detections: list[Span], expected: float) -> None:
    assert macro_recall({PAIR: [case]}, {PAIR: detections}) == pytest.approx(expected)


def test_precision_averages_over_detections() -> None:
    # [100,200) misses the case (0), [0,200) is half case (0.5): mean 0.25.
    dets = {PAIR: [Span(100, 100, 100, 100), Span(0, 200, 0, 200)]}
    assert macro_precision({PAIR: [Span(0, 100, 0, 100)]}, dets) == pytest.approx(0.25)


def test_plagdet_score_formula() -> None:
    assert plagdet_score(1.0, 1.0, 1.0) == 1.0
    assert plagdet_score(0.0, 0.0, 1.0) == 0.0
    assert plagdet_score(1.0, 0.5, 1.0) == pytest.approx(2 / 3)
    assert plagdet_score(0.75, 0.25, 2.0) == pytest.approx(0.375 / math.log2(3))
    assert plagdet_score(1.0, 1.0, 0.5) == 0.0


def test_span_rejects_negative_values() -> None:
    with pytest.raises(ValueError):
        Span(-1, 10, 0, 10)


def test_xml_names_round_trip() -> None:
    assert xml_name(PAIR) == "suspicious-document00001-source-document00002.xml"
    assert pair_from_xml_name(xml_name(PAIR)) == PAIR
    with pytest.raises(ValueError):
        pair_from_xml_name("notes.xml")


def test_read_case_xml(tmp_path: Path) -> None:
    path = tmp_path / xml_name(PAIR)
    path.write_text(
        '<document reference="suspicious-document00001.txt">\n'
        '<feature name="about" authors="x" />\n'
        '<feature name="plagiarism" obfuscation="random" this_offset="100" this_length="200"'
        ' source_reference="source-document00002.txt" source_offset="1000"'
        ' source_length="200" type="artificial" />\n'
        "</document>\n",
        encoding="utf-8",
    )
    assert read_annotations(path) == {PAIR: [CASE]}
    assert read_annotations(path, DETECTION_FEATURE) == {}


def test_detection_xml_round_trip(tmp_path: Path) -> None:
    spans = [CASE, Span(5, 6, 7, 8)]
    path = write_detections(tmp_path / "out", PAIR, spans)
    assert path.name == xml_name(PAIR)
    text = path.read_text(encoding="utf-8")
    assert 'name="detected-plagiarism"' in text
    assert 'reference="suspicious-document00001.txt"' in text
    assert read_annotations(path, DETECTION_FEATURE) == {PAIR: spans}
    assert read_annotations(path, CASE_FEATURE) == {}


def test_read_dir_keeps_pairs_without_spans(tmp_path: Path) -> None:
    write_detections(tmp_path, PAIR, [])
    other = ("suspicious-document00009.txt", "source-document00010.txt")
    write_detections(tmp_path, other, [CASE])
    found = read_annotations_dir(tmp_path, DETECTION_FEATURE)
    assert found == {PAIR: [], other: [CASE]}


def test_count_chars_counts_overlaps_once() -> None:
    # Suspicious side [0,10) U [5,20) = 20, source side [0,10) U [50,60) = 20.
    assert count_chars([Span(0, 10, 0, 10), Span(5, 15, 50, 10)]) == 40
    assert count_chars([]) == 0


# --------------------------------------------------------------------------
# The benchmark harness (benchmarks/pan13.py) on a tiny synthetic corpus
# --------------------------------------------------------------------------


def _words(seed: int, count: int) -> str:
    """Deterministic filler text of ``count`` distinct-looking words."""
    rng = random.Random(seed)
    return " ".join(f"w{rng.randrange(100_000)}" for _ in range(count))


def _write_case_xml(path: Path, pair: tuple[str, str], spans: list[Span]) -> None:
    features = "".join(
        f'<feature name="plagiarism" this_offset="{s.this_offset}" this_length="{s.this_length}"'
        f' source_reference="{pair[1]}" source_offset="{s.source_offset}"'
        f' source_length="{s.source_length}" obfuscation="none" />\n'
        for s in spans
    )
    path.write_text(f'<document reference="{pair[0]}">\n{features}</document>\n', "utf-8")


def _tiny_corpus(root: Path) -> None:
    """02: one verbatim 60-word case; 01: one unrelated pair."""
    for folder in ("susp", "src", "01-no-plagiarism", "02-no-obfuscation"):
        (root / folder).mkdir(parents=True)
    passage = _words(1, 60)
    susp_head, src_head = _words(2, 200) + " ", _words(3, 150) + " "
    (root / "susp" / "suspicious-document00001.txt").write_text(
        susp_head + passage + " " + _words(4, 100), "utf-8"
    )
    (root / "src" / "source-document00001.txt").write_text(
        src_head + passage + " " + _words(5, 100), "utf-8"
    )
    (root / "susp" / "suspicious-document00002.txt").write_text(_words(6, 300), "utf-8")
    (root / "src" / "source-document00002.txt").write_text(_words(7, 300), "utf-8")
    pos = ("suspicious-document00001.txt", "source-document00001.txt")
    neg = ("suspicious-document00002.txt", "source-document00002.txt")
    case = Span(len(susp_head), len(passage), len(src_head), len(passage))
    for folder, pair, spans in (
        ("02-no-obfuscation", pos, [case]),
        ("01-no-plagiarism", neg, []),
    ):
        (root / folder / "pairs").write_text(" ".join(pair) + "\n", "utf-8")
        _write_case_xml(root / folder / xml_name(pair), pair, spans)


def test_naive_aligner_finds_verbatim_passage() -> None:
    passage = _words(1, 40)
    a = _words(2, 50) + " " + passage + " " + _words(3, 50)
    b = _words(4, 30) + " " + passage
    result = pan13.naive_align(a, b)
    assert result.duplicate
    assert result.spans == (Span(a.index(passage), len(passage), b.index(passage), len(passage)),)
    assert not pan13.naive_align(_words(5, 300), _words(6, 300)).duplicate


def test_harness_end_to_end(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    corpus, out, report = tmp_path / "corpus", tmp_path / "out", tmp_path / "r.json"
    _tiny_corpus(corpus)
    argv = [str(corpus), "--aligner", "naive", "--jobs", "1", "--out", str(out)]
    assert pan13.main([*argv, "--json", str(report)]) == 0
    assert (
        "| 02-no-obfuscation | 1 | 1 | 1.000 | 1.000 | 1.000 | 1.000 |" in capsys.readouterr().out
    )
    figures = json.loads(report.read_text("utf-8"))
    assert figures["pair_detection"]["recall"] == 1.0
    assert figures["pair_detection"]["false_positives"] == 0
    written = read_annotations_dir(out / "02-no-obfuscation", DETECTION_FEATURE)
    truth = read_annotations_dir(corpus / "02-no-obfuscation")
    assert written == truth
    # A second run into the same (now non-empty) folder is refused.
    with pytest.raises(SystemExit):
        pan13.main(argv)
