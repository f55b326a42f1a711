"""The language-aware vetting of person findings, with the real wordfreq frequencies and name lists."""

from __future__ import annotations

import pytest

from ingestion.person_vetting import ordinary_word, vet_people
from ingestion.pseudonyms import Detection


def _people(text: str, *values: str) -> list[Detection]:
    found = [Detection(text.index(value), text.index(value) + len(value), "PERSON") for value in values]
    return sorted(found, key=lambda d: d.start)


def _kept(text: str, detections: list[Detection]) -> list[str]:
    return [text[item.start : item.end] for item in detections]


@pytest.mark.parametrize("word", ["minori", "Consiglio", "Prima", "Mai", "convenzione", "Verifica"])
def test_ordinary_italian_words(word: str) -> None:
    assert ordinary_word(word, "it")


@pytest.mark.parametrize("word", ["Rossi", "Bianchi", "Conte", "Mario", "Giuseppe", "Blessing", "Osagie"])
def test_names_are_no_ordinary_words_even_when_they_are_words(word: str) -> None:
    assert not ordinary_word(word, "it")


def test_english_and_unknown_languages_have_no_ordinary_words_here() -> None:
    assert not ordinary_word("coached", "en")
    assert not ordinary_word("minori", "xx")


def test_a_person_made_only_of_ordinary_words_of_the_documents_language_is_released() -> None:
    text = "## Tre passaggi\nConvenzione del Consiglio d'Europa. Mario Rossi e Giuseppe Conte sono arrivati."
    found = _people(text, "Tre", "Consiglio", "Mario Rossi", "Giuseppe Conte")
    assert _kept(text, vet_people(text, found, "it")) == ["Mario Rossi", "Giuseppe Conte"]
    # In an English document only a phrase of Italian words is released: "Tre passaggi", not "Consiglio" alone.
    assert _kept(text, vet_people(text, found, "en")) == ["Consiglio", "Mario Rossi", "Giuseppe Conte"]


def test_an_italian_word_going_on_in_lower_case_is_a_quoted_phrase() -> None:
    text = "A child can enter the Programma unico; Marco Rossi said so; the Conferenza Unificata agreed; Mario left."
    found = _people(text, "Programma", "Marco Rossi", "Conferenza Unificata", "Mario")
    assert _kept(text, vet_people(text, found, "en")) == ["Marco Rossi", "Mario"]


def test_acronyms_are_no_names_unless_a_name_list_knows_them() -> None:
    text = "Decide between EIO and MLA; specialised NGOs help. Convenzione ONU. LI Wei and WU were seen."
    found = _people(text, "MLA", "NGOs", "Convenzione ONU", "LI Wei", "WU")
    assert _kept(text, vet_people(text, found, "en")) == ["Convenzione ONU", "LI Wei", "WU"]
    assert _kept(text, vet_people(text, found, "it")) == ["LI Wei", "WU"]


def test_quoted_nicknames_and_findings_with_digits_are_not_vetted() -> None:
    text = "Medhanie, detto 'il Generale', pagava sul conto IBAN ES21 2100."
    found = _people(text, "il Generale", "ES21")
    assert vet_people(text, found, "it") == found


def test_a_hyphenated_prefix_is_no_name() -> None:
    text = "The EU Anti-Trafficking Directive; Anti Smith signed."
    found = _people(text, "Anti", "Anti Smith")
    assert _kept(text, vet_people(text, found, "en")) == ["Anti Smith"]


def test_a_capitalised_phrase_of_another_language_is_no_name_but_a_foreign_name_is() -> None:
    text = "The protocol of the Conferenza Unificata (2020). The girl met Bruno Guerra in Turin."
    found = _people(text, "Unificata", "Bruno Guerra")
    assert _kept(text, vet_people(text, found, "en")) == ["Bruno Guerra"]


def test_other_findings_pass_untouched() -> None:
    text = "Chiamare il 333 1234567."
    found = [Detection(12, 23, "PHONE")]
    assert vet_people(text, found, "it") == found
