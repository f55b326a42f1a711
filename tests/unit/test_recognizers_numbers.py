"""Phones in any national format, IBANs in any case, cued card numbers, e-mails on any domain, birth dates in many
languages, addresses with the number first, one placeholder per value and possessives (examples written here)."""

from __future__ import annotations

from ingestion.pseudonyms import Detection
from ingestion.recognizers import date_of_birth_recognizer
from ingestion.recognizers_contact import AddressRecognizer, OfflineEmailRecognizer
from ingestion.recognizers_numbers import (
    CardCueRecognizer,
    IbanAnyCaseRecognizer,
    LibraryPhoneRecognizer,
    iban_checksum_ok,
)
from ingestion.recognizers_people import PersonRuleRecognizer
from ingestion.scrub_policy import _resolve_overlaps


def _values(recognizer: object, text: str) -> list[str]:
    results = recognizer.analyze(text, [])  # type: ignore[attr-defined]
    return [text[r.start : r.end] for r in sorted(results, key=lambda r: r.start)]


def test_phones_in_national_formats_of_many_countries() -> None:
    phones = LibraryPhoneRecognizer()
    cases = {
        "They are not answering at 780-999-2181": "780-999-2181",  # Canada, no prefix
        "il suo numero belga 0494 92 82 32 non risponde": "0494 92 82 32",
        "mi ha scritto dal 347 123 4567 ieri": "347 123 4567",  # Italian mobile, 3-3-4
        "Desk: (602)272-9781": "(602)272-9781",
        "Fax: +1-903-140-4508x769": "+1-903-140-4508x769",  # an unallocated range, but written with its prefix
        "Mobile: 723 813 266": "723 813 266",
        "chiamava la sorella al 0803 12 34 567 di Lagos": "0803 12 34 567",
        "Brother Kelly (00234 8031 229 455).": "00234 8031 229 455",
    }
    for text, expected in cases.items():
        assert _values(phones, text) == [expected], text


def test_periods_dates_registers_amounts_and_file_numbers_are_not_phones() -> None:
    phones = LibraryPhoneRecognizer()
    for text in (
        "between 2019-2021 she worked in Caserta",
        "arrived on 12.04.1979 and left",
        "done at Warsaw on 2005-05-16, entry into force 2008-02-01",
        "see the Commission report COM(2023) 424 final",
        "Police report no. 418/2019 - Squadra Mobile",
        "paid 1 500 000 euro to the boss",
        "case no. 12345678 was opened",
    ):
        assert _values(phones, text) == [], text


def test_ibans_in_any_case_and_grouping_pass_the_checksum() -> None:
    ibans = IbanAnyCaseRecognizer()
    assert _values(ibans, "sent to gb42nawi04454264788619 twice") == ["gb42nawi04454264788619"]
    assert _values(ibans, "account GB29 NWBK 6016 1331 9268 19 held by Gareth") == ["GB29 NWBK 6016 1331 9268 19"]
    assert _values(ibans, "IBAN ES21 2100 4418 7102 0005 1332, Madrid") == ["ES21 2100 4418 7102 0005 1332"]
    assert _values(ibans, "passaporto n. BP0417723 e non me lo ridà") == []
    assert not iban_checksum_ok("GB29NWBK60161331926818")  # one digit off


def test_card_numbers_after_a_cue_even_when_luhn_fails() -> None:
    cards = CardCueRecognizer()
    assert _values(cards, "What is the limit for card 501864667909?") == ["501864667909"]
    assert _values(cards, "la carta n. 4023 6000 1234 5678 era sua") == ["4023 6000 1234 5678"]
    assert _values(cards, "Article 600 of the code") == []


def test_e_mails_on_a_domain_that_is_not_public() -> None:
    emails = OfflineEmailRecognizer()
    assert _values(emails, "scrivere a mario.rossi@questura.interno entro lunedì") == ["mario.rossi@questura.interno"]


def test_dates_of_birth_after_a_place_and_in_other_languages() -> None:
    dob = date_of_birth_recognizer()
    cases = {
        "She was born in Benin City, Nigeria, on 12 April 1979.": "12 April 1979",
        "nata a Tirana (Albania) il 03/05/2007": "03/05/2007",
        "geboren am 12. April 1979 in Köln": "12. April 1979",
        "né le 4 mars 1990 à Dakar": "4 mars 1990",
        "nacido el 3 de mayo de 2001": "3 de mayo de 2001",
        "urodzony 12.04.1979 w Lublinie": "12.04.1979",
    }
    for text, expected in cases.items():
        assert _values(dob, text) == [expected], text
    assert _values(dob, "the child, born in Lagos, arrived in Italy on 12 May 2019") == []  # an event's date


def test_addresses_with_the_number_first_and_units() -> None:
    addresses = AddressRecognizer()
    cases = {
        "The address is 6750 Koskikatu 25 Apt. 864\nArtilleros": "6750 Koskikatu 25 Apt. 864",
        "Meet me at 29 Rue de Tanger tonight": "29 Rue de Tanger",
        "change it to 9858 92 Hounslow Rd\n Suite 603": "9858 92 Hounslow Rd",
        "she lives at 1659 Hoog St now": "1659 Hoog St",
        "he moved to Hansinegata 120 in May": "Hansinegata 120",
        "post to PSC 1437, Box 3833 please": "PSC 1437, Box 3833",
        "lakik: 6076 Piroska u. 97.": "6076 Piroska u. 97.",
    }
    for text, expected in cases.items():
        values = _values(addresses, text)  # several readings of one address are joined by the overlap resolution
        assert max(values, key=len) == expected and all(value in expected for value in values), text
    for text in (
        "on 12 March 2020 the court",
        "In 2019 Europol 12 agents",
        "+291 7 123 456 via Messenger",
        "the unit 5 of the police",
        "The Committee 12 members",
    ):
        assert _values(addresses, text) == [], text


def test_one_value_one_placeholder() -> None:
    iban_and_phone = _resolve_overlaps([(5, 34, "IBAN", 1.0), (20, 34, "PHONE", 0.7)])
    assert iban_and_phone == [Detection(5, 34, "IBAN")]
    # A phone read over part of an address and past its end: one span covering both, never a half.
    crossing = _resolve_overlaps([(0, 20, "ADDRESS", 0.6), (15, 28, "PHONE", 0.7)])
    assert crossing == [Detection(0, 28, "ADDRESS")]


def test_a_possessive_apostrophe_does_not_open_a_nickname() -> None:
    people = PersonRuleRecognizer()
    assert "s madam Sandra" not in _values(people, "the girl's madam Sandra's friend")
    assert _values(people, "a man called 'Dee' came") == ["Dee"]


def test_a_given_name_a_middle_initial_and_a_surname() -> None:
    people = PersonRuleRecognizer()
    assert _values(people, "the song by Szabina J Gelencsér was played") == ["Szabina J Gelencsér"]
    assert "Abby M. Laidlaw" in _values(people, "Name:    Abby M. Laidlaw")
    for text in ("under Article A Paragraph 2", "Annex B Protocol", "from Milano C Roma"):
        assert _values(people, text) == [], text
