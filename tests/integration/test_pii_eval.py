"""The PII evaluation set is well-formed, and the real scrubber meets its recall and keep thresholds on it."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from evaluation.pii_eval import ENTITY_TYPES, Passage, evaluate, load_passages, main
from ingestion.scrub import Detection

# Names, identity numbers and contact data: a miss here is a leak of who someone is or how to reach them.
STRICT = ("PERSON", "ID_NUMBER", "FISCAL_CODE", "PHONE", "EMAIL", "IBAN")
STRICT_RECALL = 0.98
OTHER_RECALL = 0.9


def test_passages_are_well_formed() -> None:
    passages = load_passages()
    assert len(passages) >= 24
    assert sum(len(p.spans) for p in passages) >= 170
    languages = Counter(p.language for p in passages)
    assert set(languages) == {"en", "it"} and abs(languages["en"] - languages["it"]) <= 4
    assert {str(s["type"]) for p in passages for s in p.spans} == set(ENTITY_TYPES)
    assert len({p.id for p in passages}) == len(passages)
    for passage in passages:
        previous_end = 0
        for span in sorted(passage.spans, key=lambda s: int(s["start"])):
            start, end = int(span["start"]), int(span["end"])
            value = passage.text[start:end]
            assert previous_end <= start < end <= len(passage.text), (passage.id, span)
            assert value == value.strip() and value, (passage.id, span)
            previous_end = end
        for keep in passage.keep:
            assert keep in passage.text, (passage.id, keep)


def test_evaluate_counts_partial_coverage_and_keep_violations() -> None:
    passage = Passage(
        id="p",
        language="en",
        text="Joy Ehigie met Europol in Palermo.",
        spans=[{"start": 0, "end": 10, "type": "PERSON"}],
        keep=["Europol", "Palermo"],
    )
    covered = evaluate([passage], [[Detection(0, 9, "PERSON")]])  # 9 of 10 characters: found
    assert covered.recall["PERSON"] == 1.0 and covered.precision == 1.0 and covered.keep_violations == []
    short = evaluate([passage], [[Detection(0, 3, "PERSON"), Detection(15, 22, "PERSON")]])
    assert short.recall["PERSON"] == 0.0
    assert short.precision == pytest.approx(3 / 10)
    assert short.keep_violations == ["p: Europol"]


@pytest.mark.slow
def test_scrubber_meets_the_thresholds(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "pii.json"
    assert main(["--json", str(out)]) == 0
    assert "| PERSON |" in capsys.readouterr().out
    report = json.loads(out.read_text(encoding="utf-8"))
    for kind, recall in report["recall"].items():
        assert recall >= (STRICT_RECALL if kind in STRICT else OTHER_RECALL), (kind, recall, report["misses"])
    assert report["keep_violations"] == []
    assert report["precision"] >= 0.9
