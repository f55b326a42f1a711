"""The Answerer: abstention without generation, prompts from files, token budget, grounding; and the CLI on top."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from core.errors import IndexUnavailableError, InputError, ModelBusyError
from core.i18n import translate
from core.settings import Settings, load_settings
from rag.answer import Answerer, complete_sentences, named_articles
from rag.cli import main
from rag.generate import PromptTooLongError
from rag.prompts import PROMPTS_DIR
from rag.retrieve import Retrieval
from rag.search import Filters, Hit
from rag.types import Answer, Turn
from rag.validate import clean_question
from tests.conftest import TEST_CONFIG
from tests.fakes import HashEmbedder, ReplayGenerator
from tests.unit.test_grounding import ARTICLE_3, ARTICLE_6

QUESTION = "Must deception be proven when the victim is 15?"
GOOD_REPLY = (
    "No. A child is any person under eighteen years of age [1]. The recruitment of a child for exploitation is "
    "trafficking even if it does not involve any of the means [1]. I hope this helps!"
)


def retrieval(question: str = QUESTION, hits: Sequence[Hit] = (ARTICLE_3, ARTICLE_6), covered: bool = True):
    return Retrieval(question, question, list(hits), covered, 0.7)


def answerer(replies: Sequence[str] = (GOOD_REPLY,), settings: Settings | None = None) -> Answerer:
    return Answerer(ReplayGenerator(replies), HashEmbedder(), settings or load_settings(TEST_CONFIG))


def test_uncovered_question_abstains_without_calling_the_generator() -> None:
    bot = answerer()
    stream = bot.stream(retrieval(covered=False))
    assert list(stream) == []
    answer = stream.result
    assert answer is not None and answer.abstained
    assert answer.answer == translate("answer_abstention", "en") == "The knowledge base does not cover this question."
    assert bot.generator.calls == 0
    assert answer.evidence == [ARTICLE_3, ARTICLE_6]
    assert answer.notice is not None and answer.notice.key == "notice_nearest"
    assert answer.notice.text(answer.language) == "Nearest sources: Palermo Protocol — Article 3 — Use of terms; " + (
        "Palermo Protocol — Article 6 — Assistance to victims"
    )


def test_italian_question_gets_the_italian_abstention() -> None:
    answer = answerer().answer(retrieval("Quali obblighi ha lo Stato verso le vittime minori?", covered=False))
    assert answer.answer == "La base di conoscenza non copre questa domanda."
    assert answer.language == "it" and answer.notice is not None
    assert answer.notice.text(answer.language).startswith("Fonti più vicine: Palermo Protocol")


@pytest.mark.parametrize("role", ["judge", "frontline"])
def test_prompt_comes_from_the_files_and_numbers_the_evidence(role: str) -> None:
    bot = answerer()
    bot.answer(retrieval(), role=role)  # type: ignore[arg-type]
    system, user = bot.generator.prompts[0]
    common = (PROMPTS_DIR / "system_common.md").read_text(encoding="utf-8").strip()
    role_text = (PROMPTS_DIR / f"{role}.md").read_text(encoding="utf-8").strip()
    assert system == {"role": "system", "content": f"{common}\n\n{role_text}"}
    assert user["role"] == "user"
    assert f"[1] Palermo Protocol — Article 3 — Use of terms\n{ARTICLE_3.text}" in user["content"]
    assert f"[2] Palermo Protocol — Article 6 — Assistance to victims (p. 4)\n{ARTICLE_6.text}" in user["content"]
    closing = "Answer the question in English in a few sentences, using only the sources above. End each sentence "
    assert user["content"].rstrip().endswith(closing + "with the number of the source it comes from, like [1].")
    assert f"Question: {QUESTION}" in user["content"]


def test_italian_question_asks_for_an_italian_answer_and_history_is_included() -> None:
    bot = answerer()
    history = [Turn("Che cosa definisce l'articolo 3?", "…")]
    bot.answer(retrieval("E per i minori di 18 anni?"), history=history)
    user = bot.generator.prompts[0][1]["content"]
    assert "Earlier question: Che cosa definisce l'articolo 3?\nQuestion: E per i minori di 18 anni?" in user
    assert "Answer the question in Italian" in user


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


def test_answer_carries_its_timings_and_an_abstention_none() -> None:
    bot = answerer()
    answer = bot.answer(retrieval())
    assert set(answer.timings) == {"first_token", "generation", "grounding"}
    assert 0 <= answer.timings["first_token"] <= answer.timings["generation"]
    assert bot.answer(retrieval(covered=False)).timings == {}


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
    bot = Answerer(FullServer(), HashEmbedder(), load_settings(TEST_CONFIG))
    stream = bot.stream(retrieval())
    assert list(stream) == []  # no draft tokens to show
    answer = stream.result
    assert answer is not None and answer.extractive and not answer.abstained
    lines = answer.answer.splitlines()
    assert lines[0] == translate("answer_busy_prefix", "en")
    assert lines[1].startswith("“") and answer.citations  # real quotations, cited
    assert answer.notice is not None and answer.notice.key == "notice_model_busy"
    assert answer.model == "" and "busy" in answer.timings and bot.generator.calls == 1
    italian = bot.answer(retrieval("Serve provare l'inganno se la vittima ha 15 anni?"))
    assert italian.answer.startswith("Il modello è occupato")


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


class StandInAssistant:
    """What the CLI needs of rag.service.Assistant, over fixed evidence and a replaying generator."""

    def __init__(self) -> None:
        self.answerer = answerer()
        self.filters: list[Filters | None] = []

    def retrieve(self, question: str, *, k: int | None = None, filters: Filters | None = None) -> Retrieval:
        question = clean_question(question, 4000)
        self.filters.append(filters)
        covered = "trafficking" in question.lower() or "deception" in question.lower()
        return retrieval(question, [ARTICLE_3, ARTICLE_6][: k or 2], covered=covered)

    def search(self, question: str, *, k: int | None = None, filters: Filters | None = None) -> list[Hit]:
        if "damaged" in question:
            raise IndexUnavailableError("index damaged: rebuild it with python -m ingestion build --rebuild")
        return self.retrieve(question, k=k, filters=filters).hits

    def ask(self, question: str, *, role: str = "judge", filters: Filters | None = None) -> Answer:
        return self.answerer.answer(self.retrieve(question, filters=filters), role=role)  # type: ignore[arg-type]


def run_cli(args: list[str], stdin: str = "") -> tuple[int, str, StandInAssistant]:
    assistant = StandInAssistant()
    out = io.StringIO()
    code = main(args, stdin=io.StringIO(stdin), stdout=out, assistant_factory=lambda config, index: assistant)
    return code, out.getvalue(), assistant


def test_cli_search_prints_hits_as_json() -> None:
    code, out, assistant = run_cli(["search", "--k", "1", "--doc-type", "legislation", "--json", QUESTION])
    rows = json.loads(out)
    assert code == 0 and len(rows) == 1
    assert rows[0] == {
        "rank": 1,
        "score": 0.9,
        "source": "palermo_protocol_2000.md",
        "title": "Palermo Protocol",
        "section": "Article 3 — Use of terms",
        "page": None,
        "doc_type": "legislation",
        "text": ARTICLE_3.text,
    }
    assert assistant.filters == [Filters(doc_types=("legislation",))]


def test_cli_ask_json_has_the_documented_keys() -> None:
    code, out, _ = run_cli(["ask", "--role", "frontline", "--json", QUESTION])
    data = json.loads(out)
    assert code == 0
    assert {"answer", "citations", "abstained", "evidence", "model"} <= set(data)
    assert set(data["citations"][0]) == {"n", "source", "title", "section", "page", "quote"}
    assert all(int(n) in {c["n"] for c in data["citations"]} for n in re.findall(r"\[(\d+)\]", data["answer"]))


def test_cli_ask_jsonl_answers_each_line_and_reports_bad_ones_in_place() -> None:
    stdin = f'{QUESTION}\n\n\x00\x01\nWhat is the weather today?\n{{"question": "{QUESTION}"}}\n{{"q": 1}}\n?!?\n'
    code, out, _ = run_cli(["ask", "--jsonl"], stdin=stdin)
    lines = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and len(lines) == 6
    assert lines[0]["abstained"] is False
    assert lines[1] == {"line": 3, "error": "the question is empty — type a question"}
    assert lines[2]["abstained"] is True
    assert lines[3]["abstained"] is False and lines[3]["answer"] == lines[0]["answer"]  # a JSON line's question
    assert lines[4] == {"line": 6, "error": 'a JSON line needs a "question" field holding the question as a string'}
    assert lines[5] == {"line": 7, "error": "the question has no words, only signs — type a question"}


def test_cli_search_jsonl_reports_a_failing_line_and_goes_on() -> None:
    code, out, _ = run_cli(["search", "--jsonl"], stdin=f"a damaged index\n{QUESTION}\n")
    lines = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and len(lines) == 2
    assert lines[0] == {"line": 1, "error": "index damaged: rebuild it with python -m ingestion build --rebuild"}
    assert lines[1][0]["source"] == "palermo_protocol_2000.md"


def test_cli_ask_prints_a_labelled_answer_with_numbered_sources() -> None:
    code, out, _ = run_cli(["ask", QUESTION])
    assert code == 0
    assert out.startswith(f"{translate('cli_generated', 'en')} — fake/replay:\n")
    assert out.startswith("Generated answer (each sentence is supported by the quoted source) — fake/replay:\n")
    assert "\n[1] Palermo Protocol — Article 3 — Use of terms (palermo_protocol_2000.md)\n" in out


def test_cli_bad_input_exits_2_with_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def refuse(config: Any, index: Any) -> Any:
        raise AssertionError("no assistant should be built")

    assert main(["ask", "--index", str(tmp_path / "none"), QUESTION], assistant_factory=refuse) == 2
    assert (
        capsys.readouterr().err
        == f"error: {tmp_path / 'none'}: index folder not found; build it with python -m ingestion\n"
    )
    code, _, _ = run_cli(["ask", "\u200b \x00"])
    assert code == 2
    assert capsys.readouterr().err.startswith("error: the question is empty")


def test_clean_question_errors_are_input_errors() -> None:
    with pytest.raises(InputError):
        clean_question(" ", 10)


def test_small_model_budget_without_any_fitting_sentence_trims_the_first_source() -> None:
    endless = replace(ARTICLE_3, text="The child " + "and the protection of victims " * 200 + "matters.")
    bot = answerer(settings=load_settings(TEST_CONFIG, llm={"evidence_tokens": 100}))
    answer = bot.answer(retrieval(hits=[endless]))
    shown = bot.generator.prompts[0][1]["content"]
    assert "[1] Palermo Protocol" in shown and " …\n\nQuestion:" in shown
    assert answer.evidence == [endless]


def _typed(name: str, doc_type: str) -> Hit:
    return Hit(name, f"Text of {name}.", 0.5, title=name, doc_type=doc_type)


@pytest.mark.parametrize(
    ("role", "retrieved", "numbered"),
    [
        # A frontline worker's retrieval already chose the sources by the role's prior (rag.role_prior): a judgment
        # still shown was asked for by name, or no handbook passage was relevant, so retrieval's order stands.
        ("frontline", ["case_law", "legislation", "handbook"], ["case_law", "legislation", "handbook"]),
        ("judge", ["handbook", "case_law"], ["case_law", "handbook"]),
        ("judge", ["handbook", "handbook", "handbook", "legislation"], ["handbook", "handbook", "legislation"]),
    ],
)
def test_the_roles_prior_orders_the_evidence_the_answer_numbers(
    role: str, retrieved: list[str], numbered: list[str]
) -> None:
    hits = [_typed(f"{doc_type}-{i}", doc_type) for i, doc_type in enumerate(retrieved)]
    bot = answerer(["Nothing."])
    answer = bot.answer(retrieval("What should I do when I find the child?", hits), role=role)  # type: ignore[arg-type]
    assert [hit.doc_type for hit in answer.evidence][: len(numbered)] == numbered
    prompt = bot.generator.prompts[0][-1]["content"]
    assert f"[1] {answer.evidence[0].title}" in prompt
    same_type = [hit.title for hit in answer.evidence if hit.doc_type == retrieved[0]]
    assert same_type == sorted(same_type)  # retrieval's order within one type


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


def test_a_question_naming_an_article_of_an_instrument_is_answered_from_that_article_alone() -> None:
    bot = answerer(("Victims receive appropriate housing, counselling and medical assistance [1].",))
    question = "What does Article 6 of the Palermo Protocol say?"
    answer = bot.answer(retrieval(question))
    prompt = bot.generator.prompts[0][-1]["content"]
    assert "Article 6" in prompt and "Article 3" not in prompt
    assert [c.section for c in answer.citations] == ["Article 6 — Assistance to victims"]
    assert named_articles([ARTICLE_3, ARTICLE_6], "What does Article 6 say?") == []  # no instrument named
