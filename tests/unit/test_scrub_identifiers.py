"""Phones, e-mails, dates of birth, ID numbers, plates and fiscal codes (examples written for these tests)."""

from __future__ import annotations

from ingestion.recognizers import (
    date_of_birth_recognizer,
    fiscal_code_checksum_ok,
    id_number_recognizers,
    plate_recognizers,
)
from ingestion.recognizers_contact import ObfuscatedEmailRecognizer, PhoneNumberRecognizer
from ingestion.scrub import Detection
from ingestion.scrub_policy import _resolve_overlaps
from tests.unit.conftest import found_values


def test_fiscal_code_checksum() -> None:
    assert fiscal_code_checksum_ok("RSSMRA85T10A562S")
    assert not fiscal_code_checksum_ok("RSSMRA85T10A562T")
    assert not fiscal_code_checksum_ok("RSSMRA85T10A562")


def test_dates_of_birth_need_a_birth_cue() -> None:
    dob = date_of_birth_recognizer()
    assert found_values(dob, "nato a Napoli il 18/04/1979, arrestato il 12/03/2019") == ["18/04/1979"]
    assert found_values(dob, "She was born in Lagos on 2 October 1984.") == ["2 October 1984"]
    assert found_values(dob, "On 12 March 2019 the police raided the flat.") == []


def test_document_numbers_need_a_document_cue() -> None:
    cued = id_number_recognizers()[0]
    assert found_values(cued, "permesso di soggiorno (art. 18 D.Lgs. 286/1998) n. I04411277") == ["I04411277"]
    assert found_values(cued, "Police report no. 418/2019, file 22331455") == []


def test_plates_after_a_cue_take_the_whole_plate() -> None:
    cued = plate_recognizers()[1]
    assert found_values(cued, "a car with Romanian plates CT 12 ABX. She is 17") == ["CT 12 ABX"]
    assert found_values(cued, "a Renault with plate 4411-KLM.") == ["4411-KLM"]


def test_phone_groupings_and_international_prefixes() -> None:
    phones = PhoneNumberRecognizer()
    assert found_values(phones, "cell. 347 21 90 118 dalle 9") == ["347 21 90 118"]
    assert "+44 (0)7911 123456" in found_values(phones, "call +44 (0)7911 123456 today")
    merged = _resolve_overlaps([(5, 21, "PHONE", 0.5), (10, 21, "PHONE", 0.6)])
    assert merged == [Detection(5, 21, "PHONE")]  # the longer reading of one number wins, not the higher score


def test_codes_references_and_answers_on_the_next_line() -> None:
    cued = id_number_recognizers()[0]
    assert found_values(cued, "minore identificato, CUI: 11ZXT4P, ospite") == ["11ZXT4P"]
    assert found_values(cued, "Visa ref. K7743120 was refused") == ["K7743120"]
    assert found_values(cued, "Q: Your passport?\nA: LM4410983, from Lagos") == ["LM4410983"]
    assert found_values(cued, "il permesso per protezione speciale n. H09921344 è valido") == ["H09921344"]
    assert found_values(cued, "born in Benin; on 2 May she paid 350 000 naira") == []  # "nin" inside a word is no cue


def test_dates_of_birth_in_iso_form_with_qualifiers_and_on_the_next_line() -> None:
    dob = date_of_birth_recognizer()
    assert found_values(dob, "(born 2007-11-03) and her aunt") == ["2007-11-03"]
    assert found_values(dob, "Data di nascita presunta: 01/01/2008") == ["01/01/2008"]
    assert found_values(dob, "D: Data di nascita?\nR: 3 marzo 2006.") == ["3 marzo 2006"]
    assert found_values(dob, "Hearing date: 2023-05-04") == []


def test_british_and_dutch_plates() -> None:
    italian_and_british, cued = plate_recognizers()
    assert found_values(italian_and_british, "a blue van, index MX21 KTR, seen twice") == ["MX21 KTR"]
    assert found_values(cued, "met Nederlands kenteken 84-TZP-1 gezien") == ["84-TZP-1"]


def test_obfuscated_emails_and_separated_phones() -> None:
    emails = ObfuscatedEmailRecognizer()
    for value in (
        "lena dot marsh at gmail dot com",
        "k.ortiz[at]mailbox[.]org",
        "ciro_88 (at) libero (dot) it",
        "avv.rizzi chiocciola pec punto it",
    ):
        assert found_values(emails, f"scrivere a {value}, grazie") == [value]
    assert found_values(emails, "plain tom.ray@example.com and we met at noon dot the station") == []
    phones = PhoneNumberRecognizer()
    assert found_values(phones, "tel. +44 7911/123/456 e 0161/496/0018 o 0 20 7123 4567") == [
        "+44 7911/123/456",
        "0 20 7123 4567",
        "0161/496/0018",
    ]


def test_lower_case_fiscal_codes_uk_national_insurance_plates_and_birth_dates_in_words() -> None:
    assert fiscal_code_checksum_ok("RSSMRA85M01H501Q")
    from ingestion.recognizers import FiscalCodeRecognizer

    codes = FiscalCodeRecognizer()
    found = codes.analyze("c.f. rssmra85m01h501q; x abcdef12g34h567z", ["FISCAL_CODE"])
    assert [r for r in found if codes.validate_result("rssmra85m01h501q")]
    assert codes.validate_result("abcdef12g34h567z") is False  # lower case needs a valid checksum
    cued = id_number_recognizers()[0]
    assert found_values(cued, "his national insurance number, AB 98 76 54 D, was used") == ["AB 98 76 54 D"]
    assert found_values(cued, "carta di soggiorno rilasciata a Roma n. Z5K110293") == ["Z5K110293"]
    assert found_values(plate_recognizers()[1], "a Dacia registered CJ 09 XYZ was seen") == ["CJ 09 XYZ"]
    dob = date_of_birth_recognizer()
    assert found_values(dob, "nata a Ouled el-Haj il ventitré aprile duemilacinque") == [
        "ventitré aprile duemilacinque"
    ]
    assert found_values(dob, "nato a Tunisi il 3.7.2006, giunto") == ["3.7.2006"]
