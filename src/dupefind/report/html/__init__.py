"""The HTML report: one self-contained page (inline CSS, SVG and script; no network), usable with
tens of thousands of pairs.

The page is built from:

* :mod:`.page` — the skeleton: summary with counts per kind, charts, the pairs table's controls,
  clusters, documents and skipped inputs;
* :mod:`.charts` — small inline-SVG charts (pairs' containment with the threshold marked,
  cluster sizes), drawn here, so they show without the script;
* :mod:`.data` — the report's data as JSON inside ``<script type="application/json">``
  elements, escaped so that nothing an article holds can end the element or run;
* :mod:`.pair_page` — the page of ``dupefind compare``: one pair, drawn in full without script;
* ``report.js`` — the inline script that sorts, filters and pages the pairs table and renders a
  pair's passages side by side only when the pair is opened (with ``textContent``: article text
  is never parsed as HTML); ``report.css``.

Nothing that varies between runs is written: the same report always gives the same page.
"""

from __future__ import annotations

from .page import report_html, report_html_chunks
from .pair_page import pair_html

__all__ = ["pair_html", "report_html", "report_html_chunks"]
