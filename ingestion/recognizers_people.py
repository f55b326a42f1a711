"""Presidio recognizers for people's names in case files: role cues, form labels, chat speakers, surnames."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from ingestion.pii_names import (
    APPOSITION_CUES,
    CHAT_CUES,
    CHAT_WORDS,
    DAY_NAMES,
    FIRST_NAMES,
    NAME_PREFIXES,
    NICKNAME_PREFIXES,
    NON_NAME_WORDS,
    PERSON_LABEL_WORDS,
    PLACES,
    ROLE_CUES,
)
from ingestion.recognizer_patterns import CAP_WORD, LANGUAGE, LOWER, UPPER

_ADJECTIVE = r"(?:older|younger|elder|little|big|maggiore|minore|piccol[oa]|grande)"
# A cue at the end of a line announces the next line only through a colon ("Guardian:\nMaria Rossi"): without one
# the line is a heading or a sentence that ends there ("## Come parlare con il minore\nPresentatevi ...").
_CUE_BEFORE = re.compile(
    rf"(?:^|(?<=[^\w]))(?:(?i:{ROLE_CUES})\.?(?:[ \t]+{_ADJECTIVE})?(?:[ \t,:'\"‘“(]*|[ \t]*:\s*|(?<=[:?])\s*)"
    rf"|(?i:{APPOSITION_CUES})[ \t]*[,:][ \t]*)\Z"
)
# A form label that ends in a colon right before the name ("Guardian:", "Case against:", "check-in 21-07-2023:");
# it counts when one of its words is a person's role (PERSON_LABEL_WORDS).
_LABEL_BEFORE = re.compile(r"(?:^|[,;(–—]|\s-\s|\.\s)(?P<label>[^:\n,;(–—.]{2,40}):[ \t]*$")
_LABEL_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)?")

_TOKEN = re.compile(rf"(?:[{UPPER}]\.){{1,3}}(?![{LOWER}{UPPER}])|[{UPPER}{LOWER}]+(?:['’\-][{UPPER}{LOWER}]+)*")
_QUOTED_NICKNAME = re.compile(
    # The cue is a whole word: "boy" ends "loverboy" in 'the "loverboy" (or "Romeo pimp") method'.
    r"(?<![\w'’])(?i:known(?: [\w'’]+){0,4} as|a\.k\.a\.|aka|alias|dett[oa]|soprannominat[oa]|nicknamed|nickname|"
    r"soprannome|"
    # "presso tale "Nonna Lili"", "a certain "Dee"", "an older youth, "Dee"": a person introduced by a nickname.
    r"tale|tal|un certo|una certa|a certain|a man|a woman|youth|man|woman|guy|boy|girl|uomo|donna|tizi[oa]|"
    r"called|chiamat[oa]|chiamano|chiamavano|(?:uses|used|using|goes by|went by|gave)(?: the)? (?:name|nickname)|"
    r"contact|contatto|saved as|salvat[oa] come|registrat[oa] come|memorizzat[oa] come)"
    # An apostrophe opens a quote only after a space: in "the girl's madam" it is a possessive.
    r",?:?(?:\s*[\"“«]|\s+['‘]|(?<=[:,])['‘])(?P<value>[^'\"‘’“”«»\n]{2,30}?)['\"’”»]"
)
# A nickname in quotes between a first name and a surname: Ahmed "Hamada" Fathy.
_QUOTED_MIDDLE = re.compile(rf"(?<!\w){CAP_WORD}\s+[\"“«‘'][{UPPER}][^'\"‘’“”«»\n]{{1,20}}[\"”»’']\s+{CAP_WORD}")
_CHAT_SPEAKER = re.compile(rf"^\[[^\]\n]{{5,25}}\]\s*(?P<value>{CAP_WORD}(?:\s{CAP_WORD}){{0,2}})\s*:", re.MULTILINE)
# A surname known by its ending, optionally after a capitalised given name.
_SURNAME_SUFFIX = re.compile(
    rf"(?<![\w])(?:(?P<given>[{UPPER}][{LOWER}]+)\s+)?"
    rf"(?P<surname>[{UPPER}][{LOWER}]+(?:ović|ević|vić|ić|escu|eanu|enko|chuk|czyk|owski|owska|ewski|ewska|oğlu)"
    rf"|[{UPPER}]{{2,}}(?:OVIĆ|EVIĆ|IĆ|ESCU|EANU|ENKO))(?![\w])"
)
# A given name, a middle initial (with or without its full stop) and a surname: "Ruth R Montez", "Abby M. Laidlaw".
_MIDDLE_INITIAL = re.compile(
    rf"(?<![\w'’])(?P<given>[{UPPER}][{LOWER}]+)[ \t]+[{UPPER}]\.?[ \t]+"
    rf"(?P<surname>[{UPPER}][{LOWER}]+(?:-[{UPPER}][{LOWER}]+)?)(?![\w'’])"
)
# A chat export line: "[15/06/23, 21:03] speaker: message".
CHAT_LINE = re.compile(r"^\[[^\]\n]{5,25}\][ \t]*(?P<speaker>[^:\n]{1,40}?)[ \t]*:(?P<message>[^\n]*)", re.MULTILINE)
# Lists of people written surname first: "1. ROSSI, Maria Grazia – born ...", "- DE LUCA-PAPA, Anna".
_SURNAME_FIRST = re.compile(
    rf"^[ \t]*(?:\d{{1,3}}[.)][ \t]*|[-•*][ \t]*)?(?P<value>(?P<surname>[{UPPER}]{{2,}}(?:['’\- ][{UPPER}]{{2,}})*)"
    rf",[ \t]+(?P<given>{CAP_WORD}(?:[ \t]+{CAP_WORD}){{0,2}}))(?=[ \t]*(?:[–—\-(,;:]|$))",
    re.MULTILINE,
)
# The name that opens the body of an e-mail or letter ("Subject: ..." / blank line / "Flori, the girls arrive").
_SALUTATION = re.compile(
    rf"^(?i:subject|oggetto|re|fwd?)[ \t]*:[^\n]*\n(?:[ \t]*\n)+[ \t]*"
    rf"(?:(?i:dear|hi|hello|ciao|car[oa]|gentile|egregi[oa])[ \t]+)?(?P<value>{CAP_WORD})[ \t]*,",
    re.MULTILINE,
)
# The name that signs off a message ("Thanks, Becky", "Cordiali saluti,\nAnna Ferri").
_SIGN_OFF = re.compile(
    rf"(?:^|[.!?]\s+)(?i:thanks|thank you|many thanks|regards|kind regards|best regards|best wishes|best|cheers|"
    rf"grazie|saluti|cordiali saluti|distinti saluti|un saluto)[ \t]*,?[ \t]*\n?[ \t]*"
    rf"(?P<value>{CAP_WORD}(?:[ \t]{CAP_WORD}){{0,2}})[ \t]*\.?[ \t]*$",
    re.MULTILINE,
)
# A transcribed intercept: a speaker label in capitals, maybe with who it was identified as, then the words spoken
# ("UOMO: ...", "DONNA (identificata in ...): ...").
_TRANSCRIPT_LINE = re.compile(
    r"^[ \t]*(?P<speaker>[A-ZÀ-Þ]{3,}(?:[ \t]+\d)?)(?:[ \t]*\([^)\n]*\))?[ \t]*:(?P<speech>[^\n]+)", re.MULTILINE
)
# In speech, a capitalised word after these is a place, a thing or a sentence start, not a name.
_NOT_NAME_BEFORE = re.compile(
    r"(?:^\s*|[.!?:;\"“«(]\s*|\b(?i:the|a|an|il|lo|la|l'|i|gli|le|un|una|uno|in|at|to|near|nel|nella|verso|"
    r"via|piazza|corso)\s+)$"
)
# Saints name churches, facilities and places, not people ("C.P.A. San Francesco", "Santa Maria Capua Vetere").
_SAINT_BEFORE = re.compile(r"(?:\b(?:San|Santa|Santo|Santi|Saint|St\.)|\bSant['’])\s*$")
_INITIALS = re.compile(rf"(?:[{UPPER}]\.){{1,3}}")
# Lower-case particles inside names ("Pieter de Vries", "van der Berg", "Maria Lo Faro"); the first group also makes
# a name of a capitalised run on its own, the Italian ones only continue a name found otherwise (they open places).
_NAME_PARTICLES = frozenset({"van", "von", "der", "den", "ter", "ten", "de", "du", "dos", "das"})
_PARTICLES = _NAME_PARTICLES | {
    "di",
    "da",
    "del",
    "della",
    "lo",
    "li",
    "la",
    "le",
    "ben",
    "bin",
    "el",
    "al",
    "abu",
    "ó",
}
_TITLE_ABBREVIATIONS = frozenset({"dott", "sig", "avv", "prof", "ing", "dr", "mr", "mrs", "ms", "geom", "rag"})
# First halves of hyphenated words that are not double surnames ("Non-Governmental", "Anti-Trafficking").
HYPHEN_PREFIXES = frozenset({"non", "anti", "pan", "trans", "inter", "intra", "self", "post", "pre", "ex", "cross",
                              "multi", "euro", "afro", "sub", "super", "co", "counter", "extra", "socio"})  # fmt: skip


def _is_initials(token: str) -> bool:
    return _INITIALS.fullmatch(token) is not None


def _is_name_word(token: str) -> bool:
    folded = token.casefold()
    return (
        len(token) >= 2
        and token[0].isupper()
        and folded not in NON_NAME_WORDS
        and folded not in PLACES
        and not re.fullmatch(r"[IVXLC]+", token)
    )


def _is_double_surname(token: str) -> bool:
    parts = token.split("-")
    return (
        len(parts) == 2
        and all(len(part) >= 3 and part[0].isupper() and not part.isupper() for part in parts)
        and parts[0].casefold() not in HYPHEN_PREFIXES
    )


def _strip_possessive(start: int, end: int, text: str) -> int:
    return end - 2 if text[start:end].endswith(("'s", "’s")) else end


def plausible_person(span_text: str) -> bool:
    """Whether a PERSON found by spaCy could be a name and not a legal term, place or heading.

    Args:
        span_text: the text spaCy tagged as a person.
    """
    tokens = [match.group() for match in _TOKEN.finditer(span_text)]
    if not tokens or any(char.isdigit() for char in span_text):
        return False
    words = [token for token in tokens if not _is_initials(token)]
    if not words:
        return len(tokens) == 1 and len(span_text) >= 4  # "A.B." alone: keep only together with a cue
    if any(token.casefold() in NON_NAME_WORDS or token.casefold() in PLACES for token in words):
        return False
    if " ".join(words).casefold() in PLACES:
        return False
    return all(token[0].isupper() for token in words)


def label_announces_person(before: str) -> bool:
    """Whether the text before a name ends in a form label naming a person's role ("Guardian:", "Firma:").

    Args:
        before: the text of the same line before the candidate name.
    """
    match = _LABEL_BEFORE.search(before)
    if match is None:
        return False
    return any(word.casefold() in PERSON_LABEL_WORDS for word in _LABEL_WORD.findall(match.group("label")))


class PersonRuleRecognizer(EntityRecognizer):
    """Names the small English model misses: after titles, roles and form labels (also Italian), first names from a
    gazetteer, "Name SURNAME" pairs and "SURNAME, Name" lists, names with particles or double surnames, initials
    after a first name, quoted nicknames and chat speakers and the lower-case names inside chat messages."""

    def __init__(self) -> None:
        super().__init__(supported_entities=["PERSON"], name="PersonRuleRecognizer", supported_language=LANGUAGE)
        from spacy.lang.en.stop_words import STOP_WORDS as ENGLISH_STOP_WORDS
        from spacy.lang.it.stop_words import STOP_WORDS as ITALIAN_STOP_WORDS

        self._common_words = frozenset(ENGLISH_STOP_WORDS | ITALIAN_STOP_WORDS) | CHAT_WORDS | NON_NAME_WORDS

    def load(self) -> None:
        """Nothing to load: the gazetteers are module constants."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """Return the names found by the rules."""
        if entities and "PERSON" not in entities:
            return []
        spans = [
            *self._sequence_names(text),
            *self._quoted_names(text),
            *self._surname_first_names(text),
            *self._chat_names(text),
            *self._transcript_names(text),
            *self._morphology_names(text),
            *self._middle_initial_names(text),
        ]
        # Scored above spaCy (0.85): Presidio drops a finding contained in a same-type one that scores at least as high,
        # and spaCy often glues verbs to a name ("condotta da Lucky Aigbogun").
        return [RecognizerResult("PERSON", start, end, 0.9) for start, end in dict.fromkeys(spans)]

    def _morphology_names(self, text: str) -> Iterable[tuple[int, int]]:
        """Surnames recognisable by their ending (Petrović, Popescu, Kovalenko, Nowakowska), with the given name
        before them: the small English model misses most Balkan, Romanian and Slavic names."""
        for match in _SURNAME_SUFFIX.finditer(text):
            given = match.group("given")
            if given and (self.is_common_word(given) or given.casefold() in NON_NAME_WORDS):
                yield match.start("surname"), match.end("surname")
            else:
                yield match.start(), match.end()

    def _middle_initial_names(self, text: str) -> Iterable[tuple[int, int]]:
        """Given name, middle initial, surname: a shape that legal prose, places and institutions do not take."""
        for match in _MIDDLE_INITIAL.finditer(text):
            words = (match.group("given"), match.group("surname"))
            if all(_is_name_word(word) and not self.is_common_word(word) for word in words):
                yield match.span()

    def is_common_word(self, word: str) -> bool:
        """Whether a lower-case word is an English or Italian function word, chat shorthand or a legal term."""
        return word.casefold() in self._common_words or word.casefold() in PLACES

    def _quoted_names(self, text: str) -> Iterable[tuple[int, int]]:
        for pattern in (_QUOTED_NICKNAME, _CHAT_SPEAKER):
            for match in pattern.finditer(text):
                value = match.group("value").strip()
                if value and len(value.split()) <= 4 and value.casefold() not in NON_NAME_WORDS:
                    start = match.start("value") + match.group("value").index(value)
                    yield start, start + len(value)
        for match in _SIGN_OFF.finditer(text):
            if all(_is_name_word(word) and not self.is_common_word(word) for word in match.group("value").split()):
                yield match.span("value")
        for match in _SALUTATION.finditer(text):
            if not self.is_common_word(match.group("value")) and _is_name_word(match.group("value")):
                yield match.span("value")
        for match in _QUOTED_MIDDLE.finditer(text):
            words = [word.strip("\"“”«»‘’'") for word in match.group().split()]
            if _is_name_word(words[0]) and _is_name_word(words[-1]):
                yield match.span()

    @staticmethod
    def _surname_first_names(text: str) -> Iterable[tuple[int, int]]:
        for match in _SURNAME_FIRST.finditer(text):
            surnames = re.split(r"['’\- ]", match.group("surname"))
            given = match.group("given").split()
            if all(_is_name_word(word) for word in given) and not any(
                word.casefold() in NON_NAME_WORDS or word.casefold() in PLACES for word in surnames
            ):
                yield match.span("value")

    def _chat_names(self, text: str) -> Iterable[tuple[int, int]]:
        """Lower-case names in chat exports: the speaker, a word after a kinship or calling cue, a first name that
        opens a message ("blessing u don send the money?")."""
        for line in CHAT_LINE.finditer(text):
            speaker = line.group("speaker")
            if re.fullmatch(r"[^\W\d_]{3,}", speaker) and speaker.islower() and not self.is_common_word(speaker):
                yield line.span("speaker")
            offset = line.start("message")
            words = list(re.finditer(r"[^\W\d_]+", line.group("message")))
            for position, word in enumerate(words):
                value = word.group()
                if not value.islower() or len(value) < 3 or self.is_common_word(value):
                    continue
                after_cue = position > 0 and words[position - 1].group().casefold() in CHAT_CUES
                opens_message = position == 0 and value in FIRST_NAMES
                if after_cue or opens_message:
                    yield offset + word.start(), offset + word.end()

    def _transcript_names(self, text: str) -> Iterable[tuple[int, int]]:
        """Capitalised words in the middle of a spoken line of an intercept ("Sì, con Goran."): speakers name the
        people they talk about by first name only, and mid-sentence capitals in speech are names or places."""
        if ":" not in text:
            return
        lines = list(_TRANSCRIPT_LINE.finditer(text))
        # Speakers take turns: a label that opens one line only is a form field ("DOB: ..."), not a speaker.
        turns = Counter(line.group("speaker") for line in lines)
        for line in lines:
            if turns[line.group("speaker")] < 2:
                continue
            offset = line.start("speech")
            speech = line.group("speech")
            for word in re.finditer(rf"(?<![\w'’]){CAP_WORD}", speech):
                value = word.group()
                if not _is_name_word(value) or value.isupper() or self.is_common_word(value):
                    continue
                if _NOT_NAME_BEFORE.search(speech[: word.start()]) or value.casefold() in DAY_NAMES:
                    continue
                if speech[word.end() :].lstrip().startswith(":"):
                    continue  # a field label inside the line
                yield offset + word.start(), offset + word.end()

    def _sequence_names(self, text: str) -> Iterable[tuple[int, int]]:
        tokens = [(match.start(), match.end(), match.group()) for match in _TOKEN.finditer(text)]
        index = 0
        while index < len(tokens):
            sequence = self._sequence_at(text, tokens, index)
            if not sequence:
                index += 1
                continue
            index = sequence[-1] + 1
            span = self._decide(text, tokens, sequence)
            if span is not None:
                yield span

    @staticmethod
    def _sequence_at(text: str, tokens: list[tuple[int, int, str]], index: int) -> list[int]:
        """Indices of the run of name words (with particles and trailing initials) starting at ``index``."""
        first = tokens[index][2]
        prefix = first.casefold() in NICKNAME_PREFIXES and first[0].isupper()
        if not (_is_name_word(first) or _is_initials(first) or prefix):
            return []
        sequence = [index]
        while sequence[-1] + 1 < len(tokens):
            last_end, last = tokens[sequence[-1]][1], tokens[sequence[-1]][2]
            nxt = sequence[-1] + 1
            start, _, token = tokens[nxt]
            gap = text[last_end:start]
            # "Md. Rakibul": the abbreviation of a first name keeps its full stop inside the name.
            if gap not in (" ", "-") and not (gap == ". " and last.casefold() in NAME_PREFIXES):
                break
            if _is_initials(last) and not _is_initials(token):
                break  # a name ends at its initials ("Aisha K. says")
            if _is_name_word(token) or _is_initials(token):
                sequence.append(nxt)
                continue
            if token.casefold() in DAY_NAMES and token[0].isupper() and not _is_initials(last):
                sequence.append(nxt)  # "IYAMU Friday", "Oga Sunday": weekday given names continue a name
                continue
            # Particles, also chained ("van der"), count only when a name word follows them.
            after = nxt
            while after < len(tokens) and tokens[after][2].casefold() in _PARTICLES:
                after += 1
            if after == nxt or after >= len(tokens) or not _is_name_word(tokens[after][2]):
                break
            if any(text[tokens[i][1] : tokens[i + 1][0]] != " " for i in range(sequence[-1], after)):
                break
            sequence.extend(range(nxt, after + 1))
        return sequence

    @staticmethod
    def _decide(text: str, tokens: list[tuple[int, int, str]], sequence: list[int]) -> tuple[int, int] | None:
        words = [tokens[i][2] for i in sequence]
        start, end = tokens[sequence[0]][0], tokens[sequence[-1]][1]
        end = _strip_possessive(start, end, text)
        only_initials = all(_is_initials(word) for word in words)
        prefix = words[0].casefold() in NICKNAME_PREFIXES
        if prefix:
            return (start, end) if len(words) > 1 else None
        before = text[max(0, start - 60) : start]
        if _SAINT_BEFORE.search(before):
            return None
        if _CUE_BEFORE.search(before[-40:]) or label_announces_person(before.rsplit("\n", 1)[-1]):
            if len(words) == 1 and words[0].casefold() in _TITLE_ABBREVIATIONS and text[end : end + 1] == ".":
                return None  # "Guardian: Dott.ssa Rossi": the title is not the name, the cue after it finds it
            return start, end
        if only_initials:
            return None
        for position, word in enumerate(words):
            if word.casefold() in FIRST_NAMES and (not word.isupper() or len(words) >= 2):
                # Words before the first name belong to it if they are SURNAMES in capitals or name prefixes.
                head = position
                while (
                    head > 0
                    and not _is_initials(words[head - 1])
                    and (words[head - 1].isupper() or words[head - 1].casefold() in NAME_PREFIXES)
                ):
                    head -= 1
                return tokens[sequence[head]][0], end
        letters = [word for word in words if not _is_initials(word) and word.casefold() not in _PARTICLES]
        has_caps = any(word.isupper() and len(word) >= 3 for word in letters)
        has_title = any(not word.isupper() for word in letters)
        if len(letters) >= 2 and has_caps and has_title:
            return start, end
        # "Pieter de Vries", "Hendrik-Jan van der Berg", "Radka Ivanova-Dimitrova": particles and double surnames
        # are how names, not institutions or places, are built.
        # A hyphenated first name ("Jan-Willem Kuipers", "Bogdan-Ionuț Constantinescu") is built the same way.
        has_particle = any(word in _NAME_PARTICLES for word in words)
        if len(letters) >= 2 and (has_particle or _is_double_surname(letters[-1]) or _is_double_surname(letters[0])):
            return start, end
        return None
