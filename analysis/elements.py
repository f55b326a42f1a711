"""The three elements of trafficking (act, means, purpose) and whether the victim is a child."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from analysis.indicators import IndicatorMatch
from analysis.sentences import negated_before, normalise
from core.text import Sentence

ADULT_AGE = 18
CHILD_LEGAL_BASIS: tuple[str, ...] = (
    "Palermo Protocol art. 3(c)",
    "CETS 197 art. 4(c)",
    "Directive 2011/36/EU art. 2(5)",
)

# Forms of exploitation, named as in the case-law front-matter (exploitation_type), with the indicators showing them.
PURPOSE_OF: dict[str, str] = {
    "quota_of_clients": "sexual_exploitation", "madam_controller": "sexual_exploitation",
    "hotel_apartment_rotation": "sexual_exploitation", "advertised_online_sexual_services": "sexual_exploitation",
    "child_commercial_sex": "sexual_exploitation", "sextortion_coerced_images": "online_sexual_exploitation",
    "child_sexual_abuse_material_production": "online_sexual_exploitation",
    "no_pay_or_wages_withheld": "labour_exploitation", "excessive_working_hours": "labour_exploitation",
    "living_at_workplace": "labour_exploitation", "gangmaster_transport_to_fields": "labour_exploitation",
    "unsafe_working_conditions": "labour_exploitation", "degrading_living_conditions": "labour_exploitation",
    "child_working": "labour_exploitation", "no_control_over_money_or_bank": "labour_exploitation",
    "domestic_servitude": "domestic_servitude", "child_begging": "forced_begging",
    "adult_forced_begging": "forced_begging", "child_forced_criminality": "forced_criminality",
    "child_drug_dealing_courier": "forced_criminality", "adult_forced_criminality": "forced_criminality",
    "forced_marriage_minor": "forced_marriage", "bride_price": "forced_marriage",
    "illegal_adoption_sale_of_child": "illegal_adoption", "organ_removal": "organ_removal",
    "surrogacy_exploitation": "reproductive_exploitation",
}  # fmt: skip

_ACT = re.compile(
    r"\b(?:recruit\w*|transport\w*|transferr\w*|harbou?r\w*|housed|handed (?:over )?to|sold|bought|drove|driven|"
    r"brought (?:her|him|them)|(?:was|were) (?:brought|taken|moved|collected|received) (?:to|from|by|at)|"
    r"reclutat\w|convint\w a partire|trasport\w+|trasferit\w|ospitat\w|accolt\w|consegnat\w|cedut\w|vendut\w|"
    r"comprat\w|prelevat\w|portat\w (?:in|a|da|nei|al|alla)|portarl\w|carica\w* su|accompagnat\w)"
)
_MEANS = re.compile(
    r"\b(?:threat\w*|forc(?:ed|e|ing)|coerc\w+|deceiv\w+|decept\w+|tricked|lied to|abduct\w+|kidnapp\w+|"
    r"abuse of (?:power|authority|(?:a |her |his )?(?:position of )?vulnerability)|fraud\w*|"
    r"minacc\w+|costrett\w+|costring\w+|ingann\w+|rapit\w|sequestrat\w|violenz\w+|approfitt\w+|raggir\w+)"
)
_PURPOSE = re.compile(
    r"\b(?:exploit\w*|prostitut\w+|sex work|forced labou?r|servitude|slavery|begging|organ removal|"
    r"sfruttament\w|sfruttat\w|prostituzion\w|lavoro forzato|servitù|schiavitù|accattonaggio|spaccio)"
)
_AGES = (
    re.compile(r"\baged? (\d{1,2})\b"),
    re.compile(r"\b(\d{1,2})[- ]years?[- ]old\b"),
    re.compile(r"\b(\d{1,2}) years of age\b"),
    re.compile(
        r"\b(?:she|he|i) (?:is|was|am) (\d{1,2})\b(?![\d.,]| ?(?:euros?|dollars?|%|hours?|days?|minutes?|times))"
    ),
    re.compile(r"\b(?:di|ha|avere|aveva|età di|compiuto|compiuti)(?: circa)? (\d{1,2}) anni\b"),
    re.compile(r"(?:<person_\d+>|\b[a-zà-ù]+), (\d{1,2})(?: anni)?[,)]"),
)
_MINOR_WORDS = re.compile(
    r"\b(?:minor|minors|underage|under-age|under 18|newborn|infant|unaccompanied child|child victim|"
    r"minorenne|minorenni|(?:un|una|il|la|del|della) minore|minori stranieri|minore straniero|neonat[oa])\b"
)
_BIRTH = re.compile(
    r"\b(?:born|nat[oa]|date of birth|data di nascita|d\.o\.b\.?)\b[^.;]{0,40}?"
    r"\b(?:(?:\d{1,2}[/.-]){2}((?:19|20)\d{2})|((?:19|20)\d{2}))\b"
)
_YEAR = re.compile(r"\b((?:19|20)\d{2})\b")


@dataclass
class ChildFinding:
    """Whether the case concerns a child, and the sentences (or the scrubbed birth date) that show it."""

    child: bool
    ages: list[int] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)


@dataclass
class Element:
    """One element of the trafficking definition as found in the case."""

    status: str  # found | not_found | not_required
    evidence: list[str] = field(default_factory=list)
    legal_basis: list[str] = field(default_factory=list)
    forms: list[str] = field(default_factory=list)  # purpose only: the forms of exploitation

    def to_json(self) -> dict[str, object]:
        data: dict[str, object] = {"status": self.status, "evidence": list(self.evidence)}
        if self.legal_basis:
            data["legal_basis"] = list(self.legal_basis)
        if self.forms:
            data["forms"] = list(self.forms)
        return data


def birth_ages(original_text: str) -> list[int]:
    """Ages at the time of the events from dates of birth in the text before scrubbing (they are scrubbed later).

    The age is counted to the earliest later year the narrative mentions; only the number leaves this function.
    """
    ages = []
    years = sorted({int(y) for y in _YEAR.findall(original_text)})
    for match in _BIRTH.finditer(original_text.lower()):
        born = int(match.group(1) or match.group(2))
        later = [year for year in years if year > born]
        if later:
            ages.append(later[0] - born)
    return ages


def find_child(sentences: Sequence[Sentence], extra_ages: Sequence[int] = ()) -> ChildFinding:
    """Whether the case concerns a person under 18: stated ages, "minor"/"minorenne"/"newborn", birth dates."""
    finding = ChildFinding(child=False)
    for sentence in sentences:
        text = normalise(sentence.text)
        ages = [int(m.group(1)) for pattern in _AGES for m in pattern.finditer(text)]
        minors = [m for m in _MINOR_WORDS.finditer(text) if not negated_before(text, m.start(), window=2)]
        finding.ages.extend(ages)
        if any(age < ADULT_AGE for age in ages) or minors:
            finding.child = True
            finding.evidence.append(sentence.text)
    for age in extra_ages:
        finding.ages.append(age)
        if age < ADULT_AGE:
            finding.child = True
            finding.evidence.append(f"Date of birth (removed by scrubbing) gives an age of {age} at the time.")
    finding.evidence = finding.evidence[:3]
    return finding


def classify_elements(
    sentences: Sequence[Sentence], matches: Sequence[IndicatorMatch], child: bool
) -> dict[str, Element]:
    """Act, means and purpose, each found or not with its evidence; means is not required for a child victim.

    Element-specific wording ("recruited", "minacciata", "exploited"…) only counts once at least two indicators
    were found: with nothing else in the text, a word such as "transported" is no sign of trafficking.
    """
    evidence: dict[str, list[str]] = {"act": [], "means": [], "purpose": []}
    for match in matches:
        for text in match.evidence[:1]:
            if text not in evidence[match.indicator.element]:
                evidence[match.indicator.element].append(text)
    if len(matches) >= 2:
        for sentence in sentences:
            text = normalise(sentence.text)
            for element, pattern in (("act", _ACT), ("means", _MEANS), ("purpose", _PURPOSE)):
                found = [m for m in pattern.finditer(text) if not negated_before(text, m.start(), window=3)]
                if found and sentence.text not in evidence[element]:
                    evidence[element].append(sentence.text)
    forms = sorted({PURPOSE_OF[m.indicator.id] for m in matches if m.indicator.id in PURPOSE_OF})
    elements = {name: Element("found" if evidence[name] else "not_found", evidence[name][:4]) for name in evidence}
    elements["purpose"].forms = forms
    if child:
        elements["means"] = Element("not_required", evidence["means"][:4], list(CHILD_LEGAL_BASIS))
    return elements
