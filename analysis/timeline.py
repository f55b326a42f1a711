"""Dates of events a scrubbed case text states, each with its sentence; never a date of birth.

The scrubber keeps the dates of events in the text (the assistant reasons about when things happened) and replaces
the dates it reads as dates of birth with a placeholder, so the dates left in a scrubbed text are events, except
the few birth dates written in a way the scrubber does not take as one ("nata nel 2008"): a date in a birth
context is left out here as well. Dates are read in the English and Italian forms case files use; months are the
calendar's, the one table this needs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from core.text import Sentence

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan", "gennaio"),
            ("february", "feb", "febbraio"),
            ("march", "mar", "marzo"),
            ("april", "apr", "aprile"),
            ("may", "maggio"),
            ("june", "jun", "giugno"),
            ("july", "jul", "luglio"),
            ("august", "aug", "agosto"),
            ("september", "sep", "sept", "settembre"),
            ("october", "oct", "ottobre"),
            ("november", "nov", "novembre"),
            ("december", "dec", "dicembre"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_YEAR = r"(?P<year>(?:19|20)\d{2})"
# Longest forms first: a full date, then a month and year, then a year after a word that makes it a time.
_DATE = re.compile(
    rf"(?<![\w/.-])(?:(?P<iso_y>\d{{4}})-(?P<iso_m>\d{{2}})-(?P<iso_d>\d{{2}})"
    rf"|(?P<num_d>\d{{1,2}})[/.](?P<num_m>\d{{1,2}})[/.](?P<num_y>\d{{4}})"
    rf"|(?P<day>\d{{1,2}})(?:st|nd|rd|th|°|º)?\s+(?:of\s+)?(?P<month>{_MONTH})\.?,?\s+(?P<day_y>\d{{4}})"
    rf"|(?P<us_month>{_MONTH})\.?\s+(?P<us_day>\d{{1,2}})(?:st|nd|rd|th)?,\s*(?P<us_y>\d{{4}})"
    rf"|(?P<my_month>{_MONTH})\.?\s+(?:(?:of|del)\s+)?(?P<my_y>\d{{4}})"
    rf"|\b(?:in|nel|during|durante|since|dal|until|till|al|by|entro il|born|nat[oa]|classe|"
    rf"(?:summer|spring|autumn|winter) of|(?:estate|inverno|primavera|autunno) del)\s+{_YEAR})(?![\w/-])",
    re.IGNORECASE,
)
# A date of birth is said with "born", "nato/nata", "date of birth", "DOB", "data di nascita", "compleanno"…
_BIRTH = re.compile(r"\b(?:born|birth\w*|nat[oaie]|nascita|nacque|d\.?o\.?b\.?|compleanno|classe)\b", re.IGNORECASE)
# The date of a law is no event of the case ("legge 11 agosto 2003, n. 228", "Law of 11 August 2003").
_LEGAL_ACT = re.compile(
    r"\b(?:law|legge|decree|decreto|d\.\s?lgs|d\.\s?l|directive|direttiva|regulation|regolamento|convention|"
    r"convenzione|protocol|protocollo)\b[^.;]{0,20}$",
    re.IGNORECASE,
)
_BIRTH_AFTER = re.compile(rf"[\s(\[,–-]{{0,3}}(?:{_BIRTH.pattern})", re.IGNORECASE)  # "12/03/2008 (DOB)"
_BIRTH_WINDOW = 60  # characters before a date in which a birth word makes it a date of birth
_PLACEHOLDER = re.compile(r"<[A-Z_]+_\d+>")


def _iso(match: re.Match[str]) -> str | None:
    """The ISO form of a matched date at the precision it is written with; None for an impossible one."""
    found = match.groupdict()
    if found["iso_y"]:
        year, month, day = int(found["iso_y"]), int(found["iso_m"]), int(found["iso_d"])
    elif found["num_y"]:
        year, month, day = int(found["num_y"]), int(found["num_m"]), int(found["num_d"])
    elif found["day_y"]:
        year, month, day = int(found["day_y"]), _MONTHS[found["month"].lower()], int(found["day"])
    elif found["us_y"]:
        year, month, day = int(found["us_y"]), _MONTHS[found["us_month"].lower()], int(found["us_day"])
    elif found["my_y"]:
        return f"{int(found['my_y']):04d}-{_MONTHS[found['my_month'].lower()]:02d}"
    else:
        return found["year"]
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _not_an_event(text: str, match: re.Match[str], since: int) -> bool:
    """Whether a date is someone's birth (a birth word since the previous date, in the date or just after it:
    "born in Lagos, Nigeria, on 12 April 2008", "12/03/2008 (DOB)") or the date of a law."""
    before = text[max(since, match.start() - _BIRTH_WINDOW) : match.start()]
    birth = _BIRTH.search(before + match.group()) or _BIRTH_AFTER.match(text, match.end())
    return bool(birth or _LEGAL_ACT.search(text[max(0, match.start() - 40) : match.start()]))


def sentence_dates(text: str) -> list[str]:
    """The ISO dates of the events one scrubbed sentence states, in order; birth dates and placeholders left out."""
    masked = _PLACEHOLDER.sub(lambda m: " " * len(m.group()), text)
    dates: list[str] = []
    since = 0
    for match in _DATE.finditer(masked):
        iso = _iso(match)
        if iso is not None and not _not_an_event(masked, match, since) and iso not in dates:
            dates.append(iso)
        since = match.end()
    return dates


def find_events(sentences: Sequence[Sentence]) -> list[dict[str, Any]]:
    """Each dated event of a scrubbed narrative: {"date": ISO, "evidence": sentence}, once per date."""
    events: dict[str, dict[str, Any]] = {}
    for sentence in sentences:
        for iso in sentence_dates(sentence.text):
            events.setdefault(iso, {"date": iso, "evidence": sentence.text})
    return list(events.values())


def record_events(lines: Iterable[str], dates: Iterable[str]) -> list[dict[str, Any]]:
    """The dated events of a records file: each row's date (its scrubbed line as evidence), once per date."""
    events: dict[str, dict[str, Any]] = {}
    for line, written in zip(lines, dates, strict=True):
        found = sentence_dates(written)
        if found:
            events.setdefault(found[0], {"date": found[0], "evidence": line})
    return list(events.values())


def date_span(iso: str) -> tuple[date, date]:
    """The first and last day an ISO date of any precision covers ("2023-03" → 1 to 31 March 2023)."""
    parts = [int(part) for part in iso.split("-")]
    if len(parts) == 3:
        day = date(*parts)
        return day, day
    if len(parts) == 2:
        following = date(parts[0] + parts[1] // 12, parts[1] % 12 + 1, 1)
        return date(parts[0], parts[1], 1), date.fromordinal(following.toordinal() - 1)
    return date(parts[0], 1, 1), date(parts[0], 12, 31)


def in_period(iso: str, first: date, last: date) -> bool:
    """Whether an ISO date of any precision ("2023", "2023-03", "2023-03-14") overlaps the days first…last."""
    start, end = date_span(iso)
    return start <= last and first <= end
