"""The HTML report: one self-contained page (inline CSS, no script, no external resources).

It mirrors the terminal view: a summary, the table of pairs, the clusters, each pair's passages
side by side with the differing words marked, then the skipped inputs. Everything a user wrote
(ids, paths, article text, reasons) goes through :func:`html.escape`, so an article containing
``<script>`` shows it literally. Nothing that varies between runs is written: the same report
always gives the same page.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape

from .. import __version__
from ..explain import describe, substitution_list
from ..models import Pair, Passage, Report
from ..walk import shown_name

_CSS = """
body { font: 15px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 80em; padding: 0 1em; color: #222; }
h1, h2, h3 { line-height: 1.2; } h3 { margin-top: 2.5em; }
table { border-collapse: collapse; margin: .5em 0 1.5em; }
th, td { border: 1px solid #ccc; padding: .3em .6em; text-align: left; vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.id { font-family: ui-monospace, monospace; overflow-wrap: anywhere; }
.muted { color: #666; }
table.passages { table-layout: fixed; width: 100%; }
table.passages td { white-space: pre-wrap; overflow-wrap: anywhere; width: 50%; }
table.passages th.head { background: #f4f4f4; font-weight: normal; }
mark.del { background: #fcc; color: #700; } mark.ins { background: #cfc; color: #060; }
"""


def report_html(report: Report) -> str:
    """The whole report as one HTML5 page (ends with a newline)."""
    parts = [_summary(report), _documents(report), _pairs_table(report.pairs), _clusters(report.clusters)]
    parts.extend(_pair_section(number, pair) for number, pair in enumerate(report.pairs, start=1))
    parts.append(_skipped(report))
    if report.ignored:
        parts.append(_ignored(report))
    return _page("dupefind report", parts)


def pair_html(pair: Pair, *, config: dict[str, object]) -> str:
    """The page of ``dupefind compare``: the two files, the verdict, the configuration and the
    full alignment (ends with a newline)."""
    verdict = "a copy" if pair.duplicate else "not a copy"
    summary = (f'<h2>Summary</h2>\n<p>Compared <span class="id">{_e(pair.a)}</span> with '
               f'<span class="id">{_e(pair.b)}</span>: {verdict} (similarity {pair.similarity:.2f}, '
               f"containment {pair.containment:.2f}). "
               f'<span class="muted">dupefind {_e(__version__)}</span></p>\n{_config_table(config)}')
    return _page("dupefind compare", [summary, _pair_section(1, pair, back=False)])


def _page(title: str, parts: Sequence[str]) -> str:
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>{title}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
            f"<h1>{title}</h1>\n" + "\n".join(parts) + "\n</body>\n</html>\n")


def _e(value: object) -> str:
    """``value`` as escaped HTML text (quotes too, so it is also safe in attributes)."""
    return escape(str(value), quote=True)


def _anchor(number: int) -> str:
    """The id of a pair's section: numbered, since document ids may hold any character."""
    return f"pair-{number}"


def _table(head: Sequence[str], rows: Iterable[Sequence[str]], css: str = "") -> str:
    """A table from cells that are already HTML; cells starting with ``<td`` are kept as they are."""
    head_html = "".join(f"<th>{h}</th>" for h in head)
    body = "".join("<tr>" + "".join(c if c.startswith("<td") else f"<td>{c}</td>" for c in row) + "</tr>\n"
                   for row in rows)
    attr = f' class="{css}"' if css else ""
    return f"<table{attr}>\n<thead><tr>{head_html}</tr></thead>\n<tbody>\n{body}</tbody>\n</table>"


def _num(text: str) -> str:
    """A right-aligned numeric cell."""
    return f'<td class="num">{text}</td>'


def _config_value(value: object) -> str:
    """A configuration value as people read it: lists joined, empty ones as a dash."""
    if isinstance(value, (list, tuple)):
        return _e(shown_name(", ".join(map(str, value)))) if value else "—"
    return _e(shown_name(str(value)))


def _summary(report: Report) -> str:
    """The counts, the tool version and the configuration."""
    short = sum(d.short for d in report.documents)
    ignored = f"{len(report.ignored)} ignored by type, " if report.ignored else ""
    counts = (f"<p>{len(report.documents)} documents scanned ({short} short), {len(report.skipped)} skipped, "
              f"{ignored}{len(report.pairs)} pairs in {len(report.clusters)} clusters. "
              f'<span class="muted">dupefind {_e(__version__)}</span></p>')
    return f"<h2>Summary</h2>\n{counts}\n{_config_table(report.config)}"


def _config_table(config: dict[str, object]) -> str:
    """The configuration, folded away."""
    table = _table(["setting", "value"], ((f'<span class="id">{_e(k)}</span>', _config_value(v))
                                          for k, v in config.items()))
    return f"<details>\n<summary>Configuration</summary>\n{table}\n</details>"


def _documents(report: Report) -> str:
    """Every document scanned, folded away by default."""
    rows = ((f'<span class="id">{_e(d.id)}</span>', f'<span class="id">{_e(d.path)}</span>', _num(str(d.words)),
             _num(str(d.chars)), "short" if d.short else "") for d in report.documents)
    table = _table(["id", "path", "words", "characters", ""], rows)
    return f"<details>\n<summary>Documents scanned ({len(report.documents)})</summary>\n{table}\n</details>"


def _pairs_table(pairs: Sequence[Pair]) -> str:
    """The pairs, most similar first, each row linking to the pair's section."""
    if not pairs:
        return '<h2 id="pairs">Pairs</h2>\n<p>No copies found.</p>'
    rows = []
    for number, pair in enumerate(pairs, start=1):
        link = f'href="#{_anchor(number)}"'
        rows.append((_num(f"<a {link}>{number}</a>"), f'<a class="id" {link}>{_e(pair.a)}</a>',
                     f'<a class="id" {link}>{_e(pair.b)}</a>',
                     _e(" + ".join(pair.relation.kinds) if pair.relation else ""), _num(f"{pair.similarity:.2f}"),
                     _num(f"{pair.containment_a:.2f}"), _num(f"{pair.containment_b:.2f}"),
                     _num(str(len(pair.passages)))))
    head = ["#", "A", "B", "kind", "similarity", "A in B", "B in A", "passages"]
    return '<h2 id="pairs">Pairs, most similar first</h2>\n' + _table(head, rows)


def _clusters(clusters: Sequence[Sequence[str]]) -> str:
    """The groups of documents connected by pairs, largest first."""
    if not clusters:
        return "<h2>Clusters</h2>\n<p>No clusters.</p>"
    items = "".join(f"<li>{len(c)} documents: " + ", ".join(f'<span class="id">{_e(i)}</span>' for i in c)
                    + "</li>\n" for c in clusters)
    return f"<h2>Clusters</h2>\n<ol>\n{items}</ol>"


def _pair_section(number: int, pair: Pair, *, back: bool = True) -> str:
    """One pair: its figures, then its passages side by side (A left, B right)."""
    verdict = "copy" if pair.duplicate else "not a copy"
    title = (f'<h3 id="{_anchor(number)}">{number}. <span class="id">{_e(pair.a)}</span> ↔ '
             f'<span class="id">{_e(pair.b)}</span></h3>')
    figures = (f'<p class="muted">{verdict}: similarity {pair.similarity:.2f}, containment '
               f"{pair.containment_a:.2f} of A in B, {pair.containment_b:.2f} of B in A, "
               f"{len(pair.passages)} matching passage(s)."
               + (' <a href="#pairs">Back to the pairs</a></p>' if back else "</p>"))
    if pair.relation is not None:
        figures += f"\n<p><b>kind</b> {_e(describe(pair.relation))}</p>"
        if pair.relation.substitutions:
            figures += f"\n<p><b>substitutions</b> {_e(substitution_list(pair.relation, limit=50))}</p>"
    if not pair.passages:
        return f"<section>\n{title}\n{figures}\n</section>"
    head = [f'A <span class="id">{_e(pair.a)}</span>', f'B <span class="id">{_e(pair.b)}</span>']
    body = "".join(_passage_rows(n, p) for n, p in enumerate(pair.passages, start=1))
    table = (f'<table class="passages">\n<thead><tr><th>{head[0]}</th><th>{head[1]}</th></tr></thead>\n'
             f"<tbody>\n{body}</tbody>\n</table>")
    return f"<section>\n{title}\n{figures}\n{table}\n</section>"


def _passage_rows(number: int, p: Passage) -> str:
    """A passage's header row (offsets, similarity, word counts) and its two texts, changes marked."""
    changed = [e for e in p.edits if e.op != "equal"]
    text_a = _marked(p.a_text, [(e.a_start - p.a_start, e.a_end - p.a_start) for e in changed], "del")
    text_b = _marked(p.b_text, [(e.b_start - p.b_start, e.b_end - p.b_start) for e in changed], "ins")
    header = (f'<tr><th class="head" colspan="2">passage {number}: A [{p.a_start}:{p.a_end}] / '
              f"B [{p.b_start}:{p.b_end}], {p.similarity:.0%} identical, {p.words_a} ↔ {p.words_b} words</th></tr>\n")
    return f"{header}<tr><td>{text_a}</td><td>{text_b}</td></tr>\n"


def _marked(text: str, spans: Iterable[tuple[int, int]], css: str) -> str:
    """``text`` escaped, with the ``spans`` (offsets into it) wrapped in ``<mark class=css>``.

    Spans are clipped to the text, empty ones dropped and overlapping ones merged; each piece is
    escaped on its own, so no span can cut through an entity.
    """
    out: list[str] = []
    cursor = 0
    for start, end in sorted(spans):
        start, end = max(start, cursor), min(end, len(text))
        if end <= start:
            continue
        out.append(_e(text[cursor:start]) + f'<mark class="{css}">{_e(text[start:end])}</mark>')
        cursor = end
    out.append(_e(text[cursor:]))
    return "".join(out)


def _skipped(report: Report) -> str:
    """The inputs that were not scanned, and why."""
    if not report.skipped:
        return "<h2>Skipped inputs</h2>\n<p>None.</p>"
    rows = ((f'<span class="id">{_e(s.path)}</span>', _e(s.reason)) for s in report.skipped)
    return "<h2>Skipped inputs</h2>\n" + _table(["path", "reason"], rows)


def _ignored(report: Report) -> str:
    """Files a folder walk passed over for their type (not failures), folded away."""
    rows = ((f'<span class="id">{_e(s.path)}</span>', _e(s.reason)) for s in report.ignored)
    table = _table(["path", "reason"], rows)
    return f"<details>\n<summary>Ignored by type ({len(report.ignored)}; not read, not an error)</summary>\n{table}\n</details>"
