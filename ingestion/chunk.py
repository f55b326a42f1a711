"""Cutting a document into chunks: one per article for legislation, one per heading section otherwise."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from core.injection import FLAG, INJECTION
from ingestion.documents import Chunk, LoadedDocument, Page, chunk_id
from ingestion.structure import (
    ANNEX_RANK,
    clean_line,
    is_title_like,
    markdown_heading,
    match_article,
    match_division,
    setext_level,
    unbracketed,
)

PREAMBLE = "Preamble"
_MIN_ROOM = 200  # below this, a long paragraph starts a new part instead of filling the current one
_SENTENCE_BREAKS = (
    re.compile(r"\n"),
    re.compile(r"(?<=[.!?;])\s+"),  # the treaties' preambles are one sentence of clauses joined by ";"
    re.compile(r"(?<=,)\s+"),
    re.compile(r"\s+"),
)


@dataclass(frozen=True)
class _Line:
    text: str
    page: int | None


@dataclass
class _Unit:
    """A stretch of the document that becomes one chunk, or several when it is longer than max_chars."""

    section: str
    heading: list[str]  # lines repeated at the top of every part
    page: int | None
    body: list[_Line] = field(default_factory=list)
    keep_empty: bool = False  # an article is indexed even when only its heading survived


def chunk_document(
    doc: LoadedDocument, pages: list[Page] | None = None, *, max_chars: int = 1800, min_chars: int = 40
) -> list[Chunk]:
    """Cut a document into chunks that follow its structure.

    Legislation (or a document of unknown type in which article headings are found) gets one chunk per
    article, with the preamble and annexes as chunks of their own; other documents get one chunk per
    Markdown heading section. Parts longer than ``max_chars`` are split at paragraph, then sentence
    boundaries, each part repeating the heading.

    Args:
        doc: the loaded document; its metadata is copied onto every chunk.
        pages: the (possibly scrubbed) page texts to cut; defaults to ``doc.pages``.
        max_chars: the longest chunk text wanted (a single word longer than that is cut).
        min_chars: heading sections with less body text than this are merged into the next one.

    Returns:
        The chunks in document order; ``ordinal`` is the position in that order.
    """
    lines = _lines(doc.pages if pages is None else pages)
    units = None
    doc_type = doc.metadata.doc_type
    if doc_type == "legislation" or (doc_type == "unknown" and _has_articles(lines)):
        units = _legal_units(lines)
    if units is None:
        units = _heading_units(lines, min_chars)
    meta = doc.metadata
    chunks: list[Chunk] = []
    for unit in units:
        for text, page in _split_unit(unit, max_chars):
            ordinal = len(chunks)
            chunks.append(
                Chunk(
                    id=chunk_id(doc.source, ordinal, text),
                    text=text,
                    source=doc.source,
                    title=meta.title,
                    doc_type=meta.doc_type,
                    jurisdiction=meta.jurisdiction,
                    language=meta.language,
                    section=unit.section,
                    page=page,
                    ordinal=ordinal,
                    flags=FLAG if INJECTION.search(text) else "",
                )
            )
    return chunks


def _lines(pages: list[Page]) -> list[_Line]:
    lines: list[_Line] = []
    for page in pages:
        text = page.text.replace("\r\n", "\n").replace("\r", "\n")
        lines.extend(_Line(line.rstrip(), page.number) for line in text.split("\n"))
        # A page break ends a paragraph: a chunk's page is then always the page its first paragraph is on.
        lines.append(_Line("", page.number))
    return lines


def _has_articles(lines: list[_Line]) -> bool:
    labels = {heading.label for line in lines if (heading := match_article(line.text))}
    return len(labels) >= 2


def _next_text_line(lines: list[_Line], start: int) -> int | None:
    for index in range(start, len(lines)):
        if lines[index].text.strip():
            return index
    return None


def _is_title_line(text: str) -> bool:
    """A line under a heading that names it ("Use of terms"), as opposed to the first line of the body."""
    if match_article(text) or match_division(text):
        return False
    heading = markdown_heading(text)
    if heading is not None:
        return len(heading[1]) < 300  # the source marked it as a heading: trust it even when long
    return is_title_like(clean_line(text))


def _legal_units(lines: list[_Line]) -> list[_Unit] | None:
    """Preamble, articles and annexes; None when the text has no article headings at all."""
    if not any(match_article(line.text) for line in lines):
        return None
    first_page = lines[0].page if lines else None
    units = [_Unit(section=PREAMBLE, heading=[], page=first_page)]
    context: list[tuple[int, str]] = []  # open parts/chapters/sections as (rank, label)
    index = 0
    while index < len(lines):
        line = lines[index]
        heading = match_article(line.text) or match_division(line.text)
        if heading is None:
            units[-1].body.append(line)
            index += 1
            continue
        title, index = heading.title, index + 1
        if not title and not heading.body:
            title_index = _next_text_line(lines, index)
            if title_index is not None and _is_title_line(lines[title_index].text):
                title, index = unbracketed(clean_line(lines[title_index].text)), title_index + 1
        label = heading.full(title)
        if heading.kind == "article":
            unit = _Unit(section=label, heading=[*(name for _, name in context), label], page=line.page)
            unit.keep_empty = True
        else:
            # An annex starts a new part of the text; a chapter closes the chapters and sections before it.
            kept = [] if heading.rank == ANNEX_RANK else [entry for entry in context if entry[0] < heading.rank]
            context = [*kept, (heading.rank, label)]
            unit = _Unit(section=label, heading=[name for _, name in context], page=line.page)
        if heading.body:
            unit.body.append(_Line(heading.body, line.page))
        units.append(unit)
    return units


def _headings(lines: list[_Line]) -> dict[int, tuple[int, str, int]]:
    """Heading lines by index: (level, text, index of the first line after the heading)."""
    found: dict[int, tuple[int, str, int]] = {}
    for index, line in enumerate(lines):
        atx = markdown_heading(line.text)
        if atx is not None:
            found[index] = (atx[0], atx[1], index + 1)
            continue
        text = line.text.strip()
        if index + 1 >= len(lines) or not text or len(text) >= 120:
            continue
        level = setext_level(lines[index + 1].text)
        # A "---" under a paragraph of several lines is a rule, not an underline: ask for a one-line paragraph.
        if level is not None and (index == 0 or not lines[index - 1].text.strip()):
            found[index] = (level, clean_line(text), index + 2)
    return found


def _heading_units(lines: list[_Line], min_chars: int) -> list[_Unit]:
    """Sections under Markdown headings, the section named by its heading path."""
    headings = _headings(lines)
    levels = [level for level, _, _ in headings.values()]
    # A single H1 opening the document is its title, already in the metadata: leave it out of the paths.
    title_index = next(iter(headings), None) if levels and levels[0] == 1 and levels.count(1) == 1 else None
    units = [_Unit(section="", heading=[], page=lines[0].page if lines else None)]
    stack: list[tuple[int, str]] = []
    index = 0
    while index < len(lines):
        if index not in headings:
            units[-1].body.append(lines[index])
            index += 1
            continue
        level, text, after = headings[index]
        if index == title_index:
            units.append(_Unit(section="", heading=[text], page=lines[index].page))
        else:
            stack = [*(entry for entry in stack if entry[0] < level), (level, text)]
            path = " > ".join(name for _, name in stack)
            units.append(_Unit(section=path, heading=[path], page=lines[index].page))
        index = after
    return _merge_small(units, min_chars)


def _merge_small(units: list[_Unit], min_chars: int) -> list[_Unit]:
    """Fold sections with less than min_chars of body text into the section that follows them."""
    merged: list[_Unit] = []
    carry: list[_Line] = []
    for position, unit in enumerate(units):
        unit.body = [*carry, *unit.body]
        carry = []
        size = len(_body_text(unit.body))
        if size >= min_chars or position == len(units) - 1:
            merged.append(unit)
            continue
        following = units[position + 1]
        named_by_next = not unit.section or following.section.startswith(f"{unit.section} > ")
        if size or not named_by_next:
            heading = [] if named_by_next else [_Line(name, unit.page) for name in unit.heading]
            carry = [*heading, _Line("", unit.page), *unit.body, _Line("", unit.page)]
    return merged


def _render(line: str) -> str:
    heading = markdown_heading(line)
    text = heading[1] if heading else line
    return " ".join(text.split())


def _paragraphs(body: list[_Line]) -> list[tuple[str, int | None]]:
    paragraphs: list[tuple[str, int | None]] = []
    current: list[str] = []
    page: int | None = None
    for line in body:
        text = _render(line.text)
        if text:
            if not current:
                page = line.page
            current.append(text)
        elif current:
            paragraphs.append(("\n".join(current), page))
            current = []
    if current:
        paragraphs.append(("\n".join(current), page))
    return paragraphs


def _body_text(body: list[_Line]) -> str:
    return "\n\n".join(text for text, _ in _paragraphs(body))


def _split_long(text: str, limit: int, level: int = 0) -> list[str]:
    """Pieces of at most limit characters, cut at line, then sentence, clause and word boundaries."""
    if len(text) <= limit:
        return [text]
    if level == len(_SENTENCE_BREAKS):
        return [text[start : start + limit] for start in range(0, len(text), limit)]
    parts = [part for part in _SENTENCE_BREAKS[level].split(text) if part]
    joiner = "\n" if level == 0 else " "
    pieces: list[str] = []
    current = ""
    for part in parts:
        for piece in _split_long(part, limit, level + 1):
            if current and len(current) + len(joiner) + len(piece) > limit:
                pieces.append(current)
                current = piece
            else:
                current = f"{current}{joiner}{piece}" if current else piece
    if current:
        pieces.append(current)
    return pieces


def _split_unit(unit: _Unit, max_chars: int) -> list[tuple[str, int | None]]:
    """The unit's chunk texts with the page their body text is on, every text opening with the unit's heading.

    A part holds text of one page only; a heading-only unit keeps its heading's page.
    """
    prefix = "\n".join(unit.heading)
    paragraphs = _paragraphs(unit.body)
    if not paragraphs:
        return [(prefix, unit.page)] if unit.keep_empty and prefix else []
    # A very long heading must not leave room for only a few words of body text.
    budget = max(max_chars - len(prefix) - 2, max_chars // 2) if prefix else max_chars
    groups: list[list[tuple[str, int | None]]] = [[]]
    room = budget
    for text, page in paragraphs:
        if groups[-1] and groups[-1][-1][1] != page:
            # A part never spans a page break, so the page it cites is the page every sentence of it is on.
            groups.append([])
            room = budget
        while text:
            needed = len(text) + (2 if groups[-1] else 0)
            if needed <= room:
                groups[-1].append((text, page))
                room -= needed
                break
            # Fill the room left by short paragraphs (a title line, say) with the start of a long one rather
            # than leaving them alone in a chunk of their own.
            room -= 2 if groups[-1] else 0
            if len(text) > budget and room >= _MIN_ROOM:
                head = _split_long(text, room)[0]
                groups[-1].append((head, page))
                text = text[len(head) :].lstrip()
            elif not groups[-1]:
                head = _split_long(text, budget)[0]
                groups[-1].append((head, page))
                text = text[len(head) :].lstrip()
            groups.append([])
            room = budget
    groups = [group for group in groups if group]
    parts: list[tuple[str, int | None]] = []
    for group in groups:
        body = "\n\n".join(piece for piece, _ in group)
        parts.append((f"{prefix}\n\n{body}" if prefix else body, group[0][1]))
    return parts
