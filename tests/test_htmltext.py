"""The visible article text of an HTML page."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dupefind import htmltext
from dupefind.htmltext import html_to_text


class PlainExtractor(HTMLParser):
    """The plain statement the counted extractor replaced: every check looks at every open tag.
    An article element hidden, or opened inside hidden markup or furniture, is no article of the
    page; an element whose attributes keep it from being shown is hidden markup."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[tuple[str, bool, bool]] = []  # each open tag: is it an article of the page, is it concealed
        self.page: list[str] = []
        self.article: list[str] = []
        self.seen_article = False

    def _hidden(self) -> bool:
        return any(tag in htmltext._HIDDEN or concealed for tag, _, concealed in self.open)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in htmltext._BLOCK:
            self._emit("\n")
        concealed = htmltext._concealed(attrs)
        real = (tag in htmltext._ARTICLE and not concealed and not self._hidden()
                and not any(t in htmltext._FURNITURE for t, _, _ in self.open))
        if tag not in htmltext._VOID:
            self.open.append((tag, real, concealed))
            self.seen_article |= real

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in htmltext._BLOCK:
            self._emit("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in [t for t, _, _ in self.open]:
            while self.open and self.open.pop()[0] != tag:
                pass
        if tag in htmltext._BLOCK:
            self._emit("\n")

    def handle_data(self, data: str) -> None:
        if not self._hidden():
            self._emit(data)

    def _emit(self, data: str) -> None:
        if any(real for _, real, _ in self.open):
            depth = max(i for i, (_, real, _) in enumerate(self.open) if real)
            if not any(tag in htmltext._FURNITURE for tag, _, _ in self.open[depth:]):
                self.article.append(data)
        elif not any(tag in htmltext._FURNITURE for tag, _, _ in self.open):
            self.page.append(data)


TAGS = ["div", "p", "span", "b", "script", "style", "nav", "footer", "aside", "article", "main", "br", "img",
        "li", "ul", "template", "form"]
PIECES = st.one_of(
    st.sampled_from(TAGS).map(lambda t: f"<{t}>"),
    st.sampled_from(TAGS).map(lambda t: f"</{t}>"),
    st.sampled_from(TAGS).map(lambda t: f"<{t}/>"),
    st.sampled_from(["alpha", "beta gamma", " ", "\n", "delta.", "&amp;", "x"]),
    st.sampled_from(['<span hidden>', '<div style="display: none">', '<article hidden>', '<p style="visibility:hidden">',
                     '<main style="color: red">', '<b aria-hidden="true">']),
)


@given(st.lists(PIECES, max_size=80))
def test_the_counted_extractor_is_the_plain_statement(pieces: list[str]) -> None:
    page = "".join(pieces)
    plain = PlainExtractor()
    plain.feed(page)
    plain.close()
    counted = htmltext._Extractor()
    counted.feed(page)
    counted.close()
    assert (counted.page, counted.article, counted.seen_article) == (plain.page, plain.article, plain.seen_article)


def test_article_furniture_and_hidden_text() -> None:
    page = ("<html><head><title>T</title></head><body><nav>Menu</nav><article><h1>Headline</h1>"
            "<p>Body <b>text</b>.</p><aside>Share</aside><script>x()</script></article>"
            "<footer>Footer</footer></body></html>")
    assert html_to_text(page) == "Headline\n\nBody text."
    assert html_to_text("<div>One</div><nav>Menu</nav><p>Two</p>") == "One\n\nTwo"


@pytest.mark.parametrize("opening", ["<div>", "<p>"])
def test_a_page_nested_200000_deep_is_read(no_hang: None, opening: str) -> None:
    # Each piece of text checked every open element: 200,000 nested elements took hours.
    page = opening * 200_000 + "deep words" + opening.replace("<", "</") * 200_000
    assert html_to_text(page) == "deep words"


@pytest.mark.parametrize("holder", ["aside", "footer", "header", "form", "nav", "template", "noscript"])
def test_an_article_inside_furniture_or_hidden_markup_is_no_article_of_the_page(holder: str) -> None:
    """A teaser marked ``<article>`` inside an ``<aside>`` (or furniture, or hidden markup)
    does not stand for the page: the page's own text is kept (it was replaced by the teaser's
    three words, or by nothing: copies of the page went unfound)."""
    story = " ".join(["The council voted on Tuesday to close the old town to cars."] * 5)
    page = f"<html><body><p>{story}</p><{holder}><article>Related: teaser headline</article></{holder}></body></html>"
    assert html_to_text(page) == story
    inside = f"<main><p>{story}</p><{holder}><article>teaser</article></{holder}></main><p>after</p>"
    assert html_to_text(inside) == story


def test_elements_not_shown_are_left_out() -> None:
    """``hidden`` and ``display: none`` or ``visibility: hidden`` elements are not shown, so not
    read (a hidden span glued its word to the next: "x" + "train" read "xtrain"); ``aria-hidden``
    text is on screen and read."""
    page = ('<p>night <span style="display: none">x</span>train <b hidden>secret</b> runs '
            '<i aria-hidden="true">fast</i> <span style="COLOR:red; Visibility : hidden !important">gone</span>'
            'today</p><div style="display:nonesuch">kept</div>')
    assert html_to_text(page) == "night train runs fast today\n\nkept"
    assert html_to_text("<article hidden>hidden article</article><p>page text</p>") == "page text"


def test_a_comment_never_closed_hides_the_rest_as_a_browser_does() -> None:
    assert html_to_text("<p>shown</p><!-- closed --><p>also</p><!-- never closed</p><p>hidden") == "shown\n\nalso"
