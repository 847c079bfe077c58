"""PAN plagiarism-detection performance measures and the PAN XML format.

An independent implementation of the character-level measures of

    Martin Potthast, Benno Stein, Alberto Barron-Cedeno and Paolo Rosso.
    "An Evaluation Framework for Plagiarism Detection". COLING 2010.

as computed by the official PAN 2013 text-alignment evaluation script
(``pan13-text-alignment-eval.py`` / ``perfmeasures.py``, macro-averaged).

Vocabulary
----------
A *case* (truth) and a *detection* are both a :class:`Span`: a passage of a
suspicious document (``this_offset``, ``this_length``) together with a passage
of a source document (``source_offset``, ``source_length``), in Unicode
characters.  Each is read as the *set of characters of both passages*.
Collections of cases or detections are mappings from the document pair
``(suspicious_name, source_name)`` to the spans found in that pair.

A detection ``r`` *detects* a case ``s`` when they belong to the same pair and
both their suspicious-side and their source-side character ranges intersect.

Measures (S = all cases of the corpus, R = all detections of the corpus)::

    recall(S, R)      = 1/|S| * sum_{s in S} |s ∩ U{r in R : r detects s}| / |s|
    precision(S, R)   = 1/|R| * sum_{r in R} |r ∩ U{s in S : r detects s}| / |r|
    granularity(S, R) = 1/|S_R| * sum_{s in S_R} |{r in R : r detects s}|
                        where S_R = cases detected by at least one detection
    plagdet(S, R)     = F1(precision, recall) / log2(1 + granularity)

Conventions copied from the official script:

* macro averages run over all cases / detections of the whole corpus, not per
  document;
* no cases and no detections: recall = precision = 1;
  exactly one of the two empty: recall = precision = 0;
* granularity is 1 when there is no detection or no case is detected;
* plagdet is 0 when precision and recall are both 0;
* cases and detections are *sets*: a span repeated within one pair counts once.

One deliberate addition: the official script divides by zero on an empty
span (both lengths 0); here an empty span has coverage 0.
"""

from __future__ import annotations

import math
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "CASE_FEATURE",
    "DETECTION_FEATURE",
    "Annotations",
    "PairKey",
    "Scores",
    "Span",
    "count_chars",
    "detects",
    "evaluate",
    "granularity",
    "macro_precision",
    "macro_recall",
    "pair_from_xml_name",
    "plagdet",
    "plagdet_score",
    "read_annotations",
    "read_annotations_dir",
    "write_detections",
    "xml_name",
]

CASE_FEATURE = "plagiarism"
DETECTION_FEATURE = "detected-plagiarism"

PairKey = tuple[str, str]
"""``(suspicious_document_name, source_document_name)``, e.g. file names."""


@dataclass(frozen=True, order=True)
class Span:
    """A passage pair: character range in the suspicious and in the source document."""

    this_offset: int
    this_length: int
    source_offset: int
    source_length: int

    def __post_init__(self) -> None:
        """Reject negative offsets or lengths."""
        if min(self.this_offset, self.this_length, self.source_offset, self.source_length) < 0:
            raise ValueError(f"negative offset or length in {self!r}")

    @property
    def this_end(self) -> int:
        """End (exclusive) of the suspicious-side range."""
        return self.this_offset + self.this_length

    @property
    def source_end(self) -> int:
        """End (exclusive) of the source-side range."""
        return self.source_offset + self.source_length

    @property
    def size(self) -> int:
        """Number of characters of the span, both sides counted."""
        return self.this_length + self.source_length


Annotations = Mapping[PairKey, Sequence[Span]]
"""Cases or detections of a corpus, grouped by document pair."""


@dataclass(frozen=True)
class Scores:
    """The four PAN figures for one set of cases and detections."""

    precision: float
    recall: float
    granularity: float
    plagdet: float


# --------------------------------------------------------------------------
# Measures
# --------------------------------------------------------------------------


def _ranges_intersect(start_a: int, end_a: int, start_b: int, end_b: int) -> bool:
    """Whether the half-open ranges [start_a, end_a) and [start_b, end_b) share a character."""
    return start_b < end_a and start_a < end_b


