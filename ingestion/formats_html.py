"""HTML bytes as pages of text (BeautifulSoup): scripts and navigation dropped, blocks kept as paragraphs."""

from __future__ import annotations

import codecs
import re
from typing import Any

from core.settings import IngestionSettings
from ingestion.documents import Page
from ingestion.formats import NestingCounter, checked_text, normalise_newlines

_HTML_VOID = frozenset(
    ("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr")
)
# Elements whose start tag closes an open one of the same name (HTML's implied end tags), for counting depth.
_HTML_SELF_CLOSING = frozenset(("p", "li", "dt", "dd", "tr", "td", "th", "option"))

_HTML_DROPPED = ("script", "style", "nav", "noscript", "template", "head")
_HTML_BLOCKS = frozenset(
    ("p", "div", "section", "article", "main", "header", "footer", "aside", "blockquote", "ul", "ol", "li", "table",
     "thead", "tbody", "tfoot", "tr", "pre", "figure", "figcaption", "dl", "dt", "dd", "address", "hr", "body",
     "html", "form", "fieldset", "details", "summary", "caption")
)  # fmt: skip


def read_html(data: bytes, source: str, limits: IngestionSettings) -> tuple[list[Page], str]:
    """The text of an HTML page (headings as Markdown) and its title; nesting is checked before it is parsed.

    Raises:
        IngestionError: elements nested past ``ingestion.max_nesting``, or the text looks binary.
    """
    from bs4 import BeautifulSoup

    check_html_nesting(data, source, limits.max_nesting)
    # BeautifulSoup finds the encoding from the BOM, the <meta charset> or a guess.
    soup = BeautifulSoup(data, "html.parser")
    title = " ".join(soup.title.get_text().split()) if soup.title else ""
    for tag in soup.find_all(_HTML_DROPPED):
        tag.decompose()
    parts: list[str] = []
    _render_html(soup, parts)
    text = "".join(parts)
    text = re.sub(r"[ \t]{2,}", " ", text)
    text = re.sub(r"[ \t]*\n[ \t]*", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return [Page(checked_text(normalise_newlines(text.strip()), source))], title


def check_html_nesting(data: bytes, source: str, limit: int) -> None:
    """Refuse HTML whose elements nest deeper than ``limit``, streaming through its tags without building a tree.

    Raises:
        IngestionError: naming the file and the limit.
    """
    from html.parser import HTMLParser

    counter = NestingCounter(source, limit)
    open_tags: list[str] = []

    class _Depth(HTMLParser):
        def handle_starttag(self, tag: str, attrs: Any) -> None:
            if tag in _HTML_VOID:
                return
            if tag in _HTML_SELF_CLOSING and open_tags and open_tags[-1] == tag:
                return  # a second <p> closes the first: the depth stays the same
            open_tags.append(tag)
            counter.open()

        def handle_endtag(self, tag: str) -> None:
            if tag not in open_tags:
                return  # a stray end tag closes nothing
            while open_tags:  # an end tag closes everything opened after its start tag
                counter.close()
                if open_tags.pop() == tag:
                    break

    # Tags are ASCII in every encoding BeautifulSoup accepts except UTF-16/32, which announce themselves with a BOM.
    utf16 = data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    text = data.decode("utf-16" if utf16 else "latin-1", errors="replace")
    parser = _Depth(convert_charrefs=False)
    parser.feed(text)
    parser.close()


def _render_html(root: Any, parts: list[str]) -> None:
    """Append the text of an element tree to ``parts``; an explicit stack, so depth never meets Python's limit."""
    from bs4 import NavigableString, Tag
    from bs4.element import PreformattedString

    stack: list[Any] = root.contents[::-1]  # elements still to render, and (text,) to append once one is done
    while stack:
        child = stack.pop()
        if isinstance(child, tuple):
            parts.append(child[0])
        elif isinstance(child, PreformattedString):  # comments, doctype, CDATA, processing instructions
            continue
        elif isinstance(child, NavigableString):
            # Line breaks inside HTML source are layout, not structure.
            parts.append(re.sub(r"\s+", " ", str(child)))
        elif isinstance(child, Tag):
            stack.extend(_render_tag(child, parts))


def _render_tag(tag: Any, parts: list[str]) -> list[Any]:
    """Render what one tag adds itself; returns what still has to be rendered, last first."""
    name = tag.name.lower()
    if re.fullmatch(r"h[1-6]", name):
        heading = " ".join(tag.get_text(" ").split())
        if heading:
            parts.append(f"\n\n{'#' * int(name[1])} {heading}\n\n")
        return []
    if name == "br":
        parts.append("\n")
        return []
    if name == "pre":
        parts.append(f"\n\n{tag.get_text()}\n\n")
        return []
    if name in ("td", "th"):
        opening, closing = " ", " |"
    else:
        closing = "\n\n" if name in _HTML_BLOCKS else ""
        opening = closing + ("- " if name == "li" else "")
    parts.append(opening)
    return [(closing,), *tag.contents[::-1]]
