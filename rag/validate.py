"""Checks on what the user types before it reaches retrieval: cleaning, length, script and language."""

from __future__ import annotations

import re
import unicodedata
from typing import Literal

from core.errors import InputError

Language = Literal["en", "it"]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"[^\W\d_]+")
# Words frequent in one language and rare in the other ("a", "e", "in" are both, so they are left out).
ENGLISH_FUNCTION_WORDS = _words(
    "the of and to is are was were be been that this these those for with by on from it its as at or not "
    "what which who when where why how does do did must should can could may shall will would has have "
    "there their they an any if than"
)
ITALIAN_FUNCTION_WORDS = _words(
    "il lo la gli le di del dello della dei degli delle che è per con non sono era essere deve devono "
    "quando quale quali cosa chi dove perché come nel nella nei negli al alla ai agli dal dalla da se "
    "anche questo questa ha hanno può possono più un una uno ed ad sul sulla cui qual"
)
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


def detect_language(text: str) -> Language:
    """English or Italian, from a count of frequent function words (cheap, and enough to pick a reply language).

    Args:
        text: any text; short or unclear text counts as English.
    """
    words = [word.lower() for word in _WORD.findall(text)]
    italian = sum(word in ITALIAN_FUNCTION_WORDS for word in words)
    english = sum(word in ENGLISH_FUNCTION_WORDS for word in words)
    return "it" if italian > english else "en"


def _is_control(ch: str) -> bool:
    # Cc control, Cf format (zero-width, bidi overrides), Co private use, Cs surrogates, Cn unassigned.
    return unicodedata.category(ch).startswith("C")


def _is_latin(ch: str) -> bool:
    return unicodedata.name(ch, "").startswith("LATIN")