def detects(case: Span, detection: Span) -> bool:
    """Whether ``detection`` overlaps ``case`` on the suspicious AND on the source side."""
    return _ranges_intersect(
        case.this_offset, case.this_end, detection.this_offset, detection.this_end
    ) and _ranges_intersect(
        case.source_offset, case.source_end, detection.source_offset, detection.source_end
    )


def _union_within(start: int, end: int, ranges: Iterable[tuple[int, int]]) -> int:
    """Number of characters of [start, end) covered by the union of ``ranges``."""
    clipped = sorted((max(start, lo), min(end, hi)) for lo, hi in ranges)
    covered, reach = 0, start
    for lo, hi in clipped:
        lo = max(lo, reach)
        if hi > lo:
            covered += hi - lo
            reach = hi
    return covered


def _covered_chars(target: Span, others: Sequence[Span]) -> int:
    """Characters of ``target`` (both sides) covered by the spans that overlap it.

    Only spans that overlap ``target`` on both sides count, as in the official
    ``overlapping_chars``.
    """
    hits = [other for other in others if detects(target, other)]
    this_side = _union_within(
        target.this_offset, target.this_end, ((h.this_offset, h.this_end) for h in hits)
    )
    source_side = _union_within(
        target.source_offset, target.source_end, ((h.source_offset, h.source_end) for h in hits)
    )
    return this_side + source_side


def count_chars(spans: Iterable[Span]) -> int:
    """Characters covered by ``spans`` of one pair, both sides, overlaps counted once."""
    spans = list(spans)
    this_side = _union_within(0, sys.maxsize, ((s.this_offset, s.this_end) for s in spans))
    source_side = _union_within(0, sys.maxsize, ((s.source_offset, s.source_end) for s in spans))
    return this_side + source_side


def _as_sets(annotations: Annotations) -> dict[PairKey, tuple[Span, ...]]:
    """Drop empty pairs and repeated spans (the official script works on sets)."""
    return {
        pair: tuple(sorted(set(spans))) for pair, spans in annotations.items() if len(spans) > 0
    }


def _count(annotations: Mapping[PairKey, Sequence[Span]]) -> int:
    """Total number of spans over all pairs."""
    return sum(len(spans) for spans in annotations.values())


def _macro_coverage(reference: Annotations, other: Annotations) -> float:
    """Mean over the spans of ``reference`` of the share of it covered by ``other``.

    This is the official ``macro_avg_recall(reference, other)``; precision is
    the same function with the roles swapped.
    """
    ref, oth = _as_sets(reference), _as_sets(other)
    n_ref, n_oth = _count(ref), _count(oth)
    if n_ref == 0 and n_oth == 0:
        return 1.0
    if n_ref == 0 or n_oth == 0:
        return 0.0
    total = 0.0
    for pair, spans in ref.items():
        candidates = oth.get(pair, ())
        for span in spans:
            if span.size > 0 and candidates:
                total += _covered_chars(span, candidates) / span.size
    return total / n_ref


def macro_recall(cases: Annotations, detections: Annotations) -> float:
    """Macro-averaged character recall of ``detections`` over ``cases``."""
    return _macro_coverage(cases, detections)


def macro_precision(cases: Annotations, detections: Annotations) -> float:
    """Macro-averaged character precision of ``detections`` with respect to ``cases``."""
    return _macro_coverage(detections, cases)


def granularity(cases: Annotations, detections: Annotations) -> float:
    """Mean number of detections per detected case (1 when no case is detected)."""
    case_sets, det_sets = _as_sets(cases), _as_sets(detections)
    detected_cases, detections_of_detected = 0, 0
    for pair, spans in case_sets.items():
        candidates = det_sets.get(pair, ())
        for case in spans:
            hits = sum(1 for det in candidates if detects(case, det))
            if hits > 0:
                detected_cases += 1
                detections_of_detected += hits
    if detected_cases == 0:
        return 1.0
    return detections_of_detected / detected_cases


