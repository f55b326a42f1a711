"""Checks on what the user types before it reaches retrieval: cleaning and length (any language, any script)."""

from __future__ import annotations

import re
import unicodedata

from core.errors import KeyedInputError
from core.i18n import translate

_SPACE = re.compile(r"\s+")


def clean_question(text: str, max_chars: int) -> str:
    """Normalise a question and refuse what the models cannot work with.

    Control characters are dropped (newlines and tabs become spaces) and runs of whitespace collapse to one. The
    question may be in any language and script: the embedder is multilingual.

    Args:
        text: the question as typed or pasted.
        max_chars: the longest question accepted (``RetrievalSettings.max_question_chars``).

    Returns:
        The cleaned question.

    Raises:
        InputError: when the question is empty, has no letter or digit in any script, or is too long.
    """
    kept = "".join(" " if ch in "\n\r\t\v\f" else ch for ch in text if ch in "\n\r\t\v\f" or not _is_control(ch))
    cleaned = _SPACE.sub(" ", kept).strip()
    if not cleaned:
        raise _refusal("question_empty")
    if not any(ch.isalnum() for ch in cleaned):
        raise _refusal("question_no_words")
    if len(cleaned) > max_chars:
        raise _refusal("question_too_long", length=len(cleaned), limit=max_chars)
    return cleaned


def _refusal(key: str, **values: object) -> KeyedInputError:
    """The refusal named ``key``, in English for logs and the command line; the app shows it in its language."""
    return KeyedInputError(key, translate(key, "en", **values), **values)


def _is_control(ch: str) -> bool:
    # Cc control, Cf format (zero-width, bidi overrides), Co private use, Cs surrogates, Cn unassigned.
    return unicodedata.category(ch).startswith("C")
