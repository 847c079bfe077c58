"""The visible article text of an HTML page (standard library ``html.parser``).

Scripts, styles, elements not shown (``hidden``, ``display: none``) and page furniture
(``nav``, ``header``, ``footer``, ``aside``, ``form``) are left out; when the page marks its
article (``<article>`` or ``<main>``, outside those), only that is kept.
Block elements become line breaks, so lines and paragraphs survive for boilerplate detection
and for the passages shown to the user. Passage offsets of an HTML document index this
extracted text.
"""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser

_HIDDEN = frozenset({"script", "style", "noscript", "template", "svg", "head", "iframe", "object"})
_FURNITURE = frozenset({"nav", "header", "footer", "aside", "form", "button", "select"})
_ARTICLE = frozenset({"article", "main"})
_BLOCK = frozenset(
    "address article blockquote br dd div dl dt figcaption figure h1 h2 h3 h4 h5 h6 hr li main "
    "ol p pre section table td th tr ul".split()
)
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())


class _Extractor(HTMLParser):
    """The text of a page as it is parsed. What is open is counted as it opens and closes (how
    many hidden, furniture and article elements), so each piece of text costs the same however
    deep it sits: a page of 200,000 nested elements is read in a second, not in hours."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.opened: Counter[str] = Counter()  # how many of each tag are in ``open``
        self.hidden = 0  # open elements of _HIDDEN
        self.furniture = 0  # open elements of _FURNITURE
        self.articles: list[int] = []  # for each open article: ``furniture`` when it opened
        self.marks: list[bool] = []  # for each open element of _ARTICLE: whether it is an article
        self.concealed: list[bool] = []  # for each open element: whether its attributes hide it
        self.page: list[str] = []
        self.article: list[str] = []
        self.seen_article = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK:
            self._emit("\n")
        if tag not in _VOID:
            self.open.append(tag)
            self.opened[tag] += 1
            concealed = _concealed(attrs)
            if tag in _ARTICLE:
                # An <article> hidden, or in hidden markup or furniture (a teaser in an <aside>,
                # a <template>), marks no article of the page: it would stand for the whole page.
                real = not self.hidden and not self.furniture and not concealed
                self.marks.append(real)
                if real:
                    self.articles.append(self.furniture)
                    self.seen_article = True
            self.concealed.append(concealed)
            self.hidden += tag in _HIDDEN or concealed
            self.furniture += tag in _FURNITURE

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK:
            self._emit("\n")

    def handle_endtag(self, tag: str) -> None:
        if self.opened[tag]:  # closes it and whatever was left open inside it
            while self.open and self._close() != tag:
                pass
        if tag in _BLOCK:
            self._emit("\n")

    def _close(self) -> str:
        tag = self.open.pop()
        self.opened[tag] -= 1
        self.hidden -= tag in _HIDDEN or self.concealed.pop()
        self.furniture -= tag in _FURNITURE
        if tag in _ARTICLE and self.marks.pop():
            self.articles.pop()
        return tag

    def handle_data(self, data: str) -> None:
        if self.hidden:
            return
        self._emit(data)

    def _emit(self, data: str) -> None:
        if self.articles:
            # Inside the article only nested page furniture (a share bar) is dropped.
            if self.furniture == self.articles[-1]:
                self.article.append(data)
        elif not self.furniture:
            self.page.append(data)


_NOT_SHOWN = re.compile(r"(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)\s*(?:!important\s*)?(?:;|$)",
                        re.IGNORECASE)


def _concealed(attrs: list[tuple[str, str | None]]) -> bool:
    """Whether an element's attributes keep it from being shown: ``hidden``, or a ``style`` of
    ``display: none`` or ``visibility: hidden`` (``aria-hidden`` hides from screen readers
    only: the text is on screen)."""
    return any(name == "hidden" or (name == "style" and _NOT_SHOWN.search(value or "") is not None)
               for name, value in attrs)


def _without_open_comment(html: str) -> str:
    """``html`` up to a comment that is never closed (a browser shows nothing after it; the
    parser gave the rest back as text, markup and all)."""
    at = 0
    while (start := html.find("<!--", at)) >= 0:
        end = html.find("-->", start + 4)
        if end < 0:
            return html[:start]
        at = end + 3
    return html


def html_to_text(html: str) -> str:
    """The visible article text of ``html``, one line per block, spaces collapsed."""
    parser = _Extractor()
    parser.feed(_without_open_comment(html))
    parser.close()
    raw = "".join(parser.article if parser.seen_article else parser.page)
    lines = (re.sub(r"[ \t\r\f\v\u00a0]+", " ", line).strip() for line in raw.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