def plagdet_score(precision: float, recall: float, gran: float) -> float:
    """Combine the three measures: F1(precision, recall) / log2(1 + granularity)."""
    if precision < 0 or recall < 0 or gran < 1 or (precision == 0 and recall == 0):
        return 0.0
    f1 = 2 * precision * recall / (precision + recall)
    return f1 / math.log2(1 + gran)


def evaluate(cases: Annotations, detections: Annotations) -> Scores:
    """All four PAN measures of ``detections`` against ``cases``."""
    precision = macro_precision(cases, detections)
    recall = macro_recall(cases, detections)
    gran = granularity(cases, detections)
    return Scores(precision, recall, gran, plagdet_score(precision, recall, gran))


def plagdet(cases: Annotations, detections: Annotations) -> float:
    """The plagdet score of ``detections`` against ``cases``."""
    return evaluate(cases, detections).plagdet


# --------------------------------------------------------------------------
# PAN XML format
# --------------------------------------------------------------------------


def xml_name(pair: PairKey) -> str:
    """PAN file name of a pair: ``suspicious-documentX-source-documentY.xml``."""
    susp, src = pair
    return f"{Path(susp).stem}-{Path(src).stem}.xml"


def pair_from_xml_name(name: str) -> PairKey:
    """Inverse of :func:`xml_name`: ``(suspicious-documentX.txt, source-documentY.txt)``."""
    stem = Path(name).name.removesuffix(".xml")
    susp, sep, src = stem.partition("-source-")
    if not sep:
        raise ValueError(f"not a PAN pair file name: {name!r}")
    return f"{susp}.txt", f"source-{src}.txt"


def _span_from_feature(feature: ET.Element, origin: Path) -> tuple[str, Span]:
    """Source reference and span of one ``<feature>`` element."""
    try:
        return feature.attrib["source_reference"], Span(
            this_offset=int(feature.attrib["this_offset"]),
            this_length=int(feature.attrib["this_length"]),
            source_offset=int(feature.attrib["source_offset"]),
            source_length=int(feature.attrib["source_length"]),
        )
    except (KeyError, ValueError) as exc:
        raise ValueError(f"{origin}: malformed feature {feature.attrib!r}") from exc


def read_annotations(path: Path, feature_name: str = CASE_FEATURE) -> dict[PairKey, list[Span]]:
    """Read the ``<feature name=feature_name>`` spans of one PAN XML file.

    The suspicious document is the root's ``reference`` attribute, the source
    document each feature's ``source_reference``.  A file without such
    features (e.g. a negative pair) gives an empty mapping.
    """
    root = ET.parse(path).getroot()
    susp = root.attrib.get("reference", "")
    found: dict[PairKey, list[Span]] = {}
    for feature in root.iter("feature"):
        if feature.attrib.get("name") != feature_name:
            continue
        src, span = _span_from_feature(feature, path)
        found.setdefault((susp, src), []).append(span)
    return found


def read_annotations_dir(
    folder: Path, feature_name: str = CASE_FEATURE
) -> dict[PairKey, list[Span]]:
    """Read every ``*.xml`` of ``folder``; each file's pair is a key, even without spans."""
    found: dict[PairKey, list[Span]] = {}
    for path in sorted(folder.glob("*.xml")):
        found.setdefault(pair_from_xml_name(path.name), [])
        for pair, spans in read_annotations(path, feature_name).items():
            found.setdefault(pair, []).extend(spans)
    return found


def write_detections(
    folder: Path, pair: PairKey, spans: Iterable[Span], feature_name: str = DETECTION_FEATURE
) -> Path:
    """Write ``spans`` of ``pair`` as a PAN detection XML into ``folder``; return its path."""
    susp, src = pair
    root = ET.Element("document", {"reference": susp})
    root.text = "\n"
    for span in spans:
        feature = ET.SubElement(
            root,
            "feature",
            {
                "name": feature_name,
                "this_offset": str(span.this_offset),
                "this_length": str(span.this_length),
                "source_reference": src,
                "source_offset": str(span.source_offset),
                "source_length": str(span.source_length),
            },
        )
        feature.tail = "\n"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / xml_name(pair)
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)
    return path
