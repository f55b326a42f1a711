"""Routes read from scrubbed sentences, in English and Italian, and the repeated-route pattern across cases."""

from __future__ import annotations

import pytest

from analysis.network import build_network
from analysis.network_patterns import find_patterns
from analysis.routes import canonical_place, find_routes, legs, sentence_route
from analysis.workspace import StoredDocument
from core.text import split_sentences


@pytest.mark.parametrize(
    ("sentence", "route"),
    [
        ("<PERSON_1> brought them from Craiova to Rome by car.", ["Craiova", "Rome"]),
        ("The girls were driven across the desert to Agadez and then to Tripoli, and arrived in Sicily by boat.",
         ["Agadez", "Tripoli", "Sicily"]),
        ("He paid for their flights from Dhaka to Venice via Istanbul.", ["Dhaka", "Istanbul", "Venice"]),
        ("Li aveva portati in auto da Craiova a Napoli passando per Roma.", ["Craiova", "Rome", "Naples"]),
        ("È arrivata a Torino nel 2022 dopo essere passata per la Libia.", ["Libya", "Turin"]),
        ("Le ragazze sono state trasportate dalla Nigeria verso l'Italia attraverso il Niger.",
         ["Nigeria", "Niger", "Italy"]),
    ],
)  # fmt: skip
def test_a_journey_sentence_gives_its_places_in_order(sentence: str, route: list[str]) -> None:
    assert sentence_route(sentence) == route


@pytest.mark.parametrize(
    "sentence",
    [
        "She was recruited in Benin City and promised a job in Italy.",  # no journey told
        "The Squadra Mobile di Palermo wrote to the Procura di Torino.",  # a journey of letters, no movement verb
        "<PERSON_1> brought her to Palermo.",  # one place is no route
    ],
)
def test_sentences_without_a_journey_give_no_route(sentence: str) -> None:
    assert sentence_route(sentence) == []


def test_places_are_named_once_across_languages() -> None:
    assert canonical_place("Roma") == canonical_place("Rome") == "Rome"
    assert canonical_place("Libia") == "Libya"
    assert canonical_place("Benin City") == "Benin City"
    assert canonical_place("Maqueda") is None
    assert legs(["A", "B", "C"]) == [("A", "B"), ("B", "C")]


def _document(number: int, case: str, text: str) -> StoredDocument:
    routes = find_routes(split_sentences(text, keep_lines=False))
    return StoredDocument(f"D{number}", case, "narrative", "en", text, {"routes": routes})


def test_a_leg_told_in_two_cases_is_a_repeated_route_with_each_sentence() -> None:
    documents = [
        _document(1, "RM-1", "The children were found in Rome. <PERSON_1> brought them from Craiova to Rome by car."),
        _document(2, "NA-2", "Li aveva portati da Craiova a Napoli passando per Roma."),
        _document(3, "PD-3", "He paid for their flights from Dhaka to Venice via Istanbul."),
    ]
    network = build_network(["RM-1", "NA-2", "PD-3"], documents)
    assert [(r["case"], r["places"]) for r in network.routes] == [
        ("RM-1", ["Craiova", "Rome"]), ("NA-2", ["Craiova", "Rome", "Naples"]),
        ("PD-3", ["Dhaka", "Istanbul", "Venice"]),
    ]  # fmt: skip
    repeated = [p for p in find_patterns(network) if p["kind"] == "repeated_route"]
    assert len(repeated) == 1
    assert [e["case"] for e in repeated[0]["evidence"]] == ["NA-2", "RM-1"]
    assert "from Craiova to Rome" in repeated[0]["evidence"][1]["text"]
    assert network.to_json()["routes"][0]["evidence"].startswith("<PERSON_1> brought")
