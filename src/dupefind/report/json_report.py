"""The machine-readable report: a documented, versioned schema (``report.schema.json``).

Deterministic by construction: documents, pairs, clusters and skipped inputs are sorted, keys
are written in a fixed order, and nothing that varies between runs (time, host) is included,
so the same input in any order gives a byte-identical report.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterator
from importlib import resources
from typing import Any

from .. import __version__
from ..dedup_plan import DedupPlan
from ..models import Document, Pair, Passage, Relation, Report, Skipped
from ..walk import shown_name

#: The major number is bumped on any incompatible change to the report's shape, the minor one
#: when something is added (1.1: ``ignored`` and ``summary.ignored``; 1.2: ``config_sources``,
#: ``dedup_rule`` and ``dedup``).
SCHEMA_VERSION = "1.5"
_TOOL = "dupefind"


def schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) shipped with the package."""
    text = resources.files(__package__).joinpath("report.schema.json").read_text("utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def report_dict(report: Report, *, dedup: DedupPlan | None = None,
                config_sources: dict[str, str] | None = None) -> dict[str, Any]:
    """The report as plain JSON data (``dedup`` and ``config_sources``: see :func:`report_json`)."""
    data = _head(report, dedup, config_sources)
    data.update((key, list(items)) for key, items in _lists(report, dedup))
    return data


def report_json(report: Report, *, dedup: DedupPlan | None = None,
                config_sources: dict[str, str] | None = None) -> str:
    """The report as one JSON document (ends with a newline).

    With ``dedup``, the report also lists what a dedup keeps and drops (``dedup_rule`` and a
    ``dedup`` list); with ``config_sources``, where each configuration value came from.
    """
    return "".join(report_json_chunks(report, dedup=dedup, config_sources=config_sources))


def report_json_chunks(report: Report, *, dedup: DedupPlan | None = None,
                       config_sources: dict[str, str] | None = None) -> Iterator[str]:
    """:func:`report_json` piece by piece, one list item at a time, so that a large report is
    written without holding its whole text (or all of its JSON data) at once.

    The head is indented; each item of a list (a document, a pair with its passages, a
    cluster, a skipped input) is one line, which keeps a large report easy to grep and quick
    to write.
    """
    yield json.dumps(_head(report, dedup, config_sources), ensure_ascii=False, indent=2)[:-2]
    for key, items in _lists(report, dedup):
        yield f",\n  {json.dumps(key)}: ["
        separator = "\n    "
        while lines := [_one_line(_ITEM.encode(item)) for item in itertools.islice(items, _ITEMS_PER_CHUNK)]:
            yield separator + ",\n    ".join(lines)
            separator = ",\n    "
        yield "\n  ]" if separator != "\n    " else "]"
    yield "\n}\n"


#: One list item as one line of JSON (the C encoder: no indent).
_ITEM = json.JSONEncoder(ensure_ascii=False)
#: Characters JSON leaves as they are inside strings that other readers take for line breaks
#: (Python's ``str.splitlines``, JavaScript before ES2019): escaped, so an item is one line.
_LINE_BREAKS = re.compile("[\x85\u2028\u2029]")


def _one_line(encoded: str) -> str:
    """JSON text with :data:`_LINE_BREAKS` escaped (they only occur inside its strings). Most
    text holds none: asking for each of the three (a fast substring search) spares running the
    pattern over it (measured in benchmarks/RESULTS.md: 7 ms against 290 ms on a 40 MB report)."""
    if encoded.isascii() or not ("\x85" in encoded or "\u2028" in encoded or "\u2029" in encoded):
        return encoded
    return _LINE_BREAKS.sub(lambda found: f"\\u{ord(found.group()):04x}", encoded)

#: List items put into one piece of text at a time.
_ITEMS_PER_CHUNK = 1000


def report_jsonl(report: Report, *, dedup: DedupPlan | None = None,
                 config_sources: dict[str, str] | None = None) -> str:
    """The report as JSON Lines: a ``header`` record, then one record per item, each typed."""
    return "".join(report_jsonl_chunks(report, dedup=dedup, config_sources=config_sources))


def report_jsonl_chunks(report: Report, *, dedup: DedupPlan | None = None,
                        config_sources: dict[str, str] | None = None) -> Iterator[str]:
    """:func:`report_jsonl` a line at a time."""
    header = {"type": "header", **_head(report, dedup, config_sources)}
    yield _one_line(json.dumps(header, ensure_ascii=False)) + "\n"
    kinds = {"documents": "document", "pairs": "pair", "clusters": "cluster", "skipped": "skipped",
             "ignored": "ignored", "dedup": "dedup"}
    for key, items in _lists(report, dedup):
        for item in items:
            yield _one_line(_ITEM.encode({"type": kinds[key], **item})) + "\n"


