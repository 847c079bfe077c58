"""The report's data for the page's script, as JSON that is safe inside ``<script>``.

:func:`script_json` escapes ``<``, ``>`` and ``&`` as ``\\u003c``-style escapes (still the same
JSON), so no text can close the element (``</script>``) or open a comment (``<!--``); U+2028 and
U+2029 are escaped too. The pairs table gets one compact row per pair; each pair's passages go
in an element of their own (``pd-N``), parsed only when that pair is opened.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from itertools import accumulate
from typing import Any

from ...explain import changed_spans, describe, substitution_list
from ...models import Document, Pair, Passage

#: Characters written as JSON escapes (``str.replace`` in turn: ~10x faster than ``str.translate``).
_UNSAFE = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029"))


def script_json(value: Any) -> str:
    """``value`` as JSON text that can stand inside a ``<script>`` element as it is."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for unsafe, escaped in _UNSAFE:
        text = text.replace(unsafe, escaped)
    return text


def data_element(element_id: str, value: Any) -> str:
    """A ``<script type="application/json">`` element holding ``value`` (ids are ours: plain)."""
    return f'<script type="application/json" id="{element_id}">{script_json(value)}</script>'


class IdTable:
    """Each document id once: rows name documents by their number in this table."""

    def __init__(self) -> None:
        self.ids: list[str] = []
        self._index: dict[str, int] = {}

    def __call__(self, doc: str) -> int:
        number = self._index.get(doc)
        if number is None:
            number = self._index[doc] = len(self.ids)
            self.ids.append(doc)
        return number


def table_data(pairs: Sequence[Pair], documents: Sequence[Document], *, threshold: float,
               prefix: str = "") -> dict[str, Any]:
    """What the script needs for the pairs and documents tables (not the passages); ``prefix``:
    the folder every pair's ids share, left out of the pairs table's cells."""
    ids = IdTable()
    rows = [[ids(p.a), ids(p.b), " + ".join(p.relation.kinds) if p.relation else "", p.similarity,
             p.containment_a, p.containment_b, len(p.passages), p.containment, int(p.duplicate)] for p in pairs]
    docs = [[ids(d.id), d.path, d.words, d.chars, int(d.short)] for d in documents]
    return {"ids": ids.ids, "pairs": rows, "documents": docs, "threshold": threshold, "prefix": prefix}


def pair_details(pair: Pair) -> dict[str, Any]:
    """One pair's explanation and passages, as its view needs them."""
    relation = pair.relation
    return {
        "describe": describe(relation) if relation else "",
        "substitutions": substitution_list(relation, limit=50) if relation and relation.substitutions else "",
        "passages": [_passage(p) for p in pair.passages],
    }


def _passage(p: Passage) -> list[Any]:
    """``[a_start, a_end, b_start, b_end, similarity, words_a, words_b, a_text, b_text, changed_a,
    changed_b]``; ``changed_a`` and ``changed_b`` are the differing words
    (:func:`~dupefind.explain.changed_spans`) as ``[start, end]`` into the passage's own text,
    counted in UTF-16 code units as the page's script counts a string (the offsets elsewhere
    count code points: an emoji is one code point and two units)."""
    changed_a, changed_b = changed_spans(p)
    return [p.a_start, p.a_end, p.b_start, p.b_end, p.similarity, p.words_a, p.words_b, p.a_text, p.b_text,
            _in_units(p.a_text, changed_a), _in_units(p.b_text, changed_b)]


def _in_units(text: str, spans: list[tuple[int, int]]) -> list[list[int]]:
    """``spans`` (code point offsets into ``text``) as UTF-16 code unit offsets."""
    if not spans or max(text, default="\0") < "\U00010000":
        return [[start, end] for start, end in spans]
    before = list(accumulate((ord(c) > 0xFFFF for c in text), initial=0))  # astral code points before each
    return [[start + before[start], end + before[end]] for start, end in spans]


def detail_elements(pairs: Sequence[Pair]) -> Iterator[str]:
    """One data element per pair (``pd-1``, ``pd-2``, ... in the table's order)."""
    for number, pair in enumerate(pairs, start=1):
        yield data_element(f"pd-{number}", pair_details(pair)) + "\n"
