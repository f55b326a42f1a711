"""Questions about judgments: which part of a judgment they ask for, and whether they name the Strasbourg court.

Case summaries are chunked by their sections (Facts, Legal issues, Reasoning, Outcome, ...). Every section of a
case shares its names and vocabulary, so similarity alone cannot tell "why was he acquitted?" (the reasoning) from
"was he acquitted?" (the outcome); the question's wording can.
"""

from __future__ import annotations

import re

# The part of a judgment a question asks for, by the words English and Italian questions use. Checked in order:
# "why was he convicted?" asks for the reasoning, not the outcome.
_SECTION_INTENTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "Reasoning",
        re.compile(
            r"\bwhy\b|\breasons?\b|\breasoning\b|\bgrounds?\b|\brationale\b|\bjustif|\bon what basis\b|"
            r"\bwhat (?:was|went) wrong\b|\bshortcomings?\b|\bflaw(?:s|ed)?\b|"
            r"\bperch[eé]\b|\bmotiv|\bragion|\bin base a cosa\b|\bcarenz|\bandato storto\b",
            re.IGNORECASE,
        ),
    ),
    (
        "Outcome",
        re.compile(
            r"\bconvict|\bsentenc|\bacquit|\boutcome\b|\bverdict\b|\bpenalt(?:y|ies)\b|\bdamages\b|\bawarded\b|"
            r"\bwhat did the court (?:decide|hold|rule)\b|\bcondann|\bassol|\besito\b|\bpena\b|\bpene\b|"
            r"\bcosa ha deciso\b|\brisarciment",
            re.IGNORECASE,
        ),
    ),
    (
        "Facts",
        re.compile(r"\bwhat happened\b|\bfacts\b|\bbackground\b|\bfatti\b|\bcosa (?:è|e') successo\b", re.IGNORECASE),
    ),
)

_STRASBOURG = re.compile(
    r"\becthr\b|\bechr (?:case|judgment|ruling)s?\b|\bstrasbourg\b|\bstrasburgo\b|\bcorte edu\b|"
    r"\bcorte europea dei diritti\b|"
    r"\beuropean court of human rights\b",
    re.IGNORECASE,
)


def asked_section(question: str) -> str | None:
    """The judgment section a question asks for ("Reasoning", "Outcome", "Facts"), or None."""
    for section, pattern in _SECTION_INTENTS:
        if pattern.search(question):
            return section
    return None


def names_strasbourg_court(question: str) -> bool:
    """Whether the question asks about the European Court of Human Rights' case law ("ECtHR case", "Strasburgo")."""
    return bool(_STRASBOURG.search(question))
