"""A last reading of the person findings with the document's language: words that cannot be a name are released.

The recognisers read every text with the English pipeline and English word lists, so in Italian text an ordinary
word that some country also gives as a name ("Prima", "Mai", "Tre", "Consiglio") or that opens a sentence in capitals
reads as a person, and so do acronyms ("MLA", "NGOs") and hyphenated prefixes ("Anti-Trafficking"). A finding is
dropped when none of its words can be a name:

- an ordinary word of the document's language, by ``wordfreq``'s frequencies: far more frequent in that language
  than in English text. Names travel (English text writes Mario, Rossi and Bianchi as often as Italian text, give or
  take a factor of 30), the words of one language do not ("minori", "convenzione" are almost never written in
  English). A capitalised run of two or more such words of another language, or one such word and the lower-case
  word after it, is a phrase quoted in it ("Conferenza Unificata", "Programma unico" in an English handbook). A
  finding in quotes (a nickname) is kept whatever its words;
- an acronym in capitals that no name list knows ("MLA", "ONU", "NGOs"; "LI" and "WU" are listed surnames);
- a prefix joined by a hyphen to the next word ("Anti-", "Non-").
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from ingestion.pseudonyms import Detection

# How much more frequent (in wordfreq's Zipf scale, log10 of occurrences per billion words) a word must be in the
# document's language than in English to be an ordinary word of that language. Calibrated on the name lists, not on
# any evaluation set: of the given names the name dictionary rates 3 or more in Italy and the census surnames that
# wordfreq finds in Italian text (Zipf >= 3), 95% fall below 2.2 ("Rossi" 1.3, "Conte" 1.7, "Giuseppe" 1.8); the
# words the English pipeline took for names in the Italian handbook lie above ("Se" 2.3, "Mai" 2.5, "Consiglio" 3.6).
ORDINARY_GAP = 2.2
# The languages the gap is calibrated for: the project's documents are English or Italian. It is no general truth
# that names travel: Romanian names are as rare in English text as Romanian words ("Popescu" 2.8, "Andreea" 2.6),
# so a Romanian or Polish reading would release the very names of the case files.
CALIBRATED_LANGUAGES = frozenset({"it"})
_OPENING_QUOTES = frozenset("'\"‘“«")
_CLOSING_QUOTES = frozenset("'\"’”»")
_WORD = re.compile(r"[^\W\d_]+")
_ACRONYM = re.compile(r"[A-Z]{2,4}s?")
# A capitalised word, and the single space or hyphen that joins it to the next one in a run.
_CAPITALISED = re.compile(r"[A-ZÀ-ÖØ-Þ][^\W\d_]*")
_LOWER = re.compile(r"[a-zß-öø-ÿ][^\W\d_]*")


def vet_people(text: str, detections: Sequence[Detection], language: str) -> list[Detection]:
    """The detections less the people none of whose words can be a name in a document of ``language``.

    Args:
        text: the text the detections point into.
        detections: findings of every type, in text coordinates.
        language: the document's language (an ISO 639-1 code).
    """
    return [
        item
        for item in detections
        if item.entity_type != "PERSON" or _could_be_a_name(text, item.start, item.end, language)
    ]


def _could_be_a_name(text: str, start: int, end: int, language: str) -> bool:
    words = list(_WORD.finditer(text, start, end))
    if not words or _quoted(text, start, end) or any(char.isdigit() for char in text[start:end]):
        # A nickname in quotes is made of ordinary words by nature ("detto 'il Generale'"); a finding with digits
        # is some code, not words ("ES21" of an IBAN the IBAN recognizer missed), and stays redacted.
        return True
    if all(_never_a_name(text, word, language) for word in words):
        return False
    run, after = _capitalised_run(text, start, end)
    phrases = [words for words in (run, [*run, after] if after else []) if len(words) >= 2]
    return not any(
        all(ordinary_word(word, other) for word in phrase)
        for phrase in phrases
        for other in CALIBRATED_LANGUAGES - {language}
    )


def _never_a_name(text: str, word: re.Match[str], language: str) -> bool:
    from ingestion.recognizers_names import given_names, surnames
    from ingestion.recognizers_people import HYPHEN_PREFIXES

    value = word.group()
    if word.end() < len(text) and text[word.end()] == "-" and value.casefold() in HYPHEN_PREFIXES:
        return True
    if _ACRONYM.fullmatch(value):
        folded = value.casefold()
        return folded not in given_names() and folded not in surnames() and folded.rstrip("s") not in given_names()
    return ordinary_word(value, language)


def _quoted(text: str, start: int, end: int) -> bool:
    return start > 0 and end < len(text) and text[start - 1] in _OPENING_QUOTES and text[end] in _CLOSING_QUOTES


def _capitalised_run(text: str, start: int, end: int) -> tuple[list[str], str]:
    """The words of the run of capitalised words (joined by single spaces) that the span lies in, on its line, and
    the lower-case word right after it ("" if none): a quoted phrase may go on in lower case ("Programma unico")."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line = text[line_start : len(text) if line_end == -1 else line_end]
    runs = re.finditer(
        rf"(?P<run>{_CAPITALISED.pattern}(?: {_CAPITALISED.pattern})*)(?: (?P<after>{_LOWER.pattern})\b)?", line
    )
    for run in runs:
        if line_start + run.start() < end and start < line_start + run.end("run"):
            return run.group("run").split(" "), run.group("after") or ""
    return [], ""


def load_frequencies() -> None:
    """Read wordfreq's lists of the calibrated languages and English now (half a second), not in a first scrub."""
    from wordfreq import get_frequency_dict

    for language in (*sorted(CALIBRATED_LANGUAGES), "en"):
        get_frequency_dict(language)


@functools.lru_cache(maxsize=65_536)
def ordinary_word(word: str, language: str) -> bool:
    """Whether ``word`` is an ordinary word of ``language``: far more frequent there than in English text.

    Args:
        word: one word, in any case.
        language: an ISO 639-1 code; only the calibrated languages have such words here.
    """
    if language not in CALIBRATED_LANGUAGES:
        return False
    from wordfreq import zipf_frequency

    folded = word.casefold()
    return zipf_frequency(folded, language) - zipf_frequency(folded, "en") >= ORDINARY_GAP
