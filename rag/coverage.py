"""Does the knowledge base cover a question at all? Guards that catch near-misses similarity alone lets through."""

from __future__ import annotations

import re
from collections.abc import Iterable

# Countries whose law users may ask about, by the words English and Italian questions use for them.
_COUNTRIES: dict[str, tuple[str, ...]] = {
    "IT": ("italy", "italian", "italia", "italiano", "italiana"),
    "JP": ("japan", "japanese", "giappone", "giapponese"),
    "DE": ("germany", "german", "germania", "tedesco", "tedesca"),
    "US": ("united states", "u.s.", "usa", "american", "stati uniti", "statunitense", "americano", "americana"),
    "GB": (
        "united kingdom",
        "uk",
        "britain",
        "british",
        "english",
        "regno unito",
        "britannico",
        "britannica",
        "inglese",
    ),
    "CH": ("switzerland", "swiss", "svizzera", "svizzero"),
    "FR": ("france", "french", "francia", "francese"),
    "ES": ("spain", "spanish", "spagna", "spagnolo", "spagnola"),
    "NL": ("netherlands", "dutch", "olanda", "paesi bassi", "olandese"),
    "RO": ("romania", "romanian", "rumeno", "rumena", "romeno"),
    "NG": ("nigeria", "nigerian", "nigeriano", "nigeriana"),
    "AL": ("albania", "albanian", "albanese"),
    "GR": ("greece", "greek", "grecia", "greco", "greca"),
    "AT": ("austria", "austrian", "austriaco", "austriaca"),
    "BE": ("belgium", "belgian", "belgio", "belga"),
    "PL": ("poland", "polish", "polonia", "polacco", "polacca"),
    "CN": ("china", "chinese", "cina", "cinese"),
    "IN": ("india", "indian", "indiano", "indiana"),
    "CA": ("canada", "canadian", "canadese"),
    "AU": ("australia", "australian", "australiano", "australiana"),
    "BR": ("brazil", "brazilian", "brasile", "brasiliano"),
}
_LAW_WORDS = (
    r"law|laws|legislation|criminal code|penal code|code|act|statute|courts?|constitution|"
    r"legge|leggi|diritto|codice penale|codice|normativa|ordinamento|tribunali"
)


def _country_pattern(names: Iterable[str]) -> str:
    return "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True))


def asked_jurisdictions(question: str) -> set[str]:
    """Countries whose *law* the question asks about ("under Japanese law", "codice penale tedesco")."""
    lowered = f" {question.lower()} "
    found = set()
    for code, names in _COUNTRIES.items():
        country = _country_pattern(names)
        patterns = (
            rf"\b(?:{country})\s+(?:{_LAW_WORDS})\b",
            rf"\b(?:{_LAW_WORDS})\s+(?:of|in|della|del|dell'|in)\s+(?:the\s+)?(?:{country})\b",
            rf"\b(?:{_LAW_WORDS})\s+(?:{country})\b",
            rf"\b(?:{country})\s+(?:[a-z]+\s+){{1,3}}(?:act|code|statute)\b",  # "UK Modern Slavery Act"
        )
        if any(re.search(pattern, lowered) for pattern in patterns):
            found.add(code)
    return found


# Identifiers of specific cases, sections and instruments: "C-643/15", "§ 232", "s.45", "TVPA".
_IDENTIFIER = re.compile(r"\b[A-Z]-\d{1,4}/\d{2,4}\b|§\s*\d+[a-z]?|\bs\.\s?\d+\b|\b[A-Z]{3,6}\b")


def unknown_identifiers(question: str, known: Iterable[str], has_term: object) -> list[str]:
    """Identifiers in the question that occur nowhere in the index: a question about them cannot be covered."""
    check = has_term if callable(has_term) else (lambda _: True)
    ignored = {word.upper() for word in known}
    missing = []
    for match in _IDENTIFIER.finditer(question):
        identifier = match.group()
        if identifier.upper() in ignored:
            continue
        words = re.findall(r"[A-Za-z]+|\d+", identifier)
        if words and not all(check(word) for word in words):
            missing.append(identifier)
    return missing
