"""The word-level tests shared by the rule matchers: normalising, tokens, phrase patterns, negation cues."""

from __future__ import annotations

import re

from core.text import NEGATION_CUES

_TOKEN = re.compile(r"<[A-Z_]+_\d+>|[\w'’-]+", re.UNICODE)


def normalise(text: str) -> str:
    """Lower case with straight apostrophes, so rules match "l’ha" and "l'ha" alike."""
    return text.lower().replace("’", "'").replace("`", "'")


def phrase_pattern(phrase: str) -> re.Pattern[str]:
    """A case-insensitive pattern for a word or phrase with word boundaries and flexible spaces."""
    words = [re.escape(word) for word in normalise(phrase).split()]
    return re.compile(r"(?<![\w])" + r"\s+".join(words) + r"(?![\w])")


def negated_before(text: str, position: int, window: int = 4) -> bool:
    """Whether a negation cue occurs in the few words before ``position`` (same clause) of normalised ``text``."""
    clause = re.split(r"[,;:()]|\bbut\b|\bma\b|\bhowever\b|\bperò\b", text[:position])[-1]
    words = _TOKEN.findall(clause)[-window:]
    return any(word in NEGATION_CUES or word.endswith("n't") for word in words)
