"""Calibrating the abstention threshold: the most out-of-scope questions caught within the wrong-abstention budget."""

from __future__ import annotations

from evaluation.retrieval_eval import QuestionResult, calibrate


def _result(similarity: float, answerable: bool, *, named: bool = False, guarded: bool = False) -> QuestionResult:
    return QuestionResult("q", "en", answerable, 1 if answerable else None, True, similarity, 0.01, named, guarded)


def _answerable(*similarities: float) -> list[QuestionResult]:
    return [_result(s, True) for s in similarities]


def test_the_threshold_sits_halfway_between_the_last_caught_and_the_next_answerable_question() -> None:
    # 20 answerable, budget 4% of 20 = 0 wrong after the 1-point margin: 5% would allow one.
    results = [*_answerable(*(0.8 + 0.01 * n for n in range(20))), _result(0.75, False), _result(0.85, False)]
    calibration = calibrate(results)
    assert calibration["threshold"] == 0.775  # catches 0.75, not 0.85 (that would abstain on 0.80 … 0.84)
    assert calibration == {"threshold": 0.775, "out_of_scope_abstained": 0.5, "answerable_wrongly_abstained": 0.0}


def test_a_larger_budget_catches_more_but_never_exceeds_it() -> None:
    results = [*_answerable(*(0.8 + 0.001 * n for n in range(100))), _result(0.8025, False), _result(0.95, False)]
    calibration = calibrate(results)  # budget: 4 of 100
    assert 0.8025 < calibration["threshold"] <= 0.804
    assert calibration["answerable_wrongly_abstained"] == 0.03 and calibration["out_of_scope_abstained"] == 0.5


def test_questions_naming_an_instrument_or_stopped_by_other_guards_are_accounted_for() -> None:
    named = [_result(0.10, True, named=True)] * 50  # never abstained on similarity: free of the budget
    guarded = [_result(0.99, True, guarded=True)] * 4  # abstained anyway: they use the whole budget of 4 of 104
    results = _answerable(*(0.80 + 0.001 * n for n in range(50))) + named + guarded + [_result(0.8025, False)]
    calibration = calibrate(results)
    assert calibration["threshold"] <= 0.80  # nothing left to spend on the out-of-scope question
    assert calibration["answerable_wrongly_abstained"] == round(4 / 104, 4)
