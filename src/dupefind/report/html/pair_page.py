"""The page of ``dupefind compare``: one pair drawn in full (no script needed): the two files,
the verdict, the configuration and every passage side by side, the differing words marked."""

from __future__ import annotations

from collections.abc import Iterable

from ... import __version__
from ...explain import changed_spans, describe, substitution_list
from ...models import Pair, Passage
from .page import asset, config_table, e

#: The settings a comparison of two texts uses (the options ``dupefind compare`` takes); the
#: others (MinHash, LSH, boilerplate across documents, processes, walking folders) only a scan uses.
COMPARE_SETTINGS = ("scheme", "ngram", "threshold", "passage_words", "min_words", "min_passage_words",
                    "max_document_mb")


def pair_html(pair: Pair, *, config: dict[str, object]) -> str:
    """The whole page (ends with a newline); of ``config``, only the :data:`COMPARE_SETTINGS`."""
    config = {k: v for k, v in config.items() if k in COMPARE_SETTINGS}
    verdict = "a copy" if pair.duplicate else "not a copy"
    summary = (f'<h2>Summary</h2>\n<p>Compared <span class="id">{e(pair.a)}</span> with '
               f'<span class="id">{e(pair.b)}</span>: {verdict} (similarity {pair.similarity:.2f}, '
               f"containment {pair.containment:.2f}). "
               f'<span class="muted">dupefind {e(__version__)}</span></p>\n{config_table(config)}')
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>dupefind compare</title>\n<style>{asset('report.css')}</style>\n</head>\n<body>\n"
            f"<h1>dupefind compare</h1>\n{summary}\n{_pair_section(pair)}\n</body>\n</html>\n")


def _pair_section(pair: Pair) -> str:
    verdict = "copy" if pair.duplicate else "not a copy"
    title = f'<h3><span class="id">{e(pair.a)}</span> ↔ <span class="id">{e(pair.b)}</span></h3>'
    figures = (f'<p class="muted">{verdict}: similarity {pair.similarity:.2f}, containment '
               f"{pair.containment_a:.2f} of A in B, {pair.containment_b:.2f} of B in A, "
               f"{len(pair.passages)} matching passage(s).</p>")
    if pair.relation is not None:
        figures += f"\n<p><b>kind</b> {e(describe(pair.relation))}</p>"
        if pair.relation.substitutions:
            figures += f"\n<p><b>substitutions</b> {e(substitution_list(pair.relation, limit=50))}</p>"
    if not pair.passages:
        return f"<section>\n{title}\n{figures}\n</section>"
    head = f'<th>A <span class="id">{e(pair.a)}</span></th><th>B <span class="id">{e(pair.b)}</span></th>'
    body = "".join(_passage_rows(n, p) for n, p in enumerate(pair.passages, start=1))
    table = f'<table class="passages">\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}</tbody>\n</table>'
    return f"<section>\n{title}\n{figures}\n{table}\n</section>"


def _passage_rows(number: int, p: Passage) -> str:
    changed_a, changed_b = changed_spans(p)
    text_a, text_b = marked(p.a_text, changed_a, "del"), marked(p.b_text, changed_b, "ins")
    header = (f'<tr><th class="head" colspan="2">passage {number}: A [{p.a_start}:{p.a_end}] / '
              f"B [{p.b_start}:{p.b_end}], {p.similarity:.0%} identical, {p.words_a} ↔ {p.words_b} words</th></tr>\n")
    return f"{header}<tr><td>{text_a}</td><td>{text_b}</td></tr>\n"


def marked(text: str, spans: Iterable[tuple[int, int]], css: str) -> str:
    """``text`` escaped, with the ``spans`` (offsets into it) wrapped in ``<mark class=css>``;
    spans clipped to the text, empty ones dropped, overlapping ones merged; each piece escaped on
    its own, so no span can cut through an entity."""
    out: list[str] = []
    cursor = 0
    for start, end in sorted(spans):
        start, end = max(start, cursor), min(end, len(text))
        if end <= start:
            continue
        out.append(e(text[cursor:start]) + f'<mark class="{css}">{e(text[start:end])}</mark>')
        cursor = end
    out.append(e(text[cursor:]))
    return "".join(out)
