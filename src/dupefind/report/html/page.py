"""The page's skeleton: what is drawn without the script (summary, counts per kind, charts,
clusters, skipped inputs) and the places the script fills (pairs table, pair view, documents)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from html import escape
from importlib import resources

from ... import __version__
from ...models import Report
from ...walk import shown_name
from ..terminal import counted
from ..terminal_ids import common_folder
from .charts import cluster_size_chart, containment_chart
from .data import data_element, detail_elements, table_data

#: The kinds a pair can be, in the order the summary lists them.
KINDS = ("verbatim", "edited", "spun", "partial", "reordered", "passage", "similar")
#: Pair elements written per piece of the page.
_PAIRS_PER_CHUNK = 500


def report_html(report: Report) -> str:
    """The whole report as one HTML5 page (ends with a newline)."""
    return "".join(report_html_chunks(report))


def report_html_chunks(report: Report) -> Iterator[str]:
    """:func:`report_html` a piece at a time (a large report is written as it is made)."""
    threshold = report.config.get("threshold", 0.2)
    threshold = float(threshold) if isinstance(threshold, (int, float)) else 0.2
    where = ", ".join(scanned(report))
    counts = f"{counted(len(report.documents), 'document')}, {counted(len(report.pairs), 'pair')}"
    title = f"dupefind report: {where} ({counts})" if where else f"dupefind report ({counts})"
    heading = f'dupefind report: <span class="id">{e(where)}</span>' if where else "dupefind report"
    yield ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
           f"<title>{e(title)}</title>\n<style>{asset('report.css')}</style>\n</head>\n<body>\n"
           f"<h1>{heading}</h1>\n")
    prefix = common_folder(sorted({doc for pair in report.pairs for doc in (pair.a, pair.b)}))
    yield "\n".join([_summary(report, threshold), _pairs_section(report, prefix), _clusters(report.clusters),
                     _documents(report), _skipped(report), _ignored(report)]) + "\n"
    yield data_element("dupefind-data", table_data(report.pairs, report.documents, threshold=threshold,
                                                   prefix=prefix)) + "\n"
    # The code runs before the passages are parsed: the table is usable while they load.
    yield f"<script>\n{asset('report.js')}</script>\n"
    chunk: list[str] = []
    for element in detail_elements(report.pairs):
        chunk.append(element)
        if len(chunk) == _PAIRS_PER_CHUNK:
            yield "".join(chunk)
            chunk = []
    yield "".join(chunk)
    yield "</body>\n</html>\n"


def scanned(report: Report, *, most: int = 3) -> list[str]:
    """What the report's documents were read from, so two reports can be told apart: the folder
    they share (``samples/``), else the folder or file each top-level place holds them in
    (``/data/a/``, ``/tmp/b.jsonl``), at most ``most`` of them and then how many more."""
    paths = sorted({d.path for d in report.documents})
    if len(paths) == 1:
        return paths
    shared = common_folder(paths)
    if shared not in ("", "/"):
        return [shared]
    groups: dict[str, list[str]] = {}
    for path in paths:
        top, _, rest = path[len(shared):].partition("/")
        groups.setdefault(top if rest else path, []).append(path)
    places = [group[0] if len(group) == 1 else common_folder(group) or group[0] for group in groups.values()]
    return places if len(places) <= most else [*places[:most], f"{len(places) - most} more"]


def asset(name: str) -> str:
    """A file shipped beside this module (the page's CSS and script)."""
    return resources.files(__package__).joinpath(name).read_text("utf-8")


def e(value: object) -> str:
    """``value`` as escaped HTML text (quotes too, so it is also safe in attributes), with the
    characters that would reorder or hide text shown as escapes (``\\u202e``), as the script
    shows them (report.js ``visible``)."""
    return escape(_HIDDEN.sub(lambda m: f"\\u{ord(m.group()):04x}", str(value)), quote=True)


#: Controls but tab, newline and carriage return, and the bidirectional marks, embeddings,
#: overrides and isolates (the same set as report.js's ``HIDDEN``).
_HIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _table(head: Sequence[str], rows: Iterable[Sequence[str]], css: str = "") -> str:
    """A table from cells that are already HTML; cells starting with ``<td`` are kept as they are."""
    head_html = "".join(f"<th>{h}</th>" for h in head)
    body = "".join("<tr>" + "".join(c if c.startswith("<td") else f"<td>{c}</td>" for c in row) + "</tr>\n"
                   for row in rows)
    attr = f' class="{css}"' if css else ""
    return f"<table{attr}>\n<thead><tr>{head_html}</tr></thead>\n<tbody>\n{body}</tbody>\n</table>"


def _num(text: str) -> str:
    return f'<td class="num">{text}</td>'


def _config_value(value: object) -> str:
    if isinstance(value, (list, tuple)):
        return e(shown_name(", ".join(map(str, value)))) if value else "—"
    return e(shown_name(str(value)))


def config_table(config: dict[str, object]) -> str:
    """The configuration, folded away."""
    table = _table(["setting", "value"], ((f'<span class="id">{e(k)}</span>', _config_value(v))
                                          for k, v in config.items()))
    return f"<details>\n<summary>Configuration</summary>\n{table}\n</details>"


def kind_counts(report: Report) -> Counter[str]:
    """How many pairs carry each kind (a ``spun + partial`` pair counts for both)."""
    counts: Counter[str] = Counter()
    for pair in report.pairs:
        counts.update(pair.relation.kinds if pair.relation else ("no passages",))
    return counts


def _summary(report: Report, threshold: float) -> str:
    short = sum(d.short for d in report.documents)
    ignored = f"{len(report.ignored)} ignored by type, " if report.ignored else ""
    counts = (f"<p>{counted(len(report.documents), 'document')} scanned ({short} short), {len(report.skipped)} skipped, "
              f"{ignored}{counted(len(report.pairs), 'pair')} in {counted(len(report.clusters), 'cluster')}. "
              f'<span class="muted">dupefind {e(__version__)}</span></p>')
    per_kind = kind_counts(report)
    kinds = [k for k in (*KINDS, "no passages") if per_kind.get(k)]
    kind_table = _table(["kind", "pairs"], ((f'<span class="kind kind-{e(k)}">{e(k)}</span>', _num(str(per_kind[k])))
                                            for k in kinds), css="kinds") if kinds else ""
    charts = ""
    if report.pairs:
        charts = ('<div class="charts">' + containment_chart([p.containment for p in report.pairs], threshold=threshold)
                  + cluster_size_chart([len(c) for c in report.clusters]) + "</div>")
    config = config_table(report.config)
    return (f'<h2>Summary</h2>\n{counts}\n<div class="overview">{kind_table}{charts}</div>\n'
            f"{config}")


def _pairs_section(report: Report, prefix: str) -> str:
    """The pairs table's controls and frame; its cells show the ids without ``prefix``, the folder
    they all share (said once, in the caption), as the terminal report does."""
    if not report.pairs:
        return '<h2 id="pairs">Pairs</h2>\n<p>No copies found.</p>'
    options = "".join(f'<option value="{k}">{k}</option>' for k in KINDS)
    controls = (
        '<div class="controls" id="pair-controls">'
        f'<label>kind <select id="kind-filter"><option value="">any</option>{options}</select></label> '
        '<label>similarity at least <input id="min-similarity" type="number" min="0" max="1" step="0.05" '
        'value="0"></label> '
        '<label>id contains <input id="id-search" type="search" placeholder="part of an id"></label> '
        '<label>per page <select id="page-size"><option>25</option><option selected>50</option>'
        "<option>100</option><option>500</option></select></label></div>")
    # Each head holds a button (Enter and Space sort, as a click does); aria-sort is on the head.
    # The roles are the elements' own: said again, as a narrow window lays the table out in blocks,
    # which some browsers take for the end of a table.
    columns = (("n", "#", "num"), ("a", "A", ""), ("b", "B", ""), ("kind", "kind", ""),
               ("sim", "similarity", "num"), ("ca", "A in B", "num"), ("cb", "B in A", "num"),
               ("passages", "passages", "num"))
    named = {"n": ' aria-label="pair number"'}
    head = "".join(f'<th scope="col" role="columnheader" data-key="{key}" class="{css}">'
                   f'<button type="button"{named.get(key, "")}>{label}</button></th>' for key, label, css in columns)
    caption = f'<caption>ids under <span class="id">{e(prefix)}</span></caption>' if prefix else ""
    table = (f'<div class="table-scroll"><table id="pairs-table" class="pairs" role="table">{caption}'
             f'<thead role="rowgroup"><tr role="row">{head}</tr></thead><tbody role="rowgroup"></tbody></table></div>'
             '<div class="pager"><button type="button" id="prev-page">‹ previous</button> '
             '<span id="page-info"></span> <button type="button" id="next-page">next ›</button></div>')
    return ('<h2 id="pairs">Pairs</h2>\n<noscript><p>The pairs table and the passages need JavaScript; '
            "the JSON report (--format json) holds the same data.</p></noscript>\n"
            '<p class="muted">Click a column\'s head to sort; click a row, or its number (a link: Tab to it, '
            "Enter), to see its passages side by side.</p>\n"
            f'{controls}\n{table}\n<section id="pair-view" hidden></section>')


def _clusters(clusters: Sequence[Sequence[str]]) -> str:
    if not clusters:
        return '<h2 id="clusters">Clusters</h2>\n<p>No clusters.</p>'
    items = "".join(f"<li>{len(c)} documents: " + ", ".join(f'<span class="id">{e(i)}</span>' for i in c)
                    + "</li>\n" for c in clusters)
    return f'<h2 id="clusters">Clusters ({len(clusters)})</h2>\n<details open>\n<summary>members</summary>\n<ol>\n{items}</ol>\n</details>'


def _documents(report: Report) -> str:
    return (f'<details id="documents">\n<summary>Documents scanned ({len(report.documents)})</summary>\n'
            '<table class="documents"><thead><tr><th>id</th><th>path</th><th class="num">words</th>'
            '<th class="num">characters</th><th></th></tr></thead><tbody></tbody></table>\n</details>')


def _skipped(report: Report) -> str:
    if not report.skipped:
        return '<h2 id="skipped">Skipped inputs</h2>\n<p>None.</p>'
    rows = ((f'<span class="id">{e(s.path)}</span>', e(s.reason)) for s in report.skipped)
    return '<h2 id="skipped">Skipped inputs</h2>\n' + _table(["path", "reason"], rows)


def _ignored(report: Report) -> str:
    """Files a folder walk passed over for their type (not failures), folded away."""
    if not report.ignored:
        return ""
    rows = ((f'<span class="id">{e(s.path)}</span>', e(s.reason)) for s in report.ignored)
    table = _table(["path", "reason"], rows)
    return f"<details>\n<summary>Ignored by type ({len(report.ignored)}; not read, not an error)</summary>\n{table}\n</details>"
