"""Does the knowledge base cover a question at all? Guards that catch near-misses similarity alone lets through."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from core.text import fold

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


# Identifiers of specific cases, sections, visas and instruments: "C-643/15", "§ 232", "s.45", "H-1B", "TVPA".
_IDENTIFIER = re.compile(
    r"\b[A-Z]-\d{1,4}/\d{2,4}\b|\b[A-Z]{1,3}-\d{1,4}[A-Z]?\b|§\s*\d+[a-z]?|\bs\.\s?\d+\b|\b[A-Z]{3,6}\b"
)


def unknown_identifiers(question: str, known: Iterable[str], has_phrase: Callable[[str], bool]) -> list[str]:
    """Identifiers in the question that occur nowhere in the index: a question about them cannot be covered.

    An acronym one letter away from a known one of the same length (four letters or more) counts as known: the same
    instrument's acronym in another language differs in a letter or so ("CEDO" in Romanian, "CEDH" in French for the
    Italian "CEDU").
    """
    ignored = {word.upper() for word in known}
    return [
        match.group()
        for match in _IDENTIFIER.finditer(question)
        if not _near_known(match.group().upper(), ignored) and not has_phrase(match.group())
    ]


def _near_known(word: str, known: set[str]) -> bool:
    if word in known:
        return True
    return len(word) >= 4 and any(
        len(other) == len(word) and sum(a != b for a, b in zip(word, other, strict=True)) == 1 for other in known
    )


# Names of instruments and courts written out: "the Istanbul Convention", "Dublin III Regulation", "US Trafficking
# Victims Protection Act", "Convenzione di Istanbul", "Sezioni Unite". A question about one the knowledge base never
# mentions cannot be covered, however close its other words are.
_INSTRUMENT_NOUNS = r"Act|Convention|Regulation|Directive|Protocol|Treaty|Charter|Code|Agreement|Decree|Statute"
_NAMED_EN = re.compile(
    rf"\b((?:[A-Z][\w'’.-]*\s+){{1,5}})({_INSTRUMENT_NOUNS})\b((?:\s+(?:of|on|for)(?:\s+the)?(?:\s+[A-Z][\w'’-]*)+)?)"
)
# Capitalised words that start a question rather than a name ("Which Directive...", "Under the Act...").
_NOT_NAMES = frozenset(
    re.findall(
        r"\w+",
        "what which who whom whose when where why how does do did is are was were can could may must should would "
        "will under in on of for to by the a an and or per secondo nella nel quale quali cosa come",
    )
)
_NAMED_IT = re.compile(
    r"\b(?:Convenzione|Regolamento|Direttiva|Protocollo|Trattato|Carta|Legge|Codice|Corte|Tribunale)\s+"
    r"(?:(?:di|del|della|dell'|dei|sulla|sul)\s+)?([A-Z][\w'’-]*(?:\s+[A-Z0-9][\w'’-]*)*)"
    r"|\b(Sezioni Unite)\b"
)


def unknown_names(
    question: str,
    known_spans: Sequence[tuple[int, int]],
    has_phrase: Callable[[str], bool],
    titles: KnownNames | None = None,
) -> list[str]:
    """Named instruments or courts in the question that the index never mentions.

    ``known_spans`` are the parts of the question already recognised as instruments the assistant knows (their
    official texts may not spell the name the user wrote); a name overlapping one of them is not checked. A name
    that ``titles`` knows (the indexed documents' own titles) counts as mentioned.
    """
    known = titles.knows if titles is not None else lambda name: False
    missing = []
    for match in (*_NAMED_EN.finditer(question), *_NAMED_IT.finditer(question)):
        start, end = match.span()
        if any(start < known_end and known_start < end for known_start, known_end in known_spans):
            continue
        if match.re is _NAMED_EN:
            words = match.group(1).split()
            while words and words[0].lower() in _NOT_NAMES:
                words.pop(0)
            noun, tail = match.group(2), match.group(3).strip()
            if not words and not tail:
                continue  # "the Directive": no name to check
            # "UK Modern Slavery Act" is known if the texts say "Modern Slavery Act", "EU Charter of Fundamental
            # Rights" if they say "Charter of Fundamental Rights": try the shorter names too.
            heads = [" ".join([*words[i:], noun]) for i in range(len(words))] + ([noun] if tail else [])
            candidates = [f"{head} {tail}".strip() for head in heads] + heads[: len(words) if not tail else 0]
        else:
            candidates = [match.group(1) or match.group(2)]
        if not any(has_phrase(candidate) or known(candidate) for candidate in candidates):
            missing.append(match.group().strip())
    return missing


_TITLE_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class KnownNames:
    """The names of the indexed instruments and courts as their metadata gives them: each title's words and the
    initialisms its capitalised words form ("Charter of Fundamental Rights of the European Union" gives "EU" and
    "Charter"; "Convention on the Rights of the Child" gives "CRC"), so that the forms users write are known without a
    list of names to keep."""

    titles: tuple[frozenset[str], ...]  # per title, its folded words and initialisms
    acronyms: frozenset[str]  # the acronyms the titles spell out ("ECHR", "CRC", "OPSC"), upper case

    @classmethod
    def of(cls, titles: Iterable[str]) -> KnownNames:
        texts = [title for title in titles if title.strip()]
        spelt = {word for title in texts for word in _TITLE_WORD.findall(title) if len(word) >= 2 and word.isupper()}
        return cls(tuple(_title_terms(title) for title in texts), frozenset(spelt))

    def knows(self, name: str) -> bool:
        """Whether every word of ``name`` (connectives aside) is a word or an initialism of one same title."""
        words = [fold(word) for word in _TITLE_WORD.findall(name) if word.lower() not in _NOT_NAMES]
        return bool(words) and any(all(word in terms for word in words) for terms in self.titles)


def _title_terms(title: str) -> frozenset[str]:
    words = _TITLE_WORD.findall(title)
    capitalised = [word for word in words if word[0].isupper()]
    initialisms = {
        "".join(word[0] for word in capitalised[start:end])
        for start in range(len(capitalised))
        for end in range(start + 2, len(capitalised) + 1)
    }
    return frozenset(fold(term) for term in (*words, *initialisms))
