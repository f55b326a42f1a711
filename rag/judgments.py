"""Questions about judgments: which part of a judgment they ask for, which judgment they name, and whether they name
the Strasbourg court.

Case summaries are chunked by their sections (Facts, Legal issues, Reasoning, Outcome, ...). Every section of a
case shares its names and vocabulary, so similarity alone cannot tell "why was he acquitted?" (the reasoning) from
"was he acquitted?" (the outcome); the question's wording can.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

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


@dataclass(frozen=True)
class CaseName:
    """A name a question may call a judgment by; a court's seat is also a city, so it needs a word for a case."""

    name: str
    needs_case_word: bool = False


# "Rantsev v. Cyprus and Russia": the applicant names the case; "Chowdury and Others": "Others" does not.
_APPLICANT = re.compile(r"^([^:—]+?)\s+v\.\s")  # before any ":" or "—" that opens a description
_NOT_APPLICANT_NAMES = frozenset({"Others", "Altri", "Fictional"})
# "Corte d'Assise di Bologna", "Tribunale di Napoli Nord", "Rechtbank Gelderland", "Audiencia Provincial de Madrid".
_SEAT = re.compile(
    r"\b(?:Tribunale|Corte d['’](?:Assise|Appello)|Audiencia Provincial|Rechtbank)\s+(?:(?:di|de)\s+)?"
    r"([A-Z][\w'’-]+(?:\s+(?:Nord|Sud))?)"
)
_CASE_WORDS = re.compile(
    r"\b(?:case|cases|caso|casi|judgment|judgement|sentenza|ruling|decision|decisione|trial|processo|court|corte|"
    r"tribunale)\b",
    re.IGNORECASE,
)


def case_names(title: str) -> list[CaseName]:
    """What a judgment titled ``title`` may be called by: its applicant's names and its court's seat."""
    names: list[CaseName] = []
    applicant = _APPLICANT.match(title)
    if applicant:
        words = [w for w in re.findall(r"\b[A-Z][a-z]{3,}\b", applicant.group(1)) if w not in _NOT_APPLICANT_NAMES]
        # Initials ("S.M. v. Croatia") name the case only written with the respondent's "v.".
        names += [CaseName(word) for word in words] or [CaseName(f"{applicant.group(1)} v.")]
    names += [CaseName(seat.group(1), needs_case_word=True) for seat in _SEAT.finditer(title)]
    return names


def names_case(question: str, names: Iterable[CaseName]) -> bool:
    """Whether the question names one of the judgments ("the Rantsev case", "caso di Prato", "S.M. v. Croatia")."""
    for case in names:
        if re.search(rf"(?<!\w){re.escape(case.name)}(?!\w)", question, re.IGNORECASE) and (
            not case.needs_case_word or _CASE_WORDS.search(question)
        ):
            return True
    return False
