"""Consistent placeholders for what the scrubber found: one table per document, name parts followed across pages."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from core.text import strip_accents
from ingestion.documents import ScrubbedSpan, ScrubResult


@dataclass(frozen=True)
class Detection:
    """Where personal data was found, in the *original* text; the value itself is never stored."""

    start: int
    end: int
    entity_type: str


_NAME_TOKEN = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
_TITLES = frozenset(
    {
        "mama",
        "mamma",
        "madam",
        "maman",
        "mummy",
        "aunty",
        "auntie",
        "baba",
        "kaka",
        "nonna",
        "nonno",
        "granny",
        "il",
        "la",
    }
)


def _name_tokens(value: str) -> list[str]:
    """Comparable name tokens: accents and case folded, initials and nickname titles left out."""
    plain = strip_accents(value).casefold()
    tokens = [token for token in _NAME_TOKEN.findall(plain) if len(token) >= 2 and token not in _TITLES]
    # A double surname is also written in part ("Okonkwo-Adeyemi" … "OKONKWO said").
    parts = [part for token in tokens if "-" in token for part in token.split("-") if len(part) >= 3]
    return tokens + parts


def propagate_names(
    texts: Sequence[str], found: list[list[Detection]], lower_case: bool = False
) -> list[list[Detection]]:
    """Redact other mentions of a detected name's parts ("Maria ROSSI" ... "Rossi said"), on every page.

    A lower-case mention counts where people write names in lower case: in chat messages and in quotes
    ("the caller "dritan""), anywhere with ``lower_case`` (a question typed in a hurry: "did rossi pay?"), and
    anywhere for a surname, a part that is neither a first name nor a common word ("bianchi's passport"); elsewhere
    "blessing" is a word and "Blessing" the name.
    """
    from ingestion.pii_names import FIRST_NAMES, NON_NAME_WORDS, PLACES
    from ingestion.recognizers_people import CHAT_LINE

    parts: set[str] = set()
    initials: set[str] = set()
    for text, detections in zip(texts, found, strict=True):
        for item in detections:
            if item.entity_type == "PERSON":
                value = text[item.start : item.end]
                parts.update(_name_tokens(value))
                if _DEFINED_INITIALS.fullmatch(value):
                    initials.add(value)
    parts = {part for part in parts if len(part) >= 3 and part not in NON_NAME_WORDS and part not in PLACES} | {
        part for part in parts if part in FIRST_NAMES
    }
    found = _propagate_initials(texts, found, initials)
    if not parts:
        return found
    pattern = re.compile(r"(?<![\w])(" + "|".join(sorted(map(re.escape, parts), key=len, reverse=True)) + r")(?!\w)")
    result: list[list[Detection]] = []
    for text, detections in zip(texts, found, strict=True):
        folded = _fold_same_length(text)
        chats = [line.span("message") for line in CHAT_LINE.finditer(text)] if "[" in text else []
        extra = []
        for match in pattern.finditer(folded):
            original = text[match.start() : match.end()]
            lower_ok = (
                lower_case
                or _lower_case_name_allowed(text, match.start(), match.end(), chats)
                or _surname_part(match.group())
            )
            if not original[0].isupper() and not lower_ok:
                continue
            if any(d.start < match.end() and match.start() < d.end for d in detections):
                continue
            extra.append(Detection(match.start(), match.end(), "PERSON"))
        result.append(sorted([*detections, *extra], key=lambda d: d.start))
    return result


# Initials that stand for a person once a cue defined them ("(hereinafter 'F.A.D.')", "I shall refer to as C.M.").
_DEFINED_INITIALS = re.compile(r"(?:[A-Z]\.\s?){2,4}")


def _propagate_initials(
    texts: Sequence[str], found: list[list[Detection]], initials: set[str]
) -> list[list[Detection]]:
    """Redact the later uses of initials that were found as a person ("F.A.D. rented the flat")."""
    if not initials:
        return found
    pattern = re.compile(r"(?<![\w.])(?:" + "|".join(map(re.escape, sorted(initials, key=len, reverse=True))) + r")")
    result = []
    for text, detections in zip(texts, found, strict=True):
        extra = [
            Detection(match.start(), match.end(), "PERSON")
            for match in pattern.finditer(text)
            if not any(d.start < match.end() and match.start() < d.end for d in detections)
        ]
        result.append(sorted([*detections, *extra], key=lambda d: d.start) if extra else detections)
    return result


def _surname_part(token: str) -> bool:
    """A name part that is neither a first name (first names double as words: joy, grace, blessing) nor a common
    word: a surname, which keeps its meaning in lower case ("bianchi's passport")."""
    from ingestion.pii_names import FIRST_NAMES
    from ingestion.recognizers_names import common_words, given_names

    folded = token.casefold()
    return folded not in given_names() and folded not in FIRST_NAMES and folded not in common_words()


def _lower_case_name_allowed(text: str, start: int, end: int, chats: Sequence[tuple[int, int]]) -> bool:
    if any(s <= start and end <= e for s, e in chats):
        return True
    return text[start - 1 : start] in "\"“«'‘" and text[end : end + 1] in "\"”»'’" and start > 0


def _fold_same_length(text: str) -> str:
    """Case- and accent-folded copy of ``text`` with the same length, so match offsets stay valid."""
    out = []
    for char in text:
        base = strip_accents(char).casefold()
        out.append(base if len(base) == 1 else char.lower())
    return "".join(out)


def pseudonymise(texts: Sequence[str], detections: Sequence[Sequence[Detection]]) -> ScrubResult:
    """Replace detections with numbered placeholders, one pseudonym table for the whole document.

    The same person keeps the same ``<PERSON_n>`` when later mentioned by surname or first name only; other
    values are matched on a normalised form (digits of a phone number, an IBAN without spaces). The table lives
    only inside this call.

    Args:
        texts: the document's pages.
        detections: per page, the spans to replace (original coordinates, non-overlapping).

    Returns:
        The scrubbed pages, spans in scrubbed coordinates and the number of replaced spans per type.
    """
    table = _PseudonymTable()
    counts: Counter[str] = Counter()
    out_texts: list[str] = []
    out_spans: list[list[ScrubbedSpan]] = []
    for text, page_detections in zip(texts, detections, strict=True):
        scrubbed, spans = _replace(text, page_detections, table)
        out_texts.append(scrubbed)
        out_spans.append(spans)
        counts.update(span.entity_type for span in spans)
    return ScrubResult(texts=out_texts, spans=out_spans, counts=dict(counts))


class _PseudonymTable:
    """The placeholder numbers of one document's values, numbered per type in order of first mention."""

    def __init__(self) -> None:
        self._people: list[tuple[int, set[str]]] = []  # (number, name tokens) in order of last mention
        self._others: dict[tuple[str, str], int] = {}
        self._last: Counter[str] = Counter()

    def number(self, kind: str, value: str) -> int:
        """The number of ``value`` (of entity type ``kind``), a new one when it was not met before."""
        if kind == "PERSON":
            return self._person(value)
        key = (kind, _normalise(kind, value))
        if key not in self._others:
            self._others[key] = self._new(kind)
        return self._others[key]

    def _person(self, value: str) -> int:
        """A person's number: the most recently mentioned person whose name tokens include or are included in these."""
        tokens = set(_name_tokens(value))
        if not tokens:
            tokens = {"#" + value.replace(" ", "").upper()}  # initials only ("G.O."): matched only by the same initials
        for position in range(len(self._people) - 1, -1, -1):
            number, known = self._people[position]
            if tokens <= known or known <= tokens:
                self._people.pop(position)
                self._people.append((number, known | tokens))
                return number
        number = self._new("PERSON")
        self._people.append((number, tokens))
        return number

    def _new(self, kind: str) -> int:
        self._last[kind] += 1
        return self._last[kind]


def _replace(text: str, detections: Sequence[Detection], table: _PseudonymTable) -> tuple[str, list[ScrubbedSpan]]:
    """One page with its detections replaced by placeholders (an overlapping later one is skipped)."""
    pieces: list[str] = []
    spans: list[ScrubbedSpan] = []
    cursor = 0
    length = 0
    for item in sorted(detections, key=lambda d: d.start):
        if item.start < cursor:
            continue
        placeholder = f"<{item.entity_type}_{table.number(item.entity_type, text[item.start : item.end])}>"
        before = text[cursor : item.start]
        pieces.append(before)
        length += len(before)
        pieces.append(placeholder)
        spans.append(ScrubbedSpan(length, length + len(placeholder), item.entity_type, placeholder))
        length += len(placeholder)
        cursor = item.end
    pieces.append(text[cursor:])
    return "".join(pieces), spans


def _normalise(kind: str, value: str) -> str:
    if kind == "PHONE":
        return re.sub(r"\D", "", value)[-9:]  # "+39 345 678 9012" and "345 6789012" are one number
    if kind in ("EMAIL", "ADDRESS", "DATE_OF_BIRTH"):
        return " ".join(value.casefold().split())
    return re.sub(r"[^0-9A-Za-z]", "", value).upper()
