"""The third-party benchmark's scoring: street lines, the frozen test split, critical recall and words kept."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evaluation.pii_benchmark import DATA, evaluate, load_records
from ingestion.pseudonyms import Detection

RECORD = {
    "full_text": "Call Ann Lee on 780-999-2181 at 6750 Koskikatu 25\nTurku please",
    "spans": [
        {"entity_type": "PERSON", "entity_value": "Ann Lee", "start_position": 5, "end_position": 12},
        {"entity_type": "PHONE_NUMBER", "entity_value": "780-999-2181", "start_position": 16, "end_position": 28},
        {"entity_type": "STREET_ADDRESS", "entity_value": "6750 Koskikatu 25\nTurku", "start_position": 32,
         "end_position": 55},
        {"entity_type": "STREET_ADDRESS", "entity_value": "4501", "start_position": 0, "end_position": 0},
    ],
}  # fmt: skip


def test_street_lines_and_scores(tmp_path: Path) -> None:
    path = tmp_path / "bench.json"
    path.write_text(json.dumps([RECORD]), encoding="utf-8")
    [record] = load_records(path)
    assert [(record.text[s:e], kind) for s, e, kind in record.critical] == [
        ("Ann Lee", "PERSON"),
        ("780-999-2181", "PHONE"),
        ("6750 Koskikatu 25", "STREET_LINE"),  # the first line only; a bare number is no street line
    ]
    report = evaluate([record], [[Detection(5, 12, "PERSON"), Detection(16, 28, "PHONE"), Detection(0, 4, "X")]])
    assert report.recall == {"PERSON": 1.0, "PHONE": 1.0, "STREET_LINE": 0.0}
    assert report.critical_recall == 2 / 3
    # Ordinary words: Call, on, at, please; "Call" was redacted.
    assert report.words_kept == 3 / 4


def test_the_test_split_is_fixed_and_about_forty_percent() -> None:
    if not DATA.is_file():
        pytest.skip("the shared benchmark (../shared/pii_benchmark) is not on this machine")
    records = load_records()
    test = [record.id for record in records if record.is_test]
    assert len(test) == 606 and len(records) == 1500
    assert test[:4] == ["r5", "r6", "r10", "r11"]  # pinned: the split never moves
