"""The held-out PII set (written without looking at the scrubber's rules) is well-formed, and the real scrubber
meets the held-out targets on it.

The thresholds are targets, not a description of the current scrubber: when a test here fails, fix the scrubber
in a general way (never by writing rules for these passages), and never lower a threshold to make it pass.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from evaluation.pii_eval import ENTITY_TYPES, Passage, Report, load_passages, run
from tests.pii_support import check_spans_and_keeps, misses

HELDOUT = Path(__file__).resolve().parents[2] / "evaluation" / "pii" / "heldout.jsonl"

# Names, identity numbers and contact data: a miss here is a leak of who someone is or how to reach them.
STRICT = ("PERSON", "ID_NUMBER", "FISCAL_CODE", "PHONE", "EMAIL", "IBAN")
STRICT_RECALL = 0.95
OTHER_RECALL = 0.85  # ADDRESS, PLATE, DATE_OF_BIRTH
MIN_PRECISION = 0.9

# Keep strings that are places, ages or event dates; every other keep string is an institution or a legal
# reference, and those must never be redacted.
PLACES = {
    "Benin City", "Agadez", "Sabratha", "Lampedusa", "Castel Volturno", "Agrigento", "Piana degli Albanesi",
    "Birmingham", "Beni Mellal", "Zuwara", "Dhaka", "Libya", "Khartoum", "Borgo Mezzanone", "Lago Patria",
    "Wenzhou", "Sylhet (Bangladesh)", "A406",
}  # fmt: skip
MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December|Mar"
    "|gennaio|febbraio|marzo|aprile|maggio|giugno|luglio|agosto|settembre|ottobre|novembre|dicembre"
)
AGE_OR_DATE = re.compile(rf"\b(aged|anni|is 16|was 15)\b|\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}|\b({MONTHS})\b")


def is_institution_or_law(keep: str) -> bool:
    return keep not in PLACES and not AGE_OR_DATE.search(keep) and not re.fullmatch(r"\d+ euro", keep)


def test_heldout_set_is_well_formed() -> None:
    passages = load_passages(HELDOUT)
    languages = Counter(p.language for p in passages)
    assert set(languages) == {"en", "it"} and languages["en"] >= 12 and languages["it"] >= 12, languages
    assert len(passages) >= 24
    assert len({p.id for p in passages}) == len(passages)
    kinds = Counter(str(s["type"]) for p in passages for s in p.spans)
    assert sum(kinds.values()) >= 180, kinds
    assert set(kinds) == set(ENTITY_TYPES), kinds
    check_spans_and_keeps(passages)


@pytest.fixture(scope="module")
def heldout() -> tuple[Report, dict[str, Passage]]:
    return run(path=HELDOUT), {p.id: p for p in load_passages(HELDOUT)}


@pytest.mark.slow
@pytest.mark.parametrize("kind", ENTITY_TYPES)
def test_heldout_recall(kind: str, heldout: tuple[Report, dict[str, Passage]]) -> None:
    report, passages = heldout
    target = STRICT_RECALL if kind in STRICT else OTHER_RECALL
    recall = report.recall[kind]
    missed = "\n  ".join(misses(report, passages, kind))
    assert recall >= target, f"{kind} recall {recall:.3f} < {target} on the held-out set; missed:\n  {missed}"


@pytest.mark.slow
def test_heldout_keeps_institutions_and_legal_references(heldout: tuple[Report, dict[str, Passage]]) -> None:
    report, _ = heldout
    violations = [v for v in report.keep_violations if is_institution_or_law(v.split(": ", 1)[1])]
    assert violations == [], f"institutions or legal references redacted: {violations}"


@pytest.mark.slow
def test_heldout_precision(heldout: tuple[Report, dict[str, Passage]]) -> None:
    report, _ = heldout
    assert report.precision >= MIN_PRECISION, (report.precision, report.keep_violations)
