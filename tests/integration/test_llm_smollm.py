"""Real SmolLM2-135M answers over real treaty chunks: every citation valid, every kept sentence supported."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from core.embedders import SentenceTransformerEmbedder, make_embedder
from core.settings import Settings, load_settings
from ingestion.chunk import chunk_document
from ingestion.load import load_document
from rag.answer import Answerer
from rag.generate import LlamaCppGenerator, count_tokens
from rag.prompts import chat_template, prompt_inputs
from rag.retrieve import Retrieval
from rag.search import Hit
from rag.types import Answer
from tests.conftest import TEST_CONFIG

pytestmark = pytest.mark.slow


def palermo_articles(corpus: Path, *numbers: int) -> list[Hit]:
    """Chunks of the given Palermo Protocol articles, as the index would return them."""
    doc = load_document(corpus / "palermo_protocol_2000.md", corpus, doc_type="legislation")
    chunks = {c.section.split(" –")[0]: c for c in chunk_document(doc) if c.section.startswith("Article ")}
    picked = [chunks[f"Article {n}"] for n in numbers]
    return [Hit.from_metadata(c.id, c.text, 1.0 - i / 10, c.metadata()) for i, c in enumerate(picked)]


@pytest.fixture(scope="module")
def settings() -> Settings:
    return load_settings(TEST_CONFIG, llm={"context_tokens": 4096, "max_tokens": 200, "temperature": 0.1})


@pytest.fixture(scope="module")
def answerer(settings: Settings) -> Answerer:
    generator = LlamaCppGenerator(settings.llm)
    generator.warm_up()
    return Answerer(generator, SentenceTransformerEmbedder(), settings)


@pytest.fixture(scope="module")
def shipped_answerer() -> Answerer:
    """The test profile's budgets: the small model's short, cut-down prompt, as shipped."""
    settings = load_settings(TEST_CONFIG)
    assert settings.llm.evidence_budget is not None  # the small model's short prompt is what is under test
    return Answerer(LlamaCppGenerator(settings.llm), make_embedder(settings.embedder), settings)


def assert_grounded(answer: Answer, threshold: float) -> None:
    """Every [n] in the text is a citation of the evidence, and every kept sentence passed the check."""
    cited = {c.n: c for c in answer.citations}
    for n in map(int, re.findall(r"\[(\d+)\]", answer.answer)):
        assert n in cited, f"[{n}] has no citation in {answer.answer!r}"
        assert cited[n].quote == answer.evidence[n - 1].text
        assert cited[n].supporting in " ".join(cited[n].quote.split())
    for sentence in answer.sentences:
        if sentence.supported:
            assert sentence.score >= threshold and sentence.citations


@pytest.mark.parametrize(
    "question",
    [
        "Must deception be proven when the victim is 15?",
        "Who is a child under the Palermo Protocol?",
        "L'inganno deve essere provato quando la vittima ha 15 anni?",
    ],
)
def test_streamed_answer_over_article_3_is_grounded(
    answerer: Answerer, settings: Settings, corpus: Path, question: str
) -> None:
    evidence = palermo_articles(corpus, 3, 5)
    stream = answerer.stream(Retrieval(question, question, evidence, True, 0.6))
    tokens = list(stream)
    answer = stream.result
    assert answer is not None and tokens and not answer.abstained
    assert_grounded(answer, settings.retrieval.support_threshold)
    if answer.extractive and question.startswith("L'"):
        assert answer.answer.startswith("Nessuna frase generata")
    draft_tokens = count_tokens(answerer.generator, "".join(tokens))
    generation = stream.timings["generation"] - stream.timings["first_token"]
    print(
        f"\n{question}\n  draft: {''.join(tokens)!r}\n  shown: {answer.answer!r}\n"
        f"  first token {stream.timings['first_token']:.2f} s, {draft_tokens / max(generation, 1e-6):.1f} tokens/s, "
        f"grounding {stream.timings['grounding'] * 1000:.0f} ms, extractive={answer.extractive}, "
        f"kept {sum(s.supported for s in answer.sentences)}/{len(answer.sentences)} sentences"
    )


def test_speed_on_a_1500_token_prompt(answerer: Answerer, corpus: Path) -> None:
    """Prints time to first token and generation speed for a prompt of about 1,500 tokens (no timing asserts)."""
    evidence = palermo_articles(corpus, 3, 5, 6, 9, 10)
    question = "What must States do to protect child victims of trafficking?"
    messages = [
        {"role": m.type, "content": str(m.content)}
        for m in chat_template("judge").invoke(prompt_inputs(question, evidence, "en")).to_messages()
    ]
    prompt_tokens = sum(count_tokens(answerer.generator, m["content"]) for m in messages)
    assert 1000 <= prompt_tokens <= 2500
    stream = answerer.stream(Retrieval(question, question, evidence, True, 0.6))
    started = time.perf_counter()
    draft = "".join(stream)
    assert stream.result is not None
    draft_tokens = count_tokens(answerer.generator, draft)
    generation = stream.timings["generation"] - stream.timings["first_token"]
    print(
        f"\nprompt {prompt_tokens} tokens: first token {stream.timings['first_token']:.2f} s, "
        f"{draft_tokens} tokens at {draft_tokens / max(generation, 1e-6):.1f} tokens/s, "
        f"grounding {stream.timings['grounding'] * 1000:.0f} ms, total {time.perf_counter() - started:.1f} s"
    )
    assert_grounded(stream.result, 0.35)


@pytest.mark.parametrize(
    "question",
    [
        "Kto jest dzieckiem według protokołu i czy trzeba udowodnić oszustwo?",  # Polish
        "Muss die Täuschung bewiesen werden, wenn das Opfer 15 Jahre alt ist?",  # German
    ],
)
def test_a_question_sharing_no_word_with_the_sources_gets_quotations_with_citations(
    shipped_answerer: Answerer, corpus: Path, question: str
) -> None:
    """The shipped model's cut-down prompt over English law: the answer quotes and cites, never an empty list."""
    answer = shipped_answerer.answer(Retrieval(question, question, palermo_articles(corpus, 3, 5), True, 0.6))
    assert not answer.abstained and answer.citations, answer.answer
    assert_grounded(answer, shipped_answerer.settings.retrieval.support_threshold)
    if answer.extractive:
        quotes = answer.answer.splitlines()[1:]
        assert quotes and all(re.fullmatch(r"“.+” \[\d\]", line) for line in quotes), answer.answer
