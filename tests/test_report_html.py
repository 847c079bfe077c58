"""The HTML report: a well-formed, self-contained, escaped and deterministic page whose data
(embedded as JSON for its script) is safe and complete. The browser test is test_report_browser.py."""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, ClassVar

import pytest

import dupefind
from dupefind.report.html import pair_html, report_html
from dupefind.report.html.charts import BINS, cluster_size_chart, containment_chart
from dupefind.report.html.data import _passage, script_json

ORIGINAL = """\
The old harbour at the end of the valley was rebuilt after the great storm of the winter,
when the sea broke through the wall and flooded the lower streets of the town. For many
months the fishermen had to land their boats on the open beach, and the market moved into
a tent beside the church. The council argued for a long time about the cost of the work,
and in the end it was the families of the town who raised most of the money themselves.
They held dances, sold cakes and knitted jumpers, and the children collected coins in jars
that stood on every counter. When the new wall was finished it was higher and thicker than
the old one, and the stones were brought by train from a quarry in the north. On the day it
opened the whole town walked along the top of it, and the mayor made a speech that nobody
could hear because of the wind. Today the harbour is busy again, and visitors who sit on the
wall in the evening rarely know how much it cost the people who built it.
"""

SWAPS = {"fishermen": "sailors", "tent": "marquee", "jumpers": "sweaters", "quarry": "mine"}

UNRELATED = """\
Growing tomatoes on a balcony needs little more than a deep pot, a sunny corner and some
patience. Choose a compact variety that does not climb too high, and plant it in a mix of
compost and garden soil once the nights are warm. Water in the morning rather than at night,
so the leaves dry before dark, and feed the plant every week once the first flowers appear.
Pinch out the side shoots that grow between the stem and the branches, because they take
energy from the fruit. A light stake or a loop of string keeps the stem upright when the
trusses get heavy. Pick the tomatoes as soon as they turn red; if frost threatens, the green
ones ripen slowly on a windowsill, wrapped in paper. A single plant can give several kilos in
a good summer, which is a fine reward for so little space and only a small amount of work.
"""


def _copy() -> str:
    """The original with a few words swapped and markup-like text pasted into the middle."""
    text = ORIGINAL
    for old, new in SWAPS.items():
        text = text.replace(old, new)
    return text.replace("the mayor made a speech", "the mayor <script>alert(1)</script> made a [b]x[/b] speech")


