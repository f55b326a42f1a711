"""Recognising the headings of legal texts and Markdown documents, one line at a time."""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.legal_refs import ARTICLE_HEADING, article_number

# Real documents write the same heading many ways: "### Article  4  ", "###Article 35", "**Art. 601-bis**",
# "Articolo 4 - Definizioni". Detection works on a cleaned copy of the line; the text itself is never changed.
_MARKDOWN_PREFIX = re.compile(r"^\s{0,3}#{1,6}")
_EMPHASIS = re.compile(r"\*{1,3}|_{2,3}")
_SPACES = re.compile(r"\s+")

_DIVISION = re.compile(
    r"^(?P<word>part|book|title|chapter|section|parte|libro|titolo|capo|sezione)\s+"
    r"(?P<number>[IVXLCDM]+|\d+|[A-Z])\b(?P<rest>.*)$",
    re.IGNORECASE,
)
_ANNEX = re.compile(r"^(?P<word>annex|appendix|schedule|allegato)\b(?P<rest>.*)$", re.IGNORECASE)
_ROMAN_ONLY = re.compile(r"^(?P<number>[IVXLC]+)\b(?P<rest>.*)$")
_SEPARATOR = re.compile(r"^\s*[-–—:.)]+\s*")
_LIST_MARKER = re.compile(r"^\s*(?:[-*•]|\(?[0-9a-z]{1,3}[.)])\s")

# Rank of a division in the hierarchy of a legal text: a new division closes those of equal or lower rank.
_DIVISION_RANK = {
    "part": 0,
    "parte": 0,
    "book": 0,
    "libro": 0,
    "title": 1,
    "titolo": 1,
    "chapter": 2,
    "capo": 2,
    "section": 3,
    "sezione": 3,
}
ANNEX_RANK = -1
MAX_HEADING_CHARS = 100  # a title on a line of its own, under its heading; longer lines there are body text
_MAX_LINE_CHARS = 400  # a heading line with its (long) title; longer lines are body text whatever they start with
# A title after a separator on the heading line ("Article 4. ...") may be the article's first sentence instead; a
# Markdown heading line is a heading whatever its length.
_MAX_SEPARATED_TITLE_CHARS = 150


@dataclass(frozen=True)
class LegalHeading:
    """An article, division (part, chapter, section) or annex heading of a legal text."""

    kind: str  # "article" | "division" | "annex"
    label: str  # normalised, e.g. "Article 603-bis", "CHAPTER II", "ANNEX"
    title: str  # the text after the number on the same line, "" when there is none
    rank: int  # hierarchy rank for divisions (0 = part); ANNEX_RANK for annexes; unused for articles
    body: str = ""  # text that followed the heading on the same line and belongs to the body

    def full(self, title: str | None = None) -> str:
        """The label followed by the title, e.g. "Article 4 – Definitions"."""
        text = self.title if title is None else title
        return f"{self.label} – {text}" if text else self.label


def clean_line(line: str) -> str:
    """A line without Markdown heading marks, emphasis and repeated spaces, for heading detection."""
    text = _MARKDOWN_PREFIX.sub("", line)
    text = _EMPHASIS.sub("", text)
    return _SPACES.sub(" ", text).strip()


def markdown_heading(line: str) -> tuple[int, str] | None:
    """Level and text of an ATX heading ("## Title", also "##Title" as converted documents write it)."""
    match = re.match(r"^\s{0,3}(#{1,6})(?!#)\s*(.*?)\s*#*\s*$", line)
    text = clean_line(match.group(2)) if match else ""
    return (len(match.group(1)), text) if match and text else None


