"""Checks on what the user types before it reaches retrieval: cleaning, length and script."""

from __future__ import annotations

import re
import unicodedata

from core.errors import InputError

_SPACE = re.compile(r"\s+")
# Share of letters that may be in another script before a question is refused (names, a quoted word).
_MAX_FOREIGN_LETTERS = 0.3


def clean_question(text: str, max_chars: int) -> str:
    """Normalise a question and refuse what the models cannot work with.

    Control characters are dropped (newlines and tabs become spaces) and runs of whitespace collapse to one.

    Args:
        text: the question as typed or pasted.
        max_chars: the longest question accepted (``RetrievalSettings.max_question_chars``).

    Returns:
        The cleaned question.

    Raises:
        InputError: when the question is empty, too long, or not written in Latin script.
    """
    kept = "".join(" " if ch in "\n\r\t\v\f" else ch for ch in text if ch in "\n\r\t\v\f" or not _is_control(ch))
    cleaned = _SPACE.sub(" ", kept).strip()
    if not cleaned:
        raise InputError("the question is empty — type a question")
    if len(cleaned) > max_chars:
        raise InputError(
            f"question is {len(cleaned)} characters; the limit is {max_chars} — "
            "shorten it or paste the case file on the Case analysis page"
        )
    letters = [ch for ch in cleaned if ch.isalpha()]
    foreign = sum(1 for ch in letters if not _is_latin(ch))
    if letters and foreign / len(letters) > _MAX_FOREIGN_LETTERS:
        raise InputError("questions must be in a language written in Latin script (English, Italian, …)")
    return cleaned


def _is_control(ch: str) -> bool:
    # Cc control, Cf format (zero-width, bidi overrides), Co private use, Cs surrogates, Cn unassigned.
    return unicodedata.category(ch).startswith("C")


def _is_latin(ch: str) -> bool:
    return unicodedata.name(ch, "").startswith("LATIN")