class _Checker(HTMLParser):
    """Fails on unbalanced tags; collects the text of each ``<mark>`` class and the element ids."""

    VOID: ClassVar[set[str]] = {"meta", "br", "hr", "img", "link", "input"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.tags: list[str] = []
        self.ids: list[str] = []
        self.hrefs: list[str] = []
        self.marks: dict[str, list[str]] = {"del": [], "ins": []}
        self.text: list[str] = []
        self.scripts: dict[str, str] = {}
        self._mark: str | None = None
        self._script: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.tags.append(tag)
        if found.get("id"):
            self.ids.append(str(found["id"]))
        if found.get("href"):
            self.hrefs.append(str(found["href"]))
        if tag == "mark":
            self._mark = str(found["class"])
            self.marks[self._mark].append("")
        if tag == "script":
            self._script = str(found.get("id") or "code")
            self.scripts[self._script] = ""
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes {self.stack[-1:]}"
        self.stack.pop()
        if tag == "mark":
            self._mark = None
        self._script = None

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self.scripts[self._script] += data
            return
        self.text.append(data)
        if self._mark:
            self.marks[self._mark][-1] += data


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("articles")
    (root / "harbour.txt").write_text(ORIGINAL, "utf-8")
    (root / "harbour <copy> & more.txt").write_text(_copy(), "utf-8")
    (root / "tomatoes.txt").write_text(UNRELATED, "utf-8")
    (root / "empty.txt").write_text("", "utf-8")
    (root / "photo.png").write_bytes(b"\x89PNG\r\n")
    return root


@pytest.fixture(scope="module")
def report(folder: Path) -> dupefind.Report:
    return dupefind.scan([str(folder)])


@pytest.fixture(scope="module")
def page(report: dupefind.Report) -> str:
    return report_html(report)


@pytest.fixture(scope="module")
def checked(page: str) -> _Checker:
    checker = _Checker()
    checker.feed(page)
    checker.close()
    return checker


def test_scan_found_one_pair_skipped_one_and_ignored_one(report: dupefind.Report) -> None:
    assert len(report.documents) == 3
    assert len(report.pairs) == 1
    assert [s.path.rsplit("/", 1)[1] for s in report.skipped] == ["empty.txt"]
    assert [s.path.rsplit("/", 1)[1] for s in report.ignored] == ["photo.png"]


def details(checked: _Checker, number: int) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(checked.scripts[f"pd-{number}"])
    return loaded


def test_page_is_well_formed_and_self_contained(page: str, checked: _Checker) -> None:
    assert page.startswith("<!DOCTYPE html>")
    assert checked.stack == []
    assert not {"link", "img", "iframe", "object", "embed"} & set(checked.tags)
    assert "http://" not in page and "https://" not in page and "src=" not in page
    assert re.search(r"<script[^>]*\bsrc", page) is None
    assert "fetch(" not in page and "XMLHttpRequest" not in page


def test_data_is_complete_and_cannot_break_out_of_its_element(page: str, checked: _Checker,
                                                              report: dupefind.Report) -> None:
    # Only three kinds of script element: the table data, one per pair, and the code.
    assert set(checked.scripts) == {"dupefind-data", "code"} | {f"pd-{n}" for n in range(1, len(report.pairs) + 1)}
    for name, body in checked.scripts.items():
        if name != "code":
            assert "<" not in body and ">" not in body and "&" not in body, name
    data = json.loads(checked.scripts["dupefind-data"])
    assert [[data["ids"][r[0]], data["ids"][r[1]]] for r in data["pairs"]] == [[p.a, p.b] for p in report.pairs]
    assert sorted(data["ids"][d[0]] for d in data["documents"]) == [d.id for d in report.documents]
    passage = report.pairs[0].passages[0]
    first = details(checked, 1)["passages"][0]
    assert first[:4] == [passage.a_start, passage.a_end, passage.b_start, passage.b_end]
    assert first[7:9] == [passage.a_text, passage.b_text]


def test_script_json_escapes_what_could_end_a_script() -> None:
    text = "</script><!-- & --> \u2028"
    encoded = script_json({"t": text})
    assert "</" not in encoded and "<!--" not in encoded and "&" not in encoded
    assert json.loads(encoded) == {"t": text}


def test_markup_in_articles_stays_data(page: str, checked: _Checker, report: dupefind.Report) -> None:
    assert "<script>alert" not in page
    texts = [t for p in details(checked, 1)["passages"] for t in p[7:9]]
    assert any("the mayor <script>alert(1)</script> made a [b]x[/b] speech" in t for t in texts)


def test_substituted_words_are_the_changes(checked: _Checker, report: dupefind.Report) -> None:
    changed_a, changed_b = [], []
    for p in details(checked, 1)["passages"]:
        changed_a += [p[7][c[0]:c[1]] for c in p[9]]
        changed_b += [p[8][c[0]:c[1]] for c in p[10]]
    deleted, inserted = " ".join(changed_a), " ".join(changed_b)
    if report.pairs[0].a.endswith("harbour <copy> & more.txt"):  # ids sort the copy first: A is the copy
        deleted, inserted = inserted, deleted
    for old, new in SWAPS.items():
        assert old in deleted, old
        assert new in inserted, new
    assert "harbour" not in deleted + inserted


def test_every_id_and_path_appears_escaped(page: str, report: dupefind.Report) -> None:
    for cluster in report.clusters:
        for doc in cluster:
            assert html.escape(doc) in page
    assert "<copy>" not in page
    assert "&lt;copy&gt; &amp; more" in page


def test_summary_counts_per_kind_version_and_config(page: str, report: dupefind.Report) -> None:
    assert "3 documents scanned (0 short), 1 skipped, 1 ignored by type, 1 pair in 1 cluster" in page
    assert "Ignored by type (1; not read, not an error)" in page and "photo.png" in page
    assert f"dupefind {dupefind.__version__}" in page
    for key in report.config:
        assert f'<span class="id">{key}</span>' in page
    for kind in report.pairs[0].relation.kinds:  # type: ignore[union-attr]  # the pair has passages
        assert f'<span class="kind kind-{kind}">{kind}</span></td><td class="num">1</td>' in page


def test_charts_mark_the_threshold_and_count_what_they_show() -> None:
    chart = containment_chart([0.05, 0.31, 0.32, 0.99, 1.0], threshold=0.3)
    assert 'class="threshold"' in chart and "threshold 0.3" in chart
    assert "4 of 5 pairs at or above it" in chart
    assert chart.count("<rect") == BINS
    assert "containment 0.30–0.35: 2</title>" in chart and "containment 0.95–1.00: 2</title>" in chart
    sizes = cluster_size_chart([2, 2, 3, 12, 40])
    assert "2 documents: 2</title>" in sizes and "10 documents or more: 2</title>" in sizes
    assert "5 clusters" in sizes


def test_clusters_and_skipped_inputs_listed(page: str, report: dupefind.Report) -> None:
    assert '<h2 id="clusters">Clusters (1)</h2>' in page
    assert f"{len(report.clusters[0])} documents: " in page
    section = page[page.index('<h2 id="skipped">'):]
    for item in report.skipped:
        assert html.escape(item.path) in section
        assert html.escape(item.reason) in section


def test_deterministic(folder: Path, report: dupefind.Report, page: str) -> None:
    assert report_html(report) == page
    assert report_html(dupefind.scan([str(folder)])) == page


def test_empty_report_still_renders() -> None:
    empty = dupefind.Report(config={}, documents=(), pairs=(), clusters=(), skipped=())
    checker = _Checker()
    checker.feed(report_html(empty))
    assert checker.stack == []


def test_text_written_in_the_page_shows_bidirectional_and_other_controls_as_escapes() -> None:
    from dupefind.report.html.page import e

    assert e("invoice\u202etxt.exe\u2066 <b>\x1b[31m\ttab") == "invoice\\u202etxt.exe\\u2066 &lt;b&gt;\\u001b[31m\ttab"


def test_marks_count_utf16_units_as_the_page_script_does() -> None:
    """The page's script slices a passage's text in UTF-16 units; the marks were code point
    offsets, so each emoji before a change moved its mark one character left."""
    night = (Path(__file__).resolve().parents[1] / "samples" / "040_night_trains_return.txt").read_text("utf-8")
    emoji = night.replace(". ", ". \U0001F686 ", 8)
    copy = emoji.replace("Budget", "Cheap").replace("remarkably quickly", "very fast")
    pair = dupefind.compare(emoji, copy)
    marked_a: list[str] = []
    marked_b: list[str] = []
    for p in pair.passages:
        row = _passage(p)
        units_a, units_b = row[7].encode("utf-16-le"), row[8].encode("utf-16-le")
        marked_a += [units_a[2 * s : 2 * e].decode("utf-16-le") for s, e in row[9]]
        marked_b += [units_b[2 * s : 2 * e].decode("utf-16-le") for s, e in row[10]]
    assert sorted(marked_a) == ["Budget", "remarkably quickly"] and sorted(marked_b) == ["Cheap", "very fast"]


def test_compare_page_lists_only_the_settings_a_comparison_uses() -> None:
    """``compare --format html`` listed num_perm, lsh_threshold, boilerplate_min_docs and jobs,
    which a comparison of two texts never uses."""
    from dataclasses import fields

    from dupefind.cli.compare import compare as compare_command
    from dupefind.report.html.pair_page import COMPARE_SETTINGS

    page = pair_html(dupefind.compare(ORIGINAL, _copy()), config=dupefind.Config().as_dict())
    listed = re.findall(r'<tr><td><span class="id">(\w+)</span></td>', page)
    assert listed == list(COMPARE_SETTINGS)
    for unused in ("num_perm", "seed", "lsh_threshold", "boilerplate_min_docs", "jobs", "include", "id_field"):
        assert f">{unused}<" not in page
    # The settings shown are the Config fields compare takes as options.
    options = {p.name for p in compare_command.params}
    assert set(COMPARE_SETTINGS) == options & {f.name for f in fields(dupefind.Config)}


def test_title_and_heading_say_what_was_scanned(page: str, folder: Path, report: dupefind.Report) -> None:
    """Every page was titled "dupefind report": two tabs or two saved reports looked the same."""
    where = html.escape(report.documents[0].path.rsplit("/", 1)[0] + "/")
    assert f"<title>dupefind report: {where} (3 documents, 1 pair)</title>" in page
    assert f'<h1>dupefind report: <span class="id">{where}</span></h1>' in page


def test_title_names_each_place_read_escaped() -> None:
    from dupefind.models import Document

    def titled(*paths: str) -> str:
        docs = tuple(Document(p, p, 100, 600, False) for p in paths)
        page = report_html(dupefind.Report(config={}, documents=docs, pairs=(), clusters=(), skipped=()))
        return page[page.index("<title>") + 7 : page.index("</title>")]

    assert titled("feeds/a.jsonl", "feeds/a.jsonl") == "dupefind report: feeds/a.jsonl (2 documents, 0 pairs)"
    assert titled("/srv/news/x.txt", "/srv/news/y/z.txt", "/tmp/one.txt") == (
        "dupefind report: /srv/news/, /tmp/one.txt (3 documents, 0 pairs)")
    assert titled("a/1", "b/1", "c/1", "d/1", "e/1") == "dupefind report: a/1, b/1, c/1, 2 more (5 documents, 0 pairs)"
    assert titled("<b>\u202e/x.txt", "<b>\u202e/y.txt") == (
        "dupefind report: &lt;b&gt;\\u202e/ (2 documents, 0 pairs)")
    assert titled() == "dupefind report (0 documents, 0 pairs)"


def test_pairs_table_says_the_shared_folder_once(page: str, checked: _Checker, report: dupefind.Report) -> None:
    """The terminal report leaves the folder every pair's ids share out of its table; the HTML
    table does too (its script drops ``prefix``), and says it once, in the caption."""
    folder = report.pairs[0].a.rsplit("/", 1)[0] + "/"
    assert f'<caption>ids under <span class="id">{html.escape(folder)}</span></caption>' in page
    data = json.loads(checked.scripts["dupefind-data"])
    assert data["prefix"] == folder
    assert all("/" in i for i in data["ids"])  # the ids themselves stay whole (the search matches them)


def test_shared_folder_caption_is_escaped() -> None:
    from dupefind.models import Edit, Passage

    text = "the same words in both texts"
    passage = Passage(0, len(text), 0, len(text), 1.0, 6, 6, text, text, (Edit("equal", 0, 6, 0, 6),))
    folder = '"><img src=x onerror=alert(1)>\u202e/'
    pair = dupefind.Pair(folder + "a.txt", folder + "b.txt", 1.0, 1.0, 1.0, 1.0, True, (passage,), None)
    page = report_html(dupefind.Report(config={}, documents=(), pairs=(pair,), clusters=((pair.a, pair.b),),
                                       skipped=()))
    assert ('<caption>ids under <span class="id">&quot;&gt;&lt;img src=x onerror=alert(1)&gt;\\u202e/</span>'
            "</caption>") in page
    assert "<img" not in page
