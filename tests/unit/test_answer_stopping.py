"""Stopped answers: a stream stopped by the reader or by the token budget keeps its finished, checked part."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import pytest

from core.settings import load_settings
from rag.answer import Answerer, complete_sentences
from tests.conftest import TEST_CONFIG
from tests.fakes import HashEmbedder, ReplayGenerator
from tests.unit.conftest import GOOD_REPLY, answerer, retrieval


class ClosingGenerator(ReplayGenerator):
    """Replays like ReplayGenerator and records whether the reader released its stream before the end."""

    def __init__(self, replies: Sequence[str]) -> None:
        super().__init__(replies)
        self.released = False

    def stream(self, messages: list[dict[str, str]], *, max_tokens: int, temperature: float) -> Iterator[str]:
        try:
            yield from super().stream(messages, max_tokens=max_tokens, temperature=temperature)
        except GeneratorExit:
            self.released = True
            raise


def test_stopped_stream_keeps_only_the_checked_part_of_the_draft_and_releases_the_model() -> None:
    generator = ClosingGenerator([GOOD_REPLY])
    bot = Answerer(generator, HashEmbedder(), load_settings(TEST_CONFIG))
    stream = bot.stream(retrieval(), index_generation="g1")
    reader = iter(stream)
    drafted = ""
    while "exploitation is" not in drafted:  # the second sentence is cut half-way
        drafted += next(reader)
    answer = stream.stop()
    assert generator.released
    assert answer.stopped and not answer.abstained and not answer.extractive
    assert answer.answer == "A child is any person under eighteen years of age [1]."
    assert [c.n for c in answer.citations] == [1] and answer.index_generation == "g1"
    assert stream.result is answer and stream.stop() is answer  # stopping twice changes nothing


def test_stopping_a_finished_stream_returns_its_whole_answer() -> None:
    stream = answerer().stream(retrieval())
    list(stream)
    finished = stream.result
    assert finished is not None and stream.stop() is finished and not finished.stopped


def test_stopping_before_any_token_quotes_the_sources_and_an_abstention_stays_one() -> None:
    stream = answerer().stream(retrieval())
    answer = stream.stop()
    assert answer.stopped and answer.extractive  # nothing drafted to check: the sources speak for themselves
    abstention = answerer().stream(retrieval(covered=False)).stop()
    assert abstention.abstained and abstention.stopped


@pytest.mark.parametrize(
    ("draft", "kept"),
    [
        ("One [1]. Two is", "One [1]."),
        ("One. [1] Two", "One. [1]"),
        ("- first step\n- second st", "- first step\n"),
        ("Half a sent", ""),
        ("Whole? Yes!", "Whole? Yes!"),
    ],
)
def test_a_stopped_draft_is_cut_after_its_last_finished_sentence(draft: str, kept: str) -> None:
    assert complete_sentences(draft) == kept


def test_a_reply_stopped_by_its_token_budget_loses_its_unfinished_last_sentence() -> None:
    finished = "The recruitment of a child for exploitation is trafficking even without any of the means [1]."
    reply = finished + " A child shall mean any person under eighteen years of age, whatever the national law [1]."
    settings = load_settings(TEST_CONFIG, llm={"max_tokens": len(reply.split()) - 6})  # stops after "of age,"
    answer = answerer([reply], settings).answer(retrieval())
    assert answer.answer == finished
