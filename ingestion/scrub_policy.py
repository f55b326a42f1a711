"""The scrubbing policy: which of the recognisers' findings are replaced and which are kept.

Stock Presidio types are mapped to ours, spaCy's names are vetted, legal references and institutions survive,
and overlapping findings resolve to the more specific kind.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from core.legal_refs import ARTICLE_CITATION
from ingestion.pseudonyms import Detection

if TYPE_CHECKING:
    from presidio_analyzer import RecognizerResult
    from spacy.tokens import Doc

# Raise when the recognisers or this policy change what is redacted: indexes built with another version are scrubbed
# again (it is part of the index fingerprint), so a fix that catches more personal data reaches stored chunks too.
SCRUBBING_VERSION = 7

# Penn Treebank tags of proper nouns (the tagger's own output; the attribute ruler that maps them to PROPN is off).
PROPER_NOUN_TAGS = frozenset({"NNP", "NNPS"})

# Presidio's names for the stock entities we keep, mapped to our placeholder names. LOCATION, NRP, DATE_TIME,
# ORGANIZATION and URL are deliberately absent: places, nationalities, event dates and institutions are what
# the assistant reasons about, and a plain URL in a case file is an institution's page, not a person.
PRESIDIO_TYPES = {
    "PERSON": "PERSON",
    "EMAIL_ADDRESS": "EMAIL",
    "IBAN_CODE": "IBAN",
    "CREDIT_CARD": "CARD_NUMBER",
    "IP_ADDRESS": "IP_ADDRESS",
}
OWN_TYPES = ("PHONE", "ADDRESS", "FISCAL_CODE", "ID_NUMBER", "PLATE", "DATE_OF_BIRTH")

# When two findings overlap, the more specific kind wins (an ID number that spaCy also called a person is an ID).
PRIORITY = {
    name: rank
    for rank, name in enumerate(
        (
            "EMAIL",
            "IBAN",
            "FISCAL_CODE",
            "CARD_NUMBER",
            "ID_NUMBER",
            "PHONE",
            "IP_ADDRESS",
            "PLATE",
            "DATE_OF_BIRTH",
            "ADDRESS",
            "PERSON",
        )
    )
}

# Values that are unambiguous by their format are never released by the keep-lists below.
FORMAT_CERTAIN = frozenset({"EMAIL", "IBAN", "FISCAL_CODE", "CARD_NUMBER"})

# The words of a case title in the languages the European courts publish in: "and", "and Others" ("Others" is
# capitalised in English titles only), then "v." or "c." (contre, contro, contra) before the respondent state.
_CASE_AND = r"(?:and|e|ed|et|y|und|en|i|și)"
_CASE_OTHERS = r"(?:Others|[Aa]ltri|autres|otros|[Aa]ndere)"

# Organisations named verbatim; Presidio drops findings equal to one of these.
INSTITUTIONS = (
    "Europol",
    "Eurojust",
    "Frontex",
    "Interpol",
    "GRETA",
    "UNHCR",
    "UNICEF",
    "UNODC",
    "IOM",
    "OIM",
    "Save the Children",
    "Caritas",
    "Red Cross",
    "Croce Rossa",
    "Medici Senza Frontiere",
    "Emergency",
    "La Strada",
    "On the Road",
    "Council of Europe",
    "European Union",
    "United Nations",
    "Carabinieri",
    "Guardia di Finanza",
    "Polizia di Stato",
)

# Legal references and institution names that must survive scrubbing (findings overlapping them are dropped).
# Courts are named in the main EU languages by a head, the kind of court and its seat: "Corte d'Assise d'Appello di
# Bologna", "Cour d'appel de Rennes", "Tribunal judiciaire de Nanterre", "Landgericht Bielefeld", "Rechtbank
# Gelderland", "Court of Appeal of Paris"; the seat is a place, never a person. German offices are one compound
# ("Jugendamt", "Bundesamt", "Ausländerbehörde", "Bundespolizei").
_INSTITUTION_HEAD = (
    r"Court|Tribunal|Tribunale|Corte|Cour|Juzgado|Rechtbank|Gerechtshof|Sąd|[A-Z]\w*gericht(?:shof)?|Procura|"
    r"[A-Z]\w*(?:amt|behörde|ministerium|polizei)|"
    r"Questura|Prefettura|Comune|Council|Ministry|Ministero|Police|Polizia|Squadra|Comando|Ufficio|Nucleo|Audiencia|"
    r"Association|Associazione|Commission|Commissione|Committee|Comitato|Agency|Agenzia|Direzione|Servizio|Service|"
    r"Services|Department|Dipartimento|Parliament|Parlamento"
)
# The lower-case words that say which court it is, written after the head before the seat ("Tribunale per i
# minorenni di Catania", "Tribunal judiciaire de Nanterre"); a word elided onto the next ("d'appello", "dell'Aquila")
# goes on the name whatever its case.
_COURT_KIND = (
    r"minorenni|ordinario|sorveglianza|riesame|judiciaire|correctionnel|administratif|instance|grande|provincial|"
    r"supremo|superior|penal|civil|regional|federal|[dl]['’][\w]+|(?:dell|dall|nell|all|sull|de l|du)['’][\w]+"
)
KEEP_PATTERNS = tuple(
    re.compile(pattern)
    for pattern in (
        ARTICLE_CITATION.pattern,  # Article 2(5), Art. 18 bis, art. 600 c.p., artt. 600 e 601 c.p.
        # Directive 2011/36/EU, Regulation (EU) 2016/679, Decision 2002/629/JHA.
        r"\b(?i:directive|direttiva|regulation|regolamento|decision|decisione|framework decision)\s+"
        r"(?:\(\w+\)\s*)?(?:n\.\s*)?\d{2,4}/\d+(?:/[A-Z]+)?",
        # Legge 47/2017, L. 228/2003, D.Lgs. 286/1998, d.P.R. 394/1999, Law no. 4/2012.
        r"\b(?i:legge|law|l\.|d\.\s?lgs\.?|decreto legislativo|d\.\s?l\.|d\.\s?p\.\s?r\.)"
        r"\s*(?:n\.|no\.)?\s*\d+/\d{2,4}",
        r"\bCETS\s*(?:No\.?\s*)?\d+|\bETS\s*(?:No\.?\s*)?\d+",
        # Court of Cassation, Tribunale per i minorenni di Catania, Squadra Mobile di Palermo.
        # Crown Court at Isleworth, Ufficio del Giudice per le Indagini Preliminari.
        rf"\b(?:{_INSTITUTION_HEAD})(?!\w)(?:\s+(?:of|for|at|di|del|della|dei|degli|delle|per|i|le|la|the|de|du|"
        rf"d'|on|and|e|für|des|der|und|{_COURT_KIND}|[A-Z][\w'’-]*)(?!\w)){{0,7}}",
        # Neutral citations of judgments: [2024] EWCA Crim 512, [2019] UKSC 12.
        r"\[\d{4}\]\s+(?:UKSC|UKHL|UKPC|EWCA|EWHC|EWCOP|EWFC|UKUT|UKFTT|UKEAT|CSIH|CSOH|NICA|IECA|IEHC|IESC)"
        r"(?:\s+(?:Crim|Civ|Admin|Fam|QB|KB|Ch|IAC))?\s+\d+",
        # Italian judgments and register numbers: Sent. n. 14/2024, R.G.N.R. 31877/2021, RIT 1234/23,
        # proc. pen. n. 4521/2022 R.G.N.R. (the number may also come before the register's name).
        r"\b(?i:sent\.|sentenza|ord\.|ordinanza|decreto|proc\.\s*pen\.|procedimento(?:\s+penale)?|"
        r"r\.\s?g\.(?:\s?n\.\s?r\.|\s?i\.\s?p\.|\s?g\.\s?i\.\s?p\.|\s?dib\.|\s?trib\.)?|rgnr|rit|r\.i\.t\.)"
        r"\s*(?:(?i:n\.|nr\.|n°)\s*)?\d+/\d{2,4}"
        r"|\b\d+/\d{2,4}\s+(?:R\.\s?G\.(?:\s?N\.\s?R\.|\s?I\.\s?P\.|\s?G\.\s?I\.\s?P\.)?|RGNR|RIT)",
        # Published judgments are cited by their parties' names as published: "Darboe and Camara v. Italy",
        # "Chowdury and Others v. Greece", "S.M. v. Croatia", "R v Smith", and in the court's other languages
        # "Darboe e Camara c. Italia", "Chowdury et autres c. Grèce", "Rantsev c. Chipre y Rusia".
        rf"(?:[A-Z][\w'’.\-]*\s+){{0,2}}[A-Z][\w'’.\-]*(?:\s+{_CASE_AND}\s+(?:{_CASE_OTHERS}|[A-Z][\w'’\-]*))?"
        rf"\s+(?:v\.?|vs\.|c\.)\s+(?:the\s+)?[A-Z][\w'’\-]+(?:\s+{_CASE_AND}\s+[A-Z][\w'’\-]+)?",
        # National and European helplines are organisations, not people (116 000, Numero Verde 800 290 290).
        rf"\b(?:{'|'.join(map(re.escape, INSTITUTIONS))})(?:\s+[A-Z][\w'’-]*){{0,3}}",
        r"(?<![\d+])(?<![\d+][ .\-])(?:800|803|116|0800|08000|0808|00800)[ .\-]?\d{3}(?:[ .\-]?\d{3,4})?\b",
        # A number announced as a helpline, hotline or switchboard belongs to a service, whatever its format.
        r"(?i:helpline|hotline|numero verde|linea verde|toll[- ]free|freephone|centralino|switchboard)"
        r"[^\n\d]{0,30}\+?\d[\d ./\-]{4,16}\d",
    )
)


def select_detections(text: str, results: Sequence[RecognizerResult], doc: Doc | None = None) -> list[Detection]:
    """Apply the policy to Presidio's findings: map types, vet spaCy's names, honour keep-lists, resolve overlaps."""
    candidates: list[tuple[int, int, str, float]] = []
    for result in results:
        kind = PRESIDIO_TYPES.get(result.entity_type, result.entity_type)
        if kind not in PRIORITY:
            continue
        start, end = result.start, result.end
        if kind == "PERSON" and result.recognition_metadata.get("recognizer_name") == "SpacyRecognizer":
            span = _vet_spacy_person(text, start, end, doc)
            if span is None:
                continue
            start, end = span
        candidates.append((start, end, kind, result.score))
    kept = _keep_spans(text)
    candidates = [
        candidate
        for candidate in candidates
        if candidate[2] in FORMAT_CERTAIN or not any(s < candidate[1] and candidate[0] < e for s, e in kept)
    ]
    return _resolve_overlaps(candidates)


_INITIALS_ONLY = re.compile(r"(?:[^\W\d_]\.\s?)+")
_ARTICLE_BEFORE = re.compile(r"(?i:\b(?:the|a|an|this|that|his|her|il|lo|la|l'|i|gli|le|un|una|uno)\s+)$")
# A single capitalised word after a locative preposition is a place ("recruited in Bacău", "Court at Isleworth").
_LOCATIVE_BEFORE = re.compile(r"\b(?:in|at|near|nel|nella|verso)\s+$")
# Streets and squares named after people ("piazza Garibaldi", "Corso Vittorio Emanuele", "Via Cavour") are places;
# a lower-case "via" is left out because in English it introduces people too ("sent via Joy").
STREET_BEFORE = re.compile(
    r"(?:\b(?i:piazza|piazzale|viale|corso|largo|vicolo|lungomare|rue|calle|plaza|avenida|strada)|\bVia)\.?\s+$"
)
_SENTENCE_START = re.compile(r"(?:^|[.!?:;#*>|•\-]\s*|\n\s*|['\"‘“(]\s*|\d+[.)]\s+)$")


def _vet_spacy_person(text: str, start: int, end: int, doc: Doc | None = None) -> tuple[int, int] | None:
    """Keep a spaCy PERSON only if it still looks like a name once trimmed, or None.

    The small English model also tags headings, Italian sentence openers and "the Jugendamt"; a lone capitalised
    word is accepted only mid-sentence and without an article, or opening a sentence when it is in the first-name
    dictionary at all ("Shovda is very reliable"), since other one-word names are caught by the rules (cues,
    first names) and by propagation of names already found.
    """
    from ingestion.recognizers_names import function_words, given_names
    from ingestion.recognizers_people import plausible_person

    words = list(re.finditer(r"\S+", text[start:end]))
    # spaCy glues verbs and prepositions to a name ("condotta da Lucky Aigbogun"): drop lowercase edges.
    while words and not words[0].group()[0].isupper():
        words.pop(0)
    while words and not words[-1].group()[0].isupper():
        words.pop()
    if not words:
        return None
    start, end = start + words[0].start(), start + words[-1].end()
    while end > start and not (text[end - 1].isalnum() or text[end - 1] == "."):
        end -= 1
    if text[start:end].endswith(("'s", "’s")):
        end -= 2
    value = text[start:end]
    if not plausible_person(value) or _INITIALS_ONLY.fullmatch(value):
        return None  # initials alone ("C.F.") are a name only after a cue, which the person rules check
    if value.isupper() and len(value) > 4:
        return None  # headings in capitals; a surname in capitals is found next to a first name instead
    if doc is not None and not any(
        token.tag_ in PROPER_NOUN_TAGS for token in doc if token.idx < end and start < token.idx + len(token)
    ):
        return None  # "Recognizing that ...", "Suppress": the tagger itself does not see a proper noun
    before = text[max(0, start - 20) : start]
    if STREET_BEFORE.search(before):
        return None
    if len(words) == 1 and (
        (
            _SENTENCE_START.search(before)
            and (value.casefold() not in given_names() or value.casefold() in function_words())
        )
        or _ARTICLE_BEFORE.search(before)
        or _LOCATIVE_BEFORE.search(before)
    ):
        return None
    return start, end


def _keep_spans(text: str) -> list[tuple[int, int]]:
    return [match.span() for pattern in KEEP_PATTERNS for match in pattern.finditer(text)]


def _merge_same_type(candidates: list[tuple[int, int, str, float]]) -> list[tuple[int, int, str, float]]:
    """Overlapping rule findings of one type become their union ("0039 320 4567890" and "320 4567890").

    People are left to the overlap resolution: spaCy's spans can run past a name ("Pham Duc Anh   Also").
    """
    merged: list[tuple[int, int, str, float]] = []
    for start, end, kind, score in sorted(candidates, key=lambda c: (c[2], c[0], -c[1])):
        if merged and merged[-1][2] == kind and kind != "PERSON" and start < merged[-1][1]:
            last = merged[-1]
            merged[-1] = (last[0], max(last[1], end), kind, max(last[3], score))
        else:
            merged.append((start, end, kind, score))
    return merged


def _resolve_overlaps(candidates: list[tuple[int, int, str, float]]) -> list[Detection]:
    """One value, one placeholder: overlapping findings become one span, so no value is ever partly replaced.

    Names first settle among themselves (rules over spaCy, which runs past names). Then findings that overlap are
    joined into their union, typed by the most specific kind among those covering at least half of it: an IBAN
    beats the phone number inside it, an address the name of the person its street is named after.
    """
    merged = _merge_same_type(candidates)
    people = [c for c in merged if c[2] == "PERSON"]
    chosen_people: list[tuple[int, int, str, float]] = []
    for candidate in sorted(people, key=lambda c: (-c[3], -(c[1] - c[0]), c[0])):
        if not any(c[0] < candidate[1] and candidate[0] < c[1] for c in chosen_people):
            chosen_people.append(candidate)
    remaining = sorted([*[c for c in merged if c[2] != "PERSON"], *chosen_people], key=lambda c: (c[0], -c[1]))
    detections: list[Detection] = []
    cluster: list[tuple[int, int, str, float]] = []
    for candidate in remaining:
        if cluster and candidate[0] < max(c[1] for c in cluster):
            cluster.append(candidate)
            continue
        if cluster:
            detections.append(_one_detection(cluster))
        cluster = [candidate]
    if cluster:
        detections.append(_one_detection(cluster))
    return detections


def _one_detection(cluster: list[tuple[int, int, str, float]]) -> Detection:
    """The union of overlapping findings, typed by the most specific kind that covers at least half of it."""
    start, end = min(c[0] for c in cluster), max(c[1] for c in cluster)
    covering = [c for c in cluster if 2 * (c[1] - c[0]) >= end - start]
    best = min(covering or cluster, key=lambda c: (PRIORITY[c[2]], -c[3], -(c[1] - c[0])))
    return Detection(start, end, best[2])


# Capitalised words (one or two each) listed with commas and a last "and", "or" or "&": "Kónya, Becker and Vasquez".
_LIST_ITEM = r"[A-ZÀ-ÖØ-Þ][\w'’\-]+(?: [A-ZÀ-ÖØ-Þ][\w'’\-]+)?"
_LISTED = re.compile(rf"(?<![\w'’]){_LIST_ITEM}(?:, {_LIST_ITEM})*,? (?:and|or|&) {_LIST_ITEM}(?![\w'’])")
_ITEM = re.compile(_LIST_ITEM)
# A title right before a name belongs to the placeholder ("Dr. Jennifer Holst" is one value).
_TITLE_BEFORE = re.compile(r"\b(?:Dr|Mr|Mrs|Ms|Mx|Prof|Sig|Sig\.ra|Dott|Dott\.ssa|Avv)\.? ?$")


def add_listed_names(text: str, detections: list[Detection]) -> list[Detection]:
    """Redact the other members of a list of capitalised words one of which is a person ("Marrero and Murphy"),
    and take a title before a name into it.

    A list holds things of one kind: once one member is a person, so are the rest, unless a member is a word that is
    never a name or a known place.
    """
    from ingestion.pii_names import NON_NAME_WORDS, PLACES

    people = [d for d in detections if d.entity_type == "PERSON"]
    extra: list[Detection] = []
    for match in _LISTED.finditer(text):
        items = [(match.start() + item.start(), match.start() + item.end()) for item in _ITEM.finditer(match.group())]
        words = [word.casefold() for start, end in items for word in text[start:end].split()]
        if any(word in NON_NAME_WORDS or word in PLACES for word in words):
            continue
        if not any(d.start < end and start < d.end for d in people for start, end in items):
            continue
        extra += [
            Detection(start, end, "PERSON")
            for start, end in items
            if not any(d.start < end and start < d.end for d in detections)
        ]
    merged = sorted([*detections, *extra], key=lambda d: d.start)
    return [_with_title(text, item) for item in merged]


def _with_title(text: str, item: Detection) -> Detection:
    if item.entity_type != "PERSON":
        return item
    title = _TITLE_BEFORE.search(text, max(0, item.start - 10), item.start)
    return Detection(title.start(), item.end, item.entity_type) if title else item


# A nickname in quotes right after a name: Ahmed Fathy "il Masri", AGHEDO, Joy ("Mama Joy").
_TRAILING_NICKNAME = re.compile(
    r"\s*\(?[\"“«](?P<value>(?:(?:il|la|lo|el|al|the)\s+)?[A-ZÀ-ÖØ-Þ][^\"“”«»\n]{1,25}?)[\"”»]"
)


def add_trailing_nicknames(text: str, detections: list[Detection]) -> list[Detection]:
    """Mark a quoted nickname that directly follows a person's name as part of that person."""
    extra = []
    for item in detections:
        if item.entity_type != "PERSON":
            continue
        match = _TRAILING_NICKNAME.match(text, item.end)
        if match and not any(d.start < match.end("value") and match.start("value") < d.end for d in detections):
            extra.append(Detection(match.start("value"), match.end("value"), "PERSON"))
    return sorted([*detections, *extra], key=lambda d: d.start) if extra else detections
