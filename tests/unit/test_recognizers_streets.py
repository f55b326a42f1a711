"""Street lines by their structure in European formats, and the rest of an address line taken with a street."""

from __future__ import annotations

import pytest

from ingestion.recognizers_contact import AddressRecognizer
from ingestion.recognizers_streets import StreetStructureRecognizer, address_tail_end, postcode_after_country


def _streets(text: str) -> list[str]:
    return [text[r.start : r.end] for r in StreetStructureRecognizer().analyze(text, [])]


@pytest.mark.parametrize(
    ("text", "street"),
    [
        (
            "It's in 0269 Stensås terrasse 38\n Suite 621",
            "0269 Stensås terrasse 38",
        ),  # Norwegian: the type after, in lower case
        ("6614 Luite tee 87\n Apt. 931", "6614 Luite tee 87"),  # EE
        ("send it to 688 rue du centre 320\n", "688 rue du centre 320"),  # FR, all lower case
        ("She lives at 26 rue des Lieutenants Thomazo\n", "26 rue des Lieutenants Thomazo"),  # FR, number first
        ("Λεωφόρος Συγγρού 119", "Λεωφόρος Συγγρού 119"),  # EL
        ("at C/ Señores Curas 88 today", "C/ Señores Curas 88"),  # ES
        ("meet me at 2407 tawastintie 6, sé, portugal", "2407 tawastintie 6, sé"),  # FI, attached type
        ("Biuro: ul. Miła 53, Kraków", "ul. Miła 53, Kraków"),  # PL
        ("Adresa: Strada Lipscani 12, București", "Strada Lipscani 12, București"),  # RO
        ("Morada: Rua do Paseo 46", "Rua do Paseo 46"),  # PT
        ("sede in Corso Garibaldi 12, Bagheria", "Corso Garibaldi 12, Bagheria"),  # IT: a small town goes with it
    ],
)
def test_streets_in_european_orders_and_cases(text: str, street: str) -> None:
    assert street in _streets(text)


def test_prose_with_a_street_word_and_a_number_is_no_address() -> None:
    assert _streets("I walked down the road 5 times and took the way 2 home") == []
    assert _streets("please untie 5 knots") == []


def test_the_tail_takes_flat_town_region_and_postcode_and_stops_at_prose_known_cities_and_countries() -> None:
    text = "The letter arrived at 17224 Þverbraut 66 Suite 991, Gdańsk, Poland 52096 last night."
    end = text.index("66") + 2
    assert text[end : address_tail_end(text, end)] == " Suite 991, Gdańsk"  # the country stays, and what follows
    text = "Strada Lungă 12, Brașov, România"
    end = text.index("12") + 2
    assert text[end : address_tail_end(text, end)] == ", Brașov"
    text = "residente in Via dei Mille 45, Catania, C.F. RSSMRA80A01H501U"
    assert [text[r.start : r.end] for r in AddressRecognizer().analyze(text, ["ADDRESS"])] == ["Via dei Mille 45"]
    text = "Stop at 20 Rue Hsine Eloued St. the first"  # no town right after the street without a comma
    end = text.index("Eloued") + len("Eloued")
    assert address_tail_end(text, end) == end


def test_a_postcode_after_the_country_is_taken_and_the_country_stays() -> None:
    text = "Write to 5 Quai Sud 12, Liège, Belgium 4000 today."
    found = [text[r.start : r.end] for r in StreetStructureRecognizer().analyze(text, [])]
    assert "4000" in found and not any("Belgium" in value for value in found)
    assert postcode_after_country(", Czech Republic 33156", 0) == (17, 22)
    assert postcode_after_country(", Italy 2019", 0) is None  # a year after a country is no postcode
    assert postcode_after_country(", Palermo 90100", 0) is None  # a city with its postcode is the address's own


def test_english_words_before_a_street_name_are_left_out_of_it() -> None:
    assert "Árpád fejedelem útja 3." in _streets("The title refers to Árpád fejedelem útja 3. street in Budapest.")


def test_a_street_named_without_a_number_after_a_preposition() -> None:
    assert _streets("the early shows on Tarsicio Isle Street were important") == ["Tarsicio Isle Street"]
    assert _streets("she walked down the street on Monday and took the Road to Damascus") == []
