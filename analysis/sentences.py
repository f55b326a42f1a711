"""Splitting a case narrative into sentences, and the word-level tests shared by the rule matchers."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Words after which a full stop does not end a sentence (English and Italian case files).
_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "st",
        "no",
        "nos",
        "art",
        "arts",
        "para",
        "p",
        "pp",
        "c",
        "cp",
        "sig",
        "sigg",
        "dott",
        "dr.ssa",
        "avv",
        "prof",
        "cell",
        "tel",
        "n",
        "nr",
        "vol",
        "v",
        "vs",
        "e.g",
        "i.e",
        "a.m",
        "p.m",
        "etc",
        "fig",
        "jr",
        "sr",
        "ca",
        "approx",
        "ss",
        "co",
        "ltd",
        "spa",
        "srl",
        "s.p.a",
        "s.r.l",
        "ing",
        "geom",
        "on",
        "avv.to",
        "dott.ssa",
        "sig.ra",
    ]
)
_BOUNDARY = re.compile(r"[.!?…]+[\"'”’»)\]]*\s+|\n\s*\n+|\n(?=\s*(?:[-*•]|\d+[.)])\s)")
_TOKEN = re.compile(r"<[A-Z_]+_\d+>|[\w'’-]+", re.UNICODE)
MAX_SENTENCE_CHARS = 600

# Generic negation cues: a keyword preceded by one of these (in the same clause) does not count.
NEGATION_CUES = frozenset(
    [
        "not",
        "no",
        "never",
        "without",
        "nobody",
        "none",
        "nothing",
        "neither",
        "nor",
        "cannot",
        "can't",
        "didn't",
        "doesn't",
        "don't",
        "isn't",
        "wasn't",
        "weren't",
        "hasn't",
        "haven't",
        "hadn't",
        "won't",
        "wouldn't",
        "n't",
        "non",
        "mai",
        "nessun",
        "nessuna",
        "nessuno",
        "senza",
        "né",
        "niente",
        "nemmeno",
        "neanche",
        "neppure",
    ]
)


@dataclass(frozen=True)
class Sentence:
    """One sentence of the (scrubbed) case text with its position."""

    index: int
    text: str
    start: int


def split_sentences(text: str) -> list[Sentence]:
    """Sentences of a narrative, keeping abbreviations ("Mrs.", "art.", "a.m.", "sig.ra") inside their sentence.

    Very long runs without punctuation (tables, OCR debris) are cut at ``MAX_SENTENCE_CHARS``.
    """
    sentences: list[Sentence] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        before = text[start : match.start()]
        following = text[match.end() : match.end() + 1]
        if match.group().strip() and not match.group().startswith("\n") and not _ends_sentence(before, following):
            continue
        _add(sentences, text, start, match.start() + len(match.group().rstrip()))
        start = match.end()
    _add(sentences, text, start, len(text))
    return sentences


def _ends_sentence(before: str, following: str) -> bool:
    last = before.rsplit(None, 1)[-1].lower() if before.strip() else ""
    last = last.lstrip("(\"'“«")
    if last in _ABBREVIATIONS or (len(last) == 1 and last.isalpha()):
        return False
    if re.fullmatch(r"(?:[a-z]\.)+[a-z]", last):  # c.p, a.m, s.p.a
        return False
    return not (following.islower() or following.isdigit())


def _add(sentences: list[Sentence], text: str, start: int, end: int) -> None:
    while start < end:
        piece = text[start:end]
        stripped = piece.strip()
        if not stripped:
            return
        offset = start + piece.index(stripped[0])
        if len(stripped) <= MAX_SENTENCE_CHARS:
            sentences.append(Sentence(len(sentences), " ".join(stripped.split()), offset))
            return
        cut = stripped.rfind(" ", 0, MAX_SENTENCE_CHARS)
        cut = cut if cut > MAX_SENTENCE_CHARS // 2 else MAX_SENTENCE_CHARS
        sentences.append(Sentence(len(sentences), " ".join(stripped[:cut].split()), offset))
        start = offset + cut


def normalise(text: str) -> str:
    """Lower case with straight apostrophes, so rules match "l’ha" and "l'ha" alike."""
    return text.lower().replace("’", "'").replace("`", "'")


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(normalise(text))


def phrase_pattern(phrase: str) -> re.Pattern[str]:
    """A case-insensitive pattern for a word or phrase with word boundaries and flexible spaces."""
    words = [re.escape(word) for word in normalise(phrase).split()]
    return re.compile(r"(?<![\w])" + r"\s+".join(words) + r"(?![\w])")


def negated_before(text: str, position: int, window: int = 4) -> bool:
    """Whether a negation cue occurs in the few words before ``position`` (same clause) of normalised ``text``."""
    clause = re.split(r"[,;:()]|\bbut\b|\bma\b|\bhowever\b|\bperò\b", text[:position])[-1]
    words = _TOKEN.findall(clause)[-window:]
    return any(word in NEGATION_CUES or word.endswith("n't") for word in words)


_ITALIAN = frozenset(
    re.findall(
        r"\S+",
        "il lo la gli le di del della dei che non è sono per con una un alla nel nella ha hanno era anche come più "
        "questo quando dopo essere stato stata sua suo loro",
    )
)
_ENGLISH = frozenset(
    re.findall(
        r"\S+",
        "the of and to in is was were he she they that with for his her not on at by from had has have this which "
        "would been their",
    )
)


def detect_language(text: str) -> str:
    """ "it" or "en", from the share of common function words (enough for case narratives)."""
    words = tokens(text[:20_000])
    italian = sum(word in _ITALIAN for word in words)
    english = sum(word in _ENGLISH for word in words)
    return "it" if italian > english else "en"
