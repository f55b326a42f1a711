"""Legal references in a question: which instrument ("CETS 197", "art. 600 c.p.") and which article it names."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from core.legal_refs import ARTICLE_MENTION, SECTION_ARTICLE, article_number

# Each instrument: the phrases users write for it, and fragments of an indexed document's source path or title
# that identify it. The phrases cover English and Italian usage; the fragments cover the shipped digests and the
# official texts editors add (file names and titles).
INSTRUMENTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "palermo": (
        (
            r"palermo",
            r"palermo protocol",
            r"(?:un |united nations )?trafficking protocol",
            r"protocol to prevent",
            r"protocollo (?:addizionale )?(?:di palermo|onu)",
        ),
        ("palermo", "protocol to prevent, suppress and punish"),
    ),
    "cets197": (
        (
            r"cets\s*(?:no\.?\s*)?197",
            r"\bcets\b",
            r"warsaw convention",
            r"convenzione di varsavia",
            r"council of europe convention",
            r"coe convention",
            r"convenzione del consiglio d.europa",
            r"anti-?trafficking convention",
        ),
        ("cets197", "cets 197", "action against trafficking in human beings"),
    ),
    "crc": (
        (
            r"\buncrc\b",
            r"\bcrc\b",
            r"convention on the rights of the child",
            r"convenzione (?:onu )?sui diritti del(?:l.infanzia| fanciullo| bambino)",
            r"child(?:ren)?.?s? rights convention",
            r"convention on (?:the )?child(?:ren)?.?s rights",
            r"convenzione di new york",
        ),
        ("rights_of_the_child", "rights of the child"),
    ),
    "dir_2011_36": (
        (
            r"2011/36",
            r"\beu (?:anti-?)?trafficking directive",
            r"\b(?:the )?eu directive\b",
            r"anti-?trafficking directive",
            r"direttiva (?:ue |europea )?(?:anti-?tratta|sulla tratta)",
            r"direttiva (?:ue|europea)\b",
        ),
        ("2011_36", "2011/36"),
    ),
    "dir_2012_29": ((r"2012/29", r"victims.? rights directive"), ("2012_29", "2012/29")),
    "dir_2011_93": ((r"2011/93",), ("2011_93", "2011/93")),
    "it_cp": (
        (r"\bc\.\s?p\.(?!p)", r"codice penale", r"criminal code", r"penal code"),
        ("codice_penale", "criminal code", "codice penale"),
    ),
    "it_dlgs_24_2014": ((r"24/2014", r"d\.?\s?lgs\.?\s*(?:n\.\s*)?24"), ("dlgs_24_2014", "24/2014")),
    "it_law_47_2017": ((r"47/2017", r"legge zampa", r"zampa law"), ("law_47_2017", "47/2017")),
    "echr": (
        (
            r"\bechr\b",
            r"\bcedu\b",
            r"european convention on human rights",
            r"convenzione europea (?:dei|per la salvaguardia dei) diritti dell.uomo",
        ),
        ("echr",),
    ),
}


@dataclass(frozen=True)
class ArticleRef:
    """An article number as written ("4", "603-bis"), with paragraph and point when given ("4(c)")."""

    number: str
    paragraph: str | None = None
    point: str | None = None

    def matches_section(self, section: str) -> bool:
        """True for "Article 4 – Definitions" or "Articolo 4" when the number is 4 (and not 40 or 4-bis)."""
        match = SECTION_ARTICLE.match(section)
        return bool(match) and match.group(1).lower() == self.number.lower()  # type: ignore[union-attr]


@dataclass(frozen=True)
class References:
    """What the question points at; empty when it names nothing."""

    instruments: tuple[str, ...] = ()
    articles: tuple[ArticleRef, ...] = field(default_factory=tuple)

    def __bool__(self) -> bool:
        return bool(self.instruments or self.articles)


def parse_references(text: str) -> References:
    """Find instrument names and article numbers in a question."""
    lowered = text.lower()
    instruments = tuple(key for key, (phrases, _) in INSTRUMENTS.items() if any(re.search(p, lowered) for p in phrases))
    articles: list[ArticleRef] = []
    for match in ARTICLE_MENTION.finditer(text):
        number = article_number(match.group(1).lower().replace("–", "-"), match.group(2))
        ref = ArticleRef(number, match.group(3), match.group(4))
        if ref not in articles:
            articles.append(ref)
    return References(instruments, tuple(articles))


def instrument_spans(text: str) -> list[tuple[int, int]]:
    """Where the text names an instrument this module knows (start and end offsets)."""
    return [
        match.span()
        for phrases, _ in INSTRUMENTS.values()
        for phrase in phrases
        for match in re.finditer(phrase, text, re.IGNORECASE)
    ]


def document_instrument(source: str, title: str, doc_type: str) -> str | None:
    """Which known instrument an indexed document is, from its source path and title (None for other documents)."""
    if doc_type not in ("legislation", "unknown"):
        return None  # handbooks and judgments discuss instruments; they are not the instrument
    # The file name is the most specific evidence (a decree's title may name the directive it transposes).
    for haystack in (source.lower(), title.lower()):
        for key, (_, fragments) in INSTRUMENTS.items():
            if any(fragment in haystack for fragment in fragments):
                return key
    return None


def strip_instruments(text: str) -> str:
    """The text without the instrument names it mentions (a follow-up's new instrument replaces the old one)."""
    text = _ANY_INSTRUMENT.sub(" ", text)
    return re.sub(r"\s+", " ", text).strip()


# Longer patterns first, so "Protocollo di Palermo" goes whole rather than leaving "Protocollo di" behind "Palermo".
_ANY_INSTRUMENT = re.compile(
    "|".join(sorted((p for phrases, _ in INSTRUMENTS.values() for p in phrases), key=len, reverse=True)),
    re.IGNORECASE,
)
