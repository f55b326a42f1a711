"""Citation validity as `make eval` counts it: markers that point to evidence, sentences that passed the check."""

from __future__ import annotations

from evaluation.answer_eval import citation_validity
from rag.search import Hit
from rag.types import Answer, CheckedSentence, Citation

CHUNK = Hit("c1", "Article 8 – Repatriation. States shall facilitate the return of victims.", 0.9, source="p.md")
CITATION = Citation(1, "c1", "p.md", "Palermo Protocol", "Article 8", None, "legislation", CHUNK.text)
KEPT = "States shall facilitate the return of victims"


def _answer(text: str, sentences: list[CheckedSentence], citations: list[Citation] = [CITATION]) -> Answer:  # noqa: B006
    return Answer("q", text, citations, False, [CHUNK], "m", "g", sentences=sentences)


def test_a_kept_supported_sentence_and_its_marker_are_valid() -> None:
    answer = _answer(f"{KEPT} [1].", [CheckedSentence(KEPT, (1,), True, 0.9)])
    assert citation_validity(answer) == (2, 2)


def test_a_marker_without_its_citation_is_invalid() -> None:
    answer = _answer(f"{KEPT} [2].", [CheckedSentence(KEPT, (2,), True, 0.9)])
    assert citation_validity(answer) == (1, 2)


def test_an_unsupported_sentence_left_in_the_answer_is_invalid() -> None:
    invented = "Victims must be returned within ten days"
    answer = _answer(
        f"{KEPT} [1]. {invented}.",
        [CheckedSentence(KEPT, (1,), True, 0.9), CheckedSentence(invented, (), False, 0.1)],
    )
    assert citation_validity(answer) == (2, 3)


def test_a_dropped_fragment_of_a_kept_sentence_is_not_counted_as_left_in() -> None:
    fragment = "States shall facilitate"  # the model wrote the start twice; only the whole sentence was kept
    answer = _answer(
        f"{KEPT} [1].",
        [CheckedSentence(fragment, (), False, 0.4), CheckedSentence(KEPT, (1,), True, 0.9)],
    )
    assert citation_validity(answer) == (2, 2)
