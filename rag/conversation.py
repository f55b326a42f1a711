"""Follow-up questions ("and for adults?") resolved against the conversation before searching."""

from __future__ import annotations

import re
from collections.abc import Sequence

from rag.references import parse_references, strip_instruments
from rag.types import Turn

_FOLLOW_UP_START = re.compile(
    r"^\s*(?:and|but|also|what about|how about|same for|what if|or|e|ed|ma|anche|invece|e se|e per|e nel|e nella|"
    r"e quanto|e riguardo|e invece|quid)\b",
    re.IGNORECASE,
)
_PRONOUNS = re.compile(
    r"\b(?:it|this|that|these|those|they|them|there|such|the same|"
    r"esso|essa|questo|questa|quello|quella|ciò|lo stesso)\b",
    re.IGNORECASE,
)


def is_follow_up(question: str) -> bool:
    """A short or pronoun-led question that only makes sense after the previous one."""
    words = question.split()
    if _FOLLOW_UP_START.match(question):
        return True
    return len(words) <= 6 and bool(_PRONOUNS.search(question)) and not parse_references(question).instruments


def resolve(question: str, history: Sequence[Turn]) -> str:
    """The text to search for: the question itself, or, for a follow-up, the previous question plus this one.

    The previous *question* is used rather than the answer, because it carries the topic the user chose and the
    answer of a weak model may have drifted.
    """
    if not history or not is_follow_up(question):
        return question
    previous = history[-1].question
    if parse_references(question).instruments:
        previous = strip_instruments(previous)  # "and the EU directive?" asks the same about another instrument
    return f"{previous} {question}"
