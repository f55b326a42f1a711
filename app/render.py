"""Turning answers and scrubbed text into safe HTML and Markdown (escaped first, highlighted second)."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence

from rag.search import Hit
from rag.types import Answer, Citation

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~<$:])")
# What a document or a model may write that makes the browser fetch or open something: images, links (inline,
# by reference, automatic) and raw HTML.
_IMAGE = re.compile(r"!\[([^\]\n]*)\](?:\([^)\n]*\)|\[[^\]\n]*\])?")
_LINK = re.compile(r"\[([^\]\n]*)\]\([^)\n]*\)")
_LINK_DEFINITION = re.compile(r"^ {0,3}\[[^\]\n]+\]:[^\n]*$", re.M)
_LINK_SYNTAX = re.compile(r"[\\\[\]!]|(?<=\w):(?=//)|(?<=\bwww)\.", re.I)
# Markdown's image and link signs as character references: in HTML the browser shows them as they are, and
# Markdown reads a reference as a plain character, never as syntax.
_INERT = {ord(c): f"&#{ord(c)};" for c in "![]():"}


def plain_markdown(text: str) -> str:
    """``text`` with Markdown syntax escaped, so a user's question is shown exactly as typed."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def safe_markdown(text: str) -> str:
    """Document or model text as Markdown that shows no image, link or HTML (their text stays, as plain words).

    Emphasis and lists are kept. Images and links become their text, link definitions are removed, and what is
    left of their syntax (brackets, "!", the ":" of "http://", the "." of "www.") and every "<" are escaped:
    nothing in a document can make the browser fetch a URL or run markup.
    """
    text = _LINK_DEFINITION.sub("", text)
    text = _LINK.sub(r"\1", _IMAGE.sub(r"\1", text))
    return _LINK_SYNTAX.sub(lambda m: "\\" + m.group(), text).replace("<", "&lt;")


def safe_tokens(tokens: Iterable[str]) -> Iterator[str]:
    """A model's streamed tokens with every Markdown sign escaped, one token at a time (for ``st.write_stream``).

    A link or an image spans several tokens, which is why the draft is shown as plain text while it streams.
    """
    for token in tokens:
        yield plain_markdown(token)


def highlight_html(text: str, spans: Sequence[tuple[int, int]], *, css_class: str = "") -> str:
    """``text`` as one line of HTML, escaped, with ``spans`` wrapped in ``<mark>`` and newlines as ``<br>``.

    Everything is escaped before any tag is added, so a document can never inject markup, and the signs of
    Markdown images and links become character references, so that Streamlit's Markdown renderer, which still
    reads the line, finds none. The result holds no newline.
    """
    attribute = f' class="{html.escape(css_class)}"' if css_class else ""
    pieces: list[str] = []
    cursor = 0
    for start, end in sorted(spans):
        if start < cursor or start >= end:
            continue  # overlapping or empty spans: keep the first
        pieces.append(_inert(text[cursor:start]))
        pieces.append(f"<mark{attribute}>{_inert(text[start:end])}</mark>")
        cursor = end
    pieces.append(_inert(text[cursor:]))
    return "".join(pieces).replace("\r\n", "\n").replace("\n", "<br>")


def _inert(text: str) -> str:
    """``text`` escaped for HTML, with no sign left that Markdown reads as an image, a link or an automatic link."""
    return re.sub(r"(?i)\bwww\.", "www&#46;", html.escape(text).translate(_INERT))


def supporting_span(quote: str, supporting: str) -> tuple[int, int] | None:
    """Where the supporting sentence lies in the quoted passage (whitespace-insensitive), or None."""
    needle = supporting.strip()
    if not needle:
        return None
    position = quote.find(needle)
    if position >= 0:
        return position, position + len(needle)
    # The checker may have normalised whitespace; match word by word across any run of spaces or newlines.
    words = needle.split()
    match = re.search(r"\s+".join(map(re.escape, words)), quote)
    return match.span() if match else None


def passage_html(text: str, spans: Sequence[tuple[int, int]] = ()) -> str:
    """A passage of a source as HTML in the sources' typeface, ``spans`` highlighted."""
    return f'<div style="font-family: Georgia, serif; line-height: 1.5">{highlight_html(text, spans)}</div>'


def quote_html(citation: Citation) -> str:
    """The citation's passage as HTML, with its supporting sentence highlighted."""
    span = supporting_span(citation.quote, citation.supporting)
    return passage_html(citation.quote, [span] if span else [])


# "[3]" as safe_markdown leaves it (brackets escaped), not preceded by another backslash.
_ESCAPED_MARKER = re.compile(r"(?<!\\)\\\[(\d{1,3})\\\]")


def citation_anchor(answer_key: str, n: int) -> str:
    """The HTML id of source card ``[n]`` of one answer (``answer_key`` tells the answers of a page apart)."""
    return f"source-{re.sub(r'[^A-Za-z0-9_-]', '', answer_key)}-{n}"


def link_citations(markdown: str, answer_key: str, numbers: Collection[int]) -> str:
    """Markdown from ``safe_markdown`` with each ``[n]`` of a shown source card made a link to that card.

    The only link added is to an anchor on the page (``#source-…``), built here; markers of no card stay text.
    """

    def link(match: re.Match[str]) -> str:
        n = int(match.group(1))
        return f"[\\[{n}\\]](#{citation_anchor(answer_key, n)})" if n in numbers else match.group()

    return _ESCAPED_MARKER.sub(link, markdown)


def location(section: str, page: int | None, page_word: str = "page") -> str:
    """ "Art. 2 · page 4" from a citation's section and page (either may be missing)."""
    parts = [section.strip()] if section and section.strip() else []
    if page is not None and page not in (-1, 0):
        parts.append(f"{page_word} {page}")
    return " · ".join(parts)


def source_label(citation: Citation, page_word: str = "page") -> str:
    """ "Title — Art. 2 · page 4": a source named in one line (its path when it has no title)."""
    where = location(citation.section, citation.page, page_word)
    return " — ".join(part for part in (citation.title or citation.source, where) if part)


def drafting_sources(evidence: Sequence[Hit], page_word: str = "page") -> str:
    """The numbered sources a draft is written from, one per line, as Markdown shown while the model writes."""
    citations = [Citation.from_hit(n, hit) for n, hit in enumerate(evidence, start=1)]
    return "  \n".join(f"[{c.n}] {plain_markdown(source_label(c, page_word))}" for c in citations)


def answer_markdown(answer: Answer, label: Callable[[str], str]) -> str:
    """An answer with its citations as a Markdown document (for the export button).

    Args:
        answer: the checked answer.
        label: the page's translate function (``app.i18n.t``), so the export is in the user's language.
    """
    lines = [f"# {label('you')}", "", answer.question, ""]
    if answer.abstained:
        lines += [f"## {label('not_covered')}", "", answer.notice.text(answer.language) if answer.notice else "", ""]
    else:
        lines += [f"## {label('generated_label')}", "", answer.answer, ""]
        if answer.extractive:
            lines += [f"_{label('extractive_label')}_", ""]
    if answer.citations:
        lines += [f"## {label('sources')}", ""]
        for citation in answer.citations:
            where = location(citation.section, citation.page, label("page"))
            lines.append(f"**[{citation.n}] {citation.title}**" + (f" — {where}" if where else ""))
            lines.append(f"`{citation.source}` · {citation.doc_type}")
            lines.append("")
            lines += [f"> {line}" if line else ">" for line in citation.quote.splitlines()]
            lines.append("")
    lines.append(f"---\n{label('model_line').format(model=answer.model, generation=answer.index_generation)}")
    return "\n".join(lines) + "\n"
