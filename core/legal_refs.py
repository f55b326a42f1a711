"""Article numbering in legal texts: the Latin ordinals of inserted articles and the patterns that find articles."""

from __future__ import annotations

import re

# Latin ordinals of inserted articles ("601 bis" → "601-bis"); Italian codes go past "decies": "609-undecies".
LATIN_ORDINALS = (
    "bis", "ter", "quater", "quinquies", "sexies", "septies", "octies", "novies", "nonies", "decies", "undecies",
    "duodecies", "terdecies", "quaterdecies", "quinquiesdecies", "sexiesdecies", "septiesdecies", "octiesdecies",
)  # fmt: skip
ORDINALS = frozenset(LATIN_ORDINALS)
# Longest first, so that a pattern without a word boundary takes "terdecies" whole rather than its "ter".
ORDINAL = "|".join(sorted(LATIN_ORDINALS, key=len, reverse=True))

# An article number's branches, as codes number articles inserted later: "98-2", "3-2-1" (Japanese, Korean codes).
BRANCHES = r"(?:[-–]\d+)*"
# An article heading at the start of a cleaned line: "Article 4", "Art. 603 bis", "Articolo 600-septies.1", "4bis",
# "Article 98-2", "Article 17a".
ARTICLE_HEADING = re.compile(
    rf"^(?P<word>articolo|article|art\.?)\s*"
    rf"(?P<number>\d+{BRANCHES})(?:(?P<dash>\s*[-–]\s*|\s+)?(?P<suffix>(?:{ORDINAL})(?:\.\d+)?)\b|(?P<letter>[a-z])\b)?"
    rf"(?P<rest>.*)$",
    re.IGNORECASE,
)
# An article a question names, with paragraph and point: "art. 601 bis", "Article 4(1)(c)", "artt. 600", "Article 98-2",
# "art. 17a" (group 1 the number with its branches or letter, 2 the ordinal, 3 the paragraph, 4 the point).
ARTICLE_MENTION = re.compile(
    rf"\b(?:articles?|articoli|articolo|artt?\.?)\s*(\d{{1,4}}{BRANCHES}(?:[a-z](?![a-z]))?)"
    rf"(?:\s*-?\s*({ORDINAL}))?"
    r"(?:\s*\(\s*(\d{1,2})\s*\))?(?:\s*\(\s*([a-z])\s*\))?",
    re.IGNORECASE,
)
# A citation that scrubbing keeps as written: Article 2(5), Art. 18 bis, art. 600 c.p., artt. 600 e 601 c.p.
ARTICLE_CITATION = re.compile(
    rf"\b(?i:articles?|art|artt|articol[oi])\.?\s*\d+{BRANCHES}[a-z]?(?:\s*\(\d+\))*"
    rf"(?:\s*(?:{ORDINAL}))?"
    r"(?:\s*(?:,|e|and)\s*\d+[a-z]?)*(?:\s*c\.\s?p\.(?:\s?p\.)?)?"
)
# The article number a section label starts with: "Article 4 – Definitions", "Articolo 603-bis", "Article 98-2",
# "Article 17a".
SECTION_ARTICLE = re.compile(r"(?:Article|Articolo|Art\.)\s+(\d+(?:-\d+)*(?:-?[a-z]+)?)\b", re.IGNORECASE)


def article_number(number: str, ordinal: str | None = None, joiner: str = "-") -> str:
    """An article number as the index writes it: the digits, then the ordinal in lower case ("601-bis").

    Args:
        number: the digits ("601").
        ordinal: the Latin ordinal as written ("Bis"), or None.
        joiner: what goes between them ("" for a heading that wrote "4bis").
    """
    return f"{number}{joiner}{ordinal.lower()}" if ordinal else number
