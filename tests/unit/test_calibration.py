"""Calibrating the abstention threshold: both targets met with the widest margin, answerable questions first."""

from __future__ import annotations

import pytest

from evaluation.retrieval_eval import QuestionResult, calibrate


def _result(similarity: float, answerable: bool, *, named: bool = False, guarded: bool = False) -> QuestionResult:
    return QuestionResult("q", "en", answerable, 1 if answerable else None, True, similarity, 0.01, named, guarded)


def _group(answerable: bool, *similarities: float) -> list[QuestionResult]:
    return [_result(s, answerable) for s in similarities]


def test_the_threshold_keeps_both_targets_with_the_widest_margin() -> None:
    # 40 answerable from 0.80 up, 10 out of scope below and among them.
    answerable = _group(True, *(0.80 + 0.005 * n for n in range(40)))
    out = _group(False, 0.70, 0.71, 0.72, 0.73, 0.74, 0.75, 0.76, 0.77, 0.8125, 0.95)
    calibration = calibrate(answerable + out)
    # Catching 0.8125 costs 3 answerable (7.5% > 5%): 80% of out of scope is the best within the ceiling.
    assert calibration == {"threshold": 0.785, "out_of_scope_abstained": 0.8, "answerable_wrongly_abstained": 0.0}


def test_a_cheap_catch_is_taken_and_placed_halfway_in_its_gap() -> None:
    answerable = _group(True, *(0.80 + 0.005 * n for n in range(40)))
    out = _group(False, *(0.70 + 0.01 * n for n in range(9)), 0.8025)  # 0.8025 costs one answerable (2.5%)
    calibration = calibrate(answerable + out)
    assert calibration["threshold"] == pytest.approx(0.80375, abs=1e-4)  # between 0.8025 and the answerable 0.805
    assert calibration["out_of_scope_abstained"] == 1.0 and calibration["answerable_wrongly_abstained"] == 0.025


def test_named_questions_never_abstain_and_guarded_ones_always_do() -> None:
    named = [_result(0.10, True, named=True)] * 10  # never abstained on similarity
    guarded = [_result(0.99, True, guarded=True)]  # abstained anyway: 1 of 31 answerable, 3.2%
    answerable = _group(True, *(0.80 + 0.01 * n for n in range(20)))
    calibration = calibrate([*answerable, *named, *guarded, *_group(False, 0.75, 0.805)])
    # Catching 0.805 would add one wrong abstention (6.5% > 5%).
    assert calibration["threshold"] == 0.775
    assert calibration["answerable_wrongly_abstained"] == round(1 / 31, 4)
    assert calibration["out_of_scope_abstained"] == 0.5
