"""Trafficking routes (origin → transit → destination) read from the movement sentences of a scrubbed case text."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from functools import cache
from typing import Any

from analysis.actors import RELATIONS
from core.text import Sentence, fold
from ingestion.pii_names import PLACES

# A sentence tells a journey when it has a verb of moving someone (the actors' "transported" verbs) or of travelling.
_MOVING = re.compile(
    rf"\b(?:{dict(RELATIONS)['transported']}|arriv\w*|travel\w*|cross\w*|reach\w*|smuggled|taken|flown|flights?|"
    r"partit\w|passat\w|passando|giunt\w|attravers\w+|viaggi\w+|condott\w|arrivat\w|sbarcat\w|landed)\b",
    re.IGNORECASE,
)
# The words before a place that give its part in the journey; "in" only after an arrival ("arrived in Sicily").
_ARTICLE = r"(?:(?:the|la|il|lo|le|gli|i)\s+|l['’])?"
_CUES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("transit", re.compile(rf"\b(?:via|through|across|attraverso|transit\w*\s+(?:in|per|through)|(?:passat\w|"
                           rf"passando|transitat\w)\s+(?:per|da|dal|dalla|in))\s+{_ARTICLE}$", re.IGNORECASE)),
    ("origin", re.compile(rf"\b(?:from|out of|da|dal|dalla|dallo|dall['’]|dai|dagli)\s*{_ARTICLE}$", re.IGNORECASE)),
    ("destination", re.compile(rf"\b(?:to|into|towards?|a|ad|verso|(?:arriv\w*|landed|sbarcat\w|giunt\w)\s+"
                               rf"(?:in|at|a|ad|nel|nella|in))\s+{_ARTICLE}$", re.IGNORECASE)),
)  # fmt: skip
# Places are runs of capitalised words with a known place among them ("Benin City", "Castel Volturno").
_RUN = re.compile(r"\b[A-ZÀ-Ý][\wÀ-ÿ'’-]+(?:\s+[A-ZÀ-Ý][\wÀ-ÿ'’-]+)*")
# The same city in the two languages of the project, named once in English ("Roma" and "Rome" are one place).
_CITY_NAMES = {
    "roma": "Rome", "milano": "Milan", "torino": "Turin", "napoli": "Naples", "venezia": "Venice", "genova": "Genoa",
    "firenze": "Florence", "sicilia": "Sicily", "padova": "Padua", "marsiglia": "Marseille", "bucarest": "Bucharest",
    "atene": "Athens", "tunisi": "Tunis", "il cairo": "Cairo",
}  # fmt: skip


def _resolved(table: dict[str, str], language: str) -> str:
    """A locale table's name in ``language``, following its "*xx" references (same name as language xx)."""
    value, seen = table.get(language, ""), {language}
    while value.startswith("*") and value[1:] not in seen:
        seen.add(value[1:])
        value = table.get(value[1:], "")
    return "" if value.startswith("*") else value


@cache
def _country_names() -> dict[str, str]:
    """Every language's name of a country (folded) → its English name: "libia" → "Libya"."""
    from phonenumbers.geodata.locale import LOCALE_DATA

    names: dict[str, str] = {}
    for table in LOCALE_DATA.values():
        english = _resolved(table, "en")
        for language in table if english else ():
            if local := _resolved(table, language):
                names.setdefault(fold(local), english)
    return names


def canonical_place(place: str) -> str | None:
    """The place's one name (English for countries and the large Italian cities), or None when it is no place."""
    folded = fold(place)
    if folded in _CITY_NAMES:
        return _CITY_NAMES[folded]
    if folded in _country_names():
        return _country_names()[folded]
    words = folded.removesuffix(" city").split()
    if words and all(word in PLACES for word in words):
        return " ".join(word.capitalize() for word in place.split())
    return None


def _place_in(run: str) -> tuple[int, str] | None:
    """The place a run of capitalised words ends with ("In Palermo" → Palermo) and where it starts in the run."""
    words = run.split()
    for first in range(len(words)):
        place = canonical_place(" ".join(words[first:]))
        if place is not None:
            return len(run) - len(" ".join(words[first:])), place
    return None


def sentence_route(text: str) -> list[str]:
    """The places of one sentence in journey order (origin, transits, destination); [] when it tells no journey."""
    if not _MOVING.search(text):
        return []
    parts: dict[str, list[str]] = {"origin": [], "transit": [], "destination": []}
    for match in _RUN.finditer(text):
        found = _place_in(match.group())
        if found is None:
            continue
        start = match.start() + found[0]
        before = text[max(0, start - 40) : start]
        role = next((role for role, cue in _CUES if cue.search(before)), None)
        if role is not None and found[1] not in parts[role]:
            parts[role].append(found[1])
    stops = [*parts["origin"][:1], *parts["transit"], *parts["destination"]]
    route = [place for index, place in enumerate(stops) if place not in stops[:index]]
    return route if len(route) >= 2 else []


def find_routes(sentences: Sequence[Sentence]) -> list[dict[str, Any]]:
    """Each journey the sentences tell: {"places": [origin, …, destination], "evidence": sentence}."""
    routes: list[dict[str, Any]] = []
    for sentence in sentences:
        places = sentence_route(sentence.text)
        if places and all(r["places"] != places for r in routes):
            routes.append({"places": places, "evidence": sentence.text})
    return routes


def legs(places: Iterable[str]) -> list[tuple[str, str]]:
    """The legs of a route: (A, B), (B, C) for A → B → C."""
    return list(itertools.pairwise(places))
