"""The visible article text of an HTML page (standard library ``html.parser``).

Scripts, styles and page furniture (``nav``, ``header``, ``footer``, ``aside``, ``form``) are
left out; when the page marks its article (``<article>`` or ``<main>``), only that is kept.
Block elements become line breaks, so lines and paragraphs survive for boilerplate detection
and for the passages shown to the user. Passage offsets of an HTML document index this
extracted text.
"""

from __future__ import annotations

import re
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
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.page: list[str] = []
        self.article: list[str] = []
        self.seen_article = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK:
            self._emit("\n")
        if tag not in _VOID:
            self.open.append(tag)
        if tag in _ARTICLE:
            self.seen_article = True

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK:
            self._emit("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.open:
            while self.open and self.open.pop() != tag:
                pass
        if tag in _BLOCK:
            self._emit("\n")

    def handle_data(self, data: str) -> None:
        if any(tag in _HIDDEN for tag in self.open):
            return
        self._emit(data)

    def _emit(self, data: str) -> None:
        in_article = any(tag in _ARTICLE for tag in self.open)
        furniture = any(tag in _FURNITURE for tag in self.open)
        if in_article:
            # Inside the article only nested page furniture (a share bar) is dropped.
            if not any(tag in _FURNITURE for tag in self.open[self._article_depth() :]):
                self.article.append(data)
        elif not furniture:
            self.page.append(data)

    def _article_depth(self) -> int:
        for index in range(len(self.open) - 1, -1, -1):
            if self.open[index] in _ARTICLE:
                return index
        return 0


def html_to_text(html: str) -> str:
    """The visible article text of ``html``, one line per block, spaces collapsed."""
    parser = _Extractor()
    parser.feed(html)
    parser.close()
    raw = "".join(parser.article if parser.seen_article else parser.page)
    lines = (re.sub(r"[ \t\r\f\v\u00a0]+", " ", line).strip() for line in raw.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