def _title_from_rest(rest: str, marked: bool = False) -> tuple[str, str, bool] | None:
    """Split what follows a heading number into (title, body text, set off by a separator); None if no heading.

    ``marked``: the line is a Markdown heading, so its text is a title at any length.
    """
    rest = rest.strip()
    if not rest:
        return "", "", False
    separated = bool(_SEPARATOR.match(rest))
    text = _SEPARATOR.sub("", rest).strip()
    title = unbracketed(text)  # "Article 4 (Definitions)"
    if separated:
        # "Article 4. The States Parties shall ..." is a heading followed by body text on the same line: keep the
        # heading and give the sentence back as body text, so it is neither lost nor taken for a title.
        limit = _MAX_LINE_CHARS if marked else _MAX_SEPARATED_TITLE_CHARS
        return (title, "", True) if is_title_like(title, limit=limit) else ("", text, True)
    if not is_title_like(title, limit=_MAX_LINE_CHARS):
        return None  # "Article 4 of the Convention ..." mentions an article; it does not start one
    return title, "", False


def unbracketed(title: str) -> str:
    """A title without the brackets some sources put round it ("(Tratta di persone)" in Normattiva's exports)."""
    return title[1:-1].strip() if title[:1] + title[-1:] in ("()", "[]") else title


def is_title_like(text: str, limit: int = MAX_HEADING_CHARS) -> bool:
    """True for a short line that reads like a heading: no final full stop, no list marker, not a sentence."""
    text = text.strip()
    if not text or len(text) >= limit or text[-1] in ".;:," or _LIST_MARKER.match(text):
        return False
    return not text[0].islower()


def match_article(line: str) -> LegalHeading | None:
    """The article heading on this line, or None (a sentence that merely cites an article is not a heading)."""
    text = clean_line(line)
    if len(text) > _MAX_LINE_CHARS:
        return None
    match = ARTICLE_HEADING.match(text)
    if not match:
        return None
    word = match.group("word").lower()
    parsed = _title_from_rest(match.group("rest"), bool(_MARKDOWN_PREFIX.match(line)))
    if parsed is None:
        return None
    number = match.group("number").replace("–", "-")  # a branch: "98-2"
    if match.group("suffix"):
        number = article_number(number, match.group("suffix"), "-" if match.group("dash") else "")
    elif match.group("letter"):
        number += match.group("letter")
    label = f"{'Articolo' if word == 'articolo' else 'Article'} {number}"
    return LegalHeading(kind="article", label=label, title=parsed[0], rank=0, body=parsed[1])


def match_division(line: str) -> LegalHeading | None:
    """A part, chapter, section or annex heading (or a bare Roman numeral Markdown heading), or None."""
    is_markdown = bool(_MARKDOWN_PREFIX.match(line))
    text = clean_line(line)
    if not text or len(text) > _MAX_LINE_CHARS:
        return None
    match = _DIVISION.match(text)
    if match:
        parsed = _title_from_rest(match.group("rest"))
        if parsed is None:
            return None
        word = match.group("word")
        label = f"{word} {match.group('number')}"
        rank = _DIVISION_RANK[word.lower()]
        return LegalHeading(kind="division", label=label, title=parsed[0], rank=rank, body=parsed[1])
    match = _ANNEX.match(text)
    if match:
        word = match.group("word")
        rest = match.group("rest").strip()
        number_match = re.match(r"^([IVXLC]+|\d+|[A-Z])\b(.*)$", rest)
        number, rest = (number_match.group(1), number_match.group(2)) if number_match else ("", rest)
        # "Annex I to this Convention contains ..." is a sentence; a heading is capitalised or stands alone.
        if not (is_markdown or word.isupper() or not rest.strip()):
            return None
        parsed = _title_from_rest(rest)
        if parsed is None:
            return None
        label = f"{word} {number}".strip()
        return LegalHeading(kind="annex", label=label, title=parsed[0], rank=ANNEX_RANK, body=parsed[1])
    match = _ROMAN_ONLY.match(text)
    if match and is_markdown:
        parsed = _title_from_rest(match.group("rest"))
        if parsed is not None and (parsed[2] or not match.group("rest").strip()):
            return LegalHeading(kind="division", label=match.group("number"), title=parsed[0], rank=2, body=parsed[1])
    return None


def setext_level(underline: str) -> int | None:
    """Heading level given by a setext underline ("===" is 1, "---" is 2), or None."""
    stripped = underline.strip()
    if len(stripped) >= 3 and set(stripped) == {"="}:
        return 1
    if len(stripped) >= 3 and set(stripped) == {"-"}:
        return 2
    return None
