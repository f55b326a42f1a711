"""The second held-out PII set (heldout2.jsonl) is well-formed, and the real scrubber meets the held-out targets on it.

heldout2 was written without looking at the scrubber's rules or at the two sets it was tuned on, in document genres
and writing habits those sets do not cover: court judgments that mix full names with initials, Italian sentenze with
SURNAME-first names and aliases, transcribed intercepts, social-media bios, NRM referrals, e-mail threads, names with
apostrophes and diacritics, married names, obfuscated e-mail addresses, phone numbers with dots and slashes, IBANs
with and without spaces, lowercase codici fiscali and a date of birth written in words. All people are fictional.

The thresholds are targets, not a description of the current scrubber: when a test here fails, fix the scrubber in a
general way (never by writing rules for these passages), and never lower a threshold to make it pass.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from evaluation.pii_eval import ENTITY_TYPES, Passage, Report, load_passages, run
from tests.pii_support import check_spans_and_keeps, misses

HELDOUT2 = Path(__file__).resolve().parents[2] / "evaluation" / "pii" / "heldout2.jsonl"

# Names, identity numbers and contact data: a miss here is a leak of who someone is or how to reach them.
STRICT = ("PERSON", "ID_NUMBER", "FISCAL_CODE", "PHONE", "EMAIL", "IBAN")
STRICT_RECALL = 0.95
OTHER_RECALL = 0.85  # ADDRESS, PLATE, DATE_OF_BIRTH

# Keep strings that are places, ages, amounts, event dates or public helplines. Every other keep string in
# heldout2 is an institution or a legal reference (court, police unit, statute, article, case or docket number),
# and those must never be redacted.
PLACES = {
    "A4", "Bacău", "Benin City", "Blackpool", "Comilla", "Dover", "Ekpoma", "Enugu", "Kafr el-Sheikh", "Lampedusa",
    "M4", "Marbella", "Membury services", "Milano Ovest", "Milton Keynes", "Nghe An", "Qingtian", "Rotterdam",
    "Stazione Centrale", "Wenzhou", "piazza Garibaldi",
}  # fmt: skip
AGES_AND_AMOUNTS = {
    "16 years old", "17 anni", "25.000 euro", "30.000 euro", "5 euro", "Year 9", "aged 14", "aged 15", "aged 17",
    "anni 14", "di anni 16", "over 18", "£4,000",
}  # fmt: skip
EVENT_DATES = {
    "03/09/2022", "11 October 2023", "12.03.2023", "14 June 2023", "15/09/2022", "16/09/2022", "18 gennaio 2023",
    "19.02.2024", "2 February 2024", "2 agosto 2023", "20/09/2022", "28/05/2023", "4 settembre 2023",
    "7 novembre 2023", "9 May 2023", "January and August 2022", "March 2019",
}  # fmt: skip
HELPLINES = {"08000 121 700", "800 290 290", "999"}
NOT_INSTITUTIONS = PLACES | AGES_AND_AMOUNTS | EVENT_DATES | HELPLINES


def is_institution_or_law(keep: str) -> bool:
    return keep not in NOT_INSTITUTIONS


def test_heldout2_set_is_well_formed() -> None:
    passages = load_passages(HELDOUT2)
    languages = Counter(p.language for p in passages)
    assert set(languages) == {"en", "it"} and languages["en"] >= 10 and languages["it"] >= 10, languages
    assert len(passages) >= 20
    assert len({p.id for p in passages}) == len(passages)
    kinds = Counter(str(s["type"]) for p in passages for s in p.spans)
    assert sum(kinds.values()) >= 150, kinds
    assert set(kinds) == set(ENTITY_TYPES), kinds
    all_keeps = check_spans_and_keeps(passages)
    # The keep categories above name only keep strings that exist, and there are institutions left to check.
    assert not NOT_INSTITUTIONS - all_keeps, NOT_INSTITUTIONS - all_keeps
    assert len([k for k in all_keeps if is_institution_or_law(k)]) >= 40


@pytest.fixture(scope="module")
def heldout2() -> tuple[Report, dict[str, Passage]]:
    return run(path=HELDOUT2), {p.id: p for p in load_passages(HELDOUT2)}


@pytest.mark.slow
@pytest.mark.parametrize("kind", ENTITY_TYPES)
def test_heldout2_recall(kind: str, heldout2: tuple[Report, dict[str, Passage]]) -> None:
    report, passages = heldout2
    target = STRICT_RECALL if kind in STRICT else OTHER_RECALL
    recall = report.recall[kind]
    missed = "\n  ".join(misses(report, passages, kind))
    assert recall >= target, f"{kind} recall {recall:.3f} < {target} on heldout2; missed:\n  {missed}"


@pytest.mark.slow
def test_heldout2_keeps_institutions_and_legal_references(heldout2: tuple[Report, dict[str, Passage]]) -> None:
    report, _ = heldout2
    violations = [v for v in report.keep_violations if is_institution_or_law(v.split(": ", 1)[1])]
    assert violations == [], f"institutions or legal references redacted: {violations}"