def _head(report: Report, dedup: DedupPlan | None, config_sources: dict[str, str] | None) -> dict[str, Any]:
    head: dict[str, Any] = {"schema_version": SCHEMA_VERSION, "tool": {"name": _TOOL, "version": __version__},
                            "config": _config(report.config)}
    if config_sources is not None:
        head["config_sources"] = config_sources
    head["summary"] = _summary(report)
    if dedup is not None:
        head["dedup_rule"] = dedup.rule
    return head


def _lists(report: Report, dedup: DedupPlan | None = None) -> Iterator[tuple[str, Iterator[dict[str, Any]]]]:
    """The report's lists, each item made JSON data only when it is written."""
    yield "documents", (_document(d) for d in report.documents)
    yield "pairs", (pair_dict(p) for p in report.pairs)
    yield "clusters", ({"size": len(c), "ids": list(c)} for c in report.clusters)
    yield "skipped", (_skipped(s) for s in report.skipped)
    yield "ignored", (_skipped(s) for s in report.ignored)
    if dedup is not None:
        yield "dedup", dedup_items(dedup)


def dedup_items(plan: DedupPlan) -> Iterator[dict[str, Any]]:
    """The keep / drop listing of a dedup, one item per document, sorted by id: ``{"id", "action":
    "keep"}`` or ``{"id", "action": "drop", "duplicate_of", "match": {"id", "similarity",
    "containment", "kinds"}}``; the rule is in the summary (``dedup_rule``)."""
    removed = iter(plan.removed)
    drop = next(removed, None)
    for doc in sorted([*plan.kept, *(r.id for r in plan.removed)]):
        if drop is not None and drop.id == doc:
            yield {"id": doc, "action": "drop", "duplicate_of": drop.duplicate_of,
                   "match": {"id": drop.matched, "similarity": drop.similarity, "containment": drop.containment,
                             "kinds": list(drop.kinds)}}
            drop = next(removed, None)
        else:
            yield {"id": doc, "action": "keep"}


def pair_dict(pair: Pair) -> dict[str, Any]:
    """One pair as JSON data (also the output of ``dupefind compare --format json``)."""
    return {
        "a": pair.a,
        "b": pair.b,
        "duplicate": pair.duplicate,
        "similarity": pair.similarity,
        "containment": pair.containment,
        "containment_a": pair.containment_a,
        "containment_b": pair.containment_b,
        "relation": _relation(pair.relation) if pair.relation else None,
        "passages": [_passage(p) for p in pair.passages],
    }


def _config(config: dict[str, object]) -> dict[str, object]:
    """The configuration with every string valid UTF-8 (a glob given on the command line may
    hold bytes of a file name that are not: see :func:`dupefind.walk.shown_name`)."""
    def clean(value: object) -> object:
        if isinstance(value, str):
            return shown_name(value)
        return [clean(v) for v in value] if isinstance(value, (list, tuple)) else value

    return {key: clean(value) for key, value in config.items()}


def _relation(r: Relation) -> dict[str, Any]:
    return {"kinds": list(r.kinds), "identical": r.identical, "substituted": r.substituted,
            "coverage_a": r.coverage_a, "coverage_b": r.coverage_b, "moved": r.moved,
            "substitutions": [{"a": s.a, "b": s.b, "count": s.count} for s in r.substitutions]}


def _summary(report: Report) -> dict[str, int]:
    return {
        "documents": len(report.documents),
        "short_documents": sum(d.short for d in report.documents),
        "skipped": len(report.skipped),
        "ignored": len(report.ignored),
        "pairs": len(report.pairs),
        "clusters": len(report.clusters),
    }


def _document(doc: Document) -> dict[str, Any]:
    return {"id": doc.id, "path": doc.path, "chars": doc.chars, "words": doc.words, "short": doc.short}


def _passage(p: Passage) -> dict[str, Any]:
    return {"a_start": p.a_start, "a_end": p.a_end, "b_start": p.b_start, "b_end": p.b_end,
            "similarity": p.similarity, "words_a": p.words_a, "words_b": p.words_b,
            "a_text": p.a_text, "b_text": p.b_text}


def _skipped(s: Skipped) -> dict[str, str]:
    return {"path": s.path, "reason": s.reason}
