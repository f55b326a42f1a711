"""The timeline: dates of events read from scrubbed texts, never a date of birth, stored and shown across cases."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from analysis.network import build_network
from analysis.network_view import cases_shown, documents_in_period, timeline_period, timeline_rows, view_subgraph
from analysis.records import scrub_records
from analysis.timeline import date_span, find_events, in_period, record_events, sentence_dates
from analysis.workspace import StoredDocument
from core.text import split_sentences
from tests.unit.test_network import KEY, RegexDetector, case_files, filled_workspace, run_cli  # noqa: F401


@pytest.mark.parametrize(
    ("sentence", "dates"),
    [
        ("On 12 March 2023 officers entered the flat.", ["2023-03-12"]),
        ("Il 12/03/2023 la ragazza è stata portata a Torino.", ["2023-03-12"]),
        ("Il 3 maggio 2022 è arrivata a Palermo e il 1° giugno 2022 a Torino.", ["2022-05-03", "2022-06-01"]),
        ("Nel marzo 2021 fu reclutata a Benin City.", ["2021-03"]),
        ("She was recruited in 2020 and moved on March 5, 2021.", ["2020", "2021-03-05"]),
        ("Calls logged at 2023-06-28 21:04 from Torino.", ["2023-06-28"]),
        ("Report of 31/02/2023 and 30,000 euros owed.", []),  # no such day; an amount is no year
    ],
)
def test_dates_of_events_in_english_and_italian(sentence: str, dates: list[str]) -> None:
    assert sentence_dates(sentence) == dates


@pytest.mark.parametrize(
    "sentence",
    [
        "Precious, born on 12 March 2008 in Benin City, said nothing.",
        "Born in Benin City, Nigeria, on 12 April 2008.",
        "La minore, nata nel 2008 a Lagos, è stata sentita.",
        "DOB: 12/03/2008.",
        "Data di nascita 12.03.2008.",
        "Date of birth <DATE_OF_BIRTH_1>, passport <ID_NUMBER_1>.",  # what the scrubber replaced stays out
        "Under the legge 11 agosto 2003, n. 228, and Law 228/2003 of 11 August 2003.",
    ],
)
def test_no_date_of_birth_placeholder_or_law_date_is_an_event(sentence: str) -> None:
    assert sentence_dates(sentence) == []


def test_a_birth_date_does_not_hide_the_events_of_its_sentence() -> None:
    assert sentence_dates("Nata nel 2008 a Lagos, il 3 maggio 2022 è arrivata in Sicilia.") == ["2022-05-03"]
    assert sentence_dates("Joy, born 1990, ran the flat in 2022.") == ["2022"]


def test_events_keep_their_sentence_once_per_date() -> None:
    text = "On 14 March 2023 police entered. The girl arrived on 14 March 2023 too. In 2022 she was recruited."
    events = find_events(split_sentences(text, keep_lines=False))
    assert events == [
        {"date": "2023-03-14", "evidence": "On 14 March 2023 police entered."},
        {"date": "2022", "evidence": "In 2022 she was recruited."},
    ]


def test_records_rows_are_events_and_a_birth_column_is_scrubbed_whole() -> None:
    data = "date,caller,date_of_birth\n2024-01-05,3331234567,12/03/2008\n2024-01-06,3331234567,12/03/2008\n"
    keyed, events = scrub_records(data, "calls.csv", RegexDetector(), KEY)
    lines = keyed.result.texts[0].split("\n")
    assert "12/03/2008" not in keyed.result.texts[0] and "<DATE_OF_BIRTH_1>" in lines[0]
    timeline = record_events(lines, [event["date"] for event in events])
    assert [event["date"] for event in timeline] == ["2024-01-05", "2024-01-06"]
    assert timeline[0]["evidence"] == lines[0]


def test_a_date_of_any_precision_overlaps_a_period() -> None:
    assert date_span("2024-02") == (date(2024, 2, 1), date(2024, 2, 29))
    assert date_span("2023") == (date(2023, 1, 1), date(2023, 12, 31))
    assert in_period("2023", date(2023, 5, 1), date(2023, 5, 2))
    assert in_period("2023-12", date(2023, 12, 31), date(2024, 1, 5))
    assert not in_period("2023-03-14", date(2023, 3, 15), date(2024, 1, 1))


def test_network_json_lists_the_timeline_across_cases(tmp_path: Path, case_files: dict[str, Path]) -> None:  # noqa: F811
    workspace = filled_workspace(tmp_path, case_files)
    code, out = run_cli(["network", "--workspace", str(workspace.folder), "--json"])
    timeline = json.loads(out)["timeline"]
    assert code == 0
    assert [(e["case"], e["date"], e["document"]) for e in timeline] == [
        ("PA-1", "2024-01-05", "D2"), ("PA-1", "2024-01-06", "D2"), ("PA-1", "2024-01-07", "D2"),
    ]  # fmt: skip
    assert timeline[0]["evidence"].startswith("date: 2024-01-05 | sender_name: <PERSON-")


def _document(number: int, case: str, dates: list[str]) -> StoredDocument:
    timeline = [{"date": iso, "evidence": f"Event of {iso}."} for iso in dates]
    return StoredDocument(f"D{number}", case, "narrative", "en", "", {"timeline": timeline})


def test_a_period_keeps_the_documents_dated_in_it_and_undated_ones_with_their_case() -> None:
    documents = [_document(1, "A", ["2023-03-14"]), _document(2, "A", []), _document(3, "B", ["2021"]),
                 _document(4, "B", []), _document(5, "C", [])]  # fmt: skip
    network = build_network(["A", "B", "C"], documents)
    assert [(e["case"], e["date"]) for e in network.timeline] == [("B", "2021"), ("A", "2023-03-14")]
    assert timeline_period(network) == (date(2021, 1, 1), date(2023, 3, 14))
    kept = documents_in_period(network, (date(2023, 1, 1), date(2023, 12, 31)))
    assert kept == {"D1", "D2", "D5"}  # B is dated outside; C states no date at all
    assert cases_shown(network, ["A", "B", "C"], kept) == ["A", "C"]
    assert "case:B" not in view_subgraph(network, ["A", "B", "C"], [], kept)
    assert [e["case"] for e in timeline_rows(network, ["A", "B"], (date(2023, 1, 1), date(2023, 12, 31)))] == ["A"]
    assert documents_in_period(network, None) == {"D1", "D2", "D3", "D4", "D5"}
