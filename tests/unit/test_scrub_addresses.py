"""Addresses: units, postcodes, house names, lines after a cue, other scripts (examples written for these tests)."""

from __future__ import annotations

from ingestion.recognizers_contact import AddressRecognizer
from tests.unit.conftest import found_values


def test_addresses_take_units_postcodes_abbreviations_and_km_markers() -> None:
    addresses = AddressRecognizer()
    cases = {
        "abita in V.le della Libertà 88, scala C, int. 7, Palermo": "V.le della Libertà 88, scala C, int. 7",
        "sede in C.so Vittorio Emanuele 140, 2° piano, Napoli": "C.so Vittorio Emanuele 140, 2° piano",
        "azienda in Contrada Serra Alta km 4,200, Ragusa": "Contrada Serra Alta km 4,200",
        "lived at 9 Mill Lane, Leicester LE2 7QT with him": "9 Mill Lane, Leicester LE2 7QT",
        "Flat 3B, 71 Harrow Road, London W2 5TT.": "Flat 3B, 71 Harrow Road, London W2 5TT",
        "wohnt Karl-Marx-Allee 212, 10243 Berlin seit": "Karl-Marx-Allee 212, 10243 Berlin",
        "woont op Kanaalweg 17-A, 3526 KM Utrecht.": "Kanaalweg 17-A, 3526 KM Utrecht",
        "adresa ul. Vasil Levski 12, Plovdiv 4000;": "ul. Vasil Levski 12, Plovdiv 4000",
    }
    for text, expected in cases.items():
        assert found_values(addresses, text) == [expected], text


def test_addresses_with_uk_postcodes_house_names_and_italian_towns() -> None:
    addresses = AddressRecognizer()
    cases = {
        "stored at Unit 12, Meadow Farm Trading Estate, Newport-on-Tay DD6 8QL, then": (
            "Unit 12, Meadow Farm Trading Estate, Newport-on-Tay DD6 8QL"
        ),
        "lived at Rose Cottage, Mill Lane, Ely CB7 4JQ until": "Rose Cottage, Mill Lane, Ely CB7 4JQ",
        "ospitata in via Nazionale 14/C, Partinico da marzo": "via Nazionale 14/C, Partinico",
        "lavorava in corso Italia 3, Roma senza contratto": "corso Italia 3",  # a known city stays for the analysis
    }
    for text, expected in cases.items():
        assert found_values(addresses, text) == [expected], text


def test_address_lines_after_a_cue_in_any_national_order() -> None:
    from ingestion.recognizers import AddressLineRecognizer

    def lines(text: str) -> list[str]:
        return [text[r.start : r.end] for r in AddressLineRecognizer().analyze(text, ["ADDRESS"])]

    assert lines("Send a new one to Aqqusinersuaq 176 Pinto Hill, Nuuk? Thanks") == [
        "Aqqusinersuaq 176 Pinto Hill, Nuuk"
    ]
    assert lines("The letter arrived at 2035 Gewerbepark 45 Apt. 815 last night.") == ["2035 Gewerbepark 45 Apt. 815"]
    assert lines("Address:\n6889 ul. Jarzębinowa 5\nBUNDALAGUAH") == ["6889 ul. Jarzębinowa 5"]
    assert lines("residente a Roma in via Volturno 58, che riceveva") == ["via Volturno 58"]  # the city stays
    assert lines("living at Via Nizza 45, Lagos.") == ["Via Nizza 45"]
    assert lines("he lives in Palermo since 2019.") == []  # a year is no house number
    assert lines("who arrived at Dover on 9 August 2022.") == []  # nor is a date


def test_greek_and_cyrillic_streets_lines_of_a_postal_address_and_street_corners() -> None:
    from ingestion.recognizers import AddressLineRecognizer

    for text, street in (
        ("3565 Πλατεία Συντάγματος 204\nSuite 279", "3565 Πλατεία Συντάγματος 204"),
        ("Адрес: 12 Раковски 12, 1000", "12 Раковски 12"),
        ("Zizi Kónya\nEnigmaio\nJana Nerudy 894\nPraha", "Jana Nerudy 894"),
        ("Marisa Alves\n09457 Vana-Viru 25 Apt. 971\n", "09457 Vana-Viru 25 Apt. 971"),
    ):
        found = [text[r.start : r.end] for r in AddressRecognizer().analyze(text, ["ADDRESS"])]
        assert any(street in value for value in found), (text, found)
    for line in ("Article 5", "Chapter 12", "I just turned 21", "My zip code is 12345", "Room 101"):
        assert not AddressRecognizer().analyze(line, ["ADDRESS"]), line
    text = "It is at the corner of Dalbraut 99 and Frederikke Coves."
    assert [text[r.start : r.end] for r in AddressLineRecognizer().analyze(text, ["ADDRESS"])] == [
        "the corner of Dalbraut 99 and Frederikke Coves"
    ]
