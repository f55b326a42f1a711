"""The Answerer quotes the sources instead when the draft is unsupported or the model server is full."""

from __future__ import annotations

from collections.abc import Iterator

from core.errors import ModelBusyError
from core.i18n import translate
from core.settings import load_settings
from rag.answer import Answerer
from tests.conftest import TEST_CONFIG
from tests.fakes import HashEmbedder, ReplayGenerator
from tests.unit.conftest import answerer, retrieval


def test_nonsense_from_the_model_becomes_quotations() -> None:
    answer = answerer(["Deception is a crime that can only be proven by showing that the victim is 15."]).answer(
        retrieval()
    )
    assert answer.extractive and not answer.abstained
    assert "quotations" in answer.answer.splitlines()[0]
    assert answer.sentences and not answer.sentences[0].supported


class FullServer(ReplayGenerator):
    """A model server with every slot and its queue taken: it refuses before writing anything."""

    def stream(self, messages: list[dict[str, str]], *, max_tokens: int, temperature: float) -> Iterator[str]:
        self.prompts.append(messages)
        raise ModelBusyError("the model server http://127.0.0.1:1 is busy (8 questions being answered or waiting)")


def test_a_full_model_server_gets_the_sources_quoted_and_said_so_instead_of_an_error() -> None:
    server = FullServer()
    bot = Answerer(server, HashEmbedder(), load_settings(TEST_CONFIG))
    stream = bot.stream(retrieval())
    assert list(stream) == []  # no draft tokens to show
    answer = stream.result
    assert answer is not None and answer.extractive and not answer.abstained
    lines = answer.answer.splitlines()
    assert lines[0] == translate("answer_busy_prefix", "en")
    assert lines[1].startswith("“") and answer.citations  # real quotations, cited
    assert answer.notice is not None and answer.notice.key == "notice_model_busy"
    assert answer.model == "" and "busy" in answer.timings and server.calls == 1
    italian = bot.answer(retrieval("Serve provare l'inganno se la vittima ha 15 anni?"))
    assert italian.answer.startswith("Il modello è occupato")
