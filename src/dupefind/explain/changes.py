"""The words of a passage that differ, as a report marks them."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from difflib import SequenceMatcher

from ..models import Passage
from ..text import Tokens, tokenize

Spans = list[tuple[int, int]]


def changed_spans(passage: Passage) -> tuple[Spans, Spans]:
    """The words of a passage that differ, as character spans into its own ``a_text`` and
    ``b_text``: what a report marks. Every word not inside an ``equal`` step differs, so a
    reader never takes an unmarked word for a copied one: the steps that replace, delete or
    insert words, and the words no step aligns (at a passage's ends, between the joined parts
    of a passage, in a reworded stretch). Words that are the same on both sides are not marked,
    as :func:`~dupefind.explain.explain` counts them identical: a replacement of ``X`` by ``X``, and the same
    words left unaligned between the same two steps of both texts."""
    text_a, text_b = passage.a_text, passage.b_text
    tokens_a, tokens_b = tokenize(text_a), tokenize(text_b)
    origin_a, origin_b = passage.a_start, passage.b_start
    marked_a: Spans = []
    marked_b: Spans = []
    # Words a step aligns are never marked as a gap's: a joined passage's steps need not run in
    # the same order in B, so a gap of the walk may hold another step's words.
    stepped_a = _merged([(e.a_start - origin_a, e.a_end - origin_a) for e in passage.edits])
    stepped_b = _merged([(e.b_start - origin_b, e.b_end - origin_b) for e in passage.edits])
    seen_b: Spans = list(stepped_b)  # B's words the walk below has looked at

    def mark(start_a: int, end_a: int, start_b: int, end_b: int, *, step: bool = False) -> None:
        """Mark the words of the two stretches that differ: all of a step's (the aligner's
        word alignment said so) unless they are the same words; of what no step aligns, those
        outside the longest common subsequence of the two stretches' words."""
        seen_b.append((start_b, end_b))
        words_a, words_b = _words_of(tokens_a, start_a, end_a), _words_of(tokens_b, start_b, end_b)
        if not step:
            words_a = [w for w in words_a if not _inside(stepped_a, w[1], w[2])]
            words_b = [w for w in words_b if not _inside(stepped_b, w[1], w[2])]
        said_a, said_b = [w for w, _, _ in words_a], [w for w, _, _ in words_b]
        if said_a == said_b:
            return
        if step:
            marked_a.extend((s, e) for _, s, e in words_a)
            marked_b.extend((s, e) for _, s, e in words_b)
            return
        for op, i, j, k, m in SequenceMatcher(None, said_a, said_b, autojunk=False).get_opcodes():
            if op != "equal":
                marked_a.extend((s, e) for _, s, e in words_a[i:j])
                marked_b.extend((s, e) for _, s, e in words_b[k:m])

    at_a = at_b = 0
    for edit in sorted(passage.edits, key=lambda e: (e.a_start, e.b_start)):
        first_a, last_a = edit.a_start - origin_a, edit.a_end - origin_a
        first_b, last_b = edit.b_start - origin_b, edit.b_end - origin_b
        mark(at_a, max(at_a, first_a), at_b, max(at_b, first_b))  # what no step aligns before it
        if edit.op != "equal":
            mark(first_a, last_a, first_b, last_b, step=True)
        at_a, at_b = max(at_a, last_a), max(at_b, last_b)
    mark(at_a, len(text_a), at_b, len(text_b))
    # A step out of order in B (a joined passage) leaves B's words between others unvisited.
    for start, end in _free(_merged(seen_b), len(text_b)):
        marked_b.extend((s, e) for _, s, e in _words_of(tokens_b, start, end))
    return _spaced(_merged(marked_a), text_a), _spaced(_merged(marked_b), text_b)


def _words_of(tokens: Tokens, start: int, end: int) -> list[tuple[str, int, int]]:
    """The words of ``tokens`` that lie within characters ``start:end``, with their spans."""
    first, last = bisect_left(tokens.starts, start), bisect_right(tokens.ends, end)
    return [(tokens.words[k], tokens.starts[k], tokens.ends[k]) for k in range(first, max(first, last))]


def _inside(spans: Spans, start: int, end: int) -> bool:
    """Whether ``start:end`` lies within one of the merged ``spans``."""
    k = bisect_right(spans, (start, 1 << 62)) - 1  # the last span starting at or before it
    return k >= 0 and spans[k][0] <= start and end <= spans[k][1]


def _merged(spans: Spans) -> Spans:
    """Sorted spans, overlapping or touching ones merged."""
    out: Spans = []
    for start, end in sorted(spans):
        if end <= start:
            continue
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def _spaced(spans: Spans, text: str) -> Spans:
    """Merged spans with the ones only spaces or tabs apart joined: one mark over a changed
    phrase (``[-sense of-]``, not ``[-sense-] [-of-]``), none across a line break."""
    out: Spans = []
    for start, end in spans:
        if out and not text[out[-1][1]:start].strip(" \t"):
            out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def _free(spans: Spans, size: int) -> Spans:
    """The gaps of ``0:size`` between merged ``spans``."""
    gaps: Spans = []
    cursor = 0
    for start, end in spans:
        if start > cursor:
            gaps.append((cursor, start))
        cursor = max(cursor, end)
    if cursor < size:
        gaps.append((cursor, size))
    return gaps


