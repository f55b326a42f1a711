"""The Answerer's token budget: which evidence fits the prompt, trimmed sources, reply sizes, overflow."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest

from core.settings import load_settings
from rag.answer import Answerer
from rag.generate import PromptTooLongError
from tests.conftest import TEST_CONFIG
from tests.fakes import HashEmbedder, ReplayGenerator
from tests.unit.conftest import ARTICLE_3, ARTICLE_6, GOOD_REPLY, answerer, retrieval

WHOLE_SOURCES = 1_000_000  # an evidence budget no prompt reaches: whole sources, as for a bigger model


def test_token_budget_keeps_the_best_evidence_that_fits() -> None:
    settings = load_settings(
        TEST_CONFIG, llm={"context_tokens": 800, "max_tokens": 300, "evidence_tokens": WHOLE_SOURCES}
    )
    bot = answerer(settings=settings)
    long_hits = [replace(ARTICLE_3, id=f"h{i}", text=f"Paragraph {i}. " + ARTICLE_3.text) for i in range(6)]
    answer = bot.answer(retrieval(hits=long_hits))
    user = bot.generator.prompts[0][1]["content"]
    assert "[1] Palermo" in user and "[3] Palermo" not in user
    assert len(answer.evidence) == user.count("] Palermo Protocol")
    assert bot.generator.max_tokens == [300]


def test_a_first_hit_too_long_for_the_budget_is_trimmed_in_the_prompt_only() -> None:
    settings = load_settings(
        TEST_CONFIG, llm={"context_tokens": 700, "max_tokens": 300, "evidence_tokens": WHOLE_SOURCES}
    )
    bot = answerer(settings=settings)
    huge = replace(ARTICLE_3, text=ARTICLE_3.text * 20)
    answer = bot.answer(retrieval(hits=[huge]))
    shown = bot.generator.prompts[0][1]["content"]
    assert " …\n\nQuestion:" in shown and len(shown) < len(huge.text)
    assert answer.evidence == [huge]  # the answer's evidence is the whole chunk


def test_small_model_prompt_shows_the_sentences_that_bear_on_the_question() -> None:
    """The shipped model's budget: each source cut to its relevant sentences; the evidence stays whole."""
    filler = " ".join(f"States shall keep register number {i} of ships and aircraft." for i in range(40))
    long_article_3 = replace(ARTICLE_3, text=filler + "\n" + ARTICLE_3.text + "\n" + filler)
    long_article_6 = replace(ARTICLE_6, text=filler + "\n" + ARTICLE_6.text)
    settings = load_settings(TEST_CONFIG, llm={"evidence_tokens": 120})
    assert settings.llm.shipped_model and settings.llm.reply_tokens == 96
    bot = answerer(settings=settings)
    answer = bot.answer(
        retrieval(
            "Does a child recruited without any of the means count as trafficked?",
            hits=[long_article_3, long_article_6],
        )
    )
    shown = bot.generator.prompts[0][1]["content"]
    assert "[1] Palermo Protocol — Article 3" in shown
    assert "receipt of a child for the purpose of exploitation" in shown
    assert "register number" not in shown and "… c) The recruitment" in shown
    assert answer.evidence == [long_article_3, long_article_6][: shown.count("] Palermo Protocol")]
    assert not answer.extractive  # the draft's sentences are in what the model was shown


def test_reply_and_evidence_sizes_follow_the_model() -> None:
    shipped = load_settings(TEST_CONFIG, llm={"max_tokens": None}).llm
    assert shipped.shipped_model and shipped.reply_tokens == 128 and shipped.evidence_budget == 200
    bigger = load_settings(TEST_CONFIG, llm={"max_tokens": None, "model_path": "/models/big.gguf"}).llm
    assert not bigger.shipped_model and bigger.reply_tokens == 512 and bigger.evidence_budget is None
    server = load_settings(TEST_CONFIG, llm={"backend": "openai", "url": "http://127.0.0.1:9/v1"}).llm
    assert server.evidence_budget is None
    assert load_settings(TEST_CONFIG, llm={"evidence_tokens": 900}).llm.evidence_budget == 900


class OverflowingGenerator(ReplayGenerator):
    """Refuses prompts with more than one source, as a server with a smaller context than configured would."""

    def stream(self, messages: list[dict[str, str]], *, max_tokens: int, temperature: float) -> Iterator[str]:
        if "[2]" in messages[-1]["content"]:
            self.prompts.append(messages)
            raise PromptTooLongError("the prompt does not fit")
        yield from super().stream(messages, max_tokens=max_tokens, temperature=temperature)


def test_no_room_for_any_source_is_an_error_not_an_answer_without_sources() -> None:
    settings = load_settings(TEST_CONFIG, llm={"context_tokens": 512, "max_tokens": 480})
    bot = answerer(settings=settings)
    with pytest.raises(PromptTooLongError, match="leaves no room for sources"):
        bot.answer(retrieval())
    assert bot.generator.calls == 0


def test_context_overflow_retries_with_less_evidence() -> None:
    generator = OverflowingGenerator([GOOD_REPLY])
    answer = Answerer(generator, HashEmbedder(), load_settings(TEST_CONFIG)).answer(retrieval())
    assert generator.calls == 2
    assert answer.evidence == [ARTICLE_3]
    assert not answer.extractive


def test_small_model_budget_without_any_fitting_sentence_trims_the_first_source() -> None:
    endless = replace(ARTICLE_3, text="The child " + "and the protection of victims " * 200 + "matters.")
    bot = answerer(settings=load_settings(TEST_CONFIG, llm={"evidence_tokens": 100}))
    answer = bot.answer(retrieval(hits=[endless]))
    shown = bot.generator.prompts[0][1]["content"]
    assert "[1] Palermo Protocol" in shown and " …\n\nQuestion:" in shown
    assert answer.evidence == [endless]
