"""The Answerer keeps only the drafted sentences the sources it showed the model support."""

from __future__ import annotations

from dataclasses import replace

from core.settings import load_settings
from tests.conftest import TEST_CONFIG
from tests.unit.conftest import ARTICLE_3, GOOD_REPLY, answerer, retrieval


def test_streamed_answer_is_grounded() -> None:
    bot = answerer()
    stream = bot.stream(retrieval(), index_generation="g1")
    tokens = list(stream)
    assert "".join(tokens) == GOOD_REPLY
    answer = stream.result
    assert answer is not None and not answer.abstained and not answer.extractive
    assert answer.answer == (
        "A child is any person under eighteen years of age [1]. The recruitment of a child for exploitation is "
        "trafficking even if it does not involve any of the means [1]."
    )
    assert [c.n for c in answer.citations] == [1]
    assert answer.model == "fake/replay" and answer.index_generation == "g1"
    assert answer.notice is not None and answer.notice.values == {"n": 2}
    assert answer.notice.text("en") == "2 generated sentence(s) removed: not supported by the sources."
    assert set(stream.timings) == {"first_token", "generation", "grounding"}


def test_small_model_draft_is_checked_against_what_it_was_shown() -> None:
    """A sentence copied from a part of the chunk the prompt left out cannot come from the sources the model read."""
    filler = " ".join(f"States shall keep register number {i} of ships and aircraft." for i in range(40))
    long_article_3 = replace(ARTICLE_3, text=ARTICLE_3.text + "\n" + filler)
    settings = load_settings(TEST_CONFIG, llm={"evidence_tokens": 120})
    unseen = "States shall keep register number 7 of ships and aircraft [1]."
    bot = answerer([f"{GOOD_REPLY} {unseen}"], settings=settings)
    answer = bot.answer(
        retrieval("Does a child recruited without any of the means count as trafficked?", hits=[long_article_3])
    )
    assert (
        "register number 7" in long_article_3.text and "register number 7" not in bot.generator.prompts[0][1]["content"]
    )
    verdicts = {sentence.text: sentence.supported for sentence in answer.sentences}
    assert verdicts["States shall keep register number 7 of ships and aircraft."] is False
    assert "register number" not in answer.answer and "even if it does not involve any of the means" in answer.answer
    assert answer.evidence == [long_article_3]  # the source card still shows the whole chunk
